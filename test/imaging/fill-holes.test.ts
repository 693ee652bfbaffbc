import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fillHoles } from "../../src/imaging/fill-holes.js";
import { volumeFrom } from "../../src/imaging/volume.js";

const FIX = new URL("../fixtures/imaging/", import.meta.url);
interface FillCase {
  name: string;
  connectivity: "face" | "full";
  shape: number[];
  data: number[];
  filled: number[];
}
const cases = JSON.parse(readFileSync(new URL("a_fill.json", FIX), "utf8")) as FillCase[];

test("fillHoles equals scipy.ndimage.binary_fill_holes voxel for voxel (face and full structures, 2-D and 3-D)", () => {
  for (const c of cases) {
    const r = fillHoles(volumeFrom(Uint8Array.from(c.data), c.shape), { connectivity: c.connectivity });
    assert.deepEqual(Array.from(r.data), c.filled, c.name);
  }
});

test("closed forms: hollow sphere becomes solid; a hole touching the border stays open; 2-D ring", () => {
  const n = 21;
  const shell = new Uint8Array(n * n * n);
  let inside = 0;
  for (let z = 0; z < n; z++)
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        const r = Math.hypot(z - 10, y - 10, x - 10);
        if (r <= 8) inside++;
        if (r <= 8 && r >= 6) shell[x + n * (y + n * z)] = 1;
      }
  const f = fillHoles(volumeFrom(shell, [n, n, n]));
  assert.equal(
    f.data.reduce((s, v) => s + v, 0),
    inside,
  );
  // cut a tunnel from the cavity to the border: nothing is a hole any more
  const open = shell.slice();
  for (let x = 0; x <= 10; x++) open[x + n * (10 + n * 10)] = 0;
  const g = fillHoles(volumeFrom(open, [n, n, n]));
  assert.deepEqual(g.data, open);
  // 2-D: a ring in an nz = 1 image is filled (border = the y/x edges)
  const ring = new Uint8Array(25);
  for (const i of [6, 7, 8, 11, 13, 16, 17, 18]) ring[i] = 1;
  assert.equal(fillHoles(volumeFrom(ring, [5, 5])).data[12], 1);
});
