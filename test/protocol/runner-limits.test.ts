/**
 * The protocol runner's input limits: applied currents above MAX_C_RATE of the particle are
 * refused with the step's line and the C-rate they imply (a current in A meant for a cell), and
 * the charge of a step that passes none (a rest) is exactly 0, not round-off.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/errors.js";
import { getMaterial } from "../../src/materials/index.js";
import { simulateParticle } from "../../src/particle/simulate.js";
import { parseProtocol } from "../../src/protocol/parse.js";
import { checkAppliedCurrents, MAX_C_RATE } from "../../src/protocol/runner.js";

const NMC333 = getMaterial("NMC333");

test("checkAppliedCurrents: the C-rate implied by a current in A, the limit inclusive, C-rates and nested steps", () => {
  const capacity = 3.848e-5; // C: a 13.25 µm NMC333 particle holds 10.689 nAh
  // C-rate of 1 A = (1 A · 3600 s/h) / Q = 9.36e7 per hour
  const expected = 3600 / capacity;
  assert.throws(
    () => checkAppliedCurrents(parseProtocol("Rest for 1 min\nCharge at 1 A until 4.1 V"), capacity),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.line, 2);
      assert.equal(e.field, "current");
      assert.match(e.message, new RegExp(`${expected.toPrecision(3).replace("+", "\\+")}C`));
      assert.match(e.message, /"Charge at 1 A until 4\.1 V"/);
      return true;
    },
  );
  // exactly 50C passes, just above does not (current in A and as a C-rate)
  const at50 = (MAX_C_RATE * capacity) / 3600;
  checkAppliedCurrents(parseProtocol(`Charge at ${at50} A until 4.1 V`), capacity);
  assert.throws(
    () => checkAppliedCurrents(parseProtocol(`Charge at ${at50 * 1.01} A until 4.1 V`), capacity),
    InputError,
  );
  checkAppliedCurrents(parseProtocol("Discharge at 50C until 3 V"), capacity);
  assert.throws(() => checkAppliedCurrents(parseProtocol("Discharge at 60C until 3 V"), capacity), /60C/);
  // inside a repeat block and in a GITT pulse
  assert.throws(
    () =>
      checkAppliedCurrents(
        parseProtocol("Repeat 2 times: Rest for 1 min; Pulse charge at 2 mA for 10 min then rest for 1 h"),
        capacity,
      ),
    /2 mA|0\.002 A/,
  );
});

test("simulateParticle refuses 1 A on one particle before integrating; a rest passes exactly zero charge", () => {
  assert.throws(
    () =>
      simulateParticle({ material: NMC333, radius: 13.25e-6 }, parseProtocol("Charge at 1 A until 4.1 V")),
    (e: unknown) => e instanceof InputError && /above the 50C limit/.test(e.message),
  );
  const out = simulateParticle(
    { material: NMC333, radius: 13.25e-6 },
    parseProtocol("Charge at C/2 until 4.1 V; Rest for 10 min; Hold at 4.1 V for 1 min"),
  );
  assert.equal(out.summary.dischargeCapacity.C, 0);
  assert.ok(out.summary.chargeCapacity.C > 0.2 * out.summary.nominalCapacity.C);
});
