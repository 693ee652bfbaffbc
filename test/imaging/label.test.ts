import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { type Connectivity, label, labelSizes } from "../../src/imaging/label.js";
import { equalMask, volumeFrom } from "../../src/imaging/volume.js";
import { readTiff } from "../../src/io/tiff.js";

const FIX = new URL("../fixtures/imaging/", import.meta.url);
const DATA = new URL("../data/imaging/", import.meta.url);

interface LabelCase {
  name: string;
  connectivity: Connectivity;
  byValue?: boolean;
  shape: number[];
  data: number[];
  labels: number[];
  count: number;
}
const cases = JSON.parse(readFileSync(new URL("a_label.json", FIX), "utf8")) as LabelCase[];

/** Same partition: a bijection between our labels and theirs, 0 ↔ 0. */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if ((x === 0) !== (y === 0)) return false;
    if ((ab.get(x) ?? y) !== y || (ba.get(y) ?? x) !== x) return false;
    ab.set(x, y);
    ba.set(y, x);
  }
  return true;
}

test("labels equal scipy.ndimage.label / skimage.measure.label partitions AND numbering (raster order)", () => {
  for (const c of cases) {
    const v = volumeFrom(Uint8Array.from(c.data), c.shape);
    const r = label(v, { connectivity: c.connectivity, byValue: c.byValue });
    assert.equal(r.count, c.count, c.name);
    assert.ok(samePartition(r.labels.data, c.labels), `${c.name}: partition differs`);
    assert.deepEqual(Array.from(r.labels.data), c.labels, `${c.name}: numbering differs`);
  }
});

test("real data: NMC component counts 121/81 (taufactor) and 144/80 (MATBOX) with 6/26 connectivity (README); XCT slice 4/8 counts", () => {
  for (const [file, phase, c6, c26, largest] of [
    ["taufactor_electrode_nmc_3phase_256.tiff", 85, 121, 81, 6457697],
    ["matbox_nmc-1-cal_generatedCBD_bridge.tif", 1, 144, 80, 11343393],
  ] as const) {
    const v = readTiff(new Uint8Array(readFileSync(new URL(file, DATA)))).volume;
    const m = equalMask(v, phase);
    assert.equal(label(m, { connectivity: 6 }).count, c6, file);
    const r26 = label(m, { connectivity: 26, output: "uint32" });
    assert.equal(r26.count, c26, file);
    assert.ok(r26.labels.data instanceof Uint32Array);
    const sizes = labelSizes(r26.labels, r26.count);
    assert.equal(Math.max(...sizes.slice(1)), largest, file);
  }
  // the real 16-bit XCT cell slice above its Otsu threshold (scripts/fixtures/imaging_real.py)
  const ref = JSON.parse(readFileSync(new URL("real_otsu_label.json", FIX), "utf8")).xct;
  const xct = readTiff(new Uint8Array(readFileSync(new URL(ref.file, DATA)))).volume;
  const fg = volumeFrom(
    Uint8Array.from(xct.data, (x) => (x > ref.otsu ? 1 : 0)),
    [576, 576],
  );
  assert.equal(label(fg, { connectivity: 4 }).count, ref.components4); // 566
  assert.equal(label(fg, { connectivity: 8 }).count, ref.components8); // 9
});

test("property: every label is connected, neighbours of different labels are never adjacent, sizes add up", () => {
  fc.assert(
    fc.property(
      fc.array(fc.boolean(), { minLength: 5 * 6 * 7, maxLength: 5 * 6 * 7 }),
      fc.constantFrom<Connectivity>(6, 18, 26),
      (bits, conn) => {
        const v = volumeFrom(Uint8Array.from(bits, Number), [5, 6, 7]);
        const { labels, count } = label(v, { connectivity: conn });
        const L = labels.data;
        const order = conn === 6 ? 1 : conn === 18 ? 2 : 3;
        // no two adjacent foreground voxels carry different labels
        for (let z = 0; z < 5; z++)
          for (let y = 0; y < 6; y++)
            for (let x = 0; x < 7; x++) {
              const i = x + 7 * (y + 6 * z);
              if (L[i] === 0) continue;
              for (let dz = -1; dz <= 1; dz++)
                for (let dy = -1; dy <= 1; dy++)
                  for (let dx = -1; dx <= 1; dx++) {
                    const o = Math.abs(dz) + Math.abs(dy) + Math.abs(dx);
                    if (o === 0 || o > order) continue;
                    const zz = z + dz;
                    const yy = y + dy;
                    const xx = x + dx;
                    if (zz < 0 || zz >= 5 || yy < 0 || yy >= 6 || xx < 0 || xx >= 7) continue;
                    const j = xx + 7 * (yy + 6 * zz);
                    if (L[j] !== 0 && L[j] !== L[i]) return false;
                  }
            }
        const sizes = labelSizes(labels, count);
        return sizes.slice(1).every((s) => s > 0) && sizes.reduce((a, b) => a + b, 0) === 210;
      },
    ),
    { numRuns: 60, seed: 7 },
  );
});

test("options: background value, 2-D/3-D connectivity checks", () => {
  const v = volumeFrom(new Uint8Array([5, 5, 0, 1, 5, 5]), [1, 6]);
  assert.equal(label(v, { background: 5 }).count, 1); // 0 and 1 adjacent → one component
  assert.equal(label(v, { background: 5, byValue: true }).count, 2);
  assert.throws(() => label(volumeFrom(new Uint8Array(8), [2, 2, 2]), { connectivity: 8 }), InputError);
  assert.throws(() => label(v, { connectivity: 5 as Connectivity }), InputError);
});
