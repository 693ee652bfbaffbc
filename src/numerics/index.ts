/** Public face of the numerics layer: linear solvers, Newton, least squares, special functions. */
export * from "./banded.js";
export * from "./complex.js";
export * from "./interpolate.js";
export * from "./least-squares.js";
export * from "./newton.js";
export * from "./roots.js";
export * from "./sparse.js";
export * from "./special.js";
export * from "./statistics.js";
export * from "./tridiagonal.js";
