/**
 * Full-model GITT fit (issue 3 item 4): each pulse (current pulse + following rest) is
 * simulated with the single-particle model of SPEC §3.1 — spherical diffusion with a
 * constant D over the pulse, Butler–Volmer with a constant i0, the material's (or a
 * measured) OCV U(x), a series resistance — and D, i0 and R_s are fitted to the measured
 * V(t) by bounded least squares in log-parameters. Unlike Weppner–Huggins it needs no
 * short-pulse assumption (τ ≪ R²/D), no planar approximation and no separate IR-drop
 * treatment: the ohmic and kinetic overpotentials are part of the model.
 *
 * The initial composition is found from the relaxed voltage before the pulse by inverting
 * U(x) (Brent), as a researcher would from the OCV curve.
 */
import { InputError } from "../../errors.js";
import type { Material } from "../../materials/material.js";
import { leastSquares } from "../../numerics/least-squares.js";
import { brentq } from "../../numerics/roots.js";
import { ParticleSimulator } from "../../particle/simulator.js";

export interface GittFullModelOptions {
  material: Material;
  /** Particle radius [m]. */
  radius: number;
  /** OCV U(x) [V] and dU/dx [V] to use instead of the material's (e.g. from relaxed GITT voltages). */
  openCircuitPotential?: (x: number) => number;
  openCircuitPotentialDerivative?: (x: number) => number;
  /** Initial guesses: D [m²/s] (default the material's at x_start), i0 [A/m²] (material's), R_s [Ω] (from the IR step). */
  initialDiffusivity?: number;
  initialExchangeCurrentDensity?: number;
  initialSeriesResistance?: number;
  /**
   * Fit the series resistance (default true) and i0 (default false). In the linear regime of
   * a small GITT pulse the kinetic overpotential is I·RT/(F·A·i0), indistinguishable from
   * the ohmic drop I·R_s: only their sum is determined, so i0 is held at its initial value
   * unless asked for (and then its interval shows whether the data determine it).
   */
  fitResistance?: boolean;
  fitExchangeCurrent?: boolean;
  /** Radial shells of the model (default 20). */
  shells?: number;
  /** Temperature [K] (default 298.15). */
  temperature?: number;
}

export interface GittFullModelResult {
  /** Fitted chemical diffusivity [m²/s] and its 95 % interval. */
  diffusivity: number;
  diffusivityCi: [number, number];
  /** Fitted exchange current density [A/m²] (material value when not fitted). */
  exchangeCurrentDensity: number;
  exchangeCurrentDensityCi: [number, number];
  /** Series resistance [Ω]. */
  seriesResistance: number;
  /** Composition before the pulse (from the relaxed voltage). */
  xStart: number;
  /** RMS of V_model − V_data [V]. */
  rmsResidual: number;
  converged: boolean;
  /** Model voltage at the data times [V]. */
  fitted: Float64Array;
}

/**
 * Fit one GITT pulse. `time` [s] starts at the switch-on (t = 0) and runs through the rest
 * after the pulse; `current` [A] (positive = charge) is the applied current at each sample
 * (the pulse current, then 0); `voltage` [V]. `restVoltage` is the relaxed voltage before the
 * pulse [V].
 */
export function fitGittPulseFullModel(
  time: ArrayLike<number>,
  current: ArrayLike<number>,
  voltage: ArrayLike<number>,
  restVoltage: number,
  options: GittFullModelOptions,
): GittFullModelResult {
  const n = time.length;
  if (n < 5 || current.length !== n || voltage.length !== n) {
    throw new InputError("a GITT pulse needs ≥ 5 samples of time, current and voltage of equal length", {
      field: "pulse",
    });
  }
  const m = options.material;
  const U = options.openCircuitPotential ?? ((x: number) => m.openCircuitPotential(x));
  const dU = options.openCircuitPotentialDerivative ?? ((x: number) => m.openCircuitPotentialDerivative(x));
  const T = options.temperature ?? 298.15;
  const [lo, hi] = m.validRange;
  const uLo = U(hi);
  const uHi = U(lo);
  if (!(restVoltage > uLo && restVoltage < uHi)) {
    throw new InputError(
      `relaxed voltage ${restVoltage} V lies outside the OCV range ${uLo.toFixed(3)}–${uHi.toFixed(3)} V`,
      {
        field: "restVoltage",
      },
    );
  }
  const xStart = brentq((x) => U(x) - restVoltage, lo, hi, { xTol: 1e-12 });
  // piecewise-constant current: switch points where the applied current changes
  const segments: { end: number; current: number }[] = [];
  for (let k = 1; k < n; k++) {
    const c = current[k];
    const last = segments[segments.length - 1];
    if (last && Math.abs(last.current - c) <= 1e-9 * Math.max(Math.abs(c), Math.abs(last.current)))
      last.end = time[k];
    else segments.push({ end: time[k], current: c });
  }
  // the current given at sample k applies on (t_{k−1}, t_k]
  const pulseCurrent = Math.max(...segments.map((s) => Math.abs(s.current)));
  if (!(pulseCurrent > 0)) throw new InputError("the pulse carries no current", { field: "current" });
  // initial guesses
  const d0 = options.initialDiffusivity ?? m.chemicalDiffusivity(xStart, T);
  const i00 =
    options.initialExchangeCurrentDensity ??
    m.exchangeCurrentDensity(xStart, m.referenceElectrolyteConcentration, T);
  let firstOn = 1;
  while (firstOn < n && current[firstOn] === 0) firstOn++;
  const irStep = firstOn < n ? Math.abs(voltage[firstOn] - restVoltage) / pulseCurrent : 0;
  const r0 = options.initialSeriesResistance ?? Math.max(irStep * 0.5, 1e-3);
  const fitR = options.fitResistance ?? true;
  const fitI0 = options.fitExchangeCurrent ?? false;
  const model = new Float64Array(n);

  const simulate = (p: Float64Array, out: Float64Array) => {
    const D = Math.exp(p[0]);
    const i0 = Math.exp(p[1]);
    const rs = Math.exp(p[2]);
    const sim = new ParticleSimulator({
      material: m,
      radius: options.radius,
      shells: options.shells ?? 20,
      initialLithiumFraction: xStart,
      diffusivity: () => D,
      exchangeCurrentDensity: () => i0,
      openCircuitPotential: U,
      openCircuitPotentialDerivative: dU,
      ohmicResistance: rs,
      doubleLayerCapacitance: 0,
      tabulate: false,
      relativeTolerance: 1e-6,
      absoluteTolerance: 1e-7,
    });
    out[0] = sim.voltage;
    let seg = 0;
    sim.setControl({ mode: "current", current: segments[0].current });
    for (let k = 1; k < n; k++) {
      while (seg < segments.length - 1 && time[k] > segments[seg].end) {
        seg++;
        sim.setControl({ mode: "current", current: segments[seg].current });
      }
      const reason = sim.advance({ endTime: time[k] });
      if (reason !== "time") {
        // the composition limit was reached: penalise smoothly instead of failing
        for (let j = k; j < n; j++) out[j] = sim.voltage + 1;
        return;
      }
      out[k] = sim.voltage;
    }
  };

  const p0 = new Float64Array([Math.log(d0), Math.log(i00), Math.log(r0)]);
  const fixed = [false, !fitI0, !fitR];
  const result = leastSquares(
    {
      nResiduals: n,
      residual: (p, out) => {
        simulate(p, model);
        for (let k = 0; k < n; k++) out[k] = model[k] - voltage[k];
      },
    },
    p0,
    {
      fixed,
      lower: [Math.log(1e-20), Math.log(1e-8), Math.log(1e-9)],
      upper: [Math.log(1e-8), Math.log(1e4), Math.log(1e12)],
      maxIterations: 100,
    },
  );
  simulate(result.params, model);
  let ss = 0;
  for (let k = 0; k < n; k++) ss += (model[k] - voltage[k]) ** 2;
  const ci = (j: number): [number, number] => {
    const v = Math.exp(result.params[j]);
    const h = result.confidenceInterval95[j];
    return Number.isFinite(h) ? [v * Math.exp(-h), v * Math.exp(h)] : [0, Number.POSITIVE_INFINITY];
  };
  return {
    diffusivity: Math.exp(result.params[0]),
    diffusivityCi: ci(0),
    exchangeCurrentDensity: Math.exp(result.params[1]),
    exchangeCurrentDensityCi: fitI0 ? ci(1) : [Math.exp(result.params[1]), Math.exp(result.params[1])],
    seriesResistance: Math.exp(result.params[2]),
    xStart,
    rmsResidual: Math.sqrt(ss / n),
    converged: result.converged,
    fitted: model.slice(),
  };
}
