/**
 * Smoothed OCV curve U(x) and its derivative dU/dx from scattered relaxed-OCV points:
 *   1. sort by x, average repeated x;
 *   2. optional local-quadratic smoothing (LOESS with tricube weights, Cleveland 1979) with a
 *      bandwidth in x;
 *   3. isotonic regression (pool-adjacent-violators, Barlow et al. 1972) so that U is monotone
 *      in x (decreasing for a cathode: U rises as Li leaves);
 *   4. monotone PCHIP through the result (src/numerics/interpolate.ts), whose derivative is dU/dx.
 * Units: x [-], U [V], dU/dx [V].
 */
import { InputError } from "../../errors.js";
import { PchipInterpolant } from "../../numerics/interpolate.js";

export interface OcvCurveOptions {
  /** Half-width of the smoothing window in x (default 0: no smoothing). */
  bandwidth?: number;
  /** Monotone direction of U in x: "decreasing" (cathode, default), "increasing" or "none". */
  monotone?: "decreasing" | "increasing" | "none";
}

export interface OcvCurve {
  /** Knots after smoothing and monotone projection. */
  x: Float64Array;
  u: Float64Array;
  /** U(x) [V]. */
  value(x: number): number;
  /** dU/dx [V]. */
  derivative(x: number): number;
}

/** Build a smoothed monotone OCV curve from points (x [-], U [V]). */
export function ocvCurve(
  x: ArrayLike<number>,
  u: ArrayLike<number>,
  options: OcvCurveOptions = {},
): OcvCurve {
  if (x.length !== u.length) throw new InputError("x and U differ in length", { field: "U" });
  const order = Array.from({ length: x.length }, (_, i) => i).filter(
    (i) => Number.isFinite(x[i]) && Number.isFinite(u[i]),
  );
  if (order.length !== x.length) throw new InputError("non-finite x or U", { field: "x/U" });
  order.sort((a, b) => x[a] - x[b]);
  // merge repeated x
  const xs: number[] = [];
  const us: number[] = [];
  const counts: number[] = [];
  for (const i of order) {
    const k = xs.length - 1;
    if (k >= 0 && x[i] === xs[k]) {
      us[k] = (us[k] * counts[k] + u[i]) / (counts[k] + 1);
      counts[k]++;
    } else {
      xs.push(x[i]);
      us.push(u[i]);
      counts.push(1);
    }
  }
  if (xs.length < 2)
    throw new InputError("an OCV curve needs at least 2 distinct x", { field: "x", expected: "≥ 2 points" });
  let smooth = us.slice();
  const h = options.bandwidth ?? 0;
  if (h > 0) smooth = loess(xs, us, counts, h);
  const direction = options.monotone ?? "decreasing";
  if (direction !== "none") smooth = isotonic(smooth, counts, direction === "increasing");
  // PCHIP needs strictly increasing x: it is; tied values give flat pieces (zero slope)
  const interp = new PchipInterpolant(xs, smooth);
  return {
    x: Float64Array.from(xs),
    u: Float64Array.from(smooth),
    value: (t) => interp.value(t),
    derivative: (t) => interp.derivative(t),
  };
}

/** Local quadratic regression at each x with tricube weights over |x − x_i| < h. */
function loess(x: number[], y: number[], w0: number[], h: number): number[] {
  const n = x.length;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    // weighted normal equations in the local coordinate d = x_j − x_i
    const m = new Float64Array(9);
    const r = new Float64Array(3);
    let used = 0;
    for (let j = 0; j < n; j++) {
      const d = x[j] - x[i];
      const q = Math.abs(d) / h;
      if (q >= 1) continue;
      const w = w0[j] * (1 - q * q * q) ** 3;
      const basis = [1, d, d * d];
      for (let a = 0; a < 3; a++) {
        r[a] += w * basis[a] * y[j];
        for (let b = 0; b < 3; b++) m[3 * a + b] += w * basis[a] * basis[b];
      }
      used++;
    }
    out[i] = used >= 3 ? solve3(m, r)[0] : y[i];
    if (!Number.isFinite(out[i])) out[i] = y[i];
  }
  return out;
}

function solve3(m: Float64Array, r: Float64Array): number[] {
  const det3 = (a: ArrayLike<number>) =>
    a[0] * (a[4] * a[8] - a[5] * a[7]) -
    a[1] * (a[3] * a[8] - a[5] * a[6]) +
    a[2] * (a[3] * a[7] - a[4] * a[6]);
  const det = det3(m);
  const out = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const mc = Float64Array.from(m);
    for (let row = 0; row < 3; row++) mc[3 * row + c] = r[row];
    out[c] = det3(mc) / det;
  }
  return out;
}

/** Weighted pool-adjacent-violators: the closest (weighted L2) monotone sequence. */
function isotonic(y: number[], w: number[], increasing: boolean): number[] {
  const sign = increasing ? 1 : -1;
  const values: number[] = [];
  const weights: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < y.length; i++) {
    values.push(sign * y[i]);
    weights.push(w[i]);
    sizes.push(1);
    while (values.length > 1 && values[values.length - 2] > values[values.length - 1]) {
      const v2 = values.pop() as number;
      const w2 = weights.pop() as number;
      const s2 = sizes.pop() as number;
      const k = values.length - 1;
      values[k] = (values[k] * weights[k] + v2 * w2) / (weights[k] + w2);
      weights[k] += w2;
      sizes[k] += s2;
    }
  }
  const out: number[] = [];
  for (let k = 0; k < values.length; k++) for (let s = 0; s < sizes[k]; s++) out.push(sign * values[k]);
  return out;
}
