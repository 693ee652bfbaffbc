/**
 * Monotone piecewise-cubic Hermite interpolation (PCHIP), Fritsch & Carlson, SIAM J. Numer.
 * Anal. 17 (1980) 238–246, with the derivative choice of Fritsch & Butland (1984) — weighted
 * harmonic mean of neighbouring secants, zero at local extrema — and the non-centred
 * three-point end conditions, i.e. the same interpolant as scipy.interpolate.PchipInterpolator
 * (Moler, "Numerical Computing with MATLAB", §3.4). Extrapolates with the end cubics, as scipy's
 * default. Units: x and y in the caller's units; derivative in [y]/[x].
 */
import { InputError } from "../errors.js";

export class PchipInterpolant {
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Node derivatives dy/dx [y unit / x unit]. */
  readonly slopes: Float64Array;

  /**
   * @param x strictly increasing abscissae (≥ 2 points)
   * @param y ordinates, same length
   */
  constructor(x: ArrayLike<number>, y: ArrayLike<number>) {
    const n = x.length;
    if (n < 2) throw new InputError("PCHIP needs at least 2 points", { field: "x", expected: "≥ 2 points" });
    if (y.length !== n) {
      throw new InputError("x and y differ in length", { field: "y", expected: `${n} values, one per x` });
    }
    this.x = Float64Array.from(x);
    this.y = Float64Array.from(y);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(this.x[i]) || !Number.isFinite(this.y[i])) {
        throw new InputError(`non-finite value at index ${i}`, { field: "x/y", expected: "finite numbers" });
      }
      if (i > 0 && !(this.x[i] > this.x[i - 1])) {
        throw new InputError(`x is not strictly increasing at index ${i}`, {
          field: "x",
          value: String(this.x[i]),
          expected: `a value > ${this.x[i - 1]}`,
        });
      }
    }
    this.slopes = pchipSlopes(this.x, this.y);
  }

  /** Index k of the interval [x_k, x_{k+1}] used for t (end intervals extend outward). */
  private interval(t: number): number {
    const x = this.x;
    const n = x.length;
    if (t <= x[1]) return 0;
    if (t >= x[n - 2]) return n - 2;
    let lo = 1;
    let hi = n - 2;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (x[mid] <= t) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** Interpolated value at t. */
  value(t: number): number {
    const k = this.interval(t);
    const h = this.x[k + 1] - this.x[k];
    const s = (t - this.x[k]) / h;
    const s2 = s * s;
    const s3 = s2 * s;
    // cubic Hermite basis
    const h00 = 2 * s3 - 3 * s2 + 1;
    const h10 = s3 - 2 * s2 + s;
    const h01 = -2 * s3 + 3 * s2;
    const h11 = s3 - s2;
    return h00 * this.y[k] + h10 * h * this.slopes[k] + h01 * this.y[k + 1] + h11 * h * this.slopes[k + 1];
  }

  /** First derivative at t [y unit / x unit]. */
  derivative(t: number): number {
    const k = this.interval(t);
    const h = this.x[k + 1] - this.x[k];
    const s = (t - this.x[k]) / h;
    const s2 = s * s;
    const d00 = 6 * s2 - 6 * s;
    const d10 = 3 * s2 - 4 * s + 1;
    const d01 = -6 * s2 + 6 * s;
    const d11 = 3 * s2 - 2 * s;
    return (d00 * this.y[k] + d01 * this.y[k + 1]) / h + d10 * this.slopes[k] + d11 * this.slopes[k + 1];
  }

  /** Evaluate at many points into `out` (no allocation). */
  valueInto(t: ArrayLike<number>, out: Float64Array): Float64Array {
    for (let i = 0; i < t.length; i++) out[i] = this.value(t[i]);
    return out;
  }

  /** Derivative at many points into `out`. */
  derivativeInto(t: ArrayLike<number>, out: Float64Array): Float64Array {
    for (let i = 0; i < t.length; i++) out[i] = this.derivative(t[i]);
    return out;
  }
}

/** Fritsch–Butland node slopes with the three-point end formula (as scipy PchipInterpolator). */
export function pchipSlopes(x: Float64Array, y: Float64Array): Float64Array {
  const n = x.length;
  const d = new Float64Array(n);
  if (n === 2) {
    const m = (y[1] - y[0]) / (x[1] - x[0]);
    d[0] = m;
    d[1] = m;
    return d;
  }
  for (let k = 1; k < n - 1; k++) {
    const h0 = x[k] - x[k - 1];
    const h1 = x[k + 1] - x[k];
    const m0 = (y[k] - y[k - 1]) / h0;
    const m1 = (y[k + 1] - y[k]) / h1;
    if (m0 === 0 || m1 === 0 || Math.sign(m0) !== Math.sign(m1)) {
      d[k] = 0;
    } else {
      const w1 = 2 * h1 + h0;
      const w2 = h1 + 2 * h0;
      d[k] = (w1 + w2) / (w1 / m0 + w2 / m1);
    }
  }
  d[0] = endSlope(x[1] - x[0], x[2] - x[1], (y[1] - y[0]) / (x[1] - x[0]), (y[2] - y[1]) / (x[2] - x[1]));
  d[n - 1] = endSlope(
    x[n - 1] - x[n - 2],
    x[n - 2] - x[n - 3],
    (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2]),
    (y[n - 2] - y[n - 3]) / (x[n - 2] - x[n - 3]),
  );
  return d;
}

/** Non-centred, shape-preserving three-point end slope (Moler 2004, pchip.m end conditions). */
function endSlope(h0: number, h1: number, m0: number, m1: number): number {
  let d = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1);
  if (Math.sign(d) !== Math.sign(m0)) d = 0;
  else if (Math.sign(m0) !== Math.sign(m1) && Math.abs(d) > Math.abs(3 * m0)) d = 3 * m0;
  return d;
}
