// Public face of imaging/afm: ESM / C-AFM / topography maps (seed 002).
export * from "./analyse.js";
export * from "./matrix-text.js";
