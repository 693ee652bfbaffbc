/**
 * Run an electrode through a protocol (SPEC §3.2 steps: CC, CV, CCCV, rest, PITT, GITT,
 * repeats; EIS is not available for the electrode) and collect what seed 003 measures:
 * cell V(t), per-particle x(t) (decimated snapshots), each particle's reaction onset per
 * half-cycle, synchrony indices, virtual optical intensities, capacity per cycle and the
 * first-cycle capacity loss. C-rates refer to the electrode's nominal capacity. Pure
 * computation, no I/O.
 */
import { onsetSpread, progressDispersion, quantile } from "../analysis/synchrony/index.js";
import { InputError } from "../errors.js";
import { CUTOFF_MARGIN_ABOVE, CUTOFF_MARGIN_BELOW, stopConditionsFor } from "../protocol/runner.js";
import type { CurrentSpec, Protocol, SourceSpan, Step, StopCondition } from "../protocol/steps.js";
import type { ElectrodeControl, ElectrodeSimulator, ElectrodeStop, ElectrodeStopReason } from "./model.js";
import { switchDurations } from "./switching.js";

export interface ElectrodeRunOptions {
  /** Interval between per-particle snapshots [s] (default 600). */
  snapshotInterval?: number;
  /** Change of a particle's mean x that marks its reaction onset (default 0.05). */
  onsetThreshold?: number;
  /** Largest solver step [s] (default 1800). */
  maxStep?: number;
  /** Safety limit on any single protocol step [s] (default 200 h). */
  maxStepDuration?: number;
  /** Progress callback: fraction of protocol steps done, and the simulated time [s]. */
  onProgress?: (fraction: number, time: number) => void;
}

export interface ElectrodeStepSummary {
  index: number;
  type: string;
  text: string;
  cycle: number;
  startTime: number;
  endTime: number;
  reason: ElectrodeStopReason | "safety";
  /** Charge passed [C] (positive = charge). */
  charge: number;
  endVoltage: number;
  endCurrent: number;
  endStateOfCharge: number;
  /** Half-cycle this step belongs to (−1 before the first CC step). */
  halfCycle: number;
}

export interface HalfCycle {
  index: number;
  direction: "charge" | "discharge";
  startTime: number;
  endTime: number;
  startSoc: number;
  endSoc: number;
  /** Charge passed, magnitude [C]. */
  capacity: number;
  /** Onset time of each particle [s since the half-cycle start] (NaN: none). */
  onsetTime: Float64Array;
  /** Cell SOC at each particle's onset (NaN: none). */
  onsetSoc: Float64Array;
  /** First and one-past-last snapshot indices inside the half-cycle. */
  snapshotStart: number;
  snapshotEnd: number;
}

export interface SynchronyRow {
  halfCycle: number;
  direction: "charge" | "discharge";
  /** Share of particles whose x moved by the onset threshold. */
  reactedFraction: number;
  /** IQR and standard deviation of onset SOC [-]. */
  onsetSocIqr: number;
  onsetSocStd: number;
  /** IQR of onset times [s]. */
  onsetTimeIqr: number;
  medianOnsetSoc: number;
  /** Progress dispersion index of particle mean x (0 = synchronous). */
  dispersion: number;
  /**
   * Median switch duration [s] of the reacted particles: time from 10 % to 90 % of their
   * half-cycle change of surface x (src/electrode/switching.ts; the optical intensity follows
   * the surface). Short against the half-cycle = abrupt steps (seed 003 Fig. 1c, first charge).
   */
  medianSwitchTime: number;
}

export interface ElectrodeRunResult {
  /** Cell series at every accepted step. */
  series: {
    time: Float64Array;
    voltage: Float64Array;
    current: Float64Array;
    stateOfCharge: Float64Array;
    step: Int32Array;
  };
  /** Per-particle snapshots: times [s] and particle-major mean / surface x (Float32). */
  snapshots: {
    time: Float64Array;
    stateOfCharge: Float64Array;
    meanX: Float32Array;
    surfaceX: Float32Array;
    samples: number;
  };
  steps: ElectrodeStepSummary[];
  halfCycles: HalfCycle[];
  synchrony: SynchronyRow[];
  /** Charge and discharge capacity per cycle [C] (cycle = charge half + following discharge half). */
  cycles: { cycle: number; chargeCapacity: number; dischargeCapacity: number; coulombicEfficiency: number }[];
  /** 1 − Q_discharge/Q_charge of the first cycle (NaN without a full first cycle). */
  firstCycleLoss: number;
  /** Largest |Σ I_p − I_terminal| / |I_terminal| over galvanostatic steps (conservation check). */
  maxCurrentMismatch: number;
  /** Li content [mol] at the start and end, and ∫I dt/F [mol]. */
  lithium: { initial: number; final: number; chargeOverF: number };
}

class Growable {
  length = 0;
  cols: Float64Array[];
  step = new Int32Array(1024);
  constructor(n: number) {
    this.cols = Array.from({ length: n }, () => new Float64Array(1024));
  }
  /** Append one row (four columns) without allocating (amortised doubling). */
  push(a: number, b: number, c: number, d: number, step: number): void {
    if (this.length === this.step.length) {
      const m = this.length * 2;
      this.cols = this.cols.map((c) => {
        const g = new Float64Array(m);
        g.set(c);
        return g;
      });
      const s = new Int32Array(m);
      s.set(this.step);
      this.step = s;
    }
    const n = this.length;
    this.cols[0][n] = a;
    this.cols[1][n] = b;
    this.cols[2][n] = c;
    this.cols[3][n] = d;
    this.step[this.length] = step;
    this.length++;
  }
}

function where(source?: SourceSpan) {
  return source ? { line: source.line, column: source.column } : {};
}

/** Check voltages against the material's open-circuit range (as the particle runner does). */
export function validateElectrodeProtocol(sim: ElectrodeSimulator, protocol: Protocol): void {
  const m = sim.material;
  const [lo, hi] = m.validRange;
  const uHigh = m.openCircuitPotential(lo);
  const uLow = m.openCircuitPotential(hi);
  const check = (v: number, step: Step, field: string, below: number, above: number) => {
    if (!(v >= uLow - below && v <= uHigh + above)) {
      throw new InputError(`${field} ${v} V is outside the reachable range of ${m.name}`, {
        ...where(step.source),
        field,
        value: `${v} V`,
        expected: `a voltage between ${(uLow - below).toFixed(3)} V and ${(uHigh + above).toFixed(3)} V`,
      });
    }
  };
  const visit = (steps: readonly Step[]) => {
    for (const s of steps) {
      if (s.type === "repeat") {
        visit(s.steps);
        continue;
      }
      if (s.type === "eis")
        throw new InputError("EIS steps are not available for the electrode model", {
          ...where(s.source),
          field: "protocol",
        });
      if (s.type === "cv" || s.type === "cccv") check(s.voltage, s, "hold voltage", 0, 0);
      if ("until" in s)
        for (const c of s.until)
          if (c.kind === "voltage")
            check(c.voltage, s, "cut-off voltage", CUTOFF_MARGIN_BELOW, CUTOFF_MARGIN_ABOVE);
    }
  };
  visit(protocol.steps);
}

function countSteps(list: readonly Step[]): number {
  let n = 0;
  for (const s of list) n += s.type === "repeat" ? s.count * countSteps(s.steps) : 1;
  return n;
}

/** Run `protocol` on `sim` from its present state. */
export function runElectrodeProtocol(
  sim: ElectrodeSimulator,
  protocol: Protocol,
  options: ElectrodeRunOptions = {},
): ElectrodeRunResult {
  validateElectrodeProtocol(sim, protocol);
  const P = sim.particleCount;
  const snapInterval = options.snapshotInterval ?? 600;
  const threshold = options.onsetThreshold ?? 0.05;
  if (!(snapInterval > 0))
    throw new InputError("snapshot interval must be positive", {
      field: "snapshotInterval",
      value: String(snapInterval),
    });
  if (!(threshold > 0 && threshold < 1))
    throw new InputError("onset threshold must be in (0, 1)", {
      field: "onsetThreshold",
      value: String(threshold),
    });
  const maxStep = options.maxStep ?? 1800;
  const maxDuration = options.maxStepDuration ?? 200 * 3600;
  const series = new Growable(4);
  const snapTimes: number[] = [];
  const snapSoc: number[] = [];
  const snapMean: Float32Array[] = [];
  const snapSurface: Float32Array[] = [];
  const steps: ElectrodeStepSummary[] = [];
  const halfCycles: HalfCycle[] = [];
  const total = countSteps(protocol.steps);
  let executed = 0;
  let lastSnap = Number.NEGATIVE_INFINITY;
  let maxMismatch = 0;
  const lithiumInitial = sim.lithiumContent;
  const chargeInitial = sim.charge;
  // onset tracking
  const xStart = new Float64Array(P);
  const xPrev = new Float64Array(P);
  const xNow = new Float64Array(P);
  let prevTime = sim.time;
  let prevSoc = sim.stateOfCharge;
  let current: HalfCycle | null = null;

  const snapshot = () => {
    const mean = new Float32Array(P);
    const surf = new Float32Array(P);
    sim.meanLithiumFractions(mean);
    sim.surfaceLithiumFractions(surf);
    snapTimes.push(sim.time);
    snapSoc.push(sim.stateOfCharge);
    snapMean.push(mean);
    snapSurface.push(surf);
    lastSnap = sim.time;
  };
  const record = (index: number) => {
    const soc = sim.stateOfCharge;
    series.push(sim.time, sim.voltage, sim.current, soc, index);
    if (sim.time - lastSnap >= snapInterval - 1e-9) snapshot();
  };
  const trackOnsets = () => {
    sim.meanLithiumFractions(xNow);
    const soc = sim.stateOfCharge;
    const hc = current;
    if (hc) {
      for (let p = 0; p < P; p++) {
        if (!Number.isNaN(hc.onsetTime[p])) continue;
        const d = Math.abs(xNow[p] - xStart[p]);
        if (d >= threshold) {
          const d0 = Math.abs(xPrev[p] - xStart[p]);
          const f = d > d0 ? (threshold - d0) / (d - d0) : 1;
          hc.onsetTime[p] = prevTime + f * (sim.time - prevTime) - hc.startTime;
          hc.onsetSoc[p] = prevSoc + f * (soc - prevSoc);
        }
      }
    }
    xPrev.set(xNow);
    prevTime = sim.time;
    prevSoc = soc;
  };
  const startHalfCycle = (direction: "charge" | "discharge") => {
    if (current && current.direction === direction) return;
    if (current) {
      current.endTime = sim.time;
      current.endSoc = sim.stateOfCharge;
      if (lastSnap !== sim.time) snapshot();
      current.snapshotEnd = snapTimes.length;
    }
    if (lastSnap !== sim.time) snapshot();
    sim.meanLithiumFractions(xStart);
    xPrev.set(xStart);
    prevTime = sim.time;
    prevSoc = sim.stateOfCharge;
    current = {
      index: halfCycles.length,
      direction,
      startTime: sim.time,
      endTime: sim.time,
      startSoc: sim.stateOfCharge,
      endSoc: sim.stateOfCharge,
      capacity: 0,
      onsetTime: new Float64Array(P).fill(Number.NaN),
      onsetSoc: new Float64Array(P).fill(Number.NaN),
      snapshotStart: snapTimes.length - 1,
      snapshotEnd: snapTimes.length,
    };
    halfCycles.push(current);
  };

  const currentMagnitude = (spec: CurrentSpec) =>
    "cRate" in spec ? (spec.cRate * sim.nominalCapacity) / 3600 : spec.current;

  const stopsFor = (until: readonly StopCondition[], direction: 1 | -1 | 0): ElectrodeStop =>
    stopConditionsFor(until, direction, sim.time, sim.voltage, currentMagnitude);

  const runSegment = (
    type: string,
    text: string,
    cycle: number,
    control: ElectrodeControl,
    stop: ElectrodeStop,
  ) => {
    const index = steps.length;
    sim.setControl(control);
    const startTime = sim.time;
    const startCharge = sim.charge;
    stop.chargeReference = startCharge;
    const safety = startTime + maxDuration;
    const userEnd = stop.endTime ?? Number.POSITIVE_INFINITY;
    stop.endTime = Math.min(userEnd, safety);
    record(index);
    let reason: ElectrodeStopReason | "safety" = sim.advance(
      stop,
      (s) => {
        record(index);
        trackOnsets();
        if (control.mode === "current" && control.current !== 0) {
          let sum = 0;
          for (let p = 0; p < P; p++) sum += s.particleCurrent[p];
          const mm = Math.abs(sum - control.current) / Math.abs(control.current);
          if (mm > maxMismatch) maxMismatch = mm;
        }
        options.onProgress?.(Math.min(1, executed / Math.max(total, 1)), s.time);
      },
      maxStep,
    );
    if (reason === "time" && sim.time >= safety - 1e-6 && userEnd > safety) reason = "safety";
    const charge = sim.charge - startCharge;
    if (current) current.capacity += Math.abs(charge);
    steps.push({
      index,
      type,
      text,
      cycle,
      startTime,
      endTime: sim.time,
      reason,
      charge,
      endVoltage: sim.voltage,
      endCurrent: sim.current,
      endStateOfCharge: sim.stateOfCharge,
      halfCycle: current ? current.index : -1,
    });
    return reason;
  };

  const execute = (list: readonly Step[], cycle: number) => {
    for (const step of list) {
      const text = step.source?.text ?? step.type;
      switch (step.type) {
        case "repeat":
          for (let k = 0; k < step.count; k++) execute(step.steps, k);
          break;
        case "cc": {
          const sign = step.direction === "charge" ? 1 : -1;
          startHalfCycle(step.direction);
          runSegment(
            "cc",
            text,
            cycle,
            { mode: "current", current: sign * currentMagnitude(step.current) },
            stopsFor(step.until, sign),
          );
          break;
        }
        case "cv":
          runSegment("cv", text, cycle, { mode: "voltage", voltage: step.voltage }, stopsFor(step.until, 0));
          break;
        case "cccv": {
          const sign = step.direction === "charge" ? 1 : -1;
          startHalfCycle(step.direction);
          const ccStop: ElectrodeStop =
            sign > 0 ? { voltageAbove: step.voltage } : { voltageBelow: step.voltage };
          const r = runSegment(
            "cccv-cc",
            text,
            cycle,
            { mode: "current", current: sign * currentMagnitude(step.current) },
            ccStop,
          );
          if (r === "voltage")
            runSegment(
              "cccv-cv",
              text,
              cycle,
              { mode: "voltage", voltage: step.voltage },
              stopsFor(step.until, 0),
            );
          break;
        }
        case "rest":
          runSegment("rest", text, cycle, { mode: "current", current: 0 }, stopsFor(step.until, 0));
          break;
        case "pitt":
          runSegment(
            "pitt",
            text,
            cycle,
            { mode: "voltage", voltage: sim.voltage + step.deltaV },
            stopsFor(step.until, 0),
          );
          break;
        case "gitt": {
          const sign = step.direction === "charge" ? 1 : -1;
          startHalfCycle(step.direction);
          const pulse: ElectrodeStop = { endTime: sim.time + step.pulseDuration };
          if (step.voltageLimit !== undefined) {
            if (sign > 0) pulse.voltageAbove = step.voltageLimit;
            else pulse.voltageBelow = step.voltageLimit;
          }
          runSegment(
            "gitt-pulse",
            text,
            cycle,
            { mode: "current", current: sign * currentMagnitude(step.current) },
            pulse,
          );
          runSegment("gitt-rest", text, cycle, { mode: "current", current: 0 }, stopsFor(step.restUntil, 0));
          break;
        }
        case "eis":
          throw new InputError("EIS steps are not available for the electrode model", {
            ...where(step.source),
            field: "protocol",
          });
      }
      if (step.type !== "repeat") executed++;
    }
  };
  snapshot();
  execute(protocol.steps, 0);
  const last = current as HalfCycle | null;
  if (last) {
    last.endTime = sim.time;
    last.endSoc = sim.stateOfCharge;
  }
  if (lastSnap !== sim.time) snapshot();
  if (last) last.snapshotEnd = snapTimes.length;
  options.onProgress?.(1, sim.time);

  // pack snapshots particle-major
  const S = snapTimes.length;
  const meanX = new Float32Array(P * S);
  const surfaceX = new Float32Array(P * S);
  for (let k = 0; k < S; k++) {
    const a = snapMean[k];
    const b = snapSurface[k];
    for (let p = 0; p < P; p++) {
      meanX[p * S + k] = a[p];
      surfaceX[p * S + k] = b[p];
    }
  }
  const snapshots = {
    time: Float64Array.from(snapTimes),
    stateOfCharge: Float64Array.from(snapSoc),
    meanX,
    surfaceX,
    samples: S,
  };
  const synchrony: SynchronyRow[] = halfCycles.map((hc) => {
    const socSpread = onsetSpread(hc.onsetSoc);
    const timeSpread = onsetSpread(hc.onsetTime);
    return {
      halfCycle: hc.index,
      direction: hc.direction,
      reactedFraction: socSpread.reactedFraction,
      onsetSocIqr: socSpread.iqr,
      onsetSocStd: socSpread.std,
      onsetTimeIqr: timeSpread.iqr,
      medianOnsetSoc: socSpread.median,
      dispersion: progressDispersion(snapshots.time, meanX, P, {
        start: hc.snapshotStart,
        end: hc.snapshotEnd,
        minSwing: threshold,
      }),
      medianSwitchTime: quantile(
        switchDurations(snapshots.time, surfaceX, P, {
          start: hc.snapshotStart,
          end: hc.snapshotEnd,
          minSwing: threshold,
        }),
        0.5,
      ),
    };
  });
  const cycles: ElectrodeRunResult["cycles"] = [];
  for (let i = 0; i < halfCycles.length; i++) {
    if (halfCycles[i].direction !== "charge") continue;
    const dis = halfCycles[i + 1]?.direction === "discharge" ? halfCycles[i + 1].capacity : Number.NaN;
    const qc = halfCycles[i].capacity;
    cycles.push({
      cycle: cycles.length,
      chargeCapacity: qc,
      dischargeCapacity: dis,
      coulombicEfficiency: dis / qc,
    });
  }
  const firstCycleLoss =
    cycles.length > 0 && Number.isFinite(cycles[0].dischargeCapacity)
      ? 1 - cycles[0].dischargeCapacity / cycles[0].chargeCapacity
      : Number.NaN;
  const n = series.length;
  return {
    series: {
      time: series.cols[0].slice(0, n),
      voltage: series.cols[1].slice(0, n),
      current: series.cols[2].slice(0, n),
      stateOfCharge: series.cols[3].slice(0, n),
      step: series.step.slice(0, n),
    },
    snapshots,
    steps,
    halfCycles,
    synchrony,
    cycles,
    firstCycleLoss,
    maxCurrentMismatch: maxMismatch,
    lithium: {
      initial: lithiumInitial,
      final: sim.lithiumContent,
      chargeOverF: (sim.charge - chargeInitial) / 96485.33212,
    },
  };
}
