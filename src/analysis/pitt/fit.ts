/**
 * Fit of a PITT current transient for the chemical diffusivity D, the electrochemical Biot
 * number B and the step charge ΔQ (seed 000 §"Single-particle PITT", eqns 4–5; SPEC §3.4;
 * REFERENCE §4), with 95 % confidence intervals, the exchange current density
 * i0 = B·D·R·T/(L·|∂U/∂c|) (seed 000, below eqn 5) when |∂U/∂c| is given, the kinetic regime
 * (B < 0.1 reaction-limited, B > 10 diffusion-limited, else mixed; seed 000) and notes on what
 * the data do and do not determine.
 *
 * Method: weighted least squares (src/numerics/least-squares.ts, Levenberg–Marquardt) in the
 * parameters p = [ln D, ln B, ln |ΔQ|, baseline]. Log parameters keep D and B positive and
 * make the problem well scaled. Starting points: ln|I| vs t over the late part of the
 * transient gives the decay rate λ = b₁²·D/L² (one-term long-time form); for each B on a
 * grid, D = λ·L²/b₁(B)² (and ×10, ÷10); ΔQ for each candidate is the weighted linear
 * least-squares value (the model is linear in ΔQ). The best few candidates are refined and
 * the lowest cost wins (multi-start).
 *
 * Identifiability: for B ≪ 0.1 the current is a single exponential with rate g·k/L and only the
 * product B·D = k·L (so i0) is determined; for B ≫ 10 the surface is at equilibrium and only a
 * lower bound on B (and i0) follows. The result flags each quantity as determined or not from
 * the covariance (95 % interval narrower than a factor `determinedFactor`) and from the
 * least-squares rank test, and says why in `notes`.
 */
import { FARADAY, GAS_CONSTANT, T_REF } from "../../constants.js";
import { InputError } from "../../errors.js";
import { leastSquares } from "../../numerics/least-squares.js";
import type { PittGeometry } from "./eigenvalues.js";
import { geometryFactor, PittSeries, SHORT_TIME_SWITCH } from "./series.js";
import { pittLongTimeTerm, pittShortTimeDimensionless, pittShortTimeSTimesDerivative } from "./short-time.js";

export type PittRegime = "reaction-limited" | "mixed" | "diffusion-limited";

/** Kinetic regime from the Biot number (seed 000: B < 0.1, 0.1–10, > 10). */
export function pittRegime(biot: number): PittRegime {
  if (biot < 0.1) return "reaction-limited";
  if (biot > 10) return "diffusion-limited";
  return "mixed";
}

export interface FitPittOptions {
  /** Sphere radius or film thickness L [m]. */
  radius: number;
  /** Default "sphere". */
  geometry?: PittGeometry;
  /** Step charge ΔQ [C] when known (held fixed); otherwise fitted. */
  Q?: number;
  /** |∂U/∂c| [V·m³/mol] at the step, to convert B and D into i0. */
  dUdc?: number;
  /**
   * Size of the potential step ΔV [V]. For a sphere without `dUdc`, the step itself gives the
   * slope of the titration curve: |∂U/∂c| = |ΔV|·F·V_p/|ΔQ| with V_p = (4/3)πR³ (a small step,
   * so the OCV is linear over it), and i0 follows (its interval then includes the ΔQ error).
   */
  stepVoltage?: number;
  /** Temperature [K] (default 298.15). */
  T?: number;
  /**
   * Constant baseline (leakage) current: "none" (default), "free" (fitted) or a known value
   * [A] that is subtracted.
   */
  baseline?: "none" | "free" | number;
  /** Only points with tMin ≤ t ≤ tMax are fitted [s] (e.g. drop a double-layer spike). */
  tMin?: number;
  tMax?: number;
  /**
   * Residual weighting: "relative" (default; residual/max(|I|, floor)) suits a transient that
   * spans decades with proportional noise; "absolute" for constant noise.
   */
  weighting?: "relative" | "absolute";
  /** Current floor for relative weights [A] (default 1e-3·max|I|). */
  currentFloor?: number;
  /** A quantity counts as determined when its 95 % interval is narrower than this factor (default 2). */
  determinedFactor?: number;
  /** Maximum LM iterations per start (default 200). */
  maxIterations?: number;
}

/** A fitted positive quantity with its 95 % confidence interval. */
export interface FittedQuantity {
  /** Best estimate (SI). */
  value: number;
  /** 95 % confidence interval [low, high] (SI), from the covariance of the log parameter. */
  ci95: [number, number];
  /** Standard error of ln(value). */
  logStandardError: number;
  /** False when the data do not determine this quantity (see notes). */
  determined: boolean;
}

export interface PittFitResult {
  geometry: PittGeometry;
  /** L [m]. */
  radius: number;
  /** Chemical diffusivity [m²/s]. */
  D: FittedQuantity;
  /** Biot number [-]. */
  B: FittedQuantity;
  /** Step charge ΔQ [C] (signed; the interval is of |ΔQ|, same sign). */
  Q: FittedQuantity & { fixed: boolean };
  /** Surface rate constant k = B·D/L [m/s]. */
  k: FittedQuantity;
  /** Exchange current density [A/m²], when dUdc (or the step voltage, sphere) was given. */
  i0?: FittedQuantity;
  /** |∂U/∂c| used for i0 [V·m³/mol]: the given one or |ΔV|·F·V_p/|ΔQ| from the step. */
  dUdc?: number;
  /** Baseline current [A] (0 unless fitted or given) and its 95 % half-width. */
  baseline: { value: number; halfWidth95: number; fitted: boolean };
  /** Diffusion time constant τ = L²/D [s]. */
  tau: number;
  regime: PittRegime;
  /** Human-readable notes on identifiability and fit quality. */
  notes: string[];
  quality: {
    nPoints: number;
    /** RMS of (I_fit − I)/max(|I|, floor) [-]. */
    rmsRelativeResidual: number;
    /** RMS of I_fit − I [A]. */
    rmsResidual: number;
    /** 1 − SS_res/SS_tot on the currents. */
    rSquared: number;
    converged: boolean;
    iterations: number;
    starts: number;
    /** Correlation of ln D and ln B. */
    correlationLogDLogB: number;
  };
  /** The fitted times [s] and currents [A]: data and model. */
  time: Float64Array;
  current: Float64Array;
  fitted: Float64Array;
}

/**
 * Evaluates the unit-charge model current u(t) = g·D/L²·j(D t/L², B) [A/C] at fixed times,
 * caching the eigenvalues for the last B.
 */
export class PittModel {
  private series: PittSeries | undefined;
  constructor(
    readonly time: Float64Array,
    readonly geometry: PittGeometry,
    readonly radius: number,
  ) {}

  /** Fill out[i] = current per unit ΔQ at time[i] [A/C] for D [m²/s], B [-]. */
  unitCurrent(D: number, B: number, out: Float64Array): Float64Array {
    if (!this.series || this.series.biot !== B) this.series = new PittSeries(this.geometry, B);
    const L2 = this.radius * this.radius;
    const rate = D / L2;
    const scale = (geometryFactor(this.geometry) * D) / L2;
    const t = this.time;
    const series = this.series;
    for (let i = 0; i < t.length; i++) {
      const s = t[i] * rate;
      out[i] =
        scale *
        (s < SHORT_TIME_SWITCH ? pittShortTimeDimensionless(s, B, this.geometry) : series.dimensionless(s));
    }
    return out;
  }

  /**
   * Fill out[i] = u(t_i) and dLogD[i] = ∂u/∂ln D = g·D/L²·(j + s·dj/ds) [A/C] at D, B.
   */
  unitCurrentAndLogDDerivative(D: number, B: number, out: Float64Array, dLogD: Float64Array): void {
    if (!this.series || this.series.biot !== B) this.series = new PittSeries(this.geometry, B);
    const L2 = this.radius * this.radius;
    const rate = D / L2;
    const scale = (geometryFactor(this.geometry) * D) / L2;
    const t = this.time;
    const series = this.series;
    for (let i = 0; i < t.length; i++) {
      const s = t[i] * rate;
      let j: number;
      let sdj: number;
      if (s < SHORT_TIME_SWITCH) {
        j = pittShortTimeDimensionless(s, B, this.geometry);
        sdj = pittShortTimeSTimesDerivative(s, B, this.geometry);
      } else {
        j = series.dimensionless(s);
        sdj = series.sTimesDerivative(s);
      }
      out[i] = scale * j;
      dLogD[i] = scale * (j + sdj);
    }
  }
}

/** Largest accepted ratio of the fitted step charge to the charge passed in the record. */
const MAX_EXTRAPOLATION = 20;

/**
 * Throw an InputError unless (t, I) looks like the current after one potential step: one sign
 * (opposite-sign points carry under 10 % of Σ|I|), no second rise (after falling below 10 % of
 * the peak, |I| stays below 50 % of it) and a magnitude that falls (the mean |I| of the last
 * quarter of the points is at least 2 % below the mean of the first quarter).
 */
function checkLooksLikeTransient(t: Float64Array, y: Float64Array, sign: number): void {
  const m = y.length;
  let total = 0;
  let opposite = 0;
  for (let k = 0; k < m; k++) {
    total += Math.abs(y[k]);
    if (y[k] * sign < 0) opposite += Math.abs(y[k]);
  }
  const expected =
    "a current transient of one sign that decays after a potential step (time from the step, current)";
  if (opposite > 0.1 * total) {
    throw new InputError(
      `the data do not look like a PITT transient: ${((100 * opposite) / total).toFixed(0)} % of the current has the opposite sign`,
      { field: "current", expected },
    );
  }
  // one step: once the current has decayed below 10 % of its peak it does not rise past 50 %
  // again (a GITT record or several PITT steps do)
  let peak = 0;
  for (let k = 0; k < m; k++) peak = Math.max(peak, Math.abs(y[k]));
  let decayed = false;
  for (let k = 0; k < m; k++) {
    const a = Math.abs(y[k]);
    if (a < 0.1 * peak) decayed = true;
    else if (decayed && a > 0.5 * peak) {
      throw new InputError(
        `the data do not look like a single PITT transient: the current decays below 10 % of its peak and rises again to ${((100 * a) / peak).toFixed(0)} % at t = ${t[k].toPrecision(4)} s (several steps or current pulses?)`,
        { field: "current", expected: `${expected}; a record with several steps: fit pitt --steps` },
      );
    }
  }
  const q = Math.max(2, Math.floor(m / 4));
  let early = 0;
  let late = 0;
  for (let k = 0; k < q; k++) {
    early += Math.abs(y[k]) / q;
    late += Math.abs(y[m - 1 - k]) / q;
  }
  if (!(late < 0.98 * early)) {
    throw new InputError(
      `the data do not look like a PITT transient: the current does not decay (mean |I| ${late.toPrecision(3)} at the end against ${early.toPrecision(3)} at the start, t = ${t[0].toPrecision(3)}…${t[m - 1].toPrecision(3)} s)`,
      { field: "current", expected },
    );
  }
}

/**
 * Fit a PITT current transient. `time` [s] from the potential step, `current` [A] (either
 * sign; anodic positive by the project convention). Throws InputError for unusable input.
 */
export function fitPitt(
  time: ArrayLike<number>,
  current: ArrayLike<number>,
  options: FitPittOptions,
): PittFitResult {
  const geometry = options.geometry ?? "sphere";
  const L = options.radius;
  if (!(L > 0) || !Number.isFinite(L))
    throw new InputError("radius must be positive", { field: "radius", value: String(L) });
  if (time.length !== current.length)
    throw new InputError("time and current differ in length", { field: "current" });
  const T = options.T ?? T_REF;
  const tMin = options.tMin ?? 0;
  const tMax = options.tMax ?? Number.POSITIVE_INFINITY;
  const keep: number[] = [];
  for (let i = 0; i < time.length; i++) {
    const t = time[i];
    const I = current[i];
    if (!Number.isFinite(t) || !Number.isFinite(I)) {
      throw new InputError(`non-finite value at point ${i + 1}`, {
        field: Number.isFinite(t) ? "current" : "time",
        line: i + 1,
      });
    }
    if (t > 0 && t >= tMin && t <= tMax) keep.push(i);
  }
  if (keep.length < 8) {
    throw new InputError(`only ${keep.length} points with t > 0 in the fit window`, {
      field: "time",
      expected: "at least 8 points",
    });
  }
  const m = keep.length;
  const t = new Float64Array(m);
  const y = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    t[k] = time[keep[k]];
    y[k] = current[keep[k]];
  }
  for (let k = 1; k < m; k++) {
    if (!(t[k] > t[k - 1]))
      throw new InputError("time must increase strictly", { field: "time", line: keep[k] + 1 });
  }
  let maxAbs = 0;
  let integral = 0;
  for (let k = 0; k < m; k++) maxAbs = Math.max(maxAbs, Math.abs(y[k]));
  for (let k = 1; k < m; k++) integral += 0.5 * (y[k] + y[k - 1]) * (t[k] - t[k - 1]);
  if (!(maxAbs > 0)) throw new InputError("the current is zero everywhere", { field: "current" });
  const sign = integral >= 0 ? 1 : -1;
  checkLooksLikeTransient(t, y, sign);

  const givenBaseline = typeof options.baseline === "number" ? options.baseline : 0;
  const fitBaseline = options.baseline === "free";
  const floor = options.currentFloor ?? 1e-3 * maxAbs;
  const weight = new Float64Array(m);
  for (let k = 0; k < m; k++)
    weight[k] = options.weighting === "absolute" ? 1 / maxAbs : 1 / Math.max(Math.abs(y[k]), floor);
  const target = new Float64Array(m);
  for (let k = 0; k < m; k++) target[k] = y[k] - givenBaseline;

  const model = new PittModel(t, geometry, L);
  const unit = new Float64Array(m);

  // --- starting guesses ---------------------------------------------------------------
  const lambda = lateDecayRate(t, target, sign, floor);
  const qFixed = options.Q !== undefined;
  if (qFixed && !(Number.isFinite(options.Q) && options.Q !== 0)) {
    throw new InputError("known charge Q must be a non-zero number", {
      field: "Q",
      value: String(options.Q),
    });
  }
  const candidates: { lnD: number; lnB: number; lnQ: number; cost: number }[] = [];
  for (const B of [0.01, 0.1, 0.5, 2, 10, 100, 1000]) {
    const { rate } = pittLongTimeTerm(B, geometry);
    const D0 = (lambda * L * L) / rate;
    for (const factor of [1, 0.1, 10]) {
      const D = D0 * factor;
      model.unitCurrent(D, B, unit);
      // weighted LS for Q (and the baseline ignored at this stage)
      let num = 0;
      let den = 0;
      for (let k = 0; k < m; k++) {
        const w2 = weight[k] * weight[k];
        num += w2 * unit[k] * target[k];
        den += w2 * unit[k] * unit[k];
      }
      const Q = qFixed ? (options.Q as number) : num / den;
      if (!(Q * sign > 0) || !Number.isFinite(Q)) continue;
      let cost = 0;
      for (let k = 0; k < m; k++) {
        const r = weight[k] * (Q * unit[k] - target[k]);
        cost += r * r;
      }
      if (Number.isFinite(cost))
        candidates.push({ lnD: Math.log(D), lnB: Math.log(B), lnQ: Math.log(Math.abs(Q)), cost });
    }
  }
  if (candidates.length === 0)
    throw new InputError("cannot find a starting point: is this a PITT transient?", { field: "current" });
  candidates.sort((a, b) => a.cost - b.cost);

  const lnDCenter = Math.log((lambda * L * L) / 3);
  const residual = (p: Float64Array, out: Float64Array) => {
    model.unitCurrent(Math.exp(p[0]), Math.exp(p[1]), unit);
    const Q = sign * Math.exp(p[2]);
    for (let k = 0; k < m; k++) out[k] = weight[k] * (Q * unit[k] + p[3] - target[k]);
  };
  // Analytic columns for ln D, ln Q and the baseline; ln B by a forward difference (the
  // eigenvalues depend on B), step 1e-7 in ln B (relative error ~1e-7 in that column).
  const dLogD = new Float64Array(m);
  const shifted = new Float64Array(m);
  const jacobian = (p: Float64Array, J: Float64Array) => {
    const D = Math.exp(p[0]);
    const B = Math.exp(p[1]);
    const Q = sign * Math.exp(p[2]);
    const h = 1e-7;
    model.unitCurrent(D, B * Math.exp(h), shifted);
    model.unitCurrentAndLogDDerivative(D, B, unit, dLogD);
    for (let k = 0; k < m; k++) {
      const w = weight[k];
      J[4 * k] = w * Q * dLogD[k];
      J[4 * k + 1] = (w * Q * (shifted[k] - unit[k])) / h;
      J[4 * k + 2] = w * Q * unit[k];
      J[4 * k + 3] = w;
    }
  };
  const lower = [lnDCenter - 20, Math.log(1e-5), -Infinity, -Infinity];
  const upper = [lnDCenter + 20, Math.log(1e5), Infinity, Infinity];
  const fixed = [false, false, qFixed, !fitBaseline];
  let best: ReturnType<typeof leastSquares> | undefined;
  const starts = Math.min(3, candidates.length);
  for (let c = 0; c < starts; c++) {
    const start = candidates[c];
    const p0 = [
      Math.min(Math.max(start.lnD, lower[0]), upper[0]),
      Math.min(Math.max(start.lnB, lower[1]), upper[1]),
      qFixed ? Math.log(Math.abs(options.Q as number)) : start.lnQ,
      0,
    ];
    let r: ReturnType<typeof leastSquares>;
    try {
      r = leastSquares({ nResiduals: m, residual, jacobian }, p0, {
        lower,
        upper,
        fixed,
        maxIterations: options.maxIterations ?? 200,
        typical: [1, 1, 1, 1e-3 * maxAbs],
      });
    } catch {
      continue; // a start where the model is not finite: try the next one
    }
    if (Number.isFinite(r.cost) && (!best || r.cost < best.cost)) best = r;
  }
  if (!best)
    throw new InputError("the PITT model could not be fitted from any starting point", { field: "current" });
  const fit = best;
  const p = fit.params;
  const n = 4;
  const cov = fit.covariance;
  const tq = fit.standardErrors[0] > 0 ? fit.confidenceInterval95[0] / fit.standardErrors[0] : 1.96;
  const determinedFactor = options.determinedFactor ?? 2;

  const quantity = (lnValue: number, variance: number, rankOk: boolean, scale = 1): FittedQuantity => {
    const se = Math.sqrt(Math.max(variance, 0));
    const half = tq * se;
    const value = Math.exp(lnValue) * scale;
    return {
      value,
      ci95: [Math.exp(lnValue - half) * scale, Math.exp(lnValue + half) * scale],
      logStandardError: se,
      determined: rankOk && Math.exp(half) < determinedFactor,
    };
  };
  const cDD = cov[0 * n + 0];
  const cBB = cov[1 * n + 1];
  const cDB = cov[0 * n + 1];
  const idD = fit.identifiable[0];
  const idB = fit.identifiable[1];
  const D = quantity(p[0], cDD, idD);
  const B = quantity(p[1], cBB, idB);
  const Qq = quantity(p[2], cov[2 * n + 2], qFixed || fit.identifiable[2], sign);
  if (sign < 0) Qq.ci95 = [Qq.ci95[1], Qq.ci95[0]];
  if (qFixed) {
    const q = options.Q as number;
    Object.assign(Qq, { value: q, ci95: [q, q], logStandardError: 0, determined: true });
  }
  // k = B·D/L: ln k = ln B + ln D − ln L; its variance includes the covariance of ln B and ln D
  const varSum = cBB + cDD + 2 * cDB;
  const k = quantity(p[0] + p[1], varSum, true, 1 / L);
  const notes: string[] = [];
  let i0: FittedQuantity | undefined;
  let dUdcFromStep: number | undefined;
  if (options.dUdc !== undefined) {
    const dUdc = Math.abs(options.dUdc);
    if (!(dUdc > 0) || !Number.isFinite(dUdc))
      throw new InputError("|dU/dc| must be positive", { field: "dUdc", value: String(options.dUdc) });
    // i0 = B·D·R·T/(L·|∂U/∂c|) (seed 000, below eqn 5) = k·R·T/|∂U/∂c|
    i0 = quantity(p[0] + p[1], varSum, true, (GAS_CONSTANT * T) / (L * dUdc));
  } else if (options.stepVoltage !== undefined && geometry === "sphere") {
    const dV = Math.abs(options.stepVoltage);
    if (!(dV > 0) || !Number.isFinite(dV)) {
      throw new InputError("the step voltage must be non-zero", {
        field: "stepVoltage",
        value: String(options.stepVoltage),
      });
    }
    // |∂U/∂c| = |ΔV|·F·V_p/|ΔQ|  ⇒  i0 = B·D·R·T·|ΔQ|/(L·|ΔV|·F·V_p): ln i0 = ln B + ln D + ln|ΔQ| + const
    const volume = (4 / 3) * Math.PI * L ** 3;
    dUdcFromStep = (dV * FARADAY * volume) / Math.abs(Qq.value);
    const cQQ = qFixed ? 0 : cov[2 * n + 2];
    const cDQ = qFixed ? 0 : cov[0 * n + 2];
    const cBQ = qFixed ? 0 : cov[1 * n + 2];
    const lnQ = Math.log(Math.abs(Qq.value));
    i0 = quantity(
      p[0] + p[1] + lnQ,
      varSum + cQQ + 2 * cDQ + 2 * cBQ,
      true,
      (GAS_CONSTANT * T) / (L * dV * FARADAY * volume),
    );
  }
  const Bv = B.value;
  const regime = pittRegime(Bv);
  // Outside mixed control the valley of the cost in (ln D, ln B) is long and curved, and the
  // linearised interval understates the error (1 % noise at B = 0.05 moves D by ~25 % while
  // the linear interval is ±30 %; at B = 0.005 over 5 τ with ΔQ free, i0 moves by 13 % inside a
  // ±12 % interval): there, a quantity counts as determined only when its interval is within
  // ±10 %.
  const strict = (q: FittedQuantity) => {
    if (q.ci95[1] / q.ci95[0] > 1.1 ** 2) q.determined = false;
  };
  if (regime !== "mixed") {
    strict(D);
    strict(B);
    strict(k);
    if (i0) strict(i0);
  }
  if (Bv < 0.1) {
    notes.push(
      `reaction-limited (B = ${Bv.toPrecision(3)} < 0.1): the transient is nearly a single exponential with rate ${geometryFactor(geometry)}k/L, so k = B·D/L${i0 ? " and i0" : ""} are determined but D and B separately are ${D.determined ? "only weakly determined" : "not identifiable"}`,
    );
  } else if (Bv > 10) {
    notes.push(
      `diffusion-limited (B = ${Bv.toPrecision(3)} > 10): the surface is near equilibrium, so the transient carries D; B${i0 ? " and i0" : ""} ${B.determined ? "follow only from the short-time curvature" : "are only bounded from below"}`,
    );
  } else {
    notes.push(
      `mixed control (0.1 ≤ B = ${Bv.toPrecision(3)} ≤ 10): D and B are both carried by the transient`,
    );
  }
  if (!D.determined)
    notes.push(`D is not determined by these data (95 % interval ${fmt(D.ci95[0])}–${fmt(D.ci95[1])} m²/s)`);
  if (!B.determined)
    notes.push(`B is not determined by these data (95 % interval ${fmt(B.ci95[0])}–${fmt(B.ci95[1])})`);
  if (i0 && !i0.determined) notes.push("i0 is not determined by these data");
  if (fit.activeBounds[0] || fit.activeBounds[1])
    notes.push(
      "the fit ended on a parameter bound (B in 1e-5…1e5 or D within e^±20 of the decay-rate estimate)",
    );
  if (!fit.converged) notes.push(`least squares did not converge: ${fit.message}`);
  // a transient that decays within the record passes most of its step charge there; a fit
  // that extrapolates far beyond the charge recorded has fitted something else (an impedance
  // table read as time and current gave ΔQ = 3e6 C from 3e3 C recorded)
  if (!qFixed && Math.abs(Qq.value) > MAX_EXTRAPOLATION * Math.abs(integral)) {
    throw new InputError(
      `the data do not look like a PITT transient: the fit extrapolates a step charge of ${fmt(Qq.value)} C, ${fmt(Math.abs(Qq.value / integral))} times the ${fmt(integral)} C passed in the record`,
      {
        field: "current",
        expected: `a current transient that decays after a potential step, recorded until it has passed at least 1/${MAX_EXTRAPOLATION} of the step charge (or give the step charge)`,
      },
    );
  }
  const tau = (L * L) / D.value;
  const tSpan = t[m - 1];
  if (tSpan < 0.05 * tau)
    notes.push(
      `the data end at t = ${fmt(tSpan)} s, ${fmt(tSpan / tau)} τ: the long-time decay is not sampled`,
    );

  // fitted curve and quality
  const fitted = new Float64Array(m);
  model.unitCurrent(D.value, B.value, unit);
  let ssRes = 0;
  let ssRel = 0;
  let mean = 0;
  for (let k2 = 0; k2 < m; k2++) mean += y[k2] / m;
  let ssTot = 0;
  for (let k2 = 0; k2 < m; k2++) {
    fitted[k2] = Qq.value * unit[k2] + p[3] + givenBaseline;
    const r = fitted[k2] - y[k2];
    ssRes += r * r;
    ssRel += (r / Math.max(Math.abs(y[k2]), floor)) ** 2;
    ssTot += (y[k2] - mean) ** 2;
  }
  const corr = cDD > 0 && cBB > 0 ? cDB / Math.sqrt(cDD * cBB) : 0;
  return {
    geometry,
    radius: L,
    D,
    B,
    Q: { ...Qq, fixed: qFixed },
    k,
    i0,
    dUdc: options.dUdc !== undefined ? Math.abs(options.dUdc) : dUdcFromStep,
    baseline: {
      value: p[3] + givenBaseline,
      halfWidth95: fitBaseline ? fit.confidenceInterval95[3] : 0,
      fitted: fitBaseline,
    },
    tau,
    regime,
    notes,
    quality: {
      nPoints: m,
      rmsRelativeResidual: Math.sqrt(ssRel / m),
      rmsResidual: Math.sqrt(ssRes / m),
      rSquared: ssTot > 0 ? 1 - ssRes / ssTot : 1,
      converged: fit.converged,
      iterations: fit.iterations,
      starts,
      correlationLogDLogB: Math.max(-1, Math.min(1, corr)),
    },
    time: t,
    current: y,
    fitted,
  };
}

function fmt(v: number): string {
  return v.toPrecision(3);
}

/**
 * Late-time decay rate λ [1/s] from a straight line through ln(sign·I) vs t over the last
 * 40 % of the points above the floor (one-term long-time form, REFERENCE §4). Falls back to
 * 1/t_end when the tail is not exponential-looking.
 */
function lateDecayRate(t: Float64Array, y: Float64Array, sign: number, floor: number): number {
  const m = t.length;
  const tEnd = t[m - 1];
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let count = 0;
  for (let k = Math.floor(0.6 * m); k < m; k++) {
    const v = sign * y[k];
    if (v > floor) {
      const ly = Math.log(v);
      sx += t[k];
      sy += ly;
      sxx += t[k] * t[k];
      sxy += t[k] * ly;
      count++;
    }
  }
  if (count >= 3) {
    const slope = (count * sxy - sx * sy) / (count * sxx - sx * sx);
    if (Number.isFinite(slope) && slope < 0) return Math.max(-slope, 0.1 / tEnd);
  }
  return 1 / tEnd;
}
