/**
 * Electrode network model (SPEC §3.6; seed 003, Sharma et al., Nano Lett. 2022, eqns 1–3 and
 * Fig. 4): every active particle is a spherical finite-volume particle (SPEC §3.1: Fickian
 * diffusion with D(x), Butler–Volmer with i0(x)), and the particles' solid potentials φ_p,
 * the carbon-junction potentials and the terminal voltage V are coupled through a resistor
 * network whose particle conductances follow each particle's own κ(x).
 *
 *   particle p, node i:  V_i dx_i/dt = Σ_faces A D̄ ∂x/∂r,   surface sink S_p i_p/(F c_max)
 *   i_p = i0(x_s) [exp(α_a f η) − s(x_s) exp(−α_c f η)],  η = φ_p − φ_l,p − U(x_s)  (seed 003 eqns 1–2)
 *   Kirchhoff at every network node k:  Σ_j G_kj (φ_k − φ_j) + I_k = 0,  I_p = S_p i_p, I_carbon = 0
 *   collector: φ = V;  galvanostatic: Σ_p I_p = I_app;  potentiostatic: V given.
 *
 * s(x) = 1 by default; an optional `insertionLimitWidth` makes it fall smoothly to 0 at the
 * fully lithiated end (the (c_max − c)^α_a factor of seed 003 eqn 3, applied to the cathodic
 * branch only). Without it, a filling surface is stopped by U(x), which the material
 * continues steeply beyond x = 1 (see U_EXTENSION).
 *
 * Conductances (Holm constriction of a contact spot of radius a into a body of conductivity
 * κ: G = 4κa; Holm, Electric Contacts, 1967): particle–carbon G = 4κ_cb a (the surface around
 * the contact reacts directly; option: in series with the body, + 1/(4κ(x_p)a));
 * particle–particle 1/G = 1/(4κ(x_p)a) + 1/(4κ(x_q)a); carbon strand G = κ_cb π r_s²/L.
 * κ(x) is the material's electronicConductivity (orders of magnitude lower pristine, seed 003
 * Fig. 4b), evaluated at each particle's mean x (default), outer-shell or surface x.
 *
 * Time stepping: variable-step BDF2 (BDF1 after every control change) shared by all
 * particles, local error from the predictor–corrector difference (Milne) in the max norm over
 * all particle nodes, and a cap on the largest per-step x change. Each Newton iteration
 * eliminates every particle's shell unknowns by one tridiagonal solve with two right-hand
 * sides (Schur complement) giving the linearised reaction current I_p ≈ β_p + g_p φ_p with
 * g_p ≥ 0; the network system (Laplacian + diag(g)) is SPD and solved by PCG (IC(0) or
 * Jacobi) for the update δu from the network residual; galvanostatic control is bordered with
 * the collector response y = A⁻¹c (c: collector couplings; refreshed once per step):
 * δφ = δu + δV·y with δV from Σ_p (β_p + g_p φ_p) = I_app, which therefore holds exactly
 * (to round-off) at every iteration; early iterations use looser PCG tolerances (inexact
 * Newton, Eisenstat & Walker 1996). Conductances are evaluated once per step at the predicted
 * state (error = predictor error, bounded by the step control), so the iteration is an exact
 * Newton method for the remaining unknowns.
 */
import { FARADAY, GAS_CONSTANT } from "../constants.js";
import { ConvergenceError, InputError } from "../errors.js";
import type { Material } from "../materials/material.js";
import { radialGrid } from "../particle/grid.js";
import { cachedTable } from "../particle/lookup.js";
import {
  graphPattern,
  IncompleteCholesky,
  JacobiPreconditioner,
  type MutableCsr,
  type RefactorablePreconditioner,
  type ScaledPcgResult,
  ScaledPcgWorkspace,
  scaledPcg,
} from "./linear.js";
import { COLLECTOR, EdgeKind, type Microstructure, type ParticleSet } from "./microstructure.js";
import { FlatTable } from "./tables.js";

/**
 * Seam for electrolyte transport: the electrolyte potential φ_l at each particle [V].
 * The default is uniform (0 V): slow rates in a flooded cell (seed 003). A through-thickness
 * model would implement this from the particles' positions and reaction currents; it is
 * called once per accepted step (explicit coupling).
 */
export interface ElectrolyteModel {
  /**
   * Fill `out[p]` with φ_l at particle p [V].
   * @param particles geometry
   * @param reactionCurrents I_p [A], positive = anodic (charge)
   */
  potentials(particles: ParticleSet, reactionCurrents: Float64Array, out: Float64Array): void;
}

/** Uniform electrolyte at 0 V (reference). */
export const uniformElectrolyte: ElectrolyteModel = {
  potentials(_particles, _currents, out) {
    out.fill(0);
  },
};

export interface ElectrodeParameters {
  material: Material;
  microstructure: Microstructure;
  /** Radial intervals per particle (default 10). */
  shells?: number;
  /** Innermost/outermost spacing ratio (default 30: strongly refined toward the surface, where κ(x_s) switches a particle on; see docs/electrode.md for the onset-time convergence). */
  refinement?: number;
  /** Temperature [K] (default 298.15). */
  temperature?: number;
  /** Electrolyte concentration [mol/m³] (default: the material's reference). */
  electrolyteConcentration?: number;
  /** Initial uniform Li fraction (default: the material's nominal xMax). */
  initialLithiumFraction?: number;
  /** Carbon-binder conductivity κ_cb [S/m] (default 1e4, seed 003 Fig. 4b). */
  carbonConductivity?: number;
  /** Radius of a carbon-binder strand [m] (default 0.5 µm; assumption). */
  carbonStrandRadius?: number;
  /** Override of κ(x) [S/m] (default: the material's electronicConductivity). */
  conductivity?: (x: number) => number;
  /** Factor on κ(x) (default 1). */
  conductivityScale?: number;
  /**
   * Which composition sets a particle's κ: "mean" (default: the whole particle — a
   * particle–particle contact spot is buried, not wetted by the electrolyte, so its Li content
   * changes only through the solid and follows the bulk; in the seed-003 continuum model the
   * current crosses the particles' solid at its local composition), "shell" (volume average
   * over the outer `conductivityShellFraction` of the radius) or "surface" (the wetted surface
   * node: it delithiates within minutes while the bulk is still pristine, so κ jumps 2–3
   * decades at once and a pristine neighbour is never a barrier; docs/electrode.md compares).
   */
  conductivityComposition?: "shell" | "surface" | "mean";
  /** Thickness of the conducting shell as a fraction of the radius (default 0.2 = contact-spot radius). */
  conductivityShellFraction?: number;
  /**
   * true (default): a carbon (or collector) contact feeds the particle surface around it
   * directly, G = 4κ_cb·a (seed 003 Fig. 4a: the reaction also takes place "at the porous
   * carbon binder interface"); false: the current must also cross the particle body,
   * 1/G = 1/(4κ(x_p)a) + 1/(4κ_cb a). With the NMC532 κ (1e-5 S/m pristine) and a = 0.2 R the
   * body path of a pristine covered particle passes less than its C/20 share at 1.3 V, so with
   * `false` a C/20 first charge reaches 4.3 V at t = 0 (docs/electrode.md) — the seed's
   * electrode charged at constant current for ≈ 20 h. Particle–particle contacts always cross
   * both bodies.
   */
  directCarbonContacts?: boolean;
  /** Override of D(x) [m²/s]. */
  diffusivity?: (x: number) => number;
  /** Override of i0(x) [A/m²]. */
  exchangeCurrentDensity?: (x: number) => number;
  /**
   * Width in x of an optional insertion limit near x = xHi (default 0 = off): the cathodic
   * branch is multiplied by s(x) falling smoothly to 0 at xHi.
   */
  insertionLimitWidth?: number;
  /** Electrolyte potential model (default uniform). */
  electrolyte?: ElectrolyteModel;
  /** Absolute tolerance on x per step (default 1e-4). */
  absoluteTolerance?: number;
  /** Relative tolerance on x (default 1e-4). */
  relativeTolerance?: number;
  /** Largest change of any particle node's x in one step (default 0.02). */
  maxCompositionChange?: number;
  /** Network preconditioner (default "ic0"). */
  preconditioner?: "ic0" | "jacobi";
  /** Second-order BDF (default true); false = backward Euler throughout. */
  bdf2?: boolean;
  /** PCG tolerance on the diagonally scaled residual, a potential [V] (default 1e-7, a tenth of the Newton tolerance on potentials). */
  linearTolerance?: number;
}

export type ElectrodeControl =
  | { readonly mode: "current"; readonly current: number }
  | { readonly mode: "voltage"; readonly voltage: number };

export interface ElectrodeStop {
  endTime?: number;
  voltageAbove?: number;
  voltageBelow?: number;
  currentBelow?: number;
  voltageRateBelow?: number;
  chargeMagnitude?: number;
  chargeReference?: number;
}

export type ElectrodeStopReason = "time" | "voltage" | "current" | "voltageRate" | "charge";

export interface ElectrodeStatistics {
  acceptedSteps: number;
  rejectedSteps: number;
  newtonIterations: number;
  newtonFailures: number;
  pcgSolves: number;
  pcgIterations: number;
  eventIterations: number;
}

const BV_CLAMP = 3;
const CARBON_CARBON = EdgeKind.CarbonCarbon;
const CARBON_COLLECTOR = EdgeKind.CarbonCollector;
const PARTICLE_CARBON = EdgeKind.ParticleCarbon;
const PARTICLE_COLLECTOR = EdgeKind.ParticleCollector;
/** Range of x beyond the validity range over which U is continued (the material's own continuation). */
const U_EXTENSION = 0.05;
const MAX_NEWTON = 12;
/** Newton stops when the update (or the remaining error predicted from the contraction rate) is below this fraction of the step tolerance (Hairer & Wanner 1996, §IV.8). */
const NEWTON_TOL = 0.01;
/** Largest step-size growth factor after an accepted step. */
const MAX_GROWTH = 4;

export class ElectrodeSimulator {
  readonly material: Material;
  readonly microstructure: Microstructure;
  readonly particleCount: number;
  readonly carbonCount: number;
  /** Nodes per particle (shells + 1). */
  readonly nodes: number;
  readonly shells: number;
  readonly stats: ElectrodeStatistics = {
    acceptedSteps: 0,
    rejectedSteps: 0,
    newtonIterations: 0,
    newtonFailures: 0,
    pcgSolves: 0,
    pcgIterations: 0,
    eventIterations: 0,
  };
  /** Nominal capacity of the electrode over the material window [C]. */
  readonly nominalCapacity: number;
  /** Capacity of each particle over the nominal window [C]. */
  readonly particleCapacity: Float64Array;
  /** Active volume of each particle [m³]. */
  readonly particleVolume: Float64Array;

  time = 0;
  /** Cumulative terminal charge [C] (positive = charge). */
  charge = 0;
  /** Terminal voltage [V]. */
  voltage: number;
  /** Accepted compositions, particle-major [P × nodes]. */
  readonly x: Float64Array;
  /** Accepted network potentials [V]: particles then carbon junctions. */
  readonly phi: Float64Array;
  /** Reaction current of each particle at the accepted state [A]. */
  readonly particleCurrent: Float64Array;
  /** κ of each particle at the accepted state [S/m]. */
  readonly particleConductivity: Float64Array;

  private control: ElectrodeControl = { mode: "current", current: 0 };
  private readonly xLo: number;
  private readonly xHi: number;
  /** Upper end of the tabulated OCV (x may slightly exceed xHi at the surface). */
  private readonly xHiU: number;
  private readonly f: number;
  private readonly alphaA: number;
  private readonly alphaC: number;
  private readonly cMax: number;
  private readonly fD: FlatTable;
  private readonly fI0: FlatTable;
  private readonly fU: FlatTable;
  private readonly fK: FlatTable;
  private readonly kScale: number;
  /** Weights of the nodes in the composition that sets κ (sum 1). */
  private readonly kWeights: Float64Array;
  private readonly kCarbon: number;
  private readonly directContacts: boolean;
  private readonly insertionWidth: number;
  private readonly electrolyte: ElectrolyteModel;
  private readonly atol: number;
  private readonly rtol: number;
  private readonly dxMax: number;
  private readonly useBdf2: boolean;
  private readonly linTol: number;
  // geometry
  private readonly faceCoef: Float64Array; // unit grid A_k/Δr_k
  private readonly invVol: Float64Array; // unit grid 1/V_i
  private readonly volFrac: Float64Array; // unit grid V_i / (4π/3)
  private readonly invR2: Float64Array;
  private readonly sink: Float64Array; // S/(F c_max V_N) [m²/(C·mol/m³·m³)]
  private readonly area: Float64Array; // S_p [m²]
  private readonly edgeA: Int32Array;
  private readonly edgeB: Int32Array;
  private readonly edgeKind: Uint8Array;
  private readonly edgeSize: Float64Array;
  private readonly edgeFixed: Float64Array; // constant conductance for carbon strands [S]
  private readonly posUpper: Int32Array;
  private readonly posLower: Int32Array;
  private readonly A: MutableCsr;
  private readonly precond: RefactorablePreconditioner;
  private readonly ws: ScaledPcgWorkspace;
  // state history
  private readonly x1: Float64Array;
  private readonly x2: Float64Array;
  private h1 = 0;
  private h2 = 0;
  private charge1 = 0;
  private history = 0;
  private hNext = 0;
  // trial
  private readonly xt: Float64Array;
  private readonly phit: Float64Array;
  private vt = 0;
  private trialCharge = 0;
  private trialH = 0;
  private trialCurrent = 0;
  private readonly pred: Float64Array;
  private readonly W: Float64Array;
  private readonly Z: Float64Array;
  private readonly g: Float64Array;
  private readonly beta: Float64Array;
  private readonly iLin: Float64Array;
  private readonly kappa: Float64Array;
  private readonly phiL: Float64Array;
  private readonly rhs: Float64Array;
  private readonly cvec: Float64Array;
  private readonly u: Float64Array;
  private readonly y: Float64Array;
  private readonly phiNew: Float64Array;
  // per-particle scratch
  private readonly dn: Float64Array;
  private readonly dd: Float64Array;
  private readonly lo: Float64Array;
  private readonly di: Float64Array;
  private readonly up: Float64Array;
  private readonly r1: Float64Array;
  private readonly r2: Float64Array;
  private readonly cp: Float64Array;
  private readonly scratch = new Float64Array(2);
  private lastPcg: ScaledPcgResult | null = null;
  /** Steps since y = A⁻¹c was refreshed, and Newton iterations of the last attempt. */
  private ySteps = 1e9;
  private lastNewton = 0;
  /** Attempts rejected only by the composition-change cap (diagnostics). */
  capHits = 0;
  /** Largest node x change of the last attempt. */
  private trialDx = 0;
  /** Network potentials and voltage of the previous accepted step (for the predictor). */
  private readonly phi1: Float64Array;
  private v1 = 0;

  constructor(params: ElectrodeParameters) {
    const m = params.material;
    const ms = params.microstructure;
    this.material = m;
    this.microstructure = ms;
    const P = ms.particles.count;
    if (P < 1) throw new InputError("the microstructure has no particles", { field: "particles" });
    const C = ms.carbon.count;
    this.particleCount = P;
    this.carbonCount = C;
    const shells = params.shells ?? 10;
    if (!Number.isInteger(shells) || shells < 2 || shells > 200) {
      throw new InputError("shells must be an integer from 2 to 200", {
        field: "shells",
        value: String(shells),
      });
    }
    const refinement = params.refinement ?? 30;
    if (!(refinement >= 1 && refinement <= 1000))
      throw new InputError("refinement must be between 1 and 1000", {
        field: "refinement",
        value: String(refinement),
      });
    this.shells = shells;
    const n = shells + 1;
    this.nodes = n;
    const T = params.temperature ?? 298.15;
    if (!(T > 0))
      throw new InputError("temperature must be positive", { field: "temperature", value: String(T) });
    const cl = params.electrolyteConcentration ?? m.referenceElectrolyteConcentration;
    this.f = FARADAY / (GAS_CONSTANT * T);
    this.alphaA = m.transferCoefficients.anodic;
    this.alphaC = m.transferCoefficients.cathodic;
    this.cMax = m.maxConcentration;
    [this.xLo, this.xHi] = m.validRange;
    const lo = this.xLo;
    const hi = this.xHi;
    const dFn = params.diffusivity ?? ((x: number) => m.chemicalDiffusivity(x, T));
    const iFn = params.exchangeCurrentDensity ?? ((x: number) => m.exchangeCurrentDensity(x, cl, T));
    const kFn = params.conductivity ?? ((x: number) => m.electronicConductivity(x));
    // the same cache keys as the single-particle model, so the tables are shared
    this.fD = new FlatTable(cachedTable(params.diffusivity ?? m, `D|${T}`, dFn, lo, hi));
    this.fI0 = new FlatTable(cachedTable(params.exchangeCurrentDensity ?? m, `i0|${cl}|${T}`, iFn, lo, hi));
    // U is tabulated a little beyond x = xHi (the material continues it linearly): near full
    // lithiation the OCV plunges, so a filling surface cannot take more Li at the discharge
    // cut-off, and the overshoot beyond xHi stays below (U(xHi) − V_cut)/|dU/dx| (≈0.005).
    this.xHiU = hi + U_EXTENSION;
    this.fU = new FlatTable(
      cachedTable(
        m,
        `U-ext|${U_EXTENSION}`,
        (x) => m.openCircuitPotential(x),
        lo,
        this.xHiU,
        (x) => m.openCircuitPotentialDerivative(x),
      ),
    );
    this.fK = new FlatTable(cachedTable(params.conductivity ?? m, "electrode-kappa", kFn, lo, hi));
    this.kScale = params.conductivityScale ?? 1;
    if (!(this.kScale > 0))
      throw new InputError("conductivityScale must be positive", {
        field: "conductivityScale",
        value: String(this.kScale),
      });
    this.kCarbon = params.carbonConductivity ?? 1e4;
    this.directContacts = params.directCarbonContacts ?? true;
    if (!(this.kCarbon > 0))
      throw new InputError("carbonConductivity must be positive", {
        field: "carbonConductivity",
        value: String(this.kCarbon),
      });
    const strand = params.carbonStrandRadius ?? 0.5e-6;
    this.insertionWidth = params.insertionLimitWidth ?? 0;
    this.electrolyte = params.electrolyte ?? uniformElectrolyte;
    this.atol = params.absoluteTolerance ?? 1e-4;
    this.rtol = params.relativeTolerance ?? 1e-4;
    this.dxMax = params.maxCompositionChange ?? 0.02;
    this.useBdf2 = params.bdf2 ?? true;
    this.linTol = params.linearTolerance ?? 1e-7;
    const x0 = params.initialLithiumFraction ?? m.nominalWindow.xMax;
    if (!(x0 >= lo && x0 <= hi)) {
      throw new InputError(`initial Li fraction outside the validity range of ${m.name}`, {
        field: "initialLithiumFraction",
        value: String(x0),
        expected: `${lo} ≤ x ≤ ${hi}`,
      });
    }
    // unit-radius grid: coefficients scale as 1/R² (diffusion) and 1/R (surface sink)
    const grid = radialGrid(1, shells, refinement);
    this.faceCoef = new Float64Array(shells);
    for (let k = 0; k < shells; k++) this.faceCoef[k] = grid.faceAreas[k] / grid.spacings[k];
    this.invVol = new Float64Array(n);
    this.volFrac = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.invVol[i] = 1 / grid.volumes[i];
      this.volFrac[i] = grid.volumes[i] / ((4 / 3) * Math.PI);
    }
    // κ composition weights over the unit grid
    const kMode = params.conductivityComposition ?? "mean";
    const shellFrac = params.conductivityShellFraction ?? 0.2;
    if (!(shellFrac > 0 && shellFrac <= 1))
      throw new InputError("conductivityShellFraction must be in (0, 1]", {
        field: "conductivityShellFraction",
        value: String(shellFrac),
      });
    this.kWeights = new Float64Array(n);
    if (kMode === "surface") this.kWeights[shells] = 1;
    else if (kMode === "mean") this.kWeights.set(this.volFrac);
    else if (kMode === "shell") {
      const r0 = 1 - shellFrac;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const a = i === 0 ? 0 : 0.5 * (grid.nodes[i - 1] + grid.nodes[i]);
        const b = i === shells ? 1 : 0.5 * (grid.nodes[i] + grid.nodes[i + 1]);
        const lo2 = Math.max(a, r0);
        const w = b > lo2 ? b ** 3 - lo2 ** 3 : 0;
        this.kWeights[i] = w;
        sum += w;
      }
      for (let i = 0; i < n; i++) this.kWeights[i] /= sum;
    } else
      throw new InputError("conductivityComposition must be shell, surface or mean", {
        field: "conductivityComposition",
        value: String(kMode),
      });
    this.invR2 = new Float64Array(P);
    this.sink = new Float64Array(P);
    this.area = new Float64Array(P);
    this.particleCapacity = new Float64Array(P);
    this.particleVolume = new Float64Array(P);
    let capacity = 0;
    const window = m.nominalWindow.xMax - m.nominalWindow.xMin;
    for (let p = 0; p < P; p++) {
      const R = ms.particles.radius[p];
      if (!(R > 0) || !Number.isFinite(R))
        throw new InputError("particle radius must be positive", {
          field: `particles[${p}].radius`,
          value: String(R),
        });
      this.invR2[p] = 1 / (R * R);
      this.area[p] = 4 * Math.PI * R * R;
      this.sink[p] = (4 * Math.PI) / (FARADAY * this.cMax * grid.volumes[shells] * R);
      this.particleVolume[p] = (4 / 3) * Math.PI * R ** 3;
      this.particleCapacity[p] = FARADAY * this.cMax * this.particleVolume[p] * window;
      capacity += this.particleCapacity[p];
    }
    this.nominalCapacity = capacity;
    // network
    const E = ms.edges.count;
    this.edgeA = ms.edges.a;
    this.edgeB = ms.edges.b;
    this.edgeKind = ms.edges.kind;
    this.edgeSize = ms.edges.size;
    this.edgeFixed = new Float64Array(E);
    const nNet = P + C;
    for (let e = 0; e < E; e++) {
      const a = this.edgeA[e];
      const b = this.edgeB[e];
      if (!(a >= 0 && a < nNet) || !(b === COLLECTOR || (b >= 0 && b < nNet)) || a === b) {
        throw new InputError("edge endpoint out of range", { field: `edges[${e}]`, value: `${a}-${b}` });
      }
      const k = this.edgeKind[e];
      if (k === EdgeKind.CarbonCarbon || k === EdgeKind.CarbonCollector) {
        this.edgeFixed[e] = (this.kCarbon * Math.PI * strand * strand) / Math.max(this.edgeSize[e], 1e-9);
      }
      if (!(this.edgeSize[e] > 0))
        throw new InputError("edge size must be positive", {
          field: `edges[${e}].size`,
          value: String(this.edgeSize[e]),
        });
    }
    const pattern = graphPattern(nNet, this.edgeA, this.edgeB);
    this.A = pattern.matrix;
    this.posUpper = pattern.upper;
    this.posLower = pattern.lower;
    this.precond =
      (params.preconditioner ?? "ic0") === "ic0"
        ? new IncompleteCholesky(this.A)
        : new JacobiPreconditioner(this.A);
    this.ws = new ScaledPcgWorkspace(nNet);
    // state
    this.x = new Float64Array(P * n).fill(x0);
    this.x1 = new Float64Array(P * n);
    this.x2 = new Float64Array(P * n);
    this.xt = new Float64Array(P * n);
    this.pred = new Float64Array(P * n);
    this.W = new Float64Array(P * n);
    this.Z = new Float64Array(P * n);
    const u0 = this.fU.value(x0);
    this.phi = new Float64Array(nNet).fill(u0);
    this.phit = new Float64Array(nNet);
    this.phiNew = new Float64Array(nNet);
    this.phi1 = new Float64Array(nNet);
    this.voltage = u0;
    this.particleCurrent = new Float64Array(P);
    this.particleConductivity = new Float64Array(P);
    this.g = new Float64Array(P);
    this.beta = new Float64Array(P);
    this.iLin = new Float64Array(P);
    this.kappa = new Float64Array(P);
    this.phiL = new Float64Array(P);
    this.rhs = new Float64Array(nNet);
    this.cvec = new Float64Array(nNet);
    this.u = new Float64Array(nNet).fill(0);
    this.y = new Float64Array(nNet).fill(1);
    this.dn = new Float64Array(n);
    this.dd = new Float64Array(n);
    this.lo = new Float64Array(n);
    this.di = new Float64Array(n);
    this.up = new Float64Array(n);
    this.r1 = new Float64Array(n);
    this.r2 = new Float64Array(n);
    this.cp = new Float64Array(n);
    for (let p = 0; p < P; p++) this.particleConductivity[p] = this.kScale * this.fK.value(x0);
    this.electrolyte.potentials(ms.particles, this.particleCurrent, this.phiL);
  }

  // ------------------------------------------------------------------ control

  /** Change the control; the integrator restarts with backward Euler. */
  setControl(control: ElectrodeControl): void {
    if (control.mode === "current" && !Number.isFinite(control.current))
      throw new RangeError("current must be finite");
    if (control.mode === "voltage" && !Number.isFinite(control.voltage))
      throw new RangeError("voltage must be finite");
    this.control = control;
    this.history = 0;
    if (this.hNext > 0) this.hNext = Math.min(this.hNext, 30);
  }

  getControl(): ElectrodeControl {
    return this.control;
  }

  /** Terminal current at the accepted state [A] (positive = charge). */
  get current(): number {
    let s = 0;
    for (let p = 0; p < this.particleCount; p++) s += this.particleCurrent[p];
    return this.control.mode === "current" ? this.control.current : s;
  }

  /** Volume-averaged Li fraction of particle p at the accepted state. */
  particleMeanLithiumFraction(p: number, state: Float64Array = this.x): number {
    const n = this.nodes;
    const base = p * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += this.volFrac[i] * state[base + i];
    return s;
  }

  /** Surface Li fraction of particle p. */
  particleSurfaceLithiumFraction(p: number): number {
    return this.x[p * this.nodes + this.shells];
  }

  /** Fill `out` with each particle's mean x (length P). */
  meanLithiumFractions(out: Float64Array | Float32Array, state: Float64Array = this.x): void {
    for (let p = 0; p < this.particleCount; p++) out[p] = this.particleMeanLithiumFraction(p, state);
  }

  /** Fill `out` with each particle's surface x (length P). */
  surfaceLithiumFractions(out: Float64Array | Float32Array): void {
    const n = this.nodes;
    for (let p = 0; p < this.particleCount; p++) out[p] = this.x[p * n + this.shells];
  }

  /** Volume-weighted mean Li fraction of the electrode. */
  get meanLithiumFraction(): number {
    let s = 0;
    let v = 0;
    for (let p = 0; p < this.particleCount; p++) {
      s += this.particleVolume[p] * this.particleMeanLithiumFraction(p);
      v += this.particleVolume[p];
    }
    return s / v;
  }

  /** Electrode SOC over the material's nominal window (SPEC §1). */
  get stateOfCharge(): number {
    const { xMin, xMax } = this.material.nominalWindow;
    return (xMax - this.meanLithiumFraction) / (xMax - xMin);
  }

  /** Li content of all particles [mol]. */
  get lithiumContent(): number {
    let s = 0;
    for (let p = 0; p < this.particleCount; p++)
      s += this.particleVolume[p] * this.particleMeanLithiumFraction(p);
    return s * this.cMax;
  }

  /** Diagnostics of the last PCG solve. */
  get lastLinearSolve(): ScaledPcgResult | null {
    return this.lastPcg;
  }

  // ------------------------------------------------------------------ kernels

  private particleKappa(xv: number): number {
    const k = this.kScale * this.fK.value(xv < this.xLo ? this.xLo : xv > this.xHi ? this.xHi : xv);
    return k > 1e-30 ? k : 1e-30;
  }

  /** Assemble the network matrix for conductivities `kappa` and reaction conductances g. */
  private assembleNetwork(): void {
    const A = this.A;
    const vals = A.values;
    vals.fill(0);
    this.cvec.fill(0);
    const P = this.particleCount;
    const kc = this.kCarbon;
    const kap = this.kappa;
    for (let e = 0; e < this.edgeA.length; e++) {
      const a = this.edgeA[e];
      const b = this.edgeB[e];
      const kind = this.edgeKind[e];
      const s = this.edgeSize[e];
      let G: number;
      switch (kind) {
        case CARBON_CARBON:
        case CARBON_COLLECTOR:
          G = this.edgeFixed[e];
          break;
        case PARTICLE_CARBON:
        case PARTICLE_COLLECTOR: {
          if (this.directContacts) G = 4 * s * kc;
          else {
            const ka = a < P ? kap[a] : kc;
            G = (4 * s * ka * kc) / (ka + kc);
          }
          break;
        }
        default: {
          const ka = a < P ? kap[a] : kc;
          const kb = b >= 0 && b < P ? kap[b] : kc;
          G = (4 * s * ka * kb) / (ka + kb);
        }
      }
      vals[A.diagPos[a]] += G;
      if (b === COLLECTOR) this.cvec[a] += G;
      else {
        vals[A.diagPos[b]] += G;
        vals[this.posUpper[e]] -= G;
        vals[this.posLower[e]] -= G;
      }
    }
    for (let p = 0; p < P; p++) vals[A.diagPos[p]] += this.g[p];
    // carbon junctions are always connected to the collector (pruned by the generator);
    // guard against an imported island with a tiny leak so the matrix stays definite
    for (let c = P; c < A.nRows; c++) if (!(vals[A.diagPos[c]] > 0)) vals[A.diagPos[c]] = 1e-30;
  }

  /**
   * Particle stage of one Newton iteration at trial state (xt, phit): residuals, two-RHS
   * tridiagonal solves, g_p and β_p. Returns false on a non-finite value.
   */
  private particleStage(h: number, c0: number, c1: number, c2: number): boolean {
    const P = this.particleCount;
    const n = this.nodes;
    const N = this.shells;
    const xt = this.xt;
    const x0 = this.x;
    const xm1 = this.x1;
    const { dn, dd, lo, di, up, r1, r2, cp, faceCoef, invVol } = this;
    const fD = this.fD;
    const fU = this.fU;
    const fI0 = this.fI0;
    const f = this.f;
    const aa = this.alphaA;
    const ac = this.alphaC;
    const xLo = this.xLo;
    const xHi = this.xHi;
    const width = this.insertionWidth;
    const xHiU = this.xHiU;
    const invH = 1 / h;
    const scratch = this.scratch;
    for (let p = 0; p < P; p++) {
      const base = p * n;
      const ir2 = this.invR2[p];
      for (let i = 0; i < n; i++) {
        let xi = xt[base + i];
        xi = xi < xLo ? xLo : xi > xHi ? xHi : xi;
        dn[i] = fD.valueAndDerivative(xi, dd, i);
        const hist = c1 * x0[base + i] + (c2 !== 0 ? c2 * xm1[base + i] : 0);
        r1[i] = (c0 * xt[base + i] + hist) * invH;
        di[i] = c0 * invH;
        lo[i] = 0;
        up[i] = 0;
      }
      for (let k = 0; k < N; k++) {
        const a = faceCoef[k] * ir2;
        const dbar = 0.5 * (dn[k] + dn[k + 1]);
        const diff = xt[base + k + 1] - xt[base + k];
        const flux = a * dbar * diff;
        const vk = invVol[k];
        const vk1 = invVol[k + 1];
        r1[k] -= flux * vk;
        r1[k + 1] += flux * vk1;
        const dfk = -a * dbar + a * 0.5 * dd[k] * diff;
        const dfk1 = a * dbar + a * 0.5 * dd[k + 1] * diff;
        di[k] -= dfk * vk;
        up[k] -= dfk1 * vk;
        lo[k + 1] += dfk * vk1;
        di[k + 1] += dfk1 * vk1;
      }
      // surface reaction
      const xsRaw = xt[base + N];
      const xs = xsRaw < xLo ? xLo : xsRaw > xHi ? xHi : xsRaw;
      const xu = xsRaw < xLo ? xLo : xsRaw > xHiU ? xHiU : xsRaw;
      const U = fU.valueAndDerivative(xu, scratch, 0);
      const dU = scratch[0];
      const i0 = fI0.valueAndDerivative(xs, scratch, 1);
      const di0 = scratch[1];
      let s = 1;
      let ds = 0;
      if (width > 0) {
        const q = (xHi - xt[base + N]) / width;
        if (q <= 0) {
          s = 0;
        } else if (q < 1) {
          s = q * (2 - q);
          ds = -(2 - 2 * q) / width;
        }
      }
      let eta = this.phit[p] - this.phiL[p] - U;
      const clamped = eta > BV_CLAMP || eta < -BV_CLAMP;
      eta = eta > BV_CLAMP ? BV_CLAMP : eta < -BV_CLAMP ? -BV_CLAMP : eta;
      const ea = Math.exp(aa * f * eta);
      const ec = Math.exp(-ac * f * eta);
      const bv = ea - s * ec;
      const iF = i0 * bv;
      const dIdEta = clamped ? 0 : i0 * f * (aa * ea + ac * s * ec);
      const dIdX = di0 * bv - i0 * ds * ec - dIdEta * dU;
      const sk = this.sink[p];
      r1[N] += sk * iF;
      di[N] += sk * dIdX;
      // two right-hand sides: −R and e_N·(sink ∂i/∂η)
      for (let i = 0; i < n; i++) {
        r1[i] = -r1[i];
        r2[i] = 0;
      }
      r2[N] = sk * dIdEta;
      let denom = di[0];
      cp[0] = up[0] / denom;
      r1[0] /= denom;
      r2[0] /= denom;
      for (let i = 1; i < n; i++) {
        denom = di[i] - lo[i] * cp[i - 1];
        cp[i] = up[i] / denom;
        r1[i] = (r1[i] - lo[i] * r1[i - 1]) / denom;
        r2[i] = (r2[i] - lo[i] * r2[i - 1]) / denom;
      }
      for (let i = n - 2; i >= 0; i--) {
        r1[i] -= cp[i] * r1[i + 1];
        r2[i] -= cp[i] * r2[i + 1];
      }
      for (let i = 0; i < n; i++) {
        this.W[base + i] = r1[i];
        this.Z[base + i] = r2[i];
      }
      const S = this.area[p];
      let gp = S * (dIdEta - dIdX * r2[N]);
      const floor = 1e-12 * S;
      if (!(gp > floor)) gp = floor;
      if (!Number.isFinite(gp) || !Number.isFinite(r1[N])) return false;
      this.g[p] = gp;
      this.beta[p] = S * (iF + dIdX * r1[N]) - gp * this.phit[p];
    }
    return true;
  }

  /** PCG on the network; tol is in potential units (scaled residual), relative to 1 V. */
  private solve(b: Float64Array, x: Float64Array, tol: number): boolean {
    const r = scaledPcg(this.A, b, x, this.precond, this.ws, tol, 5000);
    this.stats.pcgSolves++;
    this.stats.pcgIterations += r.iterations;
    this.lastPcg = r;
    return r.converged;
  }

  /**
   * Attempt one step of size h from the accepted state. Leaves the result in the trial
   * arrays; returns the weighted error estimate (∞ when Newton failed or the x change cap
   * was exceeded by more than allowed).
   */
  private attempt(h: number): number {
    const P = this.particleCount;
    const n = this.nodes;
    const total = P * n;
    const bdf2 = this.useBdf2 && this.history >= 1;
    let c0 = 1;
    let c1 = -1;
    let c2 = 0;
    if (bdf2) {
      const w = h / this.h1;
      c0 = (1 + 2 * w) / (1 + w);
      c1 = -(1 + w);
      c2 = (w * w) / (1 + w);
    }
    const x0 = this.x;
    const pred = this.pred;
    if (this.history >= 2 && this.useBdf2) {
      const tm1 = -this.h1;
      const tm2 = -this.h1 - this.h2;
      const L0 = ((h - tm1) * (h - tm2)) / (tm1 * tm2);
      const L1 = (h * (h - tm2)) / (tm1 * (tm1 - tm2));
      const L2 = (h * (h - tm1)) / (tm2 * (tm2 - tm1));
      for (let j = 0; j < total; j++) pred[j] = L0 * x0[j] + L1 * this.x1[j] + L2 * this.x2[j];
    } else if (this.history >= 1) {
      const r = h / this.h1;
      for (let j = 0; j < total; j++) pred[j] = x0[j] + r * (x0[j] - this.x1[j]);
    } else {
      pred.set(x0);
    }
    const xt = this.xt;
    for (let j = 0; j < total; j++) {
      const v = pred[j];
      xt[j] = v < this.xLo ? this.xLo : v > this.xHiU ? this.xHiU : v;
    }
    // conductivities from the predicted state (second-order accurate; their error is the
    // predictor error, which the step control bounds), fixed during the Newton iteration so
    // that it is an exact Newton method for the rest
    const nn = this.nodes;
    const kw = this.kWeights;
    for (let p = 0; p < P; p++) {
      const base = p * nn;
      let xk = 0;
      for (let i = 0; i < nn; i++) xk += kw[i] * xt[base + i];
      this.kappa[p] = this.particleKappa(xk);
    }
    // potentials: linear extrapolation from the last two accepted steps
    if (this.history >= 1) {
      const r = h / this.h1;
      const nNet0 = P + this.carbonCount;
      for (let k = 0; k < nNet0; k++) this.phit[k] = this.phi[k] + r * (this.phi[k] - this.phi1[k]);
      this.vt = this.voltage + r * (this.voltage - this.v1);
    } else {
      this.phit.set(this.phi);
      this.vt = this.voltage;
    }
    const galvanostatic = this.control.mode === "current";
    const Iapp = galvanostatic ? (this.control as { current: number }).current : 0;
    if (!galvanostatic) this.vt = (this.control as { voltage: number }).voltage;
    const nNet = P + this.carbonCount;
    let converged = false;
    let prevNorm = Number.POSITIVE_INFINITY;
    let iterations = 0;
    for (let it = 0; it < MAX_NEWTON; it++) {
      iterations = it + 1;
      this.stats.newtonIterations++;
      if (!this.particleStage(h, c0, c1, c2)) break;
      this.assembleNetwork();
      // the preconditioner and the collector response y = A⁻¹c are refreshed once per step:
      // the iteration works on residuals, so they only affect the rate of convergence
      if (it === 0) {
        this.precond.refactor();
        if (galvanostatic && (this.ySteps >= 8 || this.lastNewton > 3)) {
          if (!this.solve(this.cvec, this.y, 1e-4)) break;
          this.ySteps = 0;
        }
      }
      // network residual r = −β + c·V − A·φ (particles: I_lin = β + gφ; carbon: no source)
      let V = this.vt;
      const A = this.A;
      const r = this.rhs;
      for (let k = 0; k < nNet; k++) {
        let sum = 0;
        for (let q = A.rowPtr[k]; q < A.rowPtr[k + 1]; q++) sum += A.values[q] * this.phit[A.colIdx[q]];
        r[k] = (k < P ? -this.beta[k] : 0) + this.cvec[k] * V - sum;
      }
      const du = this.u;
      du.fill(0);
      // inexact Newton (Eisenstat & Walker 1996): early iterations need less accurate updates
      const linTol =
        it === 0 ? 300 * this.linTol : it === 1 ? 30 * this.linTol : it === 2 ? 3 * this.linTol : this.linTol;
      if (!this.solve(r, du, linTol)) break;
      const phiNew = this.phiNew;
      if (galvanostatic) {
        // Σ_p (β_p + g_p (φ_p + δu_p + δV y_p)) = I_app
        let num = Iapp;
        let den = 0;
        for (let p = 0; p < P; p++) {
          num -= this.beta[p] + this.g[p] * (this.phit[p] + du[p]);
          den += this.g[p] * this.y[p];
        }
        const dV = num / den;
        if (!Number.isFinite(dV)) break;
        V += dV;
        for (let k = 0; k < nNet; k++) phiNew[k] = this.phit[k] + du[k] + dV * this.y[k];
      } else {
        for (let k = 0; k < nNet; k++) phiNew[k] = this.phit[k] + du[k];
      }
      // update
      let norm = 0;
      let bad = false;
      for (let p = 0; p < P; p++) {
        const dphi = phiNew[p] - this.phit[p];
        this.iLin[p] = this.beta[p] + this.g[p] * phiNew[p];
        const base = p * n;
        for (let i = 0; i < n; i++) {
          const d = this.W[base + i] - this.Z[base + i] * dphi;
          const xv = xt[base + i] + d;
          xt[base + i] = xv;
          const e = Math.abs(d) / (this.atol + this.rtol * Math.abs(xv));
          if (e > norm) norm = e;
        }
        const ep = Math.abs(dphi) / this.atol;
        if (ep > norm) norm = ep;
        if (!Number.isFinite(dphi)) bad = true;
      }
      const dv = Math.abs(V - this.vt) / this.atol;
      if (dv > norm) norm = dv;
      this.phit.set(phiNew);
      this.vt = V;
      if (bad || !Number.isFinite(norm)) break;
      const rho = it > 0 ? norm / prevNorm : 0;
      if (norm < NEWTON_TOL || (it > 0 && rho < 0.9 && (rho / (1 - rho)) * norm < NEWTON_TOL)) {
        converged = true;
        break;
      }
      if (it > 3 && norm > prevNorm) break;
      prevNorm = norm;
    }
    this.lastNewton = iterations;
    if (!converged) {
      this.stats.newtonFailures++;
      return Number.POSITIVE_INFINITY;
    }
    // error estimate and composition-change cap
    const factor = this.history >= 2 && this.useBdf2 ? 2 / 11 : 0.5;
    let err = 0;
    let dxMax = 0;
    for (let j = 0; j < total; j++) {
      const v = xt[j];
      if (!(v >= this.xLo - 1e-3 && v <= this.xHiU)) return Number.POSITIVE_INFINITY;
      const e = (factor * Math.abs(v - pred[j])) / (this.atol + this.rtol * Math.abs(v));
      if (e > err) err = e;
      const d = Math.abs(v - x0[j]);
      if (d > dxMax) dxMax = d;
    }
    this.trialDx = dxMax;
    if (dxMax > this.dxMax) {
      if (err <= 1) this.capHits++;
      err = Math.max(err, 1.01 * (dxMax / this.dxMax) ** 3);
    }
    // consistent charge quadrature (c0 Q_{n+1} + c1 Q_n + c2 Q_{n−1})/h = I_{n+1}
    let I = 0;
    for (let p = 0; p < P; p++) I += this.iLin[p];
    if (galvanostatic) I = Iapp;
    this.trialCurrent = I;
    this.trialCharge = (h * I - c1 * this.charge - c2 * (bdf2 ? this.charge1 : 0)) / c0;
    this.trialH = h;
    return err;
  }

  private accept(): void {
    const h = this.trialH;
    this.x2.set(this.x1);
    this.x1.set(this.x);
    this.x.set(this.xt);
    this.phi1.set(this.phi);
    this.v1 = this.voltage;
    this.phi.set(this.phit);
    this.voltage = this.vt;
    this.ySteps++;
    this.particleCurrent.set(this.iLin);
    this.particleConductivity.set(this.kappa);
    this.h2 = this.h1;
    this.h1 = h;
    this.charge1 = this.charge;
    this.charge = this.trialCharge;
    this.time += h;
    this.history++;
    this.stats.acceptedSteps++;
    this.electrolyte.potentials(this.microstructure.particles, this.particleCurrent, this.phiL);
  }

  private initialStep(maxStep: number): number {
    return Math.max(1e-3, Math.min(maxStep, 1));
  }

  /** Value of an event function on the trial (or accepted) state: > 0 not reached. */
  private eventValue(kind: ElectrodeStopReason, stop: ElectrodeStop, trial: boolean): number {
    const v = trial ? this.vt : this.voltage;
    switch (kind) {
      case "voltage": {
        const a = stop.voltageAbove !== undefined ? stop.voltageAbove - v : Number.POSITIVE_INFINITY;
        const b = stop.voltageBelow !== undefined ? v - stop.voltageBelow : Number.POSITIVE_INFINITY;
        return Math.min(a, b);
      }
      case "current":
        return Math.abs(trial ? this.trialCurrent : this.current) - (stop.currentBelow ?? 0);
      case "charge":
        return (
          (stop.chargeMagnitude ?? 0) -
          Math.abs((trial ? this.trialCharge : this.charge) - (stop.chargeReference ?? 0))
        );
      default:
        return 1;
    }
  }

  /**
   * Integrate until a stop condition is met; the state ends at the event (voltage within
   * 1e-5 V, current within 1e-5 relative). `onStep` is called after every accepted step.
   */
  advance(
    stop: ElectrodeStop,
    onStep?: (sim: ElectrodeSimulator, h: number) => void,
    maxStep = Number.POSITIVE_INFINITY,
  ): ElectrodeStopReason {
    const endTime = stop.endTime ?? Number.POSITIVE_INFINITY;
    if (this.time >= endTime) return "time";
    if (this.hNext <= 0) this.hNext = this.initialStep(maxStep);
    const events: ElectrodeStopReason[] = [];
    if (stop.voltageAbove !== undefined || stop.voltageBelow !== undefined) events.push("voltage");
    if (stop.currentBelow !== undefined) events.push("current");
    if (stop.chargeMagnitude !== undefined) events.push("charge");
    for (;;) {
      let h = Math.min(this.hNext, maxStep, endTime - this.time);
      let clipped = h === endTime - this.time;
      let err = this.attempt(h);
      let tries = 0;
      while (!(err <= 1)) {
        this.stats.rejectedSteps++;
        const fac = Number.isFinite(err) ? Math.max(0.1, 0.9 * err ** (-1 / 3)) : 0.25;
        h *= Math.min(fac, 0.9);
        clipped = false;
        if (h < 1e-9 || ++tries > 60) {
          throw new ConvergenceError(`electrode step failed at t = ${this.time} s (h = ${h} s)`, {
            time: this.time,
            step: h,
            error: err,
          });
        }
        err = this.attempt(h);
      }
      // events on the trial state
      let best: ElectrodeStopReason | null = null;
      let bestH = h;
      for (const kind of events) {
        if (this.eventValue(kind, stop, true) > 0) continue;
        if (this.trialH !== h) this.attempt(h);
        const hk = this.locate(kind, stop, h);
        if (hk <= bestH) {
          bestH = hk;
          best = kind;
        }
      }
      if (best !== null) {
        if (this.trialH !== bestH) this.attempt(bestH);
        this.accept();
        this.hNext = Math.max(bestH, 0.5 * h);
        onStep?.(this, bestH);
        return best;
      }
      const vBefore = this.voltage;
      this.accept();
      let grow = err > 0 ? Math.min(MAX_GROWTH, Math.max(0.2, 0.9 * err ** (-1 / 3))) : MAX_GROWTH;
      // the x change grows in proportion to the step: propose a step that respects the cap
      if (this.trialDx > 0) grow = Math.min(grow, Math.max(0.2, (0.8 * this.dxMax) / this.trialDx));
      if (!clipped || grow < 1) this.hNext = h * grow;
      onStep?.(this, h);
      if (stop.voltageRateBelow !== undefined && this.stats.acceptedSteps > 1) {
        const rate = Math.abs(this.voltage - vBefore) / h;
        if (rate < stop.voltageRateBelow) return "voltageRate";
      }
      if (clipped || this.time >= endTime) {
        this.time = Math.min(this.time, endTime);
        return "time";
      }
    }
  }

  /** Regula falsi (Illinois) on the step size for the event crossing; leaves the trial there. */
  private locate(kind: ElectrodeStopReason, stop: ElectrodeStop, h: number): number {
    const tol =
      kind === "voltage"
        ? 1e-5
        : kind === "current"
          ? 1e-5 * (stop.currentBelow ?? 1)
          : 1e-9 * (stop.chargeMagnitude ?? 1);
    let gb = this.eventValue(kind, stop, true);
    if (gb > -tol) return h;
    let ga = this.eventValue(kind, stop, false);
    if (!(ga > 0)) {
      const tiny = Math.max(1e-6, h * 1e-9);
      this.attempt(tiny);
      return tiny;
    }
    let a = 0;
    let b = h;
    let side = 0;
    let bestH = h;
    for (let it = 0; it < 50; it++) {
      this.stats.eventIterations++;
      let hc = b - (gb * (b - a)) / (gb - ga);
      if (!(hc > a && hc < b)) hc = 0.5 * (a + b);
      const err = this.attempt(hc);
      if (!Number.isFinite(err)) {
        b = hc;
        gb = -tol * 10;
        continue;
      }
      const gc = this.eventValue(kind, stop, true);
      if (gc <= 0) {
        bestH = hc;
        if (gc > -tol) return hc;
        b = hc;
        gb = gc;
        if (side === 1) ga /= 2;
        side = 1;
      } else {
        if (gc < tol) return hc;
        a = hc;
        ga = gc;
        if (side === -1) gb /= 2;
        side = -1;
      }
      if (b - a < 1e-9 * Math.max(1, this.time)) break;
    }
    this.attempt(bestH);
    return bestH;
  }
}
