// Public face of imaging/xrdct: XRD-CT lattice maps (seed 004) and the per-particle statistics,
// edge → core profiles and particle masks shared with the AFM analysis.
export * from "./analyse.js";
export * from "./edge-core.js";
export * from "./li-content.js";
export * from "./outliers.js";
export * from "./particle-statistics.js";
export * from "./particles.js";
export * from "./render-map.js";
export * from "./synthetic.js";
