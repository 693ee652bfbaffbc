import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/errors.js";
import {
  boundingBoxOf,
  cloneVolume,
  createVolume,
  cropVolume,
  extractSlice,
  padVolume,
  stackSlices,
  volumeFrom,
  voxelCount,
  voxelIndex,
} from "../../src/imaging/volume.js";

test("layout: index = x + nx·(y + ny·z); 2-D images have nz = 1; shape/spacing validation", () => {
  const v = createVolume([2, 3, 4], "uint16", [3e-6, 2e-6, 1e-6]);
  assert.equal(voxelCount(v.shape), 24);
  assert.equal(voxelIndex(v.shape, 1, 2, 3), 3 + 4 * (2 + 3 * 1));
  assert.deepEqual(createVolume([5, 6]).shape, [1, 5, 6]);
  assert.throws(() => createVolume([0, 2, 2]), InputError);
  assert.throws(() => createVolume([2, 2, 2], "uint8", [1, -1, 1]), InputError);
  assert.throws(() => volumeFrom(new Uint8Array(5), [2, 3]), InputError);
});

test("slices along each axis, crop, pad and bounding box are consistent with direct indexing", () => {
  const v = createVolume([3, 4, 5], "int32", [3, 2, 1]);
  for (let i = 0; i < v.data.length; i++) v.data[i] = i;
  const at = (z: number, y: number, x: number) => x + 5 * (y + 4 * z);
  const sz = extractSlice(v, 1, 0);
  assert.deepEqual(sz.shape, [1, 4, 5]);
  assert.equal(sz.data[2 + 5 * 3], at(1, 3, 2));
  const sy = extractSlice(v, 2, 1);
  assert.deepEqual(
    [sy.shape, sy.spacing],
    [
      [1, 3, 5],
      [2, 3, 1],
    ],
  );
  assert.equal(sy.data[4 + 5 * 2], at(2, 2, 4));
  const sx = extractSlice(v, 3, 2);
  assert.equal(sx.data[1 + 4 * 2], at(2, 1, 3));
  const c = cropVolume(v, { z0: 1, y0: 1, x0: 2, z1: 3, y1: 3, x1: 5 });
  assert.deepEqual(c.shape, [2, 2, 3]);
  assert.equal(c.data[0], at(1, 1, 2));
  assert.equal(c.data[11], at(2, 2, 4));
  const p = padVolume(c, 1, 9);
  assert.deepEqual(p.shape, [4, 4, 5]);
  assert.equal(p.data[0], 9);
  assert.equal(p.data[1 + 5 * (1 + 4 * 1)], at(1, 1, 2));
  const m = createVolume([3, 4, 5]);
  m.data[at(1, 2, 3)] = 1;
  m.data[at(2, 0, 1)] = 1;
  assert.deepEqual(boundingBoxOf(m), { z0: 1, y0: 0, x0: 1, z1: 3, y1: 3, x1: 4 });
  assert.equal(boundingBoxOf(createVolume([2, 2])), null);
  const st = stackSlices([sz, extractSlice(v, 2)], 7);
  assert.deepEqual([st.shape, st.spacing[0]], [[2, 4, 5], 7]);
  assert.throws(() => stackSlices([sz, sy]), /inconsistent/);
  assert.deepEqual(Array.from(cloneVolume(v, "float32").data.slice(0, 3)), [0, 1, 2]);
});
