/**
 * The `Material` interface: everything the models need to know about a layered-oxide cathode,
 * each property with its unit, source and validity range (SPEC §1, STYLE "Material data").
 *
 * Composition is always the lithium fraction `x` in Li_x MO2 (x = 1 fully lithiated /
 * pristine). `sto = c / c_max` equals x for these materials (c_max is the concentration at
 * x = 1). SOC rises as x falls: SOC = (xMax − x)/(xMax − xMin) over `nominalWindow`.
 */

/** Where a number comes from. */
export interface Provenance {
  /** Citation, e.g. "O'Regan et al., Electrochim. Acta 425 (2022) 140700". */
  source: string;
  /** Seed file in ../shared/seeds when the value comes from one, e.g. "000". */
  seed?: string;
  /** True when the value is an assumption or an estimate of ours, not a published number. */
  assumption?: boolean;
  /** Free note: fitting details, conversions made. */
  note?: string;
}

/** Metadata for one property, used by `cathodelab materials` and reports. */
export interface PropertyInfo extends Provenance {
  /** Human name, e.g. "open-circuit potential". */
  name: string;
  /** SI unit of the value, e.g. "V", "m^2/s", "A/m^2". */
  unit: string;
  /** Range of x in which a function of x is valid (inclusive), when the property is a function. */
  validRange?: readonly [number, number];
  /** Scalar value (SI) for constant properties. */
  value?: number;
}

export type MaterialName = "NMC111" | "NMC532" | "NMC622" | "NMC811" | "NCA";

export interface Material {
  /** Canonical name, e.g. "NMC811". */
  readonly name: MaterialName;
  /** Other accepted names (case-insensitive), e.g. ["NMC333", "NCM111"]. */
  readonly aliases: readonly string[];
  /** Nominal formula, e.g. "LiNi0.8Mn0.1Co0.1O2". */
  readonly formula: string;

  /** Nominal cycling window in x: SOC = 0 at xMax, SOC = 1 at xMin. */
  readonly nominalWindow: { readonly xMin: number; readonly xMax: number };
  /** Range of x over which all functions are defined and smooth. */
  readonly validRange: readonly [number, number];

  /** Maximum Li concentration in the solid (x = 1) [mol/m³]. */
  readonly maxConcentration: number;
  /** Crystallographic density [kg/m³]. */
  readonly density: number;
  /** Molar mass of LiMO2 [kg/mol]. */
  readonly molarMass: number;
  /** Theoretical specific capacity (x 1 → 0) [C/kg]. */
  readonly theoreticalCapacity: number;
  /** Practical specific capacity over the nominal window [C/kg]. */
  readonly practicalCapacity: number;
  /** Practical volumetric capacity [C/m³] (NMC333: 1097 mAh/cm³ = 3.949e9 C/m³, seed 000). */
  readonly volumetricCapacity: number;
  /** Young's modulus [Pa]. */
  readonly youngsModulus: number;
  /** Poisson's ratio [-]. */
  readonly poissonRatio: number;
  /** Double-layer capacitance per area [F/m²]. */
  readonly doubleLayerCapacitance: number;
  /** Charge-transfer coefficients (anodic, cathodic) [-]. */
  readonly transferCoefficients: { readonly anodic: number; readonly cathodic: number };
  /** Reference electrolyte concentration for i0 [mol/m³]. */
  readonly referenceElectrolyteConcentration: number;
  /** Typical secondary-particle radius of the source data set [m] (optional; a default for models). */
  readonly typicalParticleRadius?: number;

  /** Open-circuit potential vs Li/Li+ [V] at Li fraction x. */
  openCircuitPotential(x: number): number;
  /** dU/dx [V] (negative: U rises as Li is removed). */
  openCircuitPotentialDerivative(x: number): number;
  /** Chemical diffusivity [m²/s] at Li fraction x and temperature T [K]. */
  chemicalDiffusivity(x: number, temperature?: number): number;
  /**
   * Exchange current density [A/m²] at Li fraction x, electrolyte concentration
   * c_l [mol/m³] and temperature T [K].
   */
  exchangeCurrentDensity(x: number, electrolyteConcentration?: number, temperature?: number): number;
  /**
   * Exchange current density on DISCHARGE [A/m²] where it differs from charge (optional; seed
   * 000: NMC333's first-discharge j0 is 2–5× its first-charge j0). The particle model switches
   * between the two with the sign of the current (`directionalExchangeCurrent`).
   */
  dischargeExchangeCurrentDensity?(
    x: number,
    electrolyteConcentration?: number,
    temperature?: number,
  ): number;
  /** Irreversible, charge-driven contact loss of the secondary particle (optional; seed 000: bare NCA). */
  contactLoss?: ContactLossLaw;
  /** Electronic conductivity of the particle [S/m] at Li fraction x. */
  electronicConductivity(x: number): number;
  /** Hexagonal lattice parameter a [m] at Li fraction x. */
  latticeA(x: number): number;
  /** Hexagonal lattice parameter c [m] at Li fraction x. */
  latticeC(x: number): number;

  /** Provenance of every property, keyed by the member name above. */
  readonly properties: Readonly<Record<string, PropertyInfo>>;
}

/**
 * Irreversible, charge-driven electrical isolation of part of a secondary particle (e.g.
 * fracture-induced contact loss of bare NCA, seed 000): the isolated volume fraction φ [-] after
 * the particle's surface Li fraction has come down to `xMin`. The particle model keeps the
 * largest φ reached (it never decreases) and scales the reacting area by (1 − φ).
 */
export interface ContactLossLaw {
  isolatedFraction(xMin: number): number;
  /** Where the law and its parameters come from. */
  readonly source: string;
  readonly note: string;
}

/** SOC of a cathode from Li fraction over the material's nominal window (SPEC §1). */
export function stateOfCharge(material: Material, x: number): number {
  const { xMin, xMax } = material.nominalWindow;
  return (xMax - x) / (xMax - xMin);
}

/** Li fraction at a given SOC over the material's nominal window. */
export function lithiumFractionAtSoc(material: Material, soc: number): number {
  const { xMin, xMax } = material.nominalWindow;
  return xMax - soc * (xMax - xMin);
}
