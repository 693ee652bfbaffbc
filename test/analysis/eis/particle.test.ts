import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { circuitImpedance } from "../../../src/analysis/eis/circuit.js";
import { fitCircuit } from "../../../src/analysis/eis/fit.js";
import {
  chargeTransferResistance,
  exchangeCurrentFromRct,
  intercalationCapacitance,
  sphericalDiffusionParameters,
  sphericalParticleCircuit,
  sphericalParticleImpedance,
} from "../../../src/analysis/eis/particle.js";
import { FARADAY, GAS_CONSTANT } from "../../../src/constants.js";
import { InputError } from "../../../src/errors.js";

describe("j0 from R_ct", () => {
  it("REFERENCE §4 check value: 50 Ω, 1 cm², 298.15 K → 5.14e-4 A/cm²", () => {
    const j0 = exchangeCurrentFromRct(50, 1e-4, 298.15); // A/m²
    // 3 significant figures as printed in REFERENCE.md
    assert.ok(Math.abs(j0 / 1e4 - 5.14e-4) < 0.005e-4, `${j0 / 1e4} A/cm²`);
    assert.ok(Math.abs(chargeTransferResistance(j0, 1e-4) - 50) < 1e-12);
  });
  it("rejects non-positive inputs", () => {
    assert.throws(() => exchangeCurrentFromRct(0, 1e-4), InputError);
    assert.throws(() => exchangeCurrentFromRct(50, -1), InputError);
  });
});

// An NMC-like single particle (SI): Rp = 5 µm, D = 1e-14 m²/s, |dU/dc| = 2e-5 V·m³/mol
// (≈1 V per unit x at c_max = 5e4 mol/m³), j0 = 1 A/m², C_dl = 0.2 F/m² on 4πRp².
const radius = 5e-6;
const area = 4 * Math.PI * radius ** 2;
const D = 1e-14;
const dUdc = 2e-5;
const rct = chargeTransferResistance(1, area);
const particle = {
  seriesResistance: 1e6,
  contactResistance: 5e6,
  contactQ: 1e-11,
  contactAlpha: 0.9,
  chargeTransferResistance: rct,
  doubleLayerCapacitance: 0.2 * area,
  dUdc,
  radius,
  diffusivity: D,
};

describe("single-particle closed form (SPEC §3.3)", () => {
  it("R_D and τ", () => {
    const { RD, tau } = sphericalDiffusionParameters({ dUdc, radius, diffusivity: D });
    assert.equal(tau, radius ** 2 / D);
    assert.ok(Math.abs(RD - (dUdc * radius) / (FARADAY * area * D)) < 1e-9 * RD);
  });

  it("equals the circuit R0-p(R1,CPE1)-p(R2-Wsph1,CPE2) with the same parameters", () => {
    const f = [1e-6, 1e-3, 1, 1e3, 1e6];
    const z = sphericalParticleImpedance(f, particle);
    const { circuit, params } = sphericalParticleCircuit(particle);
    const c = circuitImpedance(circuit, f, params);
    f.forEach((_, i) => {
      const m = Math.hypot(c.re[i], c.im[i]);
      // two evaluation orders of the same expression: round-off only
      assert.ok(Math.abs(z.re[i] - c.re[i]) < 1e-13 * m && Math.abs(z.im[i] - c.im[i]) < 1e-13 * m);
    });
  });

  it("low-frequency limit: capacitive C_int + C_dl and Re → Rs + Rc + (Rct + R_D/5)·(C_int/(C_int+C_dl))²", () => {
    const { RD, tau } = sphericalDiffusionParameters(particle);
    const cInt = intercalationCapacitance(dUdc, radius);
    // C_int = τ/(3R_D): the 3R_D/(jωτ) term of the element is 1/(jω·C_int)
    assert.ok(Math.abs(cInt - tau / (3 * RD)) < 1e-12 * cInt);
    const cdl = particle.doubleLayerCapacitance;
    const f = 1e-9; // ωτ = 1.6e-5
    const w = 2 * Math.PI * f;
    const z = sphericalParticleImpedance([f], particle);
    const reLimit =
      particle.seriesResistance + particle.contactResistance + (rct + RD / 5) * (cInt / (cInt + cdl)) ** 2;
    // next terms are O(ωτ) ≈ 1.6e-5 relative
    assert.ok(Math.abs(z.re[0] - reLimit) < 1e-4 * reLimit, `Re ${z.re[0]} vs ${reLimit}`);
    assert.ok(Math.abs(-z.im[0] * w * (cInt + cdl) - 1) < 1e-4);
  });

  it("round trip: fit of the simulated spectrum recovers D and j0", () => {
    const f = Array.from({ length: 70 }, (_, i) => 1e6 * 10 ** ((-10 * i) / 69)); // 1 MHz → 10 µHz
    const z = sphericalParticleImpedance(f, particle);
    const { circuit, params } = sphericalParticleCircuit(particle);
    const guess = params.map((p, k) => (k === 3 || k === 8 ? Math.min(0.97, p) : p * (k % 2 ? 1.4 : 0.7)));
    const r = fitCircuit(
      circuit,
      { frequency: f, zReal: z.re, zImag: z.im },
      { initialGuess: guess, weighting: "modulus" },
    );
    const tauFit = r.params[6];
    const dFit = radius ** 2 / tauFit;
    const j0Fit = exchangeCurrentFromRct(r.params[4], area);
    // noiseless data: recovered to the LM stopping tolerance
    assert.ok(Math.abs(dFit / D - 1) < 1e-6, `D ${dFit}`);
    assert.ok(Math.abs(j0Fit - 1) < 1e-6, `j0 ${j0Fit}`);
    assert.ok(Math.abs((GAS_CONSTANT * 298.15) / (FARADAY * area * r.params[4]) - j0Fit) < 1e-12);
  });
});
