import assert from "node:assert/strict";
import { test } from "node:test";
import { getMaterial } from "../../src/materials/index.js";
import { runFracture } from "../../src/mechanics/fracture-run.js";
import { chargeLithiumHistory, historyAt, type LithiumHistory } from "../../src/mechanics/transport.js";
import { parseProtocol } from "../../src/protocol/parse.js";

const m = getMaterial("NMC811");

test("charge history: x(r) from the particle model, slow charge uniform, 1C graded, records interpolated", () => {
  const slow = chargeLithiumHistory(m, 7e-6, parseProtocol("Charge at C/50 until 4.5 V"));
  const fast = chargeLithiumHistory(m, 7e-6, parseProtocol("Charge at 1C until 4.5 V"));
  for (const h of [slow, fast]) {
    assert.equal(h.profiles.length, h.count * h.rho.length);
    assert.equal(h.rho[0], 0);
    assert.ok(Math.abs(h.rho[h.rho.length - 1] - 1) < 1e-12);
    for (let k = 1; k < h.count; k++) assert.ok(h.meanX[k] <= h.meanX[k - 1] + 1e-9);
    assert.ok(Math.abs(h.voltage[h.count - 1] - 4.5) < 1e-3);
    // interpolation reproduces a record exactly
    const k = Math.floor(h.count / 2);
    const s = historyAt(h, h.meanX[k]);
    assert.ok(
      Math.abs(s.voltage - h.voltage[k]) < 1e-9 * Math.max(1, Math.abs(h.voltage[k])) ||
        h.meanX[k + 1] === h.meanX[k],
    );
    assert.ok(Math.abs(s.centre - h.profiles[k * h.rho.length]) < 1e-9);
  }
  // measured (40 shells): C/50 ends with centre − surface 0.001 at 4.5 V, 1C with 0.166
  const endSlow = historyAt(slow, slow.meanX[slow.count - 1]);
  const endFast = historyAt(fast, fast.meanX[fast.count - 1]);
  assert.ok(endSlow.centre - endSlow.surface < 0.005, `C/50: ${endSlow.centre} vs ${endSlow.surface}`);
  assert.ok(endFast.centre - endFast.surface > 0.1, `1C: ${endFast.centre} vs ${endFast.surface}`);
  // at 1C the cut-off comes earlier: less Li extracted
  assert.ok(fast.meanX[fast.count - 1] > slow.meanX[slow.count - 1] + 0.02);
});

test("charge history refuses rests and discharges with the step named", () => {
  assert.throws(
    () => chargeLithiumHistory(m, 7e-6, parseProtocol("Charge at C/10 until 4.5 V; Rest for 1 h")),
    /step 2 is a rest/,
  );
  assert.throws(
    () => chargeLithiumHistory(m, 7e-6, parseProtocol("Discharge at C/10 until 3 V")),
    /discharge/,
  );
});

test("a fracture run driven by a uniform-profile history equals the uniform run", () => {
  // synthetic history: x uniform, mean x from 1 to x(4.5 V), voltage = U(x)
  const uniform = runFracture({
    material: m,
    dim: 2,
    cells: 32,
    particleRadius: 7e-6,
    grains: 20,
    steps: 5,
    seed: 2,
  });
  const count = 50;
  const rho = Float64Array.from({ length: 5 }, (_, i) => i / 4);
  const meanX = Float64Array.from({ length: count }, (_, k) => 1 + ((uniform.xEnd - 1) * k) / (count - 1));
  const h: LithiumHistory = {
    rho,
    count,
    time: Float64Array.from(meanX, (_, k) => k),
    meanX,
    voltage: Float64Array.from(meanX, (x) => m.openCircuitPotential(x)),
    profiles: Float64Array.from({ length: count * 5 }, (_, i) => meanX[Math.floor(i / 5)]),
  };
  const coupled = runFracture({
    material: m,
    dim: 2,
    cells: 32,
    particleRadius: 7e-6,
    grains: 20,
    steps: 5,
    seed: 2,
    lithiumHistory: h,
  });
  for (let s = 0; s < 5; s++) {
    const a = uniform.steps[s];
    const b = coupled.steps[s];
    assert.ok(Math.abs(a.x - b.x) < 1e-12);
    // the voltage is interpolated linearly between records of U(x): within 5 mV
    assert.ok(Math.abs(a.voltage - b.voltage) < 5e-3, `${a.voltage} vs ${b.voltage}`);
    assert.ok(
      Math.abs(a.meanDamage - b.meanDamage) < 1e-6 * Math.max(1, a.meanDamage),
      `${a.meanDamage} vs ${b.meanDamage}`,
    );
    assert.equal(b.centreX, b.surfaceX);
  }
});
