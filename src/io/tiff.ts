/**
 * TIFF reader and writer for greyscale image stacks (pure functions over bytes; runs in the
 * browser too).
 *
 * Reader: classic TIFF and BigTIFF, little/big endian, multi-page, strips or tiles, one sample
 * per pixel (RGB is refused), 8/16/32-bit unsigned/signed integers and 32/64-bit floats,
 * compression none (1), LZW (5, with horizontal predictor 2), Deflate (8 and 32946), PackBits
 * (32773). All pages are decoded straight into ONE preallocated typed array (no per-page copies,
 * only one strip/tile scratch buffer), so a 512³ uint16 stack costs 256 MiB plus the file bytes.
 * ImageJ metadata in ImageDescription (`spacing=`, `unit=`, `images=`) and the X/YResolution
 * tags give the voxel size. Format source: Adobe TIFF 6.0 specification (1992), BigTIFF
 * design notes (Aware Systems), ImageJ `TiffEncoder`/`FileInfo` conventions (documented
 * behaviour only).
 *
 * Writer: uncompressed little-endian multi-page TIFF (uint8, uint16, int16, uint32, int32,
 * float32, float64) with an ImageJ ImageDescription so Fiji opens it as a stack with its voxel
 * size.
 */

import { Inflate, Unzlib } from "fflate";
import { InputError } from "../errors.js";
import type { Volume, VoxelArray, VoxelType } from "../imaging/volume.js";
import { voxelTypeOf } from "../imaging/volume.js";

/** What the reader found besides the voxels. */
export interface TiffInfo {
  /** Number of pages read (nz). */
  pages: number;
  /** Voxel type of the returned array. */
  type: VoxelType;
  /** Compression code of the first page (1 none, 5 LZW, 8/32946 Deflate, 32773 PackBits). */
  compression: number;
  littleEndian: boolean;
  bigTiff: boolean;
  tiled: boolean;
  /** True when the voxel size came from the file (ImageJ unit + resolution, or cm resolution). */
  spacingFromFile: boolean;
  /** ImageDescription of the first page, if any. */
  description?: string;
}

export interface ReadTiffOptions {
  /** File name used in error messages. */
  file?: string;
  /**
   * Return voxels as a view into `bytes` (no copy) when the file allows it: uncompressed,
   * native byte order, pages stored contiguously and aligned (e.g. files from `encodeTiff` and
   * ImageJ). Halves peak memory for big stacks; the volume then shares memory with `bytes`.
   */
  zeroCopy?: boolean;
  /**
   * Largest voxel array the reader will allocate [bytes] (default 4 GiB). Declared sizes are
   * checked against it, and against what the file's bytes can hold, before anything is allocated.
   */
  maxBytes?: number;
  /** ImageJ hyperstacks: the channel to read (1-based, as ImageJ); required when channels > 1. */
  channel?: number;
  /** ImageJ hyperstacks: the time frame to read (1-based); required when frames > 1. */
  frame?: number;
}

/** Default memory budget of `readTiff` [bytes]. */
export const TIFF_DEFAULT_MAX_BYTES = 4 * 1024 ** 3;

/**
 * Largest decoded/stored byte ratio of each compression: Deflate 1032:1 (RFC 1951: a 258-byte
 * match costs at least 2 bits), PackBits 64:1 (2 bytes → 128), LZW ≈ 4096 bytes per 9-bit code
 * (TIFF 6.0 §13: strings of at most 4096 bytes), none 1:1.
 */
function maxExpansion(compression: number): number {
  if (compression === 1) return 1;
  if (compression === 32773) return 64;
  if (compression === 5) return 3641;
  return 1032;
}

const TAG = {
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  Photometric: 262,
  ImageDescription: 270,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  XResolution: 282,
  YResolution: 283,
  PlanarConfig: 284,
  ResolutionUnit: 296,
  Predictor: 317,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  SampleFormat: 339,
  ImageDepth: 32997,
  TileDepth: 32998,
} as const;

interface Ifd {
  width: number;
  height: number;
  bits: number;
  sampleFormat: number;
  samplesPerPixel: number;
  compression: number;
  predictor: number;
  rowsPerStrip: number;
  tileWidth: number;
  tileLength: number;
  offsets: number[];
  byteCounts: number[];
  description?: string;
  xRes?: number;
  yRes?: number;
  resUnit: number;
  photometric: number;
  /** SGI volumetric TIFF: ImageDepth and TileDepth (1 when absent). */
  imageDepth: number;
  tileDepth: number;
}

const TYPE_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
  16: 8,
  17: 8,
  18: 8,
};

class Reader {
  readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly le: boolean,
    readonly big: boolean,
    readonly file: string | undefined,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(offset: number, length: number, what: string): void {
    if (offset < 0 || offset + length > this.bytes.length) {
      throw new InputError(
        `truncated TIFF: ${what} at byte ${offset} (+${length}) lies past the end of the file`,
        {
          file: this.file,
          value: `${this.bytes.length} bytes`,
          expected: `at least ${offset + length} bytes`,
        },
      );
    }
  }
  u16(o: number): number {
    return this.view.getUint16(o, this.le);
  }
  u32(o: number): number {
    return this.view.getUint32(o, this.le);
  }
  u64(o: number): number {
    return Number(this.view.getBigUint64(o, this.le));
  }
  offset(o: number): number {
    return this.big ? this.u64(o) : this.u32(o);
  }
  value(type: number, o: number): number {
    const v = this.view;
    switch (type) {
      case 1:
      case 2:
      case 7:
        return v.getUint8(o);
      case 6:
        return v.getInt8(o);
      case 3:
        return v.getUint16(o, this.le);
      case 8:
        return v.getInt16(o, this.le);
      case 4:
      case 13:
        return v.getUint32(o, this.le);
      case 9:
        return v.getInt32(o, this.le);
      case 5:
        return v.getUint32(o, this.le) / v.getUint32(o + 4, this.le);
      case 10:
        return v.getInt32(o, this.le) / v.getInt32(o + 4, this.le);
      case 11:
        return v.getFloat32(o, this.le);
      case 12:
        return v.getFloat64(o, this.le);
      case 16:
      case 18:
        return Number(v.getBigUint64(o, this.le));
      case 17:
        return Number(v.getBigInt64(o, this.le));
      default:
        return Number.NaN;
    }
  }
}

function parseHeader(bytes: Uint8Array, file?: string): { r: Reader; first: number } {
  if (bytes.length < 8) {
    throw new InputError("truncated TIFF: file shorter than its 8-byte header", {
      file,
      value: `${bytes.length} bytes`,
    });
  }
  const b0 = bytes[0];
  const b1 = bytes[1];
  let le: boolean;
  if (b0 === 0x49 && b1 === 0x49) le = true;
  else if (b0 === 0x4d && b1 === 0x4d) le = false;
  else throw new InputError("not a TIFF file", { file, expected: 'byte-order mark "II" or "MM"' });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint16(2, le);
  if (version === 42) {
    const r = new Reader(bytes, le, false, file);
    return { r, first: r.u32(4) };
  }
  if (version === 43) {
    if (bytes.length < 16) throw new InputError("truncated BigTIFF header", { file });
    const r = new Reader(bytes, le, true, file);
    return { r, first: r.u64(8) };
  }
  throw new InputError("not a TIFF file", {
    file,
    value: `version ${version}`,
    expected: "42 (TIFF) or 43 (BigTIFF)",
  });
}

function readIfd(r: Reader, at: number): { ifd: Ifd; next: number } {
  const entrySize = r.big ? 20 : 12;
  const countSize = r.big ? 8 : 2;
  r.need(at, countSize, "image file directory");
  const n = r.big ? r.u64(at) : r.u16(at);
  r.need(at + countSize, n * entrySize + (r.big ? 8 : 4), "image file directory entries");
  const tags = new Map<number, { type: number; count: number; pos: number }>();
  for (let k = 0; k < n; k++) {
    const e = at + countSize + k * entrySize;
    const tag = r.u16(e);
    const type = r.u16(e + 2);
    const count = r.big ? r.u64(e + 4) : r.u32(e + 4);
    const size = (TYPE_SIZE[type] ?? 1) * count;
    const inline = r.big ? 8 : 4;
    const valueField = e + (r.big ? 12 : 8);
    const pos = size <= inline ? valueField : r.offset(valueField);
    tags.set(tag, { type, count, pos });
  }
  const next = r.offset(at + countSize + n * entrySize);
  const arr = (tag: number): number[] => {
    const t = tags.get(tag);
    if (!t) return [];
    const sz = TYPE_SIZE[t.type] ?? 1;
    r.need(t.pos, sz * t.count, `tag ${tag} values`);
    const out = new Array<number>(t.count);
    for (let i = 0; i < t.count; i++) out[i] = r.value(t.type, t.pos + i * sz);
    return out;
  };
  const one = (tag: number, dflt: number): number => {
    const t = tags.get(tag);
    if (!t) return dflt;
    r.need(t.pos, TYPE_SIZE[t.type] ?? 1, `tag ${tag} value`);
    return r.value(t.type, t.pos);
  };
  const desc = tags.get(TAG.ImageDescription);
  let description: string | undefined;
  if (desc) {
    r.need(desc.pos, desc.count, "ImageDescription");
    let end = desc.pos + desc.count;
    while (end > desc.pos && r.bytes[end - 1] === 0) end--;
    description = new TextDecoder("latin1").decode(r.bytes.subarray(desc.pos, end));
  }
  const tiled = tags.has(TAG.TileOffsets);
  const width = one(TAG.ImageWidth, 0);
  const height = one(TAG.ImageLength, 0);
  const bitsArr = arr(TAG.BitsPerSample);
  const ifd: Ifd = {
    width,
    height,
    bits: bitsArr.length > 0 ? bitsArr[0] : 1,
    sampleFormat: one(TAG.SampleFormat, 1),
    samplesPerPixel: one(TAG.SamplesPerPixel, 1),
    compression: one(TAG.Compression, 1),
    predictor: one(TAG.Predictor, 1),
    rowsPerStrip: Math.min(one(TAG.RowsPerStrip, height), height),
    tileWidth: tiled ? one(TAG.TileWidth, 0) : width,
    tileLength: tiled ? one(TAG.TileLength, 0) : Math.min(one(TAG.RowsPerStrip, height), height),
    offsets: arr(tiled ? TAG.TileOffsets : TAG.StripOffsets),
    byteCounts: arr(tiled ? TAG.TileByteCounts : TAG.StripByteCounts),
    description,
    xRes: tags.has(TAG.XResolution) ? one(TAG.XResolution, 0) : undefined,
    yRes: tags.has(TAG.YResolution) ? one(TAG.YResolution, 0) : undefined,
    resUnit: one(TAG.ResolutionUnit, 2),
    photometric: one(TAG.Photometric, 1),
    imageDepth: one(TAG.ImageDepth, 1),
    tileDepth: one(TAG.TileDepth, 1),
  };
  return { ifd, next };
}

function voxelTypeFor(ifd: Ifd, file?: string): VoxelType | "int8" {
  const { bits, sampleFormat: f } = ifd;
  if (f === 1 || f === 4) {
    if (bits === 8) return "uint8";
    if (bits === 16) return "uint16";
    if (bits === 32) return "uint32";
  } else if (f === 2) {
    if (bits === 8) return "int8";
    if (bits === 16) return "int16";
    if (bits === 32) return "int32";
  } else if (f === 3) {
    if (bits === 32) return "float32";
    if (bits === 64) return "float64";
  }
  throw new InputError("unsupported TIFF sample type", {
    file,
    value: `${bits}-bit, SampleFormat ${f}`,
    expected: "8/16/32-bit unsigned or signed integers, or 32/64-bit floats",
  });
}

const COMPRESSION_NAMES: Record<number, string> = {
  2: "CCITT RLE",
  3: "CCITT Group 3",
  4: "CCITT Group 4",
  6: "old-style JPEG",
  7: "JPEG",
  34712: "JPEG 2000",
  34887: "LERC",
  50000: "Zstandard",
  50001: "WebP",
  34925: "LZMA",
};

function checkPage(ifd: Ifd, page: number, file?: string): void {
  const where = { file, field: `page ${page}` };
  if (ifd.width < 1 || ifd.height < 1)
    throw new InputError("TIFF page without a size", {
      ...where,
      expected: "ImageWidth and ImageLength tags",
    });
  if (ifd.samplesPerPixel !== 1) {
    throw new InputError("TIFF page has more than one sample per pixel", {
      ...where,
      value: `SamplesPerPixel ${ifd.samplesPerPixel}`,
      expected: "a single-channel (greyscale) image",
    });
  }
  if (ifd.photometric === 3)
    throw new InputError("palette TIFF images are not supported", { ...where, expected: "greyscale" });
  if (ifd.imageDepth !== 1 || ifd.tileDepth !== 1) {
    throw new InputError("volumetric TIFF tiles (ImageDepth/TileDepth tags) are not supported", {
      ...where,
      value: `ImageDepth ${ifd.imageDepth}, TileDepth ${ifd.tileDepth}`,
      expected: "one 2-D page per slice (save the stack as pages, e.g. with tifffile or ImageJ)",
    });
  }
  const c = ifd.compression;
  if (!(c === 1 || c === 5 || c === 8 || c === 32946 || c === 32773)) {
    throw new InputError(`unsupported TIFF compression ${COMPRESSION_NAMES[c] ?? c}`, {
      ...where,
      value: String(c),
      expected: "compression none (1), LZW (5), Deflate (8, 32946) or PackBits (32773)",
    });
  }
  if (ifd.predictor !== 1 && ifd.predictor !== 2) {
    throw new InputError("unsupported TIFF predictor", {
      ...where,
      value: String(ifd.predictor),
      expected: "1 (none) or 2 (horizontal)",
    });
  }
  if (ifd.tileWidth < 1 || ifd.tileLength < 1)
    throw new InputError("TIFF tile or strip size missing", { ...where });
  const across = Math.ceil(ifd.width / ifd.tileWidth);
  const down = Math.ceil(ifd.height / ifd.tileLength);
  if (ifd.offsets.length < across * down || ifd.byteCounts.length < across * down) {
    throw new InputError("TIFF page has too few strip/tile offsets", {
      ...where,
      value: String(Math.min(ifd.offsets.length, ifd.byteCounts.length)),
      expected: String(across * down),
    });
  }
}

/** Parse ImageJ's `key=value` ImageDescription lines. */
export function parseImageJDescription(description: string | undefined): Record<string, string> | null {
  if (!description?.startsWith("ImageJ=")) return null;
  const out: Record<string, string> = {};
  for (const line of description.split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/** Metres per unit for ImageJ unit names (µ may arrive as latin-1 "µ" or "\\u00B5"). */
export function lengthUnitToMetres(unit: string): number | null {
  const u = unit
    .trim()
    .toLowerCase()
    .replace(/\\u00b5/g, "µ");
  switch (u) {
    case "m":
    case "meter":
    case "metre":
      return 1;
    case "cm":
      return 1e-2;
    case "mm":
      return 1e-3;
    case "micron":
    case "microns":
    case "um":
    case "µm":
    case "μm":
      return 1e-6;
    case "nm":
      return 1e-9;
    case "inch":
    case "in":
      return 0.0254;
    default:
      return null;
  }
}

/** Voxel size [dz, dy, dx] in metres from ImageJ metadata, or null when unknown. */
function spacingOf(ifd: Ifd): [number, number, number] | null {
  const ij = parseImageJDescription(ifd.description);
  let unitM: number | null = null;
  if (ij?.unit) unitM = lengthUnitToMetres(ij.unit);
  else if (!ij && ifd.resUnit === 3) unitM = 1e-2; // ResolutionUnit 3 = centimetre (TIFF 6.0)
  if (unitM === null) return null;
  const dx = ifd.xRes && ifd.xRes > 0 ? unitM / ifd.xRes : unitM;
  const dy = ifd.yRes && ifd.yRes > 0 ? unitM / ifd.yRes : dx;
  const sp = ij?.spacing !== undefined ? Number(ij.spacing) : Number.NaN;
  const dz = Number.isFinite(sp) && sp > 0 ? sp * unitM : dx;
  return [dz, dy, dx];
}

/** PackBits (TIFF 6.0 §9) into `out`; returns bytes written. */
export function unpackBits(src: Uint8Array, out: Uint8Array): number {
  let i = 0;
  let o = 0;
  const n = src.length;
  const cap = out.length;
  while (i < n && o < cap) {
    const h = src[i++];
    if (h < 128) {
      const len = Math.min(h + 1, cap - o, n - i);
      out.set(src.subarray(i, i + len), o);
      i += h + 1;
      o += len;
    } else if (h > 128) {
      const len = Math.min(257 - h, cap - o);
      if (i >= n) break;
      out.fill(src[i++], o, o + len);
      o += len;
    }
  }
  return o;
}

/** TIFF LZW (TIFF 6.0 §13: MSB-first codes, 9–12 bits, "early change") into `out`; returns bytes written. */
export function lzwDecode(src: Uint8Array, out: Uint8Array): number {
  const prefix = new Int16Array(4096);
  const suffix = new Uint8Array(4096);
  const lengths = new Uint16Array(4096);
  for (let i = 0; i < 256; i++) {
    prefix[i] = -1;
    suffix[i] = i;
    lengths[i] = 1;
  }
  let next = 258;
  let width = 9;
  let bitPos = 0;
  const totalBits = src.length * 8;
  let o = 0;
  const cap = out.length;
  let old = -1;
  while (bitPos + width <= totalBits) {
    // read `width` bits MSB-first
    let code = 0;
    let need = width;
    let bp = bitPos;
    while (need > 0) {
      const byte = src[bp >>> 3];
      const avail = 8 - (bp & 7);
      const take = Math.min(avail, need);
      code = (code << take) | ((byte >>> (avail - take)) & ((1 << take) - 1));
      need -= take;
      bp += take;
    }
    bitPos = bp;
    if (code === 257) break;
    if (code === 256) {
      next = 258;
      width = 9;
      old = -1;
      continue;
    }
    let first: number;
    if (old === -1) {
      if (code > 255) break; // corrupt stream
      if (o < cap) out[o++] = code;
      old = code;
      continue;
    }
    let len: number;
    let c = code;
    if (code < next) {
      len = lengths[code];
    } else if (code === next) {
      len = lengths[old] + 1;
      c = old;
    } else {
      break; // corrupt stream
    }
    // write string of c (and for KwKwK its first char again at the end)
    const start = o;
    const strLen = lengths[c];
    let p = start + strLen - 1;
    let cc = c;
    while (cc >= 0) {
      if (p < cap) out[p] = suffix[cc];
      p--;
      cc = prefix[cc];
    }
    first = start < cap ? out[start] : suffix[c];
    if (code === next && start + strLen < cap) out[start + strLen] = first;
    o = Math.min(cap, start + len);
    if (next < 4096) {
      prefix[next] = old;
      suffix[next] = first;
      lengths[next] = lengths[old] + 1;
      next++;
    }
    if (next + 1 >= 1 << width && width < 12) width++;
    old = code;
  }
  return o;
}

function decompress(
  c: number,
  src: Uint8Array,
  scratch: Uint8Array,
  expectBytes: number,
  file: string | undefined,
  page: number,
): number {
  try {
    if (c === 1) {
      const n = Math.min(src.length, scratch.length);
      scratch.set(src.subarray(0, n));
      return n;
    }
    if (c === 32773) return unpackBits(src, scratch);
    if (c === 5) return lzwDecode(src, scratch);
    // Deflate: zlib-wrapped per TIFF; fall back to raw deflate.
    const isZlib = src.length >= 2 && (src[0] & 0x0f) === 8 && ((src[0] << 8) | src[1]) % 31 === 0;
    return inflateBounded(src, scratch, isZlib, expectBytes, file, page);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`corrupt compressed TIFF data (${(e as Error).message})`, {
      file,
      field: `page ${page}`,
    });
  }
}

/** Input bytes pushed to the inflater at a time: at most 1032 × this (≈ 17 MB) comes out per push. */
const INFLATE_CHUNK = 16384;

/**
 * Inflate into `out`, stopping as soon as the output passes the `limit` the header declares
 * (a Deflate bomb then costs one chunk of work, not its full expansion). Returns bytes written.
 */
function inflateBounded(
  src: Uint8Array,
  out: Uint8Array,
  zlib: boolean,
  limit: number,
  file: string | undefined,
  page: number,
): number {
  let o = 0;
  let over = false;
  const onData = (chunk: Uint8Array) => {
    const room = Math.min(out.length, limit) - o;
    if (chunk.length > room) over = true;
    const n = Math.min(room, chunk.length);
    if (n > 0) out.set(n === chunk.length ? chunk : chunk.subarray(0, n), o);
    o += n;
  };
  const stream = zlib ? new Unzlib(onData) : new Inflate(onData);
  for (let i = 0; i < src.length && !over; i += INFLATE_CHUNK) {
    const end = Math.min(src.length, i + INFLATE_CHUNK);
    stream.push(src.subarray(i, end), end === src.length);
  }
  if (over) {
    throw new InputError("compressed TIFF strip expands beyond the size its header declares", {
      file,
      field: `page ${page}`,
      value: `more than ${limit} bytes`,
      expected: `${limit} bytes (ImageWidth × RowsPerStrip × BitsPerSample/8)`,
    });
  }
  return o;
}

function swapBytes(buf: Uint8Array, n: number, size: number): void {
  if (size === 2) {
    for (let i = 0; i + 1 < n; i += 2) {
      const t = buf[i];
      buf[i] = buf[i + 1];
      buf[i + 1] = t;
    }
  } else if (size === 4) {
    for (let i = 0; i + 3 < n; i += 4) {
      let t = buf[i];
      buf[i] = buf[i + 3];
      buf[i + 3] = t;
      t = buf[i + 1];
      buf[i + 1] = buf[i + 2];
      buf[i + 2] = t;
    }
  } else if (size === 8) {
    for (let i = 0; i + 7 < n; i += 8) {
      for (let k = 0; k < 4; k++) {
        const t = buf[i + k];
        buf[i + k] = buf[i + 7 - k];
        buf[i + 7 - k] = t;
      }
    }
  }
}

/** Undo horizontal differencing (predictor 2) on native-endian samples, rows of `w` samples. */
function undoPredictor(
  buf: Uint8Array,
  bytesPerSample: number,
  w: number,
  rows: number,
  file?: string,
): void {
  const n = w * rows;
  if (bytesPerSample === 1) {
    for (let r = 0; r < rows; r++)
      for (let x = 1, i = r * w + 1; x < w; x++, i++) buf[i] = (buf[i] + buf[i - 1]) & 0xff;
  } else if (bytesPerSample === 2) {
    const a = new Uint16Array(buf.buffer, buf.byteOffset, n);
    for (let r = 0; r < rows; r++)
      for (let x = 1, i = r * w + 1; x < w; x++, i++) a[i] = (a[i] + a[i - 1]) & 0xffff;
  } else if (bytesPerSample === 4) {
    const a = new Uint32Array(buf.buffer, buf.byteOffset, n);
    for (let r = 0; r < rows; r++)
      for (let x = 1, i = r * w + 1; x < w; x++, i++) a[i] = (a[i] + a[i - 1]) >>> 0;
  } else {
    throw new InputError("horizontal predictor on 64-bit samples is not supported", {
      file,
      expected: "predictor 1",
    });
  }
}

const NATIVE_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decode a TIFF (all pages) into one volume.
 * Spacing: [dz, dy, dx] in metres from ImageJ metadata when present, else [1, 1, 1] with
 * `info.spacingFromFile = false`.
 * @throws InputError for truncated files, unsupported compression/sample types, RGB, or pages of
 * different size/type.
 */
export function readTiff(
  bytes: Uint8Array,
  options: ReadTiffOptions = {},
): { volume: Volume; info: TiffInfo } {
  const file = options.file;
  const { r, first } = parseHeader(bytes, file);
  const ifds: Ifd[] = [];
  const seen = new Set<number>();
  let at = first;
  while (at !== 0) {
    if (seen.has(at)) throw new InputError("TIFF directory loop", { file, value: `offset ${at}` });
    seen.add(at);
    const { ifd, next } = readIfd(r, at);
    ifds.push(ifd);
    at = next;
  }
  if (ifds.length === 0) throw new InputError("TIFF without images", { file });
  const f = ifds[0];
  checkPage(f, 0, file);
  const kind = voxelTypeFor(f, file);
  for (let p = 1; p < ifds.length; p++) {
    const g = ifds[p];
    checkPage(g, p, file);
    if (g.width !== f.width || g.height !== f.height || g.bits !== f.bits || voxelTypeFor(g, file) !== kind) {
      throw new InputError("TIFF pages differ in size or sample type", {
        file,
        field: `page ${p}`,
        value: `${g.height}×${g.width} ${g.bits}-bit`,
        expected: `${f.height}×${f.width} ${f.bits}-bit like page 0`,
      });
    }
  }
  const ij = parseImageJDescription(f.description);
  // ImageJ writes big stacks (> 4 GiB) with a single IFD and contiguous uncompressed pages.
  let stored = ifds.length;
  let contiguous = false;
  const ijImages = ij?.images !== undefined ? Number(ij.images) : 0;
  if (ifds.length === 1 && ijImages > 1 && f.compression === 1 && f.offsets.length === 1) {
    stored = ijImages;
    contiguous = true;
  }
  const pages = selectPages(ij, stored, options, file);
  const nz = pages.length;
  const identity = pages.every((p, k) => p === k);
  const bps = f.bits / 8;
  const ny = f.height;
  const nx = f.width;
  const plane = nx * ny;
  const total = plane * nz;
  // declared sizes against the memory budget and against what the file can hold, before any
  // allocation (a 186-byte header may claim 100000 × 100000 pixels)
  const budget = options.maxBytes ?? TIFF_DEFAULT_MAX_BYTES;
  if (total * bps > budget) {
    throw new InputError("TIFF declares more voxels than the memory budget allows", {
      file,
      value: `${nz} × ${ny} × ${nx} × ${bps} bytes = ${total * bps} bytes`,
      expected: `at most ${budget} bytes (maxBytes)`,
    });
  }
  if (contiguous) r.need(f.offsets[0], plane * bps * stored, `${stored} contiguous ImageJ pages`);
  else {
    for (const p of pages) {
      const g = ifds[p];
      const across = Math.ceil(nx / g.tileWidth);
      const down = Math.ceil(ny / g.tileLength);
      const tiledPage = g.tileWidth !== nx;
      const grow = maxExpansion(g.compression);
      for (let t = 0; t < across * down; t++) {
        const rows = tiledPage
          ? g.tileLength
          : Math.min(g.tileLength, ny - Math.floor(t / across) * g.tileLength);
        const expect = g.tileWidth * rows * bps;
        const cnt = g.byteCounts[t];
        r.need(g.offsets[t], cnt, `page ${p} ${tiledPage ? "tile" : "strip"} ${t}`);
        if (cnt * grow < expect) {
          throw new InputError("TIFF declares more pixels than its stored bytes can hold", {
            file,
            field: `page ${p} ${tiledPage ? "tile" : "strip"} ${t}`,
            value: `${cnt} stored bytes (compression ${g.compression}, at most ${grow}:1)`,
            expected: `${expect} decoded bytes`,
          });
        }
      }
    }
  }
  const swap = r.le !== NATIVE_LE && bps > 1;
  const start =
    options.zeroCopy && identity && !swap && kind !== "int8"
      ? contiguousStart(ifds, contiguous, nx, bps, plane)
      : -1;
  const view = start >= 0 && (bytes.byteOffset + start) % bps === 0 && start + total * bps <= bytes.length;
  const out = view
    ? new Uint8Array(bytes.buffer, bytes.byteOffset + start, total * bps)
    : new Uint8Array(total * bps);

  if (view) {
    // voxels are used in place
  } else if (contiguous) {
    const pb = plane * bps;
    pages.forEach((p, k) => {
      out.set(bytes.subarray(f.offsets[0] + p * pb, f.offsets[0] + (p + 1) * pb), k * pb);
    });
    if (swap) swapBytes(out, total * bps, bps);
  } else {
    let maxTile = 0;
    for (const p of pages) maxTile = Math.max(maxTile, ifds[p].tileWidth * ifds[p].tileLength * bps);
    const scratch = new Uint8Array(maxTile);
    for (let k = 0; k < pages.length; k++) {
      const p = pages[k];
      const g = ifds[p];
      const gtw = g.tileWidth;
      const gtl = g.tileLength;
      const across = Math.ceil(nx / gtw);
      const down = Math.ceil(ny / gtl);
      const pageBase = k * plane * bps;
      const tiled = gtw !== nx;
      for (let t = 0; t < across * down; t++) {
        const tx = (t % across) * gtw;
        const ty = Math.floor(t / across) * gtl;
        const rows = Math.min(gtl, ny - ty);
        // strips store only the rows that exist; tiles are always full size
        const tileRows = tiled ? gtl : rows;
        const expectBytes = gtw * tileRows * bps;
        const off = g.offsets[t];
        const cnt = g.byteCounts[t];
        r.need(off, cnt, `page ${p} ${tiled ? "tile" : "strip"} ${t}`);
        const src = bytes.subarray(off, off + cnt);
        const direct = g.compression === 1 && !tiled && !swap && g.predictor === 1;
        if (direct) {
          if (cnt < expectBytes) {
            throw new InputError("truncated TIFF strip", {
              file,
              field: `page ${p} strip ${t}`,
              value: `${cnt} bytes`,
              expected: `${expectBytes} bytes`,
            });
          }
          out.set(src.subarray(0, expectBytes), pageBase + ty * nx * bps);
          continue;
        }
        const got = decompress(g.compression, src, scratch, expectBytes, file, p);
        if (got < expectBytes) {
          throw new InputError(
            `truncated TIFF ${tiled ? "tile" : "strip"}: it decodes to fewer bytes than its size`,
            {
              file,
              field: `page ${p} ${tiled ? "tile" : "strip"} ${t}`,
              value: `${got} bytes`,
              expected: `${expectBytes} bytes`,
            },
          );
        }
        if (swap) swapBytes(scratch, expectBytes, bps);
        if (g.predictor === 2) undoPredictor(scratch, bps, gtw, tileRows, file);
        const cols = Math.min(gtw, nx - tx);
        for (let y = 0; y < rows; y++) {
          const s = y * gtw * bps;
          out.set(scratch.subarray(s, s + cols * bps), pageBase + ((ty + y) * nx + tx) * bps);
        }
      }
    }
  }

  let data: VoxelArray;
  let type: VoxelType;
  const buf = out.buffer;
  const bo = out.byteOffset;
  switch (kind) {
    case "int8": {
      const s = new Int8Array(buf, bo, total);
      data = new Int16Array(total);
      data.set(s);
      type = "int16";
      break;
    }
    case "uint8":
      data = out;
      type = kind;
      break;
    case "uint16":
      data = new Uint16Array(buf, bo, total);
      type = kind;
      break;
    case "int16":
      data = new Int16Array(buf, bo, total);
      type = kind;
      break;
    case "uint32":
      data = new Uint32Array(buf, bo, total);
      type = kind;
      break;
    case "int32":
      data = new Int32Array(buf, bo, total);
      type = kind;
      break;
    case "float32":
      data = new Float32Array(buf, bo, total);
      type = kind;
      break;
    default:
      data = new Float64Array(buf, bo, total);
      type = "float64";
  }
  const sp = spacingOf(f);
  return {
    volume: { data, shape: [nz, ny, nx], spacing: sp ?? [1, 1, 1] },
    info: {
      pages: nz,
      type,
      compression: f.compression,
      littleEndian: r.le,
      bigTiff: r.big,
      tiled: f.tileWidth !== nx,
      spacingFromFile: sp !== null,
      description: f.description,
    },
  };
}

/**
 * Pages to read, in z order. ImageJ hyperstacks (`channels=`, `slices=`, `frames=` in the
 * ImageDescription) store pages channel-fastest, then slice, then frame (ImageJ's default XYCZT
 * order): page = c + C·(z + Z·t). With several channels or frames one of each must be chosen
 * (1-based `channel`/`frame`), else the reader refuses rather than flattening them into z.
 */
function selectPages(
  ij: Record<string, string> | null,
  stored: number,
  options: ReadTiffOptions,
  file: string | undefined,
): number[] {
  const count = (key: string) => {
    const v = ij?.[key] !== undefined ? Number(ij[key]) : 1;
    return Number.isInteger(v) && v >= 1 ? v : 1;
  };
  const C = count("channels");
  const T = count("frames");
  const all = Array.from({ length: stored }, (_, k) => k);
  if (C === 1 && T === 1) {
    if (options.channel !== undefined && options.channel !== 1)
      throw new InputError("the TIFF has one channel", {
        file,
        field: "channel",
        value: String(options.channel),
        expected: "1",
      });
    if (options.frame !== undefined && options.frame !== 1)
      throw new InputError("the TIFF has one time frame", {
        file,
        field: "frame",
        value: String(options.frame),
        expected: "1",
      });
    return all;
  }
  const Z = ij?.slices !== undefined ? count("slices") : Math.floor(stored / (C * T));
  if (C * Z * T !== stored) {
    throw new InputError("ImageJ hyperstack dimensions do not match the page count", {
      file,
      value: `channels=${C} slices=${Z} frames=${T} (${C * Z * T} pages)`,
      expected: `${stored} pages`,
    });
  }
  const pick = (n: number, v: number | undefined, name: "channel" | "frame") => {
    if (n === 1) return 0;
    if (v === undefined) {
      throw new InputError(`the TIFF is an ImageJ hyperstack with ${n} ${name}s`, {
        file,
        field: name,
        expected: `--${name} N (1…${n}) to choose one; the reader does not flatten ${name}s into z`,
      });
    }
    if (!Number.isInteger(v) || v < 1 || v > n)
      throw new InputError(`invalid ${name}`, { file, field: name, value: String(v), expected: `1…${n}` });
    return v - 1;
  };
  const c = pick(C, options.channel, "channel");
  const t = pick(T, options.frame, "frame");
  return Array.from({ length: Z }, (_, z) => c + C * (z + Z * t));
}

/** Byte offset of page 0 when all pages are uncompressed strips stored back to back, else −1. */
function contiguousStart(
  ifds: Ifd[],
  imagejContiguous: boolean,
  nx: number,
  bps: number,
  plane: number,
): number {
  const start = ifds[0].offsets[0];
  if (imagejContiguous) return start;
  const rowBytes = nx * bps;
  for (let p = 0; p < ifds.length; p++) {
    const g = ifds[p];
    if (g.compression !== 1 || g.predictor !== 1 || g.tileWidth !== nx) return -1;
    const strips = Math.ceil(g.height / g.tileLength);
    for (let t = 0; t < strips; t++) {
      const rows = Math.min(g.tileLength, g.height - t * g.tileLength);
      if (
        g.offsets[t] !== start + p * plane * bps + t * g.tileLength * rowBytes ||
        g.byteCounts[t] < rows * rowBytes
      )
        return -1;
    }
  }
  return start;
}

export interface WriteTiffOptions {
  /** Unit written to ImageJ metadata and used for the resolution tags (default "micron"). */
  unit?: "micron" | "nm" | "mm";
  /** Extra lines appended to the ImageJ description (key=value). */
  extra?: Record<string, string | number>;
}

const UNIT_M = { micron: 1e-6, nm: 1e-9, mm: 1e-3 } as const;

/**
 * Encode a volume as an uncompressed little-endian multi-page TIFF with ImageJ metadata
 * (images/slices, unit, spacing = dz, X/YResolution = 1/dx, 1/dy in pixels per unit).
 * Returns the file as parts (header, voxel bytes as a zero-copy view on LE hosts, directories)
 * so large volumes can be streamed to disk; `encodeTiff` concatenates them.
 */
export function tiffParts(volume: Volume, options: WriteTiffOptions = {}): Uint8Array[] {
  const [nz, ny, nx] = volume.shape;
  const type = voxelTypeOf(volume.data);
  const bps = volume.data.BYTES_PER_ELEMENT;
  const sampleFormat = type.startsWith("float") ? 3 : type.startsWith("int") ? 2 : 1;
  const unit = options.unit ?? "micron";
  const um = UNIT_M[unit];
  const [dz, dy, dx] = volume.spacing;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const d = volume.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const lines = ["ImageJ=1.11a", `images=${nz}`, ...(nz > 1 ? [`slices=${nz}`] : []), `unit=${unit}`];
  if (nz > 1) lines.push(`spacing=${fmt(dz / um)}`, "loop=false");
  if (Number.isFinite(min)) lines.push(`min=${fmt(min)}`, `max=${fmt(max)}`);
  for (const [k, v] of Object.entries(options.extra ?? {})) lines.push(`${k}=${v}`);
  const desc = new TextEncoder().encode(`${lines.join("\n")}\n\0`);

  const planeBytes = nx * ny * bps;
  const dataBytes = planeBytes * nz;
  const header = new Uint8Array(8);
  const hv = new DataView(header.buffer);
  header[0] = 0x49;
  header[1] = 0x49;
  hv.setUint16(2, 42, true);
  const dataStart = 8;
  // Pixel data (page after page) from byte 8, then description + rationals, then the IFDs.
  const extraStart = dataStart + dataBytes + (dataBytes % 2);
  const descAt = extraStart;
  const xResAt = descAt + desc.length + (desc.length % 2);
  const yResAt = xResAt + 8;
  const ifdStart = yResAt + 8;
  const nTags = 14;
  const ifdSize = 2 + nTags * 12 + 4;
  if (ifdStart + ifdSize * nz > 0xffffffff) {
    throw new InputError("volume too large for a classic TIFF (4 GiB)", {
      expected: "a smaller volume, or NPY/raw output",
    });
  }
  hv.setUint32(4, ifdStart, true);
  const tail = new Uint8Array(ifdStart - extraStart + ifdSize * nz);
  const tv = new DataView(tail.buffer);
  tail.set(desc, descAt - extraStart);
  const ppu = (spacing: number) => rational(um / spacing);
  const [xn, xd] = ppu(dx);
  const [yn, yd] = ppu(dy);
  tv.setUint32(xResAt - extraStart, xn, true);
  tv.setUint32(xResAt - extraStart + 4, xd, true);
  tv.setUint32(yResAt - extraStart, yn, true);
  tv.setUint32(yResAt - extraStart + 4, yd, true);
  for (let p = 0; p < nz; p++) {
    let o = ifdStart - extraStart + p * ifdSize;
    tv.setUint16(o, nTags, true);
    o += 2;
    const entry = (tag: number, type: number, count: number, value: number) => {
      tv.setUint16(o, tag, true);
      tv.setUint16(o + 2, type, true);
      tv.setUint32(o + 4, count, true);
      if (type === 3 && count === 1) tv.setUint16(o + 8, value, true);
      else tv.setUint32(o + 8, value, true);
      o += 12;
    };
    entry(254, 4, 1, 0); // NewSubfileType
    entry(TAG.ImageWidth, 4, 1, nx);
    entry(TAG.ImageLength, 4, 1, ny);
    entry(TAG.BitsPerSample, 3, 1, bps * 8);
    entry(TAG.Compression, 3, 1, 1);
    entry(TAG.Photometric, 3, 1, 1); // BlackIsZero
    entry(TAG.ImageDescription, 2, p === 0 ? desc.length : 1, p === 0 ? descAt : 0);
    entry(TAG.StripOffsets, 4, 1, dataStart + p * planeBytes);
    entry(TAG.SamplesPerPixel, 3, 1, 1);
    entry(TAG.RowsPerStrip, 4, 1, ny);
    entry(TAG.StripByteCounts, 4, 1, planeBytes);
    entry(TAG.XResolution, 5, 1, xResAt);
    entry(TAG.YResolution, 5, 1, yResAt);
    entry(TAG.SampleFormat, 3, 1, sampleFormat);
    tv.setUint32(o, p + 1 < nz ? ifdStart + (p + 1) * ifdSize : 0, true);
  }
  // On later pages the description entry is a 1-byte ASCII NUL stored inline (value 0).
  let body: Uint8Array;
  if (NATIVE_LE) body = new Uint8Array(d.buffer, d.byteOffset, dataBytes);
  else {
    body = new Uint8Array(dataBytes);
    body.set(new Uint8Array(d.buffer, d.byteOffset, dataBytes));
    swapBytes(body, dataBytes, bps);
  }
  const pad = new Uint8Array(dataBytes % 2);
  return [header, body, pad, tail];
}

/** `tiffParts` concatenated into one file image. */
export function encodeTiff(volume: Volume, options: WriteTiffOptions = {}): Uint8Array {
  const parts = tiffParts(volume, options);
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(12)));
}

/** Positive number as a TIFF RATIONAL (numerator, denominator < 2³²): exact decimal if short, else ~1e-9 relative. */
function rational(x: number): [number, number] {
  if (!(x > 0) || !Number.isFinite(x)) return [1, 1];
  for (let den = 1; den <= 1e6; den *= 10) {
    const num = x * den;
    if (num > 0xffffffff) break;
    if (Number.isInteger(num)) return [num, den];
  }
  if (x >= 0xffffffff) return [0xffffffff, 1];
  const den = Math.floor(0xffffffff / Math.max(1, x));
  return [Math.max(1, Math.round(x * den)), den];
}
