/**
 * Readers and writers over bytes (no file-system access; the same code runs in the browser):
 * instrument files (BioLogic .mpt/.mpr, Gamry .DTA, ZPlot .z, Maccor, CSV), TIFF, NPY, PNG and
 * raw volumes, CSV/JSON writers. Reading by path and atomic output folders are Node-only and live
 * in `cathodelab/node`.
 */
export * from "./csv.js";
export * from "./instruments/index.js";
export * from "./npy.js";
export * from "./png.js";
export * from "./raw.js";
export * from "./tiff.js";
