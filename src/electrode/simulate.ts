/**
 * One-call electrode study: build (or take) a microstructure, run the network model through a
 * protocol, and summarise it in a JSON-ready object. Used by the CLI, the sweep workers and
 * the benchmark. Pure computation.
 */
import type { Material } from "../materials/material.js";
import type { Protocol } from "../protocol/steps.js";
import {
  describeMicrostructure,
  type GeneratorOptions,
  generateMicrostructure,
  type Microstructure,
} from "./microstructure.js";
import { type ElectrodeParameters, ElectrodeSimulator, type ElectrodeStatistics } from "./model.js";
import {
  type ElectrodeRunOptions,
  type ElectrodeRunResult,
  runElectrodeProtocol,
  type SynchronyRow,
} from "./run.js";

export interface ElectrodeStudyOptions {
  material: Material;
  protocol: Protocol;
  /** A given microstructure, or options to generate one. */
  microstructure: Microstructure | GeneratorOptions;
  /** Model options (shells, κ, D overrides, tolerances …). */
  model?: Omit<ElectrodeParameters, "material" | "microstructure">;
  run?: ElectrodeRunOptions;
}

export interface ElectrodeSummary {
  material: string;
  microstructure: ReturnType<typeof describeMicrostructure>;
  /** Nominal electrode capacity over the material window [C] and [mAh]. */
  nominalCapacity: { C: number; mAh: number };
  cycles: {
    cycle: number;
    chargeCapacity_mAh: number;
    dischargeCapacity_mAh: number;
    coulombicEfficiency: number | null;
  }[];
  /** 1 − Q_dis/Q_ch of the first cycle (null without a complete first cycle). */
  firstCycleLoss: number | null;
  synchrony: (Omit<
    SynchronyRow,
    "onsetSocIqr" | "onsetSocStd" | "onsetTimeIqr" | "medianOnsetSoc" | "dispersion" | "medianSwitchTime"
  > & {
    onsetSocIqr: number | null;
    onsetSocStd: number | null;
    onsetTimeIqr_h: number | null;
    medianOnsetSoc: number | null;
    dispersion: number | null;
    /** Median switch duration (10 → 90 % of the surface-x change) [h]. */
    medianSwitch_h: number | null;
  })[];
  /** First-charge onset-SOC IQR divided by the mean of the later charges' (null if undefined). */
  synchronyRatio: number | null;
  steps: {
    type: string;
    text: string;
    cycle: number;
    reason: string;
    start_h: number;
    end_h: number;
    charge_mAh: number;
    endVoltage: number;
    endSoc: number;
  }[];
  conservation: { maxCurrentMismatch: number; lithiumBalanceRelative: number };
  solver: ElectrodeStatistics & { shells: number; snapshots: number; seriesPoints: number };
}

const mAh = (c: number) => c / 3.6;
const finite = (v: number) => (Number.isFinite(v) ? v : null);

export interface ElectrodeStudy {
  microstructure: Microstructure;
  simulator: ElectrodeSimulator;
  result: ElectrodeRunResult;
  summary: ElectrodeSummary;
}

/** Run a study (see ElectrodeStudyOptions). Throws InputError on bad input. */
export function simulateElectrode(options: ElectrodeStudyOptions): ElectrodeStudy {
  const ms =
    "particles" in options.microstructure && typeof options.microstructure.particles === "number"
      ? generateMicrostructure(options.microstructure as GeneratorOptions)
      : (options.microstructure as Microstructure);
  const simulator = new ElectrodeSimulator({
    ...options.model,
    material: options.material,
    microstructure: ms,
  });
  const lithium0 = simulator.lithiumContent;
  const result = runElectrodeProtocol(simulator, options.protocol, options.run);
  return {
    microstructure: ms,
    simulator,
    result,
    summary: summarizeElectrode(simulator, result, ms, lithium0),
  };
}

/** JSON-ready summary of a run. */
export function summarizeElectrode(
  sim: ElectrodeSimulator,
  r: ElectrodeRunResult,
  ms: Microstructure,
  lithium0 = r.lithium.initial,
): ElectrodeSummary {
  const charges = r.synchrony.filter((s) => s.direction === "charge");
  let ratio: number | null = null;
  if (charges.length >= 2 && Number.isFinite(charges[0].onsetSocIqr)) {
    const later = charges
      .slice(1)
      .map((c) => c.onsetSocIqr)
      .filter(Number.isFinite);
    const mean = later.reduce((a, b) => a + b, 0) / Math.max(later.length, 1);
    ratio = later.length > 0 && mean > 0 ? charges[0].onsetSocIqr / mean : null;
  }
  const dLi = lithium0 - r.lithium.final;
  return {
    material: sim.material.name,
    microstructure: describeMicrostructure(ms),
    nominalCapacity: { C: sim.nominalCapacity, mAh: mAh(sim.nominalCapacity) },
    cycles: r.cycles.map((c) => ({
      cycle: c.cycle,
      chargeCapacity_mAh: mAh(c.chargeCapacity),
      dischargeCapacity_mAh: Number.isFinite(c.dischargeCapacity) ? mAh(c.dischargeCapacity) : 0,
      coulombicEfficiency: finite(c.coulombicEfficiency),
    })),
    firstCycleLoss: finite(r.firstCycleLoss),
    synchrony: r.synchrony.map((s) => ({
      halfCycle: s.halfCycle,
      direction: s.direction,
      reactedFraction: s.reactedFraction,
      onsetSocIqr: finite(s.onsetSocIqr),
      onsetSocStd: finite(s.onsetSocStd),
      onsetTimeIqr_h: finite(s.onsetTimeIqr / 3600),
      medianOnsetSoc: finite(s.medianOnsetSoc),
      dispersion: finite(s.dispersion),
      medianSwitch_h: finite(s.medianSwitchTime / 3600),
    })),
    synchronyRatio: ratio,
    steps: r.steps.map((s) => ({
      type: s.type,
      text: s.text,
      cycle: s.cycle,
      reason: s.reason,
      start_h: s.startTime / 3600,
      end_h: s.endTime / 3600,
      charge_mAh: mAh(s.charge),
      endVoltage: s.endVoltage,
      endSoc: s.endStateOfCharge,
    })),
    conservation: {
      maxCurrentMismatch: r.maxCurrentMismatch,
      lithiumBalanceRelative:
        r.lithium.chargeOverF !== 0 ? Math.abs(dLi / r.lithium.chargeOverF - 1) : Math.abs(dLi),
    },
    solver: {
      ...sim.stats,
      shells: sim.shells,
      snapshots: r.snapshots.samples,
      seriesPoints: r.series.time.length,
    },
  };
}
