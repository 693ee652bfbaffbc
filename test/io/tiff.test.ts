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

test("ImageJ metadata gives the voxel size in metres", () => {
  const { volume, info } = readTiff(bytes("a_u16_imagej.tif"));
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
