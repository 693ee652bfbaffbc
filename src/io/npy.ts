/**
 * NumPy `.npy` reader and writer (format versions 1.0, 2.0 and 3.0: magic "\x93NUMPY", a
 * little-endian header length, a Python-literal dict `{'descr', 'fortran_order', 'shape'}`
 * padded to 64 bytes; numpy NEP 1 "A simple file format for NumPy arrays").
 *
 * dtypes: |u1 |b1 |i1 <u2 <i2 <u4 <i4 <f4 <f8 (and their big-endian forms, swapped on read).
 * Shapes: (ny, nx) → a 2-D image (nz = 1) or (nz, ny, nx). Fortran-ordered arrays are transposed
 * to C order on read. Pure functions over bytes (runs in the browser).
 */

import { InputError } from "../errors.js";
import type { Volume, VoxelArray, VoxelType } from "../imaging/volume.js";
import { voxelConstructor, voxelTypeOf } from "../imaging/volume.js";

const DESCR_TYPES: Record<string, { type: VoxelType | "int8" | "bool"; size: number }> = {
  u1: { type: "uint8", size: 1 },
  b1: { type: "bool", size: 1 },
  i1: { type: "int8", size: 1 },
  u2: { type: "uint16", size: 2 },
  i2: { type: "int16", size: 2 },
  u4: { type: "uint32", size: 4 },
  i4: { type: "int32", size: 4 },
  f4: { type: "float32", size: 4 },
  f8: { type: "float64", size: 8 },
};

const NATIVE_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decode an .npy file. Spacing is not stored in .npy: it is [1, 1, 1] unless given.
 * @param spacing [dz, dy, dx] in metres
 */
export function readNpy(
  bytes: Uint8Array,
  options: { file?: string; spacing?: readonly [number, number, number] } = {},
): Volume {
  const file = options.file;
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || !magic.every((b, i) => bytes[i] === b)) {
    throw new InputError("not a NumPy .npy file", { file, expected: 'magic bytes "\\x93NUMPY"' });
  }
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let hlen: number;
  let start: number;
  if (major === 1) {
    hlen = dv.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new InputError("truncated .npy header", { file });
    hlen = dv.getUint32(8, true);
    start = 12;
  } else {
    throw new InputError("unsupported .npy format version", {
      file,
      value: `${major}.${bytes[7]}`,
      expected: "1.0, 2.0 or 3.0",
    });
  }
  if (start + hlen > bytes.length)
    throw new InputError("truncated .npy header", {
      file,
      value: `${bytes.length} bytes`,
      expected: `${start + hlen}+ bytes`,
    });
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(start, start + hlen),
  );
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new InputError("malformed .npy header", {
      file,
      value: header.trim(),
      expected: "{'descr': ..., 'fortran_order': ..., 'shape': (...)}",
    });
  }
  const order = descr[0];
  const kind = DESCR_TYPES[descr.slice(1)];
  if (!kind || !"<>|=".includes(order)) {
    throw new InputError("unsupported .npy dtype", {
      file,
      field: "descr",
      value: descr,
      expected: "one of |u1 |b1 |i1 <u2 <i2 <u4 <i4 <f4 <f8",
    });
  }
  const dims = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map(Number);
  if (dims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new InputError("invalid .npy shape", {
      file,
      field: "shape",
      value: `(${shapeText})`,
      expected: "positive integers",
    });
  }
  let shape: [number, number, number];
  if (dims.length === 2) shape = [1, dims[0], dims[1]];
  else if (dims.length === 3) shape = [dims[0], dims[1], dims[2]];
  else {
    throw new InputError("unsupported .npy dimensionality", {
      file,
      field: "shape",
      value: `(${shapeText})`,
      expected: "a 2-D (ny, nx) or 3-D (nz, ny, nx) array",
    });
  }
  const n = shape[0] * shape[1] * shape[2];
  const dataStart = start + hlen;
  const nbytes = n * kind.size;
  if (dataStart + nbytes > bytes.length) {
    throw new InputError("truncated .npy data", {
      file,
      value: `${bytes.length - dataStart} data bytes`,
      expected: `${nbytes} bytes for shape (${dims.join(", ")}) ${descr}`,
    });
  }
  // copy (Node Buffers' slice() is a view): the typed array needs its own aligned buffer
  const raw = new Uint8Array(bytes.subarray(dataStart, dataStart + nbytes));
  const bigEndian = order === ">";
  if (kind.size > 1 && bigEndian === NATIVE_LE) swapInPlace(raw, kind.size);
  let data: VoxelArray;
  if (kind.type === "int8") data = Int16Array.from(new Int8Array(raw.buffer));
  else if (kind.type === "bool") data = raw;
  else data = new (voxelConstructor(kind.type))(raw.buffer);
  if (fortran === "True") data = fortranToC(data, dims);
  return { data, shape, spacing: options.spacing ?? [1, 1, 1] };
}

function fortranToC(src: VoxelArray, dims: number[]): VoxelArray {
  const out = new (src.constructor as new (n: number) => VoxelArray)(src.length);
  if (dims.length === 2) {
    const [a, b] = dims;
    for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) out[j + b * i] = src[i + a * j];
  } else {
    const [a, b, c] = dims;
    for (let i = 0; i < a; i++)
      for (let j = 0; j < b; j++)
        for (let k = 0; k < c; k++) out[k + c * (j + b * i)] = src[i + a * (j + b * k)];
  }
  return out;
}

function swapInPlace(buf: Uint8Array, size: number): void {
  for (let i = 0; i + size <= buf.length; i += size) {
    for (let k = 0; k < size >> 1; k++) {
      const t = buf[i + k];
      buf[i + k] = buf[i + size - 1 - k];
      buf[i + size - 1 - k] = t;
    }
  }
}

const DESCR_OF: Record<VoxelType, string> = {
  uint8: "|u1",
  uint16: "<u2",
  uint32: "<u4",
  int16: "<i2",
  int32: "<i4",
  float32: "<f4",
  float64: "<f8",
};

/** Encode a volume as .npy (C order, little endian; a 2-D image (nz = 1) is written as (ny, nx)). */
export function encodeNpy(volume: Volume): Uint8Array {
  const [header, body] = npyParts(volume);
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

/** Header and data bytes (zero-copy view on little-endian hosts) for streaming writes. */
export function npyParts(volume: Volume): [Uint8Array, Uint8Array] {
  const [nz, ny, nx] = volume.shape;
  const shape = nz === 1 ? `(${ny}, ${nx})` : `(${nz}, ${ny}, ${nx})`;
  const dict = `{'descr': '${DESCR_OF[voxelTypeOf(volume.data)]}', 'fortran_order': False, 'shape': ${shape}, }`;
  let version = 1;
  let pre = 10;
  let total = pre + dict.length + 1;
  if (Math.ceil(total / 64) * 64 - pre > 0xffff) {
    version = 2;
    pre = 12;
    total = pre + dict.length + 1;
  }
  const padded = Math.ceil(total / 64) * 64;
  const hlen = padded - pre;
  const header = new Uint8Array(padded);
  header.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const dv = new DataView(header.buffer);
  if (version === 1) dv.setUint16(8, hlen, true);
  else dv.setUint32(8, hlen, true);
  const text = `${dict + " ".repeat(hlen - dict.length - 1)}\n`;
  for (let i = 0; i < text.length; i++) header[pre + i] = text.charCodeAt(i);
  const d = volume.data;
  let body = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  if (!NATIVE_LE && d.BYTES_PER_ELEMENT > 1) {
    body = body.slice();
    swapInPlace(body, d.BYTES_PER_ELEMENT);
  }
  return [header, body];
}
