import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
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

test("property: the sweep + flood algorithm equals a plain breadth-first flood from the border (random 3-D masks)", () => {
  const ref = (m: Uint8Array, [nz, ny, nx]: number[], full: boolean): number[] => {
    const out: number[] = Array.from(m, (v) => (v ? 1 : 0));
    const q: number[] = [];
    const at = (z: number, y: number, x: number) => x + nx * (y + ny * z);
    for (let z = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++)
          if (
            (z === 0 || z === nz - 1 || y === 0 || y === ny - 1 || x === 0 || x === nx - 1) &&
            out[at(z, y, x)] === 0
          ) {
            out[at(z, y, x)] = 2;
            q.push(z, y, x);
          }
    while (q.length) {
      const x = q.pop() as number;
      const y = q.pop() as number;
      const z = q.pop() as number;
      // (pushed as z, y, x; popped in reverse)
      for (let dz = -1; dz <= 1; dz++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const o = Math.abs(dz) + Math.abs(dy) + Math.abs(dx);
            if (o === 0 || (!full && o > 1)) continue;
            const zz = z + dz;
            const yy = y + dy;
            const xx = x + dx;
            if (zz < 0 || zz >= nz || yy < 0 || yy >= ny || xx < 0 || xx >= nx || out[at(zz, yy, xx)] !== 0)
              continue;
            out[at(zz, yy, xx)] = 2;
            q.push(zz, yy, xx);
          }
    }
    return out.map((v) => (v === 2 ? 0 : 1));
  };
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6 * 7 * 8, maxLength: 6 * 7 * 8 }),
      fc.double({ min: 0.3, max: 0.8, noNaN: true }),
      fc.boolean(),
      (u, density, full) => {
        const m = Uint8Array.from(u, (v) => (v < density ? 1 : 0));
        const got = fillHoles(volumeFrom(m, [6, 7, 8]), { connectivity: full ? "full" : "face" });
        const want = ref(m, [6, 7, 8], full);
        return Array.from(got.data).every((v, i) => v === want[i]);
      },
    ),
    { numRuns: 80, seed: 11 },
  );
});
