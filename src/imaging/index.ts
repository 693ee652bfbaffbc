// Public face of imaging/. Kept sorted (biome organizes exports).
// Part A: volume, threshold, label, fill-holes, distance, random, synthetic.
// Part B: morphology, regionprops, marching cubes, skeletons, profiles, cracks, smoothing.
// Issue 7: afm, optical, xrdct (as namespaces) and the R-3m crystallography helpers.
export * as afm from "./afm/index.js";
export * from "./cracks.js";
export * from "./crystallography.js";
export * from "./distance.js";
export * from "./fill-holes.js";
export * from "./label.js";
export * from "./marching-cubes.js";
export * from "./morphology.js";
export * as optical from "./optical/index.js";
export * from "./radial-profile.js";
export * from "./random.js";
export * from "./regionprops.js";
export * from "./skeleton.js";
export * from "./skeleton-graph.js";
export * from "./smoothing.js";
export * from "./synthetic.js";
export * from "./threshold.js";
export * from "./volume.js";
export * from "./watershed.js";
export * as xrdct from "./xrdct/index.js";
