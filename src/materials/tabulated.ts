/**
 * Monotone piecewise-cubic Hermite interpolation (PCHIP) of tabulated material data.
 *
 * A small local implementation so the material modules do not depend on `numerics/`.
 * Derivatives at interior knots follow Fritsch & Butland (1984), the weighted harmonic mean
 * used by SciPy's `PchipInterpolator`: with h_k = x_{k+1} − x_k and secant slopes δ_k,
 *   d_k = 0 when δ_{k−1}·δ_k ≤ 0, else (w1 + w2)/d_k = w1/δ_{k−1} + w2/δ_k,
 *   w1 = 2h_k + h_{k−1}, w2 = h_k + 2h_{k−1};
 * end slopes use SciPy's shape-preserving three-point formula. The interpolant therefore
 * equals SciPy's on the table range (verified against a SciPy fixture in the tests), keeps the
 * data monotone where the data are, and never overshoots a local extremum of the table.
 *
 * Outside the table the caller chooses: `"clamp"` (constant end values, the default, used for
 * lattice parameters and log-tables of kinetic data) or `"linear"` (C¹ linear continuation with
 * the end slope).
 */

export type Extrapolation = "clamp" | "linear";

export class MonotoneCubic {
  /** Knots (strictly increasing). */
  readonly xs: Float64Array;
  /** Values at the knots. */
  readonly ys: Float64Array;
  /** Hermite slopes at the knots. */
  readonly slopes: Float64Array;
  readonly extrapolation: Extrapolation;

  /**
   * @param xs knot positions; any order, sorted here (must be distinct)
   * @param ys values at the knots
   */
  constructor(xs: readonly number[], ys: readonly number[], extrapolation: Extrapolation = "clamp") {
    if (xs.length !== ys.length || xs.length < 2)
      throw new Error("MonotoneCubic: need ≥ 2 knots of equal length");
    const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
    const n = xs.length;
    this.xs = new Float64Array(n);
    this.ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.xs[i] = xs[order[i]];
      this.ys[i] = ys[order[i]];
      if (!Number.isFinite(this.xs[i]) || !Number.isFinite(this.ys[i]))
        throw new Error("MonotoneCubic: non-finite knot");
      if (i > 0 && !(this.xs[i] > this.xs[i - 1])) throw new Error("MonotoneCubic: knots must be distinct");
    }
    this.extrapolation = extrapolation;
    this.slopes = pchipSlopes(this.xs, this.ys);
  }

  /** Value at `x`. */
  value(x: number): number {
    const { xs, ys, slopes } = this;
    const n = xs.length;
    if (x <= xs[0]) return this.extrapolation === "linear" ? ys[0] + slopes[0] * (x - xs[0]) : ys[0];
    if (x >= xs[n - 1])
      return this.extrapolation === "linear" ? ys[n - 1] + slopes[n - 1] * (x - xs[n - 1]) : ys[n - 1];
    const k = this.interval(x);
    const h = xs[k + 1] - xs[k];
    const t = (x - xs[k]) / h;
    const t2 = t * t;
    const t3 = t2 * t;
    // Cubic Hermite basis.
    const h00 = 2 * t3 - 3 * t2 + 1;
    const h10 = t3 - 2 * t2 + t;
    const h01 = -2 * t3 + 3 * t2;
    const h11 = t3 - t2;
    return h00 * ys[k] + h10 * h * slopes[k] + h01 * ys[k + 1] + h11 * h * slopes[k + 1];
  }

  /** First derivative d(value)/dx at `x` (0 outside the table when clamped). */
  derivative(x: number): number {
    const { xs, ys, slopes } = this;
    const n = xs.length;
    if (x < xs[0]) return this.extrapolation === "linear" ? slopes[0] : 0;
    if (x > xs[n - 1]) return this.extrapolation === "linear" ? slopes[n - 1] : 0;
    const k = Math.min(this.interval(x), n - 2);
    const h = xs[k + 1] - xs[k];
    const t = (x - xs[k]) / h;
    const t2 = t * t;
    const d00 = (6 * t2 - 6 * t) / h;
    const d10 = 3 * t2 - 4 * t + 1;
    const d01 = (-6 * t2 + 6 * t) / h;
    const d11 = 3 * t2 - 2 * t;
    return d00 * ys[k] + d10 * slopes[k] + d01 * ys[k + 1] + d11 * slopes[k + 1];
  }

  /** Index k with xs[k] ≤ x < xs[k+1] (binary search; x inside the table). */
  private interval(x: number): number {
    const xs = this.xs;
    let lo = 0;
    let hi = xs.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] <= x) lo = mid;
      else hi = mid;
    }
    return lo;
  }
}

/** PCHIP knot slopes (Fritsch–Butland interior, SciPy end-point rule). */
function pchipSlopes(xs: Float64Array, ys: Float64Array): Float64Array {
  const n = xs.length;
  const d = new Float64Array(n);
  const h = new Float64Array(n - 1);
  const delta = new Float64Array(n - 1);
  for (let k = 0; k < n - 1; k++) {
    h[k] = xs[k + 1] - xs[k];
    delta[k] = (ys[k + 1] - ys[k]) / h[k];
  }
  if (n === 2) {
    d[0] = delta[0];
    d[1] = delta[0];
    return d;
  }
  for (let k = 1; k < n - 1; k++) {
    if (delta[k - 1] * delta[k] <= 0) {
      d[k] = 0;
    } else {
      const w1 = 2 * h[k] + h[k - 1];
      const w2 = h[k] + 2 * h[k - 1];
      d[k] = (w1 + w2) / (w1 / delta[k - 1] + w2 / delta[k]);
    }
  }
  d[0] = endSlope(h[0], h[1], delta[0], delta[1]);
  d[n - 1] = endSlope(h[n - 2], h[n - 3], delta[n - 2], delta[n - 3]);
  return d;
}

/** SciPy's one-sided three-point end slope, limited to preserve shape. */
function endSlope(h0: number, h1: number, m0: number, m1: number): number {
  const d = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1);
  if (Math.sign(d) !== Math.sign(m0)) return 0;
  if (Math.sign(m0) !== Math.sign(m1) && Math.abs(d) > Math.abs(3 * m0)) return 3 * m0;
  return d;
}

/**
 * A function of x tabulated as log10 of a positive quantity, interpolated by PCHIP in log space
 * (so the quantity stays positive and spans decades smoothly), clamped outside the table.
 * @param xs Li fractions of the knots [-]
 * @param log10Values log10 of the quantity at the knots (quantity in SI)
 */
export function logTable(xs: readonly number[], log10Values: readonly number[]): (x: number) => number {
  const spline = new MonotoneCubic(xs, log10Values, "clamp");
  return (x: number) => 10 ** spline.value(x);
}
