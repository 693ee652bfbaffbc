/**
 * Chemo-mechanical fracture of a polycrystalline secondary particle along a charge (seed 001,
 * Parks et al. 2023, §2.6 and §3.2): the Li fraction x is lowered in load steps from x_start to
 * the x at the cut-off voltage; each grain gets the transversely isotropic lattice eigenstrain of
 * its orientation; the staggered AT2 phase-field solve runs to convergence at each step.
 *
 * At C/50 the particle is at equilibrium to within a few mV, so x is uniform and the voltage is
 * the open-circuit potential U(x) (the seed's single-particle voltage differs from U by the
 * C/50 overpotential only). For faster charges pass `lithiumProfile`, a radial x(r) per step
 * (e.g. from the particle model), which sets each cell's x from its distance to the centre.
 *
 * Pure computation: no I/O. Outputs per step: damage statistics, crack area Γ_ℓ, maximum
 * principal stress, grains disconnected from the particle surface; plus the initiation point.
 */
import type { Material } from "../materials/material.js";
import { ElasticitySolver, maxPrincipal } from "./elasticity.js";
import { type LatticeParameters, latticeStrain, rotatedEigenstrain } from "./lattice-strain.js";
import { type DamageDiscretisation, type EnergySplit, PhaseField, staggeredLoadStep } from "./phase-field.js";
import {
  cellCentre,
  generatePolycrystal,
  PHASE_BINDER,
  PHASE_GRAIN,
  PHASE_VOID,
  type Polycrystal,
} from "./polycrystal.js";
import { historyAt, type LithiumHistory } from "./transport.js";

/** The material functions a fracture run needs. */
export type FractureMaterial = Pick<
  Material,
  "name" | "latticeA" | "latticeC" | "openCircuitPotential" | "validRange" | "youngsModulus" | "poissonRatio"
>;

export interface FractureRunOptions {
  material: FractureMaterial;
  dim: 2 | 3;
  /** Cells per side of the grid. */
  cells: number;
  /** Secondary-particle radius [m] (seed 001: 7 µm). */
  particleRadius: number;
  grains: number;
  /** Outer radius of the binder shell [m] (seed 001: 10 µm); omit for a bare particle. */
  binderShellRadius?: number;
  /**
   * Outer surface of the binder shell: "free" (default; the particle and shell float) or
   * "clamped" (zero displacement, the shell held by the surrounding electrode, a common
   * boundary condition for such models). Needs `binderShellRadius`.
   */
  shellOuter?: "free" | "clamped";
  /**
   * 2D out-of-plane condition (default "generalised": uniform ε_zz with zero net axial force,
   * so a uniform isotropic eigenstrain is stress-free as in 3D; "plane-strain": ε_zz = 0, whose
   * σ_zz = −E·ε* of an isotropic contraction feeds the damage driver). See elasticity.ts.
   */
  outOfPlane?: "plane-strain" | "generalised";
  /**
   * Lattice data replacing the material's a(x), c(x) (e.g. `latticeFromTable`); the material
   * still gives U(x), E and ν. Default: the material's cited table.
   */
  lattice?: LatticeParameters;
  /** Binder Young's modulus [Pa] (seed 001: 0.3 GPa). */
  binderModulus?: number;
  /** Void stiffness as a fraction of the grain modulus [-] (default 1e-6). */
  voidStiffnessFraction?: number;
  /**
   * Phase-field length ℓ [m] at which `fractureEnergy` applies (default 50 nm, REFERENCE §3).
   * If the grid cannot resolve it (ℓ < 1.5 h), the run uses ℓ' = 2h and G_c' = G_c·ℓ'/ℓ, which
   * keeps the AT2 strength σ_c = √(27·E·G_c/(256·ℓ)) (REFERENCE §4, "length from strength")
   * and hence crack nucleation, at the price of a larger toughness for growth.
   */
  length?: number;
  /** Bulk (transgranular) fracture energy [J/m²] at length ℓ (default 5, REFERENCE §3). */
  fractureEnergy?: number;
  /** Grain-boundary to bulk fracture-energy ratio [-] (default 0.2: G_gb = 1 J/m²). */
  boundaryToughnessRatio?: number;
  split?: EnergySplit;
  /** Li fraction at the start (stress-free reference) [-] (default 1). */
  xStart?: number;
  /** Cut-off voltage [V] (default 4.5). */
  cutoffVoltage?: number;
  /** Number of load steps from x_start to x(cut-off) (default 200). */
  steps?: number;
  /** Only run the first `stepLimit` steps (benchmarks). */
  stepLimit?: number;
  seed: number;
  /** Optional central porosity (see PolycrystalOptions). */
  centralPorosity?: { radius: number; fraction: number };
  /** Radial Li profile per step: x at normalised radius ρ = r/R ∈ [0, 1] for mean x. */
  lithiumProfile?: (meanX: number, rho: number) => number;
  /**
   * Transport-coupled charge (see transport.ts, `chargeLithiumHistory`): load steps uniform in
   * mean x from the history's first to its last record, each cell's x from the interpolated
   * x(r), the voltage the model's terminal voltage. Overrides `cutoffVoltage` and
   * `lithiumProfile`.
   */
  lithiumHistory?: LithiumHistory;
  /**
   * Relative residual ‖f − Ku‖/‖f‖ of each elastic solve (default 1e-3). At 256² (NMC811, 130
   * steps through crack growth) 1e-3 and 1e-6 give the same initiation voltage and cracked
   * fraction (1.64 % vs 1.65 %); the staggered damage tolerance, not this, limits the accuracy.
   */
  elasticTolerance?: number;
  /**
   * Staggered tolerance on max |Δd| (default 5e-3) and iteration cap per step (default 4: during
   * crack growth the remaining growth then completes over the next steps; measured effect in
   * docs/mechanics.md, Speed — 25 converges almost every step at 2.6× the cost).
   */
  damageTolerance?: number;
  maxStaggered?: number;
  /**
   * Damage unknowns on cells (default: finite volumes, mesh bias G_c(1 + h²/8ℓ²)) or on nodes
   * (Q1 finite elements as in Miehe et al. 2010, bias G_c(1 + h/2ℓ)). Outputs are per cell
   * either way (node mode: the mean of the cell's corners).
   */
  damageDiscretisation?: DamageDiscretisation;
  /** Damage above which a cell counts as cracked (default 0.95). */
  crackThreshold?: number;
  /**
   * Voltages [V] at which to keep copies of the damage and maximum-principal-stress fields (the
   * first load step at or above each; seed 001 Fig. 5e shows 4.0, 4.2, 4.5 V).
   */
  snapshotVoltages?: readonly number[];
  /** Called after each load step. */
  onStep?: (step: FractureStepResult, index: number, total: number) => void;
  /** A ready polycrystal (e.g. imported labels); otherwise one is generated. */
  polycrystal?: Polycrystal;
}

export interface FractureStepResult {
  /** Mean Li fraction [-]. */
  x: number;
  /** Voltage [V]: U(x) for uniform x, the terminal voltage with a lithium history. */
  voltage: number;
  /** x at the particle centre and surface [-] (both = x for uniform x). */
  centreX: number;
  surfaceX: number;
  /** Time of the step [s] with a lithium history, else null. */
  time: number | null;
  /** ε_a, ε_c relative to x_start [-]. */
  strainA: number;
  strainC: number;
  /** Volume-mean damage over the grains [-]. */
  meanDamage: number;
  /** Volume fraction of grain cells with d ≥ crackThreshold [-]. */
  crackedFraction: number;
  /** Share of ∫d over grains that lies on grain-boundary cells (cells touching another grain) [-]. */
  boundaryDamageShare: number;
  /** Share of the cracked cells (d ≥ crackThreshold) that are boundary cells [-]. */
  crackedBoundaryShare: number;
  /** Volume fraction of grain cells that are boundary cells [-] (compare with the shares above). */
  boundaryCellFraction: number;
  /** Regularised crack area Γ_ℓ [m² in 3D, m per unit thickness in 2D]. */
  crackArea: number;
  /** Crack area per particle surface area [-] (2D: per perimeter). */
  crackAreaRatio: number;
  /** Largest maximum principal stress over intact grain cells [Pa]. */
  maxPrincipalStress: number;
  /** Volume fraction of intact grain material not connected to the outer surface [-]. */
  disconnectedFraction: number;
  /** Number of grains whose intact cells are all disconnected. */
  disconnectedGrains: number;
  staggeredIterations: number;
  elasticIterations: number;
}

export interface FractureRunResult {
  polycrystal: Polycrystal;
  steps: FractureStepResult[];
  /** First step with a cracked cell; null if none. */
  initiation: { x: number; voltage: number; strainC: number; normalisedRadius: number } | null;
  /** Final damage per cell [-]. */
  damage: Float64Array;
  /** Final maximum principal stress per cell [Pa]. */
  maxPrincipal: Float64Array;
  /** Field copies at the requested voltages (those the charge reached), in request order. */
  snapshots: {
    requestedVoltage: number;
    voltage: number;
    damage: Float64Array;
    maxPrincipal: Float64Array;
  }[];
  /** Final displacement [m] (dim per node). */
  displacement: Float64Array;
  /** Phase-field length used [m]. */
  length: number;
  /** Bulk fracture energy used [J/m²] (scaled when ℓ had to be widened). */
  fractureEnergy: number;
  /** Li fraction at the cut-off [-]. */
  xEnd: number;
}

/** Li fraction at which U(x) reaches `voltage`, by bisection over the material's valid range. */
export function lithiumFractionAtVoltage(
  material: Pick<Material, "openCircuitPotential" | "validRange">,
  voltage: number,
): number {
  let lo = material.validRange[0];
  let hi = material.validRange[1];
  const f = (x: number): number => material.openCircuitPotential(x) - voltage;
  if (f(lo) < 0) throw new RangeError(`U(x) stays below ${voltage} V over the valid range of x`);
  if (f(hi) > 0) return hi;
  for (let i = 0; i < 100; i++) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) > 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Volume fraction of intact (d < threshold) grain cells that are not face-connected through
 * intact grain cells to the particle's outer surface (grain cells with a non-grain neighbour at
 * r ≥ R − 2h), and the count of grains with no connected intact cell. Breadth-first flood, O(N).
 */
export function disconnectedGrains(
  poly: Polycrystal,
  damage: Float64Array,
  threshold = 0.9,
): { fraction: number; grains: number } {
  const { dim, n, grain } = poly;
  const total = grain.length;
  const intact = (c: number): boolean => grain[c] >= 0 && damage[c] < threshold;
  const reached = new Uint8Array(total);
  const queue = new Int32Array(total);
  let head = 0;
  let tail = 0;
  const strides = dim === 3 ? [1, n, n * n] : [1, n];
  const nz = dim === 3 ? n : 1;
  const rOuter = poly.particleRadius - 2 * poly.spacing;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        const c = i + n * (j + n * k);
        if (!intact(c)) continue;
        const x = cellCentre(poly, i);
        const y = cellCentre(poly, j);
        const z = dim === 3 ? cellCentre(poly, k) : 0;
        if (Math.sqrt(x * x + y * y + z * z) < rOuter) continue;
        const coords = [i, j, k];
        let surface = false;
        for (let a = 0; a < dim && !surface; a++)
          for (const dir of [-1, 1]) {
            const q = coords[a] + dir;
            if (q < 0 || q >= n || grain[c + dir * strides[a]] < 0) {
              surface = true;
              break;
            }
          }
        if (surface) {
          reached[c] = 1;
          queue[tail++] = c;
        }
      }
  while (head < tail) {
    const c = queue[head++];
    let rem = c;
    for (let a = 0; a < dim; a++) {
      const coord = rem % n;
      rem = Math.floor(rem / n);
      for (const dir of [-1, 1]) {
        const q = coord + dir;
        if (q < 0 || q >= n) continue;
        const nb = c + dir * strides[a];
        if (!reached[nb] && intact(nb)) {
          reached[nb] = 1;
          queue[tail++] = nb;
        }
      }
    }
  }
  let intactCells = 0;
  let lost = 0;
  const grainReached = new Uint8Array(poly.grainCount);
  const grainIntact = new Uint8Array(poly.grainCount);
  for (let c = 0; c < total; c++) {
    if (grain[c] < 0) continue;
    if (!intact(c)) continue;
    intactCells++;
    grainIntact[grain[c]] = 1;
    if (reached[c]) grainReached[grain[c]] = 1;
    else lost++;
  }
  let grains = 0;
  for (let g = 0; g < poly.grainCount; g++) if (grainIntact[g] && !grainReached[g]) grains++;
  return { fraction: intactCells > 0 ? lost / intactCells : 0, grains };
}

/**
 * Radial damage profile: mean damage and cracked (d ≥ threshold) volume fraction of the grain
 * cells in `bins` shells of equal width in r/R ∈ [0, 1] (annuli in 2D, shells in 3D), the
 * quantity the tomography pipeline's radial crack profile measures. Empty bins give 0.
 */
export function radialDamageProfile(
  poly: Polycrystal,
  damage: Float64Array,
  bins = 10,
  threshold = 0.95,
): { rho: Float64Array; meanDamage: Float64Array; crackedFraction: Float64Array } {
  const { dim, n } = poly;
  const sum = new Float64Array(bins);
  const cracked = new Float64Array(bins);
  const count = new Float64Array(bins);
  const nz = dim === 3 ? n : 1;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        const c = i + n * (j + n * k);
        if (poly.grain[c] < 0) continue;
        const x = cellCentre(poly, i);
        const y = cellCentre(poly, j);
        const z = dim === 3 ? cellCentre(poly, k) : 0;
        const b = Math.min(
          bins - 1,
          Math.floor((Math.sqrt(x * x + y * y + z * z) / poly.particleRadius) * bins),
        );
        sum[b] += damage[c];
        if (damage[c] >= threshold) cracked[b]++;
        count[b]++;
      }
  const rho = Float64Array.from({ length: bins }, (_, b) => (b + 0.5) / bins);
  return {
    rho,
    meanDamage: Float64Array.from(sum, (v, b) => (count[b] > 0 ? v / count[b] : 0)),
    crackedFraction: Float64Array.from(cracked, (v, b) => (count[b] > 0 ? v / count[b] : 0)),
  };
}

/**
 * Initial guess for the next load step's displacement. With uniform x the eigenstrain of every
 * grain is a·I + b·n⊗n (a = ε_a, b = ε_c − ε_a), so for fixed damage the displacement is
 * exactly u = a·U₁ + b·U₂. Two previous solutions (u_now for (a₁, b₁), u_old for (a₀, b₀))
 * determine U₁, U₂, and u_new = α·u_now + β·u_old with α a₁ + β a₀ = a₂, α b₁ + β b₀ = b₂.
 * Exact while the damage does not change; otherwise (and for radial Li profiles) a
 * second-order extrapolation that lets PCG start close to the answer. Falls back to scaling
 * u_now when the two previous loads are (nearly) proportional. Shifts u_now into u_old.
 * Returns the weights (α, β), which also extrapolate any other quantity linear in the load
 * (the generalised-plane-strain ε_zz).
 */
export function predictDisplacement(
  u: Float64Array,
  uOld: Float64Array,
  now: { a: number; b: number },
  old: { a: number; b: number },
  a2: number,
  b2: number,
): { alpha: number; beta: number } {
  const det = now.a * old.b - old.a * now.b;
  const scale = Math.hypot(now.a, now.b) * Math.hypot(old.a, old.b);
  let alpha: number;
  let beta: number;
  if (Math.abs(det) > 1e-3 * scale && scale > 0) {
    alpha = (a2 * old.b - old.a * b2) / det;
    beta = (now.a * b2 - a2 * now.b) / det;
  } else {
    const n2 = now.a * now.a + now.b * now.b;
    alpha = n2 > 0 ? (a2 * now.a + b2 * now.b) / n2 : 0;
    beta = 0;
  }
  for (let i = 0; i < u.length; i++) {
    const un = u[i];
    u[i] = alpha * un + beta * uOld[i];
    uOld[i] = un;
  }
  old.a = now.a;
  old.b = now.b;
  now.a = a2;
  now.b = b2;
  return { alpha, beta };
}

/**
 * Initial damage for the next load step: linear extrapolation d + (d − d_old), kept within
 * [d, 1]. Only the first elastic solve of the step sees it: the damage equation is then solved
 * from the history field alone, and the staggered check compares that solution with this
 * guess, so a good guess saves a staggered iteration and a poor one costs nothing but an
 * iteration. Shifts d into d_old.
 */
export function predictDamage(damage: Float64Array, damageOld: Float64Array): void {
  for (let c = 0; c < damage.length; c++) {
    const d = damage[c];
    const next = d + (d - damageOld[c]);
    damageOld[c] = d;
    damage[c] = next < d ? d : next > 1 ? 1 : next;
  }
}

/**
 * Clamp the binder shell's outer surface: fix every node outside the particle radius that
 * touches a void cell (the shell's outer boundary and the void around it).
 */
function clampOutsideShell(poly: Polycrystal, fixed: Uint8Array): void {
  const { dim, n, phase } = poly;
  const m = n + 1;
  const mz = dim === 3 ? m : 1;
  const R = poly.particleRadius;
  for (let k = 0; k < mz; k++)
    for (let j = 0; j < m; j++)
      for (let i = 0; i < m; i++) {
        const x = i * poly.spacing - poly.side / 2;
        const y = j * poly.spacing - poly.side / 2;
        const z = dim === 3 ? k * poly.spacing - poly.side / 2 : 0;
        if (x * x + y * y + z * z <= R * R) continue;
        let touchesVoid = false;
        for (let dk = dim === 3 ? -1 : 0; dk <= 0 && !touchesVoid; dk++)
          for (let dj = -1; dj <= 0 && !touchesVoid; dj++)
            for (let di = -1; di <= 0; di++) {
              const ci = i + di;
              const cj = j + dj;
              const ck = k + dk;
              if (ci < 0 || cj < 0 || ck < 0 || ci >= n || cj >= n || (dim === 3 && ck >= n)) continue;
              if (phase[ci + n * (cj + n * ck)] === PHASE_VOID) {
                touchesVoid = true;
                break;
              }
            }
        if (!touchesVoid) continue;
        const node = i + m * (j + m * k);
        for (let d = 0; d < dim; d++) fixed[dim * node + d] = 1;
      }
}

/** Run the charge. See FractureRunOptions for units and defaults. */
export function runFracture(options: FractureRunOptions): FractureRunResult {
  const mat = options.material;
  const E = mat.youngsModulus;
  const nu = mat.poissonRatio;
  // grid spacing of the generator (2 empty cells of margin on each side)
  const outer = options.binderShellRadius ?? options.particleRadius;
  const hGen = options.polycrystal?.spacing ?? (2 * outer) / (options.cells - 4);
  const ellPhysical = options.length ?? 50e-9;
  const ell = ellPhysical < 1.5 * hGen ? 2 * hGen : ellPhysical;
  const toughnessScale = ell / ellPhysical;
  const poly =
    options.polycrystal ??
    generatePolycrystal({
      dim: options.dim,
      cells: options.cells,
      particleRadius: options.particleRadius,
      grains: options.grains,
      binderShellRadius: options.binderShellRadius,
      boundaryWidth: ell,
      seed: options.seed,
      centralPorosity: options.centralPorosity,
    });
  const h = poly.spacing;
  const { dim, n } = poly;
  const cells = n ** dim;
  const gcBulk = (options.fractureEnergy ?? 5) * toughnessScale;
  const ratio = options.boundaryToughnessRatio ?? 0.2;
  const threshold = options.crackThreshold ?? 0.95;
  const xStart = options.xStart ?? 1;
  const hist = options.lithiumHistory;
  const lattice: LatticeParameters = options.lattice ?? mat;
  const xBegin = hist ? hist.meanX[0] : xStart;
  const xEnd = hist
    ? hist.meanX[hist.count - 1]
    : lithiumFractionAtVoltage(mat, options.cutoffVoltage ?? 4.5);
  const nSteps = options.steps ?? 200;
  const stepLimit = Math.min(nSteps, options.stepLimit ?? nSteps);

  const base = new Float64Array(cells);
  const voidE = (options.voidStiffnessFraction ?? 1e-6) * E;
  const binderE = options.binderModulus ?? 0.3e9;
  for (let c = 0; c < cells; c++)
    base[c] = poly.phase[c] === PHASE_GRAIN ? E : poly.phase[c] === PHASE_BINDER ? binderE : voidE;

  const fixed = ElasticitySolver.boxBoundaryMask(dim, n);
  if (options.shellOuter === "clamped") {
    if (options.binderShellRadius === undefined)
      throw new RangeError("shellOuter 'clamped' needs a binder shell");
    clampOutsideShell(poly, fixed);
  }
  const elastic = new ElasticitySolver(
    { dim, n, spacing: h, outOfPlane: options.outOfPlane ?? "generalised" },
    nu,
    fixed,
  );
  const field = new PhaseField(
    { dim, n, spacing: h },
    { length: ell, split: options.split ?? "amor", discretisation: options.damageDiscretisation },
  );
  for (let c = 0; c < cells; c++) {
    if (poly.phase[c] !== PHASE_GRAIN) continue;
    field.damageable[c] = 1;
    field.fractureEnergy[c] = gcBulk * (1 - (1 - ratio) * poly.boundary[c]);
  }
  // normalised radius of each grain cell (for radial profiles and the initiation radius)
  const rho = new Float64Array(cells);
  const nz = dim === 3 ? n : 1;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        const x = cellCentre(poly, i);
        const y = cellCentre(poly, j);
        const z = dim === 3 ? cellCentre(poly, k) : 0;
        rho[i + n * (j + n * k)] = Math.sqrt(x * x + y * y + z * z) / poly.particleRadius;
      }
  let grainCells = 0;
  for (let c = 0; c < cells; c++) if (poly.phase[c] === PHASE_GRAIN) grainCells++;
  // particle surface measure: sphere area or circle perimeter [m² or m]
  const surface = dim === 3 ? 4 * Math.PI * poly.particleRadius ** 2 : 2 * Math.PI * poly.particleRadius;

  const eigen = new Float64Array(6 * cells);
  const u = new Float64Array(elastic.dofCount);
  const stress = new Float64Array(6 * cells);
  const principal = new Float64Array(cells);
  const work = {
    modulus: new Float64Array(cells),
    strain: new Float64Array(6 * cells),
    previous: new Float64Array(cells),
    load: new Float64Array(elastic.dofCount),
  };
  const steps: FractureStepResult[] = [];
  let initiation: FractureRunResult["initiation"] = null;
  // predictor: displacement of the step before last and the load coefficients of both
  const uOld = new Float64Array(elastic.dofCount);
  const coeffOld = { a: 0, b: 0 };
  const coeffNow = { a: 0, b: 0 };
  const damageOld = new Float64Array(field.unknowns.length);
  const snapshots: FractureRunResult["snapshots"] = [];
  const pending = [...(options.snapshotVoltages ?? [])];
  let axialOld = 0;
  for (let s = 1; s <= stepLimit; s++) {
    const xMean = xBegin + ((xEnd - xBegin) * s) / nSteps;
    const mean = latticeStrain(lattice, xMean, xStart);
    const state = hist ? historyAt(hist, xMean) : null;
    const profile = state
      ? state.profile
      : options.lithiumProfile
        ? (r: number) => (options.lithiumProfile as (m: number, r: number) => number)(xMean, r)
        : null;
    const w = predictDisplacement(u, uOld, coeffNow, coeffOld, mean.a, mean.c - mean.a);
    const axialNow = elastic.axialStrain;
    elastic.axialStrain = w.alpha * axialNow + w.beta * axialOld;
    axialOld = axialNow;
    predictDamage(field.unknowns, damageOld);
    field.refreshCellDamage();
    for (let c = 0; c < cells; c++) {
      const g = poly.grain[c];
      if (g < 0) continue;
      let ea = mean.a;
      let ec = mean.c;
      if (profile) {
        const local = latticeStrain(lattice, profile(Math.min(1, rho[c])), xStart);
        ea = local.a;
        ec = local.c;
      }
      rotatedEigenstrain(
        ea,
        ec,
        poly.cAxes[3 * g],
        poly.cAxes[3 * g + 1],
        poly.cAxes[3 * g + 2],
        eigen,
        6 * c,
      );
    }
    const st = staggeredLoadStep(
      elastic,
      field,
      base,
      eigen,
      u,
      {
        damageTolerance: options.damageTolerance ?? 5e-3,
        maxStaggered: options.maxStaggered ?? 4,
        elasticTolerance: options.elasticTolerance ?? 1e-3,
      },
      work,
    );
    elastic.cellStress(u, eigen, stress);
    let sumD = 0;
    let sumDgb = 0;
    let boundaryCells = 0;
    let cracked = 0;
    let crackedOnBoundary = 0;
    let maxP = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cells; c++) {
      if (poly.phase[c] !== PHASE_GRAIN) {
        principal[c] = 0;
        continue;
      }
      const d = field.damage[c];
      sumD += d;
      if (poly.boundary[c] >= 0.999) {
        sumDgb += d;
        boundaryCells++;
      }
      if (d >= threshold) {
        cracked++;
        if (poly.boundary[c] >= 0.999) crackedOnBoundary++;
      }
      principal[c] = maxPrincipal(stress, 6 * c);
      if (d < threshold && principal[c] > maxP) maxP = principal[c];
    }
    const area = field.crackArea();
    const disc = disconnectedGrains(poly, field.damage, 0.9);
    const result: FractureStepResult = {
      x: xMean,
      voltage: state ? state.voltage : mat.openCircuitPotential(xMean),
      centreX: state ? state.centre : profile ? profile(0) : xMean,
      surfaceX: state ? state.surface : profile ? profile(1) : xMean,
      time: state ? state.time : null,
      strainA: mean.a,
      strainC: mean.c,
      meanDamage: sumD / grainCells,
      crackedFraction: cracked / grainCells,
      boundaryDamageShare: sumD > 0 ? sumDgb / sumD : 0,
      crackedBoundaryShare: cracked > 0 ? crackedOnBoundary / cracked : 0,
      boundaryCellFraction: boundaryCells / grainCells,
      crackArea: area,
      crackAreaRatio: area / surface,
      maxPrincipalStress: Number.isFinite(maxP) ? maxP : 0,
      disconnectedFraction: disc.fraction,
      disconnectedGrains: disc.grains,
      staggeredIterations: st.staggeredIterations,
      elasticIterations: st.elasticIterations,
    };
    if (!initiation && cracked > 0) {
      let wsum = 0;
      let rsum = 0;
      for (let c = 0; c < cells; c++)
        if (poly.phase[c] === PHASE_GRAIN && field.damage[c] >= threshold) {
          wsum += field.damage[c];
          rsum += field.damage[c] * rho[c];
        }
      initiation = { x: xMean, voltage: result.voltage, strainC: mean.c, normalisedRadius: rsum / wsum };
    }
    steps.push(result);
    for (let q = 0; q < pending.length; q++)
      if (result.voltage >= pending[q] - 1e-9) {
        snapshots.push({
          requestedVoltage: pending[q],
          voltage: result.voltage,
          damage: Float64Array.from(field.damage),
          maxPrincipal: Float64Array.from(principal),
        });
        pending.splice(q--, 1);
      }
    options.onStep?.(result, s, stepLimit);
  }
  return {
    polycrystal: poly,
    steps,
    initiation,
    damage: field.damage,
    maxPrincipal: principal,
    snapshots,
    displacement: u,
    length: ell,
    fractureEnergy: gcBulk,
    xEnd,
  };
}
