import assert from "node:assert/strict";
import { test } from "node:test";
import { BandedMatrix } from "../../src/numerics/banded.js";
import {
  csrFromTriplets,
  csrGet,
  csrMultiply,
  incompleteCholeskyPreconditioner,
  PcgWorkspace,
  pcg,
} from "../../src/numerics/sparse.js";

/** 5-point Laplacian on an nx×ny grid with Dirichlet boundaries and anisotropic spacing. */
function laplacian2d(nx: number, ny: number, hx: number, hy: number) {
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  const push = (r: number, c: number, v: number) => {
    rows.push(r);
    cols.push(c);
    vals.push(v);
  };
  const id = (i: number, j: number) => i + nx * j;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = id(i, j);
      const cx = 1 / (hx * hx);
      const cy = 1 / (hy * hy);
      push(k, k, 2 * cx + 2 * cy);
      if (i > 0) push(k, id(i - 1, j), -cx);
      if (i < nx - 1) push(k, id(i + 1, j), -cx);
      if (j > 0) push(k, id(i, j - 1), -cy);
      if (j < ny - 1) push(k, id(i, j + 1), -cy);
    }
  }
  return csrFromTriplets(nx * ny, nx * ny, rows, cols, vals);
}

test("CSR assembly sums duplicates and sorts columns", () => {
  const A = csrFromTriplets(2, 3, [1, 0, 1, 0, 1], [2, 1, 0, 1, 2], [1, 2, 3, 4, 5]);
  assert.deepEqual(Array.from(A.rowPtr), [0, 1, 3]);
  assert.deepEqual(Array.from(A.colIdx), [1, 0, 2]);
  assert.deepEqual(Array.from(A.values), [6, 3, 6]);
  assert.equal(csrGet(A, 1, 2), 6);
  assert.equal(csrGet(A, 0, 0), 0);
  const y = new Float64Array(2);
  csrMultiply(A, Float64Array.of(1, 1, 1), y);
  assert.deepEqual(Array.from(y), [6, 9]);
});

test("PCG on a 2D Laplacian agrees with a direct banded LU solve; IC(0) beats Jacobi", () => {
  const nx = 24;
  const ny = 20;
  const n = nx * ny;
  const A = laplacian2d(nx, ny, 1 / (nx + 1), 0.5 / (ny + 1));
  const b = new Float64Array(n);
  for (let k = 0; k < n; k++) b[k] = Math.sin(0.37 * k) + 0.5;
  // direct reference: the same matrix as a band matrix (bandwidth nx)
  const B = new BandedMatrix(n, nx, nx);
  for (let i = 0; i < n; i++)
    for (let p = A.rowPtr[i]; p < A.rowPtr[i + 1]; p++) B.set(i, A.colIdx[p], A.values[p]);
  const direct = Float64Array.from(b);
  B.factor();
  B.solve(direct);
  let refNorm = 0;
  for (const v of direct) refNorm = Math.max(refNorm, Math.abs(v));

  const ws = new PcgWorkspace(n);
  const iterations: Record<string, number> = {};
  for (const pre of ["none", "jacobi", "ic0"] as const) {
    const x = new Float64Array(n);
    const res = pcg(A, b, x, { preconditioner: pre, relTol: 1e-12, workspace: ws });
    assert.ok(res.converged, pre);
    assert.ok(res.relativeResidual < 1e-11);
    iterations[pre] = res.iterations;
    // κ(A) ≈ 1e3 here: relative residual 1e-12 → solution error ≲ 1e-9 relative
    for (let k = 0; k < n; k++) assert.ok(Math.abs(x[k] - direct[k]) < 1e-9 * refNorm, `${pre} k=${k}`);
  }
  assert.ok(iterations.ic0 < iterations.jacobi, JSON.stringify(iterations));
  // CG on an SPD n×n system terminates in ≤ n steps in exact arithmetic; far fewer here
  assert.ok(iterations.none < n);
});

test("IC(0) of a tridiagonal SPD matrix is the exact Cholesky factor (one PCG iteration)", () => {
  const n = 30;
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  const push = (r: number, c: number, v: number) => {
    rows.push(r);
    cols.push(c);
    vals.push(v);
  };
  for (let i = 0; i < n; i++) {
    push(i, i, 2.5);
    if (i > 0) push(i, i - 1, -1);
    if (i < n - 1) push(i, i + 1, -1);
  }
  const A = csrFromTriplets(n, n, rows, cols, vals);
  const M = incompleteCholeskyPreconditioner(A);
  assert.equal(M.shift, 0);
  const b = new Float64Array(n).fill(1);
  const x = new Float64Array(n);
  const res = pcg(A, b, x, { preconditioner: M });
  // no fill-in for a tridiagonal matrix, so M = A and PCG converges in one step
  assert.equal(res.iterations, 1);
  assert.ok(res.relativeResidual < 1e-12);
});

test("PCG returns at once for a zero right-hand side and respects the iteration cap", () => {
  const A = laplacian2d(5, 5, 1, 1);
  const x = new Float64Array(25);
  assert.equal(pcg(A, new Float64Array(25), x).iterations, 0);
  const capped = pcg(A, new Float64Array(25).fill(1), new Float64Array(25), {
    maxIterations: 2,
    preconditioner: "none",
  });
  assert.equal(capped.converged, false);
  assert.equal(capped.iterations, 2);
});
