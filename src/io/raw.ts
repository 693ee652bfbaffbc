/**
 * Raw voxel files with a JSON header (`volume.raw` + `volume.json`):
 *
 * ```json
 * { "shape": [nz, ny, nx], "dtype": "uint16", "spacing": [dz, dy, dx], "spacingUnit": "um",
 *   "byteOrder": "little", "offset": 0 }
 * ```
 * `spacing` is in `spacingUnit` (m, mm, um/µm/micron, nm; default m); `byteOrder` little|big
 * (default little); `offset` bytes to skip (default 0). Pure functions over bytes.
 */

import { InputError } from "../errors.js";
import type { Volume, VoxelType } from "../imaging/volume.js";
import { voxelConstructor, voxelTypeOf } from "../imaging/volume.js";
import { lengthUnitToMetres } from "./tiff.js";

export interface RawHeader {
  shape: [number, number, number];
  dtype: VoxelType;
  /** Voxel size [dz, dy, dx] in metres (converted from spacingUnit). */
  spacing: [number, number, number];
  byteOrder: "little" | "big";
  offset: number;
}

const DTYPES: VoxelType[] = ["uint8", "uint16", "uint32", "int16", "int32", "float32", "float64"];
const NATIVE_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Parse and validate the JSON header text. */
export function parseRawHeader(text: string, file?: string): RawHeader {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new InputError(`raw header is not valid JSON (${(e as Error).message})`, { file });
  }
  const shape = j.shape;
  if (
    !Array.isArray(shape) ||
    !(shape.length === 2 || shape.length === 3) ||
    !shape.every((n) => Number.isInteger(n) && n > 0)
  ) {
    throw new InputError("invalid raw header shape", {
      file,
      field: "shape",
      value: JSON.stringify(shape),
      expected: "[nz, ny, nx] or [ny, nx] positive integers",
    });
  }
  const dtype = j.dtype as VoxelType;
  if (!DTYPES.includes(dtype))
    throw new InputError("invalid raw header dtype", {
      file,
      field: "dtype",
      value: String(j.dtype),
      expected: DTYPES.join(", "),
    });
  const unitText = j.spacingUnit === undefined ? "m" : String(j.spacingUnit);
  const unit = lengthUnitToMetres(unitText);
  if (unit === null)
    throw new InputError("unknown voxel size unit", {
      file,
      field: "spacingUnit",
      value: unitText,
      expected: "m, mm, um, µm, micron or nm",
    });
  let spacing: [number, number, number] = [1, 1, 1];
  if (j.spacing !== undefined) {
    const s = j.spacing;
    const arr = typeof s === "number" ? [s, s, s] : s;
    if (
      !Array.isArray(arr) ||
      arr.length !== 3 ||
      !arr.every((v) => typeof v === "number" && v > 0 && Number.isFinite(v))
    ) {
      throw new InputError("invalid raw header spacing", {
        file,
        field: "spacing",
        value: JSON.stringify(s),
        expected: "a positive number or [dz, dy, dx]",
      });
    }
    spacing = [arr[0] * unit, arr[1] * unit, arr[2] * unit];
  }
  const byteOrder = (j.byteOrder ?? "little") as string;
  if (byteOrder !== "little" && byteOrder !== "big")
    throw new InputError("invalid byteOrder", {
      file,
      field: "byteOrder",
      value: byteOrder,
      expected: '"little" or "big"',
    });
  const offset = (j.offset ?? 0) as number;
  if (!Number.isInteger(offset) || offset < 0)
    throw new InputError("invalid offset", {
      file,
      field: "offset",
      value: String(j.offset),
      expected: "a non-negative integer",
    });
  const s3: [number, number, number] =
    shape.length === 2 ? [1, shape[0], shape[1]] : [shape[0], shape[1], shape[2]];
  return { shape: s3, dtype, spacing, byteOrder, offset };
}

/** Decode raw voxel bytes with a parsed header. */
export function readRaw(bytes: Uint8Array, header: RawHeader, file?: string): Volume {
  const Ctor = voxelConstructor(header.dtype);
  const n = header.shape[0] * header.shape[1] * header.shape[2];
  const size = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  const need = header.offset + n * size;
  if (bytes.length < need) {
    throw new InputError("raw file shorter than its header says", {
      file,
      value: `${bytes.length} bytes`,
      expected: `${need} bytes (${header.shape.join("×")} ${header.dtype})`,
    });
  }
  // copy (Node Buffers' slice() is a view): the typed array needs its own aligned buffer
  const raw = new Uint8Array(bytes.subarray(header.offset, header.offset + n * size));
  if (size > 1 && (header.byteOrder === "little") !== NATIVE_LE) {
    for (let i = 0; i < raw.length; i += size)
      for (let k = 0; k < size >> 1; k++) {
        const t = raw[i + k];
        raw[i + k] = raw[i + size - 1 - k];
        raw[i + size - 1 - k] = t;
      }
  }
  return { data: new Ctor(raw.buffer), shape: header.shape, spacing: header.spacing };
}

/** JSON header text for a volume written as little-endian raw (spacing in µm). */
export function rawHeaderFor(volume: Volume): string {
  return `${JSON.stringify(
    {
      shape: volume.shape,
      dtype: voxelTypeOf(volume.data),
      spacing: volume.spacing.map((s) => Number((s / 1e-6).toPrecision(12))),
      spacingUnit: "um",
      byteOrder: "little",
      offset: 0,
    },
    null,
    2,
  )}\n`;
}
