/**
 * Parameters of the single-particle model (SPEC §3.1). All SI.
 */
import { InputError } from "../errors.js";
import type { ContactLossLaw, Material } from "../materials/material.js";

export interface ParticleParameters {
  /** Cathode material (OCV, D(x), i0(x), …). */
  material: Material;
  /** Particle radius R_p [m]. */
  radius: number;
  /** Number of radial intervals (default 20). */
  shells?: number;
  /** Ratio of the innermost to the outermost radial spacing (≥ 1, default 1 = uniform). */
  refinement?: number;
  /** Temperature [K] (default 298.15). */
  temperature?: number;
  /** Electrolyte Li⁺ concentration c_l [mol/m³] (default: the material's reference). */
  electrolyteConcentration?: number;
  /** Double-layer capacitance [F/m²] (default: the material's; 0 = none). */
  doubleLayerCapacitance?: number;
  /** Area-specific film (surface layer) resistance R_film [Ω·m²] (default 0). */
  filmResistance?: number;
  /** Ohmic (electrolyte + contact) resistance R_ohm [Ω] in series with the particle (default 0). */
  ohmicResistance?: number;
  /** Factor on the geometric surface area 4πR² that reacts (default 1; cracks > 1, coatings < 1). */
  activeAreaFactor?: number;
  /** Volume fraction of the particle that is electrically isolated and does not react (default 0). */
  isolatedFraction?: number;
  /** Initial uniform Li fraction x (default: the material's nominal xMax). */
  initialLithiumFraction?: number;
  /** Override of the chemical diffusivity D(x) [m²/s]. */
  diffusivity?: (x: number) => number;
  /** Override of the exchange current density i0(x) [A/m²]. */
  exchangeCurrentDensity?: (x: number) => number;
  /** Override of the open-circuit potential U(x) [V] and its derivative dU/dx [V]; both or neither. */
  openCircuitPotential?: (x: number) => number;
  openCircuitPotentialDerivative?: (x: number) => number;
  /**
   * Evaluate the material functions through cached cubic Hermite tables (default true;
   * ~20× faster, interpolation error < 1e-10 relative). false = call them directly.
   */
  tabulate?: boolean;
  /**
   * Charge-driven, irreversible contact loss (default none; e.g. `material.contactLoss` for bare
   * NCA, seed 000): after every accepted step the isolated fraction becomes
   * max(φ, law(lowest surface x so far)) — the surface is where the lattice collapses first
   * and cracks open; at rest it equals the mean — the newly isolated grains keep the present
   * mean composition (so the particle's mean x is unchanged), and the reacting area is scaled
   * by (1 − φ).
   */
  contactLoss?: ContactLossLaw | null;
  /**
   * Direction-dependent i0 (default off): i0 = w·i0_charge(x) + (1 − w)·i0_discharge(x), where
   * w → 1 while the particle is charged (delithiated, I > 0) and → 0 while discharged, relaxing
   * exponentially with the charge passed, w_target + (w − w_target)·exp(−|ΔQ|/Q_switch), and
   * kept at rest. As PyBaMM's "current sigmoid" exchange-current option, but with memory: EIS
   * at rest after a discharge step sees the discharge i0, as in seed 000's measurements.
   * `discharge` defaults to `material.dischargeExchangeCurrentDensity` (error if it has none).
   */
  directionalExchangeCurrent?: {
    /** i0 on discharge [A/m²] at Li fraction x. */
    discharge?: (x: number) => number;
    /**
     * Charge over which the switch happens, as a fraction of the nominal capacity (default 1e-8:
     * as instant as PyBaMM's sigmoid of the current, within milliseconds of a seed-000 PITT
     * step; 1e-3 and 1e-5 spread the switch over the first 100 s and 10 s of a reaction-limited
     * PITT step, an extra decay the sphere series cannot fit).
     */
    switchingCharge?: number;
    /** Initial weight of the charge table (default 1: a pristine particle is charged first). */
    initialChargeWeight?: number;
  } | null;
  /** Relative tolerance of the local error control (default 1e-4). */
  relativeTolerance?: number;
  /** Absolute tolerance on x (default 2e-5). */
  absoluteTolerance?: number;
}

/** Fully resolved parameters with defaults applied and validated. */
export interface ResolvedParticleParameters
  extends Required<
    Omit<ParticleParameters, "initialLithiumFraction" | "contactLoss" | "directionalExchangeCurrent">
  > {
  contactLoss: ContactLossLaw | null;
  /** Discharge i0 [A/m²], switching charge [C] and initial weight of the charge table, or null. */
  directionalExchangeCurrent: {
    discharge: (x: number) => number;
    switchingCharge: number;
    initialChargeWeight: number;
  } | null;
  /** Which material functions were overridden by the caller. */
  overridden: { diffusivity: boolean; exchangeCurrentDensity: boolean; openCircuitPotential: boolean };
  initialLithiumFraction: number;
  /** Nominal capacity of the particle over the material's window [C]. */
  nominalCapacity: number;
}

function positive(value: number, field: string, unit: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new InputError(`${field} must be a positive number`, {
      field,
      value: String(value),
      expected: `> 0 ${unit}`,
    });
  }
  return value;
}

function nonNegative(value: number, field: string, unit: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new InputError(`${field} must be ≥ 0`, { field, value: String(value), expected: `≥ 0 ${unit}` });
  }
  return value;
}

/** Apply defaults and validate; throws InputError on bad values. */
export function resolveParticleParameters(p: ParticleParameters): ResolvedParticleParameters {
  const m = p.material;
  positive(p.radius, "radius", "m");
  const shells = p.shells ?? 20;
  if (!Number.isInteger(shells) || shells < 2 || shells > 10000) {
    throw new InputError("shells must be an integer between 2 and 10000", {
      field: "shells",
      value: String(shells),
    });
  }
  const refinement = p.refinement ?? 1;
  if (!(refinement >= 1) || !Number.isFinite(refinement)) {
    throw new InputError("refinement must be ≥ 1", { field: "refinement", value: String(refinement) });
  }
  const temperature = positive(p.temperature ?? 298.15, "temperature", "K");
  const electrolyteConcentration = positive(
    p.electrolyteConcentration ?? m.referenceElectrolyteConcentration,
    "electrolyteConcentration",
    "mol/m³",
  );
  const doubleLayerCapacitance = nonNegative(
    p.doubleLayerCapacitance ?? m.doubleLayerCapacitance,
    "doubleLayerCapacitance",
    "F/m²",
  );
  const filmResistance = nonNegative(p.filmResistance ?? 0, "filmResistance", "Ω·m²");
  const ohmicResistance = nonNegative(p.ohmicResistance ?? 0, "ohmicResistance", "Ω");
  const activeAreaFactor = positive(p.activeAreaFactor ?? 1, "activeAreaFactor", "");
  const isolatedFraction = p.isolatedFraction ?? 0;
  if (!(isolatedFraction >= 0 && isolatedFraction < 1)) {
    throw new InputError("isolatedFraction must be in [0, 1)", {
      field: "isolatedFraction",
      value: String(isolatedFraction),
    });
  }
  const x0 = p.initialLithiumFraction ?? m.nominalWindow.xMax;
  const [lo, hi] = m.validRange;
  if (!(x0 >= lo && x0 <= hi)) {
    throw new InputError(`initial Li fraction outside the validity range of ${m.name}`, {
      field: "initialLithiumFraction",
      value: String(x0),
      expected: `${lo} ≤ x ≤ ${hi}`,
    });
  }
  if ((p.openCircuitPotential === undefined) !== (p.openCircuitPotentialDerivative === undefined)) {
    throw new InputError("give both openCircuitPotential and openCircuitPotentialDerivative, or neither", {
      field: "openCircuitPotential",
    });
  }
  const T = temperature;
  const cl = electrolyteConcentration;
  const volume = (4 / 3) * Math.PI * p.radius ** 3;
  const nominalCapacity =
    96485.33212 * m.maxConcentration * volume * (m.nominalWindow.xMax - m.nominalWindow.xMin);
  let directional: ResolvedParticleParameters["directionalExchangeCurrent"] = null;
  const d = p.directionalExchangeCurrent;
  if (d) {
    const materialDischarge = m.dischargeExchangeCurrentDensity;
    const discharge =
      d.discharge ?? (materialDischarge ? (x: number) => materialDischarge(x, cl, T) : undefined);
    if (!discharge) {
      throw new InputError(`${m.name} has no discharge exchange current density`, {
        field: "directionalExchangeCurrent.discharge",
        expected: "a function i0_discharge(x) [A/m²], or a material that defines one (NMC111)",
      });
    }
    const w0 = d.initialChargeWeight ?? 1;
    if (!(w0 >= 0 && w0 <= 1)) {
      throw new InputError("initialChargeWeight must be in [0, 1]", {
        field: "directionalExchangeCurrent.initialChargeWeight",
        value: String(w0),
      });
    }
    directional = {
      discharge,
      switchingCharge:
        positive(d.switchingCharge ?? 1e-8, "directionalExchangeCurrent.switchingCharge", "") *
        nominalCapacity,
      initialChargeWeight: w0,
    };
  }
  return {
    material: m,
    radius: p.radius,
    shells,
    refinement,
    temperature,
    electrolyteConcentration,
    doubleLayerCapacitance,
    filmResistance,
    ohmicResistance,
    activeAreaFactor,
    isolatedFraction,
    initialLithiumFraction: x0,
    tabulate: p.tabulate ?? true,
    overridden: {
      diffusivity: p.diffusivity !== undefined,
      exchangeCurrentDensity: p.exchangeCurrentDensity !== undefined,
      openCircuitPotential: p.openCircuitPotential !== undefined,
    },
    diffusivity: p.diffusivity ?? ((x) => m.chemicalDiffusivity(x, T)),
    exchangeCurrentDensity: p.exchangeCurrentDensity ?? ((x) => m.exchangeCurrentDensity(x, cl, T)),
    openCircuitPotential: p.openCircuitPotential ?? ((x) => m.openCircuitPotential(x)),
    openCircuitPotentialDerivative:
      p.openCircuitPotentialDerivative ?? ((x) => m.openCircuitPotentialDerivative(x)),
    relativeTolerance: positive(p.relativeTolerance ?? 1e-4, "relativeTolerance", ""),
    absoluteTolerance: positive(p.absoluteTolerance ?? 2e-5, "absoluteTolerance", ""),
    contactLoss: p.contactLoss ?? null,
    directionalExchangeCurrent: directional,
    nominalCapacity,
  };
}
