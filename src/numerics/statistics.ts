/**
 * Distribution functions needed for confidence intervals: the standard normal and Student's t
 * CDF and their quantiles. Dimensionless.
 */
import { erfc, incompleteBeta, logGamma } from "./special.js";

/** Standard normal CDF Φ(z) = ½·erfc(−z/√2). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * Student's t CDF with `dof` degrees of freedom (dof may be non-integer; Infinity → normal).
 * F(t) = 1 − ½·I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0 (Abramowitz & Stegun 26.7.1 with 26.5.27).
 */
export function studentTCdf(t: number, dof: number): number {
  if (!(dof > 0)) return Number.NaN;
  if (dof === Number.POSITIVE_INFINITY || dof > 1e10) return normalCdf(t);
  if (t === 0) return 0.5;
  const tail = 0.5 * incompleteBeta(dof / (dof + t * t), dof / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

function studentTPdf(t: number, dof: number): number {
  if (dof === Number.POSITIVE_INFINITY || dof > 1e10) return Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  const lnC = logGamma((dof + 1) / 2) - logGamma(dof / 2) - 0.5 * Math.log(dof * Math.PI);
  return Math.exp(lnC - ((dof + 1) / 2) * Math.log1p((t * t) / dof));
}

/**
 * Quantile (inverse CDF) of Student's t: the t with P(T ≤ t) = p, for 0 < p < 1 and dof > 0
 * (Infinity gives the normal quantile). Solved by Newton's method on the CDF with a bisection
 * safeguard on a bracket; relative accuracy ~1e-13 (checked against scipy.stats.t.ppf).
 */
export function studentTQuantile(p: number, dof: number): number {
  if (!(p > 0 && p < 1) || !(dof > 0)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  if (p === 0.5) return 0;
  // Solve on the lower tail q = min(p, 1−p) for t < 0 (no cancellation), then reflect.
  const q = p < 0.5 ? p : 1 - p;
  let lo = -1;
  while (studentTCdf(lo, dof) > q) lo *= 2;
  let hi = lo === -1 ? 0 : lo / 2;
  let t = 0.5 * (lo + hi);
  for (let it = 0; it < 200; it++) {
    const f = studentTCdf(t, dof) - q;
    if (f === 0) break;
    if (f > 0) hi = t;
    else lo = t;
    const pdf = studentTPdf(t, dof);
    let next = t - f / pdf;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = 0.5 * (lo + hi);
    const converged = Math.abs(next - t) <= 1e-15 * Math.abs(t) + 1e-300 || hi - lo <= 1e-15 * Math.abs(lo);
    t = next;
    if (converged) break;
  }
  return p < 0.5 ? t : -t;
}

/** Standard normal quantile Φ⁻¹(p). */
export function normalQuantile(p: number): number {
  return studentTQuantile(p, Number.POSITIVE_INFINITY);
}
