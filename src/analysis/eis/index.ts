/**
 * Equivalent-circuit EIS analysis (SPEC §4): circuit elements, impedance.py-compatible circuit
 * strings, complex non-linear least-squares fits, the lin-KK test and the particle closed forms.
 */
export * from "./circuit.js";
export * from "./elements.js";
export * from "./fit.js";
export * from "./linkk.js";
export * from "./particle.js";
