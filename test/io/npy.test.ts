import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { InputError } from "../../src/errors.js";
import { createVolume } from "../../src/imaging/volume.js";
import { encodeNpy, readNpy } from "../../src/io/npy.js";
import { parseRawHeader, rawHeaderFor, readRaw } from "../../src/io/raw.js";

const FIX = new URL("../fixtures/imaging/", import.meta.url);
const fx = JSON.parse(readFileSync(new URL("a_files.json", FIX), "utf8")) as {
  shape: number[];
  arrays: Record<string, number[]>;
};
const bytes = (n: string) => new Uint8Array(readFileSync(new URL(n, FIX)));

test("numpy-written .npy files: v1 <u2, Fortran-order <f8 (transposed to C), big-endian >i2, v2 header <f4", () => {
  for (const [name, key, ctor] of [
    ["a_u16.npy", "u16", Uint16Array],
    ["a_f8_fortran.npy", "f64", Float64Array],
    ["a_i2_be.npy", "i16", Int16Array],
    ["a_f4_v2.npy", "f32", Float32Array],
  ] as const) {
    const v = readNpy(bytes(name), { file: name });
    assert.deepEqual([...v.shape], fx.shape, name);
    assert.ok(v.data instanceof ctor, name);
    assert.deepEqual(Array.from(v.data), fx.arrays[key], name);
  }
  const two = readNpy(bytes("a_u8_lzw_big.npy"));
  assert.deepEqual([...two.shape], [1, 300, 257]);
});

test("NPY round trip for every voxel type, 2-D written as (ny, nx)", () => {
  for (const t of ["uint8", "uint16", "uint32", "int16", "int32", "float32", "float64"] as const) {
    const v = createVolume([2, 3, 5], t, [1, 1, 1]);
    for (let i = 0; i < v.data.length; i++)
      v.data[i] = t.startsWith("float") ? i / 7 : t.startsWith("int") ? i - 10 : i;
    const back = readNpy(encodeNpy(v));
    assert.deepEqual(back.shape, v.shape);
    assert.deepEqual(Array.from(back.data), Array.from(v.data));
  }
  const img = createVolume([4, 6], "uint8");
  const enc = encodeNpy(img);
  assert.match(new TextDecoder().decode(enc.subarray(10, 80)), /'shape': \(4, 6\)/);
  assert.equal(enc.length % 64, 24 % 64); // 64-byte aligned header + 24 data bytes
});

test("NPY bad input: wrong magic, unsupported dtype, truncated data → InputError", () => {
  assert.throws(() => readNpy(new Uint8Array(20), { file: "x.npy" }), /x\.npy.*not a NumPy/);
  const good = encodeNpy(createVolume([2, 2], "uint16"));
  const bad = good.slice();
  const at = new TextDecoder("latin1").decode(good).indexOf("<u2");
  bad.set([0x3c, 0x63, 0x38], at); // "<c8": complex, unsupported
  assert.throws(
    () => readNpy(bad),
    (e: unknown) => e instanceof InputError && /dtype/.test(e.message),
  );
  assert.throws(() => readNpy(good.subarray(0, good.length - 1)), /truncated/);
});

test("raw + JSON header: round trip with µm spacing, big-endian data, bad headers", () => {
  const v = createVolume([2, 3, 4], "uint16", [0.5e-6, 0.2e-6, 0.2e-6]);
  for (let i = 0; i < v.data.length; i++) v.data[i] = i * 1000;
  const h = parseRawHeader(rawHeaderFor(v));
  const back = readRaw(new Uint8Array(v.data.buffer), h);
  assert.deepEqual(Array.from(back.data), Array.from(v.data));
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(back.spacing[k] - v.spacing[k]) < 1e-18);
  const be = new Uint8Array(v.data.length * 2);
  for (let i = 0; i < v.data.length; i++) {
    be[2 * i] = v.data[i] >> 8;
    be[2 * i + 1] = v.data[i] & 255;
  }
  const hb = parseRawHeader(
    JSON.stringify({ shape: [2, 3, 4], dtype: "uint16", byteOrder: "big", spacing: 0.2, spacingUnit: "um" }),
  );
  assert.deepEqual(Array.from(readRaw(be, hb).data), Array.from(v.data));
  assert.throws(
    () => parseRawHeader('{"shape":[2,3],"dtype":"uint16","spacing":1,"spacingUnit":"furlong"}', "h.json"),
    /h\.json.*unit/,
  );
  assert.throws(() => parseRawHeader('{"shape":[2,0],"dtype":"uint16"}'), InputError);
  assert.throws(() => readRaw(new Uint8Array(5), hb, "v.raw"), /v\.raw.*shorter/);
});
