/** Single-particle model: public face. */
export * from "./grid.js";
export * from "./impedance.js";
export * from "./lookup.js";
export * from "./parameters.js";
export * from "./simulate.js";
export * from "./simulator.js";
