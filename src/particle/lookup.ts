/**
 * Uniform-grid cubic Hermite lookup tables for the material functions evaluated in the
 * particle's inner loop (D, i0, U, dU/dx). A published D(x) costs ~100 ns (several exp and
 * a power); a table lookup ~5 ns and gives the derivative for free. With 4096 intervals
 * over the validity range the interpolation error is ~h⁴·|f''''|/384 — below 1e-10
 * relative for the smooth published functions (checked in test/particle/lookup.test.ts).
 * Tables are cached per (material, property, temperature, electrolyte concentration).
 */

/** A scalar function of x with its derivative. */
export interface ScalarFunction {
  value(x: number): number;
  derivative(x: number): number;
}

/** Direct evaluation; derivative by a one-sided difference kept inside [lo, hi]. */
export class DirectFunction implements ScalarFunction {
  constructor(
    private readonly f: (x: number) => number,
    private readonly hi: number,
    private readonly df?: (x: number) => number,
  ) {}
  value(x: number): number {
    return this.f(x);
  }
  derivative(x: number): number {
    if (this.df) return this.df(x);
    const d = 1e-7;
    const xp = x + d <= this.hi ? x + d : x - d;
    return (this.f(xp) - this.f(x)) / (xp - x);
  }
}

export class FunctionTable implements ScalarFunction {
  readonly lo: number;
  readonly hi: number;
  private readonly invH: number;
  private readonly h: number;
  private readonly values: Float64Array;
  private readonly slopes: Float64Array;
  private readonly last: number;

  /**
   * @param f function of x to tabulate on [lo, hi]
   * @param intervals number of grid intervals
   * @param df optional exact derivative; otherwise 4th-order central differences
   */
  constructor(
    f: (x: number) => number,
    lo: number,
    hi: number,
    intervals = 4096,
    df?: (x: number) => number,
  ) {
    this.lo = lo;
    this.hi = hi;
    this.h = (hi - lo) / intervals;
    this.invH = 1 / this.h;
    this.last = intervals - 1;
    this.values = new Float64Array(intervals + 1);
    this.slopes = new Float64Array(intervals + 1);
    const d = 1e-3 * this.h;
    for (let i = 0; i <= intervals; i++) {
      const x = i === intervals ? hi : lo + i * this.h;
      this.values[i] = f(x);
      if (df) this.slopes[i] = df(x);
      else {
        // one-sided near the ends so f is never evaluated outside [lo, hi]
        const xa = Math.max(lo, x - 2 * d);
        const xb = Math.min(hi, x + 2 * d);
        if (xb - xa >= 4 * d * (1 - 1e-12)) {
          this.slopes[i] = (f(x - 2 * d) - 8 * f(x - d) + 8 * f(x + d) - f(x + 2 * d)) / (12 * d);
        } else if (x - lo < 2 * d) {
          this.slopes[i] = (-3 * f(x) + 4 * f(x + d) - f(x + 2 * d)) / (2 * d);
        } else {
          this.slopes[i] = (3 * f(x) - 4 * f(x - d) + f(x - 2 * d)) / (2 * d);
        }
      }
      if (!Number.isFinite(this.values[i]) || !Number.isFinite(this.slopes[i])) {
        throw new RangeError(`material function is not finite at x = ${x}`);
      }
    }
  }

  /** f(x) for x in [lo, hi] (clamped outside). */
  value(x: number): number {
    let s = (x - this.lo) * this.invH;
    if (s < 0) s = 0;
    let i = s | 0;
    if (i > this.last) i = this.last;
    const t = s - i;
    const t2 = t * t;
    const t3 = t2 * t;
    const v0 = this.values[i];
    const v1 = this.values[i + 1];
    const m0 = this.slopes[i] * this.h;
    const m1 = this.slopes[i + 1] * this.h;
    return (2 * t3 - 3 * t2 + 1) * v0 + (t3 - 2 * t2 + t) * m0 + (-2 * t3 + 3 * t2) * v1 + (t3 - t2) * m1;
  }

  /** df/dx at x (clamped outside). */
  derivative(x: number): number {
    let s = (x - this.lo) * this.invH;
    if (s < 0) s = 0;
    let i = s | 0;
    if (i > this.last) i = this.last;
    const t = s - i;
    const t2 = t * t;
    const v0 = this.values[i];
    const v1 = this.values[i + 1];
    const m0 = this.slopes[i] * this.h;
    const m1 = this.slopes[i + 1] * this.h;
    return (
      ((6 * t2 - 6 * t) * v0 + (3 * t2 - 4 * t + 1) * m0 + (-6 * t2 + 6 * t) * v1 + (3 * t2 - 2 * t) * m1) *
      this.invH
    );
  }
}

const cache = new WeakMap<object, Map<string, FunctionTable>>();

/** Tabulate `f` once per (owner, key); `owner` is the material object or the override function. */
export function cachedTable(
  owner: object,
  key: string,
  f: (x: number) => number,
  lo: number,
  hi: number,
  df?: (x: number) => number,
): FunctionTable {
  let m = cache.get(owner);
  if (!m) {
    m = new Map();
    cache.set(owner, m);
  }
  const k = `${key}|${lo}|${hi}`;
  let t = m.get(k);
  if (!t) {
    t = new FunctionTable(f, lo, hi, 4096, df);
    m.set(k, t);
  }
  return t;
}
