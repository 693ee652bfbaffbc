/**
 * Newton's method for F(x) = 0 with a backtracking (Armijo) line search on
 * f(x) = ½‖W·F(x)‖² (Dennis & Schnabel, "Numerical Methods for Unconstrained Optimization and
 * Nonlinear Equations", 1983, Algorithm A6.3.1, with quadratic-interpolation backtracking).
 *
 * The caller supplies the residual and a *solve* with the Jacobian (so a tridiagonal, banded,
 * bordered or sparse structure stays the caller's business). The solve returns the Newton
 * direction dx with J·dx = −F, i.e. it is called with rhs = −F.
 *
 * Units: whatever the problem's unknowns and residuals carry; `residualWeights` (one per
 * residual, in 1/[residual unit]) make the norm dimensionless, `typical` (one per unknown, in
 * the unknown's unit) sets the scale of the step test.
 */

export interface NewtonProblem {
  /** Number of unknowns (= number of residuals). */
  readonly n: number;
  /** Fill out[0..n) with F(x). */
  residual(x: Float64Array, out: Float64Array): void;
  /**
   * Solve J(x)·dx = rhs (rhs = −F(x) is passed). Return false if the Jacobian is singular
   * (anything else counts as success).
   */
  solveJacobian(x: Float64Array, rhs: Float64Array, dx: Float64Array): boolean | undefined;
}

export interface NewtonOptions {
  /** Maximum Newton iterations (default 50). */
  maxIterations?: number;
  /** Converged when ‖W·F‖₂ ≤ absTol + relTol·‖W·F(x₀)‖₂ (defaults 1e-10, 0). */
  absTol?: number;
  relTol?: number;
  /** Converged when max_i |Δx_i|/(|x_i| + typical_i) ≤ stepTol after a full step (default 1e-14). */
  stepTol?: number;
  /** Scale per unknown for the step test (default 1). */
  typical?: ArrayLike<number>;
  /** Weight per residual for the norm (default 1). */
  residualWeights?: ArrayLike<number>;
  /** Backtracking on/off (default on). */
  lineSearch?: boolean;
  /** Maximum halvings per iteration (default 30). */
  maxBacktracks?: number;
}

export type NewtonReason =
  | "residual" // ‖F‖ below tolerance
  | "step" // full Newton step below stepTol
  | "maxIterations"
  | "lineSearchFailed" // no sufficient decrease along the Newton direction
  | "singularJacobian"
  | "nonFinite"; // residual not finite at the start

export interface NewtonResult {
  converged: boolean;
  reason: NewtonReason;
  iterations: number;
  /** Residual evaluations. */
  evaluations: number;
  /** ‖W·F‖₂ at the returned x. */
  residualNorm: number;
  /** ‖W·F‖₂ history: entry 0 is the initial guess, then one per iteration. */
  residualNorms: number[];
  /** Step length λ accepted per iteration (1 = full Newton step). */
  stepLengths: number[];
}

/** Scratch arrays for newtonSolve; reuse one per problem size to avoid allocation. */
export class NewtonWorkspace {
  readonly f: Float64Array;
  readonly fTrial: Float64Array;
  readonly dx: Float64Array;
  readonly xTrial: Float64Array;
  readonly rhs: Float64Array;
  constructor(readonly n: number) {
    this.f = new Float64Array(n);
    this.fTrial = new Float64Array(n);
    this.dx = new Float64Array(n);
    this.xTrial = new Float64Array(n);
    this.rhs = new Float64Array(n);
  }
}

/**
 * Solve F(x) = 0 starting from `x`, which is updated in place with the final iterate (also on
 * failure, so the caller can inspect it). Never throws for non-convergence: read `converged`
 * and `reason`.
 */
export function newtonSolve(
  problem: NewtonProblem,
  x: Float64Array,
  options: NewtonOptions = {},
  workspace: NewtonWorkspace = new NewtonWorkspace(problem.n),
): NewtonResult {
  const n = problem.n;
  if (workspace.n !== n) throw new Error("newtonSolve: workspace size does not match the problem");
  const maxIterations = options.maxIterations ?? 50;
  const absTol = options.absTol ?? 1e-10;
  const relTol = options.relTol ?? 0;
  const stepTol = options.stepTol ?? 1e-14;
  const useLineSearch = options.lineSearch ?? true;
  const maxBacktracks = options.maxBacktracks ?? 30;
  const w = options.residualWeights;
  const typical = options.typical;
  const { f, fTrial, dx, xTrial, rhs } = workspace;

  const norm = (v: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const e = w ? w[i] * v[i] : v[i];
      s += e * e;
    }
    return Math.sqrt(s);
  };

  let evaluations = 1;
  problem.residual(x, f);
  let fNorm = norm(f);
  const residualNorms = [fNorm];
  const stepLengths: number[] = [];
  const result = (converged: boolean, reason: NewtonReason, iterations: number): NewtonResult => ({
    converged,
    reason,
    iterations,
    evaluations,
    residualNorm: fNorm,
    residualNorms,
    stepLengths,
  });
  if (!Number.isFinite(fNorm)) return result(false, "nonFinite", 0);
  const tol = absTol + relTol * fNorm;
  if (fNorm <= tol) return result(true, "residual", 0);

  for (let it = 1; it <= maxIterations; it++) {
    for (let i = 0; i < n; i++) rhs[i] = -f[i];
    const ok = problem.solveJacobian(x, rhs, dx);
    if (ok === false) return result(false, "singularJacobian", it - 1);
    let finiteStep = true;
    for (let i = 0; i < n; i++) if (!Number.isFinite(dx[i])) finiteStep = false;
    if (!finiteStep) return result(false, "singularJacobian", it - 1);

    // f(x) = ½‖F‖²; along a Newton direction the slope at λ = 0 is −‖F‖² = −2f.
    const f0 = 0.5 * fNorm * fNorm;
    let lambda = 1;
    let accepted = false;
    let fTrialNorm = Number.NaN;
    for (let bt = 0; bt <= maxBacktracks; bt++) {
      for (let i = 0; i < n; i++) xTrial[i] = x[i] + lambda * dx[i];
      problem.residual(xTrial, fTrial);
      evaluations++;
      fTrialNorm = norm(fTrial);
      const fl = 0.5 * fTrialNorm * fTrialNorm;
      if (!useLineSearch && Number.isFinite(fl)) {
        accepted = true;
        break;
      }
      // Armijo sufficient decrease with α = 1e-4 (Dennis & Schnabel A6.3.1)
      if (Number.isFinite(fl) && fl <= f0 * (1 - 2e-4 * lambda)) {
        accepted = true;
        break;
      }
      // quadratic model through f(0), f'(0) = −2f0 and f(λ); keep the new λ in [0.1λ, 0.5λ]
      let next = Number.isFinite(fl) ? (f0 * lambda * lambda) / (fl - f0 + 2 * f0 * lambda) : 0.1 * lambda;
      if (!(next >= 0.1 * lambda)) next = 0.1 * lambda;
      if (next > 0.5 * lambda) next = 0.5 * lambda;
      lambda = next;
    }
    if (!accepted) return result(false, "lineSearchFailed", it);
    let stepMax = 0;
    for (let i = 0; i < n; i++) {
      const s = Math.abs(xTrial[i] - x[i]) / (Math.abs(xTrial[i]) + (typical ? typical[i] : 1));
      if (s > stepMax) stepMax = s;
    }
    x.set(xTrial);
    f.set(fTrial);
    fNorm = fTrialNorm;
    residualNorms.push(fNorm);
    stepLengths.push(lambda);
    if (fNorm <= tol) return result(true, "residual", it);
    if (lambda === 1 && stepMax <= stepTol) return result(true, "step", it);
  }
  return result(false, "maxIterations", maxIterations);
}
