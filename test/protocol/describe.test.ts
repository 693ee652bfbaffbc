import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { describeProtocol, describeStep, flattenProtocol, formatExact } from "../../src/protocol/describe.js";
import { parseProtocol, parseProtocolJson } from "../../src/protocol/parse.js";
import type { CurrentSpec, Protocol, Step, StopCondition } from "../../src/protocol/steps.js";
import { type Dimension, parseCRate, parseQuantity } from "../../src/units.js";

function strip<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === "source" ? undefined : v)));
}

// ---- generators: SI values exactly as the parser would produce them from written numbers ----

/** A decimal m/10^k written with one of `units`, converted to SI by units.ts. */
function quantity(dimension: Dimension, units: string[], sign = false): fc.Arbitrary<number> {
  return fc
    .tuple(
      fc.integer({ min: 1, max: 99_999 }),
      fc.integer({ min: 0, max: 4 }),
      fc.constantFrom(...units),
      sign ? fc.boolean() : fc.constant(false),
    )
    .map(([m, k, unit, negative]) =>
      parseQuantity(`${negative ? "-" : ""}${m / 10 ** k} ${unit}`, dimension),
    );
}

const voltage = quantity("voltage", ["V", "mV"]);
const time = quantity("time", ["s", "min", "h", "ms"]);
const currentA = quantity("current", ["A", "mA", "uA", "nA"]);
const rate = quantity("voltageRate", ["mV/h", "mV/min", "mV/s", "uV/s"]);
const charge = quantity("charge", ["mAh", "Ah", "uAh"]);
const frequency = quantity("frequency", ["Hz", "kHz", "mHz"]);
const cRate = fc.oneof(
  fc.integer({ min: 2, max: 5000 }).map((d) => parseCRate(`C/${d}`)),
  fc
    .tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 3 }))
    .map(([m, k]) => parseCRate(`${m / 10 ** k}C`)),
);
const current: fc.Arbitrary<CurrentSpec> = fc.oneof(
  cRate.map((r) => ({ cRate: r })),
  currentA.map((a) => ({ current: a })),
);

const cond = {
  voltage: voltage.map((v): StopCondition => ({ kind: "voltage", voltage: v })),
  current: current.map((c): StopCondition => ({ kind: "current", below: c })),
  time: time.map((t): StopCondition => ({ kind: "time", duration: t })),
  voltageRate: rate.map((r): StopCondition => ({ kind: "voltageRate", rate: r })),
  charge: charge.map((q): StopCondition => ({ kind: "charge", charge: q })),
};
type Kind = keyof typeof cond;

/** Stop lists with at least one condition that ends the step, in random order. */
function stops(ending: Kind[], others: Kind[]): fc.Arbitrary<StopCondition[]> {
  return fc
    .tuple(
      fc.oneof(...ending.map((k) => cond[k])),
      fc.array(fc.oneof(...[...ending, ...others].map((k) => cond[k])), { maxLength: 2 }),
      fc.nat(),
    )
    .map(([first, rest, at]) => {
      const list = [...rest];
      list.splice(at % (rest.length + 1), 0, first);
      return list;
    });
}

const direction = fc.constantFrom("charge" as const, "discharge" as const);

const leaf: fc.Arbitrary<Step> = fc.oneof(
  fc
    .record({ direction, current, until: stops(["voltage", "time", "charge"], []) })
    .map((r): Step => ({ type: "cc", ...r })),
  fc
    .record({ voltage, until: stops(["current", "time"], ["charge"]) })
    .map((r): Step => ({ type: "cv", ...r })),
  fc
    .record({ direction, current, voltage, until: stops(["current", "time"], ["charge"]) })
    .map((r): Step => ({ type: "cccv", ...r })),
  stops(["time", "voltageRate"], ["voltage"]).map((until): Step => ({ type: "rest", until })),
  fc
    .record({ deltaV: quantity("voltage", ["V", "mV"], true), until: stops(["current", "time"], ["charge"]) })
    .map((r): Step => ({ type: "pitt", ...r })),
  fc
    .record({
      direction,
      current,
      pulseDuration: time,
      restUntil: stops(["time", "voltageRate"], ["voltage"]),
      voltageLimit: fc.option(voltage, { nil: undefined }),
    })
    .map((r): Step => {
      const { voltageLimit, ...rest } = r;
      return voltageLimit === undefined ? { type: "gitt", ...rest } : { type: "gitt", ...rest, voltageLimit };
    }),
  fc
    .record({
      f: fc.uniqueArray(frequency, { minLength: 2, maxLength: 2 }),
      perDecade: fc.integer({ min: 1, max: 40 }),
      amplitude: voltage,
    })
    .map(
      ({ f, perDecade, amplitude }): Step => ({
        type: "eis",
        fMax: Math.max(f[0], f[1]),
        fMin: Math.min(f[0], f[1]),
        perDecade,
        amplitude,
      }),
    ),
);

const { step } = fc.letrec<{ step: Step }>((tie) => ({
  step: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc
      .record({
        count: fc.integer({ min: 1, max: 6 }),
        steps: fc.array(tie("step"), { minLength: 1, maxLength: 3 }),
      })
      .map((r): Step => ({ type: "repeat", ...r })),
  ),
}));

test("round trip: parse(describeStep(s)) gives back s for generated steps (property)", () => {
  fc.assert(
    fc.property(step, (s) => {
      const text = describeStep(s);
      const parsed = parseProtocol(text);
      assert.equal(parsed.steps.length, 1, text);
      assert.deepEqual(strip(parsed.steps[0]), s, text);
    }),
    { seed: 20240611, numRuns: 400 },
  );
});

test("round trip of whole protocols, and describe(parse(text)) is a fixed point", () => {
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), (steps) => {
      const protocol: Protocol = { steps };
      const text = describeProtocol(protocol);
      const parsed = parseProtocol(text);
      assert.deepEqual(strip(parsed), protocol, text);
      assert.equal(describeProtocol(parsed), text);
      // the JSON form of a parsed protocol also parses back to the same steps
      assert.deepEqual(strip(parseProtocolJson(JSON.parse(JSON.stringify(parsed)))), protocol);
    }),
    { seed: 7, numRuns: 150 },
  );
});

test("canonical text of the SPEC examples", () => {
  const cases: [string, string][] = [
    ["charge at c/20 until 4.6 v", "Charge at C/20 until 4.6 V"],
    ["Rest for 3 h or until dV/dt < 3 mV/h", "Rest for 3 h or until |dV/dt| < 3 mV/h"],
    ["Rest until dV/dt < 1 mV/h or 10800 s", "Rest until |dV/dt| < 1 mV/h or 3 h"],
    ["EIS from 10 mHz to 200 kHz", "EIS from 200 kHz to 10 mHz, 10 per decade, 10 mV"],
    ["Step -15 mV until C/1000 or 120 min", "Step -15 mV until C/1000 or 2 h"],
    ["Pulse C/20 for 10 min then rest 1 h", "Pulse charge C/20 for 10 min then rest for 1 h"],
    ["Charge at C/2 to 4.2 V then hold until C/20", "CCCV: Charge at C/2 to 4.2 V until C/20"],
    ["Hold at 4.5 V until C/100", "Hold at 4.5 V until C/100"],
    ["Discharge at 0.25C until 3 V", "Discharge at C/4 until 3 V"],
    ["Discharge at 0.3 C until 3 V", "Discharge at 0.3C until 3 V"],
    ["Repeat 3 times: Rest 1 h; Rest 2 h", "Repeat 3 times: Rest for 1 h; Rest for 2 h"],
  ];
  for (const [input, canonical] of cases)
    assert.equal(describeStep(parseProtocol(input).steps[0]), canonical);
  // nested repeats are written as indented blocks
  const nested = parseProtocol("Repeat 2 times: Rest 1 h; Repeat 3 times: Step +15 mV for 2 h");
  assert.equal(
    describeProtocol(nested),
    "Repeat 2 times:\n  Rest for 1 h\n  Repeat 3 times: Step +15 mV for 2 h\n",
  );
});

test("formatExact picks an exact display unit", () => {
  assert.equal(
    formatExact(7200, [
      ["h", 3600],
      ["min", 60],
      ["s", 1],
    ]),
    "2 h",
  );
  // among exact forms with a magnitude in [1, 1000) the shortest text wins
  assert.equal(
    formatExact(90, [
      ["h", 3600],
      ["min", 60],
      ["s", 1],
    ]),
    "90 s",
  );
  assert.equal(
    formatExact(0.5, [
      ["h", 3600],
      ["min", 60],
      ["s", 1],
      ["ms", 1e-3],
    ]),
    "500 ms",
  );
  assert.equal(
    formatExact(
      0.015,
      [
        ["V", 1],
        ["mV", 1e-3],
      ],
      true,
    ),
    "+15 mV",
  );
  // a value with no short decimal in any unit still round-trips through the base unit
  const v = Math.PI * 1e-3;
  const text = formatExact(v, [
    ["V", 1],
    ["mV", 1e-3],
  ]);
  assert.equal(parseQuantity(text, "voltage"), v);
});

test("flattenProtocol expands repeats with cycle and step labels", () => {
  const p = parseProtocol(`Charge at C/20 until 4.2 V
Repeat 2 times:
  Step +15 mV for 2 h
  Repeat 2 times: EIS from 1 kHz to 1 Hz; Rest 1 h
Discharge at C/20 until 3 V`);
  const flat = flattenProtocol(p);
  assert.deepEqual(
    flat.map((f) => f.label),
    [
      "step 1",
      "cycle 1, step 1",
      "cycle 1.1, step 1",
      "cycle 1.1, step 2",
      "cycle 1.2, step 1",
      "cycle 1.2, step 2",
      "cycle 2, step 1",
      "cycle 2.1, step 1",
      "cycle 2.1, step 2",
      "cycle 2.2, step 1",
      "cycle 2.2, step 2",
      "step 3",
    ],
  );
  assert.deepEqual(
    flat.map((f) => f.index),
    flat.map((_, i) => i),
  );
  assert.equal(flat[4].cycle, 2);
  assert.deepEqual(flat[4].cycles, [1, 2]);
  assert.deepEqual(flat[4].path, [1, 1, 0]);
  assert.equal(flat[4].step.type, "eis");
  assert.equal(flat[11].cycle, 0);
  // the flattened length is the product of counts (property)
  fc.assert(
    fc.property(step, (s) => {
      const count = (x: Step): number =>
        x.type === "repeat" ? x.count * x.steps.reduce((a, c) => a + count(c), 0) : 1;
      assert.equal(flattenProtocol({ steps: [s] }).length, count(s));
    }),
    { seed: 3, numRuns: 100 },
  );
  assert.throws(() => flattenProtocol(parseProtocol("Repeat 1000 times: Rest 1 h"), 10), /more than 10/);
});
