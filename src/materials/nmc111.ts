/**
 * NMC111 = NMC333 (LiNi1/3Mn1/3Co1/3O2), parameterised for the single-particle measurements of
 * seed 000 (Tsai et al., Energy Environ. Sci. 11 (2018) 860) and the XRD-CT of seed 004
 * (Daemi et al., PCCP 2020).
 *
 * - OCV: Mohtat et al. 2020 NMC fit U(s) (REFERENCE §1; PyBaMM `Mohtat2020`), whose s spans the
 *   cell window 2.82–4.345 V, mapped onto x by x = 0.35 + 0.65·s (s = 0 ↔ 4.345 V ↔ x = 0.35,
 *   ≈ 180 mAh/g charged, typical of NMC111 at 4.35 V). Above 4.345 V (x < 0.35), where the
 *   polynomial has no data, a smooth C¹ tail U = U_j + |U'_j|·L·(1 − exp(−(0.35 − x)/L)),
 *   L = 0.44, reaches 4.80 V at x ≈ 0.12: the step charge of seed 000 "to 3.8, 3.9 … 4.8 V"
 *   passes SOC = 100 % (x = 0.175, 1097 mAh/cm³) at ≈ 4.71 V, and the OCV relaxed from a 4.6 V
 *   charge (4.53 V in seed 000 Fig. 2b) sits at x ≈ 0.27 — assumption, stated in provenance.
 * - i0(x): seed 000 EIS/PITT: ≈3e-3 mA/cm² at 3.8–4.0 V rising ≈100× to ≈0.3 mA/cm² at the
 *   highest OCV, monotonically: log-PCHIP through those values placed at the x of those OCVs.
 * - D(x): seed 000 PITT ≈1e-10 cm²/s (Amin & Chiang), rising less steeply than i0 with OCV;
 *   C_D ≈ 2C for 10 µm particles ⇒ D ≈ 1.4e-14 m²/s.
 * - κ(x): seed 000 (ref. 43, Amin & Chiang): ≈1e-6 S/cm pristine → ≈1e-2 S/cm after removing
 *   0.75 Li.
 * - Lattice: seed 004 pristine a = 2.856 Å, c = 14.221 Å; REFERENCE §2 ≈2.823/14.45 Å at x = 0.4.
 */
import { FARADAY } from "../constants.js";
import {
  ANGSTROM,
  arrhenius,
  type Differentiable,
  layeredOxideMolarMass,
  linearlyContinued,
  MAH_PER_CM3,
  polynomialWithDerivative,
  xrayDensity,
} from "./common.js";
import { defineMaterial } from "./define.js";
import type { Material } from "./material.js";
import { logTable } from "./tabulated.js";

const TSAI = "Tsai et al., Energy Environ. Sci. 11 (2018) 860";
const MOHTAT = "Mohtat et al., J. Electrochem. Soc. (2020), NMC OCP fit (PyBaMM Mohtat2020 / REFERENCE §1)";
const DAEMI = "Daemi et al., Phys. Chem. Chem. Phys. (2020), XRD-CT of NMC111";

/** Mohtat 2020 polynomial part, lowest order first: U = Σ c_k s^k − 0.5623e-4·exp(109.451 s − 100.006). */
const MOHTAT_COEFFICIENTS = [4.3452, -1.6518, 1.6225, -2.0843, 3.5146, -2.2166] as const;

/** Mohtat 2020 U(s) [V] and dU/ds [V] (s = normalised stoichiometry of the fit). */
export const mohtatOpenCircuitPotential: Differentiable = {
  value(s) {
    const [p] = polynomialWithDerivative(MOHTAT_COEFFICIENTS, s);
    return p - 0.5623e-4 * Math.exp(109.451 * s - 100.006);
  },
  derivative(s) {
    const [, dp] = polynomialWithDerivative(MOHTAT_COEFFICIENTS, s);
    return dp - 0.5623e-4 * 109.451 * Math.exp(109.451 * s - 100.006);
  },
};

/** x at which the Mohtat fit's s = 0 (U = 4.345 V) is placed [-]. */
export const NMC111_JUNCTION_X = 0.35;
/** Decay length of the high-voltage tail [-]. */
export const NMC111_TAIL_LENGTH = 0.44;

function buildOcv(): Differentiable {
  const x0 = NMC111_JUNCTION_X;
  const span = 1 - x0;
  const uJ = mohtatOpenCircuitPotential.value(0);
  const slopeMagnitude = -mohtatOpenCircuitPotential.derivative(0) / span; // |dU/dx| at the junction [V]
  const L = NMC111_TAIL_LENGTH;
  const core: Differentiable = {
    value(x) {
      if (x >= x0) return mohtatOpenCircuitPotential.value((x - x0) / span);
      return uJ + slopeMagnitude * L * (1 - Math.exp(-(x0 - x) / L));
    },
    derivative(x) {
      if (x >= x0) return mohtatOpenCircuitPotential.derivative((x - x0) / span) / span;
      return -slopeMagnitude * Math.exp(-(x0 - x) / L);
    },
  };
  // Above x = 1 the exponential term would plunge; continue linearly (x > 1 only by round-off).
  // Below x = 0.02 continue linearly as well (the tail is already nearly linear there).
  return linearlyContinued(core, 0.02, 1.0);
}

/** Seed 000 volumetric capacity C_p = 1097 mAh/cm³ [C/m³]. */
export const NMC333_VOLUMETRIC_CAPACITY = 1097 * MAH_PER_CM3;

const METALS = { Ni: 1 / 3, Mn: 1 / 3, Co: 1 / 3 };
const PRISTINE_A = 2.856; // Å, seed 004
const PRISTINE_C = 14.221; // Å, seed 004

/** xMin such that the practical volumetric capacity equals seed 000's 1097 mAh/cm³. */
function windowMinimum(): number {
  const m = layeredOxideMolarMass(METALS);
  const rho = xrayDensity(PRISTINE_A * ANGSTROM, PRISTINE_C * ANGSTROM, m);
  return 1 - NMC333_VOLUMETRIC_CAPACITY / ((rho / m) * FARADAY);
}

/** i0 [A/m²] at c_l = 1000 mol/m³, 298.15 K: log10 knots (see module doc). */
const nmc111ExchangeCurrentReference = logTable(
  [1.0, 0.8, 0.6, 0.52, 0.41, 0.33, 0.27, 0.21, 0.18, 0.1],
  [-1.523, -1.523, -1.523, -1.45, -1.0, -0.45, 0.0, 0.4, 0.477, 0.477],
);

/** Discharge/charge ratio of i0 (seed 000: 2–5; √10 is the geometric middle, an assumption). */
export const NMC111_DISCHARGE_FACTOR = Math.sqrt(10);

/** D [m²/s] at 298.15 K: log10 knots (see module doc). */
const nmc111DiffusivityReference = logTable([1.0, 0.7, 0.5, 0.3, 0.1], [-14.15, -14.0, -13.9, -13.75, -13.7]);

/** κ [S/m]: 1e-4 S/m (1e-6 S/cm) at x = 1 → 1 S/m (1e-2 S/cm) at x = 0.25, log-linear, flat below. */
const nmc111Conductivity = logTable([1.0, 0.75, 0.5, 0.25, 0.1], [-4, -8 / 3, -4 / 3, 0, 0]);

export const NMC111: Material = defineMaterial({
  name: "NMC111",
  aliases: ["NMC333", "NCM111", "NCM333", "NMC", "LiNi1/3Mn1/3Co1/3O2"],
  formula: "LiNi1/3Mn1/3Co1/3O2",
  metals: METALS,
  nominalWindow: { xMin: windowMinimum(), xMax: 1.0 },
  windowInfo: {
    source: TSAI,
    seed: "000",
    note: "xMax = 1 (pristine); xMin ≈ 0.175 chosen so that the practical volumetric capacity equals C_p = 1097 mAh/cm³ (seed 000; ≈229 mAh/g, consistent with C/20 = 11.5 mA/g ⇒ 1C = 230 mAh/g)",
  },
  validRange: [0.1, 1.0],
  ocv: buildOcv(),
  ocvInfo: {
    source: MOHTAT,
    seed: "000",
    assumption: true,
    note: "Mohtat 2020 U(s) mapped by x = 0.35 + 0.65 s for x ≥ 0.35; for x < 0.35 our C¹ exponential tail (L = 0.44) reaching 4.80 V at x ≈ 0.12 so that seed 000's step charge to 4.8 V is defined; linear continuation outside [0.02, 1]. U spans 2.82 V (x = 1) … 4.83 V (x = 0.1)",
  },
  diffusivity: (x, temperature) => nmc111DiffusivityReference(x) * arrhenius(18.55e3, temperature),
  diffusivityInfo: {
    source: `${TSAI} (PITT, Fig. 5c) and Amin & Chiang (JES 2016): D ≈ 1e-10 cm²/s`,
    seed: "000",
    assumption: true,
    note: "log-PCHIP 7.1e-15 (x = 1) → 2.0e-14 m²/s (x = 0.1), rising more gently than i0 with OCV (seed 000: B grows with OCV); Table S7 values not in the seed text; Arrhenius 18.55 kJ/mol borrowed from Mohtat 2020 (assumption)",
  },
  exchangeCurrent: (x, electrolyteConcentration, temperature) =>
    nmc111ExchangeCurrentReference(x) *
    Math.sqrt(Math.max(electrolyteConcentration, 0) / 1000) *
    arrhenius(2.401e4, temperature),
  exchangeCurrentInfo: {
    source: `${TSAI} (EIS Fig. 2c, PITT Fig. 5b)`,
    seed: "000",
    assumption: true,
    note: "values from seed 000, placed in x through our OCV; log-PCHIP: 0.03 A/m² (3e-3 mA/cm²) for U ≤ 3.9 V (x ≥ 0.6), 0.035 at 4.0 V, 0.1 at 4.2 V, 0.35 at 4.4 V, 1.0 at 4.53 V, 3.0 A/m² (0.3 mA/cm²) at U ≥ 4.7 V (x ≤ 0.18): ×100 over the measured OCVs, monotone. Electrolyte factor (c_l/1000)^0.5 and 24.01 kJ/mol (O'Regan 2022) are assumptions. Note: seed 000's C_j = 0.5–2C for 10 µm implies ≈0.01–0.05 mA/cm²; we follow the quoted j0 values",
  },
  // seed 000: "NMC333 exhibits … a higher j0 during the first discharge than during the first
  // charge (by a factor of 2-5, depending on the OCV)". The per-OCV values are in the ESI
  // (Tables S1–S5), which we do not have; the factor's OCV dependence is therefore not
  // reproduced: a constant √10 ≈ 3.16, the geometric middle of the stated 2–5 range, times the
  // charge i0 (assumption).
  dischargeExchangeCurrent: (x, electrolyteConcentration, temperature) =>
    NMC111_DISCHARGE_FACTOR *
    nmc111ExchangeCurrentReference(x) *
    Math.sqrt(Math.max(electrolyteConcentration, 0) / 1000) *
    arrhenius(2.401e4, temperature),
  dischargeExchangeCurrentInfo: {
    source: `${TSAI} (EIS, Fig. 2e: first-discharge j0 2–5× the first-charge j0)`,
    seed: "000",
    assumption: true,
    note: "√10 ≈ 3.16 × the charge i0 at every x (geometric middle of the seed's 2–5; its OCV dependence is in the ESI tables we do not have)",
  },
  conductivity: nmc111Conductivity,
  conductivityInfo: {
    source: `${TSAI}, citing Amin & Chiang (ref. 43): 1e-6 → 1e-2 S/cm over 0.75 Li removed`,
    seed: "000",
    note: "log-linear in x between x = 1 (1e-4 S/m) and x = 0.25 (1 S/m) by PCHIP; flat for x < 0.25 (assumption)",
  },
  lattice: {
    x: [0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0],
    aAngstrom: [2.815, 2.815, 2.818, 2.823, 2.834, 2.845, PRISTINE_A],
    cAngstrom: [14.15, 14.35, 14.44, 14.45, 14.37, 14.29, PRISTINE_C],
    source: `${DAEMI} (x = 1) and REFERENCE §2 (x = 0.4, after Kondrakov 2017 / de Biasi 2017)`,
    seed: "004",
    note: "x = 0.6, 0.8 interpolated, x ≤ 0.3 our estimate of the mild high-voltage c-contraction of NMC333 (assumption)",
  },
  youngsModulus: 199e9,
  poissonRatio: 0.25,
  elasticInfo: { source: "REFERENCE §3: sintered NMC111 E ≈ 199 GPa, ν ≈ 0.25" },
  doubleLayerCapacitance: 0.2,
  doubleLayerInfo: { source: "assumption: 20 µF/cm², as O'Regan 2022 for NMC811", assumption: true },
  transferCoefficients: { anodic: 0.5, cathodic: 0.5 },
  transferInfo: { source: TSAI, seed: "000", note: "α = 0.5 as assumed in seed 000 eqn 1" },
  referenceElectrolyteConcentration: 1000,
  typicalParticleRadius: 13.25e-6,
  radiusInfo: {
    source: TSAI,
    seed: "000",
    note: "26.5 µm diameter particle of Fig. 2a/5a (TXM particles ≈ 10 µm)",
  },
});
