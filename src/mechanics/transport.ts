/**
 * Transport-coupled eigenstrain: the radial Li fraction x(r, t) of the spherical single-particle
 * model (SPEC §3.1, Fick diffusion with D(x) and Butler–Volmer kinetics, `ParticleSimulator`)
 * along a charge protocol, recorded at every accepted solver step and interpolated for the
 * fracture run's load steps (seed 001, Parks et al. 2023, §2.6: "a single particle model that
 * permits the solution of the interface over-potential and current density, as well as the
 * particle voltage"; there solved fully coupled with the deformation — here one-way: the
 * lattice strain does not feed back on transport, which Parks' model does through the
 * stress-dependent chemical potential, a small effect for NMC's Ω·σ/(RT) ≲ 0.05 at 100 MPa).
 *
 * A 2D fracture run is the equatorial slice of the sphere, so x at in-plane radius r is the
 * sphere's x(r). Pure computation (no I/O).
 */
import { InputError } from "../errors.js";
import type { ParticleParameters } from "../particle/parameters.js";
import { ParticleSimulator } from "../particle/simulator.js";
import { flattenProtocol } from "../protocol/describe.js";
import { runProtocol } from "../protocol/runner.js";
import type { Protocol } from "../protocol/steps.js";

/** Recorded radial Li profiles along a charge. */
export interface LithiumHistory {
  /** Normalised node radii r_i/R [-], length N + 1 (0 … 1). */
  rho: Float64Array;
  /** Number of records. */
  count: number;
  /** Time of each record [s]. */
  time: Float64Array;
  /** Mean Li fraction of each record [-] (non-increasing: a charge). */
  meanX: Float64Array;
  /** Terminal voltage of each record [V]. */
  voltage: Float64Array;
  /** x at the nodes, record-major: profiles[k·(N+1) + i] [-]. */
  profiles: Float64Array;
}

export interface ChargeHistoryOptions {
  /** Radial intervals of the particle model (default 40). */
  shells?: number;
  /** Further particle parameters (temperature, film resistance, …); material and radius are set. */
  particle?: Omit<ParticleParameters, "material" | "radius" | "shells">;
  /** Upper bound on the solver step [s] (default: none; the error control gives hundreds of records). */
  maxStep?: number;
}

/**
 * Steps a fracture run can follow: constant-current or CC-CV charges and voltage holds. A rest
 * relaxes x(r) at constant mean x, a discharge raises x: neither fits a load path parametrised
 * by the falling mean x, so they are refused (InputError naming the step).
 */
export function checkChargeProtocol(protocol: Protocol): void {
  for (const f of flattenProtocol(protocol)) {
    const s = f.step;
    const ok = ((s.type === "cc" || s.type === "cccv") && s.direction === "charge") || s.type === "cv";
    if (!ok) {
      const what =
        s.type === "rest"
          ? "a rest (x relaxes at constant mean x)"
          : "direction" in s && s.direction === "discharge"
            ? "a discharge (x rises)"
            : `a ${s.type} step`;
      throw new InputError(`fracture follows a charge; ${f.label} is ${what}`, {
        field: "--protocol",
        ...(s.source ? { line: s.source.line, value: s.source.text } : {}),
        expected: 'charge and hold steps only, e.g. "Charge at C/10 until 4.5 V; Hold at 4.5 V until C/50"',
      });
    }
  }
}

/**
 * Run `protocol` on the spherical particle model of `material` with radius `radius` [m] and
 * record x(r) after every accepted solver step (and at t = 0).
 * Throws InputError for protocols that are not a charge (see checkChargeProtocol).
 */
export function chargeLithiumHistory(
  material: ParticleParameters["material"],
  radius: number,
  protocol: Protocol,
  options: ChargeHistoryOptions = {},
): LithiumHistory {
  checkChargeProtocol(protocol);
  const sim = new ParticleSimulator({
    ...options.particle,
    material,
    radius,
    shells: options.shells ?? 40,
  });
  const nodes = sim.grid.shells + 1;
  const rho = Float64Array.from(sim.grid.nodes, (r) => r / radius);
  const time: number[] = [];
  const meanX: number[] = [];
  const voltage: number[] = [];
  const profiles: number[] = [];
  const record = (): void => {
    time.push(sim.time);
    meanX.push(sim.meanLithiumFraction);
    voltage.push(sim.voltage);
    for (let i = 0; i < nodes; i++) profiles.push(sim.u[i]);
  };
  record();
  runProtocol(sim, protocol, {
    record: false,
    maxStep: options.maxStep,
    onProgress: () => {
      if (sim.time > time[time.length - 1]) record();
    },
  });
  // a charge lowers the mean x; a hold above the present voltage could raise it
  for (let k = 1; k < meanX.length; k++)
    if (meanX[k] > meanX[k - 1] + 1e-9)
      throw new InputError(`the protocol raises the mean Li fraction at t = ${time[k].toFixed(0)} s`, {
        field: "--protocol",
        expected: "a charge: mean x non-increasing",
      });
  return {
    rho,
    count: meanX.length,
    time: Float64Array.from(time),
    meanX: Float64Array.from(meanX),
    voltage: Float64Array.from(voltage),
    profiles: Float64Array.from(profiles),
  };
}

/** The state of a history at mean Li fraction `meanX` (linear between records). */
export interface HistoryState {
  /** Terminal voltage [V]. */
  voltage: number;
  /** Time [s]. */
  time: number;
  /** x at normalised radius ρ ∈ [0, 1] (linear between nodes) [-]. */
  profile(rho: number): number;
  /** x at the centre and the surface [-]. */
  centre: number;
  surface: number;
}

/**
 * Interpolate a history at mean Li fraction `meanX` (clamped to the recorded range): the last
 * record pair bracketing it (a hold that ends at constant x takes its final record), linear in
 * mean x between them.
 */
export function historyAt(history: LithiumHistory, meanX: number): HistoryState {
  const { meanX: mx, count, rho } = history;
  const nodes = rho.length;
  let k = 0;
  if (meanX <= mx[count - 1]) k = count - 2;
  else {
    // mx is non-increasing: last k with mx[k] ≥ meanX
    let lo = 0;
    let hi = count - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (mx[mid] >= meanX) lo = mid;
      else hi = mid;
    }
    k = lo;
  }
  if (count === 1) k = 0;
  const k1 = Math.min(count - 1, k + 1);
  const span = mx[k] - mx[k1];
  let t = span > 0 ? (mx[k] - meanX) / span : 1;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const node = (i: number): number =>
    (1 - t) * history.profiles[k * nodes + i] + t * history.profiles[k1 * nodes + i];
  const profile = (r: number): number => {
    if (r <= 0) return node(0);
    if (r >= 1) return node(nodes - 1);
    let lo = 0;
    let hi = nodes - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (rho[mid] <= r) lo = mid;
      else hi = mid;
    }
    const w = (r - rho[lo]) / (rho[hi] - rho[lo]);
    return (1 - w) * node(lo) + w * node(hi);
  };
  return {
    voltage: (1 - t) * history.voltage[k] + t * history.voltage[k1],
    time: (1 - t) * history.time[k] + t * history.time[k1],
    profile,
    centre: node(0),
    surface: node(nodes - 1),
  };
}
