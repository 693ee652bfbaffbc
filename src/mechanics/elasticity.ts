/**
 * Small-strain linear elasticity with eigenstrain on a regular pixel (2D, plane strain) or voxel
 * (3D) grid: Q1 finite elements (bilinear quadrilaterals / trilinear hexahedra, 2^dim-point
 * Gauss quadrature), one isotropic modulus per cell (grain, binder, void, degraded by damage),
 * a matrix-free element-by-element operator on the fine grid, and a preconditioned conjugate
 * gradient solver whose preconditioner is one geometric-multigrid V-cycle:
 *
 * - coarse operators are Galerkin products A_c = P̃ᵀ A P̃ (P̃ = trilinear interpolation with the
 *   rows of Dirichlet dofs zeroed), formed cell by cell: the 2^dim children of a coarse cell give
 *   its element matrix K_C = Σ_children P_cᵀ K_child P_c (exact for nested Q1 spaces), which
 *   keeps the hierarchy robust for the 500:1 grain/binder and 10⁶:1 grain/void contrasts;
 * - smoother: l1-Jacobi (Baker, Falgout, Kolev & Yang, SIAM J. Sci. Comput. 33 (2011) 2864),
 *   parameter-free and convergent for any SPD operator; equal pre- and post-sweeps keep the
 *   V-cycle symmetric, as CG needs;
 * - coarsest level: dense Cholesky.
 *
 * Weak form (Hughes, The Finite Element Method, 1987, ch. 2–3): find u with
 * ∫ ε(v) : C_e : (ε(u) − ε*) dV = 0 for all v, i.e. K u = f, f = Σ_e ∫ Bᵀ C_e ε*_e dV.
 * 2D takes the full 3D eigenstrain. Two out-of-plane conditions (`GridSpec.outOfPlane`):
 * - "plane-strain" (ε_zz = 0): out-of-plane eigenstrain acts through λ·tr ε* and a uniform
 *   isotropic eigenstrain e leaves σ_zz = −E·e in a free body;
 * - "generalised" (generalised plane strain, Cheng, Gupta & Meguid, Int. J. Solids Struct. 33
 *   (1996) 1101; Abaqus "generalized plane strain" elements): ε_zz = ε₀ is one unknown
 *   uniform over the section, fixed by zero net axial force ∫σ_zz dA = 0. The energy is then
 *   that of a long prism free at its ends, a uniform isotropic eigenstrain is compatible
 *   (zero stress, as in 3D), and only eigenstrain differences between cells stress the body.
 *   Solved exactly by superposition: u = u_a + ε₀·u_b (u_a: ε_zz = 0 with the eigenstrain,
 *   u_b: ε_zz = 1 without), ε₀ = −S_a/S_b with S = ∫σ_zz dA, both linear in u.
 *
 * Units: modulus [Pa], spacing [m], displacement [m], stress [Pa]; forces are [N] in 3D and
 * [N/m] (per unit thickness) in 2D.
 *
 * Eigenstrain and stress tensors are 6 numbers per cell, [xx, yy, zz, yz, xz, xy] (tensor shear).
 */

export interface GridSpec {
  dim: 2 | 3;
  /** Cells per side. */
  n: number;
  /** Cell size h [m]. */
  spacing: number;
  /**
   * l1-Jacobi sweeps before and after the coarse-grid correction of each V-cycle level
   * (default 1: two fine-grid operator applications per V-cycle; 2 cuts PCG iterations by
   * about a third but doubles the work per iteration).
   */
  smoothingSweeps?: number;
  /**
   * 2D out-of-plane condition (default "plane-strain", ε_zz = 0; "generalised": uniform ε_zz
   * with zero net axial force, see the module comment). Ignored in 3D.
   */
  outOfPlane?: "plane-strain" | "generalised";
}

interface Level {
  n: number;
  /** Nodes per side n + 1. */
  m: number;
  dofs: number;
  fixed: Uint8Array;
  /** Per-cell full element matrix (coarse levels only), ke × ke row-major. */
  elem: Float64Array | null;
  /** l1 row sums, inverted. */
  invL1: Float64Array;
  r: Float64Array;
  b: Float64Array;
  x: Float64Array;
  t: Float64Array;
}

/** Options for a solve. */
export interface SolveOptions {
  /** Relative residual ‖f − Ku‖/‖f‖ to reach (default 1e-8). */
  tolerance?: number;
  /** Iteration cap (default 500). */
  maxIterations?: number;
}

export interface SolveResult {
  iterations: number;
  relativeResidual: number;
}

/** Lamé constants for unit Young's modulus. */
function lameUnit(nu: number): { lambda: number; mu: number } {
  return { lambda: nu / ((1 + nu) * (1 - 2 * nu)), mu: 1 / (2 * (1 + nu)) };
}

/**
 * Q1 element stiffness matrix for E = 1 on a cube/square of side h (plane strain in 2D) and the
 * integrals g_a = ∫ ∇N_a dV [m^(dim−1)]. Local node a = ax + 2·ay (+ 4·az); dof = dim·a + comp.
 */
export function referenceElement(
  dim: 2 | 3,
  h: number,
  nu: number,
): { stiffness: Float64Array; gradientIntegral: Float64Array } {
  const nen = 1 << dim;
  const ke = dim * nen;
  const { lambda, mu } = lameUnit(nu);
  const K = new Float64Array(ke * ke);
  const gp = [0.5 - 0.5 / Math.sqrt(3), 0.5 + 0.5 / Math.sqrt(3)];
  const wq = h ** dim / nen; // each Gauss point weight (unit-cube weights 1/2^dim times volume)
  const grad = new Float64Array(nen * 3);
  const nq = dim === 3 ? 8 : 4;
  for (let q = 0; q < nq; q++) {
    const xi = [gp[q & 1], gp[(q >> 1) & 1], dim === 3 ? gp[(q >> 2) & 1] : 0];
    for (let a = 0; a < nen; a++) {
      const ax = [a & 1, (a >> 1) & 1, (a >> 2) & 1];
      const f = (d: number): number => (ax[d] ? xi[d] : 1 - xi[d]);
      const df = (d: number): number => (ax[d] ? 1 : -1) / h;
      if (dim === 2) {
        grad[3 * a] = df(0) * f(1);
        grad[3 * a + 1] = f(0) * df(1);
        grad[3 * a + 2] = 0;
      } else {
        grad[3 * a] = df(0) * f(1) * f(2);
        grad[3 * a + 1] = f(0) * df(1) * f(2);
        grad[3 * a + 2] = f(0) * f(1) * df(2);
      }
    }
    // K_{ai,bj} = ∫ λ ∂_i N_a ∂_j N_b + μ (δ_ij ∇N_a·∇N_b + ∂_j N_a ∂_i N_b)
    for (let a = 0; a < nen; a++)
      for (let b = 0; b < nen; b++) {
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += grad[3 * a + d] * grad[3 * b + d];
        for (let i = 0; i < dim; i++)
          for (let j = 0; j < dim; j++) {
            let v = lambda * grad[3 * a + i] * grad[3 * b + j] + mu * grad[3 * a + j] * grad[3 * b + i];
            if (i === j) v += mu * dot;
            K[(dim * a + i) * ke + dim * b + j] += wq * v;
          }
      }
  }
  const gi = new Float64Array(nen * dim);
  const face = h ** (dim - 1) / (1 << (dim - 1));
  for (let a = 0; a < nen; a++)
    for (let d = 0; d < dim; d++) gi[dim * a + d] = ((a >> d) & 1 ? 1 : -1) * face;
  return { stiffness: K, gradientIntegral: gi };
}

/** Interpolation weight from coarse corner A (0/1) to fine position p (0, 1, 2) along one axis. */
function w1(p: number, A: number): number {
  if (p === 1) return 0.5;
  return (p === 0 && A === 0) || (p === 2 && A === 1) ? 1 : 0;
}

export class ElasticitySolver {
  private solveWork: Float64Array[] | null = null;
  readonly dim: 2 | 3;
  readonly n: number;
  readonly spacing: number;
  readonly poissonRatio: number;
  /** Nodes per side. */
  readonly m: number;
  readonly nodeCount: number;
  readonly dofCount: number;
  readonly cellCount: number;
  /** Unit-modulus element stiffness. */
  readonly kRef: Float64Array;
  /** ∫∇N_a dV per local node. */
  readonly gradientIntegral: Float64Array;
  /** 1 where a dof has a prescribed value (taken from u on entry to solve). */
  readonly fixed: Uint8Array;
  private readonly ke: number;
  private readonly nen: number;
  private readonly levels: Level[] = [];
  /** Per-child scalar Galerkin matrices P_cᵀ K_ref P_c. */
  private readonly childGalerkin: Float64Array[] = [];
  /** Per-child interpolation (nen × nen scalar weights). */
  private readonly childP: Float64Array[] = [];
  private coarseFactor: Float64Array | null = null;
  private modulus: Float64Array | null = null;
  /** Copy of the moduli the coarse hierarchy was built from. */
  private hierarchyModulus: Float64Array | null = null;
  private readonly lambdaUnit: number;
  private readonly muUnit: number;
  /** l1-Jacobi sweeps before and after the coarse correction on each level. */
  private readonly sweeps: number;
  /** Dense-Cholesky threshold on the coarsest level [dofs]. */
  private static readonly COARSE_DOFS = 400;
  /** 2D out-of-plane condition (see GridSpec). */
  readonly outOfPlane: "plane-strain" | "generalised";
  /**
   * Uniform out-of-plane strain ε_zz = ε₀ of a 2D body [-] (0 in plane strain; set by
   * `solveEigenstrain` in generalised plane strain; callers may preset it as a predictor).
   */
  axialStrain = 0;
  /** Generalised plane strain: displacement for ε₀ = 1 without eigenstrain, its load and work. */
  private axialWork: {
    ub: Float64Array;
    fb: Float64Array;
    ua: Float64Array;
    unit: Float64Array;
    strain: Float64Array;
  } | null = null;

  /**
   * @param grid cells per side and spacing [m]
   * @param poissonRatio ν, one value for every phase
   * @param fixed optional per-dof Dirichlet mask (length dim·(n+1)^dim); default: every dof on
   *   the domain boundary (the particle floats in a soft void inside a clamped box)
   */
  constructor(grid: GridSpec, poissonRatio: number, fixed?: Uint8Array) {
    const { dim, n, spacing } = grid;
    this.sweeps = grid.smoothingSweeps ?? 1;
    this.outOfPlane = dim === 2 ? (grid.outOfPlane ?? "plane-strain") : "plane-strain";
    if (!(n >= 2) || !Number.isInteger(n)) throw new RangeError("n must be an integer ≥ 2");
    this.dim = dim;
    this.n = n;
    this.spacing = spacing;
    this.poissonRatio = poissonRatio;
    this.m = n + 1;
    this.nodeCount = this.m ** dim;
    this.dofCount = dim * this.nodeCount;
    this.cellCount = n ** dim;
    this.nen = 1 << dim;
    this.ke = dim * this.nen;
    const ref = referenceElement(dim, spacing, poissonRatio);
    this.kRef = ref.stiffness;
    this.gradientIntegral = ref.gradientIntegral;
    const lame = lameUnit(poissonRatio);
    this.lambdaUnit = lame.lambda;
    this.muUnit = lame.mu;
    if (fixed) {
      if (fixed.length !== this.dofCount) throw new RangeError("fixed mask has the wrong length");
      this.fixed = fixed;
    } else this.fixed = ElasticitySolver.boxBoundaryMask(dim, n);
    this.buildChildOperators();
    // level hierarchy (sizes only; operators in setModulus)
    let nl = n;
    let fixedL = this.fixed;
    for (;;) {
      const ml = nl + 1;
      const dofs = dim * ml ** dim;
      this.levels.push({
        n: nl,
        m: ml,
        dofs,
        fixed: fixedL,
        elem: null,
        invL1: new Float64Array(dofs),
        r: new Float64Array(dofs),
        b: new Float64Array(dofs),
        x: new Float64Array(dofs),
        t: new Float64Array(dofs),
      });
      if (dofs <= ElasticitySolver.COARSE_DOFS || nl % 2 !== 0 || nl < 4) break;
      nl /= 2;
      fixedL = new Uint8Array(dim * (nl + 1) ** dim);
    }
  }

  /** Mask fixing every dof on the faces of the grid box. */
  static boxBoundaryMask(dim: 2 | 3, n: number): Uint8Array {
    const m = n + 1;
    const mask = new Uint8Array(dim * m ** dim);
    const mz = dim === 3 ? m : 1;
    for (let k = 0; k < mz; k++)
      for (let j = 0; j < m; j++)
        for (let i = 0; i < m; i++) {
          const onFace = i === 0 || i === n || j === 0 || j === n || (dim === 3 && (k === 0 || k === n));
          if (!onFace) continue;
          const node = i + m * (j + m * k);
          for (let d = 0; d < dim; d++) mask[dim * node + d] = 1;
        }
    return mask;
  }

  /** Number of multigrid levels in use. */
  get levelCount(): number {
    return this.levels.length;
  }

  private buildChildOperators(): void {
    const { dim, nen, ke } = this;
    for (let c = 0; c < nen; c++) {
      const P = new Float64Array(nen * nen); // fine local a ← coarse corner A
      for (let a = 0; a < nen; a++)
        for (let A = 0; A < nen; A++) {
          let w = 1;
          for (let d = 0; d < dim; d++) w *= w1(((c >> d) & 1) + ((a >> d) & 1), (A >> d) & 1);
          P[a * nen + A] = w;
        }
      this.childP.push(P);
      this.childGalerkin.push(this.tripleProduct(this.kRef, P, new Float64Array(ke * ke), null));
    }
  }

  /** out += Pᵀ K P with P = kron(Pscalar, I_dim); rows/cols of K whose local dof is masked are skipped. */
  private tripleProduct<T extends Float64Array | Float32Array>(
    K: ArrayLike<number>,
    P: Float64Array,
    out: T,
    mask: Uint8Array | null,
  ): T {
    const { dim, nen, ke } = this;
    const T = new Float64Array(ke * ke); // T = K P
    for (let r = 0; r < ke; r++) {
      if (mask?.[r]) continue;
      for (let a = 0; a < nen; a++)
        for (let i = 0; i < dim; i++) {
          const col = dim * a + i;
          if (mask?.[col]) continue;
          const k = K[r * ke + col];
          if (k === 0) continue;
          for (let A = 0; A < nen; A++) {
            const p = P[a * nen + A];
            if (p !== 0) T[r * ke + dim * A + i] += k * p;
          }
        }
    }
    for (let a = 0; a < nen; a++)
      for (let A = 0; A < nen; A++) {
        const p = P[a * nen + A];
        if (p === 0) continue;
        for (let i = 0; i < dim; i++) {
          const row = dim * a + i;
          if (mask?.[row]) continue;
          const base = (dim * A + i) * ke;
          for (let c = 0; c < ke; c++) out[base + c] += p * T[row * ke + c];
        }
      }
    return out;
  }

  /** Global node of local node a of cell (i, j, k) on a grid with m nodes per side. */
  private static nodeOf(a: number, i: number, j: number, k: number, m: number): number {
    return i + (a & 1) + m * (j + ((a >> 1) & 1) + m * (k + ((a >> 2) & 1)));
  }

  /**
   * Set the per-cell Young's modulus [Pa] (grain, binder, void, times any degradation) and
   * build the multigrid hierarchy. Must be called before solve whenever the moduli change.
   */
  setModulus(modulus: Float64Array): void {
    if (modulus.length !== this.cellCount) throw new RangeError("modulus has the wrong length");
    this.setFineModulus(modulus);
    this.buildCoarseLevels(modulus);
    if (!this.hierarchyModulus) this.hierarchyModulus = new Float64Array(this.cellCount);
    this.hierarchyModulus.set(modulus);
  }

  /**
   * Set the per-cell modulus [Pa] but rebuild the coarse multigrid levels only when the moduli
   * have drifted since the last build by more than `drift` in relative L1 norm
   * (Σ|E − E_built| / Σ E_built). The fine operator and its smoother always use the new moduli,
   * so the solution is unchanged; stale coarse levels only weaken the preconditioner (it stays
   * symmetric positive definite, which is all PCG needs). Staggered phase-field iterations change
   * the moduli a little at a time, and the rebuild (Galerkin products) costs about as much as
   * several PCG iterations. Returns true when the hierarchy was rebuilt.
   */
  updateModulus(modulus: Float64Array, drift = 0.02): boolean {
    if (modulus.length !== this.cellCount) throw new RangeError("modulus has the wrong length");
    const built = this.hierarchyModulus;
    if (built) {
      let change = 0;
      let total = 0;
      for (let c = 0; c < modulus.length; c++) {
        change += Math.abs(modulus[c] - built[c]);
        total += built[c];
      }
      if (change <= drift * total) {
        this.setFineModulus(modulus);
        return false;
      }
    }
    this.setModulus(modulus);
    return true;
  }

  /** Fine-level modulus and l1-Jacobi diagonal (O(cells)). */
  private setFineModulus(modulus: Float64Array): void {
    this.modulus = modulus;
    const { dim, ke, nen } = this;
    const lv0 = this.levels[0];
    // fine level l1 row sums from |s_e K_ref|
    const absRow = new Float64Array(ke);
    for (let r = 0; r < ke; r++) for (let c = 0; c < ke; c++) absRow[r] += Math.abs(this.kRef[r * ke + c]);
    const l1 = lv0.t;
    l1.fill(0);
    this.forEachCell(lv0, (cell, nodes) => {
      const s = modulus[cell];
      for (let a = 0; a < nen; a++)
        for (let i = 0; i < dim; i++) l1[dim * nodes[a] + i] += s * absRow[dim * a + i];
    });
    for (let q = 0; q < lv0.dofs; q++) lv0.invL1[q] = lv0.fixed[q] || l1[q] === 0 ? 0 : 1 / l1[q];
  }

  /** Galerkin coarse levels P̃ᵀ A P̃ from the fine moduli, and the coarsest factorisation. */
  private buildCoarseLevels(modulus: Float64Array): void {
    const { dim, ke, nen } = this;
    // coarse levels
    for (let l = 1; l < this.levels.length; l++) {
      const fine = this.levels[l - 1];
      const lv = this.levels[l];
      const cells = lv.n ** dim;
      if (!lv.elem || lv.elem.length !== cells * ke * ke) lv.elem = new Float64Array(cells * ke * ke);
      const E = lv.elem;
      E.fill(0);
      const mask = new Uint8Array(ke);
      const Kc = new Float64Array(ke * ke);
      const nzc = dim === 3 ? lv.n : 1;
      for (let K = 0; K < nzc; K++)
        for (let J = 0; J < lv.n; J++)
          for (let I = 0; I < lv.n; I++) {
            const C = I + lv.n * (J + lv.n * K);
            const out = E.subarray(C * ke * ke, (C + 1) * ke * ke);
            for (let c = 0; c < nen; c++) {
              const fi = 2 * I + (c & 1);
              const fj = 2 * J + ((c >> 1) & 1);
              const fk = dim === 3 ? 2 * K + ((c >> 2) & 1) : 0;
              const fcell = fi + fine.n * (fj + fine.n * fk);
              let anyFixed = false;
              for (let a = 0; a < nen; a++) {
                const node = ElasticitySolver.nodeOf(a, fi, fj, fk, fine.m);
                for (let d = 0; d < dim; d++) {
                  mask[dim * a + d] = fine.fixed[dim * node + d];
                  if (mask[dim * a + d]) anyFixed = true;
                }
              }
              if (l === 1) {
                const s = modulus[fcell];
                if (s === 0) continue;
                if (!anyFixed) {
                  const G = this.childGalerkin[c];
                  for (let q = 0; q < ke * ke; q++) out[q] += s * G[q];
                } else {
                  for (let q = 0; q < ke * ke; q++) Kc[q] = s * this.kRef[q];
                  this.tripleProduct(Kc, this.childP[c], out, mask);
                }
              } else {
                const Kf = fine.elem as Float64Array;
                this.tripleProduct(
                  Kf.subarray(fcell * ke * ke, (fcell + 1) * ke * ke),
                  this.childP[c],
                  out,
                  anyFixed ? mask : null,
                );
              }
            }
          }
      // diagonal, l1 sums and the zero-diagonal (unreachable) dofs
      const diag = new Float64Array(lv.dofs);
      const l1c = lv.t;
      l1c.fill(0);
      this.forEachCell(lv, (cell, nodes) => {
        const base = cell * ke * ke;
        for (let a = 0; a < nen; a++)
          for (let i = 0; i < dim; i++) {
            const r = dim * a + i;
            const g = dim * nodes[a] + i;
            diag[g] += E[base + r * ke + r];
            let s = 0;
            for (let c = 0; c < ke; c++) s += Math.abs(E[base + r * ke + c]);
            l1c[g] += s;
          }
      });
      let maxDiag = 0;
      for (let q = 0; q < lv.dofs; q++) maxDiag = Math.max(maxDiag, diag[q]);
      for (let q = 0; q < lv.dofs; q++) {
        lv.fixed[q] = diag[q] <= 1e-14 * maxDiag ? 1 : 0;
        lv.invL1[q] = lv.fixed[q] ? 0 : 1 / l1c[q];
      }
    }
    this.factorCoarsest();
  }

  private forEachCell(lv: Level, fn: (cell: number, nodes: Int32Array) => void): void {
    const { dim, nen } = this;
    const nodes = new Int32Array(nen);
    const nz = dim === 3 ? lv.n : 1;
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < lv.n; j++)
        for (let i = 0; i < lv.n; i++) {
          for (let a = 0; a < nen; a++) nodes[a] = ElasticitySolver.nodeOf(a, i, j, k, lv.m);
          fn(i + lv.n * (j + lv.n * k), nodes);
        }
  }

  private factorCoarsest(): void {
    const lv = this.levels[this.levels.length - 1];
    const N = lv.dofs;
    if (N > 4 * ElasticitySolver.COARSE_DOFS) {
      this.coarseFactor = null;
      return;
    }
    const A = new Float64Array(N * N);
    const { ke, dim, nen } = this;
    const single = this.levels.length === 1;
    this.forEachCell(lv, (cell, nodes) => {
      for (let a = 0; a < nen; a++)
        for (let i = 0; i < dim; i++) {
          const gr = dim * nodes[a] + i;
          if (lv.fixed[gr]) continue;
          for (let b = 0; b < nen; b++)
            for (let j = 0; j < dim; j++) {
              const gc = dim * nodes[b] + j;
              if (lv.fixed[gc]) continue;
              const v = single
                ? (this.modulus as Float64Array)[cell] * this.kRef[(dim * a + i) * ke + dim * b + j]
                : (lv.elem as Float64Array)[cell * ke * ke + (dim * a + i) * ke + dim * b + j];
              A[gr * N + gc] += v;
            }
        }
    });
    for (let q = 0; q < N; q++) if (lv.fixed[q]) A[q * N + q] = 1;
    // in-place Cholesky (lower)
    for (let j = 0; j < N; j++) {
      let s = A[j * N + j];
      for (let k = 0; k < j; k++) s -= A[j * N + k] * A[j * N + k];
      if (!(s > 0)) throw new Error("coarse operator not positive definite");
      const d = Math.sqrt(s);
      A[j * N + j] = d;
      for (let i = j + 1; i < N; i++) {
        let t = A[i * N + j];
        for (let k = 0; k < j; k++) t -= A[i * N + k] * A[j * N + k];
        A[i * N + j] = t / d;
      }
    }
    this.coarseFactor = A;
  }

  /**
   * y = A x on level l. With `masked`, dofs with fixed = 1 are treated as zero in x and
   * returned as zero in y (the free–free block). Level 0 unmasked is the full stiffness K.
   */
  private apply(l: number, x: Float64Array, y: Float64Array, masked: boolean): void {
    const lv = this.levels[l];
    const { dim, ke, nen } = this;
    y.fill(0);
    const fixed = lv.fixed;
    const m = lv.m;
    const n = lv.n;
    const nz = dim === 3 ? n : 1;
    // dof offsets of the ke local dofs relative to the cell's first dof
    const off = new Int32Array(ke);
    for (let a = 0; a < nen; a++) {
      const rel = (a & 1) + m * (((a >> 1) & 1) + m * ((a >> 2) & 1));
      for (let d = 0; d < dim; d++) off[dim * a + d] = dim * rel + d;
    }
    const xe = new Float64Array(ke);
    // masked: the free–free block; x is zeroed on fixed dofs in place (internal vectors are zero there anyway)
    if (masked) for (let q = 0; q < lv.dofs; q++) if (fixed[q]) x[q] = 0;
    if (l === 0 && dim === 2) applyScaled2D(this.kRef, this.modulus as Float64Array, x, y, n, m);
    else if (l === 0) applyScaled3D(this.kRef, this.modulus as Float64Array, x, y, n, m);
    else if (dim === 2) applyElementwise2D(lv.elem as Float64Array, x, y, n, m);
    else applyElementwise(lv.elem as Float64Array, x, y, off, xe, n, nz, m, dim);
    if (masked) for (let q = 0; q < lv.dofs; q++) if (fixed[q]) y[q] = 0;
  }

  /** Prolongate coarse correction (level l+1) and add into fine vector on level l (P̃: fixed rows zero). */
  private prolongAdd(l: number, coarse: Float64Array, fine: Float64Array): void {
    const f = this.levels[l];
    const { dim } = this;
    const mc = this.levels[l + 1].m;
    const mf = f.m;
    if (dim === 2) {
      prolongAdd2D(coarse, fine, f.fixed, mf, mc);
      return;
    }
    const mz = dim === 3 ? mf : 1;
    for (let k = 0; k < mz; k++) {
      const k0 = k >> 1;
      const k1 = k & 1 ? k0 + 1 : k0;
      const nk = k1 === k0 ? 1 : 2;
      for (let j = 0; j < mf; j++) {
        const j0 = j >> 1;
        const j1 = j & 1 ? j0 + 1 : j0;
        const nj = j1 === j0 ? 1 : 2;
        for (let i = 0; i < mf; i++) {
          const i0 = i >> 1;
          const i1 = i & 1 ? i0 + 1 : i0;
          const ni = i1 === i0 ? 1 : 2;
          const node = i + mf * (j + mf * k);
          const wi = i & 1 ? 0.5 : 1;
          const wj = j & 1 ? 0.5 : 1;
          const wk = dim === 3 && k & 1 ? 0.5 : 1;
          for (let d = 0; d < dim; d++) {
            const g = dim * node + d;
            if (f.fixed[g]) continue;
            let v = 0;
            for (let tk = 0; tk < nk; tk++)
              for (let tj = 0; tj < nj; tj++)
                for (let ti = 0; ti < ni; ti++)
                  v += coarse[dim * ((ti ? i1 : i0) + mc * ((tj ? j1 : j0) + mc * (tk ? k1 : k0))) + d];
            fine[g] += v * wi * wj * wk;
          }
        }
      }
    }
  }

  /** coarse = P̃ᵀ fine (restriction of a residual). */
  private restrict(l: number, fine: Float64Array, coarse: Float64Array): void {
    const f = this.levels[l];
    const { dim } = this;
    const mc = this.levels[l + 1].m;
    const mf = f.m;
    coarse.fill(0);
    if (dim === 2) {
      restrict2D(fine, coarse, f.fixed, mf, mc);
      return;
    }
    const mz = dim === 3 ? mf : 1;
    for (let k = 0; k < mz; k++) {
      const k0 = k >> 1;
      const k1 = k & 1 ? k0 + 1 : k0;
      const nk = k1 === k0 ? 1 : 2;
      for (let j = 0; j < mf; j++) {
        const j0 = j >> 1;
        const j1 = j & 1 ? j0 + 1 : j0;
        const nj = j1 === j0 ? 1 : 2;
        for (let i = 0; i < mf; i++) {
          const i0 = i >> 1;
          const i1 = i & 1 ? i0 + 1 : i0;
          const ni = i1 === i0 ? 1 : 2;
          const node = i + mf * (j + mf * k);
          const w = (i & 1 ? 0.5 : 1) * (j & 1 ? 0.5 : 1) * (dim === 3 && k & 1 ? 0.5 : 1);
          for (let d = 0; d < dim; d++) {
            const g = dim * node + d;
            if (f.fixed[g]) continue;
            const v = fine[g] * w;
            if (v === 0) continue;
            for (let tk = 0; tk < nk; tk++)
              for (let tj = 0; tj < nj; tj++)
                for (let ti = 0; ti < ni; ti++)
                  coarse[dim * ((ti ? i1 : i0) + mc * ((tj ? j1 : j0) + mc * (tk ? k1 : k0))) + d] += v;
          }
        }
      }
    }
  }

  private coarseSolve(b: Float64Array, x: Float64Array): void {
    const lv = this.levels[this.levels.length - 1];
    const N = lv.dofs;
    const L = this.coarseFactor;
    if (!L) {
      // fallback: many l1-Jacobi sweeps (still a fixed symmetric linear operator)
      x.fill(0);
      for (let s = 0; s < 50; s++) this.smooth(this.levels.length - 1, b, x);
      return;
    }
    for (let i = 0; i < N; i++) {
      let s = lv.fixed[i] ? 0 : b[i];
      for (let k = 0; k < i; k++) s -= L[i * N + k] * x[k];
      x[i] = s / L[i * N + i];
    }
    for (let i = N - 1; i >= 0; i--) {
      let s = x[i];
      for (let k = i + 1; k < N; k++) s -= L[k * N + i] * x[k];
      x[i] = s / L[i * N + i];
    }
    for (let i = 0; i < N; i++) if (lv.fixed[i]) x[i] = 0;
  }

  /** One l1-Jacobi sweep x ← x + D_l1⁻¹ (b − A x) on level l. */
  private smooth(l: number, b: Float64Array, x: Float64Array): void {
    const lv = this.levels[l];
    this.apply(l, x, lv.t, true);
    for (let q = 0; q < lv.dofs; q++) x[q] += lv.invL1[q] * (b[q] - lv.t[q]);
  }

  /** Symmetric V-cycle: x ≈ A⁻¹ b on level l (x overwritten). */
  private vcycle(l: number, b: Float64Array, x: Float64Array, sweeps = this.sweeps): void {
    if (l === this.levels.length - 1) {
      this.coarseSolve(b, x);
      return;
    }
    const lv = this.levels[l];
    for (let q = 0; q < lv.dofs; q++) x[q] = lv.invL1[q] * b[q];
    for (let s = 1; s < sweeps; s++) this.smooth(l, b, x);
    this.apply(l, x, lv.t, true);
    for (let q = 0; q < lv.dofs; q++) lv.r[q] = b[q] - lv.t[q];
    const next = this.levels[l + 1];
    this.restrict(l, lv.r, next.b);
    this.vcycle(l + 1, next.b, next.x, sweeps);
    this.prolongAdd(l, next.x, x);
    for (let s = 0; s < sweeps; s++) this.smooth(l, b, x);
  }

  /**
   * Load vector f = Σ_e ∫ Bᵀ C_e ε*_e dV from per-cell eigenstrain (6 per cell, [-]) and the
   * moduli set by setModulus. Returns a new array of length dofCount.
   */
  eigenstrainLoad(
    eigenstrain: Float64Array,
    out: Float64Array = new Float64Array(this.dofCount),
  ): Float64Array {
    const mod = this.modulus;
    if (!mod) throw new Error("setModulus first");
    out.fill(0);
    const { dim, nen } = this;
    const gi = this.gradientIntegral;
    const lam = this.lambdaUnit;
    const mu = this.muUnit;
    const lv = this.levels[0];
    this.forEachCell(lv, (cell, nodes) => {
      const s = mod[cell];
      const o = 6 * cell;
      const exx = eigenstrain[o];
      const eyy = eigenstrain[o + 1];
      const ezz = eigenstrain[o + 2];
      if (
        s === 0 ||
        (exx === 0 &&
          eyy === 0 &&
          ezz === 0 &&
          eigenstrain[o + 3] === 0 &&
          eigenstrain[o + 4] === 0 &&
          eigenstrain[o + 5] === 0)
      )
        return;
      const tr = exx + eyy + ezz;
      const sxx = s * (lam * tr + 2 * mu * exx);
      const syy = s * (lam * tr + 2 * mu * eyy);
      const szz = s * (lam * tr + 2 * mu * ezz);
      const syz = s * 2 * mu * eigenstrain[o + 3];
      const sxz = s * 2 * mu * eigenstrain[o + 4];
      const sxy = s * 2 * mu * eigenstrain[o + 5];
      for (let a = 0; a < nen; a++) {
        const gx = gi[dim * a];
        const gy = gi[dim * a + 1];
        const base = dim * nodes[a];
        if (dim === 2) {
          out[base] += sxx * gx + sxy * gy;
          out[base + 1] += sxy * gx + syy * gy;
        } else {
          const gz = gi[dim * a + 2];
          out[base] += sxx * gx + sxy * gy + sxz * gz;
          out[base + 1] += sxy * gx + syy * gy + syz * gz;
          out[base + 2] += sxz * gx + syz * gy + szz * gz;
        }
      }
    });
    return out;
  }

  /**
   * Solve K u = f for the free dofs; u carries the prescribed values at fixed dofs and the
   * initial guess elsewhere (warm start) and is overwritten. PCG with one V-cycle per iteration.
   */
  solve(load: Float64Array, u: Float64Array, options: SolveOptions = {}): SolveResult {
    if (!this.modulus) throw new Error("setModulus first");
    const tol = options.tolerance ?? 1e-8;
    const maxIt = options.maxIterations ?? 500;
    const N = this.dofCount;
    const fixed = this.fixed;
    // work vectors, allocated on the first solve and reused (a charge makes thousands of solves)
    if (!this.solveWork) this.solveWork = Array.from({ length: 5 }, () => new Float64Array(N));
    const [r, z, p, q, uD] = this.solveWork;
    r.fill(0);
    // reference norm: ‖f‖ on free dofs plus the load that the prescribed values exert
    this.apply(0, u, q, false);
    let fNorm = 0;
    let rNorm = 0;
    for (let i = 0; i < N; i++) uD[i] = fixed[i] ? u[i] : 0;
    this.apply(0, uD, z, false);
    for (let i = 0; i < N; i++) {
      if (fixed[i]) continue;
      r[i] = load[i] - q[i];
      fNorm += (load[i] - z[i]) ** 2;
      rNorm += r[i] * r[i];
    }
    fNorm = Math.sqrt(fNorm);
    rNorm = Math.sqrt(rNorm);
    if (fNorm === 0) {
      for (let i = 0; i < N; i++) if (!fixed[i]) u[i] = 0;
      return { iterations: 0, relativeResidual: 0 };
    }
    if (rNorm <= tol * fNorm) return { iterations: 0, relativeResidual: rNorm / fNorm };
    this.vcycle(0, r, z);
    p.set(z);
    let rz = 0;
    for (let i = 0; i < N; i++) rz += r[i] * z[i];
    let it = 0;
    let rel = rNorm / fNorm;
    while (it < maxIt) {
      it++;
      this.apply(0, p, q, true);
      let pq = 0;
      for (let i = 0; i < N; i++) pq += p[i] * q[i];
      const alpha = rz / pq;
      let rr = 0;
      for (let i = 0; i < N; i++) {
        u[i] += alpha * p[i];
        r[i] -= alpha * q[i];
        rr += r[i] * r[i];
      }
      rel = Math.sqrt(rr) / fNorm;
      if (rel <= tol) break;
      this.vcycle(0, r, z);
      let rzNew = 0;
      for (let i = 0; i < N; i++) rzNew += r[i] * z[i];
      const beta = rzNew / rz;
      rz = rzNew;
      for (let i = 0; i < N; i++) p[i] = z[i] + beta * p[i];
    }
    return { iterations: it, relativeResidual: rel };
  }

  /**
   * Solve for the displacement under a per-cell eigenstrain (6 per cell, [-]) with the current
   * moduli: K u = f(ε*) in 3D and plane strain; in generalised plane strain also the uniform
   * ε_zz = ε₀ (stored in `axialStrain`) with ∫σ_zz dA = 0, by superposition of two solves
   * (module comment). u is the warm start (with `axialStrain` as the guess of ε₀) and the
   * result. `load` is optional work space (length dofCount). Iterations are summed.
   */
  solveEigenstrain(
    eigenstrain: Float64Array,
    u: Float64Array,
    options: SolveOptions = {},
    load: Float64Array = new Float64Array(this.dofCount),
  ): SolveResult {
    if (this.outOfPlane !== "generalised") {
      this.axialStrain = 0;
      this.eigenstrainLoad(eigenstrain, load);
      return this.solve(load, u, options);
    }
    if (!this.axialWork) {
      const unit = new Float64Array(6 * this.cellCount);
      for (let c = 0; c < this.cellCount; c++) unit[6 * c + 2] = -1; // ε_zz = 1 ≡ eigenstrain −e_z⊗e_z
      this.axialWork = {
        ub: new Float64Array(this.dofCount),
        fb: new Float64Array(this.dofCount),
        ua: new Float64Array(this.dofCount),
        unit,
        strain: new Float64Array(6 * this.cellCount),
      };
    }
    const w = this.axialWork;
    const e0Guess = this.axialStrain;
    // u_b for the present moduli (warm start from the last one)
    this.eigenstrainLoad(w.unit, w.fb);
    const rb = this.solve(w.fb, w.ub, options);
    // u_a from the guess u − ε₀·u_b
    for (let i = 0; i < u.length; i++) w.ua[i] = u[i] - e0Guess * w.ub[i];
    this.eigenstrainLoad(eigenstrain, load);
    const ra = this.solve(load, w.ua, options);
    const sa = this.axialForce(w.ua, eigenstrain, 0);
    const sb = this.axialForce(w.ub, null, 1);
    const e0 = sb !== 0 ? -sa / sb : 0;
    this.axialStrain = e0;
    for (let i = 0; i < u.length; i++) u[i] = w.ua[i] + e0 * w.ub[i];
    return {
      iterations: ra.iterations + rb.iterations,
      relativeResidual: Math.max(ra.relativeResidual, rb.relativeResidual),
    };
  }

  /**
   * Net axial force per unit h² of a 2D section, Σ_cells E_e·[λ₁·tr(ε − ε*) + 2μ₁·(ε_zz − ε*_zz)]
   * with in-plane strain from u and ε_zz = e0 (exact cell integral: Q1 strain averages) [Pa].
   */
  private axialForce(u: Float64Array, eigenstrain: Float64Array | null, e0: number): number {
    const w = this.axialWork as NonNullable<ElasticitySolver["axialWork"]>;
    const keep = this.axialStrain;
    this.axialStrain = e0;
    const strain = this.cellStrain(u, w.strain);
    this.axialStrain = keep;
    const mod = this.modulus as Float64Array;
    const lam = this.lambdaUnit;
    const mu = this.muUnit;
    let sum = 0;
    for (let c = 0; c < this.cellCount; c++) {
      const o = 6 * c;
      const exx = strain[o] - (eigenstrain ? eigenstrain[o] : 0);
      const eyy = strain[o + 1] - (eigenstrain ? eigenstrain[o + 1] : 0);
      const ezz = e0 - (eigenstrain ? eigenstrain[o + 2] : 0);
      sum += mod[c] * (lam * (exx + eyy + ezz) + 2 * mu * ezz);
    }
    return sum;
  }

  /** Internal force K u (full operator, including fixed dofs: reactions there) [N or N/m]. */
  internalForce(u: Float64Array, out: Float64Array = new Float64Array(this.dofCount)): Float64Array {
    this.apply(0, u, out, false);
    return out;
  }

  /**
   * Cell-centre total strain (6 per cell, tensor shear; in 2D ε_zz = `axialStrain`, 0 in plane
   * strain) from the
   * cell-average displacement gradient (1/V)Σ_a u_a ⊗ g_a [-].
   */
  cellStrain(u: Float64Array, out: Float64Array = new Float64Array(6 * this.cellCount)): Float64Array {
    const { dim, nen } = this;
    const gi = this.gradientIntegral;
    const V = this.spacing ** dim;
    const G = new Float64Array(9);
    this.forEachCell(this.levels[0], (cell, nodes) => {
      G.fill(0);
      for (let a = 0; a < nen; a++)
        for (let i = 0; i < dim; i++) {
          const ui = u[dim * nodes[a] + i];
          for (let j = 0; j < dim; j++) G[3 * i + j] += ui * gi[dim * a + j];
        }
      const o = 6 * cell;
      out[o] = G[0] / V;
      out[o + 1] = G[4] / V;
      out[o + 2] = dim === 2 ? this.axialStrain : G[8] / V;
      out[o + 3] = (0.5 * (G[5] + G[7])) / V;
      out[o + 4] = (0.5 * (G[2] + G[6])) / V;
      out[o + 5] = (0.5 * (G[1] + G[3])) / V;
    });
    return out;
  }

  /** Cell-centre stress σ = E_e·C₁ : (ε(u) − ε*) (6 per cell) [Pa] with the current moduli. */
  cellStress(
    u: Float64Array,
    eigenstrain: Float64Array,
    out: Float64Array = new Float64Array(6 * this.cellCount),
  ): Float64Array {
    const mod = this.modulus as Float64Array;
    const strain = this.cellStrain(u, out);
    const lam = this.lambdaUnit;
    const mu = this.muUnit;
    for (let c = 0; c < this.cellCount; c++) {
      const o = 6 * c;
      const s = mod[c];
      const e0 = strain[o] - eigenstrain[o];
      const e1 = strain[o + 1] - eigenstrain[o + 1];
      const e2 = strain[o + 2] - eigenstrain[o + 2];
      const tr = e0 + e1 + e2;
      out[o] = s * (lam * tr + 2 * mu * e0);
      out[o + 1] = s * (lam * tr + 2 * mu * e1);
      out[o + 2] = s * (lam * tr + 2 * mu * e2);
      out[o + 3] = s * 2 * mu * (strain[o + 3] - eigenstrain[o + 3]);
      out[o + 4] = s * 2 * mu * (strain[o + 4] - eigenstrain[o + 4]);
      out[o + 5] = s * 2 * mu * (strain[o + 5] - eigenstrain[o + 5]);
    }
    return out;
  }
}

/**
 * 2D bilinear prolongation, fine += P̃ coarse (rows of fixed fine dofs skipped): fine node (i, j)
 * takes the mean of the coarse nodes ⌊i/2⌋…⌈i/2⌉ × ⌊j/2⌋…⌈j/2⌉ (weights 1, 1/2, 1/4).
 */
function prolongAdd2D(
  coarse: Float64Array,
  fine: Float64Array,
  fixed: Uint8Array,
  mf: number,
  mc: number,
): void {
  const up = 2 * mc;
  for (let j = 0; j < mf; j++) {
    const jOdd = j & 1;
    const row = 2 * mc * (j >> 1);
    for (let i = 0; i < mf; i++) {
      const iOdd = i & 1;
      const c = row + 2 * (i >> 1);
      let vx = coarse[c];
      let vy = coarse[c + 1];
      if (iOdd) {
        vx += coarse[c + 2];
        vy += coarse[c + 3];
      }
      if (jOdd) {
        vx += coarse[c + up];
        vy += coarse[c + up + 1];
        if (iOdd) {
          vx += coarse[c + up + 2];
          vy += coarse[c + up + 3];
        }
      }
      const w = (iOdd ? 0.5 : 1) * (jOdd ? 0.5 : 1);
      const g = 2 * (i + mf * j);
      if (!fixed[g]) fine[g] += w * vx;
      if (!fixed[g + 1]) fine[g + 1] += w * vy;
    }
  }
}

/** 2D restriction, coarse += P̃ᵀ fine (the transpose of `prolongAdd2D`; coarse zeroed by the caller). */
function restrict2D(
  fine: Float64Array,
  coarse: Float64Array,
  fixed: Uint8Array,
  mf: number,
  mc: number,
): void {
  const up = 2 * mc;
  for (let j = 0; j < mf; j++) {
    const jOdd = j & 1;
    const row = 2 * mc * (j >> 1);
    for (let i = 0; i < mf; i++) {
      const iOdd = i & 1;
      const g = 2 * (i + mf * j);
      const w = (iOdd ? 0.5 : 1) * (jOdd ? 0.5 : 1);
      const vx = fixed[g] ? 0 : w * fine[g];
      const vy = fixed[g + 1] ? 0 : w * fine[g + 1];
      const c = row + 2 * (i >> 1);
      coarse[c] += vx;
      coarse[c + 1] += vy;
      if (iOdd) {
        coarse[c + 2] += vx;
        coarse[c + 3] += vy;
      }
      if (jOdd) {
        coarse[c + up] += vx;
        coarse[c + up + 1] += vy;
        if (iOdd) {
          coarse[c + up + 2] += vx;
          coarse[c + up + 3] += vy;
        }
      }
    }
  }
}

/** 2D fine-level kernel of `applyScaled`, unrolled over the 8 element dofs. */
function applyScaled2D(
  K: Float64Array,
  mod: Float64Array,
  x: Float64Array,
  y: Float64Array,
  n: number,
  m: number,
): void {
  const o4 = 2 * m;
  for (let j = 0; j < n; j++) {
    let cell = n * j;
    let b = 2 * m * j;
    for (let i = 0; i < n; i++, cell++, b += 2) {
      const s = mod[cell];
      if (s === 0) continue;
      const t = b + o4;
      const x0 = s * x[b];
      const x1 = s * x[b + 1];
      const x2 = s * x[b + 2];
      const x3 = s * x[b + 3];
      const x4 = s * x[t];
      const x5 = s * x[t + 1];
      const x6 = s * x[t + 2];
      const x7 = s * x[t + 3];
      y[b] += K[0] * x0 + K[1] * x1 + K[2] * x2 + K[3] * x3 + K[4] * x4 + K[5] * x5 + K[6] * x6 + K[7] * x7;
      y[b + 1] +=
        K[8] * x0 + K[9] * x1 + K[10] * x2 + K[11] * x3 + K[12] * x4 + K[13] * x5 + K[14] * x6 + K[15] * x7;
      y[b + 2] +=
        K[16] * x0 + K[17] * x1 + K[18] * x2 + K[19] * x3 + K[20] * x4 + K[21] * x5 + K[22] * x6 + K[23] * x7;
      y[b + 3] +=
        K[24] * x0 + K[25] * x1 + K[26] * x2 + K[27] * x3 + K[28] * x4 + K[29] * x5 + K[30] * x6 + K[31] * x7;
      y[t] +=
        K[32] * x0 + K[33] * x1 + K[34] * x2 + K[35] * x3 + K[36] * x4 + K[37] * x5 + K[38] * x6 + K[39] * x7;
      y[t + 1] +=
        K[40] * x0 + K[41] * x1 + K[42] * x2 + K[43] * x3 + K[44] * x4 + K[45] * x5 + K[46] * x6 + K[47] * x7;
      y[t + 2] +=
        K[48] * x0 + K[49] * x1 + K[50] * x2 + K[51] * x3 + K[52] * x4 + K[53] * x5 + K[54] * x6 + K[55] * x7;
      y[t + 3] +=
        K[56] * x0 + K[57] * x1 + K[58] * x2 + K[59] * x3 + K[60] * x4 + K[61] * x5 + K[62] * x6 + K[63] * x7;
    }
  }
}

/** 3D fine-level kernel of `applyScaled`, unrolled over the 24 element dofs (generated). */
function applyScaled3D(
  K: Float64Array,
  mod: Float64Array,
  x: Float64Array,
  y: Float64Array,
  n: number,
  m: number,
): void {
  const oy = 3 * m;
  const oz = 3 * m * m;
  for (let k = 0; k < n; k++)
    for (let j = 0; j < n; j++) {
      let cell = n * (j + n * k);
      let b = 3 * m * (j + m * k);
      for (let i = 0; i < n; i++, cell++, b += 3) {
        const s = mod[cell];
        if (s === 0) continue;
        const x0 = s * x[b];
        const x1 = s * x[b + 1];
        const x2 = s * x[b + 2];
        const x3 = s * x[b + 3];
        const x4 = s * x[b + 3 + 1];
        const x5 = s * x[b + 3 + 2];
        const x6 = s * x[b + oy];
        const x7 = s * x[b + oy + 1];
        const x8 = s * x[b + oy + 2];
        const x9 = s * x[b + 3 + oy];
        const x10 = s * x[b + 3 + oy + 1];
        const x11 = s * x[b + 3 + oy + 2];
        const x12 = s * x[b + oz];
        const x13 = s * x[b + oz + 1];
        const x14 = s * x[b + oz + 2];
        const x15 = s * x[b + 3 + oz];
        const x16 = s * x[b + 3 + oz + 1];
        const x17 = s * x[b + 3 + oz + 2];
        const x18 = s * x[b + oy + oz];
        const x19 = s * x[b + oy + oz + 1];
        const x20 = s * x[b + oy + oz + 2];
        const x21 = s * x[b + 3 + oy + oz];
        const x22 = s * x[b + 3 + oy + oz + 1];
        const x23 = s * x[b + 3 + oy + oz + 2];
        y[b] +=
          K[0] * x0 +
          K[1] * x1 +
          K[2] * x2 +
          K[3] * x3 +
          K[4] * x4 +
          K[5] * x5 +
          K[6] * x6 +
          K[7] * x7 +
          K[8] * x8 +
          K[9] * x9 +
          K[10] * x10 +
          K[11] * x11 +
          K[12] * x12 +
          K[13] * x13 +
          K[14] * x14 +
          K[15] * x15 +
          K[16] * x16 +
          K[17] * x17 +
          K[18] * x18 +
          K[19] * x19 +
          K[20] * x20 +
          K[21] * x21 +
          K[22] * x22 +
          K[23] * x23;
        y[b + 1] +=
          K[24] * x0 +
          K[25] * x1 +
          K[26] * x2 +
          K[27] * x3 +
          K[28] * x4 +
          K[29] * x5 +
          K[30] * x6 +
          K[31] * x7 +
          K[32] * x8 +
          K[33] * x9 +
          K[34] * x10 +
          K[35] * x11 +
          K[36] * x12 +
          K[37] * x13 +
          K[38] * x14 +
          K[39] * x15 +
          K[40] * x16 +
          K[41] * x17 +
          K[42] * x18 +
          K[43] * x19 +
          K[44] * x20 +
          K[45] * x21 +
          K[46] * x22 +
          K[47] * x23;
        y[b + 2] +=
          K[48] * x0 +
          K[49] * x1 +
          K[50] * x2 +
          K[51] * x3 +
          K[52] * x4 +
          K[53] * x5 +
          K[54] * x6 +
          K[55] * x7 +
          K[56] * x8 +
          K[57] * x9 +
          K[58] * x10 +
          K[59] * x11 +
          K[60] * x12 +
          K[61] * x13 +
          K[62] * x14 +
          K[63] * x15 +
          K[64] * x16 +
          K[65] * x17 +
          K[66] * x18 +
          K[67] * x19 +
          K[68] * x20 +
          K[69] * x21 +
          K[70] * x22 +
          K[71] * x23;
        y[b + 3] +=
          K[72] * x0 +
          K[73] * x1 +
          K[74] * x2 +
          K[75] * x3 +
          K[76] * x4 +
          K[77] * x5 +
          K[78] * x6 +
          K[79] * x7 +
          K[80] * x8 +
          K[81] * x9 +
          K[82] * x10 +
          K[83] * x11 +
          K[84] * x12 +
          K[85] * x13 +
          K[86] * x14 +
          K[87] * x15 +
          K[88] * x16 +
          K[89] * x17 +
          K[90] * x18 +
          K[91] * x19 +
          K[92] * x20 +
          K[93] * x21 +
          K[94] * x22 +
          K[95] * x23;
        y[b + 3 + 1] +=
          K[96] * x0 +
          K[97] * x1 +
          K[98] * x2 +
          K[99] * x3 +
          K[100] * x4 +
          K[101] * x5 +
          K[102] * x6 +
          K[103] * x7 +
          K[104] * x8 +
          K[105] * x9 +
          K[106] * x10 +
          K[107] * x11 +
          K[108] * x12 +
          K[109] * x13 +
          K[110] * x14 +
          K[111] * x15 +
          K[112] * x16 +
          K[113] * x17 +
          K[114] * x18 +
          K[115] * x19 +
          K[116] * x20 +
          K[117] * x21 +
          K[118] * x22 +
          K[119] * x23;
        y[b + 3 + 2] +=
          K[120] * x0 +
          K[121] * x1 +
          K[122] * x2 +
          K[123] * x3 +
          K[124] * x4 +
          K[125] * x5 +
          K[126] * x6 +
          K[127] * x7 +
          K[128] * x8 +
          K[129] * x9 +
          K[130] * x10 +
          K[131] * x11 +
          K[132] * x12 +
          K[133] * x13 +
          K[134] * x14 +
          K[135] * x15 +
          K[136] * x16 +
          K[137] * x17 +
          K[138] * x18 +
          K[139] * x19 +
          K[140] * x20 +
          K[141] * x21 +
          K[142] * x22 +
          K[143] * x23;
        y[b + oy] +=
          K[144] * x0 +
          K[145] * x1 +
          K[146] * x2 +
          K[147] * x3 +
          K[148] * x4 +
          K[149] * x5 +
          K[150] * x6 +
          K[151] * x7 +
          K[152] * x8 +
          K[153] * x9 +
          K[154] * x10 +
          K[155] * x11 +
          K[156] * x12 +
          K[157] * x13 +
          K[158] * x14 +
          K[159] * x15 +
          K[160] * x16 +
          K[161] * x17 +
          K[162] * x18 +
          K[163] * x19 +
          K[164] * x20 +
          K[165] * x21 +
          K[166] * x22 +
          K[167] * x23;
        y[b + oy + 1] +=
          K[168] * x0 +
          K[169] * x1 +
          K[170] * x2 +
          K[171] * x3 +
          K[172] * x4 +
          K[173] * x5 +
          K[174] * x6 +
          K[175] * x7 +
          K[176] * x8 +
          K[177] * x9 +
          K[178] * x10 +
          K[179] * x11 +
          K[180] * x12 +
          K[181] * x13 +
          K[182] * x14 +
          K[183] * x15 +
          K[184] * x16 +
          K[185] * x17 +
          K[186] * x18 +
          K[187] * x19 +
          K[188] * x20 +
          K[189] * x21 +
          K[190] * x22 +
          K[191] * x23;
        y[b + oy + 2] +=
          K[192] * x0 +
          K[193] * x1 +
          K[194] * x2 +
          K[195] * x3 +
          K[196] * x4 +
          K[197] * x5 +
          K[198] * x6 +
          K[199] * x7 +
          K[200] * x8 +
          K[201] * x9 +
          K[202] * x10 +
          K[203] * x11 +
          K[204] * x12 +
          K[205] * x13 +
          K[206] * x14 +
          K[207] * x15 +
          K[208] * x16 +
          K[209] * x17 +
          K[210] * x18 +
          K[211] * x19 +
          K[212] * x20 +
          K[213] * x21 +
          K[214] * x22 +
          K[215] * x23;
        y[b + 3 + oy] +=
          K[216] * x0 +
          K[217] * x1 +
          K[218] * x2 +
          K[219] * x3 +
          K[220] * x4 +
          K[221] * x5 +
          K[222] * x6 +
          K[223] * x7 +
          K[224] * x8 +
          K[225] * x9 +
          K[226] * x10 +
          K[227] * x11 +
          K[228] * x12 +
          K[229] * x13 +
          K[230] * x14 +
          K[231] * x15 +
          K[232] * x16 +
          K[233] * x17 +
          K[234] * x18 +
          K[235] * x19 +
          K[236] * x20 +
          K[237] * x21 +
          K[238] * x22 +
          K[239] * x23;
        y[b + 3 + oy + 1] +=
          K[240] * x0 +
          K[241] * x1 +
          K[242] * x2 +
          K[243] * x3 +
          K[244] * x4 +
          K[245] * x5 +
          K[246] * x6 +
          K[247] * x7 +
          K[248] * x8 +
          K[249] * x9 +
          K[250] * x10 +
          K[251] * x11 +
          K[252] * x12 +
          K[253] * x13 +
          K[254] * x14 +
          K[255] * x15 +
          K[256] * x16 +
          K[257] * x17 +
          K[258] * x18 +
          K[259] * x19 +
          K[260] * x20 +
          K[261] * x21 +
          K[262] * x22 +
          K[263] * x23;
        y[b + 3 + oy + 2] +=
          K[264] * x0 +
          K[265] * x1 +
          K[266] * x2 +
          K[267] * x3 +
          K[268] * x4 +
          K[269] * x5 +
          K[270] * x6 +
          K[271] * x7 +
          K[272] * x8 +
          K[273] * x9 +
          K[274] * x10 +
          K[275] * x11 +
          K[276] * x12 +
          K[277] * x13 +
          K[278] * x14 +
          K[279] * x15 +
          K[280] * x16 +
          K[281] * x17 +
          K[282] * x18 +
          K[283] * x19 +
          K[284] * x20 +
          K[285] * x21 +
          K[286] * x22 +
          K[287] * x23;
        y[b + oz] +=
          K[288] * x0 +
          K[289] * x1 +
          K[290] * x2 +
          K[291] * x3 +
          K[292] * x4 +
          K[293] * x5 +
          K[294] * x6 +
          K[295] * x7 +
          K[296] * x8 +
          K[297] * x9 +
          K[298] * x10 +
          K[299] * x11 +
          K[300] * x12 +
          K[301] * x13 +
          K[302] * x14 +
          K[303] * x15 +
          K[304] * x16 +
          K[305] * x17 +
          K[306] * x18 +
          K[307] * x19 +
          K[308] * x20 +
          K[309] * x21 +
          K[310] * x22 +
          K[311] * x23;
        y[b + oz + 1] +=
          K[312] * x0 +
          K[313] * x1 +
          K[314] * x2 +
          K[315] * x3 +
          K[316] * x4 +
          K[317] * x5 +
          K[318] * x6 +
          K[319] * x7 +
          K[320] * x8 +
          K[321] * x9 +
          K[322] * x10 +
          K[323] * x11 +
          K[324] * x12 +
          K[325] * x13 +
          K[326] * x14 +
          K[327] * x15 +
          K[328] * x16 +
          K[329] * x17 +
          K[330] * x18 +
          K[331] * x19 +
          K[332] * x20 +
          K[333] * x21 +
          K[334] * x22 +
          K[335] * x23;
        y[b + oz + 2] +=
          K[336] * x0 +
          K[337] * x1 +
          K[338] * x2 +
          K[339] * x3 +
          K[340] * x4 +
          K[341] * x5 +
          K[342] * x6 +
          K[343] * x7 +
          K[344] * x8 +
          K[345] * x9 +
          K[346] * x10 +
          K[347] * x11 +
          K[348] * x12 +
          K[349] * x13 +
          K[350] * x14 +
          K[351] * x15 +
          K[352] * x16 +
          K[353] * x17 +
          K[354] * x18 +
          K[355] * x19 +
          K[356] * x20 +
          K[357] * x21 +
          K[358] * x22 +
          K[359] * x23;
        y[b + 3 + oz] +=
          K[360] * x0 +
          K[361] * x1 +
          K[362] * x2 +
          K[363] * x3 +
          K[364] * x4 +
          K[365] * x5 +
          K[366] * x6 +
          K[367] * x7 +
          K[368] * x8 +
          K[369] * x9 +
          K[370] * x10 +
          K[371] * x11 +
          K[372] * x12 +
          K[373] * x13 +
          K[374] * x14 +
          K[375] * x15 +
          K[376] * x16 +
          K[377] * x17 +
          K[378] * x18 +
          K[379] * x19 +
          K[380] * x20 +
          K[381] * x21 +
          K[382] * x22 +
          K[383] * x23;
        y[b + 3 + oz + 1] +=
          K[384] * x0 +
          K[385] * x1 +
          K[386] * x2 +
          K[387] * x3 +
          K[388] * x4 +
          K[389] * x5 +
          K[390] * x6 +
          K[391] * x7 +
          K[392] * x8 +
          K[393] * x9 +
          K[394] * x10 +
          K[395] * x11 +
          K[396] * x12 +
          K[397] * x13 +
          K[398] * x14 +
          K[399] * x15 +
          K[400] * x16 +
          K[401] * x17 +
          K[402] * x18 +
          K[403] * x19 +
          K[404] * x20 +
          K[405] * x21 +
          K[406] * x22 +
          K[407] * x23;
        y[b + 3 + oz + 2] +=
          K[408] * x0 +
          K[409] * x1 +
          K[410] * x2 +
          K[411] * x3 +
          K[412] * x4 +
          K[413] * x5 +
          K[414] * x6 +
          K[415] * x7 +
          K[416] * x8 +
          K[417] * x9 +
          K[418] * x10 +
          K[419] * x11 +
          K[420] * x12 +
          K[421] * x13 +
          K[422] * x14 +
          K[423] * x15 +
          K[424] * x16 +
          K[425] * x17 +
          K[426] * x18 +
          K[427] * x19 +
          K[428] * x20 +
          K[429] * x21 +
          K[430] * x22 +
          K[431] * x23;
        y[b + oy + oz] +=
          K[432] * x0 +
          K[433] * x1 +
          K[434] * x2 +
          K[435] * x3 +
          K[436] * x4 +
          K[437] * x5 +
          K[438] * x6 +
          K[439] * x7 +
          K[440] * x8 +
          K[441] * x9 +
          K[442] * x10 +
          K[443] * x11 +
          K[444] * x12 +
          K[445] * x13 +
          K[446] * x14 +
          K[447] * x15 +
          K[448] * x16 +
          K[449] * x17 +
          K[450] * x18 +
          K[451] * x19 +
          K[452] * x20 +
          K[453] * x21 +
          K[454] * x22 +
          K[455] * x23;
        y[b + oy + oz + 1] +=
          K[456] * x0 +
          K[457] * x1 +
          K[458] * x2 +
          K[459] * x3 +
          K[460] * x4 +
          K[461] * x5 +
          K[462] * x6 +
          K[463] * x7 +
          K[464] * x8 +
          K[465] * x9 +
          K[466] * x10 +
          K[467] * x11 +
          K[468] * x12 +
          K[469] * x13 +
          K[470] * x14 +
          K[471] * x15 +
          K[472] * x16 +
          K[473] * x17 +
          K[474] * x18 +
          K[475] * x19 +
          K[476] * x20 +
          K[477] * x21 +
          K[478] * x22 +
          K[479] * x23;
        y[b + oy + oz + 2] +=
          K[480] * x0 +
          K[481] * x1 +
          K[482] * x2 +
          K[483] * x3 +
          K[484] * x4 +
          K[485] * x5 +
          K[486] * x6 +
          K[487] * x7 +
          K[488] * x8 +
          K[489] * x9 +
          K[490] * x10 +
          K[491] * x11 +
          K[492] * x12 +
          K[493] * x13 +
          K[494] * x14 +
          K[495] * x15 +
          K[496] * x16 +
          K[497] * x17 +
          K[498] * x18 +
          K[499] * x19 +
          K[500] * x20 +
          K[501] * x21 +
          K[502] * x22 +
          K[503] * x23;
        y[b + 3 + oy + oz] +=
          K[504] * x0 +
          K[505] * x1 +
          K[506] * x2 +
          K[507] * x3 +
          K[508] * x4 +
          K[509] * x5 +
          K[510] * x6 +
          K[511] * x7 +
          K[512] * x8 +
          K[513] * x9 +
          K[514] * x10 +
          K[515] * x11 +
          K[516] * x12 +
          K[517] * x13 +
          K[518] * x14 +
          K[519] * x15 +
          K[520] * x16 +
          K[521] * x17 +
          K[522] * x18 +
          K[523] * x19 +
          K[524] * x20 +
          K[525] * x21 +
          K[526] * x22 +
          K[527] * x23;
        y[b + 3 + oy + oz + 1] +=
          K[528] * x0 +
          K[529] * x1 +
          K[530] * x2 +
          K[531] * x3 +
          K[532] * x4 +
          K[533] * x5 +
          K[534] * x6 +
          K[535] * x7 +
          K[536] * x8 +
          K[537] * x9 +
          K[538] * x10 +
          K[539] * x11 +
          K[540] * x12 +
          K[541] * x13 +
          K[542] * x14 +
          K[543] * x15 +
          K[544] * x16 +
          K[545] * x17 +
          K[546] * x18 +
          K[547] * x19 +
          K[548] * x20 +
          K[549] * x21 +
          K[550] * x22 +
          K[551] * x23;
        y[b + 3 + oy + oz + 2] +=
          K[552] * x0 +
          K[553] * x1 +
          K[554] * x2 +
          K[555] * x3 +
          K[556] * x4 +
          K[557] * x5 +
          K[558] * x6 +
          K[559] * x7 +
          K[560] * x8 +
          K[561] * x9 +
          K[562] * x10 +
          K[563] * x11 +
          K[564] * x12 +
          K[565] * x13 +
          K[566] * x14 +
          K[567] * x15 +
          K[568] * x16 +
          K[569] * x17 +
          K[570] * x18 +
          K[571] * x19 +
          K[572] * x20 +
          K[573] * x21 +
          K[574] * x22 +
          K[575] * x23;
      }
    }
}

/** y += Σ_e K_e x_e with one stored element matrix per cell (coarse levels). */
/**
 * 2D coarse-level kernel of `applyElementwise` (8 element dofs, one stored 8×8 matrix per cell),
 * unrolled like `applyScaled2D` (3× faster than the generic loop at 256²). Kept separate from
 * `applyScaled2D` on purpose: one kernel for both (matrix stride and optional modulus as
 * arguments) made the fine-level apply 30 % slower (7.9 → 10.1 ms at 512²).
 */
function applyElementwise2D(E: Float64Array, x: Float64Array, y: Float64Array, n: number, m: number): void {
  const o4 = 2 * m;
  for (let j = 0; j < n; j++) {
    let e = 64 * n * j;
    let b = 2 * m * j;
    for (let i = 0; i < n; i++, e += 64, b += 2) {
      const t = b + o4;
      const x0 = x[b];
      const x1 = x[b + 1];
      const x2 = x[b + 2];
      const x3 = x[b + 3];
      const x4 = x[t];
      const x5 = x[t + 1];
      const x6 = x[t + 2];
      const x7 = x[t + 3];
      y[b] +=
        E[e + 0] * x0 +
        E[e + 1] * x1 +
        E[e + 2] * x2 +
        E[e + 3] * x3 +
        E[e + 4] * x4 +
        E[e + 5] * x5 +
        E[e + 6] * x6 +
        E[e + 7] * x7;
      y[b + 1] +=
        E[e + 8] * x0 +
        E[e + 9] * x1 +
        E[e + 10] * x2 +
        E[e + 11] * x3 +
        E[e + 12] * x4 +
        E[e + 13] * x5 +
        E[e + 14] * x6 +
        E[e + 15] * x7;
      y[b + 2] +=
        E[e + 16] * x0 +
        E[e + 17] * x1 +
        E[e + 18] * x2 +
        E[e + 19] * x3 +
        E[e + 20] * x4 +
        E[e + 21] * x5 +
        E[e + 22] * x6 +
        E[e + 23] * x7;
      y[b + 3] +=
        E[e + 24] * x0 +
        E[e + 25] * x1 +
        E[e + 26] * x2 +
        E[e + 27] * x3 +
        E[e + 28] * x4 +
        E[e + 29] * x5 +
        E[e + 30] * x6 +
        E[e + 31] * x7;
      y[t] +=
        E[e + 32] * x0 +
        E[e + 33] * x1 +
        E[e + 34] * x2 +
        E[e + 35] * x3 +
        E[e + 36] * x4 +
        E[e + 37] * x5 +
        E[e + 38] * x6 +
        E[e + 39] * x7;
      y[t + 1] +=
        E[e + 40] * x0 +
        E[e + 41] * x1 +
        E[e + 42] * x2 +
        E[e + 43] * x3 +
        E[e + 44] * x4 +
        E[e + 45] * x5 +
        E[e + 46] * x6 +
        E[e + 47] * x7;
      y[t + 2] +=
        E[e + 48] * x0 +
        E[e + 49] * x1 +
        E[e + 50] * x2 +
        E[e + 51] * x3 +
        E[e + 52] * x4 +
        E[e + 53] * x5 +
        E[e + 54] * x6 +
        E[e + 55] * x7;
      y[t + 3] +=
        E[e + 56] * x0 +
        E[e + 57] * x1 +
        E[e + 58] * x2 +
        E[e + 59] * x3 +
        E[e + 60] * x4 +
        E[e + 61] * x5 +
        E[e + 62] * x6 +
        E[e + 63] * x7;
    }
  }
}

function applyElementwise(
  E: Float64Array,
  x: Float64Array,
  y: Float64Array,
  off: Int32Array,
  xe: Float64Array,
  n: number,
  nz: number,
  m: number,
  dim: number,
): void {
  const ke = off.length;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < n; j++) {
      let cell = n * (j + n * k);
      let base = dim * m * (j + m * k);
      for (let i = 0; i < n; i++, cell++, base += dim) {
        for (let c = 0; c < ke; c++) xe[c] = x[base + off[c]];
        let row = cell * ke * ke;
        for (let r = 0; r < ke; r++, row += ke) {
          let acc = 0;
          for (let c = 0; c < ke; c++) acc += E[row + c] * xe[c];
          y[base + off[r]] += acc;
        }
      }
    }
}

/** Largest principal value of a symmetric tensor [xx, yy, zz, yz, xz, xy] (closed form, Smith 1961). */
export function maxPrincipal(t: ArrayLike<number>, o = 0): number {
  const a = t[o];
  const b = t[o + 1];
  const c = t[o + 2];
  const d = t[o + 3];
  const e = t[o + 4];
  const f = t[o + 5];
  const p1 = d * d + e * e + f * f;
  const q = (a + b + c) / 3;
  if (p1 === 0) return Math.max(a, b, c);
  const p2 = (a - q) ** 2 + (b - q) ** 2 + (c - q) ** 2 + 2 * p1;
  const p = Math.sqrt(p2 / 6);
  const B0 = (a - q) / p;
  const B1 = (b - q) / p;
  const B2 = (c - q) / p;
  const detB =
    B0 * (B1 * B2 - (d / p) * (d / p)) -
    (f / p) * ((f / p) * B2 - (d / p) * (e / p)) +
    (e / p) * ((f / p) * (d / p) - B1 * (e / p));
  const rr = Math.min(1, Math.max(-1, detB / 2));
  const phi = Math.acos(rr) / 3;
  return q + 2 * p * Math.cos(phi);
}
