/**
 * Node-only helpers (`import … from "cathodelab/node"`): read instrument files and volumes by
 * path, write volumes, write output folders atomically (every SVG figure with a PNG beside it), and
 * rasterise SVG figures to PNG (`svgToPng`, resvg). Everything else in cathodelab is pure
 * and works on bytes and arrays, in Node and in the browser (`import … from "cathodelab"`).
 */
export { readImpedanceFile, readTimeSeriesFile } from "./io/instruments/node.js";
export { OutputDir, writeFileAtomic } from "./io/output-dir.js";
export { type PngOptions, svgToPng } from "./report/png-node.js";
export {
  parseVoxelSize,
  type ReadVolumeOptions,
  type ReadVolumeResult,
  readVolumeFile,
  readVolumeFileWithInfo,
  writeVolumeFile,
} from "./io/volume-io.js";
