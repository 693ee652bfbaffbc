/**
 * Helpers shared by the material modules: Arrhenius factors, a smooth positive floor for
 * Newman-type i0 factors, C¹ linear continuation of analytic OCV fits beyond the range they were
 * fitted on, and crystallographic bookkeeping (X-ray density, c_max, capacities).
 */
import { AVOGADRO, FARADAY, GAS_CONSTANT, T_REF } from "../constants.js";

/** Atomic masses [g/mol] (IUPAC 2021 standard atomic weights, abridged). */
export const ATOMIC_MASS = {
  Li: 6.94,
  Ni: 58.693,
  Mn: 54.938,
  Co: 58.933,
  Al: 26.982,
  O: 15.999,
} as const;

/**
 * Molar mass of Li M O2 [kg/mol] for a transition-metal mix given as fractions summing to 1.
 * @param metals e.g. { Ni: 0.8, Mn: 0.1, Co: 0.1 }
 */
export function layeredOxideMolarMass(metals: Partial<Record<"Ni" | "Mn" | "Co" | "Al", number>>): number {
  let m = ATOMIC_MASS.Li + 2 * ATOMIC_MASS.O;
  let sum = 0;
  for (const [el, f] of Object.entries(metals)) {
    m += (f ?? 0) * ATOMIC_MASS[el as keyof typeof ATOMIC_MASS];
    sum += f ?? 0;
  }
  if (Math.abs(sum - 1) > 1e-9) throw new Error(`metal fractions sum to ${sum}, expected 1`);
  return m / 1000;
}

/** Hexagonal (R-3m) unit-cell volume V = (√3/2)·a²·c [m³] from a, c [m] (REFERENCE §2). */
export function hexagonalCellVolume(a: number, c: number): number {
  return (Math.sqrt(3) / 2) * a * a * c;
}

/**
 * X-ray density of an R-3m LiMO2 cell (Z = 3 formula units per hexagonal cell) [kg/m³].
 * @param a lattice parameter a [m]
 * @param c lattice parameter c [m]
 * @param molarMass molar mass of LiMO2 [kg/mol]
 */
export function xrayDensity(a: number, c: number, molarMass: number): number {
  return (3 * molarMass) / (AVOGADRO * hexagonalCellVolume(a, c));
}

/** Theoretical specific capacity F/M for one Li per formula unit [C/kg]. */
export function theoreticalSpecificCapacity(molarMass: number): number {
  return FARADAY / molarMass;
}

/** mAh/g → C/kg (1 mAh/g = 3.6 C/g = 3600 C/kg). */
export const MAH_PER_G = 3.6e3;
/** mAh/cm³ → C/m³ (1 mAh/cm³ = 3.6 C/cm³ = 3.6e6 C/m³). */
export const MAH_PER_CM3 = 3.6e6;
/** Å → m. */
export const ANGSTROM = 1e-10;
/** mA/cm² → A/m². */
export const MA_PER_CM2 = 10;
/** cm²/s → m²/s. */
export const CM2_PER_S = 1e-4;
/** S/cm → S/m. */
export const S_PER_CM = 100;

/** Convert a specific capacity [C/kg] to mAh/g. */
export function toMahPerGram(capacity: number): number {
  return capacity / MAH_PER_G;
}

/**
 * Arrhenius factor exp(Ea/R·(1/T_ref − 1/T)) [-].
 * @param activationEnergy [J/mol]
 * @param temperature [K]
 * @param referenceTemperature [K] (default 298.15 K)
 */
export function arrhenius(
  activationEnergy: number,
  temperature: number,
  referenceTemperature = T_REF,
): number {
  return Math.exp((activationEnergy / GAS_CONSTANT) * (1 / referenceTemperature - 1 / temperature));
}

/**
 * Smooth positive floor ½(u + √(u² + ε²)): ≈ u for u ≫ ε, ε/2 at u = 0, > 0 always, C^∞.
 * Used on the s and (1 − s) factors of Newman-type exchange currents so that i0 stays positive
 * (and the particle can start charging) at x = 1 exactly. Relative change ε²/(4u²): 2.5e-5 at
 * u = 0.1 with ε = 1e-3.
 */
export function softPositive(u: number, epsilon = 1e-3): number {
  return 0.5 * (u + Math.sqrt(u * u + epsilon * epsilon));
}

/** A scalar function with its analytic derivative. */
export interface Differentiable {
  value(x: number): number;
  derivative(x: number): number;
}

/**
 * Continue an analytic fit linearly (value and slope matched, C¹) below `lo` and above `hi`,
 * so that an OCV polynomial is never evaluated far outside the range it was fitted on.
 */
export function linearlyContinued(f: Differentiable, lo: number, hi: number): Differentiable {
  const uLo = f.value(lo);
  const sLo = f.derivative(lo);
  const uHi = f.value(hi);
  const sHi = f.derivative(hi);
  return {
    value: (x) => (x < lo ? uLo + sLo * (x - lo) : x > hi ? uHi + sHi * (x - hi) : f.value(x)),
    derivative: (x) => (x < lo ? sLo : x > hi ? sHi : f.derivative(x)),
  };
}

/** Evaluate a polynomial Σ c_k x^k (coefficients lowest order first) and its derivative (Horner). */
export function polynomialWithDerivative(coefficients: readonly number[], x: number): [number, number] {
  let p = 0;
  let dp = 0;
  for (let k = coefficients.length - 1; k >= 0; k--) {
    dp = dp * x + p;
    p = p * x + coefficients[k];
  }
  return [p, dp];
}
