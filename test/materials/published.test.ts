/**
 * The published material functions against an independent re-typing of the same equations in
 * Python (scripts/fixtures/materials_reference.py; derivatives by complex step) and against the
 * spot values printed in REFERENCE.md §1.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { kimOpenCircuitPotential, NCA } from "../../src/materials/nca.js";
import { mohtatOpenCircuitPotential } from "../../src/materials/nmc111.js";
import {
  colclasureExchangeShape,
  colclasureLog10Diffusivity,
  colclasureOpenCircuitPotential,
} from "../../src/materials/nmc532.js";
import {
  NMC811,
  nmc811Diffusivity,
  nmc811ExchangeCurrentDensity,
  nmc811OpenCircuitPotential,
  nmc811OpenCircuitPotentialDerivative,
} from "../../src/materials/nmc811.js";

interface Row {
  x: number;
  value: number;
  derivative?: number;
}
const ref = JSON.parse(
  readFileSync(new URL("../fixtures/materials/reference.json", import.meta.url), "utf8"),
) as Record<string, Row[]>;

function close(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= rel * Math.abs(expected),
    `${what}: ${actual} vs ${expected} (rel ${(Math.abs(actual - expected) / Math.abs(expected)).toExponential(2)})`,
  );
}

// The OCV polynomials (Colclasure: 14th order with coefficients ~1e4) lose ~1e-12 relative to
// cancellation whatever the evaluation order (Horner here, term by term in NumPy): 1e-10 relative
// for values. Derivatives are compared to complex-step ones at 1e-9 relative.
test("NMC811 OCV (Chen 2020) and dU/ds match the Python reference", () => {
  for (const r of ref.chenU) {
    close(nmc811OpenCircuitPotential(r.x), r.value, 1e-12, `U(${r.x})`);
    close(nmc811OpenCircuitPotentialDerivative(r.x), r.derivative!, 1e-9, `dU/ds(${r.x})`);
  }
});

test("NMC811 D and j0 (O'Regan 2022) match the Python reference, incl. temperature and c_e", () => {
  for (const r of ref.oreganD) close(nmc811Diffusivity(r.x, 298.15), r.value, 1e-12, `D(${r.x})`);
  for (const r of ref.oreganD_318K) close(nmc811Diffusivity(r.x, 318.15), r.value, 1e-12, `D(${r.x}, 318 K)`);
  // j0: our s and 1−s pass through softPositive(ε = 1e-3): relative change ≤ 0.57·ε²/(4·0.1²) = 1.4e-5
  // at s = 0.9, so compare at 2e-5.
  for (const r of ref.oreganJ0)
    close(nmc811ExchangeCurrentDensity(r.x, 1000, 298.15), r.value, 2e-5, `j0(${r.x})`);
  for (const r of ref.oreganJ0_ce1500_318K)
    close(nmc811ExchangeCurrentDensity(r.x, 1500, 318.15), r.value, 2e-5, `j0(${r.x}, 1500, 318 K)`);
});

test("NMC811 spot values of REFERENCE §1 to 4 significant digits", () => {
  const s = [0.3, 0.5, 0.7, 0.9];
  const U = [4.2054, 3.972, 3.7304, 3.5682];
  const D = [4.27e-15, 7.26e-15, 3.91e-15, 3.6e-15];
  const j0 = [2.445, 2.514, 2.171, 1.293];
  s.forEach((x, i) => {
    // Printed with 4–5 significant digits: half a unit in the last printed digit.
    assert.ok(Math.abs(NMC811.openCircuitPotential(x) - U[i]) <= 0.5e-4 + 1e-12, `U(${x})`);
    close(NMC811.chemicalDiffusivity(x), D[i], 0.5e-2 / 4.27, `D(${x})`);
    assert.ok(Math.abs(NMC811.exchangeCurrentDensity(x, 1000, 298.15) - j0[i]) <= 0.5e-3 + 1e-9, `j0(${x})`);
  });
  // Chen 2020 U at s = 0.25 … 0.9 (3 decimals printed).
  const chen = [4.337, 4.205, 4.175, 4.105, 3.972, 3.824, 3.73, 3.649, 3.568];
  const sChen = [0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
  sChen.forEach((x, i) => {
    assert.ok(Math.abs(NMC811.openCircuitPotential(x) - chen[i]) <= 0.5e-3 + 1e-9, `Chen U(${x})`);
  });
});

test("Mohtat 2020 OCP (used for NMC111) matches the Python reference", () => {
  for (const r of ref.mohtatU) {
    close(mohtatOpenCircuitPotential.value(r.x), r.value, 1e-12, `U(${r.x})`);
    close(mohtatOpenCircuitPotential.derivative(r.x), r.derivative!, 1e-9, `dU(${r.x})`);
  }
});

test("Colclasure 2020 NMC532 OCV, D and i0 shape match the Python reference", () => {
  for (const r of ref.colclasureU) {
    close(colclasureOpenCircuitPotential.value(r.x), r.value, 1e-10, `U(${r.x})`);
    // Derivative of a polynomial with ~1e4 coefficients: cancellation ~1e-11 absolute on |dU| ≥ 0.3.
    assert.ok(
      Math.abs(colclasureOpenCircuitPotential.derivative(r.x) - r.derivative!) <=
        1e-8 * (1 + Math.abs(r.derivative!)),
      `dU(${r.x})`,
    );
  }
  for (const r of ref.colclasureD) close(10 ** colclasureLog10Diffusivity(r.x), r.value, 1e-9, `D(${r.x})`);
  for (const r of ref.colclasureShape)
    assert.ok(Math.abs(colclasureExchangeShape(r.x) - r.value) <= 1e-10 * 40, `shape(${r.x})`);
});

test("Kim 2011 NCA OCV matches the Python reference inside its fitted range", () => {
  for (const r of ref.kimU) {
    close(kimOpenCircuitPotential.value(r.x), r.value, 1e-11, `U(${r.x})`);
    close(kimOpenCircuitPotential.derivative(r.x), r.derivative!, 1e-8, `dU(${r.x})`);
    // NCA material uses the uncontinued fit on [0.30, 0.975].
    close(NCA.openCircuitPotential(r.x), r.value, 1e-11, `NCA U(${r.x})`);
  }
});
