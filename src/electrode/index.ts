/** Public face of the electrode network model (SPEC §3.6, seed 003). */
export * from "./figures.js";
export * from "./import.js";
export * from "./linear.js";
export * from "./microstructure.js";
export * from "./model.js";
export * from "./optical.js";
export * from "./random.js";
export * from "./run.js";
export * from "./simulate.js";
export * from "./spec.js";
export * from "./switching.js";
export * from "./tables.js";
