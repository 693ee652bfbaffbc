// Public face of imaging/. Part A (volumes, threshold, label, fill holes, distance, synthetic):

export * from "./distance.js";
export * from "./fill-holes.js";
export * from "./label.js";
export * from "./threshold.js";
export * from "./volume.js";
