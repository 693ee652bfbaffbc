// Public face of imaging/optical: operando optical image sequences (seed 003).
export * from "./intensity.js";
export * from "./render.js";
export * from "./rois.js";
export * from "./sequence.js";
export * from "./table.js";
