/**
 * HDF5 / NeXus volumes through h5wasm (the HDF5 C library compiled to WebAssembly, shipped in
 * the npm package; runs in Node and in the browser). Pure: bytes in, bytes out; the files live
 * only in h5wasm's in-memory file system for the duration of one call.
 *
 * h5wasm loads asynchronously: `await hdf5Ready()` once, then the *Sync functions may be
 * called; `readHdf5Volume`/`writeHdf5Volumes` do both. Node code that needs a synchronous
 * reader imports `hdf5-node.ts`, which awaits the module at import time.
 *
 * Reading (`readHdf5VolumeSync`): the dataset is given by its path ("/entry/data/data"), or
 * found by the NeXus default chain (root @default → NXentry @default → NXdata @signal, NeXus
 * NXDL "NXdata"), or is the only dataset with ≥ 2 dimensions. The voxel size [dz, dy, dx] is
 * taken from, in this order, on the dataset and then its parent group:
 *  1. `element_size_um` (vigra/ilastik convention, µm, z y x);
 *  2. `voxel_size`, `pixel_size`, `spacing`, `resolution` or `voxel_size_m` (one value or three,
 *     z y x) with a unit in `<name>_units` or `<name>@units`-style attribute `<name>_unit`;
 *     without a unit the value is read as metres (`voxel_size_m`, SI);
 *  3. NeXus NXdata axes: the parent group's `axes` names three coordinate datasets with a
 *     `units` attribute; the spacing is their (uniform) step.
 * Supported element types: 8/16/32-bit integers and 32/64-bit floats (int8 → int16, 64-bit
 * integers → float64 when |v| < 2⁵³); 2-D datasets become one slice; leading axes of length 1
 * are dropped.
 *
 * Writing (`writeHdf5VolumesSync`): one NeXus file /entry (NXentry) → /entry/data (NXdata,
 * @signal = the first volume, @axes = z y x) with each volume as a chunked, deflate-compressed
 * dataset carrying `voxel_size` [dz, dy, dx] and `voxel_size_units` = "m", plus the voxel-centre
 * coordinate datasets z, y, x in metres, so that the reader above, h5py and NeXus tools
 * (NeXpy, silx, ParaView's NetCDF/HDF readers) find the grid.
 */
import h5wasm from "h5wasm";
import { InputError } from "../errors.js";
import type { Volume, VoxelArray } from "../imaging/volume.js";
import { parseQuantity } from "../units.js";

type H5 = typeof h5wasm;
type H5Group = InstanceType<H5["Group"]>;
type H5Dataset = InstanceType<H5["Dataset"]>;
type H5Fs = {
  writeFile(p: string, d: Uint8Array): void;
  readFile(p: string): Uint8Array;
  unlink(p: string): void;
};

let fs: H5Fs | undefined;
let counter = 0;

/** Load h5wasm's WebAssembly module (idempotent). */
export async function hdf5Ready(): Promise<void> {
  if (fs) return;
  const m = await h5wasm.ready;
  // HDF5 errors become JS exceptions carrying the error stack (instead of printing to stderr)
  (m as unknown as { activate_throwing_error_handler(): number }).activate_throwing_error_handler();
  fs = m.FS as unknown as H5Fs;
}

/** True once `hdf5Ready()` has resolved. */
export function isHdf5Ready(): boolean {
  return fs !== undefined;
}

function requireFs(): H5Fs {
  if (!fs) throw new Error("h5wasm is not loaded: await hdf5Ready() before the synchronous HDF5 functions");
  return fs;
}

function tempName(): string {
  counter += 1;
  return `/cathodelab-${counter}.h5`;
}

/** HDF5 signature at offset 0 (the superblock may also sit at 512, 1024, … after a user block). */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function hasSignature(bytes: Uint8Array): boolean {
  for (let off = 0; off + 8 <= bytes.length; off = off === 0 ? 512 : off * 2) {
    if (SIGNATURE.every((b, i) => bytes[off + i] === b)) return true;
  }
  return false;
}

/** The innermost cause of an HDF5 error stack: "H5F_open: unable to read superblock". */
function hdf5Cause(message: string): string {
  const causes = [...message.matchAll(/ in (\w+)\(\): ([^\n]+)/g)];
  const last = causes[causes.length - 1];
  return last ? `${last[1]}: ${last[2].trim()}` : message.split("\n")[0];
}

/** Open `bytes` as an HDF5 file for the duration of `fn`. */
function withFile<T>(bytes: Uint8Array, file: string, fn: (f: InstanceType<H5["File"]>) => T): T {
  const FS = requireFs();
  if (!hasSignature(bytes)) {
    throw new InputError("not an HDF5 file", {
      file,
      value: bytes.length < 8 ? `${bytes.length} bytes` : undefined,
      expected: "the HDF5 signature \\x89HDF\\r\\n\\x1a\\n at byte 0 (or 512, 1024, …)",
    });
  }
  const name = tempName();
  FS.writeFile(name, bytes);
  let f: InstanceType<H5["File"]> | undefined;
  try {
    try {
      f = new h5wasm.File(name, "r");
      return fn(f);
    } catch (e) {
      if (e instanceof InputError || !String((e as Error)?.message).includes("HDF5-DIAG")) throw e;
      throw new InputError("cannot read the HDF5 file", {
        file,
        value: hdf5Cause(String((e as Error).message)),
        expected: "a complete, uncorrupted HDF5 file",
      });
    }
  } finally {
    f?.close();
    FS.unlink(name);
  }
}

export interface Hdf5DatasetInfo {
  path: string;
  shape: number[];
  dtype: string;
}

function walk(g: H5Group, out: Hdf5DatasetInfo[], depth = 0): void {
  if (depth > 32) return;
  for (const key of g.keys()) {
    const path = g.path === "/" ? `/${key}` : `${g.path}/${key}`;
    let e: ReturnType<H5Group["get"]>;
    try {
      e = g.get(key);
    } catch {
      continue;
    }
    if (e instanceof h5wasm.Dataset) out.push({ path, shape: e.shape ?? [], dtype: String(e.dtype) });
    else if (e instanceof h5wasm.Group) walk(e, out, depth + 1);
  }
}

/** Every dataset of a file: path, shape and dtype. */
export function listHdf5DatasetsSync(bytes: Uint8Array, file = "HDF5 file"): Hdf5DatasetInfo[] {
  return withFile(bytes, file, (f) => {
    const out: Hdf5DatasetInfo[] = [];
    walk(f, out);
    return out;
  });
}

function attr(
  o: { attrs: Record<string, unknown>; get_attribute(n: string, j: true): unknown },
  name: string,
): unknown {
  if (!(name in o.attrs)) return undefined;
  try {
    return o.get_attribute(name, true);
  } catch {
    return undefined;
  }
}

function text(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === "string") return v[0];
  return undefined;
}

/** NeXus default chain: /@default → entry @default → NXdata @signal. */
function nexusDefault(f: H5Group): string | undefined {
  let g: H5Group = f;
  for (let depth = 0; depth < 4; depth++) {
    const signal = text(attr(g, "signal"));
    if (signal) {
      const d = g.get(signal);
      if (d instanceof h5wasm.Dataset) return d.path;
    }
    const def = text(attr(g, "default"));
    if (!def) return undefined;
    const next = g.get(def);
    if (next instanceof h5wasm.Dataset) return next.path;
    if (!(next instanceof h5wasm.Group)) return undefined;
    g = next;
  }
  return undefined;
}

const SIZE_ATTRS = ["voxel_size", "voxel_size_m", "pixel_size", "spacing", "resolution"];

function numbers(v: unknown): number[] | undefined {
  if (typeof v === "number") return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "number")) return v as number[];
  return undefined;
}

function toZyx(v: number[]): [number, number, number] | undefined {
  if (v.length === 1) return [v[0], v[0], v[0]];
  if (v.length === 3) return [v[0], v[1], v[2]];
  if (v.length === 2) return [v[0], v[0], v[1]];
  return undefined;
}

function positive(s: [number, number, number] | undefined): s is [number, number, number] {
  return s?.every((d) => Number.isFinite(d) && d > 0) === true;
}

function spacingFrom(
  o: H5Dataset | H5Group,
  file: string,
): { spacing: [number, number, number]; source: string } | undefined {
  const el = numbers(attr(o, "element_size_um"));
  if (el) {
    const s = toZyx(el.map((d) => d * 1e-6));
    if (positive(s)) return { spacing: s, source: `${o.path}@element_size_um` };
  }
  for (const name of SIZE_ATTRS) {
    const v = numbers(attr(o, name));
    if (!v) continue;
    const unit =
      text(attr(o, `${name}_units`)) ??
      text(attr(o, `${name}_unit`)) ??
      (name === "voxel_size_m" ? "m" : undefined);
    const factor =
      unit === undefined
        ? 1
        : parseQuantity(`1${unit === "µm" || unit === "micron" ? "um" : unit}`, "length", {
            field: `${o.path}@${name}_units`,
          });
    const s = toZyx(v.map((d) => d * factor));
    if (positive(s)) return { spacing: s, source: `${o.path}@${name}${unit ? ` [${unit}]` : " [m]"}` };
    throw new InputError("voxel size attribute is not positive", {
      file,
      field: `${o.path}@${name}`,
      value: JSON.stringify(v),
      expected: "one or three positive lengths (z y x)",
    });
  }
  return undefined;
}

function spacingFromAxes(
  g: H5Group,
  ndim: number,
): { spacing: [number, number, number]; source: string } | undefined {
  const axesAttr = attr(g, "axes");
  const axes =
    typeof axesAttr === "string"
      ? axesAttr.split(/[:,\s]+/)
      : Array.isArray(axesAttr)
        ? axesAttr.map(String)
        : undefined;
  if (!axes || axes.length !== ndim) return undefined;
  const steps: number[] = [];
  for (const name of axes) {
    const d = g.get(name);
    if (!(d instanceof h5wasm.Dataset)) return undefined;
    const v = numbers(d.json_value);
    const unit = text(attr(d, "units"));
    if (!v || v.length < 2 || !unit) return undefined;
    const step = (v[v.length - 1] - v[0]) / (v.length - 1);
    for (let i = 1; i < v.length; i++)
      if (Math.abs(v[i] - v[i - 1] - step) > 1e-6 * Math.abs(step)) return undefined;
    let factor: number;
    try {
      factor = parseQuantity(`1${unit === "µm" || unit === "micron" ? "um" : unit}`, "length");
    } catch {
      return undefined;
    }
    steps.push(Math.abs(step) * factor);
  }
  const s = toZyx(steps.length === 2 ? [steps[0], steps[1]] : steps);
  return positive(s) ? { spacing: s, source: `${g.path}@axes (${axes.join(", ")})` } : undefined;
}

function toVoxels(value: unknown, path: string, file: string): VoxelArray {
  if (
    value instanceof Uint8Array ||
    value instanceof Uint16Array ||
    value instanceof Uint32Array ||
    value instanceof Int16Array ||
    value instanceof Int32Array ||
    value instanceof Float32Array ||
    value instanceof Float64Array
  )
    return value;
  if (value instanceof Int8Array) return Int16Array.from(value);
  if (value instanceof BigInt64Array || value instanceof BigUint64Array) {
    const out = new Float64Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const x = Number(value[i]);
      if (!Number.isSafeInteger(x))
        throw new InputError("64-bit integer voxel beyond 2^53", {
          file,
          field: path,
          expected: "|value| < 2^53",
        });
      out[i] = x;
    }
    return out;
  }
  throw new InputError("unsupported HDF5 element type for a volume", {
    file,
    field: path,
    expected: "8/16/32/64-bit integers or 32/64-bit floats",
  });
}

export interface Hdf5VolumeResult {
  volume: Volume;
  /** Dataset path read. */
  dataset: string;
  /** Where the voxel size came from (attribute path), or "default" (1 m, i.e. voxel units). */
  spacingSource: string;
  /** The dataset's shape as stored. */
  storedShape: number[];
}

export interface ReadHdf5Options {
  /** Dataset path, e.g. "/entry/data/data"; default: NeXus default, else the only ≥ 2-D dataset. */
  dataset?: string;
  /** Name used in error messages. */
  file?: string;
}

/** Read one volume (requires `await hdf5Ready()` first). */
export function readHdf5VolumeSync(bytes: Uint8Array, options: ReadHdf5Options = {}): Hdf5VolumeResult {
  const file = options.file ?? "HDF5 file";
  return withFile(bytes, file, (f) => {
    let path = options.dataset;
    if (path === undefined) {
      path = nexusDefault(f);
      if (path === undefined) {
        const all: Hdf5DatasetInfo[] = [];
        walk(f, all);
        const candidates = all.filter((d) => d.shape.filter((n) => n > 1).length >= 2);
        if (candidates.length !== 1) {
          throw new InputError(
            candidates.length === 0
              ? "no 2-D or 3-D dataset in the HDF5 file"
              : "several volumes in the HDF5 file",
            {
              file,
              field: "dataset",
              value: all.map((d) => `${d.path} [${d.shape.join("×")}]`).join(", ") || "(no datasets)",
              expected: "a dataset path, e.g. FILE.h5:/entry/data/data (or --dataset)",
            },
          );
        }
        path = candidates[0].path;
      }
    }
    let d: ReturnType<H5Group["get"]> = null;
    try {
      d = f.get(path);
    } catch {
      d = null;
    }
    if (!(d instanceof h5wasm.Dataset)) {
      const all: Hdf5DatasetInfo[] = [];
      walk(f, all);
      throw new InputError("no such dataset in the HDF5 file", {
        file,
        field: "dataset",
        value: path,
        expected: `one of ${all.map((x) => x.path).join(", ") || "(no datasets)"}`,
      });
    }
    const stored = d.shape ?? [];
    const shape = [...stored];
    while (shape.length > 3 && shape[0] === 1) shape.shift();
    if (shape.length === 2) shape.unshift(1);
    if (shape.length !== 3 || shape.some((n) => n < 1)) {
      throw new InputError("dataset is not a 2-D or 3-D array", {
        file,
        field: d.path,
        value: `[${stored.join(", ")}]`,
        expected: "[nz, ny, nx] or [ny, nx] (leading axes of length 1 allowed)",
      });
    }
    const data = toVoxels(d.value, d.path, file);
    if (data.length !== shape[0] * shape[1] * shape[2]) {
      throw new InputError("dataset size does not match its shape", { file, field: d.path });
    }
    const ndim = stored.filter((n, i) => n > 1 || i >= stored.length - 2).length;
    const found =
      spacingFrom(d, file) ?? spacingFrom(d.parent, file) ?? spacingFromAxes(d.parent, Math.min(ndim, 3));
    return {
      volume: { data, shape: [shape[0], shape[1], shape[2]], spacing: found?.spacing ?? [1, 1, 1] },
      dataset: d.path,
      spacingSource: found?.source ?? "default",
      storedShape: stored,
    };
  });
}

/** Read one volume (loads h5wasm when needed). */
export async function readHdf5Volume(
  bytes: Uint8Array,
  options: ReadHdf5Options = {},
): Promise<Hdf5VolumeResult> {
  await hdf5Ready();
  return readHdf5VolumeSync(bytes, options);
}

export interface Hdf5VolumeEntry {
  /** Dataset name under /entry/data (letters, digits, _ . -). */
  name: string;
  volume: Volume;
  /** Unit of the values (attribute "units"), e.g. "m" for a distance field. */
  units?: string;
  /** Description (attribute "long_name"). */
  longName?: string;
}

export interface WriteHdf5Options {
  /** Title stored in /entry/title. */
  title?: string;
  /** Deflate level 0–9 (default 4; 0 = no compression, contiguous). */
  compression?: number;
}

const DTYPE: Record<string, string> = {
  Uint8Array: "<B",
  Uint16Array: "<H",
  Uint32Array: "<I",
  Int16Array: "<h",
  Int32Array: "<i",
  Float32Array: "<f",
  Float64Array: "<d",
};

/** Write volumes of one grid as a NeXus HDF5 file; returns the file bytes (requires hdf5Ready). */
export function writeHdf5VolumesSync(volumes: Hdf5VolumeEntry[], options: WriteHdf5Options = {}): Uint8Array {
  const FS = requireFs();
  if (volumes.length === 0) throw new RangeError("writeHdf5Volumes needs at least one volume");
  const { shape, spacing } = volumes[0].volume;
  const names = new Set<string>();
  for (const v of volumes) {
    if (!/^[A-Za-z_][\w.-]*$/.test(v.name) || ["x", "y", "z"].includes(v.name) || names.has(v.name))
      throw new RangeError(`bad or repeated HDF5 volume name "${v.name}"`);
    names.add(v.name);
    if (v.volume.shape.some((n, i) => n !== shape[i]))
      throw new RangeError(`volume "${v.name}" is ${v.volume.shape.join("×")}, expected ${shape.join("×")}`);
    const d = v.volume.data;
    for (let i = 0; i < d.length; i++)
      if (!Number.isFinite(d[i]))
        throw new RangeError(`volume "${v.name}" has a non-finite value at index ${i}`);
  }
  const level = Math.max(0, Math.min(9, Math.round(options.compression ?? 4)));
  const name = tempName();
  const f = new h5wasm.File(name, "w");
  try {
    f.create_attribute("default", "entry");
    const entry = f.create_group("entry");
    entry.create_attribute("NX_class", "NXentry");
    entry.create_attribute("default", "data");
    if (options.title) entry.create_dataset({ name: "title", data: options.title });
    const g = entry.create_group("data");
    g.create_attribute("NX_class", "NXdata");
    g.create_attribute("signal", volumes[0].name);
    g.create_attribute("axes", ["z", "y", "x"]);
    const axisNames = ["z", "y", "x"] as const;
    axisNames.forEach((ax, i) => {
      const centres = Float64Array.from({ length: shape[i] }, (_, k) => (k + 0.5) * spacing[i]);
      const ds = g.create_dataset({ name: ax, data: centres, shape: [shape[i]], dtype: "<d" });
      ds.create_attribute("units", "m");
      ds.create_attribute("long_name", `${ax} (voxel centre) [m]`);
    });
    for (const v of volumes) {
      const data = v.volume.data;
      const chunks = [
        Math.min(
          shape[0],
          Math.max(1, Math.floor((1 << 20) / (shape[1] * shape[2] * data.BYTES_PER_ELEMENT))),
        ),
        shape[1],
        shape[2],
      ];
      const ds = g.create_dataset({
        name: v.name,
        data,
        shape: [...shape],
        dtype: DTYPE[data.constructor.name],
        ...(level > 0 ? { chunks, compression: level } : {}),
      });
      ds.create_attribute("voxel_size", Float64Array.from(v.volume.spacing), [3], "<d");
      ds.create_attribute("voxel_size_units", "m");
      if (v.units) ds.create_attribute("units", v.units);
      if (v.longName) ds.create_attribute("long_name", v.longName);
    }
    f.close();
    const bytes = FS.readFile(name);
    return bytes.slice();
  } catch (e) {
    try {
      f.close();
    } catch {
      // already closed
    }
    throw e;
  } finally {
    FS.unlink(name);
  }
}

/** Write volumes as NeXus HDF5 bytes (loads h5wasm when needed). */
export async function writeHdf5Volumes(
  volumes: Hdf5VolumeEntry[],
  options: WriteHdf5Options = {},
): Promise<Uint8Array> {
  await hdf5Ready();
  return writeHdf5VolumesSync(volumes, options);
}
