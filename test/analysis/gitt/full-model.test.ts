import assert from "node:assert/strict";
import { test } from "node:test";
import { fitGittPulseFullModel } from "../../../src/analysis/gitt/full-model.js";
import { getMaterial } from "../../../src/materials/index.js";
import { ParticleSimulator } from "../../../src/particle/simulator.js";

/** A GITT pulse (10 min at C/5) and 1 h rest simulated with the particle model. */
function syntheticPulse(options: {
  diffusivity?: (x: number) => number;
  i0: number;
  rs: number;
  x0: number;
  noise: number;
}) {
  const m = getMaterial("NMC622");
  const sim = new ParticleSimulator({
    material: m,
    radius: 5e-6,
    initialLithiumFraction: options.x0,
    diffusivity: options.diffusivity,
    exchangeCurrentDensity: () => options.i0,
    ohmicResistance: options.rs,
    doubleLayerCapacitance: 0,
    relativeTolerance: 1e-7,
    absoluteTolerance: 1e-8,
  });
  const I = (0.2 * sim.params.nominalCapacity) / 3600;
  const rest = sim.voltage;
  const t = [0];
  const c = [I];
  const v = [rest];
  let s = 12345;
  const noise = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648 - 0.5) * 2 * options.noise;
  };
  sim.setControl({ mode: "current", current: I });
  for (let k = 1; k <= 60; k++) {
    sim.advance({ endTime: k * 10 });
    t.push(k * 10);
    c.push(I);
    v.push(sim.voltage + noise());
  }
  const xMid = sim.meanLithiumFraction;
  sim.setControl({ mode: "current", current: 0 });
  for (let k = 1; k <= 60; k++) {
    sim.advance({ endTime: 600 + 60 * k });
    t.push(600 + 60 * k);
    c.push(0);
    v.push(sim.voltage + noise());
  }
  return { m, t, c, v, rest, xMid: 0.5 * (options.x0 + xMid) };
}

test("full-model GITT fit recovers a constant D (with ±0.1 mV noise) within 2 %", () => {
  const D = 3e-15;
  const p = syntheticPulse({ diffusivity: () => D, i0: 0.5, rs: 2000, x0: 0.6, noise: 1e-4 });
  const fit = fitGittPulseFullModel(p.t, p.c, p.v, p.rest, {
    material: p.m,
    radius: 5e-6,
    initialExchangeCurrentDensity: 0.5,
  });
  assert.ok(fit.converged);
  assert.ok(Math.abs(fit.diffusivity / D - 1) < 0.02, `D = ${fit.diffusivity}`);
  assert.ok(fit.diffusivityCi[0] < D && fit.diffusivityCi[1] > D, "95 % interval covers the true D");
  assert.ok(Math.abs(fit.xStart - 0.6) < 1e-9, "x from the relaxed voltage by inverting U(x)");
  assert.ok(fit.rmsResidual < 1.5e-4);
});

test("full-model GITT fit of a pulse simulated with the material's D(x) returns D near the pulse composition", () => {
  const m = getMaterial("NMC622");
  const p = syntheticPulse({ i0: 0.5, rs: 100, x0: 0.55, noise: 0 });
  const fit = fitGittPulseFullModel(p.t, p.c, p.v, p.rest, {
    material: m,
    radius: 5e-6,
    initialExchangeCurrentDensity: 0.5,
  });
  const truth = m.chemicalDiffusivity(p.xMid, 298.15);
  // D varies over the pulse's Δx ≈ 0.03; a constant-D fit lands within 10 % of D(x_mid)
  assert.ok(Math.abs(fit.diffusivity / truth - 1) < 0.1, `D = ${fit.diffusivity} vs D(x_mid) = ${truth}`);
});

test("full-model GITT fit rejects a relaxed voltage outside the OCV range", () => {
  const p = syntheticPulse({ diffusivity: () => 3e-15, i0: 0.5, rs: 10, x0: 0.6, noise: 0 });
  assert.throws(
    () => fitGittPulseFullModel(p.t, p.c, p.v, 9.9, { material: p.m, radius: 5e-6 }),
    /outside the OCV range/,
  );
});
