/**
 * Protocol runner: drives a ParticleSimulator through a protocol (SPEC §3.2), records the
 * time series and a summary of every step. Pure computation, no I/O.
 */
import { InputError } from "../errors.js";
import type { ParticleSimulator, StopConditions, StopReason } from "../particle/simulator.js";
import type { CurrentSpec, Protocol, SourceSpan, Step, StopCondition } from "./steps.js";

/** Growable column store for the recorded time series (doubling typed arrays). */
export class SeriesRecorder {
  length = 0;
  time = new Float64Array(256);
  current = new Float64Array(256);
  voltage = new Float64Array(256);
  surfaceLithiumFraction = new Float64Array(256);
  meanLithiumFraction = new Float64Array(256);
  step = new Int32Array(256);

  push(time: number, current: number, voltage: number, xs: number, xm: number, step: number): void {
    if (this.length === this.time.length) this.grow();
    const i = this.length++;
    this.time[i] = time;
    this.current[i] = current;
    this.voltage[i] = voltage;
    this.surfaceLithiumFraction[i] = xs;
    this.meanLithiumFraction[i] = xm;
    this.step[i] = step;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const g = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.time = g(this.time);
    this.current = g(this.current);
    this.voltage = g(this.voltage);
    this.surfaceLithiumFraction = g(this.surfaceLithiumFraction);
    this.meanLithiumFraction = g(this.meanLithiumFraction);
    this.step = g(this.step);
  }

  /** Trimmed copies of the columns. */
  columns(): TimeSeriesColumns {
    const n = this.length;
    return {
      time: this.time.slice(0, n),
      current: this.current.slice(0, n),
      voltage: this.voltage.slice(0, n),
      surfaceLithiumFraction: this.surfaceLithiumFraction.slice(0, n),
      meanLithiumFraction: this.meanLithiumFraction.slice(0, n),
      step: this.step.slice(0, n),
    };
  }
}

export interface TimeSeriesColumns {
  /** Time [s]. */
  time: Float64Array;
  /** Terminal current [A], positive = charge. */
  current: Float64Array;
  /** Terminal voltage [V]. */
  voltage: Float64Array;
  /** Surface Li fraction. */
  surfaceLithiumFraction: Float64Array;
  /** Mean Li fraction. */
  meanLithiumFraction: Float64Array;
  /** Index of the executed step (0-based, into `steps`). */
  step: Int32Array;
}

/** Summary of one executed step. */
export interface StepSummary {
  /** 0-based index in execution order (repeats expanded). */
  index: number;
  /** Step type (`cc`, `cv`, `rest`, `pitt`, `gitt-pulse`, `gitt-rest`, `eis`). */
  type: string;
  /** Canonical text of the step as written in the protocol, when known. */
  text: string;
  /** Repeat iteration (0-based) for steps inside `Repeat`, else 0. */
  cycle: number;
  startTime: number;
  endTime: number;
  /** Why it ended. */
  reason: StopReason | "completed";
  /** Charge passed during the step [C] (positive = charge). */
  charge: number;
  startVoltage: number;
  endVoltage: number;
  endCurrent: number;
  endMeanLithiumFraction: number;
  endSurfaceLithiumFraction: number;
}

/** Handler for EIS steps (the kinetics module supplies the small-signal solver). */
export type EisHandler = (
  sim: ParticleSimulator,
  step: Extract<Step, { type: "eis" }>,
  index: number,
) => unknown;

export interface RunOptions {
  /** Called after each accepted solver step with overall progress 0…1 (by step count). */
  onProgress?: (fraction: number, stepIndex: number, time: number) => void;
  /** Upper bound on solver step size [s] (for smooth plots); default unbounded. */
  maxStep?: number;
  /** Record every accepted solver step (default true). */
  record?: boolean;
  /** EIS handler; without one an EIS step is an InputError. */
  eis?: EisHandler;
}

export interface RunResult {
  series: TimeSeriesColumns;
  steps: StepSummary[];
  /** Results returned by the EIS handler, in order. */
  eis: unknown[];
  /** Total charge passed on charge / discharge [C] (magnitudes). */
  chargeCapacity: number;
  dischargeCapacity: number;
}

function currentMagnitude(sim: ParticleSimulator, spec: CurrentSpec): number {
  return "cRate" in spec ? (spec.cRate * sim.params.nominalCapacity) / 3600 : spec.current;
}

function where(source?: SourceSpan) {
  return source ? { line: source.line, column: source.column } : {};
}

/**
 * Largest applied current accepted, as a C-rate of the particle's nominal capacity [1/h].
 * 50C empties a particle in 72 s; anything above is almost always a unit slip (amperes for a
 * cell applied to one particle: "Charge at 1 A" on a 13 µm particle is ~1e9 C and would end
 * after picoseconds).
 */
export const MAX_C_RATE = 50;

/**
 * Throw an InputError naming the step (line) when an applied current (CC, CCCV or GITT pulse)
 * implies more than `maxCRate` times the nominal capacity `capacity` [C] per hour.
 */
export function checkAppliedCurrents(protocol: Protocol, capacity: number, maxCRate = MAX_C_RATE): void {
  const visit = (steps: readonly Step[]) => {
    for (const s of steps) {
      if (s.type === "repeat") {
        visit(s.steps);
        continue;
      }
      if (s.type !== "cc" && s.type !== "cccv" && s.type !== "gitt") continue;
      const spec = s.current;
      const cRate = "cRate" in spec ? spec.cRate : (spec.current * 3600) / capacity;
      if (cRate > maxCRate) {
        const given = "cRate" in spec ? `${spec.cRate}C` : `${spec.current} A`;
        const step = s.source ? `"${s.source.text.trim()}"` : `the ${s.type} step`;
        throw new InputError(
          `${step}: the applied current ${given} is ${cRate.toPrecision(3)}C for this particle (nominal capacity ${(capacity / 3.6).toExponential(3)} mAh), above the ${maxCRate}C limit`,
          {
            ...where(s.source),
            field: "current",
            value: given,
            expected: `at most ${maxCRate}C = ${((maxCRate * capacity) / 3600).toPrecision(3)} A; a C-rate such as C/20 is often clearer`,
          },
        );
      }
    }
  };
  visit(protocol.steps);
}

/**
 * Relative size (of the nominal capacity) below which the charge passed in a step is taken as
 * round-off of the running charge total: the total carries ~1e-16 relative error per addition,
 * and no measurement resolves a billionth of the capacity.
 */
export const ROUND_OFF = 1e-9;

/** Margins beyond the open-circuit range within which cut-offs are still reachable [V]. */
export const CUTOFF_MARGIN_BELOW = 1.0;
export const CUTOFF_MARGIN_ABOVE = 0.2;

/**
 * Check every voltage in the protocol against the material's open-circuit range
 * [U(x_max), U(x_min)] over its validity interval; throws InputError naming the step.
 * Hold (CV) voltages must lie inside the range (a hold outside it would drive the particle
 * to its composition limit); cut-offs may lie up to CUTOFF_MARGIN_BELOW below it (discharge
 * cut-offs are reached through the kinetic and diffusion overpotentials) and
 * CUTOFF_MARGIN_ABOVE above it. Applied currents above MAX_C_RATE are refused too
 * (checkAppliedCurrents).
 */
export function validateProtocol(sim: ParticleSimulator, protocol: Protocol): void {
  const p = sim.params;
  const [lo, hi] = p.material.validRange;
  const uHigh = p.openCircuitPotential(lo);
  const uLow = p.openCircuitPotential(hi);
  const check = (v: number, step: Step, field: string, below: number, above: number) => {
    if (!(v >= uLow - below && v <= uHigh + above)) {
      throw new InputError(`${field} ${v} V is outside the reachable range of ${p.material.name}`, {
        ...where(step.source),
        field,
        value: `${v} V`,
        expected: `a voltage between ${(uLow - below).toFixed(3)} V and ${(uHigh + above).toFixed(3)} V (open-circuit range ${uLow.toFixed(3)}–${uHigh.toFixed(3)} V over x ∈ [${lo}, ${hi}])`,
      });
    }
  };
  const visit = (steps: readonly Step[]) => {
    for (const s of steps) {
      if (s.type === "repeat") {
        visit(s.steps);
        continue;
      }
      if (s.type === "cv" || s.type === "cccv") check(s.voltage, s, "hold voltage", 0, 0);
      if ("until" in s) {
        for (const c of s.until) {
          if (c.kind === "voltage")
            check(c.voltage, s, "cut-off voltage", CUTOFF_MARGIN_BELOW, CUTOFF_MARGIN_ABOVE);
        }
      }
      if (s.type === "gitt" && s.voltageLimit !== undefined) {
        check(s.voltageLimit, s, "pulse voltage limit", CUTOFF_MARGIN_BELOW, CUTOFF_MARGIN_ABOVE);
      }
    }
  };
  visit(protocol.steps);
  checkAppliedCurrents(protocol, p.nominalCapacity);
}

/**
 * Translate a step's stop conditions into the integrator's absolute thresholds: a voltage
 * cut-off is approached from below on charge (direction 1), from above on discharge (−1) and,
 * for rests and holds (0), from the side the present voltage [V] lies on; durations [s] become
 * end times after `time`; current cut-offs become magnitudes [A] through `currentMagnitude`.
 * Shared by the single-particle and the electrode runners.
 */
export function stopConditionsFor(
  until: readonly StopCondition[],
  direction: 1 | -1 | 0,
  time: number,
  voltage: number,
  currentMagnitude: (spec: CurrentSpec) => number,
): StopConditions {
  const stop: StopConditions = {};
  for (const c of until) {
    switch (c.kind) {
      case "voltage": {
        const dir = direction !== 0 ? direction : c.voltage >= voltage ? 1 : -1;
        if (dir > 0) stop.voltageAbove = Math.min(stop.voltageAbove ?? Number.POSITIVE_INFINITY, c.voltage);
        else stop.voltageBelow = Math.max(stop.voltageBelow ?? Number.NEGATIVE_INFINITY, c.voltage);
        break;
      }
      case "time":
        stop.endTime = Math.min(stop.endTime ?? Number.POSITIVE_INFINITY, time + c.duration);
        break;
      case "current":
        stop.currentBelow = Math.max(stop.currentBelow ?? 0, currentMagnitude(c.below));
        break;
      case "voltageRate":
        stop.voltageRateBelow = Math.max(stop.voltageRateBelow ?? 0, c.rate);
        break;
      case "charge":
        stop.chargeMagnitude = Math.min(stop.chargeMagnitude ?? Number.POSITIVE_INFINITY, c.charge);
        break;
    }
  }
  return stop;
}

/**
 * Run `protocol` on `sim` from its present state.
 */
export function runProtocol(sim: ParticleSimulator, protocol: Protocol, options: RunOptions = {}): RunResult {
  validateProtocol(sim, protocol);
  const recorder = new SeriesRecorder();
  const steps: StepSummary[] = [];
  const eisResults: unknown[] = [];
  const record = options.record ?? true;
  const total = countSteps(protocol.steps);
  let executed = 0;
  let chargeCapacity = 0;
  let dischargeCapacity = 0;

  const pushState = (index: number) => {
    if (!record) return;
    recorder.push(
      sim.time,
      sim.current,
      sim.voltage,
      sim.surfaceLithiumFraction,
      sim.meanLithiumFraction,
      index,
    );
  };
  const onStep = (index: number) => () => {
    pushState(index);
    options.onProgress?.(Math.min(1, executed / Math.max(1, total)), index, sim.time);
  };

  const runSegment = (
    type: string,
    text: string,
    cycle: number,
    control: Parameters<ParticleSimulator["setControl"]>[0],
    stop: StopConditions,
  ) => {
    const index = steps.length;
    sim.setControl(control);
    const startTime = sim.time;
    const startCharge = sim.charge;
    const startVoltage = sim.voltage;
    stop.chargeReference = startCharge;
    // the first point of the record; later steps start where the previous one ended, so
    // their start is not repeated (strictly increasing time for file readers)
    if (recorder.length === 0) pushState(index);
    const reason = sim.advance(stop, onStep(index), options.maxStep);
    // charge passed [C]; differences of the running total below ROUND_OFF of the nominal
    // capacity (a rest, a hold at equilibrium) are floating-point round-off and count as 0
    const passed = sim.charge - startCharge;
    const charge = Math.abs(passed) < ROUND_OFF * sim.params.nominalCapacity ? 0 : passed;
    if (charge > 0) chargeCapacity += charge;
    else dischargeCapacity -= charge;
    steps.push({
      index,
      type,
      text,
      cycle,
      startTime,
      endTime: sim.time,
      reason,
      charge,
      startVoltage,
      endVoltage: sim.voltage,
      endCurrent: sim.current,
      endMeanLithiumFraction: sim.meanLithiumFraction,
      endSurfaceLithiumFraction: sim.surfaceLithiumFraction,
    });
    return reason;
  };

  const stopsFor = (until: readonly StopCondition[], direction: 1 | -1 | 0): StopConditions =>
    stopConditionsFor(until, direction, sim.time, sim.voltage, (spec) => currentMagnitude(sim, spec));

  const execute = (list: readonly Step[], cycle: number) => {
    for (const step of list) {
      const text = step.source?.text ?? step.type;
      switch (step.type) {
        case "repeat":
          for (let k = 0; k < step.count; k++) execute(step.steps, k);
          break;
        case "cc": {
          const sign = step.direction === "charge" ? 1 : -1;
          const I = sign * currentMagnitude(sim, step.current);
          runSegment("cc", text, cycle, { mode: "current", current: I }, stopsFor(step.until, sign));
          break;
        }
        case "cv":
          runSegment("cv", text, cycle, { mode: "voltage", voltage: step.voltage }, stopsFor(step.until, 0));
          break;
        case "cccv": {
          const sign = step.direction === "charge" ? 1 : -1;
          const I = sign * currentMagnitude(sim, step.current);
          const ccStop: StopConditions =
            sign > 0 ? { voltageAbove: step.voltage } : { voltageBelow: step.voltage };
          const r = runSegment("cccv-cc", text, cycle, { mode: "current", current: I }, ccStop);
          if (r === "voltage") {
            runSegment(
              "cccv-cv",
              text,
              cycle,
              { mode: "voltage", voltage: step.voltage },
              stopsFor(step.until, 0),
            );
          }
          break;
        }
        case "rest":
          runSegment("rest", text, cycle, { mode: "current", current: 0 }, stopsFor(step.until, 0));
          break;
        case "pitt": {
          const v = sim.voltage + step.deltaV;
          runSegment("pitt", text, cycle, { mode: "voltage", voltage: v }, stopsFor(step.until, 0));
          break;
        }
        case "gitt": {
          const sign = step.direction === "charge" ? 1 : -1;
          const I = sign * currentMagnitude(sim, step.current);
          const pulseStop: StopConditions = { endTime: sim.time + step.pulseDuration };
          if (step.voltageLimit !== undefined) {
            if (sign > 0) pulseStop.voltageAbove = step.voltageLimit;
            else pulseStop.voltageBelow = step.voltageLimit;
          }
          runSegment("gitt-pulse", text, cycle, { mode: "current", current: I }, pulseStop);
          runSegment("gitt-rest", text, cycle, { mode: "current", current: 0 }, stopsFor(step.restUntil, 0));
          break;
        }
        case "eis": {
          if (!options.eis) {
            throw new InputError("EIS steps need the kinetics module's impedance solver", {
              ...where(step.source),
              field: "EIS",
            });
          }
          eisResults.push(options.eis(sim, step, steps.length));
          break;
        }
      }
      if (step.type !== "repeat") executed++;
    }
  };
  execute(protocol.steps, 0);
  options.onProgress?.(1, steps.length, sim.time);
  return { series: recorder.columns(), steps, eis: eisResults, chargeCapacity, dischargeCapacity };
}

function countSteps(list: readonly Step[]): number {
  let n = 0;
  for (const s of list) n += s.type === "repeat" ? s.count * countSteps(s.steps) : 1;
  return n;
}
