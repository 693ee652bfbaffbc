/**
 * Analyses of measured or simulated records: EIS circuits and fits with lin-KK (eis), PITT sphere
 * series and record fits (pitt), GITT (gitt), relaxed OCV and dU/dx (ocv), rate limits and Biot
 * maps (ratelimit), the virtual seed-000 study (study) and synchrony metrics of particle
 * populations (synchrony). Pure computation: arrays in SI units in, results out; no I/O.
 */
export * from "./eis/index.js";
export * from "./gitt/index.js";
export * from "./ocv/index.js";
export * from "./pitt/index.js";
export * from "./ratelimit/index.js";
export * from "./study/index.js";
export * from "./synchrony/index.js";
