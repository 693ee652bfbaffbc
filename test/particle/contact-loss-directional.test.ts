/**
 * Particle model (issue 16): charge-driven, irreversible contact loss (seed 000, bare NCA) and
 * direction-dependent i0 (seed 000, NMC333; PyBaMM's "current sigmoid" with memory at rest).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { getMaterial } from "../../src/materials/index.js";
import { NCA_CONTACT_LOSS } from "../../src/materials/nca.js";
import { NMC111_DISCHARGE_FACTOR } from "../../src/materials/nmc111.js";
import { ParticleSimulator } from "../../src/particle/simulator.js";
import { runProtocol } from "../../src/protocol/runner.js";

const cc = (direction: "charge" | "discharge", voltage: number) => ({
  type: "cc" as const,
  direction,
  current: { cRate: 0.1 },
  until: [{ kind: "voltage" as const, voltage }],
});
const rest = { type: "rest" as const, until: [{ kind: "time" as const, duration: 3600 }] };

test("NCA contact-loss law: zero up to x = 0.30, the two fitted points, monotone, < 1", () => {
  const law = NCA_CONTACT_LOSS;
  for (const x of [0.98, 0.6, 0.45, 0.35, 0.3]) assert.equal(law.isolatedFraction(x), 0, `x = ${x}`);
  // the fit points: (1 − φ) = apparent/intrinsic = 0.501/1.523 at x = 0.263 and 0.178/1.433 at x = 0.22
  const nca = getMaterial("NCA");
  const check = (x: number, apparent: number) => {
    const phi = law.isolatedFraction(x);
    const implied = nca.exchangeCurrentDensity(x) * (1 - phi);
    assert.ok(Math.abs(implied / apparent - 1) < 0.03, `x = ${x}: ${implied} vs ${apparent}`);
  };
  check(0.263, 10 ** -0.3);
  check(0.22, 10 ** -0.75);
  let last = 0;
  for (let x = 0.3; x >= 0.1; x -= 0.01) {
    const phi = law.isolatedFraction(x);
    assert.ok(phi >= last && phi < 1);
    last = phi;
  }
});

test("particle contact loss: grows on charge, irreversible on discharge, area × (1 − φ), Li conserved", () => {
  const nca = getMaterial("NCA");
  const R = 2e-6;
  const sim = new ParticleSimulator({ material: nca, radius: R, contactLoss: nca.contactLoss });
  const area = 4 * Math.PI * R * R;
  runProtocol(sim, { steps: [cc("charge", 4.2), rest] });
  assert.equal(sim.isolatedFraction, 0); // x ≥ 0.3 everywhere at 4.2 V
  runProtocol(sim, { steps: [cc("charge", 4.6), rest] });
  const phi = sim.isolatedFraction;
  assert.ok(phi > 0.5, `φ after 4.6 V = ${phi}`);
  // the law at the lowest surface x reached (at rest surface ≈ mean, so ≥ law(present x))
  assert.ok(phi >= NCA_CONTACT_LOSS.isolatedFraction(sim.surfaceLithiumFraction) - 1e-12);
  assert.ok(Math.abs(sim.reactingArea / (area * (1 - phi)) - 1) < 1e-12);
  // Li bookkeeping: x̄·(whole volume) changes only by the charge passed
  const cMaxV = nca.maxConcentration * (4 / 3) * Math.PI * R ** 3;
  const x0 = sim.meanLithiumFraction;
  const q0 = sim.charge;
  runProtocol(sim, { steps: [cc("discharge", 3.6), rest] });
  assert.equal(sim.isolatedFraction, phi, "discharge must not heal the contact loss");
  const dx = -(sim.charge - q0) / (96485.33212 * cMaxV);
  assert.ok(Math.abs(sim.meanLithiumFraction - x0 - dx) < 2e-4, `${sim.meanLithiumFraction - x0} vs ${dx}`);
  // without the law nothing is isolated
  const plain = new ParticleSimulator({ material: nca, radius: R });
  runProtocol(plain, { steps: [cc("charge", 4.6)] });
  assert.equal(plain.isolatedFraction, 0);
  assert.ok(Math.abs(plain.reactingArea / area - 1) < 1e-14);
});

test("direction-dependent i0: charge table after charge, discharge table after discharge, kept at rest", () => {
  const m = getMaterial("NMC333");
  const R = 2e-6;
  const sim = new ParticleSimulator({ material: m, radius: R, directionalExchangeCurrent: {} });
  assert.equal(sim.chargeWeight, 1);
  runProtocol(sim, { steps: [cc("charge", 4.2), rest] });
  assert.ok(sim.chargeWeight > 1 - 1e-9);
  runProtocol(sim, { steps: [cc("discharge", 4.0), rest] });
  assert.ok(sim.chargeWeight < 1e-9, `w = ${sim.chargeWeight}`);
  // small-signal R_ct at rest = RT/(F·S·i0): the discharge table, √10 × the charge i0
  const x = sim.surfaceLithiumFraction;
  const i0d = m.dischargeExchangeCurrentDensity?.(x) ?? Number.NaN;
  assert.ok(Math.abs(i0d / m.exchangeCurrentDensity(x) - NMC111_DISCHARGE_FACTOR) < 1e-12);
  // a +1 mV potential step for 1 s charges the particle
  sim.setControl({ mode: "voltage", voltage: sim.voltage + 1e-3 });
  sim.advance({ endTime: sim.time + 1 });
  // the step charged the particle: the weight has switched to the charge table
  assert.ok(sim.chargeWeight > 0.99, `w after a charging step = ${sim.chargeWeight}`);
  // missing discharge table → InputError
  assert.throws(
    () =>
      new ParticleSimulator({ material: getMaterial("NMC811"), radius: R, directionalExchangeCurrent: {} }),
    /no discharge exchange current density/,
  );
});
