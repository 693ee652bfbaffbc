import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  graphPattern,
  IncompleteCholesky,
  JacobiPreconditioner,
  ScaledPcgWorkspace,
  scaledPcg,
} from "../../src/electrode/linear.js";
import { Xoshiro128 } from "../../src/electrode/random.js";

/** Fill a graph-Laplacian + diagonal matrix from edge conductances and node leaks. */
function fill(n: number, a: Int32Array, b: Int32Array, g: Float64Array, leak: Float64Array) {
  const { matrix, upper, lower } = graphPattern(n, a, b);
  for (let e = 0; e < a.length; e++) {
    matrix.values[matrix.diagPos[a[e]]] += g[e];
    if (b[e] >= 0) {
      matrix.values[matrix.diagPos[b[e]]] += g[e];
      matrix.values[upper[e]] -= g[e];
      matrix.values[lower[e]] -= g[e];
    }
  }
  for (let i = 0; i < n; i++) matrix.values[matrix.diagPos[i]] += leak[i];
  return matrix;
}

/** Dense Gaussian elimination (reference). */
function denseSolve(n: number, A: Float64Array, b: Float64Array): Float64Array {
  const M = A.slice();
  const x = b.slice();
  for (let k = 0; k < n; k++) {
    for (let i = k + 1; i < n; i++) {
      const f = M[i * n + k] / M[k * n + k];
      for (let j = k; j < n; j++) M[i * n + j] -= f * M[k * n + j];
      x[i] -= f * x[k];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let j = i + 1; j < n; j++) s -= M[i * n + j] * x[j];
    x[i] = s / M[i * n + i];
  }
  return x;
}

describe("network linear algebra", () => {
  it("IC(0) is exact on a chain (a tree has no fill): PCG converges in one iteration", () => {
    const n = 50;
    const a = Int32Array.from({ length: n }, (_, i) => i);
    const b = Int32Array.from({ length: n }, (_, i) => (i === 0 ? -1 : i - 1));
    const g = Float64Array.from({ length: n }, (_, i) => 10 ** ((i % 7) - 3)); // conductances over 7 decades
    const A = fill(n, a, b, g, new Float64Array(n).fill(1e-9));
    const M = new IncompleteCholesky(A);
    M.refactor();
    const rhs = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const x = new Float64Array(n);
    const r = scaledPcg(A, rhs, x, M, new ScaledPcgWorkspace(n), 1e-12, 100);
    assert.ok(r.converged);
    assert.ok(r.iterations <= 2, `${r.iterations} iterations`);
  });

  it("solves a random conduction network with conductances over 9 decades like a dense solver", () => {
    const rng = new Xoshiro128(3);
    const n = 120;
    const ea: number[] = [];
    const eb: number[] = [];
    const eg: number[] = [];
    for (let i = 1; i < n; i++) {
      // a random spanning tree plus random extra links, some to the collector (−1)
      ea.push(i);
      eb.push(rng.integer(i));
      eg.push(10 ** rng.range(-9, 0));
      if (rng.uniform() < 0.5) {
        ea.push(i);
        eb.push(rng.integer(i));
        eg.push(10 ** rng.range(-9, 0));
      }
    }
    ea.push(0);
    eb.push(-1);
    eg.push(1);
    const a = Int32Array.from(ea);
    const b = Int32Array.from(eb);
    const g = Float64Array.from(eg);
    const leak = Float64Array.from({ length: n }, () => 10 ** rng.range(-12, -8));
    const A = fill(n, a, b, g, leak);
    const dense = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let q = A.rowPtr[i]; q < A.rowPtr[i + 1]; q++) dense[i * n + A.colIdx[q]] = A.values[q];
    const rhs = Float64Array.from({ length: n }, (_, i) => leak[i] * Math.cos(i));
    const ref = denseSolve(n, dense, rhs);
    for (const M of [new IncompleteCholesky(A), new JacobiPreconditioner(A)]) {
      M.refactor();
      const x = new Float64Array(n);
      const r = scaledPcg(A, rhs, x, M, new ScaledPcgWorkspace(n), 1e-13, 5000);
      assert.ok(r.converged);
      // scaled residual 1e-13 V per node; the potentials agree to ~1e-10 V (conditioning of the
      // 9-decade network amplifies the residual by at most ~1e3 here)
      for (let i = 0; i < n; i++) assert.ok(Math.abs(x[i] - ref[i]) < 1e-9, `${i}: ${x[i]} vs ${ref[i]}`);
    }
  });
});
