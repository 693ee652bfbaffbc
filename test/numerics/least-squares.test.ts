import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  type LeastSquaresProblem,
  leastSquares,
  studentTQuantile,
} from "../../src/numerics/least-squares.js";
import { normalQuantile } from "../../src/numerics/statistics.js";

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/numerics/least-squares.json", import.meta.url), "utf8"),
) as {
  t: number[];
  y: number[];
  curveFit: { params: number[]; covariance: number[][]; cost: number };
  bounded: { tauMax: number; params: number[]; cost: number };
  tQuantiles: { p: number; dof: number; t: number }[];
  normalQuantiles: { p: number; z: number }[];
};

function relClose(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= rel * Math.abs(expected),
    `${what}: ${actual} vs ${expected} (rel ${Math.abs(actual - expected) / Math.abs(expected)})`,
  );
}

const rosenbrock: LeastSquaresProblem = {
  nResiduals: 2,
  residual(p, out) {
    out[0] = 10 * (p[1] - p[0] * p[0]);
    out[1] = 1 - p[0];
  },
};

test("Rosenbrock from (−1.2, 1) converges to (1, 1) with zero cost", () => {
  const res = leastSquares(rosenbrock, [-1.2, 1]);
  assert.ok(res.converged, res.message);
  // zero-residual problem: Gauss–Newton converges quadratically, so the minimiser is reached
  // to near round-off; 1e-9 leaves margin for the tolerance-based stop.
  assert.ok(Math.abs(res.params[0] - 1) < 1e-9 && Math.abs(res.params[1] - 1) < 1e-9, `${res.params}`);
  assert.ok(res.cost < 1e-20);
  assert.equal(res.jacobian.length, 4);
});

test("Rosenbrock with an analytic Jacobian gives the same answer in fewer evaluations", () => {
  const withJ: LeastSquaresProblem = {
    ...rosenbrock,
    jacobian(p, J) {
      J[0] = -20 * p[0];
      J[1] = 10;
      J[2] = -1;
      J[3] = 0;
    },
  };
  const a = leastSquares(withJ, [-1.2, 1]);
  const b = leastSquares(rosenbrock, [-1.2, 1]);
  assert.ok(a.converged);
  assert.ok(Math.abs(a.params[0] - 1) < 1e-9);
  assert.ok(a.evaluations < b.evaluations);
});

function decayProblem(t: number[], y: number[]): LeastSquaresProblem {
  return {
    nResiduals: t.length,
    residual(p, out) {
      for (let i = 0; i < t.length; i++) out[i] = p[0] * Math.exp(-t[i] / p[1]) + p[2] - y[i];
    },
  };
}

test("exponential decay fit matches scipy curve_fit parameters and covariance", () => {
  const res = leastSquares(decayProblem(fixture.t, fixture.y), [1, 1, 0]);
  assert.ok(res.converged, res.message);
  // Both solvers converge the same smooth problem to ~1e-10 relative; parameters agree to 1e-7
  // (limited by scipy's own stopping, not ours).
  for (let j = 0; j < 3; j++) relClose(res.params[j], fixture.curveFit.params[j], 1e-7, `param ${j}`);
  relClose(res.cost, fixture.curveFit.cost, 1e-9, "cost");
  // Covariance: scipy uses a forward-difference Jacobian (relative error ~1e-8) from MINPACK;
  // ours uses central differences. Entries agree to 1e-5 relative.
  for (let a = 0; a < 3; a++)
    for (let b = 0; b < 3; b++)
      relClose(res.covariance[a * 3 + b], fixture.curveFit.covariance[a][b], 1e-5, `cov[${a}][${b}]`);
  assert.deepEqual(res.identifiable, [true, true, true]);
  assert.equal(res.dof, fixture.t.length - 3);
  // half-width = t_{0.975, 38} · SE
  const t975 = fixture.tQuantiles.find((q) => q.p === 0.975 && q.dof === 38)!.t;
  for (let j = 0; j < 3; j++) {
    relClose(res.standardErrors[j], Math.sqrt(fixture.curveFit.covariance[j][j]), 1e-5, `se ${j}`);
    relClose(res.confidenceInterval95[j], t975 * res.standardErrors[j], 1e-12, `ci ${j}`);
  }
});

test("exponential decay with an analytic Jacobian: same covariance", () => {
  const base = decayProblem(fixture.t, fixture.y);
  const problem: LeastSquaresProblem = {
    ...base,
    jacobian(p, J) {
      for (let i = 0; i < fixture.t.length; i++) {
        const e = Math.exp(-fixture.t[i] / p[1]);
        J[i * 3] = e;
        J[i * 3 + 1] = (p[0] * e * fixture.t[i]) / (p[1] * p[1]);
        J[i * 3 + 2] = 1;
      }
    },
  };
  const res = leastSquares(problem, [1, 1, 0]);
  for (let a = 0; a < 3; a++)
    for (let b = 0; b < 3; b++)
      relClose(res.covariance[a * 3 + b], fixture.curveFit.covariance[a][b], 1e-5, `cov[${a}][${b}]`);
});

test("upper bound active at the solution: matches scipy least_squares (trf) with the same bound", () => {
  const tauMax = fixture.bounded.tauMax;
  const res = leastSquares(decayProblem(fixture.t, fixture.y), [1, 1, 0], {
    lower: [Number.NEGATIVE_INFINITY, 0.1, Number.NEGATIVE_INFINITY],
    upper: [Number.POSITIVE_INFINITY, tauMax, Number.POSITIVE_INFINITY],
  });
  assert.ok(res.converged, res.message);
  assert.equal(res.params[1], tauMax); // projected iterates sit exactly on the bound
  assert.deepEqual(res.activeBounds, [false, true, false]);
  // the other two parameters are the linear least-squares optimum given τ = τmax
  for (const j of [0, 2]) relClose(res.params[j], fixture.bounded.params[j], 1e-8, `param ${j}`);
  relClose(res.cost, fixture.bounded.cost, 1e-10, "cost");
});

test("bounds are never violated during the search", () => {
  const seen: number[] = [];
  const base = decayProblem(fixture.t, fixture.y);
  const problem: LeastSquaresProblem = {
    nResiduals: base.nResiduals,
    residual(p, out) {
      seen.push(p[1]);
      base.residual(p, out);
    },
  };
  leastSquares(problem, [5, 3, 0], { lower: [0, 1.0, -1], upper: [10, 1.2, 1] });
  assert.ok(seen.every((v) => v >= 1.0 && v <= 1.2));
});

test("fixed parameters stay at p0 and get zero covariance rows", () => {
  const res = leastSquares(decayProblem(fixture.t, fixture.y), [2, 1.7, 0.3], {
    fixed: [false, true, false],
  });
  assert.ok(res.converged, res.message);
  assert.equal(res.params[1], 1.7);
  for (let j = 0; j < 3; j++) {
    assert.equal(res.covariance[1 * 3 + j], 0);
    assert.equal(res.covariance[j * 3 + 1], 0);
  }
  assert.equal(res.standardErrors[1], 0);
  assert.equal(res.dof, fixture.t.length - 2);
  // With τ fixed the model is linear in A and C: compare with the normal equations.
  let s11 = 0;
  let s12 = 0;
  let s22 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let i = 0; i < fixture.t.length; i++) {
    const e = Math.exp(-fixture.t[i] / 1.7);
    s11 += e * e;
    s12 += e;
    s22 += 1;
    b1 += e * fixture.y[i];
    b2 += fixture.y[i];
  }
  const det = s11 * s22 - s12 * s12;
  // linear problem solved by LM to the gradient tolerance: 1e-9 relative
  relClose(res.params[0], (b1 * s22 - s12 * b2) / det, 1e-9, "A");
  relClose(res.params[2], (s11 * b2 - s12 * b1) / det, 1e-9, "C");
});

test("rank-deficient problem: the product a·b is fitted, a and b are flagged non-identifiable", () => {
  const x = [0, 1, 2, 3, 4, 5];
  const y = x.map((v) => 6 * v + 1 + 0.01 * Math.sin(7 * v));
  const problem: LeastSquaresProblem = {
    nResiduals: x.length,
    residual(p, out) {
      for (let i = 0; i < x.length; i++) out[i] = p[0] * p[1] * x[i] + p[2] - y[i];
    },
  };
  const res = leastSquares(problem, [1, 2, 0]);
  assert.deepEqual(res.identifiable, [false, false, true]);
  // the identifiable combination is still fitted correctly (slope ≈ 6 within the tiny sine noise)
  assert.ok(Math.abs(res.params[0] * res.params[1] - 6) < 0.01);
  for (const v of res.covariance) assert.ok(Number.isFinite(v));
  for (const v of res.standardErrors) assert.ok(Number.isFinite(v));
});

test("a parameter that does not enter the residuals is non-identifiable", () => {
  const problem: LeastSquaresProblem = {
    nResiduals: 3,
    residual(p, out) {
      out[0] = p[0] - 1;
      out[1] = 2 * p[0] - 2.1;
      out[2] = p[0] + 0.05;
    },
  };
  const res = leastSquares(problem, [0, 5]);
  assert.deepEqual(res.identifiable, [true, false]);
  assert.equal(res.params[1], 5);
  for (const v of res.covariance) assert.ok(Number.isFinite(v));
});

test("studentTQuantile matches scipy.stats.t.ppf", () => {
  for (const q of fixture.tQuantiles) {
    const v = studentTQuantile(q.p, q.dof);
    // incomplete-beta continued fraction + Newton: 1e-11 relative (absolute 1e-13 at p = 0.5)
    assert.ok(Math.abs(v - q.t) <= 1e-11 * Math.abs(q.t) + 1e-13, `p=${q.p} dof=${q.dof}: ${v} vs ${q.t}`);
  }
  for (const q of fixture.normalQuantiles) {
    const v = normalQuantile(q.p);
    assert.ok(Math.abs(v - q.z) <= 1e-12 * Math.abs(q.z) + 1e-13, `p=${q.p}: ${v} vs ${q.z}`);
  }
});

test("scale invariance: parameters of 1e-14 or 1e10 magnitude (e.g. D in m²/s) fit like O(1) ones", () => {
  for (const s of [1e-14, 1e10]) {
    const problem: LeastSquaresProblem = {
      nResiduals: fixture.t.length,
      residual(p, out) {
        for (let i = 0; i < fixture.t.length; i++)
          out[i] = p[0] * 1e-6 * Math.exp(-fixture.t[i] / (p[1] / s)) + p[2] - fixture.y[i];
      },
    };
    const res = leastSquares(problem, [1e6, s, 0], { lower: [0, 0, -1], upper: [1e8, 100 * s, 1] });
    assert.ok(res.converged, res.message);
    // Moré scaling makes LM unit-invariant: same answer as the O(1) fit to ~1e-8 (stopping rule)
    relClose(res.params[0] * 1e-6, fixture.curveFit.params[0], 1e-8, "A");
    relClose(res.params[1] / s, fixture.curveFit.params[1], 1e-8, "tau");
    relClose(res.standardErrors[1] / s, Math.sqrt(fixture.curveFit.covariance[1][1]), 1e-5, "se tau");
  }
});
