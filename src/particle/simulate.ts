/**
 * One-call simulation of a particle through a protocol, returning the time series, the
 * per-step table and a JSON-ready summary. Used by the CLI, the demo and the web app.
 */

import { type RunOptions, type RunResult, runProtocol } from "../protocol/runner.js";
import type { Protocol } from "../protocol/steps.js";
import { type ContactElement, type ImpedanceResult, logFrequencies, particleImpedance } from "./impedance.js";
import type { ParticleParameters } from "./parameters.js";
import { ParticleSimulator, type SolverStatistics } from "./simulator.js";

export interface SimulationSummary {
  material: string;
  /** Particle radius [m]. */
  radius: number;
  shells: number;
  /** Nominal capacity of the particle over the material window [C] and [mAh]. */
  nominalCapacity: { C: number; mAh: number };
  /** Charge passed on charge and discharge [C] and [mAh] (magnitudes). */
  chargeCapacity: { C: number; mAh: number };
  dischargeCapacity: { C: number; mAh: number };
  finalState: {
    time: number;
    voltage: number;
    current: number;
    surfaceLithiumFraction: number;
    meanLithiumFraction: number;
  };
  steps: RunResult["steps"];
  solver: SolverStatistics & { recordedPoints: number };
}

export interface SimulationOutput {
  simulator: ParticleSimulator;
  run: RunResult;
  /** Impedance spectra of the EIS steps, in order. */
  impedance: (ImpedanceResult & {
    step: number;
    time: number;
    voltage: number;
    meanLithiumFraction: number;
  })[];
  summary: SimulationSummary;
}

export interface SimulateOptions extends Omit<RunOptions, "eis"> {
  /** Contact R‖CPE added to simulated EIS spectra. */
  contact?: ContactElement;
}

const mAh = (c: number) => c / 3.6;

/** Simulate `protocol` on a new particle with `parameters`. Throws InputError on bad input. */
export function simulateParticle(
  parameters: ParticleParameters,
  protocol: Protocol,
  options: SimulateOptions = {},
): SimulationOutput {
  const simulator = new ParticleSimulator(parameters);
  const impedance: SimulationOutput["impedance"] = [];
  const run = runProtocol(simulator, protocol, {
    ...options,
    eis: (sim, step, index) => {
      const z = particleImpedance(sim, logFrequencies(step.fMax, step.fMin, step.perDecade), options.contact);
      const entry = {
        ...z,
        step: index,
        time: sim.time,
        voltage: sim.voltage,
        meanLithiumFraction: sim.meanLithiumFraction,
      };
      impedance.push(entry);
      return entry;
    },
  });
  const p = simulator.params;
  const s = simulator.state();
  const summary: SimulationSummary = {
    material: p.material.name,
    radius: p.radius,
    shells: p.shells,
    nominalCapacity: { C: p.nominalCapacity, mAh: mAh(p.nominalCapacity) },
    chargeCapacity: { C: run.chargeCapacity, mAh: mAh(run.chargeCapacity) },
    dischargeCapacity: { C: run.dischargeCapacity, mAh: mAh(run.dischargeCapacity) },
    finalState: {
      time: s.time,
      voltage: s.voltage,
      current: s.current,
      surfaceLithiumFraction: s.surfaceLithiumFraction,
      meanLithiumFraction: s.meanLithiumFraction,
    },
    steps: run.steps,
    solver: { ...simulator.stats, recordedPoints: run.series.time.length },
  };
  return { simulator, run, impedance, summary };
}
