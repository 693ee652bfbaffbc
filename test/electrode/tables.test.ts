import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { viridis } from "../../src/electrode/figures.js";
import { opticalIntensities, opticalIntensity } from "../../src/electrode/optical.js";
import { FlatTable } from "../../src/electrode/tables.js";
import { getMaterial } from "../../src/materials/index.js";
import { FunctionTable } from "../../src/particle/lookup.js";

describe("FlatTable", () => {
  it("reproduces the particle model's Hermite table (value and derivative) to round-off", () => {
    const m = getMaterial("NMC532");
    const t = new FunctionTable((x) => m.chemicalDiffusivity(x), 0.1, 1);
    const f = new FlatTable(t);
    const d = new Float64Array(1);
    for (let k = 0; k <= 1000; k++) {
      const x = 0.1 + (0.9 * k) / 1000;
      const v = f.valueAndDerivative(x, d, 0);
      // same cubic on the same data: differences are round-off (relative 1e-12)
      assert.ok(Math.abs(v - t.value(x)) <= 1e-12 * Math.abs(t.value(x)), `${x}`);
      // relative 1e-9, or round-off of the table's largest slope (≈7e-14 m²/s; D is flat where
      // the monotone hull of src/materials/nmc532.ts levels it, and the slope there is ~1e-26)
      assert.ok(Math.abs(d[0] - t.derivative(x)) <= 1e-9 * Math.abs(t.derivative(x)) + 1e-24, `${x}`);
      assert.equal(f.value(x), v);
    }
    // clamped outside the range
    assert.equal(f.value(2), f.value(1));
  });
});

describe("virtual optical intensity", () => {
  it("is linear and decreasing in x between the calibration points", () => {
    assert.equal(opticalIntensity(1), 0.3);
    assert.ok(Math.abs(opticalIntensity(0.335) - 0.45) < 1e-15);
    const xs = [1, 0.9, 0.7, 0.5, 0.335];
    const i = opticalIntensities(xs);
    for (let k = 1; k < xs.length; k++) assert.ok(i[k] > i[k - 1]);
    assert.equal(opticalIntensity(0.5, { pristine: 0, charged: 1, xPristine: 1, xCharged: 0 }), 0.5);
    assert.equal(viridis(0), "rgb(68,1,84)");
    assert.equal(viridis(1), "rgb(253,231,37)");
  });
});
