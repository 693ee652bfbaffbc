import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  applyThreshold,
  imageHistogram,
  thresholdMultiOtsu,
  thresholdOtsu,
} from "../../src/imaging/threshold.js";
import type { VoxelArray } from "../../src/imaging/volume.js";
import { volumeFrom } from "../../src/imaging/volume.js";
import { readTiff } from "../../src/io/tiff.js";

const FIX = new URL("../fixtures/imaging/", import.meta.url);
const DATA = new URL("../../../shared/data/imaging/", import.meta.url);

interface OtsuCase {
  name: string;
  dtype: string;
  shape: number[];
  data: number[];
  otsu_019: number;
  otsu_026: number;
  multiotsu3?: number[];
  multiotsu4?: number[];
}
const cases = JSON.parse(readFileSync(new URL("a_otsu.json", FIX), "utf8")) as OtsuCase[];
const CTOR: Record<string, new (a: number[]) => VoxelArray> = {
  uint8: Uint8Array as never,
  uint16: Uint16Array as never,
  int16: Int16Array as never,
  float32: Float32Array as never,
  float64: Float64Array as never,
};

test("Otsu equals scikit-image 0.26 (numpy transcription) exactly on every fixture, and 0.19.3 where they agree", () => {
  for (const c of cases) {
    const data = new CTOR[c.dtype](c.data);
    const t = thresholdOtsu(data);
    assert.equal(t, c.otsu_026, c.name);
    assert.equal(c.otsu_026, c.otsu_019, `${c.name}: fixture versions agree here`);
  }
});

test("multi-Otsu (3 and 4 classes) equals skimage threshold_multiotsu exactly", () => {
  let n = 0;
  for (const c of cases) {
    const data = new CTOR[c.dtype](c.data);
    for (const classes of [3, 4] as const) {
      const want = c[`multiotsu${classes}`];
      if (!Array.isArray(want)) continue;
      assert.deepEqual(thresholdMultiOtsu(data, { classes }), want, `${c.name} classes=${classes}`);
      n++;
    }
  }
  assert.ok(n >= 6);
});

test("real data: Otsu 134 on the NMC811 holotomography slice and 31253 on the 16-bit XCT slice (README)", () => {
  const pnd = readTiff(
    new Uint8Array(readFileSync(new URL("pnd_nmc811_holotomo_slice_xy.tif", DATA))),
  ).volume;
  assert.equal(thresholdOtsu(pnd), 134);
  const fg = applyThreshold(pnd, 134).data.reduce((s, v) => s + v, 0) / pnd.data.length;
  assert.ok(Math.abs(fg - 0.392313) < 5e-7, String(fg)); // README gives 6 decimals
  // float copy: 256 bins give 133.398438 (README)
  assert.ok(Math.abs(thresholdOtsu(Float64Array.from(pnd.data)) - 133.398438) < 5e-7);
  const xct = readTiff(
    new Uint8Array(readFileSync(new URL("bxw_cylcell_xct_slice_im_1_u16.tif", DATA))),
  ).volume;
  assert.equal(thresholdOtsu(xct), 31253);
  assert.ok(Math.abs(thresholdOtsu(Float64Array.from(xct.data)) - 31103.525391) < 5e-7);
});

test("histogram conventions: integer bins from min to max, float bins with centres, constant image", () => {
  const h = imageHistogram(new Uint8Array([3, 5, 5, 7]));
  assert.deepEqual(Array.from(h.centers), [3, 4, 5, 6, 7]);
  assert.deepEqual(Array.from(h.counts), [1, 0, 2, 0, 1]);
  const f = imageHistogram(new Float64Array([0, 1, 0.5]), 4);
  assert.deepEqual(Array.from(f.centers), [0.125, 0.375, 0.625, 0.875]);
  assert.deepEqual(Array.from(f.counts), [1, 0, 1, 1]); // max falls in the last bin, 0.5 on an edge goes right
  assert.equal(thresholdOtsu(new Uint16Array([9, 9, 9])), 9);
  // two-level image: threshold is the lower level, foreground is the upper one
  const v = volumeFrom(new Uint8Array([10, 10, 200, 200, 200]), [1, 5]);
  assert.equal(thresholdOtsu(v), 10);
  assert.deepEqual(Array.from(applyThreshold(v, 10).data), [0, 0, 1, 1, 1]);
});
