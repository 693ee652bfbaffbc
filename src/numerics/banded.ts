/**
 * Small banded matrices: LU factorisation with partial (row) pivoting and solves, in the
 * storage scheme of LAPACK dgbtrf/dgbtrs (Anderson et al., LAPACK Users' Guide §5.3.2):
 * column-major with leading dimension ldab = 2·kl + ku + 1, element A(i, j) stored at
 * j·ldab + (kl + ku + i − j); the top kl rows of each column hold the fill-in created by
 * pivoting. Our own implementation of the textbook algorithm (Golub & Van Loan §4.3.5).
 */

export class BandedMatrix {
  /** Order of the matrix. */
  readonly n: number;
  /** Number of sub-diagonals. */
  readonly kl: number;
  /** Number of super-diagonals. */
  readonly ku: number;
  /** Leading dimension 2·kl + ku + 1. */
  readonly ldab: number;
  /** Band storage (see module doc). */
  readonly data: Float64Array;
  /** Row interchanges of the last factorisation (pivot row of each column). */
  readonly pivots: Int32Array;
  /** True after factor() succeeded (then data holds L and U). */
  factored = false;

  constructor(n: number, kl: number, ku: number) {
    if (
      !(Number.isInteger(n) && n >= 0 && Number.isInteger(kl) && kl >= 0 && Number.isInteger(ku) && ku >= 0)
    ) {
      throw new Error("BandedMatrix: n, kl, ku must be non-negative integers");
    }
    this.n = n;
    this.kl = kl;
    this.ku = ku;
    this.ldab = 2 * kl + ku + 1;
    this.data = new Float64Array(this.ldab * n);
    this.pivots = new Int32Array(n);
  }

  /** True when (i, j) lies inside the kl/ku band of the original matrix. */
  inBand(i: number, j: number): boolean {
    return i - j <= this.kl && j - i <= this.ku && i >= 0 && j >= 0 && i < this.n && j < this.n;
  }

  private index(i: number, j: number): number {
    return j * this.ldab + (this.kl + this.ku + i - j);
  }

  get(i: number, j: number): number {
    return this.inBand(i, j) ? this.data[this.index(i, j)] : 0;
  }

  /** Set A(i, j); throws if (i, j) is outside the band. */
  set(i: number, j: number, value: number): void {
    if (!this.inBand(i, j)) throw new Error(`BandedMatrix.set: (${i}, ${j}) outside the band`);
    this.data[this.index(i, j)] = value;
    this.factored = false;
  }

  /** Add to A(i, j); throws if outside the band. */
  add(i: number, j: number, value: number): void {
    if (!this.inBand(i, j)) throw new Error(`BandedMatrix.add: (${i}, ${j}) outside the band`);
    this.data[this.index(i, j)] += value;
    this.factored = false;
  }

  /** Zero all entries (including fill-in) to reassemble. */
  clear(): void {
    this.data.fill(0);
    this.factored = false;
  }

  /** y = A·x (only valid before factor()). */
  multiply(x: Float64Array, y: Float64Array): void {
    if (this.factored) throw new Error("BandedMatrix.multiply: matrix already factored");
    const { n, kl, ku } = this;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const j0 = Math.max(0, i - kl);
      const j1 = Math.min(n - 1, i + ku);
      for (let j = j0; j <= j1; j++) s += this.data[this.index(i, j)] * x[j];
      y[i] = s;
    }
  }

  /**
   * In-place LU factorisation with partial pivoting, P·A = L·U. Throws a plain Error when a
   * column has no non-zero pivot (singular matrix). No allocation.
   */
  factor(): void {
    const { n, kl, ku, ldab, data } = this;
    const off = kl + ku;
    const kuFill = ku + kl;
    for (let j = 0; j < n; j++) {
      // clear the fill-in slots above the original band (rows j − ku − kl .. j − ku − 1)
      for (let i = Math.max(0, j - kuFill); i < j - ku; i++) data[j * ldab + off + i - j] = 0;
    }
    for (let k = 0; k < n; k++) {
      const iMax = Math.min(n - 1, k + kl);
      let p = k;
      let best = Math.abs(data[k * ldab + off]);
      for (let i = k + 1; i <= iMax; i++) {
        const v = Math.abs(data[k * ldab + off + i - k]);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      this.pivots[k] = p;
      if (best === 0 || !Number.isFinite(best)) {
        throw new Error(`BandedMatrix.factor: singular matrix (no pivot in column ${k})`);
      }
      const jMax = Math.min(n - 1, k + kuFill);
      if (p !== k) {
        for (let j = k; j <= jMax; j++) {
          const a = j * ldab + off + k - j;
          const b = j * ldab + off + p - j;
          const t = data[a];
          data[a] = data[b];
          data[b] = t;
        }
      }
      const pivot = data[k * ldab + off];
      for (let i = k + 1; i <= iMax; i++) {
        const li = k * ldab + off + i - k;
        const l = data[li] / pivot;
        data[li] = l;
        if (l === 0) continue;
        for (let j = k + 1; j <= jMax; j++) data[j * ldab + off + i - j] -= l * data[j * ldab + off + k - j];
      }
    }
    this.factored = true;
  }

  /** Solve A·x = b in place in `b` using the factorisation (call factor() first). No allocation. */
  solve(b: Float64Array): void {
    if (!this.factored) throw new Error("BandedMatrix.solve: call factor() first");
    const { n, kl, ku, ldab, data, pivots } = this;
    const off = kl + ku;
    for (let k = 0; k < n; k++) {
      const p = pivots[k];
      if (p !== k) {
        const t = b[k];
        b[k] = b[p];
        b[p] = t;
      }
      const bk = b[k];
      if (bk === 0) continue;
      const iMax = Math.min(n - 1, k + kl);
      for (let i = k + 1; i <= iMax; i++) b[i] -= data[k * ldab + off + i - k] * bk;
    }
    for (let k = n - 1; k >= 0; k--) {
      let s = b[k];
      const jMax = Math.min(n - 1, k + ku + kl);
      for (let j = k + 1; j <= jMax; j++) s -= data[j * ldab + off + k - j] * b[j];
      b[k] = s / data[k * ldab + off];
    }
  }
}
