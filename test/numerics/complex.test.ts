import assert from "node:assert/strict";
import { test } from "node:test";
import {
  complexCoth,
  complexDivide,
  complexExp,
  complexMultiply,
  complexSqrt,
  complexTanh,
} from "../../src/numerics/complex.js";

const out = new Float64Array(2);
const close = (re: number, im: number, tol = 1e-14) =>
  assert.ok(
    Math.abs(out[0] - re) <= tol && Math.abs(out[1] - im) <= tol,
    `${out[0]} ${out[1]} vs ${re} ${im}`,
  );

test("complex arithmetic identities", () => {
  complexMultiply(1, 2, 3, -4, out);
  close(11, 2);
  complexDivide(11, 2, 3, -4, out);
  close(1, 2);
  complexDivide(1e300, 1e300, 1e300, 1e300, out); // Smith's algorithm: no overflow
  close(1, 0);
  complexSqrt(-4, 0, out);
  close(0, 2);
  complexSqrt(0, 2, out); // √(2i) = 1 + i
  close(1, 1);
  complexExp(0, Math.PI, out);
  close(-1, 0, 1e-15);
});

test("tanh and coth: known values and no overflow for large arguments", () => {
  complexTanh(0, Math.PI / 4, out); // tanh(iπ/4) = i·tan(π/4) = i
  close(0, 1);
  complexTanh(1, 0, out);
  close(Math.tanh(1), 0);
  complexTanh(800, 3, out);
  close(1, 0);
  complexTanh(-800, 3, out);
  close(-1, 0);
  // coth(√(jω)) for large ω → 1 (finite-length Warburg high-frequency limit)
  complexSqrt(0, 1e8, out);
  complexCoth(out[0], out[1], out);
  close(1, 0);
  // tanh(x+iy) against the closed form via exponentials for moderate argument
  const x = 0.7;
  const y = -1.3;
  complexTanh(x, y, out);
  const den = Math.cosh(2 * x) + Math.cos(2 * y);
  close(Math.sinh(2 * x) / den, Math.sin(2 * y) / den);
});
