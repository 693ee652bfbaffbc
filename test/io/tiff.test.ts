import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/errors.js";
import { createVolume, volumeFrom } from "../../src/imaging/volume.js";
import { readNpy } from "../../src/io/npy.js";
import { encodeTiff, lzwDecode, readTiff, unpackBits } from "../../src/io/tiff.js";

const FIX = new URL("../fixtures/imaging/", import.meta.url);
const DATA = new URL("../data/imaging/", import.meta.url);
const bytes = (name: string, base = FIX) => new Uint8Array(readFileSync(new URL(name, base)));

interface FilesFixture {
  shape: [number, number, number];
  arrays: Record<string, number[]>;
  files: Record<
    string,
    {
      dtype: string;
      shape: number[];
      compression: number;
      source: string;
      spacing_m?: number[];
      littleEndian?: boolean;
      bigTiff?: boolean;
      tiled?: boolean;
    }
  >;
}
const fx = JSON.parse(readFileSync(new URL("a_files.json", FIX), "utf8")) as FilesFixture;

const TYPE_OF: Record<string, string> = {
  uint8: "uint8",
  uint16: "uint16",
  int16: "int16",
  int32: "int32",
  uint32: "uint32",
  float32: "float32",
  float64: "float64",
};

function expected(source: string): number[] {
  if (source.startsWith("npy:")) return Array.from(readNpy(bytes(source.slice(4))).data);
  const m = /^(\w+)(?:\[(\d+)\])?$/.exec(source);
  assert.ok(m);
  const all = fx.arrays[m[1]];
  if (m[2] === undefined) return all;
  const plane = fx.shape[1] * fx.shape[2];
  const k = Number(m[2]);
  return all.slice(k * plane, (k + 1) * plane);
}

test("TIFF fixtures written by tifffile and Pillow decode voxel-exactly (all types, endians, strips, tiles, codecs)", () => {
  for (const [name, meta] of Object.entries(fx.files)) {
    if (name === "a_u16_imagej.tif") continue; // a 3-channel hyperstack: see the next tests
    const { volume, info } = readTiff(bytes(name), { file: name });
    const shape = meta.shape.length === 2 ? [1, ...meta.shape] : meta.shape;
    assert.deepEqual([...volume.shape], shape, name);
    assert.equal(info.type, TYPE_OF[meta.dtype], name);
    assert.equal(info.compression, meta.compression, name);
    if (meta.littleEndian === false) assert.equal(info.littleEndian, false, name);
    if (meta.bigTiff) assert.equal(info.bigTiff, true, name);
    if (meta.tiled) assert.equal(info.tiled, true, name);
    const want = expected(meta.source);
    assert.equal(volume.data.length, want.length, name);
    // exact: every value is an integer or a float32/float64 that JSON carries exactly
    for (let i = 0; i < want.length; i++) {
      if (volume.data[i] !== want[i])
        assert.fail(`${name}: voxel ${i} is ${volume.data[i]}, expected ${want[i]}`);
    }
  }
});

test("ImageJ hyperstack with channels: refused without a choice, one channel read with channel = k", () => {
  // tifffile's imagej=True labels a (3, ny, nx) array as channels=3 (not slices): the reader must
  // not flatten the channels into z
  assert.throws(
    () => readTiff(bytes("a_u16_imagej.tif"), { file: "a_u16_imagej.tif" }),
    (e: unknown) => e instanceof InputError && /hyperstack with 3 channels/.test(e.message),
  );
  const plane = fx.shape[1] * fx.shape[2];
  const all = fx.arrays.u16;
  for (const k of [1, 2, 3]) {
    const v = readTiff(bytes("a_u16_imagej.tif"), { channel: k }).volume;
    assert.deepEqual([...v.shape], [1, fx.shape[1], fx.shape[2]]);
    assert.deepEqual(Array.from(v.data), all.slice((k - 1) * plane, k * plane));
  }
  assert.throws(() => readTiff(bytes("a_u16_imagej.tif"), { channel: 4 }), /invalid channel/);
  assert.throws(() => readTiff(bytes("a_i16.tif"), { frame: 2 }), /one time frame/);
});

test("ImageJ hyperstack with channels and frames (C=2, Z=2, T=3): channel 2 of frame 3 are pages 9 and 11", () => {
  const nz = 12;
  const v = createVolume([nz, 3, 4], "uint8");
  for (let i = 0; i < v.data.length; i++) v.data[i] = Math.floor(i / 12);
  const file = encodeTiff(v, { extra: { channels: 2, frames: 3, hyperstack: "true" } });
  // encodeTiff wrote slices=12; make it slices=2 (same length) so C·Z·T = 12
  const text = new TextDecoder("latin1").decode(file);
  const at = text.indexOf("slices=12\n");
  assert.ok(at > 0);
  file.set(new TextEncoder().encode("slices=2\n\n"), at);
  assert.throws(() => readTiff(file), /hyperstack with 2 channels/);
  assert.throws(() => readTiff(file, { channel: 1 }), /hyperstack with 3 frames/);
  const r = readTiff(file, { channel: 2, frame: 3 }).volume;
  assert.deepEqual([...r.shape], [2, 3, 4]);
  assert.equal(r.data[0], 9);
  assert.equal(r.data[12], 11);
});

test("volumetric tiles (ImageDepth/TileDepth) are refused with a clear error, not read as one slice", () => {
  const v = createVolume([2, 3, 4], "uint8");
  const file = encodeTiff(v);
  // turn every NewSubfileType entry (254, LONG, 1, 0) into ImageDepth (32997, LONG, 1, 4)
  const pattern = [0xfe, 0, 4, 0, 1, 0, 0, 0, 0, 0, 0, 0];
  let n = 0;
  for (let i = 0; i + 12 <= file.length; i++) {
    if (pattern.every((b, k) => file[i + k] === b)) {
      file.set([0xe5, 0x80, 4, 0, 1, 0, 0, 0, 4, 0, 0, 0], i);
      n++;
    }
  }
  assert.equal(n, 2);
  assert.throws(
    () => readTiff(file, { file: "vol.tif" }),
    (e: unknown) => e instanceof InputError && /ImageDepth\/TileDepth/.test(e.message),
  );
});

/** A one-page, one-strip 8-bit TIFF with the given declared size and strip bytes (little endian). */
function craftTiff(width: number, height: number, compression: number, strip: Uint8Array): Uint8Array {
  const tags: [number, number, number][] = [
    [256, 4, width],
    [257, 4, height],
    [258, 3, 8],
    [259, 3, compression],
    [262, 3, 1],
    [273, 4, 0], // patched below
    [277, 3, 1],
    [278, 4, height],
    [279, 4, strip.length],
  ];
  const ifdAt = 8;
  const ifdSize = 2 + 12 * tags.length + 4;
  const stripAt = ifdAt + ifdSize;
  const out = new Uint8Array(stripAt + strip.length);
  const dv = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  dv.setUint32(4, ifdAt, true);
  dv.setUint16(ifdAt, tags.length, true);
  tags.forEach(([tag, type, value], k) => {
    const o = ifdAt + 2 + 12 * k;
    dv.setUint16(o, tag, true);
    dv.setUint16(o + 2, type, true);
    dv.setUint32(o + 4, 1, true);
    if (type === 3) dv.setUint16(o + 8, value, true);
    else dv.setUint32(o + 8, tag === 273 ? stripAt : value, true);
  });
  out.set(strip, stripAt);
  return out;
}

test("a 186-byte TIFF claiming 100000 × 100000 pixels fails fast with an InputError (budget, then stored bytes)", () => {
  const file = craftTiff(100000, 100000, 1, new Uint8Array(64));
  assert.equal(file.length, 186);
  const t0 = performance.now();
  assert.throws(
    () => readTiff(file, { file: "claim.tif" }),
    (e: unknown) =>
      e instanceof InputError && /memory budget/.test(e.message) && /claim\.tif/.test(e.message),
  );
  // with a budget that allows it, the stored bytes cannot hold it: refused before allocating 10 GB
  assert.throws(
    () => readTiff(file, { maxBytes: 1e11 }),
    (e: unknown) => e instanceof InputError && /stored bytes can hold/.test(e.message),
  );
  // the same claim for Deflate (at most 1032:1) is refused too
  assert.throws(
    () => readTiff(craftTiff(100000, 1000, 8, new Uint8Array(64)), { maxBytes: 1e11 }),
    /stored bytes can hold/,
  );
  assert.ok(performance.now() - t0 < 1000);
});

/** Raw Deflate (RFC 1951) of one zero byte and `matches` copies of 258 bytes at distance 1, fixed Huffman. */
function deflateBomb(matches: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((3 + 8 + 13 * matches + 7) / 8) + 1);
  let bit = 0;
  const put = (value: number, n: number) => {
    for (let k = 0; k < n; k++, bit++) if ((value >> k) & 1) out[bit >> 3] |= 1 << (bit & 7);
  };
  const putCode = (code: number, n: number) => {
    for (let k = n - 1; k >= 0; k--, bit++) if ((code >> k) & 1) out[bit >> 3] |= 1 << (bit & 7);
  };
  put(1, 1); // BFINAL
  put(1, 2); // BTYPE = 01, fixed Huffman
  putCode(0b00110000, 8); // literal 0
  for (let m = 0; m < matches; m++) {
    putCode(0b11000101, 8); // length symbol 285 = 258 bytes
    putCode(0, 5); // distance code 0 = 1
  }
  putCode(0, 7); // end of block (256)
  return out.subarray(0, (bit + 7) >> 3);
}

test("a 1 MB Deflate bomb (expands to 166 MB) in a 64 × 64 strip fails fast with little memory", () => {
  const bomb = deflateBomb(640000);
  assert.ok(bomb.length > 1e6 && bomb.length < 1.1e6, `${bomb.length}`);
  const file = craftTiff(64, 64, 8, bomb);
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  assert.throws(
    () => readTiff(file, { file: "bomb.tif" }),
    (e: unknown) => e instanceof InputError && /expands beyond the size its header declares/.test(e.message),
  );
  const ms = performance.now() - t0;
  assert.ok(ms < 1000, `${ms} ms`);
  assert.ok(process.memoryUsage().rss - rss0 < 64 * 1024 * 1024);
  // a well-formed Deflate strip of the declared size still decodes
  // a well-formed Deflate strip of exactly the declared size (1 literal + one 258-byte copy) decodes
  const ok = readTiff(craftTiff(259, 1, 8, deflateBomb(1))).volume;
  assert.equal(ok.data.length, 259);
  assert.equal(Math.max(...ok.data), 0);
});

test("ImageJ metadata gives the voxel size in metres", () => {
  const { volume, info } = readTiff(bytes("a_u16_imagej.tif"), { channel: 1 });
  assert.equal(info.spacingFromFile, true);
  const want = fx.files["a_u16_imagej.tif"].spacing_m as number[];
  // resolution is stored as a rational: relative error ≤ 1e-9
  for (let k = 0; k < 3; k++)
    assert.ok(Math.abs(volume.spacing[k] - want[k]) <= 1e-9 * want[k], `axis ${k}: ${volume.spacing[k]}`);
  const plain = readTiff(bytes("a_i16.tif"));
  assert.equal(plain.info.spacingFromFile, false);
  assert.deepEqual([...plain.volume.spacing], [1, 1, 1]);
});

test("real data: the four imaging files in test/data decode with the README's shapes and statistics", () => {
  const cases: [string, number[], string, number, number][] = [
    // file, shape, type, compression, mean (README: phase fractions / stated means)
    [
      "taufactor_electrode_nmc_3phase_256.tiff",
      [256, 256, 256],
      "uint8",
      32946,
      85 * 0.400466 + 170 * 0.149616,
    ],
    [
      "matbox_nmc-1-cal_generatedCBD_bridge.tif",
      [251, 301, 301],
      "uint8",
      32773,
      (11357945 + 2 * 2274085) / (251 * 301 * 301),
    ],
    ["bxw_cylcell_xct_slice_im_1_u16.tif", [1, 576, 576], "uint16", 1, 27307.039059],
    ["bxw_cylcell_xct_slice_mask_1.tif", [1, 576, 576], "uint8", 1, 255 * 0.230375],
  ];
  for (const [name, shape, type, compression, mean] of cases) {
    const { volume, info } = readTiff(bytes(name, DATA), { file: name });
    assert.deepEqual([...volume.shape], shape, name);
    assert.equal(info.type, type);
    assert.equal(info.compression, compression);
    let s = 0;
    for (let i = 0; i < volume.data.length; i++) s += volume.data[i];
    // README figures carry 6 significant digits: relative tolerance 1e-5
    assert.ok(
      Math.abs(s / volume.data.length - mean) <= 1e-5 * mean,
      `${name}: mean ${s / volume.data.length} vs ${mean}`,
    );
  }
  // exact README voxel counts on the MATBOX volume
  const m = readTiff(bytes("matbox_nmc-1-cal_generatedCBD_bridge.tif", DATA)).volume.data;
  const counts = [0, 0, 0];
  for (let i = 0; i < m.length; i++) counts[m[i]]++;
  assert.deepEqual(counts, [9108821, 11357945, 2274085]);
});

test("writer round trip: uint8/uint16/int16/float32/float64 stacks with spacing, ImageJ description", () => {
  for (const type of ["uint8", "uint16", "int16", "float32", "float64"] as const) {
    const v = createVolume([4, 5, 7], type, [0.5e-6, 0.25e-6, 0.2e-6]);
    for (let i = 0; i < v.data.length; i++)
      v.data[i] = type === "int16" ? i * 37 - 500 : type.startsWith("float") ? i / 3 : (i * 37) % 251;
    const file = encodeTiff(v);
    const { volume, info } = readTiff(file);
    assert.deepEqual(volume.shape, v.shape);
    assert.equal(info.type, type);
    assert.deepEqual(Array.from(volume.data), Array.from(v.data));
    assert.equal(info.spacingFromFile, true);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(volume.spacing[k] - v.spacing[k]) <= 1e-12 * v.spacing[k]);
    assert.match(info.description ?? "", /^ImageJ=.*\nimages=4\nslices=4\nunit=micron\nspacing=0\.5\n/s);
  }
});

test("bad input: truncated file, unsupported compression, RGB, not a TIFF → InputError naming the file", () => {
  assert.throws(
    () => readTiff(bytes("a_truncated.tif"), { file: "a_truncated.tif" }),
    (e: unknown) =>
      e instanceof InputError && /a_truncated\.tif/.test(e.message) && /truncated/i.test(e.message),
  );
  const good = encodeTiff(volumeFrom(new Uint8Array(12), [3, 4]));
  // patch Compression (tag 259) from 1 to 7 (JPEG)
  const dv = new DataView(good.buffer);
  const ifd = dv.getUint32(4, true);
  const n = dv.getUint16(ifd, true);
  const patch = (tag: number, value: number) => {
    for (let k = 0; k < n; k++)
      if (dv.getUint16(ifd + 2 + 12 * k, true) === tag) dv.setUint16(ifd + 2 + 12 * k + 8, value, true);
  };
  patch(259, 7);
  assert.throws(
    () => readTiff(good, { file: "x.tif" }),
    (e: unknown) => e instanceof InputError && /JPEG/.test(e.message) && /x\.tif/.test(e.message),
  );
  patch(259, 1);
  patch(277, 3);
  assert.throws(
    () => readTiff(good),
    (e: unknown) => e instanceof InputError && /sample/.test(e.message),
  );
  assert.throws(
    () => readTiff(bytes("a_rgb_planar.tif"), { file: "a_rgb_planar.tif" }),
    (e: unknown) => e instanceof InputError && /SamplesPerPixel 3/.test(e.message),
  );
  assert.throws(() => readTiff(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])), InputError);
  assert.throws(() => readTiff(new Uint8Array([0x49, 0x49])), /truncated/);
});

test("PackBits and LZW decoders on hand-made streams (TIFF 6.0 examples)", () => {
  // TIFF 6.0 §9 example: packed FE AA 02 80 00 2A FD AA 03 80 00 2A 22 F7 AA
  const packed = new Uint8Array([
    0xfe, 0xaa, 0x02, 0x80, 0x00, 0x2a, 0xfd, 0xaa, 0x03, 0x80, 0x00, 0x2a, 0x22, 0xf7, 0xaa,
  ]);
  const out = new Uint8Array(24);
  assert.equal(unpackBits(packed, out), 24);
  assert.deepEqual(Array.from(out), [
    0xaa,
    0xaa,
    0xaa,
    0x80,
    0x00,
    0x2a,
    0xaa,
    0xaa,
    0xaa,
    0xaa,
    0x80,
    0x00,
    0x2a,
    0x22,
    ...Array(10).fill(0xaa),
  ]);
  // LZW of "ABABABA": codes Clear, 65, 66, 258, 260, EOI at 9 bits, MSB first
  const codes = [256, 65, 66, 258, 260, 257];
  const bits = codes.map((c) => c.toString(2).padStart(9, "0")).join("");
  const src = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i] === "1") src[i >> 3] |= 0x80 >> (i & 7);
  const dst = new Uint8Array(7);
  assert.equal(lzwDecode(src, dst), 7);
  assert.equal(new TextDecoder().decode(dst), "ABABABA");
});

test("zeroCopy: an uncompressed contiguous stack is returned as a view into the file bytes", () => {
  const v = createVolume([3, 4, 5], "uint16", [1e-6, 1e-6, 1e-6]);
  for (let i = 0; i < v.data.length; i++) v.data[i] = i * 99;
  const file = encodeTiff(v);
  const r = readTiff(file, { zeroCopy: true });
  assert.equal(r.volume.data.buffer, file.buffer);
  assert.deepEqual(Array.from(r.volume.data), Array.from(v.data));
  // strips from tifffile (rowsperstrip 5, contiguous) also qualify; compressed files are copied
  const u32 = bytes("a_u32_rows5.tif");
  const z = readTiff(u32, { zeroCopy: true }).volume;
  assert.deepEqual(Array.from(z.data), fx.arrays.u32);
  const c = bytes("a_u16_tiles_deflate.tif");
  assert.notEqual(readTiff(c, { zeroCopy: true }).volume.data.buffer, c.buffer);
});

test("ImageJ big-stack layout: one IFD with images=N and contiguous pages is read as N pages", () => {
  const v = createVolume([3, 4, 5], "uint16", [2e-6, 1e-6, 1e-6]);
  for (let i = 0; i < v.data.length; i++) v.data[i] = 1000 + i;
  const file = encodeTiff(v);
  const dv = new DataView(file.buffer);
  // cut the IFD chain after page 0 (ImageJ writes stacks > 4 GiB this way)
  const ifd = dv.getUint32(4, true);
  const n = dv.getUint16(ifd, true);
  dv.setUint32(ifd + 2 + 12 * n, 0, true);
  const { volume, info } = readTiff(file);
  assert.equal(info.pages, 3);
  assert.deepEqual(Array.from(volume.data), Array.from(v.data));
  assert.ok(Math.abs(volume.spacing[0] - 2e-6) < 1e-15);
});
