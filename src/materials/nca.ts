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
 *   (≈50 % SOC). Log-PCHIP through values placed at the x of those OCVs on Kim's curve down to
 *   x = 0.30 (4.35 V); the maxima heights (≈0.3 mA/cm²) are our assumption, consistent with
 *   Kim's 4 A/m² at s = 0.41. Below x = 0.30 the INTRINSIC i0 follows the composition factor of
 *   seed 000 eqn 3 (Newman, α = ½): i0 ∝ √(x(1 − x)). The seed's drop of more than 10× above
 *   4.5 V and its > 10× charge/discharge hysteresis are NOT in i0: the seed attributes both to
 *   fracture-induced loss of electrical contact ("the decrease in j0 by over a factor of 10 above
 *   4.5 V also cannot be explained by the surface area change alone … most likely due to a loss
 *   of electrical continuity"; a PVdF coating removes the hysteresis, Fig. 4b). That is
 *   `NCA_CONTACT_LOSS` below, applied by the particle model (`contactLoss`) and the study.
 * - D = 3e-15 m²/s, 20 kJ/mol (Kim 2011).
 */
import { arrhenius, type Differentiable, linearlyContinued, polynomialWithDerivative } from "./common.js";
import { defineMaterial } from "./define.js";
import type { ContactLossLaw, Material } from "./material.js";
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

/** Intrinsic i0 [A/m²] at c_l = 1000 mol/m³, 298.15 K: log10 knots at x of OCV ≈ 3.66, 3.8, 4.0, 4.1, 4.2, 4.35 V. */
const ncaExchangeCurrentKnots = logTable(
  [1.0, 0.8, 0.65, 0.484, 0.42, 0.36, 0.3],
  [0.0, 0.0, 0.15, 0.5, 0.25, 0.45, 0.2],
);
/** Last knot: below it, i0 = i0(0.30)·√(x(1 − x)/(0.30·0.70)) (seed 000 eqn 3, α = ½). */
const X_LAST_KNOT = 0.3;
const ncaExchangeCurrentReference = (x: number): number =>
  x >= X_LAST_KNOT
    ? ncaExchangeCurrentKnots(x)
    : ncaExchangeCurrentKnots(X_LAST_KNOT) *
      Math.sqrt((Math.max(x, 0) * (1 - x)) / (X_LAST_KNOT * (1 - X_LAST_KNOT)));

/**
 * Fracture-induced contact loss of bare NCA secondary particles (seed 000, Figs. 2d–e, 3, 4):
 * the volume fraction φ of primary grains that are electrically isolated after the particle's
 * mean Li fraction has come down to x_min (irreversible: it does not heal on discharge), as a
 * Weibull law with threshold in the c-axis collapse strain that drives the grain separation
 * (seed 000 Fig. 3c: the unit-cell volume drops sharply at high SOC; REFERENCE §2):
 *
 *   ε_c(x) = 1 − c(x)/c_max for x < 0.45 (the c maximum; 0 above: the c-axis EXPANDS there),
 *   φ = 1 − exp(−((ε_c − ε_th)/ε_s)^m) for ε_c > ε_th, else 0.
 *
 * The isolated grains no longer react, so the reacting area and the apparent j0 (on the
 * geometric area, as the seed computes it) are both scaled by (1 − φ). Parameters: ε_th =
 * ε_c(0.30) = 0.692 % (no contact loss up to 4.35 V, the last OCV of the seed's double-maximum
 * charge curve, which the PVdF-coated particle shares, Fig. 4b); ε_s and m from the two
 * first-charge values of seed 000 Fig. 2d above that (as read for this library before: 0.50
 * A/m² at 4.47 V, x = 0.263, and 0.178 A/m², 16× below the second maximum, at 4.61 V, x = 0.22):
 * (1 − φ) = apparent/intrinsic gives φ = 0.671 at ε_c = 1.206 % and φ = 0.876 at 2.070 %,
 * so m = 0.638, ε_s = 0.435 %. Nothing else is fitted: the hysteresis after a 4.8 V charge
 * (φ ≈ 0.91 at x ≈ 0.20, so discharge j0 ≈ 11× below charge at the same OCV) follows from the
 * irreversibility. A PVdF coating holds the grains together (cracks do not open, seed 000
 * Fig. 4a): the study's `coating: "pvdf"` switches the law off.
 */
export const NCA_CONTACT_LOSS: ContactLossLaw = (() => {
  // ε_th = ε_c(0.30) = 0.692 %, evaluated from the lattice table (so φ(0.30) is exactly 0)
  let threshold = Number.NaN;
  const scale = 0.435e-2;
  const shape = 0.638;
  // c_max of the lattice table (x = 0.45: 14.45 Å)
  const cMaxAngstrom = 14.45;
  const xAtCMax = 0.45;
  return {
    source: `${TSAI}, Figs. 2d–e, 3, 4 (fit: ours)`,
    note: `φ = 1 − exp(−((ε_c − ε_c(0.30))/${scale * 100} %)^${shape}), ε_c = 1 − c(x)/c_max below x = 0.45, ε_c(0.30) = 0.692 %; driven by the lowest surface x reached; irreversible; off with a PVdF coating`,
    isolatedFraction(xMin: number): number {
      if (!(xMin < xAtCMax)) return 0;
      if (Number.isNaN(threshold)) threshold = 1 - NCA.latticeC(X_LAST_KNOT) / (cMaxAngstrom * 1e-10);
      const eps = 1 - NCA.latticeC(xMin) / (cMaxAngstrom * 1e-10);
      if (!(eps > threshold)) return 0;
      return 1 - Math.exp(-(((eps - threshold) / scale) ** shape));
    },
  };
})();

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
    note: "intrinsic i0, log-PCHIP: 1 A/m² (0.1 mA/cm²) for x ≥ 0.8; maximum 3.2 A/m² at x = 0.484 (4.0 V); dip 1.8 A/m² at 4.1 V; second maximum 2.8 A/m² at 4.2 V; 1.58 A/m² at 4.35 V (x = 0.30), below that ∝ √(x(1 − x)) (seed 000 eqn 3). Shape from seed 000's text, heights assumed; (c_l/1000)^0.5 and 24.01 kJ/mol assumed. The seed's > 10× drop above 4.5 V and its hysteresis are fracture-induced contact loss (NCA_CONTACT_LOSS, applied by the particle model), not part of i0",
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
  contactLoss: NCA_CONTACT_LOSS,
});
