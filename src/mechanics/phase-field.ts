/**
 * AT2 phase-field fracture on the cell grid of `ElasticitySolver`.
 *
 * Energy (Bourdin, Francfort & Marigo 2000; Miehe, Hofacker & Welschinger, CMAME 199 (2010)
 * 2765): Π = ∫ g(d) ψ⁺(ε_e) + ψ⁻(ε_e) dV + ∫ G_c (d²/(2ℓ) + ℓ/2 |∇d|²) dV, g(d) = (1 − d)² + k_res.
 * Irreversibility through the history field H = max over the load history of ψ⁺ (Miehe et al.
 * 2010b). Damage equation (strong form, constant G_c): (G_c/ℓ + 2H) d − G_c ℓ ∇²d = 2H;
 * here in conservative form with a cell-wise G_c: (G_c/ℓ + 2H) d − ∇·(G_c ℓ ∇d) = 2H, discretised
 * by cell-centred finite volumes (harmonic face G_c, no flux into non-damageable cells). The
 * matrix is a symmetric M-matrix, so 0 ≤ d ≤ 1 and d grows monotonically with H; it is solved
 * by Jacobi-preconditioned CG.
 *
 * Option `discretisation: "node"` instead puts d on the grid nodes with bilinear/trilinear (Q1)
 * elements, consistent mass and one history value per cell (the finite-element scheme of Miehe
 * et al. 2010). Its discrete crack energy carries the first-order mesh bias G_c(1 + h/2ℓ)
 * (Bourdin, Francfort & Marigo, J. Elasticity 91 (2008) 5) where the cell-centred scheme has
 * G_c(1 + h²/8ℓ²); it exists to compare with published finite-element results. The system
 * matrix is then SPD but not an M-matrix, so d is clipped to [0, 1] after the solve. The per-cell
 * `damage` is the mean of the cell's corner values (the value at the cell centre).
 *
 * Tension/compression split: "amor" (Amor, Marigo & Maurini, JMPS 57 (2009) 1209),
 * ψ⁺ = K/2⟨tr ε⟩₊² + μ ε_dev:ε_dev, ψ⁻ = K/2⟨tr ε⟩₋²; "none": ψ⁺ = ψ. The split drives the
 * damage only, while the elastic solve degrades the whole stiffness: the "hybrid" formulation of
 * Ambati, Gerasimov & De Lorenzis (Comput. Mech. 55 (2015) 383), which keeps the elastic problem
 * linear. Grain-boundary weakening: G_c = G_bulk·(1 − (1 − r)·γ), γ the boundary indicator and
 * r = G_gb/G_bulk (seed 001 §2.6 uses h = (1 − γ)² on an auxiliary field; REFERENCE §3: below
 * r ≈ 0.26 cracks deflect into boundaries, He & Hutchinson 1989).
 */
import type { ElasticitySolver, SolveResult } from "./elasticity.js";

export type EnergySplit = "none" | "amor";

/** Where the damage unknowns live: cell centres (finite volumes) or grid nodes (Q1 elements). */
export type DamageDiscretisation = "cell" | "node";

export interface PhaseFieldOptions {
  /** Regularisation length ℓ [m]. */
  length: number;
  /** Residual stiffness k_res in g(d) = (1 − d)² + k_res [-] (default 1e-6). */
  residualStiffness?: number;
  /** Energy split driving the damage (default "amor"). */
  split?: EnergySplit;
  /** Damage unknowns on cells (default, finite volumes) or nodes (Q1 finite elements). */
  discretisation?: DamageDiscretisation;
}

export class PhaseField {
  readonly dim: 2 | 3;
  readonly n: number;
  readonly spacing: number;
  readonly length: number;
  readonly residualStiffness: number;
  readonly split: EnergySplit;
  readonly cellCount: number;
  /** Damage d per cell [-]. */
  readonly damage: Float64Array;
  /** History field H per cell (current iterate) [J/m³]. */
  readonly history: Float64Array;
  /** History at the end of the last converged load step [J/m³]. */
  readonly committedHistory: Float64Array;
  /** Critical energy release rate G_c per cell [J/m²]. */
  readonly fractureEnergy: Float64Array;
  /** 1 where damage may develop (grains); elsewhere d stays 0 and no flux crosses. */
  readonly damageable: Uint8Array;
  readonly discretisation: DamageDiscretisation;
  /** Damage per node, (n+1)^dim values, when `discretisation` is "node"; empty otherwise [-]. */
  readonly nodalDamage: Float64Array;
  private readonly diag: Float64Array;
  private readonly faceCoef: Float64Array; // per cell per positive axis: coefficient of the face towards +axis
  private work: Float64Array[] | null = null;
  private readonly nodal: NodalElement | null;

  constructor(grid: { dim: 2 | 3; n: number; spacing: number }, options: PhaseFieldOptions) {
    this.dim = grid.dim;
    this.n = grid.n;
    this.spacing = grid.spacing;
    this.length = options.length;
    this.residualStiffness = options.residualStiffness ?? 1e-6;
    this.split = options.split ?? "amor";
    this.cellCount = grid.n ** grid.dim;
    this.damage = new Float64Array(this.cellCount);
    this.history = new Float64Array(this.cellCount);
    this.committedHistory = new Float64Array(this.cellCount);
    this.fractureEnergy = new Float64Array(this.cellCount);
    this.damageable = new Uint8Array(this.cellCount);
    this.discretisation = options.discretisation ?? "cell";
    if (this.discretisation === "node") {
      const nodes = (grid.n + 1) ** grid.dim;
      this.nodalDamage = new Float64Array(nodes);
      this.diag = new Float64Array(nodes);
      this.faceCoef = new Float64Array(0);
      this.nodal = nodalElement(grid.dim, grid.n, grid.spacing);
    } else {
      this.nodalDamage = new Float64Array(0);
      this.diag = new Float64Array(this.cellCount);
      this.faceCoef = new Float64Array(this.dim * this.cellCount);
      this.nodal = null;
    }
  }

  /**
   * The array the damage solve iterates on (warm start in, solution out): `nodalDamage` for
   * "node", `damage` for "cell". A predictor that edits it must call `refreshCellDamage` after.
   */
  get unknowns(): Float64Array {
    return this.nodal ? this.nodalDamage : this.damage;
  }

  /** Node mode: recompute the per-cell damage (corner mean) from `nodalDamage`; no-op for cells. */
  refreshCellDamage(): void {
    const q = this.nodal;
    if (!q) return;
    const cells = this.listDamageableCells(q);
    const corners = q.offsets.length;
    const d = this.nodalDamage;
    this.damage.fill(0);
    for (let e = 0; e < cells; e++) {
      const base = q.cellBase[e];
      let s = 0;
      for (let a = 0; a < corners; a++) s += d[base + q.offsets[a]];
      this.damage[q.cellIndex[e]] = s / corners;
    }
  }

  /**
   * Node mode: list the damageable cells (index and lowest-corner node) in `q.cellIndex` /
   * `q.cellBase` and return their count. O(cells); redone at each use because callers may edit
   * `damageable` at any time.
   */
  private listDamageableCells(q: NodalElement): number {
    const { n, dim } = this;
    const m = n + 1;
    const nz = dim === 3 ? n : 1;
    let count = 0;
    for (let k = 0, c = 0; k < nz; k++)
      for (let j = 0; j < n; j++)
        for (let i = 0; i < n; i++, c++) {
          if (!this.damageable[c]) continue;
          q.cellIndex[count] = c;
          q.cellBase[count++] = i + m * (j + m * k);
        }
    return count;
  }

  /** Degradation g(d) = (1 − d)² + k_res. */
  degradation(d: number): number {
    return (1 - d) * (1 - d) + this.residualStiffness;
  }

  /** out[c] = base[c]·g(d_c) for damageable cells, base[c] elsewhere [Pa]. */
  degradedModulus(baseModulus: Float64Array, out: Float64Array): Float64Array {
    for (let c = 0; c < this.cellCount; c++)
      out[c] = this.damageable[c] ? baseModulus[c] * this.degradation(this.damage[c]) : baseModulus[c];
    return out;
  }

  /**
   * Tensile elastic energy density ψ⁺ [J/m³] of the elastic strain ε − ε* (6 per cell, tensor
   * shear) with the undegraded modulus E_c and Poisson ratio ν.
   */
  positiveEnergy(strain: Float64Array, eigenstrain: Float64Array, E: number, nu: number, c: number): number {
    const o = 6 * c;
    const lam = (E * nu) / ((1 + nu) * (1 - 2 * nu));
    const mu = E / (2 * (1 + nu));
    const exx = strain[o] - eigenstrain[o];
    const eyy = strain[o + 1] - eigenstrain[o + 1];
    const ezz = strain[o + 2] - eigenstrain[o + 2];
    const eyz = strain[o + 3] - eigenstrain[o + 3];
    const exz = strain[o + 4] - eigenstrain[o + 4];
    const exy = strain[o + 5] - eigenstrain[o + 5];
    const tr = exx + eyy + ezz;
    const m = tr / 3;
    const dev2 = (exx - m) ** 2 + (eyy - m) ** 2 + (ezz - m) ** 2 + 2 * (eyz * eyz + exz * exz + exy * exy);
    const K = lam + (2 * mu) / 3;
    if (this.split === "none") return 0.5 * K * tr * tr + mu * dev2;
    const tp = tr > 0 ? tr : 0;
    return 0.5 * K * tp * tp + mu * dev2;
  }

  /** H = max(H_committed, ψ⁺(current strain)) on damageable cells. */
  updateHistory(
    strain: Float64Array,
    eigenstrain: Float64Array,
    baseModulus: Float64Array,
    nu: number,
  ): void {
    for (let c = 0; c < this.cellCount; c++) {
      if (!this.damageable[c]) continue;
      const psi = this.positiveEnergy(strain, eigenstrain, baseModulus[c], nu, c);
      this.history[c] = Math.max(this.committedHistory[c], psi);
    }
  }

  /** Accept the current history as converged (end of a load step). */
  commit(): void {
    this.committedHistory.set(this.history);
  }

  private neighbour(c: number, axis: number, dir: 1 | -1): number {
    const n = this.n;
    const stride = axis === 0 ? 1 : axis === 1 ? n : n * n;
    const coord = Math.floor(c / stride) % n;
    const next = coord + dir;
    if (next < 0 || next >= n) return -1;
    return c + dir * stride;
  }

  private buildOperator(): void {
    const { dim, cellCount, length: l, spacing: h } = this;
    const Gc = this.fractureEnergy;
    for (let c = 0; c < cellCount; c++) {
      this.diag[c] = this.damageable[c] ? Gc[c] / l + 2 * this.history[c] : 1;
      for (let a = 0; a < dim; a++) this.faceCoef[dim * c + a] = 0;
    }
    const n = this.n;
    const nz = dim === 3 ? n : 1;
    for (let k = 0, c = 0; k < nz; k++)
      for (let j = 0; j < n; j++)
        for (let i = 0; i < n; i++, c++) {
          if (!this.damageable[c]) continue;
          for (let a = 0; a < dim; a++) {
            const coord = a === 0 ? i : a === 1 ? j : k;
            if (coord === n - 1) continue;
            const nb = c + (a === 0 ? 1 : a === 1 ? n : n * n);
            if (!this.damageable[nb]) continue;
            const g1 = Gc[c];
            const g2 = Gc[nb];
            const face = g1 + g2 > 0 ? (2 * g1 * g2) / (g1 + g2) : 0;
            const coef = (face * l) / (h * h);
            this.faceCoef[dim * c + a] = coef;
            this.diag[c] += coef;
            this.diag[nb] += coef;
          }
        }
  }

  private applyOperator(x: Float64Array, y: Float64Array): void {
    const { dim, cellCount, n } = this;
    if (dim === 2) {
      applyFaces2D(this.diag, this.faceCoef, x, y, n);
      return;
    }
    for (let c = 0; c < cellCount; c++) y[c] = this.diag[c] * x[c];
    for (let c = 0; c < cellCount; c++) {
      for (let a = 0; a < dim; a++) {
        const k = this.faceCoef[dim * c + a];
        if (k === 0) continue;
        const nb = c + (a === 0 ? 1 : a === 1 ? n : n * n);
        y[c] -= k * x[nb];
        y[nb] -= k * x[c];
      }
    }
  }

  /**
   * Solve the damage equation for the current history (warm start from the present d) by
   * Jacobi-preconditioned CG until the Jacobi-scaled residual max_c |r_c/A_cc| (a damage
   * increment, dimensionless) is below `tolerance`. Returns iterations and that residual.
   */
  solveDamage(tolerance = 1e-9, maxIterations = 5000): SolveResult {
    const nodal = this.nodal !== null;
    const d = this.unknowns;
    const N = d.length;
    // work vectors, allocated once per field
    if (!this.work) this.work = Array.from({ length: 6 }, () => new Float64Array(N));
    const [b, r, z, p, q, inv] = this.work;
    let cells = 0;
    if (nodal) cells = this.assembleNodal(b);
    else {
      this.buildOperator();
      for (let c = 0; c < N; c++) {
        if (this.damageable[c]) b[c] = 2 * this.history[c];
        else {
          d[c] = 0;
          b[c] = 0;
        }
      }
    }
    const diag = this.diag;
    for (let c = 0; c < N; c++) inv[c] = 1 / diag[c];
    const apply = nodal
      ? (x: Float64Array, y: Float64Array) => this.applyNodal(x, y, cells)
      : (x: Float64Array, y: Float64Array) => this.applyOperator(x, y);
    apply(d, q);
    let rz = 0;
    let zMax = 0;
    for (let c = 0; c < N; c++) {
      r[c] = b[c] - q[c];
      z[c] = r[c] * inv[c];
      p[c] = z[c];
      rz += r[c] * z[c];
      zMax = Math.max(zMax, Math.abs(z[c]));
    }
    let it = 0;
    while (zMax > tolerance && it < maxIterations) {
      it++;
      apply(p, q);
      let pq = 0;
      for (let c = 0; c < N; c++) pq += p[c] * q[c];
      const alpha = rz / pq;
      let rzNew = 0;
      zMax = 0;
      for (let c = 0; c < N; c++) {
        d[c] += alpha * p[c];
        const rc = r[c] - alpha * q[c];
        r[c] = rc;
        const zc = rc * inv[c];
        z[c] = zc;
        rzNew += rc * zc;
        const a = zc < 0 ? -zc : zc;
        if (a > zMax) zMax = a;
      }
      const beta = rzNew / rz;
      rz = rzNew;
      for (let c = 0; c < N; c++) p[c] = z[c] + beta * p[c];
    }
    // cells: the M-matrix keeps d in [0, 1] up to the solver tolerance (clip round-off);
    // nodes: the consistent mass can overshoot slightly near steep fronts (clip)
    for (let c = 0; c < N; c++) d[c] = Math.min(1, Math.max(0, d[c]));
    this.refreshCellDamage();
    return { iterations: it, relativeResidual: zMax };
  }

  /**
   * Node mode: lists the damageable cells, marks their nodes active and builds the diagonal of
   * K = Σ_e (G_c ℓ K0 + (G_c/ℓ + 2H) M0) and the load Σ_e 2H ∫N (into `load`). Nodes that touch
   * no damageable cell get identity rows and d = 0. Returns the number of damageable cells.
   */
  private assembleNodal(load: Float64Array): number {
    const q = this.nodal as NodalElement;
    const cells = this.listDamageableCells(q);
    const l = this.length;
    const corners = q.offsets.length;
    const share = this.spacing ** this.dim / corners; // ∫N over a cell [m^dim]
    const diag = this.diag;
    diag.fill(0);
    load.fill(0);
    q.active.fill(0);
    for (let e = 0; e < cells; e++) {
      const c = q.cellIndex[e];
      const base = q.cellBase[e];
      const a = this.fractureEnergy[c] * l;
      const b = this.fractureEnergy[c] / l + 2 * this.history[c];
      for (let r = 0; r < corners; r++) {
        const v = base + q.offsets[r];
        diag[v] += a * q.stiffness[r * corners + r] + b * q.mass[r * corners + r];
        load[v] += 2 * this.history[c] * share;
        q.active[v] = 1;
      }
    }
    for (let v = 0; v < diag.length; v++)
      if (!q.active[v]) {
        diag[v] = 1;
        this.nodalDamage[v] = 0;
      }
    return cells;
  }

  /** Node mode: y = K x element by element over the listed cells; inactive rows y = x. */
  private applyNodal(x: Float64Array, y: Float64Array, cells: number): void {
    const q = this.nodal as NodalElement;
    const l = this.length;
    const corners = q.offsets.length;
    const xe = q.local;
    y.fill(0);
    for (let e = 0; e < cells; e++) {
      const c = q.cellIndex[e];
      const base = q.cellBase[e];
      const a = this.fractureEnergy[c] * l;
      const b = this.fractureEnergy[c] / l + 2 * this.history[c];
      for (let r = 0; r < corners; r++) xe[r] = x[base + q.offsets[r]];
      for (let r = 0; r < corners; r++) {
        let s = 0;
        const row = r * corners;
        for (let t = 0; t < corners; t++) s += (a * q.stiffness[row + t] + b * q.mass[row + t]) * xe[t];
        y[base + q.offsets[r]] += s;
      }
    }
    for (let v = 0; v < y.length; v++) if (!q.active[v]) y[v] = x[v];
  }

  /** Node mode: Σ_e w_e (d_eᵀM0 d_e/(2ℓ) + ℓ/2 d_eᵀK0 d_e), w_e = G_c (dissipation) or 1 (area). */
  private nodalCrackEnergy(weighted: boolean): number {
    const q = this.nodal as NodalElement;
    const cells = this.listDamageableCells(q);
    const l = this.length;
    const corners = q.offsets.length;
    const de = q.local;
    let sum = 0;
    for (let e = 0; e < cells; e++) {
      const base = q.cellBase[e];
      for (let r = 0; r < corners; r++) de[r] = this.nodalDamage[base + q.offsets[r]];
      let energy = 0;
      for (let r = 0; r < corners; r++)
        for (let t = 0; t < corners; t++)
          energy +=
            de[r] * de[t] * (q.mass[r * corners + t] / (2 * l) + (l / 2) * q.stiffness[r * corners + t]);
      sum += weighted ? this.fractureEnergy[q.cellIndex[e]] * energy : energy;
    }
    return sum;
  }

  /**
   * Regularised crack area Γ_ℓ(d) = ∫ (d²/(2ℓ) + ℓ/2 |∇d|²) dV [m² in 3D; m (per unit
   * thickness) in 2D], the surface that the diffuse crack represents (Bourdin et al. 2000).
   */
  crackArea(): number {
    if (this.nodal) return this.nodalCrackEnergy(false);
    const { dim, cellCount, length: l, spacing: h } = this;
    const V = h ** dim;
    const faceArea = h ** (dim - 1);
    let sum = 0;
    for (let c = 0; c < cellCount; c++) {
      if (!this.damageable[c]) continue;
      sum += ((this.damage[c] * this.damage[c]) / (2 * l)) * V;
      for (let a = 0; a < dim; a++) {
        const nb = this.neighbour(c, a, 1);
        if (nb < 0 || !this.damageable[nb]) continue;
        const g = (this.damage[nb] - this.damage[c]) / h;
        sum += (l / 2) * g * g * faceArea * h;
      }
    }
    return sum;
  }

  /** Dissipated fracture energy ∫ G_c (d²/(2ℓ) + ℓ/2|∇d|²) dV [J or J/m]. */
  fractureDissipation(): number {
    if (this.nodal) return this.nodalCrackEnergy(true);
    const { dim, cellCount, length: l, spacing: h } = this;
    const V = h ** dim;
    let sum = 0;
    for (let c = 0; c < cellCount; c++) {
      if (!this.damageable[c]) continue;
      sum += this.fractureEnergy[c] * ((this.damage[c] * this.damage[c]) / (2 * l)) * V;
      for (let a = 0; a < dim; a++) {
        const nb = this.neighbour(c, a, 1);
        if (nb < 0 || !this.damageable[nb]) continue;
        const g1 = this.fractureEnergy[c];
        const g2 = this.fractureEnergy[nb];
        const face = (2 * g1 * g2) / (g1 + g2);
        const g = (this.damage[nb] - this.damage[c]) / h;
        sum += face * (l / 2) * g * g * V;
      }
    }
    return sum;
  }
}

export interface StaggeredOptions {
  /** Stop when max |Δd| between staggered iterations falls below this (default 1e-3). */
  damageTolerance?: number;
  /** Cap on staggered iterations per load step (default 50). */
  maxStaggered?: number;
  /** Elastic solver relative tolerance (default 1e-7). */
  elasticTolerance?: number;
  /**
   * Relative L1 drift of the degraded moduli after which the multigrid coarse levels are
   * rebuilt (default 0.02; 0 rebuilds at every staggered iteration). See
   * `ElasticitySolver.updateModulus`.
   */
  hierarchyDrift?: number;
}

export interface StaggeredResult {
  staggeredIterations: number;
  elasticIterations: number;
  damageIterations: number;
  /** Last max |Δd|. */
  damageChange: number;
}

/**
 * One load step of the staggered (alternate minimisation) scheme: solve elasticity with the
 * degraded moduli, update H, solve damage, repeat until d stops changing; then commit H.
 * @param baseModulus undegraded modulus per cell [Pa]
 * @param eigenstrain per-cell eigenstrain (6 per cell) [-]
 * @param u displacement (warm start in, solution out; prescribed values at fixed dofs) [m]
 */
export function staggeredLoadStep(
  elastic: ElasticitySolver,
  field: PhaseField,
  baseModulus: Float64Array,
  eigenstrain: Float64Array,
  u: Float64Array,
  options: StaggeredOptions = {},
  work?: { modulus: Float64Array; strain: Float64Array; previous: Float64Array; load: Float64Array },
): StaggeredResult {
  const tol = options.damageTolerance ?? 1e-3;
  const maxIt = options.maxStaggered ?? 50;
  const w = work ?? {
    modulus: new Float64Array(field.cellCount),
    strain: new Float64Array(6 * field.cellCount),
    previous: new Float64Array(field.cellCount),
    load: new Float64Array(elastic.dofCount),
  };
  let elasticIterations = 0;
  let damageIterations = 0;
  let change = Number.POSITIVE_INFINITY;
  let it = 0;
  while (it < maxIt) {
    it++;
    field.degradedModulus(baseModulus, w.modulus);
    elastic.updateModulus(w.modulus, options.hierarchyDrift ?? 0.02);
    elasticIterations += elastic.solveEigenstrain(
      eigenstrain,
      u,
      { tolerance: options.elasticTolerance ?? 1e-7 },
      w.load,
    ).iterations;
    elastic.cellStrain(u, w.strain);
    field.updateHistory(w.strain, eigenstrain, baseModulus, elastic.poissonRatio);
    w.previous.set(field.damage);
    // the damage solve only has to be well below the staggered tolerance on Δd (1 %)
    damageIterations += field.solveDamage(Math.min(1e-5, 1e-2 * tol)).iterations;
    change = 0;
    for (let c = 0; c < field.cellCount; c++)
      change = Math.max(change, Math.abs(field.damage[c] - w.previous[c]));
    if (change < tol) break;
  }
  // leave the elastic operator consistent with the final damage (outputs use it)
  field.degradedModulus(baseModulus, w.modulus);
  elastic.updateModulus(w.modulus, options.hierarchyDrift ?? 0.02);
  field.commit();
  return { staggeredIterations: it, elasticIterations, damageIterations, damageChange: change };
}

/**
 * 2D cell operator y = D x − Σ_faces k (x_neighbour), gathered row by row (faceCoef holds per cell
 * the coefficients of its +x and +y faces; faces on the grid edge are zero).
 */
function applyFaces2D(
  diag: Float64Array,
  face: Float64Array,
  x: Float64Array,
  y: Float64Array,
  n: number,
): void {
  for (let j = 0; j < n; j++) {
    const row = n * j;
    for (let i = 0; i < n; i++) {
      const c = row + i;
      let v = diag[c] * x[c];
      if (i < n - 1) v -= face[2 * c] * x[c + 1];
      if (i > 0) v -= face[2 * c - 2] * x[c - 1];
      if (j < n - 1) v -= face[2 * c + 1] * x[c + n];
      if (j > 0) v -= face[2 * (c - n) + 1] * x[c - n];
      y[c] = v;
    }
  }
}

interface NodalElement {
  /** Node-index offsets of a cell's 2^dim corners from its lowest corner. */
  offsets: Int32Array;
  /** Q1 element stiffness ∫∇N_r·∇N_t dV, row-major 2^dim × 2^dim [m^(dim−2)]. */
  stiffness: Float64Array;
  /** Q1 consistent element mass ∫N_r N_t dV [m^dim]. */
  mass: Float64Array;
  /** 1 for nodes of at least one damageable cell (set by each load assembly). */
  active: Uint8Array;
  /** Scratch for one element's nodal values. */
  local: Float64Array;
  /** Damageable cells (first `count` entries, see `listDamageableCells`) and their lowest node. */
  cellIndex: Int32Array;
  cellBase: Int32Array;
}

/**
 * Q1 element matrices of a cube of side h as tensor products of the 1D linear element:
 * k1 = (1/h)[1 −1; −1 1], m1 = (h/6)[2 1; 1 2]; K = Σ_axis k1 ⊗ m1 ⊗ …, M = m1 ⊗ m1 ⊗ ….
 */
function nodalElement(dim: 2 | 3, n: number, h: number): NodalElement {
  const corners = 1 << dim;
  const m = n + 1;
  const offsets = new Int32Array(corners);
  for (let r = 0; r < corners; r++)
    offsets[r] = (r & 1) + m * ((r >> 1) & 1) + (dim === 3 ? m * m * ((r >> 2) & 1) : 0);
  const k1 = (a: number, b: number) => (a === b ? 1 : -1) / h;
  const m1 = (a: number, b: number) => ((a === b ? 2 : 1) * h) / 6;
  const stiffness = new Float64Array(corners * corners);
  const mass = new Float64Array(corners * corners);
  for (let r = 0; r < corners; r++)
    for (let t = 0; t < corners; t++) {
      let M = 1;
      for (let a = 0; a < dim; a++) M *= m1((r >> a) & 1, (t >> a) & 1);
      let K = 0;
      for (let a = 0; a < dim; a++) {
        let term = k1((r >> a) & 1, (t >> a) & 1);
        for (let b = 0; b < dim; b++) if (b !== a) term *= m1((r >> b) & 1, (t >> b) & 1);
        K += term;
      }
      stiffness[r * corners + t] = K;
      mass[r * corners + t] = M;
    }
  return {
    offsets,
    stiffness,
    mass,
    active: new Uint8Array(m ** dim),
    local: new Float64Array(corners),
    cellIndex: new Int32Array(n ** dim),
    cellBase: new Int32Array(n ** dim),
  };
}
