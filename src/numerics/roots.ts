/**
 * Scalar root finding by Brent's method (Brent, "Algorithms for Minimization without
 * Derivatives", 1973, ch. 4): bisection safeguarding inverse quadratic / secant steps, with a
 * guaranteed bracket. Stopping rule and defaults as scipy.optimize.brentq: stop when half the
 * bracket is below (xTol + rTol·|x|)/2 or f(x) = 0; xTol = 2e-12, rTol = 4·eps, 100 iterations.
 */
import { ConvergenceError } from "../errors.js";

export interface BrentOptions {
  /** Absolute tolerance on the root, in the unit of x (default 2e-12, as scipy). */
  xTol?: number;
  /** Relative tolerance (default 4·2⁻⁵² ≈ 8.9e-16, as scipy). */
  rTol?: number;
  /** Maximum iterations (default 100, as scipy). */
  maxIterations?: number;
}

export interface BrentResult {
  root: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** f at the returned root. */
  value: number;
}

const EPS = 2.220446049250313e-16;

/**
 * Find a root of f in [a, b] (f(a)·f(b) ≤ 0 required). Returns diagnostics; does not throw
 * for non-convergence (see brentq for the throwing variant). Throws a plain Error if the
 * interval does not bracket a sign change.
 */
export function brent(
  f: (x: number) => number,
  a: number,
  b: number,
  options: BrentOptions = {},
): BrentResult {
  const xTol = options.xTol ?? 2e-12;
  const rTol = options.rTol ?? 4 * EPS;
  const maxIterations = options.maxIterations ?? 100;
  if (!(xTol > 0) || !(rTol >= 4 * EPS)) throw new Error("brent: need xTol > 0 and rTol ≥ 4·eps");
  let fa = f(a);
  let fb = f(b);
  let evaluations = 2;
  if (fa === 0) return { root: a, iterations: 0, evaluations, converged: true, value: 0 };
  if (fb === 0) return { root: b, iterations: 0, evaluations, converged: true, value: 0 };
  if (!(fa * fb < 0)) throw new Error(`brent: f(a) and f(b) must have opposite signs (got ${fa}, ${fb})`);
  // b: best estimate; a: previous estimate; c: the point bracketing the root with b
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let it = 1; it <= maxIterations; it++) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 0.5 * (xTol + rTol * Math.abs(b));
    const m = 0.5 * (c - b);
    if (Math.abs(m) < tol || fb === 0) {
      return { root: b, iterations: it, evaluations, converged: true, value: fb };
    }
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        // secant
        p = 2 * m * s;
        q = 1 - s;
      } else {
        // inverse quadratic interpolation through (a, fa), (b, fb), (c, fc)
        const qa = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
    evaluations++;
  }
  return { root: b, iterations: maxIterations, evaluations, converged: false, value: fb };
}

/** Brent root (as scipy.optimize.brentq); throws ConvergenceError if not converged. */
export function brentq(f: (x: number) => number, a: number, b: number, options: BrentOptions = {}): number {
  const r = brent(f, a, b, options);
  if (!r.converged) {
    throw new ConvergenceError("brentq did not converge", {
      iterations: r.iterations,
      root: r.root,
      value: r.value,
    });
  }
  return r.root;
}
