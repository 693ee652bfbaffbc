import assert from "node:assert/strict";
import { test } from "node:test";
import { ConvergenceError } from "../../src/errors.js";
import { brent, brentq } from "../../src/numerics/roots.js";

test("brentq finds closed-form roots within scipy's default tolerance (2e-12 + 4·eps·|x|)", () => {
  const cases: [(x: number) => number, number, number, number][] = [
    [(x) => x * x - 2, 0, 2, Math.SQRT2],
    [(x) => Math.cos(x) - x, 0, 1, 0.7390851332151607],
    [(x) => Math.exp(x) - 10, -5, 5, Math.log(10)],
    [(x) => (x - 0.3) ** 3 + (x - 0.3), 0, 2, 0.3],
    [(x) => Math.tan(x) - 1e-3, -1, 1.2, Math.atan(1e-3)],
  ];
  for (const [f, a, b, root] of cases) {
    const r = brent(f, a, b);
    assert.ok(r.converged);
    // the returned point is within the final bracket half-width bound of the true root
    assert.ok(
      Math.abs(r.root - root) <= 2e-12 + 4 * 2.22e-16 * Math.abs(root) + 1e-15,
      `${r.root} vs ${root}`,
    );
  }
});

test("brent honours a loose xTol (stops early) and reports iterations", () => {
  const loose = brent((x) => x * x - 2, 0, 2, { xTol: 1e-3 });
  const tight = brent((x) => x * x - 2, 0, 2);
  assert.ok(Math.abs(loose.root - Math.SQRT2) < 1e-3);
  assert.ok(loose.iterations <= tight.iterations);
});

test("brent: endpoints that are roots, bad brackets, non-convergence", () => {
  assert.equal(
    brentq((x) => x - 1, 1, 3),
    1,
  );
  assert.throws(() => brentq((x) => x * x + 1, -1, 1), /opposite signs/);
  assert.throws(() => brentq((x) => Math.exp(x) - 2, 0, 1, { maxIterations: 2 }), ConvergenceError);
  // x³ on [−1, 2]: the triple root defeats the interpolation steps; scipy.optimize.brentq also
  // reports "Failed to converge after 100 iterations" here (checked with scipy 1.17).
  const triple = brent((x) => x ** 3, -1, 2);
  assert.equal(triple.converged, false);
  assert.equal(triple.iterations, 100);
});

test("brent converges superlinearly on a smooth root (≤ 12 evaluations for sqrt(2))", () => {
  const r = brent((x) => x * x - 2, 1, 2);
  // bisection alone needs ~40 halvings of [1, 2] to reach 2e-12
  assert.ok(r.evaluations <= 12, `${r.evaluations}`);
});
