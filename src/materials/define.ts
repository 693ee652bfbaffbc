/**
 * Assemble a `Material` from its functions, lattice table and provenance, deriving the
 * crystallographic quantities consistently:
 *   M from the formula; ρ = 3M/(N_A·V(x=1)) with V = (√3/2)a²c (Z = 3, R-3m);
 *   c_max = ρ/M (so that sto = c/c_max = x exactly);
 *   Q_th = F/M; Q_pr = Q_th·(xMax − xMin); Q_vol = Q_pr·ρ.
 */
import { T_REF } from "../constants.js";
import {
  ANGSTROM,
  type Differentiable,
  layeredOxideMolarMass,
  MAH_PER_CM3,
  MAH_PER_G,
  theoreticalSpecificCapacity,
  xrayDensity,
} from "./common.js";
import type { ContactLossLaw, Material, MaterialName, PropertyInfo, Provenance } from "./material.js";
import { MonotoneCubic } from "./tabulated.js";

/** Lattice parameters tabulated against Li fraction, in Å (converted to m here). */
export interface LatticeTable extends Provenance {
  x: readonly number[];
  aAngstrom: readonly number[];
  cAngstrom: readonly number[];
}

export interface MaterialSpec {
  name: MaterialName;
  aliases: readonly string[];
  formula: string;
  metals: Partial<Record<"Ni" | "Mn" | "Co" | "Al", number>>;
  nominalWindow: { xMin: number; xMax: number };
  validRange: readonly [number, number];
  /** OCV U(x) [V] with analytic dU/dx [V]. */
  ocv: Differentiable;
  ocvInfo: Provenance & { name?: string };
  diffusivity: (x: number, temperature: number) => number;
  diffusivityInfo: Provenance;
  exchangeCurrent: (x: number, electrolyteConcentration: number, temperature: number) => number;
  exchangeCurrentInfo: Provenance;
  conductivity: (x: number) => number;
  conductivityInfo: Provenance;
  lattice: LatticeTable;
  youngsModulus: number;
  poissonRatio: number;
  elasticInfo: Provenance;
  doubleLayerCapacitance: number;
  doubleLayerInfo: Provenance;
  transferCoefficients: { anodic: number; cathodic: number };
  transferInfo: Provenance;
  referenceElectrolyteConcentration: number;
  windowInfo: Provenance;
  typicalParticleRadius?: number;
  radiusInfo?: Provenance;
  /** Published c_max of the source parameter set [mol/m³], reported beside ρ/M. */
  publishedMaxConcentration?: { value: number; source: string };
  /** i0 on DISCHARGE [A/m²] where the source reports one that differs from charge (seed 000: NMC333). */
  dischargeExchangeCurrent?: (x: number, electrolyteConcentration: number, temperature: number) => number;
  dischargeExchangeCurrentInfo?: Provenance;
  /** Irreversible, charge-driven contact loss of the secondary particle (seed 000: bare NCA). */
  contactLoss?: ContactLossLaw;
}

/** Build and freeze a Material from its spec. */
export function defineMaterial(spec: MaterialSpec): Material {
  const molarMass = layeredOxideMolarMass(spec.metals);
  const latticeA = new MonotoneCubic(
    spec.lattice.x,
    spec.lattice.aAngstrom.map((v) => v * ANGSTROM),
    "clamp",
  );
  const latticeC = new MonotoneCubic(
    spec.lattice.x,
    spec.lattice.cAngstrom.map((v) => v * ANGSTROM),
    "clamp",
  );
  const a1 = latticeA.value(1);
  const c1 = latticeC.value(1);
  const density = xrayDensity(a1, c1, molarMass);
  const maxConcentration = density / molarMass;
  const theoreticalCapacity = theoreticalSpecificCapacity(molarMass);
  const { xMin, xMax } = spec.nominalWindow;
  const practicalCapacity = theoreticalCapacity * (xMax - xMin);
  const volumetricCapacity = practicalCapacity * density;
  const range = spec.validRange;
  const ref = spec.referenceElectrolyteConcentration;
  const crystal: Provenance = {
    source: `${spec.lattice.source} (pristine a, c) with Z = 3 formula units per R-3m cell`,
    seed: spec.lattice.seed,
    note: "ρ = 3M/(N_A·(√3/2)a²c) at x = 1; M from IUPAC atomic weights",
  };
  const published = spec.publishedMaxConcentration;

  const properties: Record<string, PropertyInfo> = {
    nominalWindow: { name: "nominal cycling window in x", unit: "-", ...spec.windowInfo },
    validRange: {
      name: "range of x over which every function is defined, finite and smooth",
      unit: "-",
      source: "cathodelab (this module)",
      note: "analytic OCV fits are continued linearly (C¹) outside the range they were fitted on; tabulated data are clamped beyond their ends",
      validRange: range,
    },
    molarMass: {
      name: "molar mass of LiMO2",
      unit: "kg/mol",
      value: molarMass,
      source: `nominal formula ${spec.formula}, IUPAC atomic weights`,
    },
    density: { name: "crystallographic (X-ray) density", unit: "kg/m^3", value: density, ...crystal },
    maxConcentration: {
      name: "maximum Li concentration (x = 1)",
      unit: "mol/m^3",
      value: maxConcentration,
      ...crystal,
      note: `c_max = ρ/M so that x = c/c_max${published ? `; the source parameter set uses ${published.value} mol/m³ (${published.source})` : ""}`,
    },
    theoreticalCapacity: {
      name: "theoretical specific capacity (x 1 → 0)",
      unit: "C/kg",
      value: theoreticalCapacity,
      source: "F/M",
      note: `${(theoreticalCapacity / MAH_PER_G).toFixed(1)} mAh/g`,
    },
    practicalCapacity: {
      name: "practical specific capacity over the nominal window",
      unit: "C/kg",
      value: practicalCapacity,
      source: "F·(xMax − xMin)/M",
      note: `${(practicalCapacity / MAH_PER_G).toFixed(1)} mAh/g`,
    },
    volumetricCapacity: {
      name: "practical volumetric capacity",
      unit: "C/m^3",
      value: volumetricCapacity,
      source: "practical capacity × density",
      note: `${(volumetricCapacity / MAH_PER_CM3).toFixed(0)} mAh/cm³`,
    },
    openCircuitPotential: {
      name: spec.ocvInfo.name ?? "open-circuit potential vs Li/Li+",
      unit: "V",
      validRange: range,
      ...spec.ocvInfo,
    },
    openCircuitPotentialDerivative: {
      name: "dU/dx",
      unit: "V",
      validRange: range,
      source: "analytic derivative of the open-circuit potential",
      note: "exact derivative of the same expression (checked against central differences in the tests)",
    },
    chemicalDiffusivity: {
      name: "chemical diffusivity D(x, T)",
      unit: "m^2/s",
      validRange: range,
      ...spec.diffusivityInfo,
    },
    exchangeCurrentDensity: {
      name: "exchange current density i0(x, c_l, T)",
      unit: "A/m^2",
      validRange: range,
      ...spec.exchangeCurrentInfo,
    },
    electronicConductivity: {
      name: "electronic conductivity κ(x)",
      unit: "S/m",
      validRange: range,
      ...spec.conductivityInfo,
    },
    latticeA: {
      name: "lattice parameter a(x)",
      unit: "m",
      validRange: range,
      source: spec.lattice.source,
      seed: spec.lattice.seed,
      assumption: spec.lattice.assumption,
      note: `PCHIP through (x, a/Å) = ${spec.lattice.x.map((x, i) => `(${x}, ${spec.lattice.aAngstrom[i]})`).join(", ")}; clamped outside. ${spec.lattice.note ?? ""}`.trim(),
    },
    latticeC: {
      name: "lattice parameter c(x)",
      unit: "m",
      validRange: range,
      source: spec.lattice.source,
      seed: spec.lattice.seed,
      assumption: spec.lattice.assumption,
      note: `PCHIP through (x, c/Å) = ${spec.lattice.x.map((x, i) => `(${x}, ${spec.lattice.cAngstrom[i]})`).join(", ")}; clamped outside. ${spec.lattice.note ?? ""}`.trim(),
    },
    youngsModulus: { name: "Young's modulus", unit: "Pa", value: spec.youngsModulus, ...spec.elasticInfo },
    poissonRatio: { name: "Poisson's ratio", unit: "-", value: spec.poissonRatio, ...spec.elasticInfo },
    doubleLayerCapacitance: {
      name: "double-layer capacitance",
      unit: "F/m^2",
      value: spec.doubleLayerCapacitance,
      ...spec.doubleLayerInfo,
    },
    transferCoefficients: {
      name: "charge-transfer coefficients αa, αc",
      unit: "-",
      value: spec.transferCoefficients.anodic,
      ...spec.transferInfo,
      note: `αa = ${spec.transferCoefficients.anodic}, αc = ${spec.transferCoefficients.cathodic}${spec.transferInfo.note ? `; ${spec.transferInfo.note}` : ""}`,
    },
    referenceElectrolyteConcentration: {
      name: "reference electrolyte concentration of i0",
      unit: "mol/m^3",
      value: ref,
      ...spec.exchangeCurrentInfo,
      note: "default c_l when none is given",
    },
  };
  if (spec.typicalParticleRadius !== undefined) {
    properties.typicalParticleRadius = {
      name: "typical particle radius of the source data",
      unit: "m",
      value: spec.typicalParticleRadius,
      ...(spec.radiusInfo ?? { source: "unspecified" }),
    };
  }
  if (spec.dischargeExchangeCurrent !== undefined) {
    properties.dischargeExchangeCurrentDensity = {
      name: "exchange current density on discharge",
      unit: "A/m^2",
      ...(spec.dischargeExchangeCurrentInfo ?? { source: "unspecified" }),
    };
  }
  if (spec.contactLoss !== undefined) {
    properties.contactLoss = {
      name: "fracture-induced contact loss (isolated fraction vs lowest x reached)",
      unit: "-",
      source: spec.contactLoss.source,
      note: spec.contactLoss.note,
    };
  }
  for (const info of Object.values(properties)) Object.freeze(info);

  const { ocv, diffusivity, exchangeCurrent, conductivity } = spec;
  const discharge = spec.dischargeExchangeCurrent;
  const material: Material = {
    name: spec.name,
    aliases: Object.freeze([...spec.aliases]),
    formula: spec.formula,
    nominalWindow: Object.freeze({ xMin, xMax }),
    validRange: Object.freeze([range[0], range[1]]) as readonly [number, number],
    maxConcentration,
    density,
    molarMass,
    theoreticalCapacity,
    practicalCapacity,
    volumetricCapacity,
    youngsModulus: spec.youngsModulus,
    poissonRatio: spec.poissonRatio,
    doubleLayerCapacitance: spec.doubleLayerCapacitance,
    transferCoefficients: Object.freeze({ ...spec.transferCoefficients }),
    referenceElectrolyteConcentration: ref,
    typicalParticleRadius: spec.typicalParticleRadius,
    openCircuitPotential: (x) => ocv.value(x),
    openCircuitPotentialDerivative: (x) => ocv.derivative(x),
    chemicalDiffusivity: (x, temperature = T_REF) => diffusivity(x, temperature),
    exchangeCurrentDensity: (x, electrolyteConcentration = ref, temperature = T_REF) =>
      exchangeCurrent(x, electrolyteConcentration, temperature),
    electronicConductivity: (x) => conductivity(x),
    latticeA: (x) => latticeA.value(x),
    latticeC: (x) => latticeC.value(x),
    properties: Object.freeze(properties),
    ...(discharge !== undefined
      ? {
          dischargeExchangeCurrentDensity: (x: number, electrolyteConcentration = ref, temperature = T_REF) =>
            discharge(x, electrolyteConcentration, temperature),
        }
      : {}),
    ...(spec.contactLoss !== undefined ? { contactLoss: spec.contactLoss } : {}),
  };
  return Object.freeze(material);
}
