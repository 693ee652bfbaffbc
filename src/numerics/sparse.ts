/**
 * Sparse matrices in compressed sparse row (CSR) form, matrix–vector products and the
 * preconditioned conjugate gradient method (Hestenes & Stiefel 1952; Saad, "Iterative Methods
 * for Sparse Linear Systems", 2nd ed. 2003, Algorithm 9.1) for symmetric positive-definite
 * systems, with Jacobi and zero-fill incomplete Cholesky IC(0) preconditioners (Saad §10.3;
 * Meijerink & van der Vorst 1977). Units are the caller's.
 */

export interface CsrMatrix {
  readonly nRows: number;
  readonly nCols: number;
  /** Row start offsets, length nRows + 1. */
  readonly rowPtr: Int32Array;
  /** Column index of each stored entry, sorted within a row. */
  readonly colIdx: Int32Array;
  /** Stored values. */
  readonly values: Float64Array;
}

/**
 * Build a CSR matrix from coordinate triplets; duplicates are summed (finite-volume assembly
 * style), columns sorted within each row.
 */
export function csrFromTriplets(
  nRows: number,
  nCols: number,
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  vals: ArrayLike<number>,
): CsrMatrix {
  const nnzIn = rows.length;
  if (cols.length !== nnzIn || vals.length !== nnzIn) throw new Error("csrFromTriplets: length mismatch");
  const count = new Int32Array(nRows + 1);
  for (let e = 0; e < nnzIn; e++) {
    const r = rows[e];
    const c = cols[e];
    if (!(r >= 0 && r < nRows && c >= 0 && c < nCols))
      throw new Error(`csrFromTriplets: (${r}, ${c}) out of range`);
    count[r + 1]++;
  }
  for (let r = 0; r < nRows; r++) count[r + 1] += count[r];
  const order = new Int32Array(nnzIn);
  const fill = count.slice(0, nRows);
  for (let e = 0; e < nnzIn; e++) order[fill[rows[e]]++] = e;
  // sort each row by column and merge duplicates
  const rowPtr = new Int32Array(nRows + 1);
  const colTmp = new Int32Array(nnzIn);
  const valTmp = new Float64Array(nnzIn);
  let nnz = 0;
  for (let r = 0; r < nRows; r++) {
    const start = count[r];
    const end = count[r + 1];
    const seg = Array.from(order.subarray(start, end)).sort((p, q) => cols[p] - cols[q]);
    rowPtr[r] = nnz;
    let last = -1;
    for (const e of seg) {
      if (cols[e] === last) valTmp[nnz - 1] += vals[e];
      else {
        colTmp[nnz] = cols[e];
        valTmp[nnz] = vals[e];
        last = cols[e];
        nnz++;
      }
    }
  }
  rowPtr[nRows] = nnz;
  return { nRows, nCols, rowPtr, colIdx: colTmp.slice(0, nnz), values: valTmp.slice(0, nnz) };
}

/** y = A·x. No allocation. */
export function csrMultiply(A: CsrMatrix, x: Float64Array, y: Float64Array): void {
  const { nRows, rowPtr, colIdx, values } = A;
  for (let i = 0; i < nRows; i++) {
    let s = 0;
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) s += values[p] * x[colIdx[p]];
    y[i] = s;
  }
}

/** Entry A(i, j) (0 if not stored); binary search within the row. */
export function csrGet(A: CsrMatrix, i: number, j: number): number {
  let lo = A.rowPtr[i];
  let hi = A.rowPtr[i + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = A.colIdx[mid];
    if (c === j) return A.values[mid];
    if (c < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** A preconditioner M ≈ A: apply z = M⁻¹·r (no allocation). */
export interface Preconditioner {
  apply(r: Float64Array, z: Float64Array): void;
}

/** Jacobi (diagonal) preconditioner M = diag(A). Throws if a diagonal entry is not > 0. */
export function jacobiPreconditioner(A: CsrMatrix): Preconditioner {
  const inv = new Float64Array(A.nRows);
  for (let i = 0; i < A.nRows; i++) {
    const d = csrGet(A, i, i);
    if (!(d > 0)) throw new Error(`jacobiPreconditioner: diagonal entry ${i} is not positive (${d})`);
    inv[i] = 1 / d;
  }
  return {
    apply(r, z) {
      for (let i = 0; i < inv.length; i++) z[i] = r[i] * inv[i];
    },
  };
}

/**
 * Zero-fill incomplete Cholesky M = L·Lᵀ with L restricted to the lower-triangular pattern of
 * A (A symmetric, both triangles stored). If a pivot is not positive (possible for SPD
 * matrices that are not M-matrices) the factorisation restarts on A + α·diag(A) with α
 * doubling from 1e-3 (Manteuffel 1980 shift); `shift` reports the α used.
 */
export function incompleteCholeskyPreconditioner(A: CsrMatrix): Preconditioner & { shift: number } {
  const n = A.nRows;
  // lower-triangular pattern (including diagonal), CSR by rows, columns ascending
  const lPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let p = A.rowPtr[i]; p < A.rowPtr[i + 1]; p++) if (A.colIdx[p] <= i) c++;
    lPtr[i + 1] = lPtr[i] + c;
  }
  const nnzL = lPtr[n];
  const lCol = new Int32Array(nnzL);
  const lVal = new Float64Array(nnzL);
  const aVal = new Float64Array(nnzL);
  const diagPos = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let q = lPtr[i];
    for (let p = A.rowPtr[i]; p < A.rowPtr[i + 1]; p++) {
      if (A.colIdx[p] <= i) {
        lCol[q] = A.colIdx[p];
        aVal[q] = A.values[p];
        q++;
      }
    }
    diagPos[i] = q - 1;
    if (lCol[q - 1] !== i) throw new Error(`incompleteCholesky: missing diagonal entry in row ${i}`);
  }
  // column-wise access to L for the transposed solve is done by scattering in the back solve
  const marker = new Int32Array(n).fill(-1);
  const tryFactor = (alpha: number): boolean => {
    for (let q = 0; q < nnzL; q++) lVal[q] = aVal[q];
    for (let i = 0; i < n; i++) lVal[diagPos[i]] *= 1 + alpha;
    for (let i = 0; i < n; i++) {
      // mark positions of row i
      for (let q = lPtr[i]; q < lPtr[i + 1]; q++) marker[lCol[q]] = q;
      for (let q = lPtr[i]; q < diagPos[i]; q++) {
        const j = lCol[q];
        // L_ij = (A_ij − Σ_{k<j} L_ik L_jk) / L_jj, k over the common pattern
        let s = lVal[q];
        for (let r = lPtr[j]; r < diagPos[j]; r++) {
          const k = lCol[r];
          const pos = marker[k];
          if (pos >= lPtr[i] && pos < q) s -= lVal[pos] * lVal[r];
        }
        lVal[q] = s / lVal[diagPos[j]];
      }
      let d = lVal[diagPos[i]];
      for (let q = lPtr[i]; q < diagPos[i]; q++) d -= lVal[q] * lVal[q];
      for (let q = lPtr[i]; q < lPtr[i + 1]; q++) marker[lCol[q]] = -1;
      if (!(d > 0) || !Number.isFinite(d)) return false;
      lVal[diagPos[i]] = Math.sqrt(d);
    }
    return true;
  };
  let alpha = 0;
  while (!tryFactor(alpha)) {
    alpha = alpha === 0 ? 1e-3 : 2 * alpha;
    if (alpha > 1e6) throw new Error("incompleteCholesky: matrix is not positive definite");
  }
  return {
    shift: alpha,
    apply(r, z) {
      // L y = r
      for (let i = 0; i < n; i++) {
        let s = r[i];
        for (let q = lPtr[i]; q < diagPos[i]; q++) s -= lVal[q] * z[lCol[q]];
        z[i] = s / lVal[diagPos[i]];
      }
      // Lᵀ z = y (column-oriented sweep over rows of L from the bottom)
      for (let i = n - 1; i >= 0; i--) {
        const zi = z[i] / lVal[diagPos[i]];
        z[i] = zi;
        for (let q = lPtr[i]; q < diagPos[i]; q++) z[lCol[q]] -= lVal[q] * zi;
      }
    },
  };
}

export interface PcgOptions {
  /** Stop when ‖b − A·x‖₂ ≤ relTol·‖b‖₂ (default 1e-10) or ≤ absTol (default 0). */
  relTol?: number;
  absTol?: number;
  /** Default 10·n. */
  maxIterations?: number;
  /** "none", "jacobi" (default), "ic0", or an own Preconditioner. */
  preconditioner?: "none" | "jacobi" | "ic0" | Preconditioner;
  /** Scratch space from new PcgWorkspace(n) to avoid allocation per solve. */
  workspace?: PcgWorkspace;
}

export interface PcgResult {
  converged: boolean;
  iterations: number;
  /** Final true-residual 2-norm ‖b − A·x‖ (recomputed at the end). */
  residualNorm: number;
  /** residualNorm/‖b‖. */
  relativeResidual: number;
}

export class PcgWorkspace {
  readonly r: Float64Array;
  readonly z: Float64Array;
  readonly p: Float64Array;
  readonly q: Float64Array;
  constructor(readonly n: number) {
    this.r = new Float64Array(n);
    this.z = new Float64Array(n);
    this.p = new Float64Array(n);
    this.q = new Float64Array(n);
  }
}

/**
 * Solve A·x = b for symmetric positive-definite A by preconditioned conjugate gradients;
 * `x` holds the initial guess on entry and the solution on exit.
 */
export function pcg(A: CsrMatrix, b: Float64Array, x: Float64Array, options: PcgOptions = {}): PcgResult {
  const n = A.nRows;
  const ws = options.workspace ?? new PcgWorkspace(n);
  const { r, z, p, q } = ws;
  const pre = options.preconditioner ?? "jacobi";
  const M: Preconditioner | null =
    pre === "none"
      ? null
      : pre === "jacobi"
        ? jacobiPreconditioner(A)
        : pre === "ic0"
          ? incompleteCholeskyPreconditioner(A)
          : pre;
  const maxIterations = options.maxIterations ?? 10 * n;
  let bNorm = 0;
  for (let i = 0; i < n; i++) bNorm += b[i] * b[i];
  bNorm = Math.sqrt(bNorm);
  const target = Math.max(options.absTol ?? 0, (options.relTol ?? 1e-10) * bNorm);
  csrMultiply(A, x, q);
  let rNorm2 = 0;
  for (let i = 0; i < n; i++) {
    r[i] = b[i] - q[i];
    rNorm2 += r[i] * r[i];
  }
  const finish = (converged: boolean, iterations: number): PcgResult => {
    csrMultiply(A, x, q);
    let s = 0;
    for (let i = 0; i < n; i++) s += (b[i] - q[i]) ** 2;
    const residualNorm = Math.sqrt(s);
    return {
      converged,
      iterations,
      residualNorm,
      relativeResidual: bNorm > 0 ? residualNorm / bNorm : residualNorm,
    };
  };
  if (Math.sqrt(rNorm2) <= target) return finish(true, 0);
  if (M) M.apply(r, z);
  else z.set(r);
  p.set(z);
  let rz = 0;
  for (let i = 0; i < n; i++) rz += r[i] * z[i];
  for (let it = 1; it <= maxIterations; it++) {
    csrMultiply(A, p, q);
    let pq = 0;
    for (let i = 0; i < n; i++) pq += p[i] * q[i];
    if (!(pq > 0)) return finish(false, it); // A not positive definite along p
    const alpha = rz / pq;
    rNorm2 = 0;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * q[i];
      rNorm2 += r[i] * r[i];
    }
    if (Math.sqrt(rNorm2) <= target) return finish(true, it);
    if (M) M.apply(r, z);
    else z.set(r);
    let rzNew = 0;
    for (let i = 0; i < n; i++) rzNew += r[i] * z[i];
    const beta = rzNew / rz;
    rz = rzNew;
    for (let i = 0; i < n; i++) p[i] = z[i] + beta * p[i];
  }
  return finish(false, maxIterations);
}
