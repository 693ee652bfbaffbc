/**
 * Allen–Cahn smoothing: conserves Σφ (Lagrange multiplier), and reduces the marching-cubes
 * staircase overestimate of a voxelised sphere's area toward 4πr².
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { isosurfaceArea } from "../../src/imaging/marching-cubes.js";
import { allenCahnSmooth, smoothedSurfaceArea } from "../../src/imaging/smoothing.js";
import type { Volume } from "../../src/imaging/volume.js";

function voxelSphere(r: number): Volume<Uint8Array> {
  const n = 2 * r + 3;
  const c = (n - 1) / 2;
  const data = new Uint8Array(n ** 3);
  let i = 0;
  for (let z = 0; z < n; z++)
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++, i++) data[i] = (x - c) ** 2 + (y - c) ** 2 + (z - c) ** 2 <= r * r ? 1 : 0;
  return { data, shape: [n, n, n], spacing: [1, 1, 1] };
}

test("Σφ is conserved by the Lagrange multiplier (float32 rounding only)", () => {
  const v = voxelSphere(8);
  let m0 = 0;
  for (const b of v.data) m0 += b;
  const phi = allenCahnSmooth(v, { steps: 20 });
  let m = 0;
  for (const p of phi.data) m += p;
  // Float32 storage: relative rounding ~1e-7 per voxel, accumulated over ~7000 voxels × 20 steps.
  assert.ok(Math.abs(m / m0 - 1) < 1e-4, `${m} vs ${m0}`);
  for (const p of phi.data) assert.ok(p > -0.1 && p < 1.1);
});

test("smoothing reduces the staircase overestimate of a voxelised sphere's area", () => {
  for (const r of [10, 15]) {
    const v = voxelSphere(r);
    const exact = 4 * Math.PI * r * r;
    const raw = isosurfaceArea(v, { level: 0.5, pad: true }) / exact - 1;
    const smooth = smoothedSurfaceArea(v) / exact - 1;
    // Raw marching cubes on the 0/1 mask overestimates by ≈ 9 %; 3 steps (ε = 1 voxel) bring it
    // within 1 % (measured −0.6 % and +0.5 %).
    assert.ok(raw > 0.08, `raw ${raw}`);
    assert.ok(Math.abs(smooth) < 0.01, `smoothed ${smooth}`);
  }
});

test("explicit stability limit is enforced", () => {
  assert.throws(() => allenCahnSmooth(voxelSphere(3), { epsilon: 1, dt: 0.5 }), /stability/);
});
