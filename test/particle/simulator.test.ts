import assert from "node:assert/strict";
import { test } from "node:test";
import { pittEigenvalues } from "../../src/analysis/pitt/eigenvalues.js";
import { FARADAY, GAS_CONSTANT } from "../../src/constants.js";
import { radialGrid } from "../../src/particle/grid.js";
import { ParticleSimulator } from "../../src/particle/simulator.js";
import { runProtocol } from "../../src/protocol/runner.js";
import { idealMaterial } from "../helpers/materials.js";

const RT = GAS_CONSTANT * 298.15;

/** Roots of tan a = a on (nπ, nπ + π/2), n ≥ 1, by bisection (Crank 1975 eqn 6.20 family). */
function tanRoots(count: number): Float64Array {
  const out = new Float64Array(count);
  for (let n = 1; n <= count; n++) {
    let lo = n * Math.PI + 1e-12;
    let hi = n * Math.PI + Math.PI / 2 - 1e-12;
    for (let k = 0; k < 200; k++) {
      const m = 0.5 * (lo + hi);
      if (Math.tan(m) - m > 0) hi = m;
      else lo = m;
    }
    out[n - 1] = 0.5 * (lo + hi);
  }
  return out;
}

/**
 * Surface concentration change for a constant flux J [mol/(m²·s)] leaving a sphere,
 * constant D (Crank 1975, eqn 6.47 rearranged):
 * c(R,t) − c0 = −(J R/D)[3Dt/R² + 1/5 − 2 Σ exp(−α_n² D t/R²)/α_n²], tan α_n = α_n.
 */
function crankSurface(J: number, R: number, D: number, t: number): number {
  const roots = tanRoots(400);
  const T = (D * t) / (R * R);
  let s = 0;
  for (const a of roots) s += Math.exp(-a * a * T) / (a * a);
  return -((J * R) / D) * (3 * T + 0.2 - 2 * s);
}

test("grid: control volumes sum to the sphere volume and faces are between nodes", () => {
  for (const refinement of [1, 10]) {
    const g = radialGrid(5e-6, 17, refinement);
    const total = g.volumes.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total / ((4 / 3) * Math.PI * 5e-6 ** 3) - 1) < 1e-13);
    assert.equal(g.nodes[0], 0);
    assert.equal(g.nodes[17], 5e-6);
    assert.ok(Math.abs(g.spacings[0] / g.spacings[16] - refinement) < 1e-9);
  }
});

test("constant-D galvanostatic charge converges to Crank's series at second order in space", () => {
  const R = 10e-6;
  const D = 1e-14;
  const cMax = 50000;
  const material = idealMaterial({ diffusivity: D, maxConcentration: cMax });
  const I = 1e-9; // A, ≈ C/3 for this particle
  const tEnd = (0.2 * R * R) / D;
  const J = I / (4 * Math.PI * R * R) / FARADAY;
  const exact = 0.9 + crankSurface(J, R, D, tEnd) / cMax;
  const errors: number[] = [];
  for (const shells of [10, 20, 40]) {
    const sim = new ParticleSimulator({
      material,
      radius: R,
      shells,
      initialLithiumFraction: 0.9,
      relativeTolerance: 1e-7,
      absoluteTolerance: 1e-9,
    });
    sim.setControl({ mode: "current", current: I });
    sim.advance({ endTime: tEnd });
    errors.push(Math.abs(sim.surfaceLithiumFraction - exact));
  }
  // halving Δr must cut the error by ≈4 (second order); allow 3.2–5 for the time-error floor
  for (let k = 1; k < errors.length; k++) {
    const ratio = errors[k - 1] / errors[k];
    assert.ok(ratio > 3.2 && ratio < 5.5, `error ratio ${ratio} (errors ${errors})`);
  }
  // default resolution (20 shells, default tolerances): surface x within 1e-4 of the series
  const sim = new ParticleSimulator({ material, radius: R, initialLithiumFraction: 0.9 });
  sim.setControl({ mode: "current", current: I });
  sim.advance({ endTime: tEnd });
  const err = Math.abs(sim.surfaceLithiumFraction - exact);
  assert.ok(err < 1e-4, `default-resolution surface error ${err}`);
});

test("time-step error falls as the tolerance is tightened (BDF2 order ≈ 2)", () => {
  const R = 10e-6;
  const D = 1e-14;
  const material = idealMaterial({ diffusivity: D });
  const I = 1e-9;
  const tEnd = (0.1 * R * R) / D;
  const run = (rtol: number) => {
    const sim = new ParticleSimulator({
      material,
      radius: R,
      shells: 20,
      initialLithiumFraction: 0.9,
      relativeTolerance: rtol,
      absoluteTolerance: rtol,
    });
    sim.setControl({ mode: "current", current: I });
    sim.advance({ endTime: tEnd });
    return { x: sim.surfaceLithiumFraction, steps: sim.stats.acceptedSteps };
  };
  const ref = run(1e-10).x;
  const a = run(1e-4);
  const b = run(1e-6);
  const ea = Math.abs(a.x - ref);
  const eb = Math.abs(b.x - ref);
  // for a 2nd-order method with err ∝ h², tolerance ×100 smaller → steps ×≈(100)^(1/3)
  assert.ok(eb < ea / 10, `errors ${ea} → ${eb}`);
  assert.ok(b.steps > a.steps);
});

test("lithium balance: integrated current equals change of Li and double-layer charge to 1e-10", () => {
  const material = idealMaterial({
    diffusivity: 3e-15,
    exchangeCurrentDensity: 0.5,
    doubleLayerCapacitance: 0.2,
  });
  const sim = new ParticleSimulator({
    material,
    radius: 8e-6,
    initialLithiumFraction: 0.95,
    filmResistance: 1e-3,
    ohmicResistance: 50,
  });
  const n0 = sim.lithiumContent;
  const q0 = sim.doubleLayerCharge;
  const result = runProtocol(sim, {
    steps: [
      { type: "cc", direction: "charge", current: { cRate: 1 }, until: [{ kind: "voltage", voltage: 4.3 }] },
      { type: "cv", voltage: 4.3, until: [{ kind: "current", below: { cRate: 0.05 } }] },
      { type: "rest", until: [{ kind: "time", duration: 1800 }] },
      {
        type: "cc",
        direction: "discharge",
        current: { cRate: 0.5 },
        until: [{ kind: "time", duration: 3000 }],
      },
      { type: "pitt", deltaV: 0.015, until: [{ kind: "time", duration: 3600 }] },
    ],
  });
  const passed = sim.charge; // consistent (BDF) quadrature of I(t)
  const stored = -(sim.lithiumContent - n0) * FARADAY + (sim.doubleLayerCharge - q0);
  assert.ok(Math.abs(passed - stored) / Math.abs(passed) < 1e-10, `passed ${passed} C, stored ${stored} C`);
  // the per-step charges add up to the total
  const sum = result.steps.reduce((a, s) => a + s.charge, 0);
  assert.ok(Math.abs(sum - passed) < 1e-12 * Math.abs(passed) + 1e-18);
  // constant-current steps: charge equals I·Δt exactly (trapezoid of a constant)
  const cc = result.steps[0];
  const Icc = (1 * sim.params.nominalCapacity) / 3600;
  assert.ok(Math.abs(cc.charge - Icc * (cc.endTime - cc.startTime)) < 1e-10 * Math.abs(cc.charge));
});

test("relaxation: after a long rest V equals U(x_mean) within 0.1 mV", () => {
  const material = idealMaterial({
    diffusivity: 1e-14,
    exchangeCurrentDensity: 0.2,
    doubleLayerCapacitance: 0.2,
  });
  const sim = new ParticleSimulator({ material, radius: 10e-6, initialLithiumFraction: 0.9 });
  runProtocol(sim, {
    steps: [
      { type: "cc", direction: "charge", current: { cRate: 2 }, until: [{ kind: "time", duration: 900 }] },
      { type: "rest", until: [{ kind: "time", duration: 20 * 3600 }] },
    ],
  });
  const u = sim.params.openCircuitPotential(sim.meanLithiumFraction);
  assert.ok(Math.abs(sim.voltage - u) < 1e-4, `V − U(x̄) = ${sim.voltage - u} V`);
});

test("small potentiostatic step with linearised kinetics matches the PITT series within 1 % over 3 decades", () => {
  const R = 10e-6;
  const D = 1e-14;
  const cMax = 50000;
  const slope = -1; // dU/dx [V]
  const dUdc = Math.abs(slope) / cMax; // |∂U/∂c| [V·m³/mol]
  for (const biot of [0.5, 3]) {
    // B = R i0 |∂U/∂c| / (D R T) (seed 000 eqn 4) → i0
    const i0 = (biot * D * RT) / (R * dUdc);
    const material = idealMaterial({
      diffusivity: D,
      maxConcentration: cMax,
      ocvSlope: slope,
      exchangeCurrentDensity: i0,
    });
    const sim = new ParticleSimulator({
      material,
      radius: R,
      shells: 80,
      refinement: 8,
      initialLithiumFraction: 0.6,
      // the signal is Δx ≈ 1e-3 on x ≈ 0.6: tolerances well below 1e-2·Δx
      relativeTolerance: 1e-9,
      absoluteTolerance: 1e-10,
    });
    const dV = 1e-3; // 1 mV: Butler–Volmer linear to ≈(FΔV/RT)²/24 ≈ 6e-5 relative
    const v0 = sim.voltage;
    sim.setControl({ mode: "voltage", voltage: v0 + dV });
    const Q = (FARADAY * (4 / 3) * Math.PI * R ** 3 * dV) / dUdc; // ΔQ = F V_p Δc
    const tau = (R * R) / D;
    const b = pittEigenvalues("sphere", biot, 400);
    const series = (t: number) => {
      let s = 0;
      for (const bn of b) s += (biot * biot * Math.exp((-bn * bn * t) / tau)) / (bn * bn + biot * (biot - 1));
      return ((6 * Q) / tau) * s;
    };
    let worst = 0;
    for (const frac of [1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1]) {
      const t = frac * tau;
      sim.advance({ endTime: t });
      const rel = Math.abs(sim.current / series(t) - 1);
      if (process.env.DEBUG_PITT) console.log(biot, frac, sim.current, series(t), rel);
      worst = Math.max(worst, rel);
    }
    assert.ok(worst < 0.01, `B = ${biot}: worst relative deviation ${worst}`);
  }
});

test("events: a voltage cut-off is met within 0.1 mV and not overshot", () => {
  const material = idealMaterial({ diffusivity: 5e-15, exchangeCurrentDensity: 0.3 });
  for (const cut of [4.05, 4.2, 4.33]) {
    const sim = new ParticleSimulator({ material, radius: 6e-6, initialLithiumFraction: 0.95 });
    const r = runProtocol(sim, {
      steps: [
        {
          type: "cc",
          direction: "charge",
          current: { cRate: 1 },
          until: [{ kind: "voltage", voltage: cut }],
        },
      ],
    });
    assert.equal(r.steps[0].reason, "voltage");
    assert.ok(Math.abs(sim.voltage - cut) < 1e-4, `V = ${sim.voltage} for cut-off ${cut}`);
    const vmax = Math.max(...r.series.voltage);
    assert.ok(vmax <= cut + 1e-4, `overshoot ${vmax - cut} V`);
  }
  // the same for a discharge and for a current cut-off of a CV hold
  const sim = new ParticleSimulator({ material, radius: 6e-6, initialLithiumFraction: 0.5 });
  const r = runProtocol(sim, {
    steps: [
      {
        type: "cc",
        direction: "discharge",
        current: { cRate: 0.5 },
        until: [{ kind: "voltage", voltage: 3.9 }],
      },
      { type: "cv", voltage: 3.9, until: [{ kind: "current", below: { cRate: 0.01 } }] },
    ],
  });
  assert.ok(Math.abs(r.steps[0].endVoltage - 3.9) < 1e-4);
  const target = (0.01 * sim.params.nominalCapacity) / 3600;
  assert.equal(r.steps[1].reason, "current");
  assert.ok(Math.abs(Math.abs(r.steps[1].endCurrent) / target - 1) < 1e-4);
});

test("rest until |dV/dt| below a threshold ends where the rate crosses it", () => {
  const material = idealMaterial({ diffusivity: 1e-14, exchangeCurrentDensity: 0.3 });
  const sim = new ParticleSimulator({ material, radius: 10e-6, initialLithiumFraction: 0.9 });
  const thr = 3e-3 / 3600; // 3 mV/h
  const r = runProtocol(sim, {
    steps: [
      { type: "cc", direction: "charge", current: { cRate: 0.5 }, until: [{ kind: "time", duration: 1800 }] },
      {
        type: "rest",
        until: [
          { kind: "voltageRate", rate: thr },
          { kind: "time", duration: 10 * 3600 },
        ],
      },
    ],
  });
  assert.equal(r.steps[1].reason, "voltageRate");
  // the rate of the recorded V(t) just before the end is ≥ the threshold and ≈ it at the end
  const s = r.series;
  const n = s.time.length;
  const rate = Math.abs((s.voltage[n - 1] - s.voltage[n - 2]) / (s.time[n - 1] - s.time[n - 2]));
  assert.ok(rate < 1.5 * thr && rate > 0.5 * thr, `rate ${rate} vs ${thr}`);
});

test("isolated fraction and active area: capacity scales, kinetics see the reacting area", () => {
  const material = idealMaterial({ diffusivity: 1e-14, exchangeCurrentDensity: 0.3 });
  const whole = new ParticleSimulator({ material, radius: 5e-6, initialLithiumFraction: 0.9 });
  const part = new ParticleSimulator({
    material,
    radius: 5e-6,
    initialLithiumFraction: 0.9,
    isolatedFraction: 0.25,
  });
  const I = 2e-10;
  whole.setControl({ mode: "current", current: I });
  part.setControl({ mode: "current", current: I * 0.75 });
  whole.advance({ endTime: 2000 });
  part.advance({ endTime: 2000 });
  // the connected 75 % behaves as the whole particle at 75 % of the current
  assert.ok(Math.abs(part.surfaceLithiumFraction - whole.surfaceLithiumFraction) < 1e-9);
  assert.ok(Math.abs(part.voltage - whole.voltage) < 1e-7);
  assert.ok(Math.abs(0.9 - part.meanLithiumFraction - 0.75 * (0.9 - whole.meanLithiumFraction)) < 1e-12);
  assert.equal(part.reactingArea, 0.75 * whole.reactingArea);
});
