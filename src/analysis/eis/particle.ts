/**
 * Closed forms linking EIS to particle kinetics (SPEC §3.3, REFERENCE §4):
 *  - exchange current density from the charge-transfer resistance, j0 = R·T/(F·A·R_ct)
 *    (linearised Butler–Volmer; seed 000 uses it for j0(SOC));
 *  - the impedance of a single spherical particle, Rs + Rc‖CPEc + (Rct + Z_sphere)‖C_dl, with
 *    the finite spherical diffusion element Z_sphere = R_D·tanh(s)/(s − tanh s), s = √(jωτ),
 *    R_D = |dU/dc|·Rp/(F·A·D), τ = Rp²/D (Jacobsen & West, Electrochim. Acta 40 (1995) 255),
 *    used to check the particle model's small-signal EIS.
 */
import { FARADAY, GAS_CONSTANT, T_REF } from "../../constants.js";
import { requirePositive } from "../../errors.js";
import { CPE, WARBURG_SPHERE } from "./elements.js";

/**
 * Exchange current density from a charge-transfer resistance: j0 = R·T/(F·A·R_ct).
 * Check (REFERENCE §4): R_ct = 50 Ω, A = 1 cm², 298.15 K → 5.14e-4 A/cm² = 5.14 A/m².
 * @param chargeTransferResistance R_ct [Ω]
 * @param area electrochemically active area A [m²]
 * @param temperature T [K], default 298.15
 * @returns j0 [A/m²]
 */
export function exchangeCurrentFromRct(
  chargeTransferResistance: number,
  area: number,
  temperature = T_REF,
): number {
  requirePositive(chargeTransferResistance, "R_ct", "Ohm");
  requirePositive(area, "area", "m2");
  requirePositive(temperature, "temperature", "K");
  return (GAS_CONSTANT * temperature) / (FARADAY * area * chargeTransferResistance);
}

/** Charge-transfer resistance from j0 (inverse of exchangeCurrentFromRct): R_ct = R·T/(F·A·j0) [Ω]. */
export function chargeTransferResistance(
  exchangeCurrentDensity: number,
  area: number,
  temperature = T_REF,
): number {
  requirePositive(exchangeCurrentDensity, "j0", "A/m2");
  requirePositive(area, "area", "m2");
  return (GAS_CONSTANT * temperature) / (FARADAY * area * exchangeCurrentDensity);
}

/** Parameters of the closed-form single-particle impedance (all SI). */
export interface SphericalParticleImpedanceParams {
  /** Series (electrolyte/contact) resistance Rs [Ω]. */
  seriesResistance: number;
  /** Contact/film resistance Rc [Ω] (0 leaves out the Rc‖CPEc arc). */
  contactResistance?: number;
  /** CPE of the contact arc: Q [F·s^(α−1)] and α [-]. */
  contactQ?: number;
  contactAlpha?: number;
  /** Charge-transfer resistance Rct [Ω]. */
  chargeTransferResistance: number;
  /** Double-layer capacitance [F] (as CPE coefficient when doubleLayerAlpha < 1). */
  doubleLayerCapacitance: number;
  /** Double-layer CPE exponent α (1 = ideal capacitor, the default). */
  doubleLayerAlpha?: number;
  /** |dU/dc| [V·m³/mol]. */
  dUdc: number;
  /** Particle radius Rp [m]. */
  radius: number;
  /** Reacting surface area A [m²] (default 4πRp²). */
  area?: number;
  /** Chemical diffusivity D [m²/s]. */
  diffusivity: number;
}

/** R_D = |dU/dc|·Rp/(F·A·D) [Ω] and τ = Rp²/D [s] of the spherical diffusion element. */
export function sphericalDiffusionParameters(p: {
  dUdc: number;
  radius: number;
  area?: number;
  diffusivity: number;
}): { RD: number; tau: number } {
  requirePositive(p.radius, "radius", "m");
  requirePositive(p.diffusivity, "diffusivity", "m2/s");
  const area = p.area ?? 4 * Math.PI * p.radius ** 2;
  requirePositive(area, "area", "m2");
  return {
    RD: (Math.abs(p.dUdc) * p.radius) / (FARADAY * area * p.diffusivity),
    tau: p.radius ** 2 / p.diffusivity,
  };
}

/**
 * Intercalation capacitance C_int = F·V_p/|dU/dc| [F] (V_p = 4/3·π·Rp³): the low-frequency
 * limit of the spherical diffusion element is 1/(jω·C_int) + R_D/5 (REFERENCE §4).
 */
export function intercalationCapacitance(dUdc: number, radius: number): number {
  return (FARADAY * (4 / 3) * Math.PI * radius ** 3) / Math.abs(dUdc);
}

/**
 * Z(f) of the single-particle check circuit Rs + Rc‖CPEc + (Rct + Z_sphere)‖C_dl (SPEC §3.3).
 * @param frequency [Hz]
 * @returns Re, Im of Z [Ω]
 */
export function sphericalParticleImpedance(
  frequency: ArrayLike<number>,
  params: SphericalParticleImpedanceParams,
): { re: Float64Array; im: Float64Array } {
  const { RD, tau } = sphericalDiffusionParameters(params);
  requirePositive(params.doubleLayerCapacitance, "double-layer capacitance", "F");
  const rc = params.contactResistance ?? 0;
  const dlAlpha = params.doubleLayerAlpha ?? 1;
  const n = frequency.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const z = new Float64Array(2);
  const pSphere = [RD, tau];
  const pDl = [params.doubleLayerCapacitance, dlAlpha];
  const pContact = [params.contactQ ?? 1, params.contactAlpha ?? 1];
  for (let i = 0; i < n; i++) {
    const w = 2 * Math.PI * frequency[i];
    // Faradaic branch Rct + Z_sphere
    WARBURG_SPHERE.evaluate(w, pSphere, 0, z, null);
    const fRe = params.chargeTransferResistance + z[0];
    const fIm = z[1];
    // admittance of the branch plus the double layer jω^α·Q·e^{jαπ/2}
    const ff = fRe * fRe + fIm * fIm;
    CPE.evaluate(w, pDl, 0, z, null);
    const dd = z[0] * z[0] + z[1] * z[1];
    let yRe = fRe / ff + z[0] / dd;
    let yIm = -fIm / ff - z[1] / dd;
    let yy = yRe * yRe + yIm * yIm;
    let zr = params.seriesResistance + yRe / yy;
    let zi = -yIm / yy;
    if (rc > 0) {
      CPE.evaluate(w, pContact, 0, z, null);
      const cc = z[0] * z[0] + z[1] * z[1];
      yRe = 1 / rc + z[0] / cc;
      yIm = -z[1] / cc;
      yy = yRe * yRe + yIm * yIm;
      zr += yRe / yy;
      zi += -yIm / yy;
    }
    re[i] = zr;
    im[i] = zi;
  }
  return { re, im };
}

/**
 * The circuit string and parameter vector equivalent to `sphericalParticleImpedance`, for
 * fitting a simulated spectrum with the same model: `R0-p(R1,CPE1)-p(R2-Wsph1,CPE2)`
 * (or `R0-p(R2-Wsph1,CPE2)` without a contact arc).
 */
export function sphericalParticleCircuit(params: SphericalParticleImpedanceParams): {
  circuit: string;
  params: number[];
} {
  const { RD, tau } = sphericalDiffusionParameters(params);
  const dl = [params.doubleLayerCapacitance, params.doubleLayerAlpha ?? 1];
  const rc = params.contactResistance ?? 0;
  if (rc > 0) {
    return {
      circuit: "R0-p(R1,CPE1)-p(R2-Wsph1,CPE2)",
      params: [
        params.seriesResistance,
        rc,
        params.contactQ ?? 1,
        params.contactAlpha ?? 1,
        params.chargeTransferResistance,
        RD,
        tau,
        ...dl,
      ],
    };
  }
  return {
    circuit: "R0-p(R2-Wsph1,CPE2)",
    params: [params.seriesResistance, params.chargeTransferResistance, RD, tau, ...dl],
  };
}
