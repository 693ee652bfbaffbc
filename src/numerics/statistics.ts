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
  if (dof > 5000) return largeDofQuantile(p, dof);
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

/**
 * Cornish–Fisher type expansion of the t quantile in powers of 1/ν about the normal quantile z
 * (Abramowitz & Stegun 26.7.5); for ν > 5000 the truncation error (order z¹¹/ν⁵) is below 1e-15 and it avoids
 * the cancellation of ln Γ differences in the incomplete-beta route.
 */
function largeDofQuantile(p: number, dof: number): number {
  const z = normalQuantileSolve(p);
  if (dof === Number.POSITIVE_INFINITY) return z;
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  const v = 1 / dof;
  return z + v * (g1 + v * (g2 + v * (g3 + v * g4)));
}

/** Normal quantile by safeguarded Newton on Φ(z) − p (lower tail, then reflected). */
function normalQuantileSolve(p: number): number {
  const q = p < 0.5 ? p : 1 - p;
  let lo = -1;
  while (normalCdf(lo) > q) lo *= 2;
  let hi = lo === -1 ? 0 : lo / 2;
  let z = 0.5 * (lo + hi);
  for (let it = 0; it < 200; it++) {
    const f = normalCdf(z) - q;
    if (f === 0) break;
    if (f > 0) hi = z;
    else lo = z;
    let next = z - f / (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI));
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = 0.5 * (lo + hi);
    const converged = Math.abs(next - z) <= 1e-15 * Math.abs(z) || hi - lo <= 1e-15 * Math.abs(lo);
    z = next;
    if (converged) break;
  }
  return p < 0.5 ? z : -z;
}

/** Standard normal quantile Φ⁻¹(p). */
export function normalQuantile(p: number): number {
  return studentTQuantile(p, Number.POSITIVE_INFINITY);
}
