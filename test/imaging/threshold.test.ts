import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  applyThreshold,
  imageHistogram,
  otsuFromHistogram,
  thresholdMultiOtsu,
  thresholdOtsu,
} from "../../src/imaging/threshold.js";
import type { VoxelArray } from "../../src/imaging/volume.js";
import { volumeFrom } from "../../src/imaging/volume.js";
import { readTiff } from "../../src/io/tiff.js";

const FIX = new URL("../fixtures/imaging/", import.meta.url);
const DATA = new URL("../data/imaging/", import.meta.url);

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

test("real data: Otsu of the 16-bit XCT cell slice and the 3-phase electrode equals numpy (scripts/fixtures/imaging_real.py)", () => {
  const ref = JSON.parse(readFileSync(new URL("real_otsu_label.json", FIX), "utf8"));
  const xct = readTiff(new Uint8Array(readFileSync(new URL(ref.xct.file, DATA)))).volume;
  assert.equal(thresholdOtsu(xct), ref.xct.otsu); // 31253, as in the data set's own README
  const fg = applyThreshold(xct, ref.xct.otsu).data.reduce((s, v) => s + v, 0) / xct.data.length;
  assert.equal(fg, ref.xct.fg_fraction); // a count over 576², exact in binary64
  // float copy: 256 bins between min and max (31103.525390625); 1e-6 covers bin-edge rounding
  assert.ok(Math.abs(thresholdOtsu(Float64Array.from(xct.data)) - ref.xct.otsu_float256) < 1e-6);
  // uint8 volume with levels {0, 85, 170}: integer bins 0…170; the first maximiser is bin 0
  const tau = readTiff(new Uint8Array(readFileSync(new URL(ref.taufactor.file, DATA)))).volume;
  assert.equal(thresholdOtsu(tau), ref.taufactor.otsu);
  const fgTau = applyThreshold(tau, ref.taufactor.otsu).data.reduce((s, v) => s + v, 0) / tau.data.length;
  assert.equal(fgTau, ref.taufactor.fg_fraction);
  assert.ok(Math.abs(thresholdOtsu(Float64Array.from(tau.data)) - ref.taufactor.otsu_float256) < 1e-6);
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

test("exact float64 Otsu equals a brute-force float64 scan on a histogram of 1.8·10⁹ counts; the skimage default differs", () => {
  // two broad modes over 2000 integer levels, counts up to 2·10⁶ per bin: cumulative weights pass
  // 2²⁴, where skimage's float32 counts round
  const n = 2000;
  const counts = new Float64Array(n);
  const centers = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    centers[k] = k;
    counts[k] = Math.round(
      2e6 * Math.exp(-(((k - 600) / 330) ** 2)) +
        1.4e6 * Math.exp(-(((k - 1350) / 260) ** 2)) +
        ((k * 7919) % 1013),
    );
  }
  // brute force: σ_B²(t) = w0·w1·(μ0 − μ1)² for every split, float64 sums from scratch each time
  let best = -1;
  let bestK = -1;
  for (let t = 0; t < n - 1; t++) {
    let w0 = 0;
    let s0 = 0;
    let w1 = 0;
    let s1 = 0;
    for (let k = 0; k <= t; k++) {
      w0 += counts[k];
      s0 += counts[k] * centers[k];
    }
    for (let k = t + 1; k < n; k++) {
      w1 += counts[k];
      s1 += counts[k] * centers[k];
    }
    const v = w0 * w1 * (s0 / w0 - s1 / w1) ** 2;
    if (v > best * (1 + 1e-15)) {
      best = v;
      bestK = t;
    }
  }
  const exact = otsuFromHistogram({ counts, centers }, { arithmetic: "float64" });
  assert.equal(exact, centers[bestK]);
  assert.equal(exact, 948);
  // float32 cumulative counts (scikit-image ≥ 0.20) move the first maximum by one level here
  assert.equal(otsuFromHistogram({ counts, centers }), 947);
});
