/**
 * Lee 1994 thinning against scikit-image 0.19.3 `skeletonize_3d` (fixture:
 * scripts/fixtures/imaging_b.py → b_skeleton.json): skeletons must be voxel-identical.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { skeletonize } from "../../src/imaging/skeleton.js";
import { skeletonGraph } from "../../src/imaging/skeleton-graph.js";

const fx = JSON.parse(readFileSync(new URL("../fixtures/imaging/b_skeleton.json", import.meta.url), "utf8"));

for (const c of fx.cases) {
  test(`skeleton of '${c.name}' is identical to scikit-image's`, () => {
    const n = c.shape[0] * c.shape[1] * c.shape[2];
    const data = new Uint8Array(n);
    for (const i of c.mask) data[i] = 1;
    const s = skeletonize({ data, shape: c.shape, spacing: [1, 1, 1] });
    const got: number[] = [];
    for (let i = 0; i < n; i++) if (s.data[i]) got.push(i);
    assert.deepEqual(got, c.skeleton);
  });
}

test("a skeleton is idempotent and a subset of the input", () => {
  const c = fx.cases.find((k: { name: string }) => k.name === "blob");
  const n = c.shape[0] * c.shape[1] * c.shape[2];
  const data = new Uint8Array(n);
  for (const i of c.mask) data[i] = 1;
  const s1 = skeletonize({ data, shape: c.shape, spacing: [1, 1, 1] });
  const s2 = skeletonize(s1);
  assert.deepEqual(s2.data, s1.data);
  for (let i = 0; i < n; i++) if (s1.data[i]) assert.equal(data[i], 1);
});

test("skeleton graph: straight and diagonal lines, lengths in physical units", () => {
  const shape = [9, 9, 12] as const;
  const data = new Uint8Array(9 * 9 * 12);
  for (let x = 1; x <= 10; x++) data[x + 12 * (2 + 9 * 2)] = 1; // 10 voxels along x
  for (let k = 0; k < 5; k++) data[2 + k + 12 * (4 + k + 9 * (4 + k)) - 0] = 1; // diagonal, 5 voxels
  const g = skeletonGraph({ data, shape, spacing: [3, 2, 0.5] });
  assert.equal(g.summary.branches, 2);
  assert.equal(g.summary.endPoints, 4);
  assert.equal(g.summary.junctions, 0);
  const lengths = g.segments.map((s) => s.length).sort((a, b) => a - b);
  // 9 steps of dx = 0.5 → 4.5; 4 diagonal steps of √(3² + 2² + 0.5²).
  assert.ok(Math.abs(lengths[0] - 4.5) < 1e-12);
  assert.ok(Math.abs(lengths[1] - 4 * Math.sqrt(9 + 4 + 0.25)) < 1e-12);
});

test("skeleton graph of the 'cross' skeleton: one junction, six branches to six end points", () => {
  const c = fx.cases.find((k: { name: string }) => k.name === "cross");
  const data = new Uint8Array(c.shape[0] * c.shape[1] * c.shape[2]);
  for (const i of c.skeleton) data[i] = 1;
  const dist = new Float64Array(data.length).fill(1.5);
  const g = skeletonGraph(
    { data, shape: c.shape, spacing: [1, 1, 1] },
    { data: dist, shape: c.shape, spacing: [1, 1, 1] },
  );
  assert.equal(g.summary.junctions, 1);
  assert.equal(g.summary.endPoints, 6);
  assert.equal(g.summary.branches, 6);
  assert.ok(Math.abs(g.summary.meanRadius - 1.5) < 1e-12);
  assert.ok(g.summary.totalLength > 40 && g.summary.totalLength <= c.skeleton.length);
});

test("skeleton graph of a ring: one closed segment, length = perimeter of the voxel path", () => {
  const n = 20;
  const data = new Uint8Array(n * n);
  // square ring with cut corners (every voxel has exactly two 8-neighbours): four sides of
  // 8 unit steps joined by four diagonal steps → perimeter 32 + 4√2
  for (let k = 6; k <= 14; k++) {
    data[k + n * 5] = 1;
    data[k + n * 15] = 1;
    data[5 + n * k] = 1;
    data[15 + n * k] = 1;
  }
  const g = skeletonGraph({ data, shape: [1, n, n], spacing: [1, 1, 1] });
  assert.equal(g.summary.branches, 1);
  assert.equal(g.summary.endPoints, 0);
  assert.ok(Math.abs(g.summary.totalLength - (32 + 4 * Math.SQRT2)) < 1e-12, `${g.summary.totalLength}`);
});
