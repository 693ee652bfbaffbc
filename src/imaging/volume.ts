/**
 * Volumes and images as flat typed arrays with a voxel size.
 *
 * Layout (C order, as numpy/scipy/scikit-image): `index = x + nx*(y + ny*z)`, shape is
 * `[nz, ny, nx]`, spacing is `[dz, dy, dx]` in metres. A 2-D image is a volume with `nz = 1`.
 */

import { InputError } from "../errors.js";

/** Voxel storage types supported throughout `imaging/` and `io/`. */
export type VoxelArray =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** Names of the voxel types (numpy-like, without byte order). */
export type VoxelType = "uint8" | "uint16" | "uint32" | "int16" | "int32" | "float32" | "float64";

/** A 3-D (or 2-D with nz = 1) scalar field on a regular grid. */
export interface Volume<T extends VoxelArray = VoxelArray> {
  /** Voxel values, C order: index = x + nx*(y + ny*z). */
  data: T;
  /** Grid size [nz, ny, nx] (voxels). */
  shape: readonly [nz: number, ny: number, nx: number];
  /** Voxel size [dz, dy, dx] in metres. */
  spacing: readonly [dz: number, dy: number, dx: number];
}

/** Shape triple [nz, ny, nx]. */
export type Shape3 = readonly [nz: number, ny: number, nx: number];
/** Spacing triple [dz, dy, dx] in metres. */
export type Spacing3 = readonly [dz: number, dy: number, dx: number];

/** Axis-aligned box in voxel indices, inclusive min, exclusive max. */
export interface BoundingBox {
  z0: number;
  y0: number;
  x0: number;
  z1: number;
  y1: number;
  x1: number;
}

type Ctor<T extends VoxelArray> = {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T;
};

const CTORS = {
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/** Typed-array constructor of a voxel type. */
export function voxelConstructor(type: VoxelType): Ctor<VoxelArray> {
  return CTORS[type] as unknown as Ctor<VoxelArray>;
}

/** Voxel type name of a typed array. */
export function voxelTypeOf(data: VoxelArray): VoxelType {
  if (data instanceof Uint8Array) return "uint8";
  if (data instanceof Uint16Array) return "uint16";
  if (data instanceof Uint32Array) return "uint32";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Float32Array) return "float32";
  return "float64";
}

/** True for integer voxel types. */
export function isIntegerVoxels(data: VoxelArray): boolean {
  return !(data instanceof Float32Array || data instanceof Float64Array);
}

/** Number of voxels nz·ny·nx. */
export function voxelCount(shape: Shape3): number {
  return shape[0] * shape[1] * shape[2];
}

/** Voxel volume dz·dy·dx [m³]. */
export function voxelVolume(spacing: Spacing3): number {
  return spacing[0] * spacing[1] * spacing[2];
}

function checkShape(shape: readonly number[]): Shape3 {
  if (shape.length === 2) return checkShape([1, shape[0], shape[1]]);
  if (shape.length !== 3 || !shape.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new InputError("invalid volume shape", {
      field: "shape",
      value: JSON.stringify(shape),
      expected: "[nz, ny, nx] or [ny, nx] of positive integers",
    });
  }
  return [shape[0], shape[1], shape[2]] as const;
}

function checkSpacing(spacing: readonly number[] | undefined): Spacing3 {
  if (spacing === undefined) return [1, 1, 1];
  if (spacing.length === 2) return checkSpacing([spacing[0], spacing[0], spacing[1]]);
  if (spacing.length !== 3 || !spacing.every((d) => Number.isFinite(d) && d > 0)) {
    throw new InputError("invalid voxel spacing", {
      field: "spacing",
      value: JSON.stringify(spacing),
      expected: "[dz, dy, dx] or [dy, dx] of positive finite lengths in metres",
    });
  }
  return [spacing[0], spacing[1], spacing[2]] as const;
}

/**
 * A zero-filled volume.
 * @param shape [nz, ny, nx] or [ny, nx] (voxels)
 * @param type voxel type (default uint8)
 * @param spacing [dz, dy, dx] or [dy, dx] in metres (default 1 m, i.e. voxel units)
 */
export function createVolume<K extends VoxelType = "uint8">(
  shape: readonly number[],
  type?: K,
  spacing?: readonly number[],
): Volume<InstanceType<(typeof CTORS)[K]>> {
  const s = checkShape(shape);
  const Ctor = CTORS[type ?? "uint8"];
  return {
    data: new Ctor(voxelCount(s)) as InstanceType<(typeof CTORS)[K]>,
    shape: s,
    spacing: checkSpacing(spacing),
  };
}

/**
 * Wrap an existing typed array (no copy) as a volume; its length must equal nz·ny·nx.
 * @param spacing [dz, dy, dx] or [dy, dx] in metres (default 1)
 */
export function volumeFrom<T extends VoxelArray>(
  data: T,
  shape: readonly number[],
  spacing?: readonly number[],
): Volume<T> {
  const s = checkShape(shape);
  if (data.length !== voxelCount(s)) {
    throw new InputError("voxel data length does not match the shape", {
      field: "data",
      value: String(data.length),
      expected: `${voxelCount(s)} = ${s.join("×")}`,
    });
  }
  return { data, shape: s, spacing: checkSpacing(spacing) };
}

/** A volume of the same shape/spacing with a new voxel array of the given type (zero-filled). */
export function like<K extends VoxelType>(v: Volume, type: K): Volume<InstanceType<(typeof CTORS)[K]>> {
  return createVolume(v.shape, type, v.spacing);
}

/** Deep copy (optionally converting the voxel type; values are cast as by typed-array assignment). */
export function cloneVolume<T extends VoxelArray>(v: Volume<T>): Volume<T>;
export function cloneVolume<K extends VoxelType>(v: Volume, type: K): Volume<InstanceType<(typeof CTORS)[K]>>;
export function cloneVolume(v: Volume, type?: VoxelType): Volume {
  const Ctor = CTORS[type ?? voxelTypeOf(v.data)];
  const data = new Ctor(v.data.length);
  data.set(v.data as ArrayLike<number>);
  return { data, shape: v.shape, spacing: v.spacing };
}

/** Flat index of voxel (z, y, x). */
export function voxelIndex(shape: Shape3, z: number, y: number, x: number): number {
  return x + shape[2] * (y + shape[1] * z);
}

/** Minimum and maximum voxel value (NaN ignored). Empty/all-NaN → [NaN, NaN]. */
export function minMax(data: VoxelArray): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo > hi ? [Number.NaN, Number.NaN] : [lo, hi];
}

/**
 * One slice as a 2-D volume (nz = 1), copied.
 * @param axis 0 → z-slice (y, x plane), 1 → y-slice (z, x), 2 → x-slice (z, y)
 */
export function extractSlice<T extends VoxelArray>(
  v: Volume<T>,
  index: number,
  axis: 0 | 1 | 2 = 0,
): Volume<T> {
  const [nz, ny, nx] = v.shape;
  const n = v.shape[axis];
  if (!Number.isInteger(index) || index < 0 || index >= n) {
    throw new InputError("slice index out of range", {
      field: "slice",
      value: String(index),
      expected: `integer in [0, ${n - 1}]`,
    });
  }
  const Ctor = v.data.constructor as Ctor<T>;
  const [dz, dy, dx] = v.spacing;
  if (axis === 0) {
    const plane = nx * ny;
    const data = new Ctor(plane);
    data.set(v.data.subarray(index * plane, (index + 1) * plane) as unknown as ArrayLike<number>);
    return { data, shape: [1, ny, nx], spacing: [dz, dy, dx] };
  }
  if (axis === 1) {
    const data = new Ctor(nz * nx);
    for (let z = 0; z < nz; z++) {
      const src = nx * (index + ny * z);
      for (let x = 0; x < nx; x++) data[x + nx * z] = v.data[src + x];
    }
    return { data, shape: [1, nz, nx], spacing: [dy, dz, dx] };
  }
  const data = new Ctor(nz * ny);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++) data[y + ny * z] = v.data[index + nx * (y + ny * z)];
  return { data, shape: [1, nz, ny], spacing: [dx, dz, dy] };
}

/** Copy a sub-box (indices inclusive-min, exclusive-max, clipped to the volume). */
export function cropVolume<T extends VoxelArray>(v: Volume<T>, box: BoundingBox): Volume<T> {
  const [nz, ny, nx] = v.shape;
  const z0 = Math.max(0, box.z0);
  const y0 = Math.max(0, box.y0);
  const x0 = Math.max(0, box.x0);
  const z1 = Math.min(nz, box.z1);
  const y1 = Math.min(ny, box.y1);
  const x1 = Math.min(nx, box.x1);
  if (z1 <= z0 || y1 <= y0 || x1 <= x0) {
    throw new InputError("empty crop box", {
      field: "box",
      value: JSON.stringify(box),
      expected: "a box overlapping the volume",
    });
  }
  const cz = z1 - z0;
  const cy = y1 - y0;
  const cx = x1 - x0;
  const Ctor = v.data.constructor as Ctor<T>;
  const data = new Ctor(cz * cy * cx);
  for (let z = 0; z < cz; z++) {
    for (let y = 0; y < cy; y++) {
      const src = x0 + nx * (y + y0 + ny * (z + z0));
      data.set(v.data.subarray(src, src + cx) as unknown as ArrayLike<number>, cx * (y + cy * z));
    }
  }
  return { data, shape: [cz, cy, cx], spacing: v.spacing };
}

/** Bounding box of voxels where `mask[i] !== 0` (null when none). */
export function boundingBoxOf(mask: Volume): BoundingBox | null {
  const [nz, ny, nx] = mask.shape;
  const d = mask.data;
  let z0 = nz;
  let y0 = ny;
  let x0 = nx;
  let z1 = -1;
  let y1 = -1;
  let x1 = -1;
  let i = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if (d[i] !== 0) {
          if (z < z0) z0 = z;
          if (z > z1) z1 = z;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
        }
      }
  return z1 < 0 ? null : { z0, y0, x0, z1: z1 + 1, y1: y1 + 1, x1: x1 + 1 };
}

/**
 * Pad by `width` voxels on every side (per axis [wz, wy, wx] allowed) with a constant value.
 * For a 2-D image (nz = 1) pass [0, w, w] to keep it 2-D.
 */
export function padVolume<T extends VoxelArray>(
  v: Volume<T>,
  width: number | readonly [number, number, number],
  value = 0,
): Volume<T> {
  const [wz, wy, wx] = typeof width === "number" ? [width, width, width] : width;
  const [nz, ny, nx] = v.shape;
  const pz = nz + 2 * wz;
  const py = ny + 2 * wy;
  const px = nx + 2 * wx;
  const Ctor = v.data.constructor as Ctor<T>;
  const data = new Ctor(pz * py * px);
  if (value !== 0) data.fill(value as never);
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const src = nx * (y + ny * z);
      data.set(
        v.data.subarray(src, src + nx) as unknown as ArrayLike<number>,
        wx + px * (y + wy + py * (z + wz)),
      );
    }
  }
  return { data, shape: [pz, py, px], spacing: v.spacing };
}

/** Binary mask (uint8 0/1) of `data[i] === value`. */
export function equalMask(v: Volume, value: number): Volume<Uint8Array> {
  const out = new Uint8Array(v.data.length);
  const d = v.data;
  for (let i = 0; i < d.length; i++) out[i] = d[i] === value ? 1 : 0;
  return { data: out, shape: v.shape, spacing: v.spacing };
}

/** Stack 2-D images (all the same ny × nx and type) into one volume. */
export function stackSlices<T extends VoxelArray>(slices: readonly Volume<T>[], dz?: number): Volume<T> {
  if (slices.length === 0) throw new InputError("no slices to stack", { expected: "at least one 2-D image" });
  const [, ny, nx] = slices[0].shape;
  const plane = ny * nx;
  const Ctor = slices[0].data.constructor as Ctor<T>;
  const data = new Ctor(plane * slices.length);
  slices.forEach((s, k) => {
    if (s.shape[1] !== ny || s.shape[2] !== nx || s.shape[0] !== 1) {
      throw new InputError("inconsistent slice size", {
        field: `slice ${k}`,
        value: s.shape.join("×"),
        expected: `1×${ny}×${nx}`,
      });
    }
    data.set(s.data as unknown as ArrayLike<number>, k * plane);
  });
  const sp = slices[0].spacing;
  return { data, shape: [slices.length, ny, nx], spacing: [dz ?? sp[0], sp[1], sp[2]] };
}
