/**
 * Tridiagonal and bordered ("arrow") tridiagonal linear solves by the Thomas algorithm
 * (Gaussian elimination without pivoting; stable for diagonally dominant or symmetric
 * positive-definite matrices, which is what finite-volume diffusion Jacobians are).
 * See e.g. Golub & Van Loan, Matrix Computations 4th ed. §4.3.6.
 *
 * Storage (all Float64Array, caller-owned, nothing is allocated here):
 *   row i:  lower[i]·x[i−1] + diag[i]·x[i] + upper[i]·x[i+1] = rhs[i]
 *   lower[0] and upper[n−1] are ignored.
 */

/** Thrown (as a plain Error) when elimination meets a zero or non-finite pivot. */
function zeroPivot(i: number): never {
  throw new Error(
    `tridiagonal solve: zero or non-finite pivot at row ${i} (matrix singular or not diagonally dominant)`,
  );
}

/**
 * Solve the tridiagonal system T·x = rhs. `x` may be the same array as `rhs` (in-place
 * solve). `work` (length ≥ n) receives the modified super-diagonal. Inputs lower/diag/upper are
 * not modified. O(n), no allocation.
 */
export function solveTridiagonal(
  lower: Float64Array,
  diag: Float64Array,
  upper: Float64Array,
  rhs: Float64Array,
  x: Float64Array,
  work: Float64Array,
  n: number = diag.length,
): void {
  if (n === 0) return;
  let denom = diag[0];
  if (denom === 0 || !Number.isFinite(denom)) zeroPivot(0);
  work[0] = upper[0] / denom;
  x[0] = rhs[0] / denom;
  for (let i = 1; i < n; i++) {
    denom = diag[i] - lower[i] * work[i - 1];
    if (denom === 0 || !Number.isFinite(denom)) zeroPivot(i);
    work[i] = i < n - 1 ? upper[i] / denom : 0;
    x[i] = (rhs[i] - lower[i] * x[i - 1]) / denom;
  }
  for (let i = n - 2; i >= 0; i--) x[i] -= work[i] * x[i + 1];
}

/**
 * Solve the bordered tridiagonal ("arrow") system of size n + 1
 *
 *   [ T   u ] [x]   [f]
 *   [ vᵀ  s ] [y] = [g]
 *
 * with T tridiagonal n×n (lower/diag/upper), u a dense column (length n), v a dense row
 * (length n) and s a scalar — e.g. a particle's radial diffusion Jacobian bordered by the
 * surface-potential unknown. Block elimination (Schur complement on the scalar):
 *   T·z₁ = f, T·z₂ = u,  y = (g − v·z₁)/(s − v·z₂),  x = z₁ − y·z₂,
 * sharing one factorisation of T. Requires T non-singular and a non-zero Schur complement.
 *
 * `x` (length n) receives the first n unknowns (may alias `f`); the last unknown y is
 * returned. `work` must have length ≥ 3n. No allocation.
 */
export function solveBorderedTridiagonal(
  lower: Float64Array,
  diag: Float64Array,
  upper: Float64Array,
  column: Float64Array,
  row: Float64Array,
  corner: number,
  f: Float64Array,
  g: number,
  x: Float64Array,
  work: Float64Array,
  n: number = diag.length,
): number {
  if (n === 0) {
    if (corner === 0) zeroPivot(0);
    return g / corner;
  }
  // work layout: [0,n) modified super-diagonal, [n,2n) inverse pivots, [2n,3n) z₂
  const cp = 0;
  const inv = n;
  const z2 = 2 * n;
  let denom = diag[0];
  if (denom === 0 || !Number.isFinite(denom)) zeroPivot(0);
  work[inv] = 1 / denom;
  work[cp] = upper[0] * work[inv];
  x[0] = f[0] * work[inv];
  work[z2] = column[0] * work[inv];
  for (let i = 1; i < n; i++) {
    denom = diag[i] - lower[i] * work[cp + i - 1];
    if (denom === 0 || !Number.isFinite(denom)) zeroPivot(i);
    const iv = 1 / denom;
    work[inv + i] = iv;
    work[cp + i] = i < n - 1 ? upper[i] * iv : 0;
    x[i] = (f[i] - lower[i] * x[i - 1]) * iv;
    work[z2 + i] = (column[i] - lower[i] * work[z2 + i - 1]) * iv;
  }
  for (let i = n - 2; i >= 0; i--) {
    x[i] -= work[cp + i] * x[i + 1];
    work[z2 + i] -= work[cp + i] * work[z2 + i + 1];
  }
  let vz1 = 0;
  let vz2 = 0;
  for (let i = 0; i < n; i++) {
    vz1 += row[i] * x[i];
    vz2 += row[i] * work[z2 + i];
  }
  const schur = corner - vz2;
  if (schur === 0 || !Number.isFinite(schur)) zeroPivot(n);
  const y = (g - vz1) / schur;
  for (let i = 0; i < n; i++) x[i] -= y * work[z2 + i];
  return y;
}

/** y = T·x for a tridiagonal T (for residual checks). No allocation. */
export function multiplyTridiagonal(
  lower: Float64Array,
  diag: Float64Array,
  upper: Float64Array,
  x: Float64Array,
  y: Float64Array,
  n: number = diag.length,
): void {
  for (let i = 0; i < n; i++) {
    let s = diag[i] * x[i];
    if (i > 0) s += lower[i] * x[i - 1];
    if (i < n - 1) s += upper[i] * x[i + 1];
    y[i] = s;
  }
}
