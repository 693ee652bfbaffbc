/**
 * Node file helpers: read a volume from a TIFF stack, a folder of TIFF/PNG slices, an .npy file,
 * an HDF5/NeXus dataset ("scan.h5:/entry/data/data", hdf5.ts) or a raw file with its JSON header
 * in one call; write TIFF, NPY, HDF5, raw + JSON or PNG slices.
 *
 * Folder slices are decoded one at a time straight into one preallocated array (peak memory
 * ≈ volume + one slice). Writes go to a temporary name and are renamed when complete.
 */

import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { InputError } from "../errors.js";
import type { Volume, VoxelArray } from "../imaging/volume.js";
import { extractSlice, voxelConstructor, voxelTypeOf } from "../imaging/volume.js";
import { parseQuantity } from "../units.js";
import { HDF5_EXTENSIONS, hdf5VolumesBytes, readHdf5VolumeFile, splitHdf5Path } from "./hdf5-node.js";
import { npyParts, readNpy } from "./npy.js";
import { encodePngSlice, readPng } from "./png.js";
import { parseRawHeader, rawHeaderFor, readRaw } from "./raw.js";
import { readTiff, tiffParts } from "./tiff.js";

export interface ReadVolumeOptions {
  /**
   * Voxel size overriding the file's: a length with unit ("0.124um"), three comma-separated
   * lengths "dz,dy,dx" ("0.5um,0.124um,0.124um"), a number in metres, or [dz, dy, dx] in metres.
   */
  voxelSize?: string | number | readonly [number, number, number];
  /** Colour PNG slices: see `readPng` (default "error"). */
  rgb?: "error" | "mean" | "luma";
  /** TIFF ImageJ hyperstacks: channel and time frame to read (1-based; see `ReadTiffOptions`). */
  channel?: number;
  frame?: number;
  /** TIFF memory budget [bytes] (see `ReadTiffOptions.maxBytes`). */
  maxBytes?: number;
}

export interface ReadVolumeResult {
  volume: Volume;
  /** "tiff" | "tiff-folder" | "png-folder" | "npy" | "raw" | "hdf5". */
  format: string;
  /** Where the voxel size came from. */
  spacingSource: "option" | "file" | "default";
  /** Files read (one for a stack, all slices for a folder). */
  files: string[];
}

/** Parse a voxel-size option into [dz, dy, dx] metres. */
export function parseVoxelSize(
  v: string | number | readonly [number, number, number],
  field = "--voxel",
): [number, number, number] {
  if (typeof v === "number") {
    if (!(v > 0) || !Number.isFinite(v))
      throw new InputError("invalid voxel size", {
        field,
        value: String(v),
        expected: "a positive length in metres",
      });
    return [v, v, v];
  }
  if (Array.isArray(v)) {
    const a = v as readonly number[];
    if (a.length !== 3 || !a.every((x) => x > 0 && Number.isFinite(x))) {
      throw new InputError("invalid voxel size", {
        field,
        value: JSON.stringify(v),
        expected: "[dz, dy, dx] positive lengths in metres",
      });
    }
    return [a[0], a[1], a[2]];
  }
  const parts = String(v)
    .split(",")
    .map((s) => s.trim());
  if (parts.length !== 1 && parts.length !== 3) {
    throw new InputError("invalid voxel size", {
      field,
      value: String(v),
      expected: 'one length ("0.124um") or three "dz,dy,dx"',
    });
  }
  const q = parts.map((p) => parseQuantity(p, "length", { field, positive: true }));
  return q.length === 1 ? [q[0], q[0], q[0]] : [q[0], q[1], q[2]];
}

const SLICE_EXT = new Set([".tif", ".tiff", ".png"]);

/** Natural sort (slice_2 before slice_10). */
function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/** Read a volume from a path (file or folder of slices) with its metadata. */
export function readVolumeFileWithInfo(path: string, options: ReadVolumeOptions = {}): ReadVolumeResult {
  // HDF5/NeXus: "scan.h5" or "scan.h5:/entry/data/data" (voxel size from the file's attributes)
  const h5 = splitHdf5Path(path);
  if (h5) {
    const r = readHdf5VolumeFile(h5.file, { dataset: h5.dataset });
    const over = options.voxelSize !== undefined ? parseVoxelSize(options.voxelSize) : undefined;
    return {
      volume: over ? { ...r.volume, spacing: over } : r.volume,
      format: "hdf5",
      spacingSource: over ? "option" : r.spacingSource === "default" ? "default" : "file",
      files: [h5.file],
    };
  }
  if (!existsSync(path))
    throw new InputError("volume file not found", {
      file: path,
      expected: "an existing TIFF, NPY, raw (+ .json) file or a folder of slices",
    });
  const override = options.voxelSize !== undefined ? parseVoxelSize(options.voxelSize) : undefined;
  let volume: Volume;
  let format: string;
  let fromFile = false;
  let files = [path];
  if (statSync(path).isDirectory()) {
    const names = readdirSync(path)
      .filter((n) => SLICE_EXT.has(extname(n).toLowerCase()) && !n.startsWith("."))
      .sort(naturalCompare);
    if (names.length === 0)
      throw new InputError("no slice images in folder", {
        file: path,
        expected: "files ending in .tif, .tiff or .png",
      });
    const kinds = new Set(names.map((n) => (extname(n).toLowerCase() === ".png" ? "png" : "tif")));
    if (kinds.size > 1)
      throw new InputError("folder mixes PNG and TIFF slices", {
        file: path,
        expected: "slices of one format",
      });
    files = names.map((n) => join(path, n));
    const isPng = kinds.has("png");
    const readOne = (f: string): { v: Volume; fromFile: boolean } => {
      const bytes = readFileSync(f);
      if (isPng) return { v: readPng(bytes, { file: f, rgb: options.rgb }), fromFile: false };
      const r = readTiff(bytes, {
        file: f,
        channel: options.channel,
        frame: options.frame,
        maxBytes: options.maxBytes,
      });
      return { v: r.volume, fromFile: r.info.spacingFromFile };
    };
    const first = readOne(files[0]);
    const [fz, ny, nx] = first.v.shape;
    if (fz !== 1)
      throw new InputError("folder slice has several pages", {
        file: files[0],
        value: `${fz} pages`,
        expected: "one 2-D image per file",
      });
    const type = voxelTypeOf(first.v.data);
    const plane = ny * nx;
    const data = new (voxelConstructor(type))(plane * files.length);
    data.set(first.v.data as ArrayLike<number>, 0);
    for (let k = 1; k < files.length; k++) {
      const s = readOne(files[k]).v;
      if (s.shape[0] !== 1 || s.shape[1] !== ny || s.shape[2] !== nx || voxelTypeOf(s.data) !== type) {
        throw new InputError("inconsistent slice size in folder", {
          file: files[k],
          value: `${s.shape[0]}×${s.shape[1]}×${s.shape[2]} ${voxelTypeOf(s.data)}`,
          expected: `1×${ny}×${nx} ${type} like ${basename(files[0])}`,
        });
      }
      data.set(s.data as ArrayLike<number>, k * plane);
    }
    fromFile = first.fromFile;
    volume = { data, shape: [files.length, ny, nx], spacing: first.v.spacing };
    format = isPng ? "png-folder" : "tiff-folder";
  } else {
    const ext = extname(path).toLowerCase();
    if (ext === ".tif" || ext === ".tiff") {
      // zero-copy: an uncompressed contiguous stack is used in place of a second copy
      const r = readTiff(readFileSync(path), {
        file: path,
        zeroCopy: true,
        channel: options.channel,
        frame: options.frame,
        maxBytes: options.maxBytes,
      });
      volume = r.volume;
      fromFile = r.info.spacingFromFile;
      format = "tiff";
    } else if (ext === ".npy") {
      volume = readNpy(readFileSync(path), { file: path });
      format = "npy";
    } else if (ext === ".raw" || ext === ".json") {
      const rawPath = ext === ".raw" ? path : join(dirname(path), `${basename(path, ".json")}.raw`);
      const headerPath = ext === ".json" ? path : join(dirname(path), `${basename(path, ".raw")}.json`);
      if (!existsSync(headerPath))
        throw new InputError("raw volume without its JSON header", {
          file: path,
          expected: `a header file ${headerPath}`,
        });
      if (!existsSync(rawPath))
        throw new InputError("JSON header without its raw data", {
          file: path,
          expected: `a data file ${rawPath}`,
        });
      const header = parseRawHeader(readFileSync(headerPath, "utf8"), headerPath);
      volume = readRaw(readFileSync(rawPath), header, rawPath);
      fromFile = JSON.parse(readFileSync(headerPath, "utf8")).spacing !== undefined;
      files = [rawPath, headerPath];
      format = "raw";
    } else if (ext === ".png") {
      volume = readPng(readFileSync(path), { file: path, rgb: options.rgb });
      format = "png";
    } else {
      throw new InputError("unknown volume file type", {
        file: path,
        value: ext || "(no extension)",
        expected: ".tif, .tiff, .npy, .raw (+ .json), .png, .h5/.nxs or a folder of slices",
      });
    }
  }
  if (override) volume = { ...volume, spacing: override };
  return { volume, format, spacingSource: override ? "option" : fromFile ? "file" : "default", files };
}

/** Read a volume from a TIFF stack, a folder of slices, an .npy or a raw file (spacing in metres). */
export function readVolumeFile(path: string, options: ReadVolumeOptions = {}): Volume {
  return readVolumeFileWithInfo(path, options).volume;
}

function writeParts(path: string, parts: Uint8Array[]): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  const fd = openSync(tmp, "w");
  try {
    for (const p of parts) {
      // write in ≤ 1 GiB chunks
      for (let o = 0; o < p.length; ) o += writeSync(fd, p, o, Math.min(p.length - o, 1 << 30));
    }
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

/**
 * Write a volume; the format follows the path: .tif/.tiff (uncompressed ImageJ stack, spacing in
 * µm), .npy, .raw (+ .json header beside it), or a path without extension → a folder of 8/16-bit
 * PNG slices `slice_0000.png` … (created; must not contain slices already).
 */
export function writeVolumeFile(
  path: string,
  volume: Volume,
  options: { pngDepth?: 8 | 16; pngWindow?: readonly [number, number] } = {},
): void {
  const ext = extname(path).toLowerCase();
  if (ext === ".tif" || ext === ".tiff") writeParts(path, tiffParts(volume));
  else if (ext === ".npy") writeParts(path, npyParts(volume));
  else if (HDF5_EXTENSIONS.has(ext)) writeParts(path, [hdf5VolumesBytes([{ name: "data", volume }])]);
  else if (ext === ".raw") {
    const d: VoxelArray = volume.data;
    writeParts(path, [new Uint8Array(d.buffer, d.byteOffset, d.byteLength)]);
    writeParts(join(dirname(path), `${basename(path, ext)}.json`), [
      new TextEncoder().encode(rawHeaderFor(volume)),
    ]);
  } else if (ext === "") {
    mkdirSync(path, { recursive: true });
    if (readdirSync(path).some((n) => n.startsWith("slice_"))) {
      throw new InputError("output folder already holds slices", {
        file: path,
        expected: "an empty or new folder",
      });
    }
    const nz = volume.shape[0];
    const width = Math.max(4, String(nz - 1).length);
    for (let z = 0; z < nz; z++) {
      const png = encodePngSlice(extractSlice(volume, z), {
        depth: options.pngDepth,
        window: options.pngWindow,
      });
      writeParts(join(path, `slice_${String(z).padStart(width, "0")}.png`), [png]);
    }
  } else {
    throw new InputError("unknown output volume type", {
      file: path,
      value: ext,
      expected: ".tif, .tiff, .npy, .raw, .h5 or a folder path without extension",
    });
  }
}
