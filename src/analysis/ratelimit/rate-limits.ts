/**
 * Rate limits of a single intercalation particle (seed 000, "Single-particle PITT of NMC333",
 * eqns 4 and 6–8; SPEC §3.5).
 *
 *   interfacial limit  C_j = A·i0·[exp(Fη/2RT) − exp(−Fη/2RT)]/(V·C_p)      (eqn 6, α = ½)
 *   diffusion limit    C_D = 3600·D/r²                                     (eqns 7–8)
 *   Biot number        B = r·i0·|∂U/∂c|/(D·R·T)                            (eqn 4)
 *
 * With A [m²], V [m³], i0 [A/m²] and the volumetric capacity C_p [C/m³], eqn 6 gives a rate in
 * 1/s; ×3600 converts it to the C-rate (1/h). For a sphere A/V = 3/r. B scales linearly with
 * the radius at fixed material properties, C_D as 1/r², C_j as 1/r.
 */
import { FARADAY, GAS_CONSTANT, SECONDS_PER_HOUR, T_REF } from "../../constants.js";

/** Regime from the Biot number (seed 000): B < 0.1 reaction-limited, B > 10 diffusion-limited. */
export type KineticRegime = "reaction-limited" | "mixed" | "diffusion-limited";

export function kineticRegime(biot: number): KineticRegime {
  if (biot < 0.1) return "reaction-limited";
  if (biot > 10) return "diffusion-limited";
  return "mixed";
}

/**
 * Interfacially limited C-rate [1/h] (seed 000 eqn 6).
 * @param exchangeCurrentDensity i0 [A/m²]
 * @param overpotential η [V] (the acceptable interfacial overpotential, e.g. 0.1)
 * @param surfaceToVolume A/V [1/m] (3/r for a sphere)
 * @param volumetricCapacity C_p [C/m³] (NMC333: 1097 mAh/cm³ = 3.949e9 C/m³, seed 000)
 * @param temperature T [K]
 */
export function interfacialLimitedCRate(
  exchangeCurrentDensity: number,
  overpotential: number,
  surfaceToVolume: number,
  volumetricCapacity: number,
  temperature = T_REF,
): number {
  const a = (FARADAY * overpotential) / (2 * GAS_CONSTANT * temperature);
  const perSecond =
    (surfaceToVolume * exchangeCurrentDensity * (Math.exp(a) - Math.exp(-a))) / volumetricCapacity;
  return perSecond * SECONDS_PER_HOUR;
}

/**
 * Diffusion-limited C-rate [1/h] (seed 000 eqn 8): C_D = 3600·D/r².
 * @param diffusivity D [m²/s]
 * @param radius r [m]
 */
export function diffusionLimitedCRate(diffusivity: number, radius: number): number {
  return (SECONDS_PER_HOUR * diffusivity) / (radius * radius);
}

/**
 * Electrochemical Biot number (seed 000 eqn 4): B = r·i0·|∂U/∂c|/(D·R·T) [-].
 * @param radius r [m]; @param exchangeCurrentDensity i0 [A/m²]
 * @param dUdc ∂U/∂c [V·m³/mol] (sign ignored); @param diffusivity D [m²/s]; @param temperature T [K]
 */
export function biotNumber(
  radius: number,
  exchangeCurrentDensity: number,
  dUdc: number,
  diffusivity: number,
  temperature = T_REF,
): number {
  return (radius * exchangeCurrentDensity * Math.abs(dUdc)) / (diffusivity * GAS_CONSTANT * temperature);
}

/** Exchange current density [A/m²] from a Biot number: i0 = B·D·R·T/(r·|∂U/∂c|) (seed 000). */
export function exchangeCurrentFromBiot(
  biot: number,
  diffusivity: number,
  radius: number,
  dUdc: number,
  temperature = T_REF,
): number {
  return (biot * diffusivity * GAS_CONSTANT * temperature) / (radius * Math.abs(dUdc));
}

/** B at another radius: B scales linearly with r (seed 000, Fig. 6a). */
export function scaleBiotToRadius(biot: number, fromRadius: number, toRadius: number): number {
  return (biot * toRadius) / fromRadius;
}

/**
 * ∂U/∂c [V·m³/mol] from ∂U/∂x [V] with x = c/c_max: ∂U/∂c = (∂U/∂x)/c_max.
 * @param maxConcentration c_max [mol/m³]
 */
export function dUdcFromdUdx(dUdx: number, maxConcentration: number): number {
  return dUdx / maxConcentration;
}

/**
 * Surface-area correction of an apparent exchange current density (seed 000, Fig. 3d and the
 * text around it): j0 computed with the outer sphere area is divided by the ratio of the
 * measured surface/volume ratio to that of the pristine (or equivalent) sphere — the volume
 * does not change on fracture, so that ratio is the area ratio:
 *   j0,true = j0,apparent / ((S/V)_actual / (S/V)_pristine).
 * @param apparent j0 computed with the pristine area [A/m²]
 * @param normalisedSurfaceToVolume (S/V)_actual/(S/V)_pristine [-] (≥ 1 for a fractured particle;
 *   ≈3 at 4.5 V for NCA in seed 000)
 */
export function areaCorrectedExchangeCurrentDensity(
  apparent: number,
  normalisedSurfaceToVolume: number,
): number {
  return apparent / normalisedSurfaceToVolume;
}

/**
 * (S/V)/(S/V of the sphere of the same volume) from a measured surface area S [m²] and solid
 * volume V [m³] (e.g. from tomography): sphere of volume V has r = (3V/4π)^(1/3), S/V = 3/r.
 */
export function normalisedSurfaceToVolume(surfaceArea: number, volume: number): number {
  const r = Math.cbrt((3 * volume) / (4 * Math.PI));
  return surfaceArea / volume / (3 / r);
}
