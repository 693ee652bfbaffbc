/**
 * Node helpers for HDF5 volumes: file paths in, the pure reader/writer of `hdf5.ts` inside.
 * Importing this module loads h5wasm's WebAssembly once (top-level await, ~0.2 s), after which
 * the synchronous functions below can be used by the synchronous volume readers (volume-io.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { extname } from "node:path";
import { InputError } from "../errors.js";
import {
  type Hdf5VolumeEntry,
  type Hdf5VolumeResult,
  hdf5Ready,
  readHdf5VolumeSync,
  type WriteHdf5Options,
  writeHdf5VolumesSync,
} from "./hdf5.js";

await hdf5Ready();

/** File extensions read and written as HDF5 (NeXus files included). */
export const HDF5_EXTENSIONS: ReadonlySet<string> = new Set([".h5", ".hdf5", ".hdf", ".he5", ".nxs", ".nx5"]);

/**
 * Split "scan.h5:/entry/data/data" into file and dataset path; a plain "scan.h5" has no
 * dataset. Returns undefined when the file part is not an HDF5 extension.
 */
export function splitHdf5Path(spec: string): { file: string; dataset?: string } | undefined {
  const m = spec.match(/^(.*?\.(?:h5|hdf5|hdf|he5|nxs|nx5)):(\/.*)$/i);
  if (m) return { file: m[1], dataset: m[2] };
  return HDF5_EXTENSIONS.has(extname(spec).toLowerCase()) ? { file: spec } : undefined;
}

/** Read a volume from an HDF5/NeXus file (dataset path optional, see `readHdf5VolumeSync`). */
export function readHdf5VolumeFile(path: string, options: { dataset?: string } = {}): Hdf5VolumeResult {
  if (!existsSync(path))
    throw new InputError("HDF5 file not found", { file: path, expected: "an existing .h5/.hdf5/.nxs file" });
  return readHdf5VolumeSync(readFileSync(path), { dataset: options.dataset, file: path });
}

/** HDF5 bytes of volumes on one grid (NeXus layout, see `writeHdf5VolumesSync`). */
export function hdf5VolumesBytes(volumes: Hdf5VolumeEntry[], options: WriteHdf5Options = {}): Uint8Array {
  return writeHdf5VolumesSync(volumes, options);
}
