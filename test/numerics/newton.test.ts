import assert from "node:assert/strict";
import { test } from "node:test";
import { type NewtonProblem, NewtonWorkspace, newtonSolve } from "../../src/numerics/newton.js";
import { solveTridiagonal } from "../../src/numerics/tridiagonal.js";

/** Broyden's tridiagonal function (Moré, Garbow & Hillstrom 1981, problem 30). */
function broyden(n: number): NewtonProblem {
  const lower = new Float64Array(n);
  const diag = new Float64Array(n);
  const upper = new Float64Array(n);
  const work = new Float64Array(n);
  return {
    n,
    residual(x, out) {
      for (let i = 0; i < n; i++) {
        const left = i > 0 ? x[i - 1] : 0;
        const right = i < n - 1 ? x[i + 1] : 0;
        out[i] = (3 - 2 * x[i]) * x[i] - left - 2 * right + 1;
      }
    },
    solveJacobian(x, rhs, dx) {
      for (let i = 0; i < n; i++) {
        lower[i] = -1;
        diag[i] = 3 - 4 * x[i];
        upper[i] = -2;
      }
      solveTridiagonal(lower, diag, upper, rhs, dx, work);
      return true;
    },
  };
}

test("Newton with a tridiagonal Jacobian solve converges quadratically on Broyden's function", () => {
  const n = 50;
  const x = new Float64Array(n).fill(-1);
  const res = newtonSolve(broyden(n), x, { absTol: 1e-13 });
  assert.ok(res.converged, res.reason);
  assert.equal(res.reason, "residual");
  const h = res.residualNorms;
  assert.equal(h.length, res.iterations + 1);
  // quadratic convergence: ‖F_{k+1}‖ ≤ C‖F_k‖² with a modest C once in the basin
  for (let k = 1; k < h.length - 1; k++) {
    if (h[k] < 1e-2 && h[k + 1] > 1e-14)
      assert.ok(h[k + 1] <= 10 * h[k] * h[k], `k=${k}: ${h[k]} → ${h[k + 1]}`);
  }
  const f = new Float64Array(n);
  broyden(n).residual(x, f);
  for (const v of f) assert.ok(Math.abs(v) < 1e-13);
});

const arctan: NewtonProblem = {
  n: 1,
  residual(x, out) {
    out[0] = Math.atan(x[0]);
  },
  solveJacobian(x, rhs, dx) {
    dx[0] = rhs[0] * (1 + x[0] * x[0]);
    return true;
  },
};

test("line search rescues Newton on atan(x) from x0 = 3 where the pure iteration diverges", () => {
  const pure = newtonSolve(arctan, Float64Array.of(3), { lineSearch: false, maxIterations: 8 });
  assert.equal(pure.converged, false);
  const x = Float64Array.of(3);
  const damped = newtonSolve(arctan, x);
  assert.ok(damped.converged, damped.reason);
  assert.ok(Math.abs(x[0]) < 1e-10);
  assert.ok(damped.stepLengths[0] < 1, "first step must have been shortened");
  // residual norms decrease monotonically under the Armijo condition
  for (let k = 1; k < damped.residualNorms.length; k++)
    assert.ok(damped.residualNorms[k] < damped.residualNorms[k - 1]);
});

test("diagnostics: singular Jacobian, non-finite start, iteration limit, workspace reuse", () => {
  const singular: NewtonProblem = {
    n: 1,
    residual(x, out) {
      out[0] = x[0] * x[0] + 1;
    },
    solveJacobian: () => false,
  };
  assert.equal(newtonSolve(singular, Float64Array.of(1)).reason, "singularJacobian");
  const nan: NewtonProblem = { ...arctan, residual: (_x, out) => void (out[0] = Number.NaN) };
  assert.equal(newtonSolve(nan, Float64Array.of(1)).reason, "nonFinite");
  const limited = newtonSolve(broyden(10), new Float64Array(10).fill(-1), {
    maxIterations: 1,
    absTol: 1e-15,
  });
  assert.equal(limited.reason, "maxIterations");
  const ws = new NewtonWorkspace(10);
  for (let rep = 0; rep < 3; rep++) {
    const r = newtonSolve(broyden(10), new Float64Array(10).fill(-1), {}, ws);
    assert.ok(r.converged);
  }
  assert.throws(() => newtonSolve(broyden(5), new Float64Array(5), {}, ws), /workspace/);
});
