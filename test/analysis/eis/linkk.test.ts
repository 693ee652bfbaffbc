import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { circuitImpedance } from "../../../src/analysis/eis/circuit.js";
import { linKK, solveLinearLeastSquares } from "../../../src/analysis/eis/linkk.js";
import { InputError } from "../../../src/errors.js";

const N = 60;
const f = Array.from({ length: N }, (_, i) => 1e5 * 10 ** ((-7 * i) / (N - 1))); // 100 kHz → 10 mHz
// A battery-like two-arc spectrum with distributed (CPE) relaxations and finite diffusion.
const z = circuitImpedance(
  "R0-p(R1,CPE1)-p(R2-Ws1,CPE2)",
  f,
  [0.02, 0.01, 1e-3, 0.85, 0.05, 0.05, 10, 1, 0.9],
);

describe("lin-KK (Schönleber et al. 2014)", () => {
  it("passes a clean synthetic spectrum with residuals far below the threshold", () => {
    const r = linKK(f, z.re, z.im);
    assert.ok(r.pass, r.verdict);
    assert.ok(r.muReached && r.mu < 0.85);
    // Noiseless KK-compliant data: residuals are the RC-basis approximation error only (3e-4 here).
    assert.ok(r.maxResidual < 1e-3, `max ${r.maxResidual}`);
    // μ as defined from the returned resistances
    let pos = 0;
    let neg = 0;
    for (const R of r.resistances) R >= 0 ? (pos += R) : (neg -= R);
    assert.ok(Math.abs(r.mu - (1 - neg / pos)) < 1e-12);
    // the τ grid spans 1/(2π f_max) … 1/(2π f_min), log-spaced
    assert.ok(Math.abs(r.tau[0] - 1 / (2 * Math.PI * 1e5)) < 1e-12 * r.tau[0]);
    assert.ok(Math.abs(r.tau[r.M - 1] - 1 / (2 * Math.PI * 1e-2)) < 1e-12 * r.tau[r.M - 1]);
    // R_ohm lies between R0 = 0.02 Ω and Re Z(100 kHz) = 0.0255 Ω: the CPE arc (α = 0.85) is not
    // closed at the highest frequency, so the high-frequency intercept is only bracketed.
    assert.ok(r.rOhm > 0.02 && r.rOhm < z.re[0], `R_ohm ${r.rOhm}`);
  });

  it("flags the same spectrum with a 3 % linear drift of Re Z over the sweep", () => {
    // Measurement runs from high to low frequency; Re Z drifts by +3 % by the last point
    // (e.g. SOC or temperature drift during a long low-frequency sweep).
    const drifted = z.re.map((v, i) => v * (1 + (0.03 * i) / (N - 1)));
    const r = linKK(f, drifted, z.im);
    assert.ok(!r.pass, r.verdict);
    assert.ok(r.maxResidual > 0.005 && r.verdict.startsWith("FAIL"));
    // the clean spectrum's residuals are more than 10× smaller
    assert.ok(linKK(f, z.re, z.im).maxResidual * 10 < r.maxResidual);
  });

  it("Randles R0-p(R1-Wo1,C1) (impedance.py's fitted values): clean passes, 3 % drift fails", () => {
    const p = [1.862e-2, 1.168e-2, 6.271e-2, 221.2, 1.172];
    const zr = circuitImpedance("R0-p(R1-Wo1,C1)", f, p);
    const clean = linKK(f, zr.re, zr.im);
    // 0.15 % here: the RC basis resolves the ideal C1 arc and the capacitive Wo tail (auto C)
    assert.ok(clean.pass && clean.maxResidual < 0.002 && clean.capacitance !== null, clean.verdict);
    const drifted = linKK(
      f,
      zr.re.map((v, i) => v * (1 + (0.03 * i) / (N - 1))),
      zr.im,
    );
    assert.ok(!drifted.pass, drifted.verdict);
    // the drift stays above the threshold at 2M as well (0.55 %), so no "under-resolved" hint
    assert.ok(drifted.maxResidualDoubleM !== null && drifted.maxResidualDoubleM > 0.005);
    assert.doesNotMatch(drifted.verdict, /under-resolved/);
  });

  it("an early μ stop on noise-free ideal elements is flagged by the 2M diagnostic", () => {
    // 70 points, 100 kHz → 1 mHz: μ drops below 0.85 at M = 12 from grid-mismatch ringing of the
    // ideal C1 arc (3.2 % residual); with 24 elements the residuals fall to 0.1 %.
    const f70 = Array.from({ length: 70 }, (_, i) => 1e5 * 1e-8 ** (i / 69));
    const zr = circuitImpedance("R0-p(R1-Wo1,C1)", f70, [1.862e-2, 1.168e-2, 6.271e-2, 221.2, 1.172]);
    const r = linKK(f70, zr.re, zr.im);
    assert.ok(!r.pass);
    assert.equal(r.doubleM, 2 * r.M);
    assert.ok(r.maxResidualDoubleM !== null && r.maxResidualDoubleM < 0.002);
    assert.match(r.verdict, /under-resolved ideal element/);
  });

  it("real data: impedance.py's example spectrum passes with a series capacitance chosen automatically", () => {
    const text = readFileSync(new URL("../../data/impedancepy__exampleData.csv", import.meta.url), "utf8");
    const rows = text
      .trim()
      .split("\n")
      .map((l) => l.split(",").map(Number));
    const r = linKK(
      rows.map((x) => x[0]),
      rows.map((x) => x[1]),
      rows.map((x) => x[2]),
    );
    // Reflective (Wo) diffusion → capacitive low-frequency tail: the variant with C fits better.
    assert.ok(r.capacitance !== null && r.capacitance > 0);
    assert.ok(r.pass, r.verdict);
    // measured noise level: RMS residual ≈ 0.13 %, max ≈ 0.37 % (values of this implementation)
    assert.ok(r.rmsResidual < 0.002 && r.maxResidual < 0.005);
    const without = linKK(
      rows.map((x) => x[0]),
      rows.map((x) => x[1]),
      rows.map((x) => x[2]),
      { capacitance: false },
    );
    assert.ok(without.rmsResidual > r.rmsResidual);
  });

  it("real-part and imaginary-part fits (Schönleber §2.3)", () => {
    // Fit Re, predict Im (the classic KK transform direction): the clean spectrum still passes.
    const real = linKK(f, z.re, z.im, { fitType: "real" });
    assert.ok(real.pass && real.maxResidual < 2e-3, real.verdict);
    // Fit Im; R_ohm then comes from the Re residual alone and lands near the complex fit's.
    const imag = linKK(f, z.re, z.im, { fitType: "imag" });
    const complex = linKK(f, z.re, z.im);
    assert.ok(Math.abs(imag.rOhm - complex.rOhm) < 0.1 * complex.rOhm, `${imag.rOhm} vs ${complex.rOhm}`);
    assert.throws(() => linKK(f, z.re, z.im, { fitType: "both" as "real" }), InputError);
  });

  it("fixed M and an inductive high-frequency tail", () => {
    const zl = circuitImpedance("L1-R0-p(R1,CPE1)", f, [1e-7, 0.02, 0.05, 1e-3, 0.9]);
    const r = linKK(f, zl.re, zl.im, { M: 25 });
    assert.equal(r.M, 25);
    assert.ok(Math.abs(r.inductance - 1e-7) < 1e-9, `L ${r.inductance}`);
  });

  it("rejects too few points and a bad cutoff", () => {
    assert.throws(() => linKK([1, 2], [1, 1], [0, 0]), InputError);
    assert.throws(() => linKK(f, z.re, z.im, { muCutoff: 1.5 }), InputError);
  });
});

describe("Householder least squares", () => {
  it("matches the normal-equation solution of an overdetermined system", () => {
    const m = 9;
    const p = 3;
    const A = new Float64Array(m * p);
    const b = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < p; j++) A[i * p + j] = Math.cos(1.3 * i + j * j) + (i === j ? 2 : 0);
      b[i] = Math.sin(i);
    }
    const x = solveLinearLeastSquares(Float64Array.from(A), b, m, p);
    // Normal equations AᵀA x = Aᵀb solved by Cramer's rule (3×3): residual of the normal equations.
    for (let j = 0; j < p; j++) {
      let g = 0;
      for (let i = 0; i < m; i++) {
        let r = -b[i];
        for (let k = 0; k < p; k++) r += A[i * p + k] * x[k];
        g += A[i * p + j] * r;
      }
      assert.ok(Math.abs(g) < 1e-13, `Aᵀr[${j}] = ${g}`);
    }
  });
});
