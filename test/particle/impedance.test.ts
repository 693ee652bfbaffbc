import assert from "node:assert/strict";
import { test } from "node:test";
import { sphericalParticleImpedance } from "../../src/analysis/eis/particle.js";
import { FARADAY, GAS_CONSTANT } from "../../src/constants.js";
import { logFrequencies, particleImpedance } from "../../src/particle/impedance.js";
import { ParticleSimulator } from "../../src/particle/simulator.js";
import { idealMaterial } from "../helpers/materials.js";

const RT = GAS_CONSTANT * 298.15;

test("particle EIS of a uniform state matches the closed form Rs + Rc‖CPEc + (Rct + Z_sphere)‖C_dl", () => {
  const R = 10e-6;
  const D = 1e-14;
  const cMax = 50000;
  const i0 = 1;
  const slope = -1; // dU/dx [V]
  const cdl = 0.2;
  const material = idealMaterial({
    diffusivity: D,
    maxConcentration: cMax,
    exchangeCurrentDensity: i0,
    ocvSlope: slope,
    doubleLayerCapacitance: cdl,
  });
  const f = logFrequencies(2e5, 1e-4, 10);
  const contact = { resistance: 2000, cpeQ: 2e-10, cpeAlpha: 0.9 };
  const area = 4 * Math.PI * R * R;
  const exact = sphericalParticleImpedance(f, {
    seriesResistance: 500,
    contactResistance: contact.resistance,
    contactQ: contact.cpeQ,
    contactAlpha: contact.cpeAlpha,
    // linearised Butler–Volmer with α_a + α_c = 1: R_ct = RT/(F·A·i0)
    chargeTransferResistance: RT / (FARADAY * area * i0),
    doubleLayerCapacitance: cdl * area,
    dUdc: Math.abs(slope) / cMax,
    radius: R,
    area,
    diffusivity: D,
  });
  const worst = (shells: number, refinement: number) => {
    const sim = new ParticleSimulator({
      material,
      radius: R,
      shells,
      refinement,
      initialLithiumFraction: 0.7,
      ohmicResistance: 500,
    });
    const z = particleImpedance(sim, f, contact);
    let w = 0;
    for (let k = 0; k < f.length; k++) {
      const d =
        Math.hypot(z.zReal[k] - exact.re[k], z.zImag[k] - exact.im[k]) / Math.hypot(exact.re[k], exact.im[k]);
      w = Math.max(w, d);
    }
    return w;
  };
  // the discretisation error lives in the diffusion impedance at high frequency (penetration
  // depth √(D/ω) below the outer shell width): refined shells resolve it
  const coarse = worst(20, 1);
  const fine = worst(200, 20);
  assert.ok(fine < 3e-3, `200 refined shells: worst relative deviation ${fine}`);
  assert.ok(coarse < 0.1, `20 uniform shells: worst relative deviation ${coarse}`);
  assert.ok(fine < coarse / 5, "refinement converges");
});

test("particle EIS low-frequency limit: intercalation capacitance C_int = F·V_p/|dU/dc|", () => {
  const R = 5e-6;
  const cMax = 48000;
  const slope = -0.8;
  const material = idealMaterial({
    diffusivity: 5e-15,
    maxConcentration: cMax,
    ocvSlope: slope,
    exchangeCurrentDensity: 0.5,
  });
  const sim = new ParticleSimulator({ material, radius: R, initialLithiumFraction: 0.5 });
  const z = particleImpedance(sim, [1e-7]);
  const w = 2 * Math.PI * 1e-7;
  const cint = (FARADAY * (4 / 3) * Math.PI * R ** 3) / (Math.abs(slope) / cMax);
  // −Im Z → 1/(ωC_int) as ω → 0
  assert.ok(Math.abs(-z.zImag[0] * w * cint - 1) < 1e-3);
});

test("particle EIS about a non-uniform (loaded) state differs from the uniform one and stays finite", () => {
  const material = idealMaterial({
    diffusivity: 1e-14,
    exchangeCurrentDensity: 0.3,
    doubleLayerCapacitance: 0.2,
  });
  const sim = new ParticleSimulator({ material, radius: 8e-6, initialLithiumFraction: 0.8 });
  const f = logFrequencies(1e5, 1e-3, 5);
  const uniform = particleImpedance(sim, f);
  sim.setControl({ mode: "current", current: 1e-9 });
  sim.advance({ endTime: 600 });
  const loaded = particleImpedance(sim, f);
  for (let k = 0; k < f.length; k++)
    assert.ok(Number.isFinite(loaded.zReal[k]) && Number.isFinite(loaded.zImag[k]));
  // under load η ≠ 0: the BV slope cosh-like increases, R_ct falls → mid-frequency Re Z smaller
  const mid = f.findIndex((x) => x < 1);
  assert.ok(loaded.zReal[mid] < uniform.zReal[mid]);
});
