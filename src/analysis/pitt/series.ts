/**
 * PITT current after a potential step with linearised surface kinetics (REFERENCE §4,
 * SPEC §3.4; seed 000 eqns 4–5 and refs 41–42 there).
 *
 * Dimensionless time s = D·t/L² (L = sphere radius or film thickness) and dimensionless
 * current j = I·L/(F·S·D·Δc), S the wetted area. With ΔQ the total charge of the step:
 *
 *   sphere: I(t) = (6ΔQ·D/L²)·Σ B²/(b_n² + B² − B)·exp(−b_n² s) = (3ΔQ·D/L²)·j(s),
 *           b_n cot b_n = 1 − B
 *   planar: I(t) = (2ΔQ·D/L²)·Σ B²/(b_n² + B² + B)·exp(−b_n² s) = (ΔQ·D/L²)·j(s),
 *           b_n tan b_n = B
 *
 * (Crank 1975 ch. 6 and ch. 4, sphere and plane sheet with surface evaporation, differentiated at
 * the surface.) Checks: ∫I dt = ΔQ, and
 * I(0⁺) = 3·B·D·ΔQ/L² (sphere) or B·D·ΔQ/L² (planar), i.e. j(0⁺) = B.
 *
 * The series converges slowly at short times (about √(40/s)/π terms), so `method: "auto"`
 * switches to the short-time closed form below s = SHORT_TIME_SWITCH, where the two agree to
 * round-off (the neglected reflection from the centre is of order exp(−1/s); tested against
 * a 40 000-term SciPy sum in test/analysis/pitt).
 */
import { type PittGeometry, pittEigenvalue } from "./eigenvalues.js";
import { pittShortTimeDimensionless } from "./short-time.js";

export type { PittGeometry } from "./eigenvalues.js";

/** Below this dimensionless time the "auto" method uses the short-time closed form. */
export const SHORT_TIME_SWITCH = 0.02;

/** Geometric factor g in I = g·ΔQ·D/L²·j(s): 3 for a sphere, 1 for a planar film. */
export function geometryFactor(geometry: PittGeometry): number {
  return geometry === "sphere" ? 3 : 1;
}

export type PittMethod = "auto" | "series" | "shortTime";

/**
 * Cached eigenvalues and series coefficients for one (geometry, B); grows on demand.
 * Reused across the points of a transient, so a fit evaluates roots once per B.
 */
export class PittSeries {
  readonly geometry: PittGeometry;
  readonly biot: number;
  private roots = new Float64Array(0);
  private squares = new Float64Array(0);
  private coefficients = new Float64Array(0);
  private count = 0;

  constructor(geometry: PittGeometry, biot: number) {
    if (!(biot > 0) || !Number.isFinite(biot))
      throw new RangeError(`Biot number must be positive and finite, got ${biot}`);
    this.geometry = geometry;
    this.biot = biot;
  }

  /** Number of eigenvalues computed so far. */
  get terms(): number {
    return this.count;
  }

  /** n-th eigenvalue (1-based), computing more as needed. */
  eigenvalue(n: number): number {
    this.ensure(n);
    return this.roots[n - 1];
  }

  private ensure(n: number): void {
    if (n <= this.count) return;
    const capacity = Math.max(n, 2 * this.count, 16);
    const roots = new Float64Array(capacity);
    roots.set(this.roots.subarray(0, this.count));
    for (let i = this.count; i < capacity; i++) roots[i] = pittEigenvalue(this.geometry, this.biot, i + 1);
    const B = this.biot;
    const shift = this.geometry === "sphere" ? B * B - B : B * B + B;
    const squares = new Float64Array(capacity);
    const coefficients = new Float64Array(capacity);
    for (let i = 0; i < capacity; i++) {
      const b2 = roots[i] * roots[i];
      squares[i] = b2;
      coefficients[i] = (2 * B * B) / (b2 + shift);
    }
    this.roots = roots;
    this.squares = squares;
    this.coefficients = coefficients;
    this.count = capacity;
  }

  /**
   * Dimensionless current j(s) = 2 Σ c_n exp(−b_n² s) summed until the next term is below
   * 1e-17 of the sum (terms fall monotonically). s > 0; s = 0 returns j(0⁺) = B.
   * @param maxTerms hard cap on the number of terms (default 200 000)
   */
  dimensionless(s: number, maxTerms = 200_000): number {
    if (s <= 0) return this.biot;
    // terms needed: b_n² s > 41 (exp < 1.6e-18) → b_n ≈ nπ > √(41/s)
    const needed = Math.min(maxTerms, Math.ceil(Math.sqrt(41 / s) / Math.PI) + 2);
    this.ensure(needed);
    let sum = 0;
    const sq = this.squares;
    const co = this.coefficients;
    for (let i = 0; i < needed; i++) {
      const term = co[i] * Math.exp(-sq[i] * s);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return sum;
  }

  /**
   * s·dj/ds = −s·Σ c_n b_n² exp(−b_n² s) (for the ∂/∂ln D column of the fit Jacobian); s > 0.
   */
  sTimesDerivative(s: number, maxTerms = 200_000): number {
    const needed = Math.min(maxTerms, Math.ceil(Math.sqrt(41 / s) / Math.PI) + 2);
    this.ensure(needed);
    let sum = 0;
    const sq = this.squares;
    const co = this.coefficients;
    for (let i = 0; i < needed; i++) {
      const term = co[i] * sq[i] * Math.exp(-sq[i] * s);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return -s * sum;
  }
}

/**
 * Dimensionless PITT current j(s) (see module doc).
 * @param s dimensionless time D·t/L² [-]
 * @param biot Biot number B = k·L/D [-]
 */
export function pittDimensionlessCurrent(
  s: number,
  biot: number,
  geometry: PittGeometry = "sphere",
  method: PittMethod = "auto",
  series?: PittSeries,
): number {
  if (method === "shortTime" || (method === "auto" && s < SHORT_TIME_SWITCH)) {
    return pittShortTimeDimensionless(s, biot, geometry);
  }
  const ser =
    series && series.biot === biot && series.geometry === geometry ? series : new PittSeries(geometry, biot);
  return ser.dimensionless(s);
}

/** Parameters of a PITT transient, SI. */
export interface PittParameters {
  /** Chemical diffusivity [m²/s]. */
  D: number;
  /** Electrochemical Biot number B = k·L/D [-]. */
  B: number;
  /** Total charge of the step ΔQ [C] (sign gives the current sign). */
  Q: number;
  /** Sphere radius or film thickness L [m]. */
  radius: number;
  /** Default "sphere". */
  geometry?: PittGeometry;
}

/**
 * PITT current I(t) [A] at times `t` [s] after the step (REFERENCE §4, SPEC §3.4).
 * `method` "series" forces the adaptive series at every t (used to verify the switch);
 * "auto" (default) uses the short-time closed form where s < SHORT_TIME_SWITCH.
 */
export function pittCurrentSeries(
  t: ArrayLike<number>,
  params: PittParameters,
  method: PittMethod = "auto",
  out: Float64Array = new Float64Array(t.length),
): Float64Array {
  const { D, B, Q, radius } = params;
  const geometry = params.geometry ?? "sphere";
  if (!(D > 0) || !(radius > 0)) throw new RangeError("D and radius must be positive");
  const series = new PittSeries(geometry, B);
  const scale = (geometryFactor(geometry) * Q * D) / (radius * radius);
  const rate = D / (radius * radius);
  for (let i = 0; i < t.length; i++) {
    out[i] = scale * pittDimensionlessCurrent(t[i] * rate, B, geometry, method, series);
  }
  return out;
}

/**
 * Charge passed from t = 0 to t [C]: ΔQ·(1 − Σ w_n exp(−b_n² s)) with the series weights
 * normalised so that the charge tends to ΔQ; used for the ∫I dt = ΔQ check and for tail
 * corrections. Σ_n 2c_n/b_n² = 1/g (c_n = B²/(b_n² + B² ∓ B)), so w_n = 2g·c_n/b_n². At most
 * 20 000 terms (the t = 0 sum then converges to ~1e-13).
 */
export function pittChargeSeries(t: number, params: PittParameters): number {
  const geometry = params.geometry ?? "sphere";
  const s = (params.D * t) / (params.radius * params.radius);
  const series = new PittSeries(geometry, params.B);
  const g = geometryFactor(geometry);
  // remaining fraction: Σ g·(c_n/2)·2/b_n² exp(−b_n² s); c_n here is 2B²/(…)
  const shift = geometry === "sphere" ? params.B * params.B - params.B : params.B * params.B + params.B;
  const needed = Math.max(64, Math.ceil(Math.sqrt(41 / Math.max(s, 1e-12)) / Math.PI) + 2);
  let remaining = 0;
  for (let n = 1; n <= Math.min(needed, 20_000); n++) {
    const b = series.eigenvalue(n);
    const b2 = b * b;
    const c = (params.B * params.B) / (b2 + shift);
    remaining += ((2 * g * c) / b2) * Math.exp(-b2 * s);
  }
  // the sum of g·2c_n/b_n² is 1 (it is the t = 0 value); see test
  return params.Q * (1 - remaining);
}
