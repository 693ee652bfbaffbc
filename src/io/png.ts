/**
 * PNG slices (fast-png): read 8/16-bit greyscale (and RGB/RGBA, converted or kept), write
 * 8/16-bit greyscale slices and 8-bit RGB overlays. Pure functions over bytes.
 */

import { decode, encode } from "fast-png";
import { InputError } from "../errors.js";
import type { Volume } from "../imaging/volume.js";

/**
 * zlib/Deflate cannot expand data by more than 1032:1 (RFC 1951: a 258-byte match costs at
 * least 2 bits), so a PNG whose header declares more raw bytes than 1032 × its IDAT bytes
 * (+ margin for the zlib header) is lying about its size or truncated.
 */
const DEFLATE_MAX_RATIO = 1032;

/** CRC-32 of ISO 3309 / ITU-T V.42 (polynomial 0xEDB88320), as every PNG chunk carries (PNG spec §5.5). */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let c = 0xffffffff;
  for (let i = from; i < to; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Largest decoded image accepted by default: 2 GiB of raw scanlines. */
const DEFAULT_MAX_BYTES = 2 ** 31;

/**
 * Check the IHDR-declared size of a PNG against its compressed data and a memory budget
 * before anything is allocated (a 100 kB file must not make the decoder allocate gigabytes).
 * Chunk layout: PNG spec (ISO/IEC 15948) §5.3; IHDR §11.2.2.
 */
function checkPngSize(bytes: Uint8Array, file: string | undefined, maxBytes: number): void {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 33 || !sig.every((b, i) => bytes[i] === b)) {
    throw new InputError("not a PNG file", { file, expected: "the 8-byte PNG signature and an IHDR chunk" });
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = dv.getUint32(16);
  const height = dv.getUint32(20);
  const depth = bytes[24];
  const colour = bytes[25];
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colour] ?? 4;
  const raw = height * (1 + Math.ceil((width * channels * Math.max(depth, 1)) / 8));
  let idat = 0;
  for (let p = 8; p + 8 <= bytes.length; ) {
    const len = dv.getUint32(p);
    const type = String.fromCharCode(bytes[p + 4], bytes[p + 5], bytes[p + 6], bytes[p + 7]);
    if (p + 12 + len > bytes.length) {
      throw new InputError(`PNG chunk ${type} at byte ${p} runs past the end of the file (truncated?)`, {
        file,
        expected: `${p + 12 + len} bytes, the file has ${bytes.length}`,
      });
    }
    // A corrupted byte anywhere in a chunk must not decode into a different image silently.
    if (crc32(bytes, p + 4, p + 8 + len) !== dv.getUint32(p + 8 + len)) {
      throw new InputError(`PNG chunk ${type} at byte ${p} fails its CRC-32 (corrupted file)`, {
        file,
        expected: "chunks whose CRC matches their bytes",
      });
    }
    if (type === "IDAT") idat += len;
    if (type === "IEND") break;
    p += 12 + len;
  }
  if (width === 0 || height === 0 || raw > maxBytes || raw > DEFLATE_MAX_RATIO * idat + 1024) {
    throw new InputError(
      `PNG header declares ${width}×${height} (${raw} raw bytes) but holds ${idat} compressed bytes`,
      {
        file,
        value: `${width}×${height}, ${channels} channel(s) of ${depth} bits`,
        expected: `a size the data can hold (at most ${DEFLATE_MAX_RATIO}:1 expansion) and under ${maxBytes} bytes`,
      },
    );
  }
}

export interface ReadPngOptions {
  file?: string;
  /**
   * What to do with colour PNGs: "error" (default), "mean" ((R+G+B)/3, the optical-sequence
   * convention) or "luma" (Rec. 709: 0.2125 R + 0.7154 G + 0.0721 B, as skimage `rgb2gray`).
   * Alpha is ignored.
   */
  rgb?: "error" | "mean" | "luma";
  /** Pixel size [dy, dx] in metres (PNG has no reliable voxel size; default 1). */
  spacing?: readonly [number, number];
}

/** Decode a PNG into a 2-D image (nz = 1): uint8 or uint16 grey; colour per `rgb`. */
export function readPng(
  bytes: Uint8Array,
  options: ReadPngOptions = {},
): Volume<Uint8Array | Uint16Array | Float32Array> {
  checkPngSize(bytes, options.file, DEFAULT_MAX_BYTES);
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (e) {
    throw new InputError(`cannot decode PNG (${(e as Error).message})`, {
      file: options.file,
      expected: "a valid PNG file",
    });
  }
  const { width, height, channels, depth } = png;
  const sp = options.spacing ?? [1, 1];
  const spacing = [sp[0], sp[0], sp[1]] as const;
  const shape = [1, height, width] as const;
  if (png.palette) {
    throw new InputError("palette PNGs are not supported", {
      file: options.file,
      expected: "greyscale or RGB PNG",
    });
  }
  if (depth !== 8 && depth !== 16) {
    throw new InputError("unsupported PNG bit depth", {
      file: options.file,
      value: String(depth),
      expected: "8 or 16 bits per channel",
    });
  }
  const n = width * height;
  const src = png.data;
  if (channels === 1 || channels === 2) {
    const out = depth === 16 ? new Uint16Array(n) : new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = src[i * channels];
    return { data: out, shape, spacing };
  }
  const mode = options.rgb ?? "error";
  if (mode === "error") {
    throw new InputError("colour PNG given where a greyscale image is expected", {
      file: options.file,
      value: `${channels} channels`,
      expected: 'a greyscale PNG (or pass rgb: "mean" | "luma")',
    });
  }
  const out = new Float32Array(n);
  const [wr, wg, wb] = mode === "mean" ? [1 / 3, 1 / 3, 1 / 3] : [0.2125, 0.7154, 0.0721];
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    out[i] = wr * src[o] + wg * src[o + 1] + wb * src[o + 2];
  }
  return { data: out, shape, spacing };
}

/** Decode a PNG keeping all channels (interleaved), for colour sequences. */
export function readPngChannels(
  bytes: Uint8Array,
  file?: string,
): { width: number; height: number; channels: number; depth: number; data: Uint8Array | Uint16Array } {
  checkPngSize(bytes, file, DEFAULT_MAX_BYTES);
  try {
    const p = decode(bytes);
    const data =
      p.data instanceof Uint8ClampedArray
        ? new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.length)
        : p.data;
    return { width: p.width, height: p.height, channels: p.channels, depth: p.depth, data };
  } catch (e) {
    throw new InputError(`cannot decode PNG (${(e as Error).message})`, {
      file,
      expected: "a valid PNG file",
    });
  }
}

export interface WritePngOptions {
  /** Output bit depth (default: 16 for uint16 input, else 8). */
  depth?: 8 | 16;
  /**
   * Grey window [lo, hi] mapped linearly to [0, max]. Default: none for uint8 → 8-bit and
   * uint16 → 16-bit (values written as they are), else the image min..max.
   */
  window?: readonly [number, number];
}

/** Encode one 2-D image (nz must be 1; use `extractSlice` first) as a greyscale PNG. */
export function encodePngSlice(image: Volume, options: WritePngOptions = {}): Uint8Array {
  const [nz, ny, nx] = image.shape;
  if (nz !== 1)
    throw new InputError("PNG slices are 2-D", {
      field: "shape",
      value: image.shape.join("×"),
      expected: "nz = 1 (extract a slice first)",
    });
  const d = image.data;
  const is16 = d instanceof Uint16Array;
  const depth = options.depth ?? (is16 ? 16 : 8);
  const max = depth === 16 ? 65535 : 255;
  const n = nx * ny;
  const out = depth === 16 ? new Uint16Array(n) : new Uint8Array(n);
  const direct =
    options.window === undefined && ((d instanceof Uint8Array && depth === 8) || (is16 && depth === 16));
  if (direct) out.set(d as ArrayLike<number>);
  else {
    let lo: number;
    let hi: number;
    if (options.window) [lo, hi] = options.window;
    else {
      lo = Number.POSITIVE_INFINITY;
      hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        if (d[i] < lo) lo = d[i];
        if (d[i] > hi) hi = d[i];
      }
    }
    const scale = hi > lo ? max / (hi - lo) : 0;
    for (let i = 0; i < n; i++) {
      const v = Math.round((d[i] - lo) * scale);
      out[i] = v < 0 ? 0 : Math.min(v, max);
    }
  }
  return encode({ width: nx, height: ny, data: out, depth, channels: 1 });
}

/** Encode interleaved 8-bit RGB (length 3·width·height) as a PNG (overlays). */
export function encodeRgbPng(rgb: Uint8Array, width: number, height: number): Uint8Array {
  if (rgb.length !== 3 * width * height) {
    throw new InputError("RGB buffer size mismatch", {
      value: String(rgb.length),
      expected: `${3 * width * height} bytes`,
    });
  }
  return encode({ width, height, data: rgb, depth: 8, channels: 3 });
}
