import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  detectOnsets,
  interpolateAt,
  interquartileRange,
  onsetSpread,
  progressDispersion,
  quantile,
  standardDeviation,
} from "../../../src/analysis/synchrony/index.js";

describe("synchrony statistics", () => {
  it("quantiles follow the linear (type 7) definition and skip NaN", () => {
    // numpy.quantile([1, 2, 3, 4, 10], [0.25, 0.5, 0.75]) = [2, 3, 4]
    const v = [4, Number.NaN, 1, 10, 3, 2];
    assert.equal(quantile(v, 0.25), 2);
    assert.equal(quantile(v, 0.5), 3);
    assert.equal(interquartileRange(v), 2);
    // numpy.std([1,2,3,4,10], ddof=1) = 3.5355339059327378
    assert.ok(Math.abs(standardDeviation(v) - 3.5355339059327378) < 1e-14);
    assert.ok(Number.isNaN(quantile([Number.NaN], 0.5)));
  });

  it("onset spread reports the reacted share", () => {
    const s = onsetSpread([0.1, 0.2, Number.NaN, 0.4]);
    assert.equal(s.reactedFraction, 0.75);
    assert.ok(Math.abs(s.median - 0.2) < 1e-15);
  });
});

describe("detectOnsets", () => {
  const times = Float64Array.from({ length: 11 }, (_, k) => k * 10); // 0 … 100 s
  it("finds the threshold crossing by linear interpolation, in either direction", () => {
    // particle 0: ramps down 0.01 per sample from 1 → crossing of |Δ| = 0.045 at t = 45 s
    // particle 1: constant (no onset); particle 2: steps up by 0.2 between t = 60 and 70 s
    const P = 3;
    const values = new Float64Array(P * times.length);
    for (let k = 0; k < times.length; k++) {
      values[k] = 1 - 0.01 * k;
      values[times.length + k] = 0.5;
      values[2 * times.length + k] = k >= 7 ? 0.4 : 0.2;
    }
    const on = detectOnsets(times, values, P, { threshold: 0.045 });
    assert.ok(Math.abs(on[0] - 45) < 1e-9);
    assert.ok(Number.isNaN(on[1]));
    // 0.045 of a 0.2 jump over 60…70 s → 60 + 10·0.045/0.2 = 62.25 s
    assert.ok(Math.abs(on[2] - 62.25) < 1e-9);
    // a window that starts after the jump sees no onset for particle 2
    const late = detectOnsets(times, values, P, { threshold: 0.045, start: 8 });
    assert.ok(Number.isNaN(late[2]));
    assert.throws(() => detectOnsets(times, values, 2, { threshold: 0.1 }), RangeError);
  });

  it("maps onset times to SOC", () => {
    const soc = interpolateAt([0, 10, 20], [0, 0.5, 0.6], [5, 15, Number.NaN, 30]);
    assert.deepEqual(Array.from(soc.subarray(0, 2)), [0.25, 0.55]);
    assert.ok(Number.isNaN(soc[2]));
    assert.equal(soc[3], 0.6);
  });
});

describe("progressDispersion", () => {
  const S = 2001;
  const times = Float64Array.from({ length: S }, (_, k) => k / (S - 1));
  it("is 0 when every particle follows the same course (synchronous)", () => {
    const P = 5;
    const v = new Float64Array(P * S);
    // different swings and offsets, same shape: normalised progress is identical
    for (let p = 0; p < P; p++)
      for (let k = 0; k < S; k++) v[p * S + k] = 0.3 * p + (1 + p) * Math.sin(times[k]);
    assert.ok(progressDispersion(times, v, P) < 1e-12);
  });

  it("equals ∫₀¹ sqrt(φ(1−φ)) dφ = π/8 for step functions at evenly spread times (asynchronous)", () => {
    // P particles switch 0 → 1 at t_p = (p + 0.5)/P; at time t the switched share is φ ≈ t, the
    // sample std of {0,1} values is sqrt(φ(1−φ)·P/(P−1)); the time mean tends to π/8·sqrt(P/(P−1)).
    const P = 400;
    const v = new Float64Array(P * S);
    for (let p = 0; p < P; p++) for (let k = 0; k < S; k++) v[p * S + k] = times[k] >= (p + 0.5) / P ? 1 : 0;
    const d = progressDispersion(times, v, P);
    const expected = (Math.PI / 8) * Math.sqrt(P / (P - 1));
    // tolerance: discreteness of φ (steps of 1/P) and of the time grid, O(1/P + 1/S) ≈ 3e-3
    assert.ok(Math.abs(d - expected) < 5e-3, `${d} vs ${expected}`);
  });
});
