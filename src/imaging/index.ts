// Public face of imaging/. Part A (volumes, threshold, label, fill holes, distance, synthetic):
export * from "./volume.js";
