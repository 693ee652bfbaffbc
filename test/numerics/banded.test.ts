import assert from "node:assert/strict";
import { test } from "node:test";
import { BandedMatrix } from "../../src/numerics/banded.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

test("banded LU needs pivoting and still solves exactly (zero leading diagonal)", () => {
  // [[0,1],[1,0]] x = [2,3] → x = [3,2]; impossible without row interchanges
  const A = new BandedMatrix(2, 1, 1);
  A.set(0, 1, 1);
  A.set(1, 0, 1);
  A.factor();
  const b = Float64Array.from([2, 3]);
  A.solve(b);
  assert.deepEqual(Array.from(b), [3, 2]);
});

test("banded LU residual is at round-off for random non-symmetric band matrices", () => {
  for (const [n, kl, ku] of [
    [30, 2, 1],
    [25, 1, 3],
    [40, 3, 3],
    [10, 0, 2],
    [12, 4, 0],
  ]) {
    const r = rng(n * 31 + kl * 7 + ku);
    const A = new BandedMatrix(n, kl, ku);
    for (let i = 0; i < n; i++)
      for (let j = Math.max(0, i - kl); j <= Math.min(n - 1, i + ku); j++) A.set(i, j, r() - 0.5);
    const x = Float64Array.from({ length: n }, () => r() - 0.5);
    const b = new Float64Array(n);
    A.multiply(x, b);
    A.factor();
    A.solve(b);
    // random band matrices of this size have condition numbers ≲ 1e4; 1e-9 leaves margin
    for (let i = 0; i < n; i++) assert.ok(Math.abs(b[i] - x[i]) < 1e-9, `n=${n} kl=${kl} ku=${ku} i=${i}`);
  }
});

test("band bounds are enforced and singular matrices are reported", () => {
  const A = new BandedMatrix(3, 1, 0);
  assert.throws(() => A.set(0, 1, 1), /outside the band/);
  assert.equal(A.get(0, 2), 0);
  A.set(0, 0, 1);
  A.set(1, 0, 1);
  assert.throws(() => A.factor(), /singular/);
  assert.throws(() => new BandedMatrix(3, 1, 1).solve(new Float64Array(3)), /factor/);
});
