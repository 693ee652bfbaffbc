import assert from "node:assert/strict";
import { test } from "node:test";
import {
  cellCentre,
  generatePolycrystal,
  PHASE_BINDER,
  PHASE_GRAIN,
  PHASE_VOID,
  polycrystalFromLabels,
} from "../../src/mechanics/polycrystal.js";

test("2D Voronoi particle: phases, areas, nearest-seed labels, determinism", () => {
  const opts = {
    dim: 2 as const,
    cells: 128,
    particleRadius: 7e-6,
    binderShellRadius: 10e-6,
    grains: 60,
    boundaryWidth: 0.2e-6,
    seed: 5,
  };
  const p = generatePolycrystal(opts);
  let grainCells = 0;
  let binderCells = 0;
  const seen = new Set<number>();
  for (let c = 0; c < p.phase.length; c++) {
    if (p.phase[c] === PHASE_GRAIN) {
      grainCells++;
      seen.add(p.grain[c]);
    } else {
      assert.equal(p.grain[c], -1);
      if (p.phase[c] === PHASE_BINDER) binderCells++;
    }
  }
  // pixelated disc area: error ≈ perimeter·h/… — 2 % at R = 62 cells
  const h2 = p.spacing ** 2;
  assert.ok(Math.abs((grainCells * h2) / (Math.PI * 7e-6 ** 2) - 1) < 0.02);
  assert.ok(Math.abs(((grainCells + binderCells) * h2) / (Math.PI * 10e-6 ** 2) - 1) < 0.02);
  assert.ok(seen.size >= 58, `grains present ${seen.size}`); // tiny grains can vanish on the grid
  // corners are void
  assert.equal(p.phase[0], PHASE_VOID);
  // same seed → same labels
  assert.deepEqual(generatePolycrystal(opts).grain, p.grain);
  // boundary indicator is 1 on boundaries and decays inside grains
  let ones = 0;
  for (let c = 0; c < p.boundary.length; c++) {
    assert.ok(p.boundary[c] >= 0 && p.boundary[c] <= 1);
    if (p.boundary[c] === 1) ones++;
  }
  assert.ok(ones > 0.05 * grainCells && ones < 0.5 * grainCells, `boundary cells ${ones}`);
});

test("bucket nearest-seed search equals brute force (3D)", () => {
  const p = generatePolycrystal({
    dim: 3,
    cells: 32,
    particleRadius: 5e-6,
    grains: 40,
    boundaryWidth: 0.3e-6,
    seed: 9,
  });
  for (let k = 0; k < 32; k++)
    for (let j = 0; j < 32; j++)
      for (let i = 0; i < 32; i++) {
        const c = i + 32 * (j + 32 * k);
        if (p.grain[c] < 0) continue;
        const [x, y, z] = [cellCentre(p, i), cellCentre(p, j), cellCentre(p, k)];
        let best = -1;
        let bestD = Number.POSITIVE_INFINITY;
        for (let g = 0; g < 40; g++) {
          const d = (p.seeds[3 * g] - x) ** 2 + (p.seeds[3 * g + 1] - y) ** 2 + (p.seeds[3 * g + 2] - z) ** 2;
          if (d < bestD) [best, bestD] = [g, d];
        }
        assert.equal(p.grain[c], best);
      }
  let vol = 0;
  for (const ph of p.phase) if (ph === PHASE_GRAIN) vol++;
  // voxelised sphere volume within 5 % at R ≈ 14 cells
  assert.ok(Math.abs((vol * p.spacing ** 3) / ((4 / 3) * Math.PI * 5e-6 ** 3) - 1) < 0.05);
  assert.equal(p.cAxes.length, 120);
});

test("label import round trip keeps grains and binder", () => {
  const p = generatePolycrystal({
    dim: 2,
    cells: 64,
    particleRadius: 5e-6,
    binderShellRadius: 6e-6,
    grains: 20,
    boundaryWidth: 0.2e-6,
    seed: 2,
  });
  const labels = new Int32Array(p.grain.length);
  for (let c = 0; c < labels.length; c++)
    labels[c] = p.phase[c] === PHASE_GRAIN ? p.grain[c] + 1 : p.phase[c] === PHASE_BINDER ? 999 : 0;
  const q = polycrystalFromLabels(labels, {
    dim: 2,
    n: 64,
    spacing: p.spacing,
    binderLabel: 999,
    boundaryWidth: 0.2e-6,
    seed: 1,
  });
  assert.deepEqual(q.phase, p.phase);
  assert.deepEqual(q.boundary, p.boundary);
  assert.ok(Math.abs(q.particleRadius / 5e-6 - 1) < 0.03);
  assert.ok(Math.abs(cellCentre(q, 32) - 0.5 * q.spacing) < 1e-18);
});

test("central porosity removes grains near the centre", () => {
  const base = {
    dim: 2 as const,
    cells: 96,
    particleRadius: 7e-6,
    grains: 100,
    boundaryWidth: 0.2e-6,
    seed: 4,
  };
  const dense = generatePolycrystal(base);
  const porous = generatePolycrystal({ ...base, centralPorosity: { radius: 3e-6, fraction: 1 } });
  const count = (q: typeof dense) => q.phase.reduce((s, v) => s + (v === PHASE_GRAIN ? 1 : 0), 0);
  assert.ok(count(porous) < count(dense));
  const centre = 48 + 96 * 48;
  assert.equal(porous.phase[centre], PHASE_VOID);
});
