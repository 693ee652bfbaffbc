/**
 * Region properties against scikit-image 0.19.3 `regionprops` (+ marching_cubes area per label)
 * on a 3-label volume with anisotropic voxels (fixture b_regionprops.json).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { regionProperties } from "../../src/imaging/regionprops.js";
import type { Volume } from "../../src/imaging/volume.js";

const fx = JSON.parse(
  readFileSync(new URL("../fixtures/imaging/b_regionprops.json", import.meta.url), "utf8"),
);
const labels: Volume<Int32Array> = { data: Int32Array.from(fx.labels), shape: fx.shape, spacing: fx.spacing };
const intensity: Volume<Uint16Array> = {
  data: Uint16Array.from(fx.intensity),
  shape: fx.shape,
  spacing: fx.spacing,
};
const [dz, dy, dx] = fx.spacing as number[];
const props = regionProperties(labels, { intensity });

test("one entry per label, same counts, bboxes and intensity extrema as skimage", () => {
  assert.equal(props.length, fx.regions.length);
  for (const [k, r] of fx.regions.entries()) {
    const p = props[k];
    assert.equal(p.label, r.label);
    assert.equal(p.voxelCount, r.area_vox);
    assert.deepEqual([p.bbox.z0, p.bbox.y0, p.bbox.x0, p.bbox.z1, p.bbox.y1, p.bbox.x1], r.bbox);
    assert.equal(p.intensityMin, r.min);
    assert.equal(p.intensityMax, r.max);
  }
});

test("volume, equivalent diameter, centroid and intensity moments in physical units", () => {
  for (const [k, r] of fx.regions.entries()) {
    const p = props[k];
    const vv = dz * dy * dx;
    // Relative 1e-12: sums of a few thousand exactly representable numbers.
    assert.ok(Math.abs(p.volume / (r.area_vox * vv) - 1) < 1e-12);
    // skimage's equivalent_diameter is in voxels for a unit voxel: (6 n/π)^(1/3); ours is
    // (6 V/π)^(1/3) with V in m³ → scale by the cube root of the voxel volume.
    assert.ok(Math.abs(p.equivalentDiameter / (r.equivalent_diameter_vox * Math.cbrt(vv)) - 1) < 1e-12);
    const c = [r.centroid_vox[0] * dz, r.centroid_vox[1] * dy, r.centroid_vox[2] * dx];
    for (let a = 0; a < 3; a++) assert.ok(Math.abs(p.centroid[a] - c[a]) < 1e-12, `${p.centroid} ${c}`);
    assert.ok(Math.abs(p.intensityMean - r.mean) < 1e-9);
    assert.ok(Math.abs(p.intensityStd - r.std) < 1e-9);
  }
});

test("surface area within 0.5 % of skimage marching_cubes + mesh_surface_area; face area larger", () => {
  for (const [k, r] of fx.regions.entries()) {
    const p = props[k];
    assert.ok(Math.abs(p.surfaceArea / r.surface_area - 1) < 0.005, `${p.surfaceArea} vs ${r.surface_area}`);
    assert.ok(p.voxelFaceArea > p.surfaceArea);
    assert.ok(Math.abs(p.surfaceToVolume - p.surfaceArea / p.volume) < 1e-9 * p.surfaceToVolume);
  }
});

test("box: voxel-face area is exact and the sphere ratio is above 1", () => {
  // Label 2 is a 9 × 13 × 7 (x, y, z) box: its exposed faces are the six box sides.
  const p = props[1];
  const [nz, ny, nx] = [p.bbox.z1 - p.bbox.z0, p.bbox.y1 - p.bbox.y0, p.bbox.x1 - p.bbox.x0];
  const exact = 2 * (nx * dx * ny * dy + nx * dx * nz * dz + ny * dy * nz * dz);
  assert.ok(Math.abs(p.voxelFaceArea / exact - 1) < 1e-12);
  assert.ok(p.surfaceRatioToSphere > 1);
});

test("without intensity the intensity fields are NaN; surface area can be skipped", () => {
  const q = regionProperties(labels, { surfaceArea: false });
  assert.ok(Number.isNaN(q[0].intensityMean));
  assert.ok(Number.isNaN(q[0].surfaceArea));
});

test("Allen–Cahn option: smoothed area of the voxel sphere (label 1, r = 5 voxels) is below the raw one", () => {
  // Raw marching cubes overestimates a voxelised sphere's area by ≈ 9 % (smoothing.test.ts);
  // smoothing removes most of it, so the smoothed area must be smaller and positive.
  const q = regionProperties(labels, { smoothing: { steps: 3 } });
  assert.ok(
    q[0].smoothedSurfaceArea > 0.85 * q[0].surfaceArea && q[0].smoothedSurfaceArea < q[0].surfaceArea,
  );
  assert.ok(Number.isNaN(props[0].smoothedSurfaceArea));
});

test("negative or fractional labels are rejected", () => {
  const bad: Volume<Float64Array> = {
    data: Float64Array.from([0, 1, 1.5, 0]),
    shape: [1, 2, 2],
    spacing: [1, 1, 1],
  };
  assert.throws(() => regionProperties(bad), /non-negative integers/);
  const neg: Volume<Int32Array> = {
    data: Int32Array.from([0, -2, 1, 0]),
    shape: [1, 2, 2],
    spacing: [1, 1, 1],
  };
  assert.throws(() => regionProperties(neg), /non-negative integers/);
});
