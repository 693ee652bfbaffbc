import assert from "node:assert/strict";
import { test } from "node:test";
import { ocvCurve, relaxedOcvTable } from "../../../src/analysis/ocv/index.js";
import { FARADAY } from "../../../src/constants.js";
import { InputError } from "../../../src/errors.js";

/** Known OCV: dU/dx = −0.6 − 0.15·cos(3(1 − x)) < 0 (monotone decreasing, like a cathode). */
const U = (x: number) => 3.7 + 0.6 * (1 - x) + 0.05 * Math.sin(3 * (1 - x));
const dUdx = (x: number) => -0.6 - 0.15 * Math.cos(3 * (1 - x));

const HOST = 1e-6; // mol
const I = 1e-4; // A

/**
 * Step charge: steps of Δx, each followed by a rest in which V relaxes to U(x) as
 * V = U(x) + A·exp(−t/τr) ("exp") or U(x) + b/√t ("sqrt"); IR of 10 mV during steps.
 */
function stepCharge(dx: number, steps: number, rest: number, shape: "exp" | "sqrt" = "exp") {
  const t: number[] = [];
  const v: number[] = [];
  const c: number[] = [];
  const stepTime = (dx * FARADAY * HOST) / I;
  let now = 0;
  let x = 1;
  for (let j = 1; j <= 5; j++) {
    t.push(j * 10);
    v.push(U(1));
    c.push(0);
  }
  now = 50;
  for (let s = 0; s < steps; s++) {
    const nStep = 50;
    for (let j = 1; j <= nStep; j++) {
      const xj = x - (dx * j) / nStep;
      t.push(now + (stepTime * j) / nStep);
      v.push(U(xj) + 0.01 + 0.02 * (1 - Math.exp((-j / nStep) * 5)));
      c.push(I);
    }
    now += stepTime;
    x -= dx;
    for (let tt = 5; tt <= rest + 1e-9; tt *= 1.05) {
      t.push(now + tt);
      v.push(shape === "exp" ? U(x) + 0.02 * Math.exp(-tt / 1000) : U(x) + 0.02 / Math.sqrt(tt / 10));
      c.push(0);
    }
    // a last rest sample at the switch-on of the next step, so that the step's first
    // interval is exactly stepTime/50 (the current value of a sample applies to the
    // interval that ends at it)
    now += rest * 1.0001;
    t.push(now);
    v.push(
      shape === "exp"
        ? U(x) + 0.02 * Math.exp(-(rest * 1.0001) / 1000)
        : U(x) + 0.02 / Math.sqrt((rest * 1.0001) / 10),
    );
    c.push(0);
  }
  return { t: Float64Array.from(t), v: Float64Array.from(v), c: Float64Array.from(c) };
}

test("long rests: the last voltage is the OCV and charge gives x exactly", () => {
  const rec = stepCharge(0.05, 10, 3 * 3600);
  const pts = relaxedOcvTable(rec.t, rec.v, rec.c, { hostMoles: HOST, initialX: 1 });
  assert.equal(pts.length, 11); // the initial rest + 10 relaxed points
  for (let k = 0; k < pts.length; k++) {
    const p = pts[k];
    // charge: I·stepTime per step, summed exactly (rectangle rule on a constant current)
    assert.ok(Math.abs((p.x ?? 0) - (1 - 0.05 * k)) < 1e-12, `x ${p.x}`);
    // relaxation left after 3 h: 20 mV·exp(−10.8) = 0.4 µV (last rest sample ≤ 3 h)
    assert.ok(Math.abs(p.ocv - U(p.x ?? 0)) < 2e-6, `ocv ${p.ocv} vs ${U(p.x ?? 0)}`);
    assert.ok(Math.abs(p.soc - k / 10) < 1e-12);
  }
});

test("short rests: exponential and √t extrapolations recover V∞ where the last voltage does not", () => {
  const rec = stepCharge(0.05, 6, 1000); // one relaxation time: the last sample is 7 mV high
  const last = relaxedOcvTable(rec.t, rec.v, rec.c, { hostMoles: HOST });
  const exp = relaxedOcvTable(rec.t, rec.v, rec.c, { hostMoles: HOST, method: "exponential" });
  for (let k = 1; k < exp.length; k++) {
    const truth = U(exp[k].x ?? 0);
    assert.ok(last[k].ocv - truth > 5e-3);
    // exact model, so only the golden-section tolerance on τ limits V∞: < 1 µV
    assert.ok(Math.abs(exp[k].ocv - truth) < 1e-6, `exp ${exp[k].ocv - truth}`);
    assert.ok(Math.abs((exp[k].relaxationTime ?? 0) / 1000 - 1) < 1e-3);
  }
  const recS = stepCharge(0.05, 6, 1000, "sqrt");
  const sq = relaxedOcvTable(recS.t, recS.v, recS.c, { hostMoles: HOST, method: "sqrt" });
  for (let k = 1; k < sq.length; k++) assert.ok(Math.abs(sq[k].ocv - U(sq[k].x ?? 0)) < 1e-9);
});

test("dU/dx from the relaxed points: PCHIP on exact points, LOESS + isotonic on noisy ones", () => {
  const xs: number[] = [];
  const us: number[] = [];
  for (let k = 0; k <= 11; k++) {
    xs.push(1 - 0.05 * k);
    us.push(U(1 - 0.05 * k));
  }
  const exact = ocvCurve(xs, us);
  for (let k = 1; k < 11; k++) {
    const x = 1 - 0.05 * k;
    // Fritsch–Butland node slopes are first-order in h: |error| ≲ h·|U''| = 0.05·0.45 → 3 %
    assert.ok(
      Math.abs(exact.derivative(x) / dUdx(x) - 1) < 0.03,
      `x=${x}: ${exact.derivative(x)} vs ${dUdx(x)}`,
    );
    assert.ok(Math.abs(exact.value(x) - U(x)) < 1e-12);
  }
  // noisy: 1 mV (seeded) on 56 points 0.01 apart; bandwidth 0.1
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  const xn: number[] = [];
  const un: number[] = [];
  for (let k = 0; k <= 55; k++) {
    xn.push(1 - 0.01 * k);
    un.push(U(1 - 0.01 * k) + 2e-3 * rand()); // uniform ±1 mV
  }
  const raw = ocvCurve(xn, un, { monotone: "none" });
  const smooth = ocvCurve(xn, un, { bandwidth: 0.1 });
  let rawErr = 0;
  let smoothErr = 0;
  for (let k = 10; k <= 45; k++) {
    const x = 1 - 0.01 * k;
    rawErr = Math.max(rawErr, Math.abs(raw.derivative(x) - dUdx(x)));
    smoothErr = Math.max(smoothErr, Math.abs(smooth.derivative(x) - dUdx(x)));
  }
  // raw differences of ±1 mV over 0.01 give slope errors of order 0.1 V; the local quadratic
  // over ±0.1 brings them to a few percent of |dU/dx| ≈ 0.7 V
  assert.ok(smoothErr < 0.05, `smoothed max error ${smoothErr}`);
  assert.ok(smoothErr < rawErr / 2);
  // monotone: U decreases with x everywhere after the isotonic step
  for (let k = 1; k < smooth.u.length; k++) assert.ok(smooth.u[k] <= smooth.u[k - 1]);
});

test("bad input throws InputError", () => {
  assert.throws(() => ocvCurve([0.5], [3.9]), InputError);
  assert.throws(() => ocvCurve([0.5, 0.6], [3.9]), InputError);
  assert.throws(() => relaxedOcvTable([0, 1], [3.9], [0, 0]), InputError);
  assert.throws(() => relaxedOcvTable([0, 0], [3.9, 3.9], [0, 0]), InputError);
});
