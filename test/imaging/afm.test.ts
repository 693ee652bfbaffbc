import assert from "node:assert/strict";
import { test } from "node:test";
import {
  analyseAfmMap,
  formatMatrixText,
  parseMatrixText,
  socTrend,
  syntheticAfmMap,
} from "../../src/imaging/afm/index.js";

const PIXEL = 5e-6 / 128; // 5 µm scan, 128 px (seed 002: 5 × 5 µm² maps)
const PARTICLES = [
  { x: 32, y: 34, r: 22 },
  { x: 92, y: 40, r: 18 },
  { x: 60, y: 96, r: 25 },
];

test("a planted edge-to-core gradient is measured back", () => {
  // ESM-like: 1.0 at the edge falling linearly to ≈0.45 at the centre of the largest particle
  const g = -0.55 / (25 * PIXEL); // [value/m]
  const map = syntheticAfmMap({
    width: 128,
    height: 128,
    pixel: PIXEL,
    particles: PARTICLES,
    vEdge: 1,
    gradient: g,
    matrix: 0.1,
  });
  const r = analyseAfmMap(map);
  assert.equal(r.particles.length, 3);
  for (const p of r.particles) {
    // depth from the EDT (distance to the nearest outside pixel centre) equals r − ρ up to the
    // digitisation of the disc edge (< 1 px, nearly constant) → the slope is g within 5 %
    assert.ok(Math.abs(p.profile.slope - g) / Math.abs(g) < 0.05, `slope ${p.profile.slope} vs ${g}`);
    assert.ok(p.profile.edgeMinusCore > 0, "boundary higher than bulk (seed 002)");
    // shell means fall monotonically from edge to core
    const m = Array.from(p.profile.mean).filter((v) => Number.isFinite(v));
    for (let k = 1; k < m.length; k++) assert.ok(m[k] < m[k - 1]);
  }
  assert.ok(Math.abs(r.slope - g) / Math.abs(g) < 0.05);
  assert.ok(Math.abs(r.background.mean - 0.1) < 1e-12);
  // areas: πr² pixels within the lattice-point error 2πr
  for (const [i, p] of r.particles.entries()) {
    const q = PARTICLES[i];
    assert.ok(Math.abs(p.stats.voxels - Math.PI * q.r ** 2) < 2 * Math.PI * q.r);
  }
});

test("no gradient planted → slope and contrast ~0", () => {
  const map = syntheticAfmMap({
    width: 128,
    height: 128,
    pixel: PIXEL,
    particles: PARTICLES,
    vEdge: 1,
    gradient: 0,
    matrix: 0.1,
  });
  const r = analyseAfmMap(map);
  for (const p of r.particles) {
    assert.ok(Math.abs(p.profile.slope) < 1e-6);
    assert.ok(Math.abs(p.profile.edgeMinusCore) < 1e-12);
  }
});

test("SOC trend: slope of the particle mean against SOC", () => {
  const samples = [0, 0.5, 1].map((soc) => ({
    name: `soc${soc}`,
    soc,
    result: analyseAfmMap(
      syntheticAfmMap({
        width: 64,
        height: 64,
        pixel: PIXEL,
        particles: [{ x: 32, y: 32, r: 20 }],
        vEdge: 1 - 0.4 * soc,
        gradient: 0,
        matrix: 0.1,
      }),
    ),
  }));
  const t = socTrend(samples);
  assert.ok(Math.abs(t.slope + 0.4) < 1e-12);
  assert.deepEqual(
    t.rows.map((r) => r.sample),
    ["soc0", "soc0.5", "soc1"],
  );
});

test("Gwyddion ASCII matrix: header, pixel size from Width/Height, round trip, errors with line", () => {
  const text =
    "# Channel: ESM amplitude\n# Width: 5.000 µm\n# Height: 2.500 µm\n# Value units: V\n1 2 3 4\n5 6 7 NaN\n";
  const m = parseMatrixText(text, "esm.txt");
  assert.equal(m.channel, "ESM amplitude");
  assert.equal(m.valueUnit, "V");
  assert.deepEqual(m.image.shape, [1, 2, 4]);
  assert.ok(Math.abs(m.image.spacing[2] - 1.25e-6) < 1e-18);
  assert.ok(Math.abs(m.image.spacing[1] - 1.25e-6) < 1e-18);
  assert.ok(Number.isNaN(m.image.data[7]));
  const back = parseMatrixText(formatMatrixText(m.image, { channel: "ESM amplitude", valueUnit: "V" }));
  assert.deepEqual(Array.from(back.image.data).slice(0, 7), [1, 2, 3, 4, 5, 6, 7]);
  assert.ok(Math.abs(back.image.spacing[2] - 1.25e-6) < 1e-15);
  const csv = parseMatrixText("1.5,2\n3,4\n");
  assert.deepEqual(Array.from(csv.image.data), [1.5, 2, 3, 4]);
  assert.throws(
    () => parseMatrixText("1 2\n3 x\n", "bad.txt"),
    (e: Error) => /bad\.txt/.test(e.message) && /line 2/.test(e.message) && /not a number/.test(e.message),
  );
  assert.throws(() => parseMatrixText("1 2\n3\n", "rag.txt"), /ragged/);
  assert.throws(() => parseMatrixText("# Width: five\n1 2\n", "w.txt"), /Width|w\.txt/);
});

test("edge-core profiles and particle statistics agree with numpy/scipy/scikit-image", async () => {
  const { readFileSync } = await import("node:fs");
  const ref = JSON.parse(
    readFileSync(new URL("../fixtures/imaging/issue7-afm.json", import.meta.url), "utf8"),
  );
  // the map of scripts/fixtures/issue7_afm_reference.py
  const map = syntheticAfmMap({
    width: 64,
    height: 48,
    pixel: 1e-7,
    particles: [
      { x: 20, y: 20, r: 12 },
      { x: 46, y: 26, r: 14 },
      { x: 8, y: 40, r: 5 },
    ],
    vEdge: 1,
    gradient: -0.4 / (14 * 1e-7),
    matrix: 0.1,
  });
  const r = analyseAfmMap(map);
  assert.equal(r.particles.length, ref.particles.length);
  // same pixels in every particle (Otsu anywhere between the matrix and the particles gives it)
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
  for (const [i, p] of r.particles.entries()) {
    const q = ref.particles[i];
    assert.equal(p.stats.voxels, q.pixels);
    // sums of a few hundred doubles in a different order: 1e-12 relative
    assert.ok(rel(p.stats.mean, q.mean) < 1e-12);
    assert.ok(rel(p.stats.std, q.std) < 1e-10);
    assert.ok(rel(p.stats.median, q.median) < 1e-14);
    // the EDT is exact (scipy's), so depths agree to rounding; regression to 1e-9
    assert.ok(rel(p.profile.maxDepth, q.maxDepth) < 1e-14);
    assert.ok(rel(p.profile.slope, q.slope) < 1e-9, `${p.profile.slope} vs ${q.slope}`);
    assert.ok(rel(p.profile.intercept, q.intercept) < 1e-9);
    assert.ok(rel(p.profile.edgeMinusCore, q.edgeMinusCore) < 1e-10);
    for (let k = 0; k < 10; k++) {
      if (q.shells[k] === null) assert.ok(Number.isNaN(p.profile.mean[k]));
      else assert.ok(rel(p.profile.mean[k], q.shells[k]) < 1e-12, `shell ${k}`);
    }
  }
});
