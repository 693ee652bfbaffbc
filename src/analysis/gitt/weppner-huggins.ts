/**
 * GITT analysis by Weppner & Huggins (J. Electrochem. Soc. 124 (1977) 1569), per pulse
 * (REFERENCE §4, SPEC §4):
 *
 *   D = (4/(π τ))·(V_p/S)²·(ΔE_s/ΔE_t)²,  τ ≪ L²/D
 *
 * with V_p/S = R_p/3 for a sphere and L for a film; ΔE_s is the change of the relaxed
 * voltage across the pulse, ΔE_t the voltage change during the pulse with the IR step removed.
 *
 * √t variant: during the pulse E(t) − E(0⁺) ≈ m·√t (semi-infinite diffusion); with
 * ΔE_t = m·√τ the same formula reads D = (4/π)·(V_p/S)²·(ΔE_s/(τ·m))². This is the form
 * D = (4/π)(I·V_m/(F·S))²·((dE_s/dx)/(dE/d√t))² of Weppner & Huggins written with
 * dE_s/dx = ΔE_s·F·n/(I·τ) and n = V_p/V_m; it needs neither I nor V_m. Fitting the slope over
 * the pulse also removes the IR step and the first-sample delay.
 *
 * Both forms carry the leading short-time error of the planar approximation: for a sphere
 * the surface concentration rises faster than in a plane by a relative O(√(Dτ)/R_p), so
 * D_WH/D ≈ 1 − O(√(Dτ)/R_p) (quantified in test/analysis/gitt).
 */
import { FARADAY } from "../../constants.js";
import { InputError } from "../../errors.js";
import { type GittSegment, type SegmentOptions, segmentPulses } from "./segment.js";

export interface GittOptions extends SegmentOptions {
  /** Particle radius R_p (sphere) or film thickness (planar) [m]. */
  radius: number;
  /** Default "sphere". */
  geometry?: "sphere" | "planar";
  /**
   * How the IR steps are measured: "sqrt" (default) extrapolates E = a + b·u + c·u², u = √(t − t_switch),
   * over the first `irPoints` samples after the switch back to the switching time (the √t term
   * is the semi-infinite diffusion response, the u² term the first curvature correction);
   * "first-sample" takes the first sample after the switch.
   */
  irMethod?: "sqrt" | "first-sample";
  /** Samples used for the √t extrapolation at switch-on (default 5). */
  irPoints?: number;
  /**
   * Molar volume V_m [m³/mol] (1/c_max for a layered oxide), to convert charge into Δx per
   * pulse; with `initialX`, x before and after each pulse is reported (sphere only).
   */
  molarVolume?: number;
  /** Li fraction x before the first pulse. */
  initialX?: number;
}

export interface GittPulse {
  index: number;
  /** Switch-on time (last rest sample before the pulse) [s]. */
  tStart: number;
  /** Pulse duration τ [s]. */
  duration: number;
  /** Mean pulse current [A]. */
  current: number;
  /** Charge of the pulse [C] and cumulative charge up to its end [C]. */
  charge: number;
  cumulativeCharge: number;
  /** Relaxed voltage before the pulse (last sample of the preceding rest) [V]. */
  restVoltageBefore: number;
  /** Relaxed voltage after the pulse (last sample of the following rest) [V]. */
  restVoltageAfter: number;
  /** IR step at switch-on [V] (E(0⁺) − E_rest). */
  irDropOn: number;
  /** IR step at switch-off [V] (E(τ) − E(first rest sample)). */
  irDropOff: number;
  /** ΔE_t: voltage change during the pulse without the IR step [V]. */
  deltaEt: number;
  /** ΔE_s: change of the relaxed voltage over the pulse [V]. */
  deltaEs: number;
  /** dE/d√t over the pulse [V/√s]. */
  sqrtSlope: number;
  /** Weppner–Huggins D from ΔE_s/ΔE_t [m²/s]. */
  diffusivity: number;
  /** Weppner–Huggins D from the √t slope [m²/s]. */
  diffusivitySqrt: number;
  /** τ·D/L²: WH assumes ≪ 1; rows above 0.1 are flagged. */
  dimensionlessDuration: number;
  /** Apparent ohmic resistance from the switch-on step [Ω] (irDropOn/current). */
  resistance: number;
  /** x before/after the pulse and Δx, when molarVolume and initialX are given. */
  xBefore?: number;
  xAfter?: number;
  /** Notes (short rest, non-positive ΔE_t, long pulse…). */
  notes: string[];
}

export interface GittResult {
  pulses: GittPulse[];
  segments: GittSegment[];
}

/**
 * Analyse a GITT record: time [s], voltage [V], current [A] (positive = charge/delithiation).
 * A pulse is analysed when a rest precedes and follows it.
 */
export function analyzeGitt(
  time: ArrayLike<number>,
  voltage: ArrayLike<number>,
  current: ArrayLike<number>,
  options: GittOptions,
): GittResult {
  const n = time.length;
  if (voltage.length !== n || current.length !== n) {
    throw new InputError("time, voltage and current differ in length", { field: "voltage" });
  }
  if (!(options.radius > 0))
    throw new InputError("radius must be positive", { field: "radius", value: String(options.radius) });
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
  const segments = segmentPulses(current, options);
  const L = options.geometry === "planar" ? options.radius : options.radius / 3; // V_p/S
  const irPoints = Math.max(2, options.irPoints ?? 5);
  const pulses: GittPulse[] = [];
  let cumulative = 0;
  let x = options.initialX;
  // moles of host in the sphere (x bookkeeping needs a volume: spheres only)
  const moles =
    options.molarVolume && options.geometry !== "planar"
      ? ((4 / 3) * Math.PI * options.radius ** 3) / options.molarVolume
      : undefined;
  for (let s = 0; s < segments.length; s++) {
    const seg = segments[s];
    if (seg.kind !== "pulse") continue;
    // charge of the pulse (trapezoid over the on-samples from the switch-on time)
    const on = seg.start > 0 ? seg.start - 1 : seg.start;
    let charge = 0;
    for (let i = on + 1; i < seg.end; i++) charge += current[i] * (time[i] - time[i - 1]);
    cumulative += charge;
    const before = segments[s - 1];
    const after = segments[s + 1];
    if (before?.kind !== "rest" || after?.kind !== "rest" || seg.end - seg.start < 3) continue;
    const notes: string[] = [];
    const tOn = time[on];
    const tau = time[seg.end - 1] - tOn;
    const eRest0 = voltage[before.end - 1];
    const eRest1 = voltage[after.end - 1];
    const eLast = voltage[seg.end - 1];
    // √t regression over the pulse (excluding nothing): E = a + m·√(t − t_on)
    const { intercept: aAll, slope: m } = sqrtFit(time, voltage, tOn, seg.start, seg.end);
    // voltage just after switch-on and just after switch-off, IR included
    let e0: number;
    let eOff: number;
    const tOff = time[seg.end - 1];
    if (options.irMethod === "first-sample") {
      e0 = voltage[seg.start];
      eOff = voltage[after.start];
    } else {
      e0 = sqrtExtrapolate(time, voltage, tOn, seg.start, Math.min(seg.start + irPoints, seg.end));
      if (!Number.isFinite(e0)) e0 = aAll;
      eOff = sqrtExtrapolate(time, voltage, tOff, after.start, Math.min(after.start + irPoints, after.end));
      if (!Number.isFinite(eOff)) eOff = voltage[after.start];
    }
    const deltaEt = eLast - e0;
    const deltaEs = eRest1 - eRest0;
    const irOn = e0 - eRest0;
    const irOff = eLast - eOff;
    if (!(Math.abs(deltaEt) > 0)) notes.push("ΔE_t is zero: no diffusion polarisation resolved");
    // an ohmic step has the sign of the current; the opposite sign means the IR extrapolation
    // sits inside the double-layer charging transient (finely sampled records)
    if (irOn * seg.meanCurrent < 0)
      notes.push(
        `IR step at switch-on has the wrong sign for the current (R = ${(irOn / seg.meanCurrent).toPrecision(3)} Ω < 0): the first samples lie inside the double-layer transient, ΔE_t and D are biased`,
      );
    // Weppner–Huggins assumes E linear in √t during the pulse: flag a misfit > 5 % of ΔE_t
    {
      let ss = 0;
      let count = 0;
      for (let k = seg.start; k < seg.end; k++) {
        const u = Math.sqrt(Math.max(time[k] - tOn, 0));
        const r = voltage[k] - (aAll + m * u);
        ss += r * r;
        count++;
      }
      const rms = Math.sqrt(ss / Math.max(count, 1));
      if (Math.abs(deltaEt) > 0 && rms > 0.05 * Math.abs(deltaEt))
        notes.push(
          `E is not linear in √t over the pulse (rms misfit ${((100 * rms) / Math.abs(deltaEt)).toPrecision(2)} % of ΔE_t): the √t law the method rests on does not hold`,
        );
    }
    if (Math.sign(deltaEt) !== Math.sign(deltaEs))
      notes.push("ΔE_s and ΔE_t differ in sign (phase change or unrelaxed rest?)");
    // D = (4/(πτ))·(V/S)²·(ΔEs/ΔEt)²  (Weppner & Huggins 1977)
    const D = (4 / (Math.PI * tau)) * L * L * (deltaEs / deltaEt) ** 2;
    const Dsqrt = (4 / Math.PI) * L * L * (deltaEs / (tau * m)) ** 2;
    const length = options.radius;
    const dimensionless = (tau * D) / (length * length);
    if (dimensionless > 0.1)
      notes.push(`τ·D/L² = ${dimensionless.toPrecision(2)}: pulse too long for Weppner–Huggins (needs ≪ 1)`);
    const restDuration = time[after.end - 1] - time[after.start];
    if (restDuration < (length * length) / D / 10)
      notes.push("rest shorter than L²/(10 D): ΔE_s may be from an unrelaxed voltage");
    const pulse: GittPulse = {
      index: pulses.length,
      tStart: tOn,
      duration: tau,
      current: seg.meanCurrent,
      charge,
      cumulativeCharge: cumulative,
      restVoltageBefore: eRest0,
      restVoltageAfter: eRest1,
      irDropOn: irOn,
      irDropOff: irOff,
      deltaEt,
      deltaEs,
      sqrtSlope: m,
      diffusivity: D,
      diffusivitySqrt: Dsqrt,
      dimensionlessDuration: dimensionless,
      resistance: irOn / seg.meanCurrent,
      notes,
    };
    if (moles !== undefined && x !== undefined) {
      // positive (charging) current removes Li: Δx = −Q/(F·n)
      const xAfter = x - charge / (FARADAY * moles);
      pulse.xBefore = x;
      pulse.xAfter = xAfter;
    }
    pulses.push(pulse);
    if (moles !== undefined && x !== undefined) x = pulse.xAfter;
  }
  return { pulses, segments };
}

/** Least-squares line E = a + m·√(t − t0) over samples [from, to). */
function sqrtFit(
  time: ArrayLike<number>,
  voltage: ArrayLike<number>,
  t0: number,
  from: number,
  to: number,
): { intercept: number; slope: number } {
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  const k = to - from;
  for (let i = from; i < to; i++) {
    const u = Math.sqrt(time[i] - t0);
    sx += u;
    sy += voltage[i];
    sxx += u * u;
    sxy += u * voltage[i];
  }
  const den = k * sxx - sx * sx;
  const slope = (k * sxy - sx * sy) / den;
  return { intercept: (sy - slope * sx) / k, slope };
}

/**
 * Value at t0 of E = a + b·u + c·u², u = √(t − t0), fitted by least squares to samples
 * [from, to) (a straight line in u when only two samples are available).
 */
function sqrtExtrapolate(
  time: ArrayLike<number>,
  voltage: ArrayLike<number>,
  t0: number,
  from: number,
  to: number,
): number {
  const k = to - from;
  if (k < 3)
    return k === 2 ? sqrtFit(time, voltage, t0, from, to).intercept : k === 1 ? voltage[from] : Number.NaN;
  // normal equations for [a, b, c] in the basis 1, u, u²
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let y0 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = from; i < to; i++) {
    const u = Math.sqrt(time[i] - t0);
    const u2 = u * u;
    const v = voltage[i];
    s0 += 1;
    s1 += u;
    s2 += u2;
    s3 += u2 * u;
    s4 += u2 * u2;
    y0 += v;
    y1 += u * v;
    y2 += u2 * v;
  }
  // Cramer's rule for a (3×3, well conditioned for a handful of points)
  const det = s0 * (s2 * s4 - s3 * s3) - s1 * (s1 * s4 - s3 * s2) + s2 * (s1 * s3 - s2 * s2);
  const detA = y0 * (s2 * s4 - s3 * s3) - s1 * (y1 * s4 - s3 * y2) + s2 * (y1 * s3 - s2 * y2);
  return detA / det;
}
