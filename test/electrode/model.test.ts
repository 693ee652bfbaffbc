import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  COLLECTOR,
  EdgeKind,
  generateMicrostructure,
  type Microstructure,
} from "../../src/electrode/microstructure.js";
import { ElectrodeSimulator } from "../../src/electrode/model.js";
import { runElectrodeProtocol } from "../../src/electrode/run.js";
import { InputError } from "../../src/errors.js";
import { getMaterial } from "../../src/materials/index.js";
import { ParticleSimulator } from "../../src/particle/simulator.js";
import { parseProtocol } from "../../src/protocol/parse.js";

const NMC532 = getMaterial("NMC532");

/** One particle touching the collector through a contact of radius 1 m (perfect contact). */
function singleParticle(R: number): Microstructure {
  return {
    dimension: 3,
    box: [2 * R, 2 * R, 2 * R],
    particles: {
      count: 1,
      x: Float64Array.of(R),
      y: Float64Array.of(R),
      z: Float64Array.of(R),
      radius: Float64Array.of(R),
      parent: Int32Array.of(-1),
      covered: Uint8Array.of(1),
    },
    carbon: { count: 0, x: new Float64Array(0), y: new Float64Array(0), z: new Float64Array(0) },
    edges: {
      count: 1,
      a: Int32Array.of(0),
      b: Int32Array.of(COLLECTOR),
      kind: Uint8Array.of(EdgeKind.ParticleCollector),
      size: Float64Array.of(1),
    },
  };
}

describe("ElectrodeSimulator limits", () => {
  it("one particle with a perfect contact reproduces the single-particle model", () => {
    // Same grid (10 shells, refinement 4), same tables, no double layer in the particle model;
    // contact G = 4·1e12 S/m·1 m, so the contact drop is ~1e-24 V. Differences are time-
    // integration error only: both run at tight tolerances (2e-6 here, 5e-7 for the particle).
    const R = 5e-6;
    const e = new ElectrodeSimulator({
      material: NMC532,
      microstructure: singleParticle(R),
      shells: 10,
      refinement: 4,
      carbonConductivity: 1e12,
      absoluteTolerance: 2e-6,
      relativeTolerance: 2e-6,
    });
    const p = new ParticleSimulator({
      material: NMC532,
      radius: R,
      shells: 10,
      refinement: 4,
      doubleLayerCapacitance: 0,
      absoluteTolerance: 5e-7,
      relativeTolerance: 5e-7,
    });
    assert.ok(Math.abs(e.nominalCapacity / p.params.nominalCapacity - 1) < 1e-14);
    const I = e.nominalCapacity / 20 / 3600;
    e.setControl({ mode: "current", current: I });
    p.setControl({ mode: "current", current: I });
    const te: number[] = [];
    const ve: number[] = [];
    e.advance({ voltageAbove: 4.3 }, (s) => {
      te.push(s.time);
      ve.push(s.voltage);
    });
    // sample the particle model exactly at the electrode's step times (no interpolation)
    let maxDiff = 0;
    let tWorst = 0;
    for (let k = 0; k < te.length; k++) {
      if (te[k] < 60 || te[k] > e.time - 1) continue;
      p.advance({ endTime: te[k] });
      const d = Math.abs(p.voltage - ve[k]);
      if (d > maxDiff) {
        maxDiff = d;
        tWorst = te[k];
      }
    }
    p.advance({ voltageAbove: 4.3 });
    // measured 0.04 mV (largest near 5 min, where the OCV is steepest); tolerance 0.2 mV
    assert.ok(maxDiff < 2e-4, `max |ΔV| = ${maxDiff} V at t = ${tWorst} s`);
    // time to 4.3 V: within 1e-5 relative (≈0.7 s of 19.9 h)
    assert.ok(Math.abs(e.time / p.time - 1) < 1e-5, `${e.time} vs ${p.time}`);
  });

  it("conserves charge: Σ I_p = I every step and ΔLi = ∫I dt/F to round-off", () => {
    const ms = generateMicrostructure({ particles: 40, seed: 3, coverage: 0.5 });
    const sim = new ElectrodeSimulator({ material: NMC532, microstructure: ms });
    const r = runElectrodeProtocol(
      sim,
      parseProtocol(
        "Charge at C/20 for 3 h; Hold at 3.7 V for 1 h; Rest for 30 min; Discharge at C/10 until 3.0 V",
      ),
    );
    // Σ I_p vs the applied current: the bordered constraint holds to round-off (~1e-13 relative)
    assert.ok(r.maxCurrentMismatch < 1e-10, `${r.maxCurrentMismatch}`);
    // Li content change vs the integrated terminal charge / F (consistent BDF2 charge quadrature;
    // the finite-volume fluxes telescope): round-off level
    const dLi = r.lithium.initial - r.lithium.final;
    assert.ok(Math.abs(dLi / r.lithium.chargeOverF - 1) < 1e-9, `${dLi} vs ${r.lithium.chargeOverF}`);
    // the rest passes no current
    const rest = r.steps.find((s) => s.type === "rest");
    assert.ok(rest && Math.abs(rest.charge) < 1e-12 * sim.nominalCapacity);
    // the CV hold ends at its voltage
    const cv = r.steps.find((s) => s.type === "cv");
    assert.ok(cv && Math.abs(cv.endVoltage - 3.7) < 1e-12);
  });

  it("stops at cut-off voltages and CV currents", () => {
    // direct carbon contacts: with the default (current through pristine particle bodies) C/5
    // exceeds what the pristine network passes and the voltage jumps past 4.2 V at t = 0
    const ms = generateMicrostructure({ particles: 20, seed: 1, coverage: 0.6 });
    const sim = new ElectrodeSimulator({ material: NMC532, microstructure: ms, directCarbonContacts: true });
    const r = runElectrodeProtocol(sim, parseProtocol("Charge at C/5 until 4.2 V; Hold at 4.2 V until C/20"));
    assert.equal(r.steps[0].reason, "voltage");
    assert.ok(Math.abs(r.steps[0].endVoltage - 4.2) < 2e-5);
    assert.equal(r.steps[1].reason, "current");
    const iEnd = Math.abs(r.steps[1].endCurrent);
    const target = sim.nominalCapacity / 20 / 3600;
    assert.ok(Math.abs(iEnd / target - 1) < 1e-4, `${iEnd} vs ${target}`);
  });

  it("rejects bad parameters and protocols", () => {
    const ms = generateMicrostructure({ particles: 10, seed: 1 });
    assert.throws(
      () => new ElectrodeSimulator({ material: NMC532, microstructure: ms, shells: 1 }),
      InputError,
    );
    assert.throws(
      () => new ElectrodeSimulator({ material: NMC532, microstructure: ms, conductivityScale: -1 }),
      InputError,
    );
    const sim = new ElectrodeSimulator({ material: NMC532, microstructure: ms });
    assert.throws(() => runElectrodeProtocol(sim, parseProtocol("Hold at 5.5 V for 1 h")), InputError);
    assert.throws(
      () => runElectrodeProtocol(sim, parseProtocol("EIS from 100 kHz to 1 Hz, 5 per decade, 10 mV")),
      InputError,
    );
  });
});
