/**
 * NMC622 (LiNi0.6Mn0.2Co0.2O2 = NCM622), for the AFM/GITT/XRD study of seed 002 (Jetybayeva
 * et al., ACS Appl. Energy Mater. 2022).
 *
 * - OCV: no NMC622 fit is in REFERENCE; we take the composition-weighted mean of two published
 *   fits, U622(x) = (2/3)·U532(x) [Colclasure 2020] + (1/3)·U811(x) [Chen 2020] (622 lies a third
 *   of the way from 532 to 811 in Ni content) — assumption, flagged in provenance.
 * - D(x): seed 002: GITT D ≈ 1e-15 m²/s (≈1e3 nm²/s at 100 % SOC), small at low SOC (no Li
 *   vacancies), rising with SOC and dropping again at 90–100 % SOC.
 * - κ(x): seed 002 C-AFM: the current falls as SOC rises (the particles become more covalent).
 *   This surface-probe trend is the opposite of the bulk trend reported for NMC333/532 (seeds
 *   000, 003); we follow seed 002 for this material, with assumed magnitudes.
 * - Capacity: 180 mAh/g at 0.05C, 3.0–4.3 V (seed 002) ⇒ window x = 1.0 … 0.35.
 */
import { arrhenius, type Differentiable, linearlyContinued, softPositive } from "./common.js";
import { defineMaterial } from "./define.js";
import type { Material } from "./material.js";
import { colclasureOpenCircuitPotential } from "./nmc532.js";
import { nmc811OpenCircuitPotential, nmc811OpenCircuitPotentialDerivative } from "./nmc811.js";
import { logTable } from "./tabulated.js";

const JETYBAYEVA = "Jetybayeva et al., ACS Appl. Energy Mater. (2022), NCM622";

const u532 = linearlyContinued(colclasureOpenCircuitPotential, 0.25, 1.0);

const ocv: Differentiable = {
  value: (x) => (2 / 3) * u532.value(x) + (1 / 3) * nmc811OpenCircuitPotential(x),
  derivative: (x) => (2 / 3) * u532.derivative(x) + (1 / 3) * nmc811OpenCircuitPotentialDerivative(x),
};

/** D [m²/s] at 298.15 K: log10 knots; SOC = (1 − x)/0.65. */
const nmc622DiffusivityReference = logTable(
  [1.0, 0.9, 0.8, 0.6, 0.415, 0.35, 0.1],
  [-16.0, -15.5, -15.2, -14.9, -14.7, -15.0, -15.3],
);

/** κ [S/m]: 1e-2 S/m at x = 1 falling log-linearly to 1e-3 S/m at x = 0.35, flat outside. */
const nmc622Conductivity = logTable([1.0, 0.35, 0.1], [-2, -3, -3]);

export const NMC622: Material = defineMaterial({
  name: "NMC622",
  aliases: ["NCM622", "LiNi0.6Mn0.2Co0.2O2"],
  formula: "LiNi0.6Mn0.2Co0.2O2",
  metals: { Ni: 0.6, Mn: 0.2, Co: 0.2 },
  nominalWindow: { xMin: 0.35, xMax: 1.0 },
  windowInfo: {
    source: JETYBAYEVA,
    seed: "002",
    note: "180 mAh/g at 0.05C, 3.0–4.3 V; 0.65 Li of 276.5 mAh/g theoretical = 179.7 mAh/g",
  },
  validRange: [0.1, 1.0],
  ocv,
  ocvInfo: {
    source: "Colclasure et al., Electrochim. Acta 337 (2020) 135854 and Chen et al., JES 167 (2020) 080534",
    assumption: true,
    note: "U622 = (2/3)·U532 + (1/3)·U811 (composition-weighted blend of two published fits; no published NMC622 fit used)",
  },
  diffusivity: (x, temperature) => nmc622DiffusivityReference(x) * arrhenius(18.55e3, temperature),
  diffusivityInfo: {
    source: `${JETYBAYEVA} (GITT, Fig. S5, summarised in the text)`,
    seed: "002",
    assumption: true,
    note: "log-PCHIP: 1e-16 (x = 1) → 2e-15 m²/s peak at x = 0.415 (90 % SOC) → 1e-15 at x = 0.35 (100 % SOC) → 5e-16 at x = 0.1; values shaped to the text (figure not digitised); Arrhenius 18.55 kJ/mol assumed",
  },
  exchangeCurrent: (x, electrolyteConcentration, temperature) =>
    4.0 *
    Math.sqrt(softPositive(x) * softPositive(1 - x)) *
    Math.sqrt(Math.max(electrolyteConcentration, 0) / 1000) *
    arrhenius(2.401e4, temperature),
  exchangeCurrentInfo: {
    source: "assumption: Newman form i0 = k·√(x(1−x))·(c_l/1000)^0.5, k = 4 A/m² (2 A/m² at x = 0.5)",
    assumption: true,
    note: "seed 002 has no i0; magnitude between O'Regan's NMC811 (2.5 A/m²) and Colclasure-type NMC532 values; 24.01 kJ/mol assumed",
  },
  conductivity: nmc622Conductivity,
  conductivityInfo: {
    source: `${JETYBAYEVA} (C-AFM, Fig. 7a: current falls with SOC)`,
    seed: "002",
    assumption: true,
    note: "trend from seed 002, magnitudes (1e-2 → 1e-3 S/m) assumed; opposite to the bulk trend of seeds 000/003",
  },
  lattice: {
    x: [0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0],
    aAngstrom: [2.82, 2.818, 2.82, 2.823, 2.834, 2.851, 2.868],
    cAngstrom: [13.9, 14.1, 14.35, 14.47, 14.4, 14.3, 14.22],
    source:
      "REFERENCE §2 (≈ readings after Ryu et al., Chem. Mater. 30 (2018) 1155); seed 002: c rises to ≈90 % SOC then drops",
    seed: "002",
    note: "x = 1.0, 0.45, 0.3 from REFERENCE §2; 0.8, 0.6 interpolated; x ≤ 0.2 (c-collapse) our assumption",
  },
  youngsModulus: 150e9,
  poissonRatio: 0.3,
  elasticInfo: {
    source: "assumption: Ni-rich grain values of seed 001 (E = 150 GPa, ν = 0.3)",
    seed: "001",
    assumption: true,
  },
  doubleLayerCapacitance: 0.2,
  doubleLayerInfo: { source: "assumption: 20 µF/cm², as O'Regan 2022 for NMC811", assumption: true },
  transferCoefficients: { anodic: 0.5, cathodic: 0.5 },
  transferInfo: { source: "assumption: symmetric Butler–Volmer", assumption: true },
  referenceElectrolyteConcentration: 1000,
});
