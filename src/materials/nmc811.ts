/**
 * NMC811 (LiNi0.8Mn0.1Co0.1O2).
 *
 * Kinetics and transport: O'Regan, Brosa Planella, Widanage & Kendrick, Electrochim. Acta 425
 * (2022) 140700 (PyBaMM's `ORegan2022` set); OCV: Chen et al., J. Electrochem. Soc. 167 (2020)
 * 080534. Lattice: REFERENCE §2 (Märker et al. 2019 / Kondrakov et al. 2017 readings).
 * Mechanics: seed 001 (Parks et al., JMCA 2023): E = 150 GPa, ν = 0.3 for the grains.
 * x = s = c/c_max here (SPEC §1).
 */
import { arrhenius, softPositive } from "./common.js";
import { defineMaterial } from "./define.js";
import type { Material } from "./material.js";
import { logTable } from "./tabulated.js";

const OREGAN = "O'Regan, Brosa Planella, Widanage & Kendrick, Electrochim. Acta 425 (2022) 140700";
const CHEN = "Chen et al., J. Electrochem. Soc. 167 (2020) 080534";

function sech2(z: number): number {
  const c = Math.cosh(z);
  return 1 / (c * c);
}

/**
 * U(s) = −0.809s + 4.4875 − 0.0428·tanh(18.5138(s − 0.5542)) − 17.7326·tanh(15.789(s − 0.3117))
 *        + 17.5842·tanh(15.9308(s − 0.312))  [V]  (Chen 2020; REFERENCE §1).
 * Defined and strictly decreasing for every real s (tanh terms saturate), so no continuation is
 * needed.
 */
export function nmc811OpenCircuitPotential(s: number): number {
  return (
    -0.809 * s +
    4.4875 -
    0.0428 * Math.tanh(18.5138 * (s - 0.5542)) -
    17.7326 * Math.tanh(15.789 * (s - 0.3117)) +
    17.5842 * Math.tanh(15.9308 * (s - 0.312))
  );
}

/** dU/ds of `nmc811OpenCircuitPotential` [V]. */
export function nmc811OpenCircuitPotentialDerivative(s: number): number {
  return (
    -0.809 -
    0.0428 * 18.5138 * sech2(18.5138 * (s - 0.5542)) -
    17.7326 * 15.789 * sech2(15.789 * (s - 0.3117)) +
    17.5842 * 15.9308 * sech2(15.9308 * (s - 0.312))
  );
}

/**
 * D(s,T) = 2.7·10^(−13.96 − 0.9231·exp(−(s−0.3216)²/0.002534) − 0.4066·exp(−(s−0.4532)²/0.003926)
 *          − 0.993·exp(−(s−0.8098)²/0.09924))·exp(1449·(1/298.15 − 1/T))  [m²/s]  (O'Regan 2022).
 */
export function nmc811Diffusivity(s: number, temperature: number): number {
  const exponent =
    -13.96 -
    0.9231 * Math.exp(-((s - 0.3216) ** 2) / 0.002534) -
    0.4066 * Math.exp(-((s - 0.4532) ** 2) / 0.003926) -
    0.993 * Math.exp(-((s - 0.8098) ** 2) / 0.09924);
  return 2.7 * 10 ** exponent * Math.exp(1449 * (1 / 298.15 - 1 / temperature));
}

/**
 * j0 = 5.028·exp(2.401e4/R·(1/298.15 − 1/T))·(c_e/1000)^0.57·s^0.43·(1−s)^0.57  [A/m²]
 * (O'Regan 2022). s and 1 − s pass through `softPositive` (ε = 1e-3) so that j0 > 0 at s = 0
 * and s = 1; this changes j0 by < 3e-5 relative for 0.1 ≤ s ≤ 0.9.
 * @param s Li fraction [-]; @param electrolyteConcentration c_e [mol/m³]; @param temperature [K]
 */
export function nmc811ExchangeCurrentDensity(
  s: number,
  electrolyteConcentration: number,
  temperature: number,
): number {
  return (
    5.028 *
    arrhenius(2.401e4, temperature) *
    (Math.max(electrolyteConcentration, 0) / 1000) ** 0.57 *
    softPositive(s) ** 0.43 *
    softPositive(1 - s) ** 0.57
  );
}

/**
 * κ(x): assumption. Ni-rich layered oxides are poor conductors when fully lithiated and become
 * metallic on delithiation (seed 003, refs 39–43 there; seed 000 for NMC333: 1e-6 → 1e-2 S/cm).
 * Ni-rich pristine material is taken one decade better than NMC333: 1e-3 S/m at x = 1 rising
 * log-linearly to 1 S/m by x = 0.7, flat below.
 */
const nmc811Conductivity = logTable([1.0, 0.9, 0.8, 0.7, 0.1], [-3, -2, -1, 0, 0]);

export const NMC811: Material = defineMaterial({
  name: "NMC811",
  aliases: ["NCM811", "LiNi0.8Mn0.1Co0.1O2"],
  formula: "LiNi0.8Mn0.1Co0.1O2",
  metals: { Ni: 0.8, Mn: 0.1, Co: 0.1 },
  nominalWindow: { xMin: 0.26, xMax: 0.91 },
  windowInfo: {
    source: CHEN,
    note: "x = 0.91 (discharged, Chen 2020 stoichiometry limit ≈ 0.9084) to x = 0.26 (U = 4.30 V)",
  },
  validRange: [0.1, 1.0],
  ocv: { value: nmc811OpenCircuitPotential, derivative: nmc811OpenCircuitPotentialDerivative },
  ocvInfo: {
    source: CHEN,
    note: "tanh fit; spot values U(0.3/0.5/0.7/0.9) = 4.2054/3.9720/3.7304/3.5682 V (REFERENCE §1); fitted on s ≈ 0.25–0.9, outside it the tanh form is kept (smooth, decreasing)",
  },
  diffusivity: nmc811Diffusivity,
  diffusivityInfo: {
    source: OREGAN,
    note: "Gaussian-dip fit in log10; Arrhenius 1449 K (≈12.0 kJ/mol); D(0.3/0.5/0.7/0.9) = 4.27e-15/7.26e-15/3.91e-15/3.60e-15 m²/s",
  },
  exchangeCurrent: nmc811ExchangeCurrentDensity,
  exchangeCurrentInfo: {
    source: OREGAN,
    note: "Newman form, 24.01 kJ/mol; s and 1−s smoothly floored at ≈1e-3 (ours) so i0 > 0 at x = 1",
  },
  conductivity: nmc811Conductivity,
  conductivityInfo: {
    source: "assumption after seed 003 (orders of magnitude lower pristine) and seed 000",
    seed: "003",
    assumption: true,
    note: "log-PCHIP: 1e-3 S/m at x = 1, 1e-2 at 0.9, 1e-1 at 0.8, 1 S/m for x ≤ 0.7. O'Regan's 0.8473 S/m is an electrode value",
  },
  lattice: {
    x: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0],
    aAngstrom: [2.82, 2.817, 2.815, 2.816, 2.822, 2.835, 2.856, 2.872],
    cAngstrom: [13.85, 14.03, 14.25, 14.4, 14.467, 14.4, 14.29, 14.2],
    source:
      "REFERENCE §2 (Märker et al., Chem. Mater. 31 (2019) 2545; Kondrakov et al., JPCC 121 (2017) 3286)",
    seed: "001",
    note: "x = 1.0, 0.5, 0.4, 0.2, 0.1 from REFERENCE §2 (c max 14.467 Å at x = 0.5, 14.030 Å at 0.2); x = 0.8, 0.6, 0.3 are our smooth readings between them (assumption); ΔV(1 → 0.2) ≈ −4.9 % vs −5.1 % (Kondrakov)",
  },
  youngsModulus: 150e9,
  poissonRatio: 0.3,
  elasticInfo: { source: "Parks et al., J. Mater. Chem. A (2023), grain properties", seed: "001" },
  doubleLayerCapacitance: 0.2,
  doubleLayerInfo: { source: OREGAN },
  transferCoefficients: { anodic: 0.5, cathodic: 0.5 },
  transferInfo: { source: "symmetric Butler–Volmer as in O'Regan 2022 and seed 000 (α = 0.5)", seed: "000" },
  referenceElectrolyteConcentration: 1000,
  typicalParticleRadius: 5.22e-6,
  radiusInfo: { source: OREGAN },
  publishedMaxConcentration: { value: 51765, source: OREGAN },
});
