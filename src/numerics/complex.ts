/**
 * Minimal complex arithmetic on (re, im) pairs, for impedance work. Results are written into a
 * caller-owned `out` array at `offset` (out[offset] = re, out[offset + 1] = im), so hot loops do
 * not allocate; `Complex` objects are offered for convenience outside hot loops.
 * Dimensionless (or whatever unit the caller's numbers carry).
 */

export interface Complex {
  re: number;
  im: number;
}

/** out ← a·b */
export function complexMultiply(
  ar: number,
  ai: number,
  br: number,
  bi: number,
  out: Float64Array,
  offset = 0,
): void {
  out[offset] = ar * br - ai * bi;
  out[offset + 1] = ar * bi + ai * br;
}

/** out ← a/b, by Smith's algorithm (Smith 1962, CACM 5:435) to avoid overflow. */
export function complexDivide(
  ar: number,
  ai: number,
  br: number,
  bi: number,
  out: Float64Array,
  offset = 0,
): void {
  if (Math.abs(br) >= Math.abs(bi)) {
    const r = bi / br;
    const d = br + bi * r;
    out[offset] = (ar + ai * r) / d;
    out[offset + 1] = (ai - ar * r) / d;
  } else {
    const r = br / bi;
    const d = br * r + bi;
    out[offset] = (ar * r + ai) / d;
    out[offset + 1] = (ai * r - ar) / d;
  }
}

/** out ← 1/a */
export function complexReciprocal(ar: number, ai: number, out: Float64Array, offset = 0): void {
  complexDivide(1, 0, ar, ai, out, offset);
}

/** |a| */
export function complexAbs(ar: number, ai: number): number {
  return Math.hypot(ar, ai);
}

/** arg(a) in (−π, π] [rad] */
export function complexArg(ar: number, ai: number): number {
  return Math.atan2(ai, ar);
}

/** out ← principal square root √a (branch cut on the negative real axis). */
export function complexSqrt(ar: number, ai: number, out: Float64Array, offset = 0): void {
  if (ar === 0 && ai === 0) {
    out[offset] = 0;
    out[offset + 1] = 0;
    return;
  }
  const t = Math.sqrt((Math.abs(ar) + Math.hypot(ar, ai)) / 2);
  if (ar >= 0) {
    out[offset] = t;
    out[offset + 1] = ai / (2 * t);
  } else {
    out[offset] = Math.abs(ai) / (2 * t);
    out[offset + 1] = ai >= 0 ? t : -t;
  }
}

/** out ← exp(a) */
export function complexExp(ar: number, ai: number, out: Float64Array, offset = 0): void {
  const e = Math.exp(ar);
  out[offset] = e * Math.cos(ai);
  out[offset + 1] = e * Math.sin(ai);
}

/**
 * out ← tanh(a), stable for large |Re a| (tanh → ±1, no overflow):
 * tanh(x + iy) = (sinh 2x + i sin 2y)/(cosh 2x + cos 2y), rewritten with e = exp(−2|x|).
 */
export function complexTanh(ar: number, ai: number, out: Float64Array, offset = 0): void {
  const ax = Math.abs(ar);
  if (ax > 20) {
    // |tanh − sign(x)| ≲ 4e^{−2|x|} < 1e-17
    out[offset] = Math.sign(ar);
    out[offset + 1] = 0;
    return;
  }
  const e = Math.exp(-2 * ax);
  // sinh 2x = (1 − e²)/(2e), cosh 2x = (1 + e²)/(2e); multiply through by 2e
  const den = 1 + e * e + 2 * e * Math.cos(2 * ai);
  out[offset] = (Math.sign(ar) * (1 - e * e)) / den;
  out[offset + 1] = (2 * e * Math.sin(2 * ai)) / den;
}

/** out ← coth(a) = 1/tanh(a). */
export function complexCoth(ar: number, ai: number, out: Float64Array, offset = 0): void {
  complexTanh(ar, ai, out, offset);
  complexReciprocal(out[offset], out[offset + 1], out, offset);
}
