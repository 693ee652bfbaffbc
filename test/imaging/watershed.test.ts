import assert from "node:assert/strict";
import { test } from "node:test";
import { label } from "../../src/imaging/label.js";
import type { Volume } from "../../src/imaging/volume.js";
import { watershedSplit } from "../../src/imaging/watershed.js";

function spheres(
  shape: [number, number, number],
  list: [number, number, number, number][],
): Volume<Uint8Array> {
  const [nz, ny, nx] = shape;
  const data = new Uint8Array(nx * ny * nz);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++)
        for (const [cz, cy, cx, r] of list) {
          if ((z - cz) ** 2 + (y - cy) ** 2 + (x - cx) ** 2 <= r * r) data[x + nx * (y + ny * z)] = 1;
        }
  return { data, shape, spacing: [1e-6, 1e-6, 1e-6] };
}

test("watershed splits touching spheres that labelling joins, and leaves a single sphere whole", () => {
  // two spheres of radius 10 overlapping by 4 voxels, a third of radius 7 touching the second
  const v = spheres(
    [40, 40, 70],
    [
      [20, 20, 15, 10],
      [20, 20, 31, 10],
      [20, 20, 47, 7],
    ],
  );
  assert.equal(label(v, { connectivity: 26 }).count, 1);
  const w = watershedSplit(v);
  assert.equal(w.count, 3);
  // each sphere's centre carries a different label and every foreground voxel is labelled
  const at = (z: number, y: number, x: number) => w.labels.data[x + 70 * (y + 40 * z)];
  assert.equal(new Set([at(20, 20, 15), at(20, 20, 31), at(20, 20, 47)]).size, 3);
  for (let i = 0; i < v.data.length; i++) assert.equal(v.data[i] !== 0, w.labels.data[i] !== 0);
  // the split plane between equal spheres lies midway (x = 23 ± 1)
  assert.ok(Math.abs([...Array(70).keys()].findIndex((x) => at(20, 20, x) === at(20, 20, 31)) - 23) <= 1);
  const single = watershedSplit(spheres([30, 30, 30], [[15, 15, 15, 11]]));
  assert.equal(single.count, 1);
});

test("watershed keeps small particles below the marker radius as their own components", () => {
  const v = spheres(
    [20, 20, 40],
    [
      [10, 10, 8, 6],
      [10, 10, 30, 2],
    ],
  );
  const w = watershedSplit(v, { minRadius: 3 });
  assert.equal(w.count, 2);
});
