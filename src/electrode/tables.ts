/**
 * Flat cubic Hermite tables for the electrode's inner loop: the same uniform-grid tables as
 * src/particle/lookup.ts (sampled from its cached FunctionTable, so values and slopes at the
 * grid points are identical), stored as one interleaved Float64Array [v0, m0, v1, m1, …] so
 * that a value and its derivative come from a single index computation.
 */
import type { FunctionTable } from "../particle/lookup.js";

export class FlatTable {
  readonly lo: number;
  readonly hi: number;
  readonly invH: number;
  readonly h: number;
  readonly last: number;
  /** Interleaved values and slopes×h: data[2i] = f(x_i), data[2i+1] = f'(x_i)·h. */
  readonly data: Float64Array;

  constructor(table: FunctionTable, intervals = 4096) {
    this.lo = table.lo;
    this.hi = table.hi;
    this.h = (this.hi - this.lo) / intervals;
    this.invH = 1 / this.h;
    this.last = intervals - 1;
    this.data = new Float64Array(2 * (intervals + 1));
    for (let i = 0; i <= intervals; i++) {
      const x = i === intervals ? this.hi : this.lo + i * this.h;
      this.data[2 * i] = table.value(x);
      this.data[2 * i + 1] = table.derivative(x) * this.h;
    }
  }

  /** f(x), x clamped to [lo, hi]. */
  value(x: number): number {
    let s = (x - this.lo) * this.invH;
    if (s < 0) s = 0;
    let i = s | 0;
    if (i > this.last) i = this.last;
    let t = s - i;
    if (t > 1) t = 1;
    const d = this.data;
    const j = 2 * i;
    const t2 = t * t;
    const t3 = t2 * t;
    return (
      (2 * t3 - 3 * t2 + 1) * d[j] +
      (t3 - 2 * t2 + t) * d[j + 1] +
      (-2 * t3 + 3 * t2) * d[j + 2] +
      (t3 - t2) * d[j + 3]
    );
  }

  /**
   * f(x) and f'(x) at once; writes the derivative into out[k] and returns the value.
   * x is clamped to [lo, hi] (derivative of the clamped function).
   */
  valueAndDerivative(x: number, out: Float64Array, k: number): number {
    let s = (x - this.lo) * this.invH;
    if (s < 0) s = 0;
    let i = s | 0;
    if (i > this.last) i = this.last;
    let t = s - i;
    if (t > 1) t = 1;
    const d = this.data;
    const j = 2 * i;
    const v0 = d[j];
    const m0 = d[j + 1];
    const v1 = d[j + 2];
    const m1 = d[j + 3];
    const t2 = t * t;
    out[k] = ((6 * t2 - 6 * t) * (v0 - v1) + (3 * t2 - 4 * t + 1) * m0 + (3 * t2 - 2 * t) * m1) * this.invH;
    return (
      (2 * t2 * t - 3 * t2 + 1) * v0 +
      (t2 * t - 2 * t2 + t) * m0 +
      (-2 * t2 * t + 3 * t2) * v1 +
      (t2 * t - t2) * m1
    );
  }
}
