import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  PittSeries,
  pittChargeSeries,
  pittCurrentSeries,
  pittDimensionlessCurrent,
  pittEigenvalues,
  pittLongTimeTerm,
  pittSeed000ShortTime,
  pittShortTimeDimensionless,
  pittShortTimeSTimesDerivative,
  SHORT_TIME_SWITCH,
} from "../../../src/analysis/pitt/index.js";

interface SeriesCase {
  geometry: "sphere" | "planar";
  B: number;
  roots: number[];
  s: number[];
  j: number[];
}
const fixture = JSON.parse(
  readFileSync(new URL("../../fixtures/pitt/series.json", import.meta.url), "utf8"),
) as {
  series: SeriesCase[];
  shortTime: { geometry: "sphere" | "planar"; B: number; s: number; j: number }[];
};

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

test("eigenvalues match SciPy brentq roots for B = 1e-4 … 1e4, sphere and planar", () => {
  for (const c of fixture.series) {
    const b = pittEigenvalues(c.geometry, c.B, c.roots.length);
    for (let i = 0; i < c.roots.length; i++) {
      // both are root-finders converged to a few ulps of the root (≈1e-15 relative)
      assert.ok(rel(b[i], c.roots[i]) < 1e-13, `${c.geometry} B=${c.B} n=${i + 1}: ${b[i]} vs ${c.roots[i]}`);
    }
  }
});

test("eigenvalue limits: sphere B = 1 → (n−½)π, B → ∞ → nπ; planar B → ∞ → (n−½)π, B → 0 → (n−1)π", () => {
  const one = pittEigenvalues("sphere", 1, 50);
  const big = pittEigenvalues("sphere", 1e12, 20);
  const pbig = pittEigenvalues("planar", 1e12, 20);
  const psmall = pittEigenvalues("planar", 1e-12, 20);
  for (let n = 1; n <= 20; n++) {
    assert.ok(Math.abs(one[n - 1] - (n - 0.5) * Math.PI) < 1e-12 * n);
    // first-order asymptotics b ≈ nπ(1 − 1/B): error ~ nπ/B = 6e-11·n
    assert.ok(Math.abs(big[n - 1] - n * Math.PI) < 1e-10 * n);
    assert.ok(Math.abs(pbig[n - 1] - (n - 0.5) * Math.PI) < 1e-10 * n);
    // b₁ ≈ √B; b_n − (n−1)π ≈ B/((n−1)π)
    assert.ok(Math.abs(psmall[n - 1] - (n - 1) * Math.PI) < 2e-6);
  }
  // roots strictly inside their brackets
  for (const B of [1e-4, 0.3, 3, 1e4]) {
    const b = pittEigenvalues("sphere", B, 200);
    for (let n = 1; n <= 200; n++) assert.ok(b[n - 1] > (n - 1) * Math.PI && b[n - 1] < n * Math.PI);
  }
});

test("REFERENCE check values: sphere B = 10 and planar B = 3", () => {
  const sphere = [7.1701, 3.9615, 0.9752];
  const planar = [2.704, 2.2038, 1.3261];
  const s = [1e-3, 1e-2, 0.1];
  for (let i = 0; i < 3; i++) {
    // REFERENCE gives 4 decimals: half a unit of the last place
    assert.ok(Math.abs(pittDimensionlessCurrent(s[i], 10, "sphere", "series") - sphere[i]) < 5e-5);
    assert.ok(Math.abs(pittDimensionlessCurrent(s[i], 3, "planar", "series") - planar[i]) < 5e-5);
    assert.ok(Math.abs(pittDimensionlessCurrent(s[i], 10, "sphere", "auto") - sphere[i]) < 5e-5);
  }
});

test("series and auto (short-time switch) match the 40 000-term SciPy sums", () => {
  for (const c of fixture.series) {
    for (let i = 0; i < c.s.length; i++) {
      const ser = pittDimensionlessCurrent(c.s[i], c.B, c.geometry, "series");
      const auto = pittDimensionlessCurrent(c.s[i], c.B, c.geometry, "auto");
      // summation of up to ~200 positive terms in a different order: ≤ 1e-12 relative
      assert.ok(rel(ser, c.j[i]) < 1e-11, `${c.geometry} B=${c.B} s=${c.s[i]}: ${ser} vs ${c.j[i]}`);
      assert.ok(rel(auto, c.j[i]) < 1e-11, `${c.geometry} B=${c.B} s=${c.s[i]} auto: ${auto} vs ${c.j[i]}`);
    }
  }
});

test("short-time closed form matches SciPy erfcx values and the series at the switch", () => {
  for (const c of fixture.shortTime) {
    // erfcx of ours vs SciPy: ~1e-15 relative, times cancellation in B·erfcx − 1 (≤ 1e3 here)
    assert.ok(rel(pittShortTimeDimensionless(c.s, c.B, c.geometry), c.j) < 1e-12);
  }
  for (const geometry of ["sphere", "planar"] as const) {
    for (const B of [0.01, 0.5, 1, 1 + 1e-8, 2, 40, 1e3]) {
      const s = SHORT_TIME_SWITCH;
      const a = pittShortTimeDimensionless(s, B, geometry);
      const b = new PittSeries(geometry, B).dimensionless(s);
      // the neglected reflection ~exp(−1/s) = 2e-22: agreement to round-off
      assert.ok(rel(a, b) < 1e-12, `${geometry} B=${B}: ${a} vs ${b}`);
    }
  }
});

test("I(0⁺) = 3·B·D·ΔQ/R² and ∫I dt = ΔQ (sphere), B·D·ΔQ/L² and ΔQ (planar)", () => {
  const D = 1e-14;
  const R = 5e-6;
  const Q = 2e-9;
  for (const geometry of ["sphere", "planar"] as const) {
    for (const B of [0.05, 0.5, 5, 50]) {
      const g = geometry === "sphere" ? 3 : 1;
      const I0 = pittCurrentSeries([0], { D, B, Q, radius: R, geometry })[0];
      assert.ok(rel(I0, (g * B * D * Q) / (R * R)) < 1e-14);
      // numeric integral on a log grid (trapezoid in ln t) from 1e-9 τ to 60 τ/B' plus analytic ends
      const tau = (R * R) / D;
      const tEnd = (tau * 80) / pittLongTimeTerm(B, geometry).rate;
      const n = 20000;
      const t0 = 1e-9 * tau;
      const t = new Float64Array(n);
      for (let i = 0; i < n; i++) t[i] = t0 * (tEnd / t0) ** (i / (n - 1));
      const I = pittCurrentSeries(t, { D, B, Q, radius: R, geometry });
      let q = I0 * t0; // ∫₀^t0 I dt ≈ I(0)·t0 (error ~1e-9·t0·I0)
      for (let i = 1; i < n; i++) q += 0.5 * (I[i] * t[i] + I[i - 1] * t[i - 1]) * Math.log(t[i] / t[i - 1]);
      // trapezoid in ln t with 20 000 points over 20 decades: h² error ~ 1e-6
      assert.ok(rel(q, Q) < 1e-5, `${geometry} B=${B}: ∫I dt = ${q}, Q = ${Q}`);
      // and the analytic charge series agrees
      assert.ok(rel(pittChargeSeries(tEnd, { D, B, Q, radius: R, geometry }), Q) < 1e-12);
      assert.ok(Math.abs(pittChargeSeries(0, { D, B, Q, radius: R, geometry })) < 1e-6 * Q);
    }
  }
});

test("long-time one-term form approaches the series; amplitude/rate ratio spans 1 → 6/π² (sphere)", () => {
  for (const B of [0.05, 1, 20]) {
    const { amplitude, rate } = pittLongTimeTerm(B);
    const s = 3;
    assert.ok(rel(amplitude * Math.exp(-rate * s), pittDimensionlessCurrent(s, B)) < 1e-10);
  }
  // REFERENCE: I0_ext/(ΔQ·|slope|) = 6B²/(b₁²(b₁²+B²−B)); with I = 3ΔQ·D/R²·j and
  // j = amplitude·exp(−rate·s) this is 3·amplitude/rate
  const ratio = (B: number) => {
    const { amplitude, rate } = pittLongTimeTerm(B);
    return (3 * amplitude) / rate;
  };
  assert.ok(Math.abs(ratio(1e-6) - 1) < 1e-5);
  assert.ok(Math.abs(ratio(1e8) - 6 / Math.PI ** 2) < 1e-6);
  assert.ok(ratio(0.1) > ratio(1) && ratio(1) > ratio(10));
});

test("s·dj/ds (fit Jacobian): series and short-time forms match central differences of j", () => {
  for (const geometry of ["sphere", "planar"] as const) {
    for (const B of [0.05, 1, 3, 50]) {
      const series = new PittSeries(geometry, B);
      for (const s of [1e-4, 5e-3, 0.05, 0.5, 2]) {
        const h = 1e-5 * s;
        const j = (x: number) =>
          pittDimensionlessCurrent(x, B, geometry, x < SHORT_TIME_SWITCH ? "shortTime" : "series");
        const numeric = (s * (j(s + h) - j(s - h))) / (2 * h);
        const analytic =
          s < SHORT_TIME_SWITCH ? pittShortTimeSTimesDerivative(s, B, geometry) : series.sTimesDerivative(s);
        // central difference error ~h²·j''' plus round-off ε·j/h ~ 1e-11/1e-5: 1e-6 relative
        assert.ok(
          Math.abs(analytic - numeric) <= 1e-6 * Math.max(Math.abs(numeric), 1e-3 * B),
          `${geometry} B=${B} s=${s}: ${analytic} vs ${numeric}`,
        );
      }
    }
  }
});

test("seed 000 eqn 5 (short-time form with centre images) agrees with the series and outlasts the one-term form", () => {
  for (const B of [0.5, 1, 3, 10]) {
    for (const s of [1e-4, 0.01, 0.05]) {
      const exact = pittDimensionlessCurrent(s, B, "sphere", "series");
      // image terms of order exp(−1/s)·erfcx: at s = 0.05 the neglected terms are ~4e-10
      assert.ok(rel(pittSeed000ShortTime(s, B), exact) < 1e-8, `B=${B} s=${s}`);
    }
  }
  // at s = 0.2 (B = 10) and s = 0.5 (B = 3) the one-term form is off by 2 % and 89 %, eqn 5 by 0.3 % and 2.5 %
  const e10 = pittDimensionlessCurrent(0.2, 10, "sphere", "series");
  assert.ok(
    rel(pittSeed000ShortTime(0.2, 10), e10) < 0.005 && rel(pittShortTimeDimensionless(0.2, 10), e10) > 0.015,
  );
  const e3 = pittDimensionlessCurrent(0.5, 3, "sphere", "series");
  assert.ok(
    rel(pittSeed000ShortTime(0.5, 3), e3) < 0.03 && rel(pittShortTimeDimensionless(0.5, 3), e3) > 0.5,
  );
});
