/**
 * Node-only helpers (`import … from "cathodelab/node"`): read instrument files and volumes by
 * path, write volumes, and write output folders atomically. Everything else in cathodelab is pure
 * and works on bytes and arrays, in Node and in the browser (`import … from "cathodelab"`).
 */
export { readImpedanceFile, readTimeSeriesFile } from "./io/instruments/node.js";
export { OutputDir, writeFileAtomic } from "./io/output-dir.js";
export {
  parseVoxelSize,
  type ReadVolumeOptions,
  type ReadVolumeResult,
  readVolumeFile,
  readVolumeFileWithInfo,
  writeVolumeFile,
} from "./io/volume-io.js";
