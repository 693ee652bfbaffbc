/**
 * NMC532 (LiNi0.5Mn0.3Co0.2O2), for the electrode model of seed 003 (Sharma et al., Nano Lett.
 * 22 (2022) 5883).
 *
 * - OCV, D(y) and the i0 shape: Colclasure et al., Electrochim. Acta 337 (2020) 135854 (the
 *   functions MPET distributes as `NMC532_Colclasure20`; coefficients from the paper's
 *   supplementary fit). y = x here.
 * - D(x), seed 003 Fig. 4c: the seed's black curve is drawn through literature GITT/NMR data
 *   (its refs 4, 32–35: Märker 2019, Verma 2017 (NMC532 GITT), Hong 2020, Yang 2012 (NMC532),
 *   Jiang 2020); the seed's text gives no numbers, only the trend: D "low at the start of
 *   charging (x ≈ 1) and increases as the charging proceeds", "orders of magnitude lower in the
 *   fully lithiated state", low over x = 1.0–0.8. We use the Colclasure NMC532 fit, which has
 *   exactly that shape (1.4e-19 m²/s at x = 1, 2.9e-17 at 0.975, 5.0e-16 at 0.95, ≈3.5e-15
 *   for x = 0.9–0.7, 4.7e-15 at 0.5), made monotone in x (running maximum of log10 D from
 *   x = 1 downward: removes the polynomial's 0.08-decade dip at x ≈ 0.8 so D never falls as
 *   charge proceeds, as the seed states), with a 1e-18 m²/s floor. No further adjustment (an
 *   earlier one-decade "deepening" over x = 0.8–1.0 was our own assumption and gave a 15 %
 *   first-cycle loss against the seed's ≈10 %; the published curve gives 9 %, docs/electrode.md).
 * - κ(x), seed 003 Fig. 4b (black curve through refs 30, 38–41): Amin & Chiang, J. Electrochem.
 *   Soc. 163 (2016) A1512 (seed ref 39, NMC523 = this composition): electronic conductivity
 *   "∼10⁻⁷ S cm⁻¹ to ∼10⁻² S cm⁻¹" from Li content 1 to 0.25, i.e. 1e-5 → 1 S/m. The seed adds
 *   that the rise is steepest on the first Li removal (semiconductor → metallic, refs 39–43,
 *   as LiCoO2): 1e-3 S/m at x = 0.95, 1e-2 at 0.9, 0.1 at 0.8 are our reading of that
 *   statement (the figure's points are not in the text); log-PCHIP between the knots.
 */
import { arrhenius, type Differentiable, linearlyContinued, polynomialWithDerivative } from "./common.js";
import { defineMaterial } from "./define.js";
import type { Material } from "./material.js";
import { logTable } from "./tabulated.js";

const COLCLASURE = "Colclasure et al., Electrochim. Acta 337 (2020) 135854";
const SHARMA = "Sharma et al., Nano Lett. 22 (2022) 5883 (seed 003), Fig. 4b/4c";
const AMIN_CHIANG = "Amin & Chiang, J. Electrochem. Soc. 163 (2016) A1512 (seed 003 ref 39)";

/** Colclasure 2020 OCV: 14th-order polynomial (lowest order first) … */
const OCV_COEFFICIENTS = [
  5.3147356330003, -4.15827660360906, 27.2340921804213, -272.485166844578, 1190.22342119331,
  -2073.76554757481, -829.790460410703, 8698.11275534872, -10743.7433318619, -2057.80887352635,
  12656.309785124, -1571.09426436509, -14557.4206229136, 13176.5754448427, -3640.11769200149,
] as const;
/** … plus −5.57319176272331e-4·exp(6.56024084265969·y^41.4820927506133) [V]. */
const OCV_EXP_AMPLITUDE = -5.57319176272331e-4;
const OCV_EXP_RATE = 6.56024084265969;
const OCV_EXP_POWER = 41.4820927506133;

/** Colclasure 2020 NMC532 U(y) [V] with analytic dU/dy [V], on the fitted range (y ≥ 0). */
export const colclasureOpenCircuitPotential: Differentiable = {
  value(y) {
    const [p] = polynomialWithDerivative(OCV_COEFFICIENTS, y);
    return p + OCV_EXP_AMPLITUDE * Math.exp(OCV_EXP_RATE * y ** OCV_EXP_POWER);
  },
  derivative(y) {
    const [, dp] = polynomialWithDerivative(OCV_COEFFICIENTS, y);
    const yp = y ** (OCV_EXP_POWER - 1);
    return dp + OCV_EXP_AMPLITUDE * Math.exp(OCV_EXP_RATE * yp * y) * OCV_EXP_RATE * OCV_EXP_POWER * yp;
  },
};

/** Colclasure log10 D polynomial (D in cm²/s, including the 2e4 prefactor), lowest order first. */
const LOG_D_COEFFICIENTS = [
  -9.292 + Math.log10(2e4),
  -83.16,
  575.3,
  -2286,
  5817,
  -9806,
  10038,
  -3319,
  -5269,
  6642,
  -2319,
] as const;

/** Lower end of the range where the Colclasure D and i0 polynomials are used as published. */
const FIT_LOWER_Y = 0.25;
const I0_FIT_LOWER_Y = 0.3;

/**
 * log10 of the Colclasure chemical diffusivity in m²/s:
 * D(y) = 2e4·10^(−2319y¹⁰ + 6642y⁹ − 5269y⁸ − 3319y⁷ + 10038y⁶ − 9806y⁵ + 5817y⁴ − 2286y³
 *        + 575.3y² − 83.16y − 9.292)/1e4 [m²/s]; continued linearly in log10 below y = 0.25,
 * where the polynomial shoots up outside its data.
 */
export function colclasureLog10Diffusivity(y: number): number {
  if (y < FIT_LOWER_Y) {
    const [p, dp] = polynomialWithDerivative(LOG_D_COEFFICIENTS, FIT_LOWER_Y);
    return p + dp * (y - FIT_LOWER_Y) - 4;
  }
  const [p] = polynomialWithDerivative(LOG_D_COEFFICIENTS, y);
  return p - 4;
}

/** Smooth floor on D [m²/s] so the fully lithiated end stays numerically usable (τ(5 µm) ≈ 290 d). */
const DIFFUSIVITY_FLOOR = 1e-18;

/** Grid of the monotone hull: x from 1 down to 0.1 in steps of 0.0025. */
const HULL_STEP = 0.0025;
const HULL_HI = 1.0;
const HULL_LO = 0.1;
/** log10 D of the Colclasure fit, running maximum from x = 1 downward (non-increasing in x). */
const HULL_LOG_D: Float64Array = (() => {
  const n = Math.round((HULL_HI - HULL_LO) / HULL_STEP) + 1;
  const out = new Float64Array(n);
  let running = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    running = Math.max(running, colclasureLog10Diffusivity(HULL_HI - k * HULL_STEP));
    out[k] = running;
  }
  return out;
})();

/**
 * log10 of the seed-003 NMC532 diffusivity [m²/s] without floor: the Colclasure fit made
 * monotone (D never falls as x decreases from 1), linear in x between hull nodes; the raw fit
 * outside x ∈ [0.1, 1].
 */
export function nmc532Log10Diffusivity(x: number): number {
  if (!(x <= HULL_HI && x >= HULL_LO)) return colclasureLog10Diffusivity(x);
  const t = (HULL_HI - x) / HULL_STEP;
  const k = Math.min(Math.floor(t), HULL_LOG_D.length - 2);
  const w = t - k;
  return HULL_LOG_D[k] * (1 - w) + HULL_LOG_D[k + 1] * w;
}

/** NMC532 chemical diffusivity [m²/s] at Li fraction x and T [K] (Arrhenius 18.55 kJ/mol, assumption). */
export function nmc532Diffusivity(x: number, temperature: number): number {
  const d = 10 ** nmc532Log10Diffusivity(x) + DIFFUSIVITY_FLOOR;
  return d * arrhenius(18.55e3, temperature);
}

/** Colclasure i0 shape 165y⁵ − 752.4y⁴ + 1241y³ − 941.7y² + 325y − 35.85 (lowest order first). */
const I0_SHAPE_COEFFICIENTS = [-35.85, 325, -941.7, 1241, -752.4, 165] as const;

/** The i0 shape [-], continued log-linearly (C¹) below y = 0.3 where the quintic turns negative. */
export function colclasureExchangeShape(y: number): number {
  if (y < I0_FIT_LOWER_Y) {
    const [p, dp] = polynomialWithDerivative(I0_SHAPE_COEFFICIENTS, I0_FIT_LOWER_Y);
    return p * Math.exp((dp / p) * (y - I0_FIT_LOWER_Y));
  }
  return polynomialWithDerivative(I0_SHAPE_COEFFICIENTS, y)[0];
}

/** Rate constant multiplying the shape [A/m²] — assumption (i0 ≈ 2.2 A/m² at x = 0.5). */
const K0 = 0.5;

const nmc532Conductivity = logTable([1.0, 0.95, 0.9, 0.8, 0.6, 0.1], [-5, -3, -2, -1, 0, 0]);

export const NMC532: Material = defineMaterial({
  name: "NMC532",
  aliases: ["NCM532", "NMC523", "NCM523", "LiNi0.5Mn0.3Co0.2O2"],
  formula: "LiNi0.5Mn0.3Co0.2O2",
  metals: { Ni: 0.5, Mn: 0.3, Co: 0.2 },
  nominalWindow: { xMin: 0.335, xMax: 1.0 },
  windowInfo: { source: COLCLASURE, note: "x = 1 (pristine, U ≈ 2.99 V) to x = 0.335 (U = 4.30 V)" },
  validRange: [0.1, 1.0],
  ocv: linearlyContinued(colclasureOpenCircuitPotential, 0.25, 1.0),
  ocvInfo: {
    source: `${COLCLASURE} (supplementary OCV fit, as distributed with MPET)`,
    note: "14th-order polynomial + exponential term; continued linearly (C¹) below x = 0.25 and above x = 1",
  },
  diffusivity: nmc532Diffusivity,
  diffusivityInfo: {
    source: `${COLCLASURE}, as the low-D-near-x = 1 curve of ${SHARMA}`,
    seed: "003",
    assumption: true,
    note: "Colclasure D(y), made monotone (running maximum of log10 D from x = 1 downward; ≤ 0.08 decade change near x = 0.8) + 1e-18 m²/s floor; 1.4e-19 m²/s at x = 1, 5e-16 at 0.95, ≈3.5e-15 at 0.9–0.7; log-linear continuation below x = 0.25; Arrhenius 18.55 kJ/mol (Mohtat 2020, assumption)",
  },
  exchangeCurrent: (x, electrolyteConcentration, temperature) =>
    K0 *
    colclasureExchangeShape(x) *
    Math.sqrt(Math.max(electrolyteConcentration, 0) / 1200) *
    arrhenius(2.401e4, temperature),
  exchangeCurrentInfo: {
    source: COLCLASURE,
    assumption: true,
    note: "i0 = k0·(165y⁵ − 752.4y⁴ + 1241y³ − 941.7y² + 325y − 35.85)·(c_l/1.2 M)^0.5; k0 = 0.5 A/m² is our assumption (not in REFERENCE); log-linear continuation below x = 0.3; 24.01 kJ/mol assumed",
  },
  conductivity: nmc532Conductivity,
  conductivityInfo: {
    source: `${AMIN_CHIANG}; steep rise on the first Li removal per ${SHARMA}`,
    seed: "003",
    assumption: true,
    note: "log-PCHIP: 1e-5 S/m at x = 1 and 1 S/m at low x (Amin & Chiang: ∼1e-7 → ∼1e-2 S/cm, NMC523); 1e-3 at 0.95, 1e-2 at 0.9, 0.1 at 0.8, 1 S/m for x ≤ 0.6 (knot positions our reading of seed 003's 'several orders of magnitude lower in the pristine state'); several orders below the ≈1e4 S/m carbon binder",
  },
  lattice: {
    x: [0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0],
    aAngstrom: [2.815, 2.815, 2.816, 2.822, 2.834, 2.852, 2.869],
    cAngstrom: [13.95, 14.2, 14.4, 14.46, 14.4, 14.31, 14.24],
    source: "assumption: between the NMC111 and NMC622 tables of REFERENCE §2",
    assumption: true,
  },
  youngsModulus: 140e9,
  poissonRatio: 0.3,
  elasticInfo: {
    source: "REFERENCE §3: NMC532 secondary particles ≈140 GPa (nanoindentation); ν = 0.3 assumed",
  },
  doubleLayerCapacitance: 0.2,
  doubleLayerInfo: { source: "assumption: 20 µF/cm², as O'Regan 2022 for NMC811", assumption: true },
  transferCoefficients: { anodic: 0.5, cathodic: 0.5 },
  transferInfo: { source: COLCLASURE, note: "exponent 0.5 on c_l, symmetric Butler–Volmer" },
  referenceElectrolyteConcentration: 1200,
});
