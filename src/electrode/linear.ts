/**
 * Linear algebra for the electrode network: a symmetric CSR matrix with a fixed pattern
 * (graph Laplacian of the conduction network + positive diagonal) whose values are refilled
 * every Newton iteration, and preconditioners that refactor in place without allocation:
 * Jacobi and zero-fill incomplete Cholesky IC(0) (Meijerink & van der Vorst, Math. Comp. 31
 * (1977) 148: IC(0) of an M-matrix exists, all pivots positive). The conjugate-gradient
 * iteration itself is `pcg` from src/numerics/sparse.ts.
 */
import type { CsrMatrix, Preconditioner } from "../numerics/sparse.js";

/** A CSR matrix whose `values` may be rewritten in place (the pattern is fixed). */
export interface MutableCsr extends CsrMatrix {
  readonly values: Float64Array;
  /** Position of the diagonal entry of each row. */
  readonly diagPos: Int32Array;
}

/**
 * Build the symmetric pattern of an n-node graph with edges (a_e, b_e) (b_e < 0 edges are
 * ignored: they only touch the diagonal). Returns the matrix (values zero) and, for every
 * edge, the positions of entries (a, b) and (b, a) (−1 for ignored edges).
 */
export function graphPattern(
  n: number,
  a: Int32Array,
  b: Int32Array,
): { matrix: MutableCsr; upper: Int32Array; lower: Int32Array } {
  const m = a.length;
  const count = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) count[i + 1] = 1;
  for (let e = 0; e < m; e++) {
    if (b[e] < 0 || a[e] === b[e]) continue;
    count[a[e] + 1]++;
    count[b[e] + 1]++;
  }
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  // collect neighbour lists, then sort and merge duplicates per row
  const raw = new Int32Array(count[n]);
  const fill = count.slice(0, n);
  for (let i = 0; i < n; i++) raw[fill[i]++] = i;
  for (let e = 0; e < m; e++) {
    if (b[e] < 0 || a[e] === b[e]) continue;
    raw[fill[a[e]]++] = b[e];
    raw[fill[b[e]]++] = a[e];
  }
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  for (let i = 0; i < n; i++) {
    const seg = Array.from(raw.subarray(count[i], count[i + 1])).sort((p, q) => p - q);
    rowPtr[i] = cols.length;
    let last = -1;
    for (const c of seg) {
      if (c !== last) cols.push(c);
      last = c;
    }
  }
  rowPtr[n] = cols.length;
  const colIdx = Int32Array.from(cols);
  const find = (i: number, j: number): number => {
    let lo = rowPtr[i];
    let hi = rowPtr[i + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (colIdx[mid] === j) return mid;
      if (colIdx[mid] < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  const diagPos = new Int32Array(n);
  for (let i = 0; i < n; i++) diagPos[i] = find(i, i);
  const upper = new Int32Array(m).fill(-1);
  const lower = new Int32Array(m).fill(-1);
  for (let e = 0; e < m; e++) {
    if (b[e] < 0 || a[e] === b[e]) continue;
    upper[e] = find(a[e], b[e]);
    lower[e] = find(b[e], a[e]);
  }
  const matrix: MutableCsr = {
    nRows: n,
    nCols: n,
    rowPtr,
    colIdx,
    values: new Float64Array(colIdx.length),
    diagPos,
  };
  return { matrix, upper, lower };
}

/** A preconditioner that can be recomputed for new values of the same pattern. */
export interface RefactorablePreconditioner extends Preconditioner {
  refactor(): void;
}

/** Jacobi preconditioner on a MutableCsr. */
export class JacobiPreconditioner implements RefactorablePreconditioner {
  private readonly inv: Float64Array;
  constructor(private readonly A: MutableCsr) {
    this.inv = new Float64Array(A.nRows);
  }
  refactor(): void {
    const { values, diagPos } = this.A;
    for (let i = 0; i < this.inv.length; i++) this.inv[i] = 1 / values[diagPos[i]];
  }
  apply(r: Float64Array, z: Float64Array): void {
    const inv = this.inv;
    for (let i = 0; i < inv.length; i++) z[i] = r[i] * inv[i];
  }
}

/**
 * IC(0) on the lower triangle of a MutableCsr, with the pattern analysed once: for every
 * strictly-lower entry (i, j) the list of pairs (L_ik, L_jk), k < j, in the common pattern
 * is precomputed, so a refactorisation is a flat loop. Falls back to a diagonal shift
 * (Manteuffel 1980) if a pivot is not positive (not expected for M-matrices).
 */
export class IncompleteCholesky implements RefactorablePreconditioner {
  private readonly n: number;
  private readonly lPtr: Int32Array;
  private readonly lCol: Int32Array;
  private readonly lVal: Float64Array;
  private readonly src: Int32Array; // position in A of each L entry
  private readonly lDiag: Int32Array;
  private readonly pairPtr: Int32Array; // per L entry, range into pairA/pairB
  private readonly pairA: Int32Array;
  private readonly pairB: Int32Array;
  shift = 0;

  constructor(private readonly A: MutableCsr) {
    const n = A.nRows;
    this.n = n;
    const lPtr = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      let c = 0;
      for (let p = A.rowPtr[i]; p < A.rowPtr[i + 1]; p++) if (A.colIdx[p] <= i) c++;
      lPtr[i + 1] = lPtr[i] + c;
    }
    const nnz = lPtr[n];
    const lCol = new Int32Array(nnz);
    const src = new Int32Array(nnz);
    const lDiag = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let q = lPtr[i];
      for (let p = A.rowPtr[i]; p < A.rowPtr[i + 1]; p++) {
        if (A.colIdx[p] <= i) {
          lCol[q] = A.colIdx[p];
          src[q] = p;
          q++;
        }
      }
      lDiag[i] = q - 1;
    }
    // common-pattern pairs
    const marker = new Int32Array(n).fill(-1);
    const pa: number[] = [];
    const pb: number[] = [];
    const pairPtr = new Int32Array(nnz + 1);
    for (let i = 0; i < n; i++) {
      for (let q = lPtr[i]; q < lDiag[i]; q++) marker[lCol[q]] = q;
      for (let q = lPtr[i]; q <= lDiag[i]; q++) {
        pairPtr[q] = pa.length;
        if (q === lDiag[i]) continue;
        const j = lCol[q];
        for (let r = lPtr[j]; r < lDiag[j]; r++) {
          const pos = marker[lCol[r]];
          if (pos >= lPtr[i] && pos < q) {
            pa.push(pos);
            pb.push(r);
          }
        }
      }
      for (let q = lPtr[i]; q < lDiag[i]; q++) marker[lCol[q]] = -1;
    }
    pairPtr[nnz] = pa.length;
    // the diagonal's pairs are the row's own entries: handled directly
    this.lPtr = lPtr;
    this.lCol = lCol;
    this.lVal = new Float64Array(nnz);
    this.src = src;
    this.lDiag = lDiag;
    this.pairPtr = pairPtr;
    this.pairA = Int32Array.from(pa);
    this.pairB = Int32Array.from(pb);
  }

  private tryFactor(alpha: number): boolean {
    const { n, lPtr, lVal, lDiag, src, pairPtr, pairA, pairB } = this;
    const values = this.A.values;
    for (let i = 0; i < n; i++) {
      for (let q = lPtr[i]; q < lDiag[i]; q++) {
        let s = values[src[q]];
        for (let t = pairPtr[q]; t < pairPtr[q + 1]; t++) s -= lVal[pairA[t]] * lVal[pairB[t]];
        lVal[q] = s / lVal[lDiag[this.lCol[q]]];
      }
      let d = values[src[lDiag[i]]] * (1 + alpha);
      for (let q = lPtr[i]; q < lDiag[i]; q++) d -= lVal[q] * lVal[q];
      if (!(d > 0) || !Number.isFinite(d)) return false;
      lVal[lDiag[i]] = Math.sqrt(d);
    }
    return true;
  }

  refactor(): void {
    let alpha = 0;
    while (!this.tryFactor(alpha)) {
      alpha = alpha === 0 ? 1e-3 : 2 * alpha;
      if (alpha > 1e6) throw new Error("IncompleteCholesky: matrix is not positive definite");
    }
    this.shift = alpha;
  }

  apply(r: Float64Array, z: Float64Array): void {
    const { n, lPtr, lCol, lVal, lDiag } = this;
    for (let i = 0; i < n; i++) {
      let s = r[i];
      for (let q = lPtr[i]; q < lDiag[i]; q++) s -= lVal[q] * z[lCol[q]];
      z[i] = s / lVal[lDiag[i]];
    }
    for (let i = n - 1; i >= 0; i--) {
      const zi = z[i] / lVal[lDiag[i]];
      z[i] = zi;
      for (let q = lPtr[i]; q < lDiag[i]; q++) z[lCol[q]] -= lVal[q] * zi;
    }
  }
}

/** Scratch vectors for `scaledPcg`. */
export class ScaledPcgWorkspace {
  readonly r: Float64Array;
  readonly z: Float64Array;
  readonly p: Float64Array;
  readonly q: Float64Array;
  readonly invDiag: Float64Array;
  constructor(n: number) {
    this.invDiag = new Float64Array(n);
    this.r = new Float64Array(n);
    this.z = new Float64Array(n);
    this.p = new Float64Array(n);
    this.q = new Float64Array(n);
  }
}

export interface ScaledPcgResult {
  converged: boolean;
  iterations: number;
  /** Final max_i |r_i| / A_ii (a potential for the network) [unit of x]. */
  scaledResidual: number;
}

/**
 * Preconditioned conjugate gradients (Saad 2003, Alg. 9.1) on a MutableCsr, stopping when
 * the diagonally scaled residual max_i |r_i|/A_ii ≤ tol. For a network with conductances
 * spanning many decades this is the potential change that would balance node i's current
 * mismatch — a stopping test in potential units that treats badly connected nodes (tiny
 * A_ii) as carefully as well connected ones, which a test on ‖r‖₂/‖b‖₂ does not.
 * `x` holds the initial guess and receives the solution. No allocation.
 */
export function scaledPcg(
  A: MutableCsr,
  b: Float64Array,
  x: Float64Array,
  M: RefactorablePreconditioner,
  ws: ScaledPcgWorkspace,
  tol: number,
  maxIterations: number,
): ScaledPcgResult {
  const n = A.nRows;
  const { rowPtr, colIdx, values, diagPos } = A;
  const { r, z, p, q, invDiag } = ws;
  let scaled = 0;
  for (let i = 0; i < n; i++) {
    invDiag[i] = 1 / values[diagPos[i]];
    let s = 0;
    for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) s += values[k] * x[colIdx[k]];
    r[i] = b[i] - s;
    const e = Math.abs(r[i]) * invDiag[i];
    if (e > scaled) scaled = e;
  }
  if (scaled <= tol) return { converged: true, iterations: 0, scaledResidual: scaled };
  M.apply(r, z);
  let rz = 0;
  for (let i = 0; i < n; i++) {
    p[i] = z[i];
    rz += r[i] * z[i];
  }
  for (let it = 1; it <= maxIterations; it++) {
    let pq = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) s += values[k] * p[colIdx[k]];
      q[i] = s;
      pq += p[i] * s;
    }
    if (!(pq > 0)) return { converged: false, iterations: it, scaledResidual: scaled };
    const alpha = rz / pq;
    scaled = 0;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * q[i];
      const e = Math.abs(r[i]) * invDiag[i];
      if (e > scaled) scaled = e;
    }
    if (scaled <= tol) return { converged: true, iterations: it, scaledResidual: scaled };
    M.apply(r, z);
    let rzNew = 0;
    for (let i = 0; i < n; i++) rzNew += r[i] * z[i];
    const beta = rzNew / rz;
    rz = rzNew;
    for (let i = 0; i < n; i++) p[i] = z[i] + beta * p[i];
  }
  return { converged: false, iterations: maxIterations, scaledResidual: scaled };
}
