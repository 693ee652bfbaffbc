/**
 * Radial profiles against an independent numpy/scipy implementation (fixture b_radial.json,
 * scripts/fixtures/imaging_b.py): GREAT2 layer means and the shell crack fractions.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fillHoles } from "../../src/imaging/fill-holes.js";
import { label, labelSizes } from "../../src/imaging/label.js";
import { greyLayerProfile, radialShellProfile } from "../../src/imaging/radial-profile.js";
import { applyThreshold, thresholdOtsu } from "../../src/imaging/threshold.js";
import type { Volume } from "../../src/imaging/volume.js";
import { readTiff } from "../../src/io/tiff.js";

const fx = JSON.parse(readFileSync(new URL("../fixtures/imaging/b_radial.json", import.meta.url), "utf8"));
const shape = fx.shape as [number, number, number];
const n = shape[0] * shape[1] * shape[2];
const mask = (idx: number[]): Volume<Uint8Array> => {
  const d = new Uint8Array(n);
  for (const i of idx) d[i] = 1;
  return { data: d, shape, spacing: [1, 1, 1] };
};
const particle = mask(fx.particle);
const crack = mask(fx.crack);
const grey: Volume<Uint8Array> = { data: Uint8Array.from(fx.grey), shape, spacing: [1, 1, 1] };

test("GREAT2 layer profile equals the numpy reference (counts exact, means to 1e-12)", () => {
  const p = greyLayerProfile(particle, grey);
  assert.equal(p.layers.length, fx.great2_mean.length);
  assert.deepEqual(Array.from(p.voxels), fx.great2_count);
  for (let k = 0; k < p.layers.length; k++) {
    assert.equal(p.layers[k], k + 1);
    assert.ok(Math.abs(p.meanGrey[k] - fx.great2_mean[k]) < 1e-12 * fx.great2_mean[k]);
    assert.ok(Math.abs(p.normalised[k] - fx.great2_norm[k]) < 1e-12);
  }
  assert.equal(p.normalised[0], 0);
  // The planted crack darkens the core: the deepest layers are below the outer layer.
  assert.ok(p.normalised[p.layers.length - 1] < 0);
});

test("shell crack-fraction profile equals the numpy reference and peaks at the centre", () => {
  const s = radialShellProfile(particle, crack, fx.shells);
  assert.deepEqual(Array.from(s.voxels), fx.shell_count);
  for (let k = 0; k < fx.shells; k++) assert.ok(Math.abs(s.mean[k] - fx.shell_mean[k]) < 1e-12);
  assert.ok(Math.abs(s.maxDepth - fx.max_depth) < 1e-12);
  let arg = 0;
  for (let k = 1; k < fx.shells; k++) if (s.mean[k] > s.mean[arg]) arg = k;
  assert.equal(arg, fx.shells - 1);
});

test("anisotropic spacing: depths are physical (maxDepth scales with the spacing)", () => {
  const s1 = radialShellProfile(particle, crack, 4);
  const s2 = radialShellProfile(
    { ...particle, spacing: [2e-7, 2e-7, 2e-7] },
    { ...crack, spacing: [2e-7, 2e-7, 2e-7] },
    4,
  );
  assert.ok(Math.abs(s2.maxDepth / s1.maxDepth - 2e-7) < 1e-18);
  assert.deepEqual(Array.from(s2.voxels), Array.from(s1.voxels));
});

test("bad input: mismatched shapes and shell counts are rejected", () => {
  assert.throws(() => radialShellProfile(particle, crack, 0), /shells/);
  const other: Volume<Uint8Array> = { data: new Uint8Array(8), shape: [2, 2, 2], spacing: [1, 1, 1] };
  assert.throws(() => greyLayerProfile(particle, other), /shape/);
});

test("real XCT cell slice: GREAT2 and dark-voxel shell profiles of the largest objects equal numpy", () => {
  // Data: test/data/imaging (README there); reference: scripts/fixtures/imaging_real.py.
  const real = JSON.parse(
    readFileSync(new URL("../fixtures/imaging/b_real_slice.json", import.meta.url), "utf8"),
  );
  const bytes = new Uint8Array(readFileSync(new URL(`../data/imaging/${real.file}`, import.meta.url)));
  const img = readTiff(bytes).volume;
  const t = thresholdOtsu(img);
  assert.equal(t, real.threshold);
  const filled = fillHoles(applyThreshold(img, t));
  const { labels, count } = label(filled, { connectivity: 8 });
  assert.equal(count, real.components);
  const sizes = labelSizes(labels, count);
  const order = Array.from({ length: count }, (_, k) => k + 1).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const dark: Volume<Uint8Array> = {
    data: new Uint8Array(img.data.length),
    shape: img.shape,
    spacing: img.spacing,
  };
  for (let i = 0; i < img.data.length; i++) dark.data[i] = img.data[i] <= t ? 1 : 0;
  for (const [k, ref] of real.particles.entries()) {
    const l = order[k];
    assert.equal(sizes[l], ref.size);
    const part: Volume<Uint8Array> = {
      data: new Uint8Array(img.data.length),
      shape: img.shape,
      spacing: img.spacing,
    };
    for (let i = 0; i < part.data.length; i++) part.data[i] = labels.data[i] === l ? 1 : 0;
    const g = greyLayerProfile(part, img);
    assert.equal(g.layers.length, ref.great2_mean.length);
    for (let j = 0; j < g.layers.length; j++) {
      if (ref.great2_mean[j] === null) assert.ok(Number.isNaN(g.meanGrey[j]));
      // Means of ≤ 10⁵ integers: relative 1e-12 covers summation-order rounding.
      else assert.ok(Math.abs(g.meanGrey[j] - ref.great2_mean[j]) < 1e-12 * ref.great2_mean[j]);
    }
    const s = radialShellProfile(part, dark, 10);
    for (let j = 0; j < 10; j++) assert.ok(Math.abs(s.mean[j] - ref.shell_dark[j]) < 1e-12);
    // The cell cross-section (fill_holes closes the can): its core is the jelly roll's mandrel
    // hole, dark; the outer shell holds the bright steel can and outer windings.
    assert.ok(s.mean[9] > 0.95 && s.mean[0] < 0.3, String(s.mean));
  }
});
