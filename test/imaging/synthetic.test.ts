import assert from "node:assert/strict";
import { test } from "node:test";
import { fillHoles } from "../../src/imaging/fill-holes.js";
import { label } from "../../src/imaging/label.js";
import { createRng } from "../../src/imaging/random.js";
import { syntheticParticles } from "../../src/imaging/synthetic.js";
import { applyThreshold, thresholdOtsu } from "../../src/imaging/threshold.js";

test("seeded RNG: reproducible, uniform mean 1/2 and normal variance 1 within 4σ sampling error", () => {
  const a = createRng(42);
  const b = createRng(42);
  for (let i = 0; i < 10; i++) assert.equal(a.next(), b.next());
  assert.notEqual(createRng(1).next(), createRng(2).next());
  const r = createRng(7);
  const n = 100000;
  let s = 0;
  let s2 = 0;
  let u = 0;
  for (let i = 0; i < n; i++) {
    const g = r.normal();
    s += g;
    s2 += g * g;
    u += r.next();
  }
  assert.ok(Math.abs(s / n) < 4 / Math.sqrt(n));
  assert.ok(Math.abs(s2 / n - 1) < 4 * Math.sqrt(2 / n));
  assert.ok(Math.abs(u / n - 0.5) < 4 * Math.sqrt(1 / 12 / n));
});

test("ground truth is consistent: envelope = solid + cracks + void, fractions match counts, particles intact", () => {
  const { volume, truth } = syntheticParticles({
    shape: [48, 64, 64],
    particles: 6,
    radius: [8, 12],
    seed: 3,
    voidProbability: 1,
    voidFraction: 0.35,
  });
  assert.equal(truth.list.length, 6);
  let env = 0;
  let parts = 0;
  for (let i = 0; i < volume.data.length; i++) {
    if (truth.particles.data[i]) env++;
    parts += truth.solid.data[i] + truth.crackMask.data[i] + truth.voidMask.data[i];
  }
  assert.equal(env, parts);
  for (const p of truth.list) {
    assert.equal(p.crackFraction, p.crackVoxels / p.envelopeVoxels);
    assert.ok(p.crackFraction > 0 && p.crackFraction < 0.5);
    assert.ok(p.voidVoxels > 0);
    // sphere volume 4/3πR³ within the voxelisation error of a sphere of radius ≥ 8 (≈ 3 / R)
    const ideal = (4 / 3) * Math.PI * p.radius ** 3;
    assert.ok(Math.abs(p.envelopeVoxels - ideal) / ideal < 3 / p.radius);
  }
  // cracks stop at 0.75 R, so the solid of each particle stays one 26-connected piece
  const solidLabels = label(truth.solid, { connectivity: 26 });
  assert.equal(solidLabels.count, 6);
});

test("threshold → fill holes → label on a blurred noisy synthetic volume recovers the particles and their crack fractions", () => {
  const { volume, truth } = syntheticParticles({
    shape: [56, 72, 72],
    particles: 5,
    radius: [10, 14],
    seed: 11,
    blurSigma: 0.7,
    noiseSigma: 8,
    crackThickness: 2,
  });
  const t = thresholdOtsu(volume);
  const solid = applyThreshold(volume, t);
  const filled = fillHoles(solid);
  const { labels, count } = label(filled, { connectivity: 6 });
  assert.equal(count, 5);
  for (const p of truth.list) {
    const [cz, cy, cx] = p.center.map(Math.round);
    const lab = labels.data[cx + 72 * (cy + 72 * cz)] || labels.data[cx + 1 + 72 * (cy + 72 * cz)];
    let env = 0;
    let pore = 0;
    for (let i = 0; i < labels.data.length; i++) {
      if (labels.data[i] !== lab) continue;
      env++;
      if (!solid.data[i]) pore++;
    }
    // blur σ = 0.7 voxel and noise move the boundaries of 2-voxel cracks by a fraction of a
    // voxel: the recovered pore fraction is within 0.05 absolute of the planted one
    assert.ok(
      Math.abs(pore / env - p.poreFraction) < 0.05,
      `particle ${p.label}: ${pore / env} vs ${p.poreFraction}`,
    );
    assert.ok(Math.abs(env - p.envelopeVoxels) / p.envelopeVoxels < 0.1);
  }
});
