import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { BandedMatrix } from "../../src/numerics/banded.js";
import {
  multiplyTridiagonal,
  solveBorderedTridiagonal,
  solveTridiagonal,
} from "../../src/numerics/tridiagonal.js";

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function diagonallyDominant(n: number, seed: number) {
  const r = rng(seed);
  const lower = new Float64Array(n);
  const diag = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lower[i] = i > 0 ? r() - 0.5 : 0;
    upper[i] = i < n - 1 ? r() - 0.5 : 0;
    diag[i] = Math.abs(lower[i]) + Math.abs(upper[i]) + 0.1 + r();
  }
  return { lower, diag, upper };
}

test("Thomas solve of the 1D Poisson matrix reproduces the exact discrete solution", () => {
  // −u'' = 2 on (0,1), u(0)=u(1)=0 → u = x(1−x); the 3-point scheme is exact for quadratics
  const n = 99;
  const h = 1 / (n + 1);
  const lower = new Float64Array(n).fill(-1);
  const diag = new Float64Array(n).fill(2);
  const upper = new Float64Array(n).fill(-1);
  const rhs = new Float64Array(n).fill(2 * h * h);
  const work = new Float64Array(n);
  solveTridiagonal(lower, diag, upper, rhs, rhs, work); // in place
  for (let i = 0; i < n; i++) {
    const x = (i + 1) * h;
    // condition number ~ 4/(π h)² ≈ 4e3: 1e-13 absolute on values of 0.25
    assert.ok(Math.abs(rhs[i] - x * (1 - x)) < 1e-13);
  }
});

test("Thomas residual is at round-off for random diagonally dominant systems (property)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 60 }), fc.integer(), (n, seed) => {
      const { lower, diag, upper } = diagonallyDominant(n, seed);
      const r = rng(seed + 1);
      const b = Float64Array.from({ length: n }, () => r() * 2 - 1);
      const x = new Float64Array(n);
      solveTridiagonal(lower, diag, upper, b, x, new Float64Array(n));
      const y = new Float64Array(n);
      multiplyTridiagonal(lower, diag, upper, x, y);
      // diagonal dominance ≥ 0.1 bounds the condition number by ~30: 1e-13 is round-off
      for (let i = 0; i < n; i++) assert.ok(Math.abs(y[i] - b[i]) < 1e-13);
    }),
    { seed: 7, numRuns: 100 },
  );
});

test("bordered tridiagonal solve agrees with a dense banded LU of the full (n+1)² system", () => {
  for (const n of [1, 2, 5, 40]) {
    const { lower, diag, upper } = diagonallyDominant(n, 100 + n);
    const r = rng(n);
    const column = Float64Array.from({ length: n }, () => r() - 0.5);
    const row = Float64Array.from({ length: n }, () => r() - 0.5);
    const corner = 3 + r();
    const f = Float64Array.from({ length: n }, () => r() - 0.5);
    const g = r();
    const x = new Float64Array(n);
    const y = solveBorderedTridiagonal(
      lower,
      diag,
      upper,
      column,
      row,
      corner,
      f,
      g,
      x,
      new Float64Array(3 * n),
    );
    // reference: full matrix as a banded matrix with full bandwidth
    const N = n + 1;
    const A = new BandedMatrix(N, N - 1, N - 1);
    for (let i = 0; i < n; i++) {
      A.set(i, i, diag[i]);
      if (i > 0) A.set(i, i - 1, lower[i]);
      if (i < n - 1) A.set(i, i + 1, upper[i]);
      A.set(i, n, column[i]);
      A.set(n, i, row[i]);
    }
    A.set(n, n, corner);
    const b = new Float64Array(N);
    b.set(f);
    b[n] = g;
    A.factor();
    A.solve(b);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(x[i] - b[i]) < 1e-12, `n=${n} x[${i}]`);
    assert.ok(Math.abs(y - b[n]) < 1e-12);
  }
});

test("bordered solve works in place (x aliases f)", () => {
  const n = 6;
  const { lower, diag, upper } = diagonallyDominant(n, 3);
  const column = new Float64Array(n).fill(0.1);
  const row = new Float64Array(n).fill(-0.2);
  const f = Float64Array.from([1, 2, 3, 4, 5, 6]);
  const x = new Float64Array(n);
  const y1 = solveBorderedTridiagonal(lower, diag, upper, column, row, 2, f, 1, x, new Float64Array(3 * n));
  const y2 = solveBorderedTridiagonal(lower, diag, upper, column, row, 2, f, 1, f, new Float64Array(3 * n));
  assert.equal(y1, y2);
  assert.deepEqual(Array.from(f), Array.from(x));
});

test("zero pivot throws", () => {
  const z = new Float64Array(2);
  assert.throws(() => solveTridiagonal(z, z, z, z, new Float64Array(2), new Float64Array(2)), /pivot/);
});
