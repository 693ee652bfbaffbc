import assert from "node:assert/strict";
import { test } from "node:test";
import {
  analyseLatticeMaps,
  compareSamples,
  edgeCoreProfiles,
  LI_CONTENT_CAVEAT,
  latticeToLiContent,
  particleStatistics,
  robustOutliers,
  syntheticLatticeMaps,
} from "../../src/imaging/xrdct/index.js";
import { getMaterial } from "../../src/materials/index.js";

const A = 1e-10;
const NMC111 = getMaterial("NMC111");
const PARTICLES = [
  { x: 14, y: 14, r: 9, xCore: 0.95, xEdge: 0.7 },
  { x: 44, y: 15, r: 10, xCore: 0.9, xEdge: 0.6 },
  { x: 76, y: 16, r: 8, xCore: 0.85, xEdge: 0.55 },
  { x: 16, y: 48, r: 10, xCore: 0.8, xEdge: 0.5 },
  { x: 48, y: 50, r: 9, xCore: 0.75, xEdge: 0.45 },
  { x: 80, y: 48, r: 10, xCore: 0.7, xEdge: 0.4 },
  { x: 20, y: 80, r: 9, xCore: 0.65, xEdge: 0.35 },
  { x: 52, y: 80, r: 8, xCore: 0.6, xEdge: 0.3 },
  { x: 82, y: 80, r: 9, xCore: 0.98, xEdge: 0.9 },
];

test("Li content: synthetic lattice maps from a known x field are inverted back to it", () => {
  const m = syntheticLatticeMaps({ material: NMC111, particles: PARTICLES });
  const r = latticeToLiContent(NMC111, m.a.data, m.c.data);
  let worst = 0;
  let worstRes = 0;
  let n = 0;
  for (let i = 0; i < m.x.data.length; i++) {
    if (!Number.isFinite(m.x.data[i])) {
      assert.ok(Number.isNaN(r.x[i]), "outside particles → NaN");
      continue;
    }
    n++;
    worst = Math.max(worst, Math.abs(r.x[i] - m.x.data[i]));
    worstRes = Math.max(worstRes, r.residual[i]);
  }
  assert.ok(n > 1500);
  // exact (a, c) on the material curve: Gauss–Newton converges to the root; 1e-7 in x leaves a
  // strain misfit ~ |da/dx|/a·1e-7 ≈ 2e-9 — well above double rounding, far below any data
  assert.ok(worst < 1e-7, `max |x̂ − x| = ${worst}`);
  assert.ok(worstRes < 1e-8, `max residual ${worstRes}`);
});

test("Li content: a point off the material's curve gets a non-zero residual, on-curve ones ~0", () => {
  const x0 = 0.7;
  const a0 = NMC111.latticeA(x0);
  const c0 = NMC111.latticeC(x0);
  const r = latticeToLiContent(NMC111, [a0, a0 * 1.003], [c0, c0]);
  assert.ok(Math.abs(r.x[0] - x0) < 1e-9);
  assert.ok(r.residual[0] < 1e-10);
  // a 0.3 % larger a with the same c cannot be matched: residual of order 1e-3 strain
  assert.ok(r.residual[1] > 3e-4 && r.residual[1] < 3e-3, `residual ${r.residual[1]}`);
});

test("outliers: a planted particle (+0.008 Å in a, −0.019 Å in c, seed 004) is found and no other", () => {
  // noise 5e-4 Å on a and 2e-3 Å on c per voxel, and particles of different x: realistic spread
  const m = syntheticLatticeMaps({
    material: NMC111,
    particles: PARTICLES.map((p) => ({ ...p, xCore: 0.72, xEdge: 0.68 })),
    outlier: 4,
    noise: [5e-4 * A, 2e-3 * A],
    seed: 3,
  });
  const res = analyseLatticeMaps({ a: m.a, c: m.c, intensity: m.intensity });
  assert.equal(res.segmentation.count, PARTICLES.length);
  const flagged = res.particles.filter((p) => p.outlier);
  assert.equal(flagged.length, 1, `flagged ${flagged.map((p) => p.label)}`);
  // labels are in raster order; particle 4 (0-based) is the 5th centre in raster order too
  const truthLabel = res.segmentation.labels.data[48 + 96 * 50];
  assert.equal(flagged[0].label, truthLabel);
  // its mean a sits 0.008 Å above the others' (noise averages out over ~250 voxels: σ/√n ≈ 3e-5 Å;
  // the x field gives every particle the same a-distribution) → 1e-4 Å tolerance
  const others = res.particles.filter((p) => !p.outlier).map((p) => p.a.mean);
  const othersMean = others.reduce((s, v) => s + v, 0) / others.length;
  assert.ok(Math.abs(flagged[0].a.mean - othersMean - 0.008 * A) < 1e-4 * A);
  // no outliers at all without the planted shift
  const clean = syntheticLatticeMaps({
    material: NMC111,
    particles: PARTICLES.map((p) => ({ ...p, xCore: 0.72, xEdge: 0.68 })),
    noise: [5e-4 * A, 2e-3 * A],
    seed: 3,
  });
  assert.equal(
    analyseLatticeMaps({ a: clean.a, c: clean.c, intensity: clean.intensity }).outliers.indices.length,
    0,
  );
});

test("robustOutliers: modified z-scores by hand; MAD = 0 falls back to the mean absolute deviation", () => {
  const r = robustOutliers([[1, 2, 3, 4, 100]]);
  // median 3, |dev| = 2,1,0,1,97 → MAD 1 → z = (100 − 3)·0.6745
  assert.ok(Math.abs(r.z[0][4] - 97 * 0.6745) < 1e-12);
  assert.deepEqual(r.indices, [4]);
  const s = robustOutliers([[5, 5, 5, 5, 6]]);
  // MAD 0 → scale 1.253314·mean|dev| = 1.253314·0.2 → z = 1/0.2506628 = 3.99 > 3.5
  assert.deepEqual(s.indices, [4]);
  assert.ok(Math.abs(s.z[0][4] - 1 / (1.253314 * 0.2)) < 1e-12);
});

test("per-particle statistics, cell-volume map and edge → core profile of a", () => {
  const m = syntheticLatticeMaps({ material: NMC111, particles: PARTICLES.slice(0, 3) });
  const res = analyseLatticeMaps({ a: m.a, c: m.c, mask: { ...m.truth } }, { material: NMC111 });
  assert.equal(res.particles.length, 3);
  for (const p of res.particles) {
    // V = (√3/2)a²c per voxel: its particle mean lies within the range of per-voxel V's
    assert.ok(p.volume.min <= p.volume.mean && p.volume.mean <= p.volume.max);
    assert.ok(Math.abs(p.volume.mean / A ** 3 - 100) < 2);
    // x(d) falls from core to edge and a(x) rises with x: a rises towards the core
    const prof = res.profiles.a[p.label - 1];
    assert.ok(prof.slope > 0, "a increases with depth");
    assert.ok(prof.edgeMinusCore < 0);
    // shell 0 (ρ ≤ 0.1) is empty when d_max < 10 px (the edge pixels have d = 1 px)
    assert.ok(prof.mean[9] > prof.mean[1]);
    assert.ok(p.x && p.x.mean > 0.5 && p.x.mean < 1);
  }
  // planted field: x linear in depth for a disc → edge-core profile of x recovers the slope
  // (xCore − xEdge)/r per pixel; digitisation of the disc edge (±½ pixel) → 10 % tolerance
  const lab = res.segmentation.labels;
  const px = edgeCoreProfiles(lab, 3, m.x.data);
  const p0 = PARTICLES[0];
  const expected = (p0.xCore - p0.xEdge) / (p0.r * 1e-6);
  assert.ok(Math.abs(px[0].slope - expected) / expected < 0.1, `slope ${px[0].slope} vs ${expected}`);
  // normalised distributions integrate to 1
  const d = res.distributions.a;
  const w = d.edges[1] - d.edges[0];
  const integral = d.density.reduce((s, v) => s + v * w, 0);
  assert.ok(Math.abs(integral - 1) < 1e-12);
  const stats = particleStatistics(lab, 3, m.a.data);
  assert.equal(stats[0].valid, stats[0].voxels);
});

test("compareSamples: relative changes against the reference sample", () => {
  const p = [{ x: 30, y: 30, r: 12, xCore: 1, xEdge: 1 }];
  const pristine = syntheticLatticeMaps({ material: NMC111, particles: p, width: 60, height: 60 });
  const cycled = syntheticLatticeMaps({
    material: NMC111,
    particles: p.map((q) => ({ ...q, xCore: 0.8, xEdge: 0.8 })),
    width: 60,
    height: 60,
  });
  const rows = compareSamples([
    {
      name: "pristine",
      result: analyseLatticeMaps({ a: pristine.a, c: pristine.c, intensity: pristine.intensity }),
    },
    { name: "cycled", result: analyseLatticeMaps({ a: cycled.a, c: cycled.c, intensity: cycled.intensity }) },
  ]);
  assert.equal(rows[0].aChange, 0);
  const expectA = (100 * (NMC111.latticeA(0.8) - NMC111.latticeA(1))) / NMC111.latticeA(1);
  assert.ok(Math.abs(rows[1].aChange - expectA) < 1e-9);
  assert.ok(Math.abs(rows[0].a - 2.856 * A) < 1e-15);
});

test("robustOutliers on seed 004's numbers: the particle at 2.832/14.418/100.155 among 2.824/14.437/99.718", () => {
  // ten particles scattered by ±0.001 Å (a), ±0.003 Å (c) — the precision seed 004 quotes — plus its outlier
  const da = [0, 0.001, -0.001, 0.0005, -0.0005, 0.001, -0.001, 0, 0.0005, -0.0005];
  const dc = [0.002, -0.003, 0, 0.003, -0.002, 0, 0.001, -0.001, 0.002, -0.003];
  const a = [...da.map((d) => 2.824 + d), 2.832];
  const c = [...dc.map((d) => 14.437 + d), 14.418];
  const v = a.map((ai, i) => (Math.sqrt(3) / 2) * ai * ai * c[i]);
  // seed: 100.155 Å³ (a mean of per-voxel V, not V of the mean a, c; a and c rounded to 0.001 Å
  // move V by up to 0.035 Å³) → 0.02 Å³
  assert.ok(Math.abs(v[10] - 100.155) < 0.02, `V of the outlier ${v[10]}`);
  const r = robustOutliers([a, c, v]);
  assert.deepEqual(r.indices, [10]);
  // identical particles up to 1e-5 relative are never flagged (scale floor 2e-4·median)
  assert.deepEqual(robustOutliers([[2.824, 2.82401, 2.82399, 2.824, 2.82402]]).indices, []);
});

test("3-D lattice maps: two balls, Li content inverted per voxel, profiles over depth", () => {
  const n = 32;
  const a = new Float64Array(n * n * n).fill(Number.NaN);
  const c = new Float64Array(n * n * n).fill(Number.NaN);
  const x = new Float64Array(n * n * n).fill(Number.NaN);
  const mask = new Uint8Array(n * n * n);
  const balls = [
    [10, 10, 10, 7],
    [21, 21, 21, 8],
  ];
  for (let k = 0; k < n; k++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++)
        for (const [bz, by, bx, r] of balls) {
          const d = Math.hypot(i - bx, j - by, k - bz);
          if (d > r) continue;
          const idx = i + n * (j + n * k);
          x[idx] = 0.9 - 0.3 * (d / r); // core 0.9 → surface 0.6
          a[idx] = NMC111.latticeA(x[idx]);
          c[idx] = NMC111.latticeC(x[idx]);
          mask[idx] = 1;
        }
  const sp = [1e-6, 1e-6, 1e-6] as const;
  const shape = [n, n, n] as const;
  const res = analyseLatticeMaps(
    {
      a: { data: a, shape, spacing: sp },
      c: { data: c, shape, spacing: sp },
      mask: { data: mask, shape, spacing: sp },
    },
    { material: NMC111 },
  );
  assert.equal(res.particles.length, 2);
  assert.equal(res.outliers.indices.length, 0);
  let worst = 0;
  const lx = res.liContent?.x as Float64Array;
  for (let i = 0; i < x.length; i++) if (mask[i]) worst = Math.max(worst, Math.abs(lx[i] - x[i]));
  assert.ok(worst < 1e-7, `${worst}`);
  // size: ball voxel count ≈ 4/3 π r³ (lattice-point error ≲ surface area 4πr² voxels)
  assert.ok(Math.abs(res.particles[0].voxels - (4 / 3) * Math.PI * 7 ** 3) < 4 * Math.PI * 49);
  assert.ok(Math.abs(res.particles[0].size - res.particles[0].voxels * 1e-18) < 1e-30);
  // x rises towards the core → a rises with depth (3-D EDT of the ball)
  for (const p of res.profiles.a) assert.ok(p.slope > 0 && p.edgeMinusCore < 0);
});

test("Li content carries the seed-004 caveat and the x(a) vs x(c) mismatch that shows when the curves do not apply", () => {
  // on the pristine curves: a and c imply the same x (mismatch at grid-interpolation level)
  const xs = [0.95, 0.8, 0.6];
  const a = xs.map((x) => NMC111.latticeA(x));
  const c = xs.map((x) => NMC111.latticeC(x));
  const on = latticeToLiContent(NMC111, a, c);
  assert.match(on.caveat, /seed 004/);
  assert.equal(on.caveat, LI_CONTENT_CAVEAT);
  for (let i = 0; i < xs.length; i++) {
    assert.ok(Math.abs(on.x[i] - xs[i]) < 1e-4, `x ${on.x[i]} vs ${xs[i]}`);
    assert.ok(on.mismatch[i] < 2e-3, `mismatch ${on.mismatch[i]}`);
    assert.ok(Math.abs(on.xFromA[i] - xs[i]) < 2e-3 && Math.abs(on.xFromC[i] - xs[i]) < 2e-3);
  }
  // a cycled-electrode-like voxel: a of x = 0.95 with c of x = 0.75 (the c shifted by something
  // other than Li content): the joint fit returns some x, but a and c disagree by ≈ 0.2
  const off = latticeToLiContent(NMC111, [NMC111.latticeA(0.95)], [NMC111.latticeC(0.75)]);
  assert.ok(Math.abs(off.xFromA[0] - 0.95) < 2e-3);
  assert.ok(off.mismatch[0] > 0.15, `mismatch ${off.mismatch[0]}`);
});
