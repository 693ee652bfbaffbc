/**
 * Single-particle model (SPEC §3.1): Fickian diffusion with composition-dependent chemical
 * diffusivity in a sphere, Butler–Volmer kinetics at the surface, double layer, film and ohmic
 * resistance, under galvanostatic or potentiostatic control.
 *
 *   ∂x/∂t = (1/r²) ∂/∂r (r² D(x) ∂x/∂r),   ∂x/∂r = 0 at r = 0,
 *   −c_max D ∂x/∂r |_R = i_F / F                       (positive current removes Li),
 *   i_F = i0(x_s) [exp(α_a F η/RT) − exp(−α_c F η/RT)],  η = E − U(x_s),
 *   C_dl dE/dt = i_tot − i_F,   V = E + i_tot R_film + I R_ohm,   I = S i_tot.
 *
 * E is the potential across the electrode/electrolyte interface (behind the film); S the
 * reacting area. Newman & Thomas-Alyea (2004) ch. 8 for the kinetics; the spherical
 * finite-volume balance is our own (see grid.ts). The unknowns u = [x_0 … x_N, E] couple
 * only to their neighbours, so every Newton system is tridiagonal (size N + 2).
 *
 * Time stepping: variable-step BDF2 (backward Euler on the first step after every
 * restart, i.e. at each protocol step where the control changes discontinuously), Newton
 * iterations with an exact Jacobian, local error estimated from the difference between the
 * corrector and a polynomial predictor (Milne's device), and stop events located inside a
 * step by re-solving the step to the crossing time (Illinois iteration on the step size).
 */
import { FARADAY, GAS_CONSTANT } from "../constants.js";
import { ConvergenceError } from "../errors.js";
import { type RadialGrid, radialGrid } from "./grid.js";
import { cachedTable, DirectFunction, type ScalarFunction } from "./lookup.js";
import {
  type ParticleParameters,
  type ResolvedParticleParameters,
  resolveParticleParameters,
} from "./parameters.js";

/** How the particle is driven. */
export type Control =
  /** Applied current I [A]; positive = charge (delithiation). */
  | { readonly mode: "current"; readonly current: number }
  /** Applied cell voltage V [V] vs Li/Li⁺. */
  | { readonly mode: "voltage"; readonly voltage: number };

/** Conditions that end an `advance` call; all optional. */
export interface StopConditions {
  /** Absolute simulation time at which to stop [s]. */
  endTime?: number;
  /** Stop when V rises to this value [V]. */
  voltageAbove?: number;
  /** Stop when V falls to this value [V]. */
  voltageBelow?: number;
  /** Stop when |I| falls to this value [A]. */
  currentBelow?: number;
  /** Stop when |dV/dt| falls to this value [V/s]. */
  voltageRateBelow?: number;
  /** Stop when |charge passed since `chargeReference`| reaches this value [C]. */
  chargeMagnitude?: number;
  /** Reference for `chargeMagnitude` (the cumulative charge at the start of the protocol step) [C]. */
  chargeReference?: number;
}

export type StopReason = "time" | "voltage" | "current" | "voltageRate" | "charge" | "compositionLimit";

export interface SolverStatistics {
  acceptedSteps: number;
  rejectedSteps: number;
  newtonIterations: number;
  newtonFailures: number;
  eventIterations: number;
  restarts: number;
}

/** A read-only view of the present state. */
export interface ParticleState {
  /** Time [s]. */
  time: number;
  /** Terminal current I [A] (positive = charge). */
  current: number;
  /** Terminal voltage V [V]. */
  voltage: number;
  /** Faradaic current S·i_F [A] (the part that moves Li). */
  faradaicCurrent: number;
  /** Surface Li fraction x(R). */
  surfaceLithiumFraction: number;
  /** Volume-averaged Li fraction of the whole particle (isolated part included). */
  meanLithiumFraction: number;
  /** Overpotential η = E − U(x_s) [V]. */
  overpotential: number;
  /** Cumulative charge through the terminals since t = 0 [C] (positive = charge). */
  charge: number;
}

const MAX_NEWTON = 8;
const BV_CLAMP = 3; // |η| bound [V] inside Butler–Volmer during Newton iterations (overflow guard)
/** Distance from the edge of the validity range at which the surface counts as full/empty. */
const COMPOSITION_MARGIN = 1e-7;

export class ParticleSimulator {
  readonly params: ResolvedParticleParameters;
  readonly grid: RadialGrid;
  /** Number of unknowns N + 2. */
  readonly size: number;
  readonly stats: SolverStatistics = {
    acceptedSteps: 0,
    rejectedSteps: 0,
    newtonIterations: 0,
    newtonFailures: 0,
    eventIterations: 0,
    restarts: 0,
  };

  /** Simulation time [s]. */
  time = 0;
  /** Accepted state u = [x_0 … x_N, E]. */
  readonly u: Float64Array;
  /** Cumulative terminal charge [C]. */
  charge = 0;

  private control: Control = { mode: "current", current: 0 };
  private readonly cMax: number;
  private readonly f: number; // F/RT [1/V]
  private readonly alphaA: number;
  private readonly alphaC: number;
  /** Reacting area of the connected part, S_eff = a_f · 4πR² · (1 − φ_iso) [m²]. */
  get reactingArea(): number {
    return this.surfaceArea * this.connected;
  }
  /** Electrically isolated volume fraction φ_iso [-] (grows with `contactLoss`, never shrinks). */
  get isolatedFraction(): number {
    return 1 - this.connected;
  }
  /** Weight w of the charge i0 table (1 = charge, 0 = discharge; 1 when i0 is not direction-dependent). */
  get chargeWeight(): number {
    return this.weightCharge;
  }
  /** Reacting area per diffusion geometry (a_f · 4πR²) [m²]. */
  private readonly surfaceArea: number;
  private connected: number;
  /** Mean Li fraction of the isolated part (each grain keeps its composition at isolation). */
  private xIsolated: number;
  /** Lowest surface Li fraction reached (drives `contactLoss`). */
  private xMinReached: number;
  private weightCharge = 1;
  private readonly fI0Discharge: ScalarFunction | null;
  private readonly xLo: number;
  private readonly xHi: number;
  /** D(x) [m²/s], i0(x) [A/m²], U(x) [V] with derivatives (tables or direct). */
  private readonly fD: ScalarFunction;
  private readonly fI0: ScalarFunction;
  private readonly fU: ScalarFunction;

  // history for BDF2 and the predictor
  private readonly u1: Float64Array; // u_{n-1}
  private readonly u2: Float64Array; // u_{n-2}
  private h1 = 0; // t_n − t_{n−1}
  private h2 = 0; // t_{n−1} − t_{n−2}
  private charge1 = 0; // charge at t_{n−1}
  private history = 0; // accepted points since the last restart (besides u_n)
  private hNext = 0;

  // work arrays (no allocation per step)
  private readonly trial: Float64Array;
  private readonly pred: Float64Array;
  private readonly res: Float64Array;
  private readonly lower: Float64Array;
  private readonly diag: Float64Array;
  private readonly upper: Float64Array;
  private readonly cprime: Float64Array;
  private readonly dnode: Float64Array;
  private readonly dprime: Float64Array;
  private readonly weights: Float64Array;
  private readonly mass: Float64Array;
  private readonly hist: Float64Array;
  private trialCharge = 0;
  private trialH = 0;
  private trialDoubled = false;
  private readonly mid: Float64Array;
  private midCharge = 0;
  private trialRateValue = Number.POSITIVE_INFINITY;

  constructor(parameters: ParticleParameters) {
    this.params = resolveParticleParameters(parameters);
    const p = this.params;
    this.grid = radialGrid(p.radius, p.shells, p.refinement);
    const n = p.shells + 2;
    this.size = n;
    this.cMax = p.material.maxConcentration;
    this.f = FARADAY / (GAS_CONSTANT * p.temperature);
    this.alphaA = p.material.transferCoefficients.anodic;
    this.alphaC = p.material.transferCoefficients.cathodic;
    this.connected = 1 - p.isolatedFraction;
    this.surfaceArea = p.activeAreaFactor * 4 * Math.PI * p.radius ** 2;
    this.xIsolated = p.initialLithiumFraction;
    this.xMinReached = p.initialLithiumFraction;
    [this.xLo, this.xHi] = p.material.validRange;
    const lo = this.xLo;
    const hi = this.xHi;
    if (p.tabulate) {
      const m = p.material;
      const o = p.overridden;
      this.fD = cachedTable(o.diffusivity ? p.diffusivity : m, `D|${p.temperature}`, p.diffusivity, lo, hi);
      this.fI0 = cachedTable(
        o.exchangeCurrentDensity ? p.exchangeCurrentDensity : m,
        `i0|${p.electrolyteConcentration}|${p.temperature}`,
        p.exchangeCurrentDensity,
        lo,
        hi,
      );
      this.fU = cachedTable(
        o.openCircuitPotential ? p.openCircuitPotential : m,
        "U",
        p.openCircuitPotential,
        lo,
        hi,
        p.openCircuitPotentialDerivative,
      );
    } else {
      this.fD = new DirectFunction(p.diffusivity, hi);
      this.fI0 = new DirectFunction(p.exchangeCurrentDensity, hi);
      this.fU = new DirectFunction(p.openCircuitPotential, hi, p.openCircuitPotentialDerivative);
    }
    const dir = p.directionalExchangeCurrent;
    this.fI0Discharge = dir
      ? p.tabulate
        ? cachedTable(
            dir.discharge,
            `i0d|${p.electrolyteConcentration}|${p.temperature}`,
            dir.discharge,
            lo,
            hi,
          )
        : new DirectFunction(dir.discharge, hi)
      : null;
    if (dir) this.weightCharge = dir.initialChargeWeight;
    this.u = new Float64Array(n);
    this.u1 = new Float64Array(n);
    this.u2 = new Float64Array(n);
    this.trial = new Float64Array(n);
    this.pred = new Float64Array(n);
    this.res = new Float64Array(n);
    this.lower = new Float64Array(n);
    this.diag = new Float64Array(n);
    this.upper = new Float64Array(n);
    this.cprime = new Float64Array(n);
    this.dnode = new Float64Array(n - 1);
    this.dprime = new Float64Array(n - 1);
    this.weights = new Float64Array(n);
    this.mass = new Float64Array(n);
    this.hist = new Float64Array(n);
    this.mid = new Float64Array(n);
    this.u.fill(p.initialLithiumFraction, 0, n - 1);
    this.u[n - 1] = p.openCircuitPotential(p.initialLithiumFraction);
    this.setControl({ mode: "current", current: 0 });
  }

  /** Series resistance seen by the interface current density [Ω·m²]. */
  private get seriesResistance(): number {
    return this.params.filmResistance + this.reactingArea * this.params.ohmicResistance;
  }

  /**
   * Change the control. The integrator restarts (backward Euler first step), because the
   * solution is not smooth across a change of control.
   */
  setControl(control: Control): void {
    if (control.mode === "current" && !Number.isFinite(control.current))
      throw new RangeError("current must be finite");
    if (control.mode === "voltage" && !Number.isFinite(control.voltage))
      throw new RangeError("voltage must be finite");
    this.control = control;
    const n = this.size;
    const cdl = this.params.doubleLayerCapacitance;
    this.mass.fill(1, 0, n - 1);
    // E is differential when a double layer exists and E is not pinned by a zero-resistance
    // voltage source; otherwise its equation is algebraic.
    const pinned = control.mode === "voltage" && this.seriesResistance === 0;
    this.mass[n - 1] = pinned ? 0 : cdl;
    this.history = 0;
    this.stats.restarts++;
  }

  getControl(): Control {
    return this.control;
  }

  /** Reset the composition to a uniform x (and E to U(x)); restarts the integrator. */
  setUniformLithiumFraction(x: number): void {
    const n = this.size;
    this.u.fill(x, 0, n - 1);
    this.u[n - 1] = this.params.openCircuitPotential(x);
    this.history = 0;
  }

  // ---------------------------------------------------------------- physics

  private clampX(x: number): number {
    return x < this.xLo ? this.xLo : Math.min(x, this.xHi);
  }

  /** Interface current density i_tot [A/m²] for state u under the present control. */
  private totalCurrentDensity(u: Float64Array): number {
    const c = this.control;
    if (c.mode === "current") return c.current / this.reactingArea;
    const rs = this.seriesResistance;
    if (rs > 0) return (c.voltage - u[this.size - 1]) / rs;
    return this.faradaicDensity(u);
  }

  /** i0 [A/m²] at surface Li fraction xs: the charge table, or w·charge + (1 − w)·discharge. */
  private i0Value(xs: number): number {
    const d = this.fI0Discharge;
    const c = this.fI0.value(xs);
    if (!d) return c;
    const w = this.weightCharge;
    return w * c + (1 - w) * d.value(xs);
  }

  private i0Derivative(xs: number): number {
    const d = this.fI0Discharge;
    const c = this.fI0.derivative(xs);
    if (!d) return c;
    const w = this.weightCharge;
    return w * c + (1 - w) * d.derivative(xs);
  }

  /**
   * Slow interface state after an accepted step (operator splitting; the integrator restarts
   * when it changes): the direction weight of i0 and the contact-loss isolated fraction.
   * @param passed terminal charge of the step [C] (> 0 = charge, delithiation)
   */
  private updateSlowState(passed: number): void {
    const p = this.params;
    let changed = false;
    const dir = p.directionalExchangeCurrent;
    // a rest passes no charge; ignore round-off of the cumulative charge (< 1e-3 of the switch)
    if (dir && Math.abs(passed) > 1e-3 * dir.switchingCharge) {
      const target = passed > 0 ? 1 : 0;
      const w = target + (this.weightCharge - target) * Math.exp(-Math.abs(passed) / dir.switchingCharge);
      if (Math.abs(w - this.weightCharge) > 1e-9) changed = true;
      this.weightCharge = w;
    }
    const law = p.contactLoss;
    if (law) {
      // driven by the surface, where the lattice collapses first and the cracks open (seed 000
      // Fig. 3b: radial cracks, grains separating from the outside); at rest surface = mean
      const xsNow = this.u[this.size - 2];
      if (xsNow < this.xMinReached) {
        this.xMinReached = xsNow;
        const phiOld = 1 - this.connected;
        const phi = Math.min(Math.max(law.isolatedFraction(xsNow), 0), 0.999);
        const xm = this.connectedMean(this.u);
        if (phi > phiOld) {
          // newly isolated grains keep the present mean composition: the particle's mean x is unchanged
          this.xIsolated = (phiOld * this.xIsolated + (phi - phiOld) * xm) / phi;
          this.connected = 1 - phi;
          changed = true;
        }
      }
    }
    if (changed) this.history = 0;
  }

  /** Faradaic current density i_F [A/m²] at state u. */
  private faradaicDensity(u: Float64Array): number {
    const n = this.size;
    const xs = this.clampX(u[n - 2]);
    let eta = u[n - 1] - this.fU.value(xs);
    eta = eta > BV_CLAMP ? BV_CLAMP : Math.max(eta, -BV_CLAMP);
    const i0 = this.i0Value(xs);
    return i0 * (Math.exp(this.alphaA * this.f * eta) - Math.exp(-this.alphaC * this.f * eta));
  }

  /**
   * Assemble the BDF residual R(u) = m∘(c0 u + hist)/h − f(u) into `res` and, if `jac`,
   * its tridiagonal Jacobian into lower/diag/upper. `hist` = c1 u_n + c2 u_{n−1}.
   */
  private assemble(u: Float64Array, c0OverH: number, histOverH: Float64Array, jac: boolean): void {
    const g = this.grid;
    const n = this.size;
    const N = n - 2; // surface node index
    const res = this.res;
    const lower = this.lower;
    const diag = this.diag;
    const upper = this.upper;
    const dn = this.dnode;
    const dp = this.dprime;
    const fD = this.fD;
    for (let i = 0; i <= N; i++) {
      const x = this.clampX(u[i]);
      dn[i] = fD.value(x);
      if (jac) dp[i] = fD.derivative(x);
    }
    for (let i = 0; i < n; i++) {
      res[i] = this.mass[i] * (c0OverH * u[i] + histOverH[i]);
      if (jac) {
        lower[i] = 0;
        upper[i] = 0;
        diag[i] = this.mass[i] * c0OverH;
      }
    }
    // face fluxes F_k = G_k (x_{k+1} − x_k), G_k = A_k D̄_k / Δr_k, D̄_k = (D_k + D_{k+1})/2
    for (let k = 0; k < N; k++) {
      const a = g.faceAreas[k] / g.spacings[k];
      const dbar = 0.5 * (dn[k] + dn[k + 1]);
      const diff = u[k + 1] - u[k];
      const flux = a * dbar * diff; // [m³/s]·x, into node k from node k+1
      const vk = g.volumes[k];
      const vk1 = g.volumes[k + 1];
      res[k] -= flux / vk;
      res[k + 1] += flux / vk1;
      if (jac) {
        const dfdk = -a * dbar + a * 0.5 * dp[k] * diff; // ∂flux/∂x_k
        const dfdk1 = a * dbar + a * 0.5 * dp[k + 1] * diff; // ∂flux/∂x_{k+1}
        diag[k] -= dfdk / vk;
        upper[k] -= dfdk1 / vk;
        lower[k + 1] += dfdk / vk1;
        diag[k + 1] += dfdk1 / vk1;
      }
    }
    // surface reaction: V_N dx_N/dt = … − S i_F/(F c_max)
    const xs = this.clampX(u[N]);
    const U = this.fU.value(xs);
    let eta = u[N + 1] - U;
    const clamped = eta > BV_CLAMP || eta < -BV_CLAMP;
    eta = eta > BV_CLAMP ? BV_CLAMP : Math.max(eta, -BV_CLAMP);
    const i0 = this.i0Value(xs);
    const ea = Math.exp(this.alphaA * this.f * eta);
    const ec = Math.exp(-this.alphaC * this.f * eta);
    const bv = ea - ec;
    const iF = i0 * bv;
    const sink = this.surfaceArea / (FARADAY * this.cMax * g.volumes[N]);
    res[N] += sink * iF;
    // interface equation: m_E dE/dt = i_tot − i_F   (or E − V = 0 when pinned)
    const c = this.control;
    const pinned = c.mode === "voltage" && this.seriesResistance === 0;
    if (pinned) res[N + 1] += u[N + 1] - c.voltage;
    else res[N + 1] -= this.totalCurrentDensity(u) - iF;
    if (jac) {
      const dBVdEta = clamped ? 0 : this.f * (this.alphaA * ea + this.alphaC * ec);
      const di0 = this.i0Derivative(xs);
      const dU = this.fU.derivative(xs);
      const diFdx = di0 * bv - i0 * dBVdEta * dU;
      const diFdE = i0 * dBVdEta;
      diag[N] += sink * diFdx;
      upper[N] += sink * diFdE;
      if (pinned) {
        diag[N + 1] += 1;
      } else {
        const didE = c.mode === "voltage" ? -1 / this.seriesResistance : 0;
        lower[N + 1] += diFdx;
        diag[N + 1] += diFdE - didE;
      }
    }
  }

  /** Solve the tridiagonal system in place: res ← J⁻¹ res (Thomas algorithm). */
  private solveTridiagonal(): boolean {
    const n = this.size;
    const a = this.lower;
    const b = this.diag;
    const c = this.upper;
    const d = this.res;
    const cp = this.cprime;
    let denom = b[0];
    if (denom === 0 || !Number.isFinite(denom)) return false;
    cp[0] = c[0] / denom;
    d[0] /= denom;
    for (let i = 1; i < n; i++) {
      denom = b[i] - a[i] * cp[i - 1];
      if (denom === 0 || !Number.isFinite(denom)) return false;
      cp[i] = c[i] / denom;
      d[i] = (d[i] - a[i] * d[i - 1]) / denom;
    }
    for (let i = n - 2; i >= 0; i--) d[i] -= cp[i] * d[i + 1];
    return true;
  }

  private setWeights(u: Float64Array): void {
    const n = this.size;
    const rtol = this.params.relativeTolerance;
    const atol = this.params.absoluteTolerance;
    for (let i = 0; i < n - 1; i++) this.weights[i] = 1 / (atol + rtol * Math.abs(u[i]));
    // E [V]: absolute tolerance atol·(1 V), i.e. the voltage error an x error of atol makes
    // through |dU/dx| ~ 1 V (the absolute level of E, ~4 V, carries no information)
    this.weights[n - 1] = this.mass[n - 1] > 0 ? 1 / atol : 0;
  }

  /**
   * Newton iterations for one implicit BDF step: (m∘(c0 u + c1 base + c2 prev))/h = f(u),
   * starting from `out` (the initial guess) and leaving the solution in `out`. Returns
   * false when Newton fails or the state leaves the material's validity range.
   */
  private newtonSolve(
    h: number,
    c0: number,
    c1: number,
    c2: number,
    base: Float64Array,
    prev: Float64Array,
    out: Float64Array,
  ): boolean {
    const n = this.size;
    const hist = this.hist;
    for (let i = 0; i < n; i++) hist[i] = (c1 * base[i] + (c2 !== 0 ? c2 * prev[i] : 0)) / h;
    for (let i = 0; i < n - 1; i++) out[i] = this.clampX(out[i]);
    const wE = 1 / this.params.absoluteTolerance;
    let previousNorm = Number.POSITIVE_INFINITY;
    for (let it = 0; it < MAX_NEWTON; it++) {
      this.assemble(out, c0 / h, hist, true);
      if (!this.solveTridiagonal()) break;
      let norm = 0;
      for (let i = 0; i < n; i++) {
        const d = this.res[i];
        if (!Number.isFinite(d)) {
          norm = Number.POSITIVE_INFINITY;
          break;
        }
        out[i] -= d;
        const w = i === n - 1 ? wE : this.weights[i];
        const e = d * w;
        norm += e * e;
      }
      this.stats.newtonIterations++;
      norm = Math.sqrt(norm / n);
      if (!Number.isFinite(norm)) break;
      // weighted norm: 1 = the local error tolerance. Converged when the update (or the
      // remaining error predicted from the contraction rate ρ) is 1 % of it (Hairer &
      // Wanner 1996, §IV.8).
      const rho = it > 0 ? norm / previousNorm : 0;
      if (norm < 1e-2 || (it > 0 && rho < 0.9 && (rho / (1 - rho)) * norm < 1e-2)) {
        for (let i = 0; i < n - 1; i++) if (out[i] < this.xLo || out[i] > this.xHi) return false;
        return true;
      }
      if (it > 2 && norm > previousNorm) break; // diverging
      previousNorm = norm;
    }
    this.stats.newtonFailures++;
    return false;
  }

  /**
   * Attempt one step of size h from the accepted state; leaves the result in `trial`.
   * Returns the weighted local error estimate (1 = tolerance; ∞ when the solve failed).
   *
   * After a restart (no history) the step is taken twice, as one backward-Euler step and
   * as two half steps; their difference estimates the local error (step doubling), which
   * stays reliable for stiff transients such as the double-layer charging through a small
   * series resistance (τ ~ µs), where an explicit predictor would not. Later steps are
   * variable-step BDF2 with a quadratic predictor (Milne's device: LTE ≈ (2/11)(u − p)).
   */
  private attempt(h: number): number {
    const n = this.size;
    const u0 = this.u;
    this.setWeights(u0);
    const trial = this.trial;
    this.trialH = h;
    this.trialDoubled = false;
    if (this.history === 0) {
      const full = this.pred;
      full.set(u0);
      if (!this.newtonSolve(h, 1, -1, 0, u0, u0, full)) return Number.POSITIVE_INFINITY;
      const mid = this.mid;
      mid.set(u0);
      if (!this.newtonSolve(0.5 * h, 1, -1, 0, u0, u0, mid)) return Number.POSITIVE_INFINITY;
      trial.set(mid);
      if (!this.newtonSolve(0.5 * h, 1, -1, 0, mid, mid, trial)) return Number.POSITIVE_INFINITY;
      let err = 0;
      for (let i = 0; i < n; i++) {
        const e = (trial[i] - full[i]) * this.weights[i];
        err += e * e;
      }
      this.trialDoubled = true;
      this.midCharge = this.charge + 0.5 * h * this.currentOf(mid);
      this.trialCharge = this.midCharge + 0.5 * h * this.currentOf(trial);
      this.trialRateValue = Math.abs(this.voltageOf(trial) - this.voltageOf(mid)) / (0.5 * h);
      return Math.sqrt(err / n);
    }
    const w = h / this.h1;
    const c0 = (1 + 2 * w) / (1 + w);
    const c1 = -(1 + w);
    const c2 = (w * w) / (1 + w);
    // predictor: polynomial extrapolation through the available history
    const pred = this.pred;
    if (this.history >= 2) {
      // quadratic through (t_{n−2}, u2), (t_{n−1}, u1), (t_n, u0), evaluated at t_n + h
      const tm1 = -this.h1;
      const tm2 = -this.h1 - this.h2;
      const L0 = ((h - tm1) * (h - tm2)) / (tm1 * tm2);
      const L1 = (h * (h - tm2)) / (tm1 * (tm1 - tm2));
      const L2 = (h * (h - tm1)) / (tm2 * (tm2 - tm1));
      for (let i = 0; i < n; i++) pred[i] = L0 * u0[i] + L1 * this.u1[i] + L2 * this.u2[i];
    } else {
      const r = h / this.h1;
      for (let i = 0; i < n; i++) pred[i] = u0[i] + r * (u0[i] - this.u1[i]);
    }
    trial.set(pred);
    if (!this.newtonSolve(h, c0, c1, c2, u0, this.u1, trial)) return Number.POSITIVE_INFINITY;
    // BDF2 vs quadratic predictor: LTE ≈ (2/11)(u − p); vs linear predictor: ≈ (1/2)(u − p)
    const factor = this.history >= 2 ? 2 / 11 : 0.5;
    let err = 0;
    for (let i = 0; i < n; i++) {
      const e = factor * (trial[i] - pred[i]) * this.weights[i];
      err += e * e;
    }
    // consistent charge quadrature: (c0 Q_{n+1} + c1 Q_n + c2 Q_{n−1})/h = I_{n+1}
    this.trialCharge = (h * this.currentOf(trial) - c1 * this.charge - c2 * this.charge1) / c0;
    const vOlder = this.voltageOf(this.u1);
    this.trialRateValue = Math.abs(c0 * this.voltageOf(trial) + c1 * this.voltageOf(u0) + c2 * vOlder) / h;
    return Math.sqrt(err / n);
  }

  /** Accept the trial step. */
  private accept(): void {
    const h = this.trialH;
    if (this.trialDoubled) {
      // history: u_{n−1} = midpoint, u_{n−2} = the old state
      this.u2.set(this.u);
      this.u1.set(this.mid);
      this.u.set(this.trial);
      this.h2 = 0.5 * h;
      this.h1 = 0.5 * h;
      this.charge1 = this.midCharge;
      this.history += 2;
    } else {
      this.u2.set(this.u1);
      this.u1.set(this.u);
      this.u.set(this.trial);
      this.h2 = this.h1;
      this.h1 = h;
      this.charge1 = this.charge;
      this.history++;
    }
    const passed = this.trialCharge - this.charge;
    this.charge = this.trialCharge;
    this.time += h;
    this.stats.acceptedSteps++;
    this.updateSlowState(passed);
  }

  /**
   * Linearisation about the present state under galvanostatic control, for small-signal
   * analysis: the system is M du/dt = f(u, i_tot) and this returns the tridiagonal
   * A = −∂f/∂u (lower/diag/upper, length N + 2) and the mass diagonal M, with
   * ∂f/∂i_tot = e_{N+1} (the interface row). Does not change the state.
   */
  linearize(): { lower: Float64Array; diag: Float64Array; upper: Float64Array; mass: Float64Array } {
    const n = this.size;
    const saved = this.control;
    const savedMass = this.mass[n - 1];
    this.control = { mode: "current", current: this.currentOf(this.u) };
    this.mass[n - 1] = this.params.doubleLayerCapacitance;
    this.hist.fill(0);
    this.assemble(this.u, 0, this.hist, true);
    const out = {
      lower: this.lower.slice(),
      diag: this.diag.slice(),
      upper: this.upper.slice(),
      mass: this.mass.slice(),
    };
    this.control = saved;
    this.mass[n - 1] = savedMass;
    return out;
  }

  // ---------------------------------------------------------------- observables

  private voltageOf(u: Float64Array): number {
    const c = this.control;
    if (c.mode === "voltage") return c.voltage;
    const i = this.totalCurrentDensity(u);
    return u[this.size - 1] + i * this.params.filmResistance + c.current * this.params.ohmicResistance;
  }

  private currentOf(u: Float64Array): number {
    return this.totalCurrentDensity(u) * this.reactingArea;
  }

  /** Present terminal voltage [V]. */
  get voltage(): number {
    return this.voltageOf(this.u);
  }

  /** Present terminal current [A]. */
  get current(): number {
    return this.currentOf(this.u);
  }

  /** Surface Li fraction. */
  get surfaceLithiumFraction(): number {
    return this.u[this.size - 2];
  }

  /** Mean Li fraction of the connected part. */
  private connectedMean(u: Float64Array): number {
    const g = this.grid;
    let s = 0;
    for (let i = 0; i < this.size - 1; i++) s += g.volumes[i] * u[i];
    return s / ((4 / 3) * Math.PI * g.radius ** 3);
  }

  /** Mean Li fraction of the whole particle (the isolated part keeps its initial x). */
  get meanLithiumFraction(): number {
    return this.connected * this.connectedMean(this.u) + (1 - this.connected) * this.xIsolated;
  }

  /** Li content of the connected part [mol]. */
  get lithiumContent(): number {
    return (
      this.connected * this.connectedMean(this.u) * this.cMax * (4 / 3) * Math.PI * this.grid.radius ** 3
    );
  }

  /** Charge stored in the double layer S·C_dl·E [C]. */
  get doubleLayerCharge(): number {
    return this.reactingArea * this.mass[this.size - 1] * this.u[this.size - 1];
  }

  /** Snapshot of the observables. */
  state(): ParticleState {
    const n = this.size;
    const xs = this.clampX(this.u[n - 2]);
    return {
      time: this.time,
      current: this.current,
      voltage: this.voltage,
      faradaicCurrent: this.faradaicDensity(this.u) * this.reactingArea,
      surfaceLithiumFraction: this.u[n - 2],
      meanLithiumFraction: this.meanLithiumFraction,
      overpotential: this.u[n - 1] - this.params.openCircuitPotential(xs),
      charge: this.charge,
    };
  }

  /** Concentration profile x(r_i) (copy), node radii in `grid.nodes`. */
  profile(out = new Float64Array(this.size - 1)): Float64Array {
    out.set(this.u.subarray(0, this.size - 1));
    return out;
  }

  /** Interface potential E [V]. */
  get interfacePotential(): number {
    return this.u[this.size - 1];
  }

  // ---------------------------------------------------------------- stepping

  /**
   * Integrate until one of `stop` is met. Returns the reason. The state ends exactly at
   * the event (voltage within 1e-6 V, current within 1e-6 relative, time exactly).
   * Trial states that leave the material's validity range are rejected, and the surface
   * composition reaching the range's edge (within COMPOSITION_MARGIN) ends the call with
   * "compositionLimit" (the particle is full or empty at its surface).
   * @param maxStep upper bound on the step size [s]
   * @param onStep called after every accepted step (for recording)
   */
  advance(
    stop: StopConditions,
    onStep?: (sim: ParticleSimulator) => void,
    maxStep = Number.POSITIVE_INFINITY,
  ): StopReason {
    const endTime = stop.endTime ?? Number.POSITIVE_INFINITY;
    if (this.time >= endTime) return "time";
    if (this.hNext <= 0 || this.history === 0) this.hNext = this.initialStep(maxStep);
    let lastRate = Number.POSITIVE_INFINITY; // |dV/dt| at the start of the step
    for (;;) {
      let h = Math.min(this.hNext, maxStep, endTime - this.time);
      let clippedByTime = h === endTime - this.time;
      let err = this.attempt(h);
      let tries = 0;
      while (!(err <= 1)) {
        this.stats.rejectedSteps++;
        const factor = Number.isFinite(err) ? Math.max(0.1, 0.9 * err ** (-1 / 3)) : 0.25;
        h *= Math.min(factor, 0.9);
        clippedByTime = false;
        if (h < 1e-15 * Math.max(1, this.time) || ++tries > 80) {
          if (this.compositionMargin(this.u) < 1e-3) return "compositionLimit";
          throw new ConvergenceError(`particle step failed at t = ${this.time} s (h = ${h} s)`, {
            time: this.time,
            step: h,
            error: err,
          });
        }
        err = this.attempt(h);
      }
      // event detection on the trial state: locate every triggered event, keep the earliest
      const triggered = this.triggeredEvents(stop, lastRate);
      if (triggered.length > 0) {
        let best: StopReason = triggered[0];
        let bestH = Number.POSITIVE_INFINITY;
        for (const kind of triggered) {
          if (kind !== triggered[0]) this.attempt(h);
          const hk = this.locateEvent(kind, stop, h, lastRate);
          if (hk < bestH) {
            bestH = hk;
            best = kind;
          }
        }
        if (bestH !== this.trialH) this.attempt(bestH);
        this.accept();
        this.hNext = Math.max(this.trialH, h * 0.5);
        onStep?.(this);
        return best;
      }
      const rate = this.trialRate();
      this.accept();
      lastRate = rate;
      const grow = err > 0 ? Math.min(4, Math.max(0.2, 0.9 * err ** (-1 / 3))) : 4;
      if (!clippedByTime || grow < 1) this.hNext = h * grow;
      onStep?.(this);
      if (clippedByTime || this.time >= endTime) {
        this.time = Math.min(this.time, endTime);
        return "time";
      }
    }
  }

  /**
   * Distance of the surface composition from the validity limit it is being driven toward,
   * less COMPOSITION_MARGIN (> 0: inside).
   */
  private compositionMargin(u: Float64Array): number {
    const xs = u[this.size - 2];
    // direction in which the control drives the surface: the applied current under
    // galvanostatic control (none during a rest), the reaction current under a voltage hold
    const c = this.control;
    const drive = c.mode === "current" ? c.current : this.faradaicDensity(u);
    if (drive > 0) return xs - this.xLo - COMPOSITION_MARGIN;
    if (drive < 0) return this.xHi - xs - COMPOSITION_MARGIN;
    return Number.POSITIVE_INFINITY;
  }

  private initialStep(maxStep: number): number {
    // time scale of the outermost shell and of the surface flux
    const g = this.grid;
    const p = this.params;
    const N = this.size - 2;
    const dr = g.spacings[N - 1];
    const D = p.diffusivity(this.clampX(this.u[N]));
    const tShell = (dr * dr) / D;
    let h = 1e-3 * tShell;
    const i = Math.abs(this.control.mode === "current" ? this.control.current : 0) / this.reactingArea;
    if (i > 0) {
      const rate = (i * this.surfaceArea) / (FARADAY * this.cMax * g.volumes[N]); // dx_N/dt [1/s]
      h = Math.min(h, (0.1 * p.absoluteTolerance) / rate);
    }
    return Math.max(Math.min(h, maxStep), 1e-9);
  }

  /** |dV/dt| at the end of the trial step [V/s], from the BDF derivative of V. */
  private trialRate(): number {
    return this.trialH > 0 ? this.trialRateValue : Number.POSITIVE_INFINITY;
  }

  /** Event function on the trial state: > 0 not yet reached, ≤ 0 reached. */
  private eventValue(kind: StopReason, stop: StopConditions): number {
    switch (kind) {
      case "voltage": {
        const v = this.voltageOf(this.trial);
        const a = stop.voltageAbove !== undefined ? stop.voltageAbove - v : Number.POSITIVE_INFINITY;
        const b = stop.voltageBelow !== undefined ? v - stop.voltageBelow : Number.POSITIVE_INFINITY;
        return Math.min(a, b);
      }
      case "current":
        return Math.abs(this.currentOf(this.trial)) - (stop.currentBelow ?? 0);
      case "voltageRate":
        return this.trialRate() - (stop.voltageRateBelow ?? 0);
      case "charge":
        return (stop.chargeMagnitude ?? 0) - Math.abs(this.trialCharge - (stop.chargeReference ?? 0));
      case "compositionLimit":
        return this.compositionMargin(this.trial);
      default:
        return 1;
    }
  }

  private triggeredEvents(stop: StopConditions, lastRate: number): StopReason[] {
    const out: StopReason[] = [];
    if (
      (stop.voltageAbove !== undefined || stop.voltageBelow !== undefined) &&
      this.eventValue("voltage", stop) <= 0
    ) {
      out.push("voltage");
    }
    if (stop.currentBelow !== undefined && this.eventValue("current", stop) <= 0) out.push("current");
    if (stop.chargeMagnitude !== undefined && this.eventValue("charge", stop) <= 0) out.push("charge");
    if (
      stop.voltageRateBelow !== undefined &&
      Number.isFinite(lastRate) &&
      this.eventValue("voltageRate", stop) <= 0
    ) {
      out.push("voltageRate");
    }
    if (this.compositionMargin(this.trial) <= 0) out.push("compositionLimit");
    return out;
  }

  /**
   * Find the step size h* ∈ (0, h] at whose end the event function crosses zero (Illinois
   * variant of regula falsi on the step size; each evaluation re-solves the step). Leaves
   * the trial state at h* and returns h*. The trial at h must be a converged step with the
   * event reached.
   */
  private locateEvent(kind: StopReason, stop: StopConditions, h: number, lastRate: number): number {
    const tol =
      kind === "voltage"
        ? 1e-6
        : kind === "current"
          ? 1e-6 * (stop.currentBelow ?? 1)
          : kind === "charge"
            ? 1e-9 * (stop.chargeMagnitude ?? 1)
            : kind === "compositionLimit"
              ? 1e-9
              : 1e-3 * (stop.voltageRateBelow ?? 1);
    let gb = this.eventValue(kind, stop);
    if (gb > -tol) return h; // already at the event within tolerance
    // value at h → 0: the accepted state
    let ga: number;
    if (kind === "voltageRate") ga = lastRate - (stop.voltageRateBelow ?? 0);
    else if (kind === "voltage") ga = this.voltageEventAtState(stop);
    else if (kind === "compositionLimit") ga = this.compositionMargin(this.u);
    else if (kind === "charge")
      ga = (stop.chargeMagnitude ?? 0) - Math.abs(this.charge - (stop.chargeReference ?? 0));
    else ga = Math.abs(this.currentOf(this.u)) - (stop.currentBelow ?? 0);
    let a = 0;
    let b = h;
    if (!(ga > 0) || !Number.isFinite(ga)) {
      if (kind !== "voltageRate") {
        // the condition already held at the start of the step: end (almost) immediately
        const hTiny = Math.max(h * 1e-9, 1e-12);
        this.attempt(hTiny);
        return hTiny;
      }
      ga = Number.NaN; // unknown rate at the start: bisect
    }
    let side = 0;
    let bestH = h; // smallest step known to reach the event
    for (let it = 0; it < 60; it++) {
      this.stats.eventIterations++;
      let hc = Number.isFinite(ga) ? b - (gb * (b - a)) / (gb - ga) : 0.5 * (a + b);
      if (!(hc > a && hc < b)) hc = 0.5 * (a + b);
      const err = this.attempt(hc);
      if (!Number.isFinite(err)) {
        // failed solve (e.g. left the validity range): the event lies before hc
        b = hc;
        side = 0;
        ga = Number.NaN;
        continue;
      }
      const gc = this.eventValue(kind, stop);
      if (gc <= 0) {
        bestH = hc;
        if (gc > -tol) return hc;
        b = hc;
        gb = gc;
        if (side === 1 && Number.isFinite(ga)) ga /= 2;
        side = 1;
      } else {
        if (gc < tol && kind !== "voltageRate") return hc; // just short of it, within tolerance
        a = hc;
        ga = gc;
        if (side === -1) gb /= 2;
        side = -1;
      }
      if (b - a < 1e-12 * Math.max(1, this.time)) break;
    }
    this.attempt(bestH);
    return bestH;
  }

  private voltageEventAtState(stop: StopConditions): number {
    const v = this.voltageOf(this.u);
    const a = stop.voltageAbove !== undefined ? stop.voltageAbove - v : Number.POSITIVE_INFINITY;
    const b = stop.voltageBelow !== undefined ? v - stop.voltageBelow : Number.POSITIVE_INFINITY;
    return Math.min(a, b);
  }
}
