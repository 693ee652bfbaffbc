/**
 * Bounded non-linear least squares: minimise cost(p) = ½·Σ r_i(p)² subject to
 * lower ≤ p ≤ upper, with some parameters optionally held fixed.
 *
 * Method: Levenberg–Marquardt with Nielsen's damping update (Madsen, Nielsen & Tingleff,
 * "Methods for non-linear least squares problems", IMM DTU 2004, §3.2, eqns 3.16–3.17) and
 * Moré's diagonal scaling D = max-so-far diag(JᵀJ) (Moré 1978, "The Levenberg–Marquardt
 * algorithm: implementation and theory"), which makes the method invariant to parameter units
 * (diffusivities of 1e-14 m²/s next to Biot numbers of order 1).
 *
 * Bounds: projected active-set LM. At each iterate a free parameter sitting on a bound whose
 * cost gradient points out of the box is *active* and excluded from the step; the damped
 * Gauss–Newton step for the others is computed, the trial point is projected onto the box,
 * and the gain ratio uses the predicted reduction of the projected step. Iterates are always
 * feasible, so residual functions are never evaluated outside the bounds (finite differences
 * step inward at a bound).
 *
 * Statistics at the solution follow scipy.optimize.curve_fit (absolute_sigma = False):
 * cov = (JᵀJ)⁺·s², s² = 2·cost/(m − nFree), J over the non-fixed parameters, *including* those
 * on a bound (a bound-active parameter's interval is then the one the unconstrained local
 * model would give; `activeBounds` says which they are). The pseudo-inverse comes from a
 * one-sided Jacobi SVD of the column-equilibrated Jacobian; singular values below
 * `rankTolerance`·σ_max define the non-identifiable directions, and every parameter with a
 * component > 1e-3 in such a direction is reported `identifiable = false` (its covariance
 * entries are the pseudo-inverse's, finite but not meaningful).
 */
import { studentTQuantile } from "./statistics.js";

export { studentTQuantile };

export interface LeastSquaresProblem {
  /** Number of residuals m. */
  nResiduals: number;
  /** Fill out[0..m) with residuals at params p (length n). */
  residual(p: Float64Array, out: Float64Array): void;
  /** Optional analytic Jacobian, row-major m×n: J[i*n + j] = ∂r_i/∂p_j. Otherwise forward/central differences with step ~ sqrt(eps)*max(|p|, typical). */
  jacobian?(p: Float64Array, J: Float64Array): void;
}

export interface LeastSquaresOptions {
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>; // bounds (±Infinity allowed)
  fixed?: ArrayLike<boolean>; // parameters held at p0
  maxIterations?: number;
  xTol?: number;
  fTol?: number;
  gTol?: number;
  /**
   * Typical magnitude of each parameter (same units as p), used for finite-difference steps
   * when a parameter is 0. Default |p0_j|, or 1 where p0_j = 0.
   */
  typical?: ArrayLike<number>;
  /** Relative singular-value threshold for non-identifiable directions (default 1e-8). */
  rankTolerance?: number;
}

export interface LeastSquaresResult {
  params: Float64Array;
  residuals: Float64Array;
  cost: number; // cost = ½Σr²
  iterations: number;
  evaluations: number;
  converged: boolean;
  message: string;
  jacobian: Float64Array; // at the solution, m×n row-major
  covariance: Float64Array; // n×n, (JᵀJ)⁻¹·s², s² = 2cost/(m − nFree); fixed → 0 rows/cols; NaN-free
  standardErrors: Float64Array;
  confidenceInterval95: Float64Array; // half-widths, t-distribution quantile with m − nFree dof
  identifiable: boolean[]; // false where the parameter is not determined (singular direction)
  /** True where the parameter ended on a bound with the gradient pushing outward. */
  activeBounds: boolean[];
  /** Degrees of freedom m − nFree used for s² and the t quantile (≥ 1 is enforced for them). */
  dof: number;
}

const EPS = 2.220446049250313e-16;
const SQRT_EPS = Math.sqrt(EPS);
const CBRT_EPS = Math.cbrt(EPS);

/**
 * Solve the bounded least-squares problem from starting point p0 (projected into the bounds).
 * Throws a plain Error for malformed arguments (lengths, lower > upper, non-finite residuals at
 * the start); never throws for non-convergence (see `converged`/`message`).
 */
export function leastSquares(
  problem: LeastSquaresProblem,
  p0: ArrayLike<number>,
  options: LeastSquaresOptions = {},
): LeastSquaresResult {
  const n = p0.length;
  const m = problem.nResiduals;
  if (!(m >= 1)) throw new Error("leastSquares: nResiduals must be ≥ 1");
  const lower = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const upper = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const isFree = new Uint8Array(n).fill(1);
  for (let j = 0; j < n; j++) {
    if (options.lower) lower[j] = options.lower[j];
    if (options.upper) upper[j] = options.upper[j];
    if (options.fixed?.[j]) isFree[j] = 0;
    if (!(lower[j] <= upper[j])) throw new Error(`leastSquares: lower[${j}] > upper[${j}]`);
    if (!Number.isFinite(p0[j])) throw new Error(`leastSquares: p0[${j}] is not finite`);
  }
  const freeIdx: number[] = [];
  for (let j = 0; j < n; j++) if (isFree[j]) freeIdx.push(j);
  const k = freeIdx.length;

  const maxIterations = options.maxIterations ?? 100 * (k + 1);
  const xTol = options.xTol ?? 1e-10;
  const fTol = options.fTol ?? 1e-12;
  const gTol = options.gTol ?? 1e-10;
  const rankTolerance = options.rankTolerance ?? 1e-8;

  const typical = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const t = options.typical ? Math.abs(options.typical[j]) : Math.abs(p0[j]);
    typical[j] = t > 0 && Number.isFinite(t) ? t : 1;
  }

  // ---- preallocated work space (per call, never per iteration) ----
  const p = new Float64Array(n);
  const pTrial = new Float64Array(n);
  const r = new Float64Array(m);
  const rTrial = new Float64Array(m);
  const rWork = new Float64Array(m);
  const rWork2 = new Float64Array(m);
  const J = new Float64Array(m * n);
  const A = new Float64Array(n * n); // JᵀJ (free block used)
  const g = new Float64Array(n); // Jᵀr
  const scale = new Float64Array(n); // Moré scaling D
  const h = new Float64Array(n);
  const L = new Float64Array(n * n); // Cholesky factor workspace
  const active = new Uint8Array(n);
  const step = new Float64Array(n);
  const compactIdx = new Int32Array(n);
  const compactY = new Float64Array(n);

  for (let j = 0; j < n; j++) p[j] = isFree[j] ? Math.min(upper[j], Math.max(lower[j], p0[j])) : p0[j];

  let evaluations = 0;
  const evaluate = (x: Float64Array, out: Float64Array): number => {
    evaluations++;
    problem.residual(x, out);
    let s = 0;
    for (let i = 0; i < m; i++) s += out[i] * out[i];
    return 0.5 * s;
  };

  const computeJacobian = (central: boolean): void => {
    if (problem.jacobian) {
      problem.jacobian(p, J);
      for (let j = 0; j < n; j++) if (!isFree[j]) for (let i = 0; i < m; i++) J[i * n + j] = 0;
      return;
    }
    for (let j = 0; j < n; j++) {
      if (!isFree[j]) {
        for (let i = 0; i < m; i++) J[i * n + j] = 0;
        continue;
      }
      const pj = p[j];
      const base = Math.max(Math.abs(pj), typical[j]);
      const hStep = (central ? CBRT_EPS : SQRT_EPS) * base;
      const canUp = pj + hStep <= upper[j];
      const canDown = pj - hStep >= lower[j];
      if (central && canUp && canDown) {
        p[j] = pj + hStep;
        evaluate(p, rWork);
        p[j] = pj - hStep;
        evaluate(p, rWork2);
        p[j] = pj;
        const inv = 1 / (2 * hStep);
        for (let i = 0; i < m; i++) J[i * n + j] = (rWork[i] - rWork2[i]) * inv;
      } else {
        const hs = canUp || !canDown ? hStep : -hStep;
        p[j] = pj + hs;
        const dh = p[j] - pj; // exactly representable step
        evaluate(p, rWork);
        p[j] = pj;
        const inv = 1 / dh;
        for (let i = 0; i < m; i++) J[i * n + j] = (rWork[i] - r[i]) * inv;
      }
    }
  };

  let cost = evaluate(p, r);
  if (!Number.isFinite(cost)) throw new Error("leastSquares: residuals are not finite at the starting point");

  let iterations = 0;
  let converged = false;
  let message = "maximum number of iterations reached";
  let mu = -1;
  let nu = 2;

  if (k === 0) {
    converged = true;
    message = "no free parameters";
  } else if (cost === 0) {
    converged = true;
    message = "zero residual";
  }

  outer: while (!converged && iterations < maxIterations) {
    iterations++;
    computeJacobian(false);
    // A = JᵀJ, g = Jᵀr over free columns
    for (let a = 0; a < k; a++) {
      const ja = freeIdx[a];
      let gs = 0;
      for (let i = 0; i < m; i++) gs += J[i * n + ja] * r[i];
      g[ja] = gs;
      for (let b = 0; b <= a; b++) {
        const jb = freeIdx[b];
        let s = 0;
        for (let i = 0; i < m; i++) s += J[i * n + ja] * J[i * n + jb];
        A[ja * n + jb] = s;
        A[jb * n + ja] = s;
      }
      const d = A[ja * n + ja];
      if (d > scale[ja]) scale[ja] = d;
      if (scale[ja] === 0) scale[ja] = 1;
    }
    // active set and scaled gradient test (MINPACK gtol: max cosine between r and J columns)
    let gMax = 0;
    const rNorm = Math.sqrt(2 * cost);
    let nActive = 0;
    for (const j of freeIdx) {
      active[j] = (p[j] <= lower[j] && g[j] > 0) || (p[j] >= upper[j] && g[j] < 0) ? 1 : 0;
      if (active[j]) {
        nActive++;
        continue;
      }
      const colNorm = Math.sqrt(A[j * n + j]);
      if (colNorm > 0) gMax = Math.max(gMax, Math.abs(g[j]) / (colNorm * rNorm));
    }
    if (gMax <= gTol) {
      converged = true;
      message = "gradient tolerance reached (residual orthogonal to the free Jacobian columns)";
      break;
    }
    if (nActive === k) {
      converged = true;
      message = "all free parameters held at active bounds";
      break;
    }
    if (mu < 0) {
      // Nielsen's initial damping τ·max(A_ii/D_ii) with τ = 1e-3 (MNT 2004 §3.2)
      mu = 1e-3;
    }
    // inner loop: find an acceptable damped step
    for (;;) {
      let ok = choleskySolveDamped(A, g, scale, mu, freeIdx, active, n, L, h, compactIdx, compactY);
      if (!ok) {
        mu *= nu;
        nu *= 2;
        if (mu > 1e32) {
          message = "damping grew without bound (singular or non-smooth problem)";
          break outer;
        }
        continue;
      }
      // projected trial point
      let stepScaled = 0;
      let pScaled = 0;
      for (let j = 0; j < n; j++) {
        if (!isFree[j] || active[j]) {
          pTrial[j] = p[j];
          step[j] = 0;
          continue;
        }
        const v = Math.min(upper[j], Math.max(lower[j], p[j] + h[j]));
        pTrial[j] = v;
        step[j] = v - p[j];
        const s = Math.sqrt(scale[j]);
        stepScaled += (s * step[j]) ** 2;
        pScaled += (s * p[j]) ** 2;
      }
      stepScaled = Math.sqrt(stepScaled);
      pScaled = Math.sqrt(pScaled);
      if (stepScaled <= xTol * (xTol + pScaled)) {
        converged = true;
        message = "step tolerance reached";
        break outer;
      }
      // predicted reduction of the projected step: −(gᵀs + ½ sᵀAs)
      let gs = 0;
      let sAs = 0;
      for (const a of freeIdx) {
        if (step[a] === 0) continue;
        gs += g[a] * step[a];
        let row = 0;
        for (const b of freeIdx) row += A[a * n + b] * step[b];
        sAs += step[a] * row;
      }
      const predicted = -(gs + 0.5 * sAs);
      const costTrial = evaluate(pTrial, rTrial);
      const actual = cost - costTrial;
      const rho = predicted > 0 && Number.isFinite(costTrial) ? actual / predicted : -1;
      if (rho > 1e-4) {
        const oldCost = cost;
        p.set(pTrial);
        r.set(rTrial);
        cost = costTrial;
        const f = 2 * rho - 1;
        mu *= Math.max(1 / 3, 1 - f * f * f);
        nu = 2;
        if (cost === 0) {
          converged = true;
          message = "zero residual";
          break outer;
        }
        if (actual <= fTol * oldCost && predicted <= fTol * oldCost) {
          converged = true;
          message = "cost tolerance reached";
          break outer;
        }
        break;
      }
      mu *= nu;
      nu *= 2;
      ok = mu < 1e32;
      if (!ok) {
        message = "damping grew without bound (no descent found)";
        break outer;
      }
    }
  }

  // ---- statistics at the solution (central differences for accuracy) ----
  computeJacobian(true);
  for (const j of freeIdx) {
    let gs = 0;
    for (let i = 0; i < m; i++) gs += J[i * n + j] * r[i];
    g[j] = gs;
  }
  const activeBounds: boolean[] = new Array(n).fill(false);
  for (const j of freeIdx) activeBounds[j] = (p[j] <= lower[j] && g[j] > 0) || (p[j] >= upper[j] && g[j] < 0);

  const dof = m - k;
  const dofUsed = Math.max(dof, 1);
  const s2 = (2 * cost) / dofUsed;
  const { covariance, identifiable } = pseudoInverseCovariance(J, m, n, freeIdx, s2, rankTolerance);
  const standardErrors = new Float64Array(n);
  const confidenceInterval95 = new Float64Array(n);
  const tq = studentTQuantile(0.975, dofUsed);
  for (let j = 0; j < n; j++) {
    standardErrors[j] = Math.sqrt(Math.max(0, covariance[j * n + j]));
    confidenceInterval95[j] = tq * standardErrors[j];
  }
  if (dof <= 0) message += `; only ${m} residuals for ${k} free parameters, statistics use 1 dof`;

  return {
    params: p,
    residuals: r,
    cost,
    iterations,
    evaluations,
    converged,
    message,
    jacobian: J,
    covariance,
    standardErrors,
    confidenceInterval95,
    identifiable,
    activeBounds,
    dof,
  };
}

/**
 * Solve (A + μ·D) h = −g on the free, non-active index set by Cholesky (in L). Returns false
 * if the damped matrix is not numerically positive definite.
 */
function choleskySolveDamped(
  A: Float64Array,
  g: Float64Array,
  D: Float64Array,
  mu: number,
  freeIdx: number[],
  active: Uint8Array,
  n: number,
  L: Float64Array,
  h: Float64Array,
  idx: Int32Array,
  y: Float64Array,
): boolean {
  // compact index list of the unknowns
  let q = 0;
  for (const j of freeIdx) if (!active[j]) idx[q++] = j;
  for (let a = 0; a < q; a++) {
    const ia = idx[a];
    for (let b = 0; b <= a; b++) {
      const ib = idx[b];
      let s = A[ia * n + ib] + (a === b ? mu * D[ia] : 0);
      for (let c = 0; c < b; c++) s -= L[a * n + c] * L[b * n + c];
      if (a === b) {
        if (!(s > 0) || !Number.isFinite(s)) return false;
        L[a * n + a] = Math.sqrt(s);
      } else {
        L[a * n + b] = s / L[b * n + b];
      }
    }
  }
  // forward: L y = −g ; backward: Lᵀ x = y  (y stored in h at compact positions, then scattered)
  for (let a = 0; a < q; a++) {
    let s = -g[idx[a]];
    for (let c = 0; c < a; c++) s -= L[a * n + c] * y[c];
    y[a] = s / L[a * n + a];
  }
  for (let a = q - 1; a >= 0; a--) {
    let s = y[a];
    for (let c = a + 1; c < q; c++) s -= L[c * n + a] * y[c];
    y[a] = s / L[a * n + a];
  }
  h.fill(0);
  for (let a = 0; a < q; a++) h[idx[a]] = y[a];
  return true;
}

/**
 * Covariance s²·(JᵀJ)⁺ over the free columns via a one-sided Jacobi (Hestenes) SVD of the
 * column-equilibrated Jacobian B = J·S⁻¹ (S = column norms). Fixed parameters get zero rows
 * and columns. A zero column marks its parameter non-identifiable directly.
 */
function pseudoInverseCovariance(
  J: Float64Array,
  m: number,
  n: number,
  freeIdx: number[],
  s2: number,
  rankTolerance: number,
): { covariance: Float64Array; identifiable: boolean[] } {
  const k = freeIdx.length;
  const covariance = new Float64Array(n * n);
  const identifiable: boolean[] = new Array(n).fill(true);
  if (k === 0) return { covariance, identifiable };
  const S = new Float64Array(k);
  const B = new Float64Array(m * k); // column-major: column a at a*m
  for (let a = 0; a < k; a++) {
    const j = freeIdx[a];
    let s = 0;
    for (let i = 0; i < m; i++) s += J[i * n + j] * J[i * n + j];
    S[a] = Math.sqrt(s);
    const inv = S[a] > 0 ? 1 / S[a] : 0;
    for (let i = 0; i < m; i++) B[a * m + i] = J[i * n + j] * inv;
  }
  const V = new Float64Array(k * k); // V[a*k + b]: row a (parameter), column b (direction)
  for (let a = 0; a < k; a++) V[a * k + a] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let a = 0; a < k - 1; a++) {
      for (let b = a + 1; b < k; b++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = B[a * m + i];
          const y = B[b * m + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const x = B[a * m + i];
          const y = B[b * m + i];
          B[a * m + i] = c * x - s * y;
          B[b * m + i] = s * x + c * y;
        }
        for (let i = 0; i < k; i++) {
          const x = V[i * k + a];
          const y = V[i * k + b];
          V[i * k + a] = c * x - s * y;
          V[i * k + b] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const sigma = new Float64Array(k);
  let sigmaMax = 0;
  for (let b = 0; b < k; b++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += B[b * m + i] * B[b * m + i];
    sigma[b] = Math.sqrt(s);
    if (sigma[b] > sigmaMax) sigmaMax = sigma[b];
  }
  const cutoff = rankTolerance * sigmaMax;
  for (let b = 0; b < k; b++) {
    if (sigma[b] > cutoff && sigmaMax > 0) continue;
    for (let a = 0; a < k; a++) if (Math.abs(V[a * k + b]) > 1e-3) identifiable[freeIdx[a]] = false;
  }
  for (let a = 0; a < k; a++) if (S[a] === 0) identifiable[freeIdx[a]] = false;
  for (let a = 0; a < k; a++) {
    for (let c = 0; c <= a; c++) {
      let s = 0;
      for (let b = 0; b < k; b++) {
        if (!(sigma[b] > cutoff) || sigmaMax === 0) continue;
        s += (V[a * k + b] * V[c * k + b]) / (sigma[b] * sigma[b]);
      }
      const ia = S[a] > 0 ? 1 / S[a] : 0;
      const ic = S[c] > 0 ? 1 / S[c] : 0;
      const v = s * ia * ic * s2;
      covariance[freeIdx[a] * n + freeIdx[c]] = v;
      covariance[freeIdx[c] * n + freeIdx[a]] = v;
    }
  }
  return { covariance, identifiable };
}
