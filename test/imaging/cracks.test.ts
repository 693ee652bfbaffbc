/**
 * Crack segmentation on synthetic particles with planted cracks (src/imaging/synthetic.ts): the
 * crack volume fraction is recovered and the radial profile peaks at the centre.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { segmentCracks } from "../../src/imaging/cracks.js";
import { syntheticParticles } from "../../src/imaging/synthetic.js";

const { volume, truth } = syntheticParticles({
  shape: [56, 56, 92],
  spacing: [1e-7, 1e-7, 1e-7],
  seed: 3,
  explicit: [
    {
      center: [28, 28, 24],
      radius: 18,
      cracks: [
        { normal: [1, 0, 0], thickness: 2, extent: 0.7 },
        { normal: [0, 1, 1], thickness: 2, extent: 0.7 },
      ],
    },
    {
      center: [28, 28, 68],
      radius: 16,
      voidRadius: 4,
      cracks: [{ normal: [0, 0, 1], thickness: 3, extent: 0.6 }],
    },
    { center: [10, 10, 46], radius: 6 },
  ],
  blurSigma: 0.7,
  noiseSigma: 6,
});

test("crack volume fraction recovered within 0.01 (absolute) of the planted pores", () => {
  // Blur (σ 0.7 voxel) moves the threshold crossing by a fraction of a voxel on each crack wall;
  // with 2–3-voxel cracks that is ±10 % of the crack volume, ≈ 0.01 of the particle volume.
  for (const opts of [{}, { tophatRadius: 3, openingRadius: 1 }]) {
    const r = segmentCracks(volume, truth.particles, opts);
    assert.equal(r.particles.length, 3);
    for (const p of r.particles) {
      const t = truth.list[p.label - 1];
      assert.equal(p.voxels, t.envelopeVoxels);
      assert.ok(
        Math.abs(p.crackVolumeFraction - t.poreFraction) < 0.01,
        `${p.label}: ${p.crackVolumeFraction} vs ${t.poreFraction}`,
      );
    }
    // intact particle (r = 6 voxels): essentially no cracks — a few blurred rim voxels fall
    // below the threshold (measured 0.0065) — and a smooth surface (ratio to sphere near 1)
    const intact = r.particles[2];
    assert.ok(intact.crackVolumeFraction < 0.01);
    assert.ok(
      intact.surfaceRatioToSphere > 0.95 && intact.surfaceRatioToSphere < 1.15,
      `${intact.surfaceRatioToSphere}`,
    );
    // cracked particles expose crack walls: larger surface/volume than their sphere
    assert.ok(r.particles[0].surfaceRatioToSphere > 1.3);
  }
});

test("radial crack profile peaks at the centre for cracks planted through the centre", () => {
  const r = segmentCracks(volume, truth.particles, { shells: 8 });
  for (const p of r.particles.slice(0, 2)) {
    const m = Array.from(p.radialProfile.mean);
    assert.equal(m.indexOf(Math.max(...m)), m.length - 1, m.join(","));
    assert.ok(m[0] < 0.02, "no cracks at the rim (extent ≤ 0.7 R)");
    assert.ok(p.crackSurfaceArea > 0);
    assert.ok(p.skeleton !== null && p.skeleton.skeletonVoxels > 0);
  }
});

test("a given threshold is used as is; mismatched shapes are rejected", () => {
  const r = segmentCracks(volume, truth.particles, { threshold: 0, skeleton: false });
  for (const p of r.particles) {
    assert.equal(p.threshold, 0);
    assert.equal(p.skeleton, null);
  }
  const bad = { data: new Int32Array(8), shape: [2, 2, 2] as const, spacing: [1, 1, 1] as const };
  assert.throws(() => segmentCracks(volume, bad), /shape/);
});
