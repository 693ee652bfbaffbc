/**
 * NCA (LiNi0.8Co0.15Al0.05O2), for the single-particle measurements of seed 000 (Tsai et al.,
 * EES 2018).
 *
 * - OCV: Kim et al., J. Electrochem. Soc. 158 (2011) A955: U(s) = 1.638s¹⁰ − 2.222s⁹ + 15.056s⁸
 *   − 23.488s⁷ + 81.246s⁶ − 344.566s⁵ + 621.3475s⁴ − 554.774s³ + 264.427s² − 66.3691s + 11.8058
 *   − 0.61386·exp(5.8201·s^136.4) [V]. Used on s ∈ [0.30, 0.975]; continued linearly (C¹)
 *   outside (below 0.30 the polynomial climbs without data; above ≈0.98 the exponential term
 *   plunges to −200 V at s = 1).
 * - i0(x): seed 000: ≈0.1 mA/cm² at low SOC (> 10× NMC333), two maxima, the first at OCV 4.0 V
 *   (≈50 % SOC), a drop of more than 10× above 4.5 V. Log-PCHIP through values placed at the x of
 *   those OCVs on Kim's curve; the maxima heights (≈0.3 mA/cm²) are our assumption, consistent
 *   with Kim's 4 A/m² at s = 0.41.
 * - D = 3e-15 m²/s, 20 kJ/mol (Kim 2011).
 */
import { arrhenius, type Differentiable, linearlyContinued, polynomialWithDerivative } from "./common.js";
import { defineMaterial } from "./define.js";
import type { Material } from "./material.js";
import { logTable } from "./tabulated.js";

const KIM = "Kim, Smith, Ireland & Pesaran, J. Electrochem. Soc. 158 (2011) A955";
const TSAI = "Tsai et al., Energy Environ. Sci. 11 (2018) 860";

const KIM_COEFFICIENTS = [
  11.8058, -66.3691, 264.427, -554.774, 621.3475, -344.566, 81.246, -23.488, 15.056, -2.222, 1.638,
] as const;

/** Kim 2011 NCA U(s) [V] and dU/ds [V], uncontinued. */
export const kimOpenCircuitPotential: Differentiable = {
  value(s) {
    const [p] = polynomialWithDerivative(KIM_COEFFICIENTS, s);
    return p - 0.61386 * Math.exp(5.8201 * s ** 136.4);
  },
  derivative(s) {
    const [, dp] = polynomialWithDerivative(KIM_COEFFICIENTS, s);
    const sp = s ** 135.4;
    return dp - 0.61386 * Math.exp(5.8201 * sp * s) * 5.8201 * 136.4 * sp;
  },
};

/** i0 [A/m²] at c_l = 1000 mol/m³, 298.15 K: log10 knots at x of OCV ≈ 3.66, 3.8, 4.0, 4.1, 4.2, 4.35, 4.5, 4.6 V. */
const ncaExchangeCurrentReference = logTable(
  [1.0, 0.8, 0.65, 0.484, 0.42, 0.36, 0.3, 0.263, 0.22, 0.1],
  [0.0, 0.0, 0.15, 0.5, 0.25, 0.45, 0.2, -0.3, -0.75, -0.75],
);

/** κ [S/m]: assumption, 1e-3 S/m pristine → 1 S/m for x ≤ 0.6. */
const ncaConductivity = logTable([1.0, 0.8, 0.6, 0.1], [-3, -1, 0, 0]);

export const NCA: Material = defineMaterial({
  name: "NCA",
  aliases: ["LiNi0.8Co0.15Al0.05O2", "NCA80"],
  formula: "LiNi0.8Co0.15Al0.05O2",
  metals: { Ni: 0.8, Co: 0.15, Al: 0.05 },
  nominalWindow: { xMin: 0.32, xMax: 0.98 },
  windowInfo: { source: KIM, note: "x = 0.98 (U ≈ 3.2 V) to x = 0.32 (U ≈ 4.29 V) on Kim's curve" },
  validRange: [0.1, 1.0],
  ocv: linearlyContinued(kimOpenCircuitPotential, 0.3, 0.975),
  ocvInfo: {
    source: KIM,
    note: "polynomial + exponential on s ∈ [0.30, 0.975], C¹ linear continuation outside (ours); U(0.1) ≈ 5.0 V, U = 4.8 V near x ≈ 0.16",
  },
  diffusivity: (_x, temperature) => 3e-15 * arrhenius(20e3, temperature),
  diffusivityInfo: { source: KIM, note: "constant 3e-15 m²/s, Arrhenius 20 kJ/mol" },
  exchangeCurrent: (x, electrolyteConcentration, temperature) =>
    ncaExchangeCurrentReference(x) *
    Math.sqrt(Math.max(electrolyteConcentration, 0) / 1000) *
    arrhenius(2.401e4, temperature),
  exchangeCurrentInfo: {
    source: `${TSAI} (EIS, Fig. 2d)`,
    seed: "000",
    assumption: true,
    note: "log-PCHIP: 1 A/m² (0.1 mA/cm²) for x ≥ 0.8; maximum 3.2 A/m² at x = 0.484 (4.0 V); dip 1.8 A/m² at 4.1 V; second maximum 2.8 A/m² at 4.2 V; 0.5 A/m² at 4.5 V; 0.18 A/m² (16× below the second maximum) for U ≥ 4.6 V. Shape from seed 000's text, heights assumed; (c_l/1000)^0.5 and 24.01 kJ/mol assumed. First-charge values (fracture-induced hysteresis is a particle-model effect, not a material property)",
  },
  conductivity: ncaConductivity,
  conductivityInfo: {
    source: "assumption after seed 003 (layered oxides: orders of magnitude lower when lithiated)",
    seed: "003",
    assumption: true,
  },
  lattice: {
    x: [0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0],
    aAngstrom: [2.81, 2.81, 2.811, 2.815, 2.826, 2.846, 2.865],
    cAngstrom: [13.9, 14.1, 14.35, 14.45, 14.38, 14.27, 14.18],
    source:
      "REFERENCE §2 (≈ readings: a 2.865 → 2.81, c 14.18 → max ≈14.45 → 14.1 at x = 0.2); seed 000 Fig. 3c: volume drops sharply at high SOC",
    seed: "000",
    note: "x = 0.8, 0.6, 0.45, 0.3 interpolated and x = 0.1 extrapolated by us (assumption)",
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
  transferInfo: { source: TSAI, seed: "000", note: "α = 0.5 as assumed in seed 000 eqn 1" },
  referenceElectrolyteConcentration: 1000,
  typicalParticleRadius: 1.633e-6,
  radiusInfo: { source: KIM },
  publishedMaxConcentration: { value: 49000, source: KIM },
});
