/**
 * Lee 1994 thinning against scikit-image 0.19.3 `skeletonize_3d` (fixture:
 * scripts/fixtures/imaging_b.py → b_skeleton.json): skeletons must be voxel-identical.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { skeletonize } from "../../src/imaging/skeleton.js";

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
