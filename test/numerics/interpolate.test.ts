import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { PchipInterpolant } from "../../src/numerics/interpolate.js";

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/numerics/pchip.json", import.meta.url), "utf8"),
) as {
  cases: { x: number[]; y: number[]; at: number[]; value: number[]; derivative: number[] }[];
};

test("PCHIP values and derivatives match scipy PchipInterpolator (incl. extrapolation)", () => {
  for (const c of fixture.cases) {
    const p = new PchipInterpolant(c.x, c.y);
    c.at.forEach((t, i) => {
      // same formulas, different operation order: a few ulp of the data scale (|y| ≤ 5, slopes ≤ 50)
      assert.ok(Math.abs(p.value(t) - c.value[i]) < 1e-13, `value at ${t}`);
      assert.ok(Math.abs(p.derivative(t) - c.derivative[i]) < 1e-12, `derivative at ${t}`);
    });
  }
});

test("PCHIP interpolates the nodes and preserves monotonicity (property)", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(fc.double({ min: 0.01, max: 3, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true })),
        {
          minLength: 2,
          maxLength: 12,
        },
      ),
      (steps) => {
        const x: number[] = [];
        const y: number[] = [];
        let xs = 0;
        let ys = 0;
        for (const [dx, dy] of steps) {
          xs += dx;
          ys += dy;
          x.push(xs);
          y.push(ys);
        }
        const p = new PchipInterpolant(x, y);
        for (let i = 0; i < x.length; i++)
          assert.ok(Math.abs(p.value(x[i]) - y[i]) <= 1e-12 * (1 + Math.abs(y[i])));
        let prev = Number.NEGATIVE_INFINITY;
        for (let k = 0; k <= 200; k++) {
          const t = x[0] + ((x[x.length - 1] - x[0]) * k) / 200;
          const v = p.value(t);
          // non-decreasing data → non-decreasing interpolant (Fritsch–Carlson); round-off allowance
          assert.ok(v >= prev - 1e-12 * (1 + Math.abs(v)));
          assert.ok(p.derivative(t) >= -1e-9);
          prev = v;
        }
      },
    ),
    { seed: 42, numRuns: 100 },
  );
});

test("PCHIP reproduces a straight line exactly", () => {
  const x = [0, 0.5, 2, 3.5, 4];
  const p = new PchipInterpolant(
    x,
    x.map((v) => 3 * v - 1),
  );
  for (const t of [-1, 0.2, 1.7, 3.9, 5]) {
    assert.ok(Math.abs(p.value(t) - (3 * t - 1)) < 1e-13);
    assert.ok(Math.abs(p.derivative(t) - 3) < 1e-13);
  }
});

test("PCHIP rejects unsorted or short input with InputError", () => {
  assert.throws(() => new PchipInterpolant([0, 2, 1], [1, 2, 3]), InputError);
  assert.throws(() => new PchipInterpolant([0], [1]), InputError);
  assert.throws(() => new PchipInterpolant([0, 1], [1, 2, 3]), InputError);
});
