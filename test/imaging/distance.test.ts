import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { distanceTransform } from "../../src/imaging/distance.js";
import { equalMask, volumeFrom } from "../../src/imaging/volume.js";
import { readTiff } from "../../src/io/tiff.js";

const FIX = new URL("../fixtures/imaging/", import.meta.url);
const DATA = new URL("../data/imaging/", import.meta.url);
interface EdtCase {
  name: string;
  shape: number[];
  sampling: [number, number, number];
  data: number[];
  edt: number[];
}
const cases = JSON.parse(readFileSync(new URL("a_edt.json", FIX), "utf8")) as EdtCase[];

test("EDT equals scipy distance_transform_edt(input, sampling) to 1e-9 (isotropic and anisotropic, 2-D and 3-D)", () => {
  for (const c of cases) {
    const d = distanceTransform(volumeFrom(Uint8Array.from(c.data), c.shape), { sampling: c.sampling });
    let worst = 0;
    for (let i = 0; i < c.edt.length; i++) worst = Math.max(worst, Math.abs(d.data[i] - c.edt[i]));
    // both are exact algorithms in double precision: only round-off remains
    assert.ok(worst <= 1e-9, `${c.name}: max |Δ| = ${worst}`);
  }
});

test("closed forms: point background gives the anisotropic Euclidean norm; squared and float32 options", () => {
  const shape = [5, 6, 7] as const;
  const m = new Uint8Array(5 * 6 * 7).fill(1);
  m[3 + 7 * (2 + 6 * 1)] = 0; // background at (z, y, x) = (1, 2, 3)
  const s = [2, 0.5, 1.25] as const;
  const d = distanceTransform(volumeFrom(m, [...shape]), { sampling: s });
  const sq = distanceTransform(volumeFrom(m, [...shape]), { sampling: s, squared: true, output: "float32" });
  for (let z = 0; z < 5; z++)
    for (let y = 0; y < 6; y++)
      for (let x = 0; x < 7; x++) {
        const i = x + 7 * (y + 6 * z);
        const want = Math.hypot((z - 1) * s[0], (y - 2) * s[1], (x - 3) * s[2]);
        assert.ok(Math.abs(d.data[i] - want) <= 1e-12 * (1 + want));
        assert.ok(sq.data instanceof Float32Array);
        assert.ok(Math.abs(sq.data[i] - want * want) <= 1e-6 * (1 + want * want)); // float32 rounding
      }
  // no background at all: +Infinity, never NaN
  const all = distanceTransform(volumeFrom(new Uint8Array(8).fill(1), [2, 2, 2]));
  assert.ok(Array.from(all.data).every((v) => v === Number.POSITIVE_INFINITY));
});

test("real data: EDT of the NMC phase, max 16.911535 / mean 3.331907 (taufactor), max 19.646883 / mean 3.617683 (MATBOX)", () => {
  for (const [file, phase, max, mean] of [
    ["taufactor_electrode_nmc_3phase_256.tiff", 85, 16.911535, 3.331907],
    ["matbox_nmc-1-cal_generatedCBD_bridge.tif", 1, 19.646883, 3.617683],
  ] as const) {
    const m = equalMask(readTiff(new Uint8Array(readFileSync(new URL(file, DATA)))).volume, phase);
    const d = distanceTransform(m, { sampling: [1, 1, 1], output: "float32" });
    let mx = 0;
    let s = 0;
    let c = 0;
    for (let i = 0; i < d.data.length; i++) {
      if (m.data[i]) {
        s += d.data[i];
        c++;
        if (d.data[i] > mx) mx = d.data[i];
      }
    }
    // README gives 6 decimals; float32 output adds ≤ 1e-6 relative
    assert.ok(Math.abs(mx - max) < 5e-6, `${file} max ${mx}`);
    assert.ok(Math.abs(s / c - mean) < 5e-6, `${file} mean ${s / c}`);
  }
});
