/**
 * Relaxed open-circuit voltage table from a step-charge record (seed 000 Fig. 2a inset: C/20
 * steps, 3 h open-circuit relaxation, the relaxed OCV against SOC; SPEC §4 "OCV").
 *
 * Each rest after a current step gives one point: the charge passed up to the rest (→ x or SOC)
 * and the relaxed voltage, either the last sample of the rest or an extrapolation of the
 * relaxation to t → ∞:
 *   "exponential": V(t) = V∞ + a·exp(−(t − t0)/τ)   (single-mode diffusion relaxation, long times)
 *   "sqrt":        V(t) = V∞ + b/√(t − t0)          (semi-infinite relaxation tail, fitted over the
 *                                                   second half of the rest)
 */
import { FARADAY } from "../../constants.js";
import { InputError } from "../../errors.js";
import { segmentPulses } from "../gitt/segment.js";

export type RelaxationExtrapolation = "last" | "exponential" | "sqrt";

export interface RelaxedOcvOptions {
  /** How the relaxed voltage is taken (default "last"). */
  method?: RelaxationExtrapolation;
  /** Current threshold separating steps from rests [A] (default 5 % of max |I|). */
  threshold?: number;
  /** Rests shorter than this are skipped [s] (default 0). */
  minRestDuration?: number;
  /** Moles of host (LiMO2) in the electrode [mol], to convert charge into x. */
  hostMoles?: number;
  /** x at the start of the record (default 1 when hostMoles is given). */
  initialX?: number;
  /** Capacity [C] that defines SOC = charge/capacity (default: the total charge passed). */
  capacity?: number;
}

export interface RelaxedOcvPoint {
  /** Index of the rest segment's last sample. */
  index: number;
  /** Time at the end of the rest [s] and its duration [s]. */
  time: number;
  restDuration: number;
  /** Charge passed from the start of the record to the rest [C] (positive = charged). */
  charge: number;
  /** SOC = charge/capacity [-]. */
  soc: number;
  /** Li fraction, when hostMoles is given. */
  x?: number;
  /** Last voltage of the rest [V]. */
  lastVoltage: number;
  /** Relaxed (possibly extrapolated) voltage [V]. */
  ocv: number;
  /** Relaxation time constant of the exponential fit [s] (method "exponential"). */
  relaxationTime?: number;
}

/**
 * Relaxed OCV points from time [s], voltage [V] and current [A] (positive = charge). The first
 * rest (before any current) is included as the starting point.
 */
export function relaxedOcvTable(
  time: ArrayLike<number>,
  voltage: ArrayLike<number>,
  current: ArrayLike<number>,
  options: RelaxedOcvOptions = {},
): RelaxedOcvPoint[] {
  const n = time.length;
  if (voltage.length !== n || current.length !== n)
    throw new InputError("time, voltage and current differ in length", { field: "voltage" });
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(time[i]) || !Number.isFinite(voltage[i]) || !Number.isFinite(current[i])) {
      throw new InputError(`non-finite value at sample ${i + 1}`, {
        field: "time/voltage/current",
        line: i + 1,
      });
    }
    if (i > 0 && !(time[i] > time[i - 1]))
      throw new InputError("time must increase strictly", { field: "time", line: i + 1 });
  }
  const cumulative = new Float64Array(n);
  for (let i = 1; i < n; i++) cumulative[i] = cumulative[i - 1] + current[i] * (time[i] - time[i - 1]);
  const segments = segmentPulses(current, { threshold: options.threshold });
  const capacity = options.capacity ?? Math.abs(cumulative[n - 1]);
  const method = options.method ?? "last";
  const points: RelaxedOcvPoint[] = [];
  for (const seg of segments) {
    if (seg.kind !== "rest") continue;
    const last = seg.end - 1;
    // the rest starts at the switch-off, i.e. the last sample of the step before it
    const t0 = seg.start > 0 ? time[seg.start - 1] : time[seg.start];
    const duration = time[last] - t0;
    if (duration < (options.minRestDuration ?? 0) || seg.end - seg.start < 2) continue;
    let ocv = voltage[last];
    let relaxationTime: number | undefined;
    if (method === "exponential" && seg.end - seg.start >= 4) {
      const fit = fitExponentialRelaxation(time, voltage, t0, seg.start, seg.end);
      ocv = fit.vInfinity;
      relaxationTime = fit.tau;
    } else if (method === "sqrt" && seg.end - seg.start >= 4) {
      ocv = fitSqrtTail(time, voltage, t0, seg.start + Math.floor((seg.end - seg.start) / 2), seg.end);
    }
    const charge = cumulative[last];
    const point: RelaxedOcvPoint = {
      index: last,
      time: time[last],
      restDuration: duration,
      charge,
      soc: capacity > 0 ? charge / capacity : 0,
      lastVoltage: voltage[last],
      ocv,
      relaxationTime,
    };
    if (options.hostMoles !== undefined) {
      // positive current removes Li from the cathode: x = x0 − Q/(F·n)
      point.x = (options.initialX ?? 1) - charge / (FARADAY * options.hostMoles);
    }
    points.push(point);
  }
  return points;
}

/**
 * Fit V = V∞ + a·exp(−(t − t0)/τ) over samples [from, to): for each τ the model is linear in
 * (V∞, a); τ is found by golden-section search of the residual on ln τ between the sampling
 * interval and 10× the rest duration.
 */
export function fitExponentialRelaxation(
  time: ArrayLike<number>,
  voltage: ArrayLike<number>,
  t0: number,
  from: number,
  to: number,
): { vInfinity: number; amplitude: number; tau: number; rms: number } {
  const solve = (tau: number) => {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let y0 = 0;
    let y1 = 0;
    for (let i = from; i < to; i++) {
      const e = Math.exp(-(time[i] - t0) / tau);
      s0 += 1;
      s1 += e;
      s2 += e * e;
      y0 += voltage[i];
      y1 += e * voltage[i];
    }
    const det = s0 * s2 - s1 * s1;
    const vInf = (y0 * s2 - s1 * y1) / det;
    const amp = (s0 * y1 - s1 * y0) / det;
    let ss = 0;
    for (let i = from; i < to; i++) {
      const r = vInf + amp * Math.exp(-(time[i] - t0) / tau) - voltage[i];
      ss += r * r;
    }
    return { vInf, amp, ss: Number.isFinite(ss) ? ss : Number.POSITIVE_INFINITY };
  };
  const span = time[to - 1] - t0;
  const dtMin = Math.max(time[from] - t0, span * 1e-6);
  let lo = Math.log(dtMin);
  let hi = Math.log(10 * span);
  // coarse scan then golden section around the best grid point
  let best = lo;
  let bestSs = Number.POSITIVE_INFINITY;
  for (let k = 0; k <= 40; k++) {
    const u = lo + ((hi - lo) * k) / 40;
    const ss = solve(Math.exp(u)).ss;
    if (ss < bestSs) {
      bestSs = ss;
      best = u;
    }
  }
  const step = (hi - lo) / 40;
  lo = best - step;
  hi = best + step;
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = solve(Math.exp(a)).ss;
  let fb = solve(Math.exp(b)).ss;
  for (let k = 0; k < 80; k++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = solve(Math.exp(a)).ss;
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = solve(Math.exp(b)).ss;
    }
  }
  const tau = Math.exp(0.5 * (lo + hi));
  const r = solve(tau);
  return { vInfinity: r.vInf, amplitude: r.amp, tau, rms: Math.sqrt(r.ss / (to - from)) };
}

/** V∞ of V = V∞ + b/√(t − t0) by linear least squares over samples [from, to). */
export function fitSqrtTail(
  time: ArrayLike<number>,
  voltage: ArrayLike<number>,
  t0: number,
  from: number,
  to: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let y0 = 0;
  let y1 = 0;
  for (let i = from; i < to; i++) {
    const u = 1 / Math.sqrt(time[i] - t0);
    s0 += 1;
    s1 += u;
    s2 += u * u;
    y0 += voltage[i];
    y1 += u * voltage[i];
  }
  return (y0 * s2 - s1 * y1) / (s0 * s2 - s1 * s1);
}
