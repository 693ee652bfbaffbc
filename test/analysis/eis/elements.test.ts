import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { ELEMENT_TYPES, elementImpedance, WARBURG_SPHERE } from "../../../src/analysis/eis/elements.js";

interface Fixture {
  elements: { type: string; params: number[]; rows: [number, number, number][] }[];
}
const fixture: Fixture = JSON.parse(
  readFileSync(new URL("../../fixtures/eis/reference.json", import.meta.url), "utf8"),
);

describe("circuit elements vs 40-digit mpmath (scripts/fixtures/eis_reference.py)", () => {
  for (const e of fixture.elements) {
    it(`${e.type} over 1e-9 … 1e7 Hz`, () => {
      const el = ELEMENT_TYPES[e.type];
      const z = elementImpedance(
        el,
        e.rows.map((r) => r[0]),
        e.params,
      );
      e.rows.forEach(([f, re, im], i) => {
        // Relative to |Z|: 1e-12 allows the ~25 ε cancellation of the direct form just above the
        // series switch (|s|² = 0.04) and the series truncation (< 1e-17) below it.
        const mag = Math.hypot(re, im);
        assert.ok(Math.abs(z.re[i] - re) <= 1e-12 * mag, `${e.type} Re at ${f} Hz: ${z.re[i]} vs ${re}`);
        assert.ok(Math.abs(z.im[i] - im) <= 1e-12 * mag, `${e.type} Im at ${f} Hz: ${z.im[i]} vs ${im}`);
      });
    });
  }
});

describe("finite spherical diffusion limits (REFERENCE §4)", () => {
  const RD = 1.7;
  const tau = 50;
  it("low frequency → 3R_D/(jωτ) + R_D/5 − R_D·jωτ/175 + O((ωτ)²)", () => {
    for (const f of [1e-9, 1e-7, 1e-5]) {
      const w = 2 * Math.PI * f;
      const z = elementImpedance(WARBURG_SPHERE, [f], [RD, tau]);
      // Laurent series of R_D/(s·coth s − 1) in u = jωτ: 3/u + 1/5 − u/175 + O(u²) (from the
      // Bernoulli series of s·coth s). At ωτ ≤ 3.1e-3 the O(u²) remainder is < 1e-7·R_D.
      assert.ok(Math.abs(z.re[0] - RD / 5) < 1e-6 * RD, `Re ${z.re[0]}`);
      const imLimit = (-3 * RD) / (w * tau) - (RD * w * tau) / 175;
      assert.ok(Math.abs(z.im[0] - imLimit) <= 1e-9 * Math.abs(imLimit), `Im ${z.im[0]} vs ${imLimit}`);
    }
  });
  it("continuity across the series/exponential switch at ωτ = 0.04", () => {
    const w0 = 0.04 / tau;
    const f0 = w0 / (2 * Math.PI);
    const z = elementImpedance(WARBURG_SPHERE, [f0 * (1 - 1e-12), f0 * (1 + 1e-12)], [RD, tau]);
    // Z itself changes by ≈ |Z|·2e-12 over the ±1e-12 frequency step (Im Z ∝ 1/ω); a branch
    // mismatch would show as a larger jump. Allow 1e-11·|Z|.
    assert.ok(Math.abs(z.re[0] - z.re[1]) < 1e-11 * Math.hypot(z.re[0], z.im[0]));
    assert.ok(Math.abs(z.im[0] - z.im[1]) < 1e-11 * Math.hypot(z.re[0], z.im[0]));
  });
  it("high frequency → R_D/√(jωτ), finite at 1e12 Hz", () => {
    for (const f of [1e6, 1e9, 1e12]) {
      const w = 2 * Math.PI * f;
      const z = elementImpedance(WARBURG_SPHERE, [f], [RD, tau]);
      const a = Math.sqrt((w * tau) / 2); // √(jωτ) = a(1 + j)
      // Z = R_D/(s coth s − 1) → R_D/(s − 1): relative difference to R_D/s is O(1/|s|).
      const limRe = RD / (2 * a);
      const limIm = -RD / (2 * a);
      const rel = Math.hypot(z.re[0] - limRe, z.im[0] - limIm) / Math.hypot(limRe, limIm);
      assert.ok(Number.isFinite(z.re[0]) && rel < 2 / Math.hypot(a, a), `rel ${rel}`);
    }
  });
});

describe("analytic derivatives match central differences", () => {
  const freqs = [1e-6, 1e-3, 0.05, 1, 10, 1e3, 1e6];
  for (const el of Object.values(ELEMENT_TYPES)) {
    it(el.type, () => {
      const p = el.parameters.map((q, k) => (q.name === "alpha" ? 0.83 : 0.7 + 3.1 * k));
      const out = new Float64Array(2);
      const grad = new Float64Array(2 * p.length);
      const zp = new Float64Array(2);
      const zm = new Float64Array(2);
      for (const f of freqs) {
        const w = 2 * Math.PI * f;
        el.evaluate(w, p, 0, out, grad);
        const mag = Math.hypot(out[0], out[1]);
        for (let k = 0; k < p.length; k++) {
          const h = 1e-6 * p[k];
          const pp = p.slice();
          const pm = p.slice();
          pp[k] += h;
          pm[k] -= h;
          el.evaluate(w, pp, 0, zp, null);
          el.evaluate(w, pm, 0, zm, null);
          // Central difference: truncation O(h²) ≈ 1e-12 and round-off ε·|Z|/h ≈ 1e-10·|Z|/p.
          const tol = 1e-7 * (mag / p[k]);
          assert.ok(
            Math.abs((zp[0] - zm[0]) / (2 * h) - grad[2 * k]) <= tol,
            `${el.type} dRe/dp${k} at ${f} Hz`,
          );
          assert.ok(
            Math.abs((zp[1] - zm[1]) / (2 * h) - grad[2 * k + 1]) <= tol,
            `${el.type} dIm/dp${k} at ${f} Hz`,
          );
        }
      }
    });
  }
});
