/** Physical constants (CODATA 2018 exact values), SI. SPEC §1. */

/** Faraday constant [C/mol]. */
export const FARADAY = 96485.33212;
/** Molar gas constant [J/(mol·K)]. */
export const GAS_CONSTANT = 8.314462618;
/** Avogadro constant [1/mol]. */
export const AVOGADRO = 6.02214076e23;
/** Default temperature [K]. */
export const T_REF = 298.15;
/** Seconds per hour. */
export const SECONDS_PER_HOUR = 3600;
/** Thermal voltage R·T/F at the default temperature [V]. */
export const THERMAL_VOLTAGE_REF = (GAS_CONSTANT * T_REF) / FARADAY;
