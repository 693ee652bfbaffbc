/**
 * A whole PITT record (successive potential steps, seed 000: +15 mV steps after relaxation):
 * split it at the voltage steps and fit each step's current transient, giving D, B, i0 and
 * |∂U/∂c| per step over charge/x (SPEC §4 "per-step tables over SOC").
 */
import { FARADAY } from "../../constants.js";
import { InputError } from "../../errors.js";
import { type FitPittOptions, fitPitt, type PittFitResult } from "./fit.js";

export interface PittStepSegment {
  /** First sample at the new potential, and one past the last. */
  start: number;
  end: number;
  /** Time of the step: the last sample at the old potential [s]. */
  stepTime: number;
  /** Potential before and after the step [V]. */
  voltageBefore: number;
  voltage: number;
}

/**
 * Find potential steps: a jump |V_i − V_{i−1}| ≥ minStep starts a new step, which runs to the
 * next jump. The first block (before any jump) is not a step and is skipped.
 * @param minStep smallest step [V] (default 2 mV; seed 000 used 15 mV)
 */
export function segmentPittSteps(
  time: ArrayLike<number>,
  voltage: ArrayLike<number>,
  minStep = 2e-3,
): PittStepSegment[] {
  const n = time.length;
  const starts: number[] = [];
  for (let i = 1; i < n; i++) if (Math.abs(voltage[i] - voltage[i - 1]) >= minStep) starts.push(i);
  return starts.map((start, k) => ({
    start,
    end: k + 1 < starts.length ? starts[k + 1] : n,
    stepTime: time[start - 1],
    voltageBefore: voltage[start - 1],
    voltage: voltage[start],
  }));
}

export interface PittRecordOptions extends Omit<FitPittOptions, "stepVoltage" | "Q"> {
  /** Smallest potential step [V] (default 2 mV). */
  minStep?: number;
  /** Moles of host in the particle [mol], to convert the cumulative charge into x. */
  hostMoles?: number;
  /** x before the first step (default 1 with hostMoles). */
  initialX?: number;
}

export interface PittStepResult extends PittStepSegment {
  index: number;
  /** ΔV of the step [V]. */
  stepVoltage: number;
  /** Samples in the step. */
  nPoints: number;
  /** Cumulative fitted step charge up to the end of this step [C]. */
  cumulativeCharge: number;
  /** x after the step (hostMoles given). */
  x?: number;
  /** The fit, or why there is none. */
  fit?: PittFitResult;
  error?: string;
}

/**
 * Fit every step of a PITT record. For a sphere without `dUdc`, each step's |∂U/∂c| comes from
 * its own ΔV and fitted ΔQ (see `FitPittOptions.stepVoltage`). A step whose fit fails on bad
 * input gets `error` instead of `fit`; the others go on.
 */
export function fitPittRecord(
  time: ArrayLike<number>,
  current: ArrayLike<number>,
  voltage: ArrayLike<number>,
  options: PittRecordOptions,
): PittStepResult[] {
  if (time.length !== current.length || time.length !== voltage.length) {
    throw new InputError("time, current and voltage differ in length", { field: "voltage" });
  }
  const steps = segmentPittSteps(time, voltage, options.minStep);
  if (steps.length === 0) {
    throw new InputError("no potential step found in the voltage column", {
      field: "voltage",
      expected: `jumps of at least ${((options.minStep ?? 2e-3) * 1e3).toPrecision(3)} mV`,
    });
  }
  let cumulative = 0;
  return steps.map((seg, index) => {
    const m = seg.end - seg.start;
    const t = new Float64Array(m);
    const I = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      t[k] = time[seg.start + k] - seg.stepTime;
      I[k] = current[seg.start + k];
    }
    const row: PittStepResult = {
      ...seg,
      index,
      stepVoltage: seg.voltage - seg.voltageBefore,
      nPoints: m,
      cumulativeCharge: cumulative,
    };
    try {
      row.fit = fitPitt(t, I, {
        ...options,
        stepVoltage: options.dUdc === undefined ? row.stepVoltage : undefined,
      });
      cumulative += row.fit.Q.value;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      row.error = error.message;
    }
    row.cumulativeCharge = cumulative;
    if (options.hostMoles !== undefined)
      row.x = (options.initialX ?? 1) - cumulative / (FARADAY * options.hostMoles);
    return row;
  });
}
