/**
 * Plain-data descriptions of materials for the CLI (`cathodelab materials`), reports and the web
 * app: every property with its SI value (or samples over x), the customary unit papers use
 * (D in cm²/s, i0 in mA/cm², κ in S/cm, a/c in Å, capacities in mAh/g and mAh/cm³) and its
 * provenance. Pure computation, no I/O.
 */
import { T_REF } from "../constants.js";
import { InputError } from "../errors.js";
import type { Material, PropertyInfo } from "./material.js";

/** Default sample points in x for function-valued properties. */
export const DEFAULT_SAMPLE_X: readonly number[] = [1.0, 0.8, 0.6, 0.4, 0.3];

/** A value in SI and in the customary unit. */
export interface Sample {
  x: number;
  value: number;
  customary: number;
}

export interface PropertySummary {
  key: string;
  name: string;
  /** SI unit. */
  unit: string;
  /** Customary unit and the factor customary = SI × factor. */
  customaryUnit: string;
  customaryFactor: number;
  /** For constants. */
  value?: number;
  customaryValue?: number;
  /** For functions of x. */
  samples?: Sample[];
  validRange?: readonly [number, number];
  source: string;
  seed?: string;
  assumption: boolean;
  note?: string;
}

export interface MaterialSummary {
  name: string;
  formula: string;
  aliases: readonly string[];
  nominalWindow: { xMin: number; xMax: number };
  validRange: readonly [number, number];
  temperature: number;
  electrolyteConcentration: number;
  properties: PropertySummary[];
}

export interface MaterialRow {
  name: string;
  formula: string;
  aliases: readonly string[];
  xMin: number;
  xMax: number;
  /** U at xMax and xMin [V]. */
  voltageMin: number;
  voltageMax: number;
  maxConcentration: number;
  practicalCapacity_mAh_g: number;
  theoreticalCapacity_mAh_g: number;
  youngsModulus_GPa: number;
}

/** Customary display unit per property key: [unit, factor from SI]. */
const CUSTOMARY: Record<string, [string, number]> = {
  openCircuitPotential: ["V", 1],
  openCircuitPotentialDerivative: ["V", 1],
  chemicalDiffusivity: ["cm^2/s", 1e4],
  exchangeCurrentDensity: ["mA/cm^2", 0.1],
  electronicConductivity: ["S/cm", 0.01],
  latticeA: ["Å", 1e10],
  latticeC: ["Å", 1e10],
  maxConcentration: ["mol/m^3", 1],
  density: ["g/cm^3", 1e-3],
  molarMass: ["g/mol", 1e3],
  theoreticalCapacity: ["mAh/g", 1 / 3600],
  practicalCapacity: ["mAh/g", 1 / 3600],
  volumetricCapacity: ["mAh/cm^3", 1 / 3.6e6],
  youngsModulus: ["GPa", 1e-9],
  poissonRatio: ["-", 1],
  doubleLayerCapacitance: ["µF/cm^2", 100],
  transferCoefficients: ["-", 1],
  referenceElectrolyteConcentration: ["mol/L", 1e-3],
  typicalParticleRadius: ["µm", 1e6],
};

/** Order in which properties are listed. */
const ORDER = [
  "nominalWindow",
  "validRange",
  "openCircuitPotential",
  "openCircuitPotentialDerivative",
  "chemicalDiffusivity",
  "exchangeCurrentDensity",
  "electronicConductivity",
  "latticeA",
  "latticeC",
  "maxConcentration",
  "density",
  "molarMass",
  "theoreticalCapacity",
  "practicalCapacity",
  "volumetricCapacity",
  "youngsModulus",
  "poissonRatio",
  "doubleLayerCapacitance",
  "transferCoefficients",
  "referenceElectrolyteConcentration",
  "typicalParticleRadius",
];

/** One row per material for the overview table. */
export function materialRow(m: Material): MaterialRow {
  return {
    name: m.name,
    formula: m.formula,
    aliases: m.aliases,
    xMin: m.nominalWindow.xMin,
    xMax: m.nominalWindow.xMax,
    voltageMin: m.openCircuitPotential(m.nominalWindow.xMax),
    voltageMax: m.openCircuitPotential(m.nominalWindow.xMin),
    maxConcentration: m.maxConcentration,
    practicalCapacity_mAh_g: m.practicalCapacity / 3600,
    theoreticalCapacity_mAh_g: m.theoreticalCapacity / 3600,
    youngsModulus_GPa: m.youngsModulus * 1e-9,
  };
}

/**
 * Every property of `m`: constants with their value, functions sampled at `xs`.
 * @param xs Li fractions to sample (each inside m.validRange, else InputError)
 * @param temperature [K] for D and i0
 * @param electrolyteConcentration [mol/m³] for i0 (default: the material's reference)
 */
export function describeMaterial(
  m: Material,
  options: { xs?: readonly number[]; temperature?: number; electrolyteConcentration?: number } = {},
): MaterialSummary {
  const xs = options.xs ?? DEFAULT_SAMPLE_X;
  const temperature = options.temperature ?? T_REF;
  const cl = options.electrolyteConcentration ?? m.referenceElectrolyteConcentration;
  const [lo, hi] = m.validRange;
  for (const x of xs) {
    if (!(x >= lo && x <= hi))
      throw new InputError(`x = ${x} is outside the valid range of ${m.name}`, {
        field: "--x",
        value: String(x),
        expected: `Li fractions in [${lo}, ${hi}]`,
      });
  }
  const fns: Record<string, (x: number) => number> = {
    openCircuitPotential: (x) => m.openCircuitPotential(x),
    openCircuitPotentialDerivative: (x) => m.openCircuitPotentialDerivative(x),
    chemicalDiffusivity: (x) => m.chemicalDiffusivity(x, temperature),
    exchangeCurrentDensity: (x) => m.exchangeCurrentDensity(x, cl, temperature),
    electronicConductivity: (x) => m.electronicConductivity(x),
    latticeA: (x) => m.latticeA(x),
    latticeC: (x) => m.latticeC(x),
  };
  const keys = [
    ...ORDER.filter((k) => k in m.properties),
    ...Object.keys(m.properties).filter((k) => !ORDER.includes(k)),
  ];
  const properties = keys.map((key): PropertySummary => {
    const info: PropertyInfo = m.properties[key];
    const [customaryUnit, customaryFactor] = CUSTOMARY[key] ?? [info.unit, 1];
    const base: PropertySummary = {
      key,
      name: info.name,
      unit: info.unit,
      customaryUnit,
      customaryFactor,
      validRange: info.validRange,
      source: info.source,
      seed: info.seed,
      assumption: info.assumption === true,
      note: info.note,
    };
    const f = fns[key];
    if (f) {
      base.samples = xs.map((x) => {
        const value = f(x);
        return { x, value, customary: value * customaryFactor };
      });
    } else if (info.value !== undefined) {
      base.value = info.value;
      base.customaryValue = info.value * customaryFactor;
    }
    return base;
  });
  return {
    name: m.name,
    formula: m.formula,
    aliases: m.aliases,
    nominalWindow: { ...m.nominalWindow },
    validRange: m.validRange,
    temperature,
    electrolyteConcentration: cl,
    properties,
  };
}
