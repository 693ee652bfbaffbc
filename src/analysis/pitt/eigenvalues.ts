/**
 * Eigenvalues of the PITT problem with linearised surface kinetics (a Robin boundary condition
 * −D ∂c/∂n = k (c − c_eq) at the surface, Biot number B = k·L/D).
 *
 *   sphere (radius L):        b_n cot b_n = 1 − B,  b_n ∈ ((n−1)π, nπ)
 *   planar film (thickness L): b_n tan b_n = B,      b_n ∈ ((n−1)π, (n−½)π)
 *
 * Crank, The Mathematics of Diffusion, 2nd ed. (1975), ch. 6 (sphere) and ch. 4 (plane sheet),
 * surface-evaporation boundary condition; REFERENCE §4. Limits: sphere B = 1 → (n−½)π, B → ∞ → nπ; planar B → ∞ → (n−½)π,
 * B → 0 → (n−1)π.
 *
 * Each root is found on its own bracket by a Newton iteration safeguarded with bisection on a
 * function that is monotone on the bracket, so every B from 1e-6 to 1e8 is handled.
 */

/** Geometry of a PITT sample: a spherical particle or a film with one face to the electrolyte. */
export type PittGeometry = "sphere" | "planar";

/**
 * Write the first `count` eigenvalues b_n (dimensionless) for Biot number `biot` into `out`
 * (length ≥ count) and return it.
 * @param biot electrochemical Biot number B = k·L/D [-], > 0
 */
export function pittEigenvalues(
  geometry: PittGeometry,
  biot: number,
  count: number,
  out: Float64Array = new Float64Array(count),
): Float64Array {
  if (!(biot > 0) || !Number.isFinite(biot))
    throw new RangeError(`Biot number must be positive and finite, got ${biot}`);
  for (let n = 1; n <= count; n++) out[n - 1] = pittEigenvalue(geometry, biot, n);
  return out;
}

/** The n-th eigenvalue b_n (n ≥ 1) for Biot number `biot` [-]. */
export function pittEigenvalue(geometry: PittGeometry, biot: number, n: number): number {
  return geometry === "sphere" ? sphereRoot(biot, n) : planarRoot(biot, n);
}

/**
 * n-th root of b cot b = 1 − B. With b = m + θ, m = (n−1)π, θ ∈ (0, π):
 * h(θ) = (m + θ)·cos θ/sin θ − (1 − B) falls monotonically from +∞ (n ≥ 2) or from B (n = 1,
 * h(0⁺) = 1 − (1 − B)) to −∞ at θ = π. Solve h = 0 for θ.
 */
function sphereRoot(B: number, n: number): number {
  const m = (n - 1) * Math.PI;
  const a = 1 - B;
  // Initial guess: tan θ = (m + θ)/(1 − B) ⇒ θ ≈ π/2 + atan((B − 1)/(m + π/2)); for n = 1 and
  // small B the root goes to zero as b² ≈ 3B.
  let th = Math.PI / 2 + Math.atan((B - 1) / (m + Math.PI / 2));
  if (n === 1 && B < 0.5) th = Math.sqrt(3 * B);
  // n = 1: θ cot θ − 1 loses digits for small θ; use its Taylor series there (|θ| < 0.1:
  // the first neglected term, θ¹²·2.1e-8, is below 1e-19 relative)
  const h =
    n === 1
      ? (t: number) => {
          if (t >= 0.1) return (t * Math.cos(t)) / Math.sin(t) - a;
          const t2 = t * t;
          return B - t2 * (1 / 3 + t2 * (1 / 45 + t2 * (2 / 945 + t2 * (1 / 4725 + t2 * (2 / 93555)))));
        }
      : (t: number) => ((m + t) * Math.cos(t)) / Math.sin(t) - a;
  return (
    m +
    monotoneRoot(
      h,
      (t) => {
        const s = Math.sin(t);
        return Math.cos(t) / s - (m + t) / (s * s);
      },
      th,
      0,
      Math.PI,
      -1,
    )
  );
}

/**
 * n-th root of b tan b = B. With b = m + θ, θ ∈ (0, π/2): h(θ) = (m + θ)·tan θ − B rises
 * monotonically from −B to +∞.
 */
function planarRoot(B: number, n: number): number {
  const m = (n - 1) * Math.PI;
  const half = Math.PI / 2;
  let th: number;
  if (n === 1) th = B < 1 ? Math.sqrt(B) : half * (1 - 1 / (B + 1));
  else th = Math.atan(B / m);
  th = Math.min(Math.max(th, 1e-300), half * (1 - 1e-16));
  const h = (t: number) => (m + t) * Math.tan(t) - B;
  return (
    m +
    monotoneRoot(
      h,
      (t) => {
        const c = Math.cos(t);
        return Math.tan(t) + (m + t) / (c * c);
      },
      th,
      0,
      half,
      +1,
    )
  );
}

/**
 * Root of a function monotone on (lo, hi) (direction +1 rising, −1 falling) by Newton steps
 * kept inside a shrinking bracket, falling back to bisection. Converges to a few ulps.
 */
function monotoneRoot(
  f: (x: number) => number,
  df: (x: number) => number,
  x0: number,
  lo: number,
  hi: number,
  direction: 1 | -1,
): number {
  let x = x0 > lo && x0 < hi ? x0 : 0.5 * (lo + hi);
  for (let iter = 0; iter < 200; iter++) {
    const fx = f(x);
    if (fx === 0) return x;
    // tighten the bracket with the sign of f
    if (fx * direction > 0) hi = x;
    else lo = x;
    const d = df(x);
    let next = x - fx / d;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = 0.5 * (lo + hi);
    if (
      Math.abs(next - x) <= 4 * Number.EPSILON * Math.max(Math.abs(x), 1e-300) ||
      hi - lo <= 2 * Number.EPSILON * hi
    ) {
      return next;
    }
    x = next;
  }
  return x;
}
