import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { logTable, MonotoneCubic } from "../../src/materials/tabulated.js";

interface PchipCase {
  name: string;
  xs: number[];
  ys: number[];
  query: number[];
  values: number[];
  derivatives: number[];
}
const reference = JSON.parse(
  readFileSync(new URL("../fixtures/materials/reference.json", import.meta.url), "utf8"),
) as { pchip: PchipCase[] };

test("PCHIP matches SciPy's PchipInterpolator (values and derivatives)", () => {
  // Same algorithm, same floating-point operations up to ordering: agreement to ~1e-13 of the
  // data scale; 1e-12 leaves room for summation order.
  for (const c of reference.pchip) {
    const spline = new MonotoneCubic(c.xs, c.ys);
    const scale = Math.max(...c.ys.map(Math.abs), 1);
    c.query.forEach((x, i) => {
      assert.ok(Math.abs(spline.value(x) - c.values[i]) <= 1e-12 * scale, `${c.name} value at ${x}`);
      const dscale = Math.max(...c.derivatives.map(Math.abs), 1);
      assert.ok(
        Math.abs(spline.derivative(x) - c.derivatives[i]) <= 1e-11 * dscale,
        `${c.name} slope at ${x}`,
      );
    });
  }
});

test("PCHIP reproduces the knots and accepts unsorted input", () => {
  const spline = new MonotoneCubic([1, 0, 0.5], [3, 1, 2]);
  assert.equal(spline.value(0), 1);
  assert.equal(spline.value(0.5), 2);
  assert.equal(spline.value(1), 3);
});

test("PCHIP extrapolation: clamp keeps end values, linear continues with the end slope", () => {
  const clamp = new MonotoneCubic([0, 1, 2], [0, 1, 4], "clamp");
  assert.equal(clamp.value(-1), 0);
  assert.equal(clamp.value(3), 4);
  assert.equal(clamp.derivative(3), 0);
  const linear = new MonotoneCubic([0, 1, 2], [0, 1, 4], "linear");
  const slope = linear.derivative(2);
  assert.ok(Math.abs(linear.value(3) - (4 + slope)) < 1e-14);
});

test("PCHIP rejects bad tables", () => {
  assert.throws(() => new MonotoneCubic([0], [1]));
  assert.throws(() => new MonotoneCubic([0, 0], [1, 2]));
  assert.throws(() => new MonotoneCubic([0, 1], [1, Number.NaN]));
});

test("property: monotone data give a monotone interpolant without overshoot", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0.01, max: 10, noNaN: true }), { minLength: 2, maxLength: 12 }),
      fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 12, maxLength: 12 }),
      (steps, rises) => {
        const xs: number[] = [0];
        const ys: number[] = [0];
        steps.forEach((h, i) => {
          xs.push(xs[i] + h);
          ys.push(ys[i] + rises[i]);
        });
        const spline = new MonotoneCubic(xs, ys);
        let previous = -Infinity;
        const n = 400;
        for (let k = 0; k <= n; k++) {
          const x = (xs[xs.length - 1] * k) / n;
          const v = spline.value(x);
          // Non-decreasing up to round-off of the Hermite form (1e-12 of the data range).
          assert.ok(v >= previous - 1e-12 * (ys[ys.length - 1] + 1));
          assert.ok(v >= -1e-12 && v <= ys[ys.length - 1] * (1 + 1e-12) + 1e-12);
          previous = v;
        }
      },
    ),
    { numRuns: 200, seed: 20261122 },
  );
});

test("logTable interpolates in log space and stays positive", () => {
  const f = logTable([0, 1], [-4, 0]);
  assert.ok(Math.abs(f(0.5) / 1e-2 - 1) < 1e-12);
  // 10 ** -4 is one ulp below 1e-4 in double precision: compare relatively.
  assert.ok(Math.abs(f(-5) / 1e-4 - 1) < 1e-15 && f(5) === 1);
});
