// Public face of imaging/. Part A (volumes, threshold, label, fill holes, distance, synthetic):

export * from "./distance.js";
export * from "./fill-holes.js";
export * from "./label.js";
export * from "./threshold.js";
export * from "./volume.js";
// Part B (morphology, region properties, marching cubes, skeletons, profiles, cracks):
export * from "./marching-cubes.js";
export * from "./morphology.js";
export * from "./regionprops.js";
export * from "./skeleton.js";
export * from "./cracks.js";
export * from "./radial-profile.js";
export * from "./skeleton-graph.js";
export * from "./smoothing.js";
