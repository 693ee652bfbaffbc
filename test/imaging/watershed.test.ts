import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { label } from "../../src/imaging/label.js";
import type { Volume } from "../../src/imaging/volume.js";
import { watershedSplit } from "../../src/imaging/watershed.js";
import { readTiff } from "../../src/io/tiff.js";

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

test("21 touching spheres of radii 9–11 give 21 regions, each with IoU ≥ 0.95 against its planted sphere", () => {
  // 3 × 7 grid, centre spacing 18 voxels, radii 9–11 → neighbours touch or overlap by ≤ 4 voxels
  const shape: [number, number, number] = [30, 68, 140];
  const list: [number, number, number, number][] = [];
  for (let a = 0; a < 3; a++)
    for (let b = 0; b < 7; b++)
      list.push([15 + ((a + b) % 3) - 1, 16 + 18 * a, 16 + 18 * b, 9 + ((a * 7 + b) % 3)]);
  const v = spheres(shape, list);
  assert.equal(label(v, { connectivity: 26 }).count, 1);
  // planted truth: the sphere with the smallest power distance |x − c|² − r² (radical planes)
  const [nz, ny, nx] = shape;
  const truth = new Int32Array(v.data.length);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const i = x + nx * (y + ny * z);
        if (!v.data[i]) continue;
        let best = -1;
        let bp = Number.POSITIVE_INFINITY;
        list.forEach(([cz, cy, cx, r], k) => {
          const p = (z - cz) ** 2 + (y - cy) ** 2 + (x - cx) ** 2 - r * r;
          if (p < bp) {
            bp = p;
            best = k;
          }
        });
        truth[i] = best + 1;
      }
  const w = watershedSplit(v);
  assert.equal(w.count, 21);
  for (let k = 1; k <= 21; k++) {
    const hits = new Map<number, number>();
    let size = 0;
    for (let i = 0; i < truth.length; i++)
      if (truth[i] === k) {
        size++;
        hits.set(w.labels.data[i], (hits.get(w.labels.data[i]) ?? 0) + 1);
      }
    const [lab, inter] = [...hits.entries()].sort((a, b) => b[1] - a[1])[0];
    let regionSize = 0;
    for (let i = 0; i < truth.length; i++) if (w.labels.data[i] === lab) regionSize++;
    const iou = inter / (size + regionSize - inter);
    assert.ok(iou >= 0.95, `sphere ${k}: IoU ${iou.toFixed(3)}`);
  }
});

test("a single-component real mask stays one piece (UCL jelly-roll electrode mask, 576², MIT)", () => {
  const bytes = new Uint8Array(
    readFileSync(new URL("../data/imaging/bxw_cylcell_xct_slice_mask_1.tif", import.meta.url)),
  );
  const mask = readTiff(bytes).volume;
  assert.equal(label(mask, { connectivity: 8 }).count, 1);
  assert.equal(watershedSplit(mask).count, 1);
});

test("an elongated particle (two overlapping balls with a wide neck) is not cut", () => {
  // centres 12 apart, radius 10: neck radius 8, dynamic 2 < 0.3·10
  const v = spheres(
    [30, 30, 50],
    [
      [15, 15, 19, 10],
      [15, 15, 31, 10],
    ],
  );
  assert.equal(watershedSplit(v).count, 1);
});
