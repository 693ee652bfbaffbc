import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/errors.js";
import { parseProtocol, parseProtocolJson, parseProtocolYaml } from "../../src/protocol/parse.js";
import type { Step } from "../../src/protocol/steps.js";

/** Drop `source` spans so steps compare by content. */
function strip<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === "source" ? undefined : v)));
}

/** The single step of `text`, loosely typed so tests can read any field. */
// biome-ignore lint/suspicious/noExplicitAny: test helper reads fields of every step type
function one(text: string): any {
  const p = parseProtocol(text);
  assert.equal(p.steps.length, 1);
  return strip(p.steps[0] as Step);
}

/** Assert an InputError at (line, column) whose text mentions `fragment`. */
function throwsAt(text: string, line: number, column: number, fragment?: RegExp): InputError {
  try {
    parseProtocol(text);
  } catch (e) {
    assert.ok(e instanceof InputError, `not an InputError: ${e}`);
    assert.equal(e.line, line, `line of ${JSON.stringify(text)}: ${e.message}`);
    assert.equal(e.column, column, `column of ${JSON.stringify(text)}: ${e.message}`);
    assert.ok(e.expected, "the error says what was expected");
    if (fragment) assert.match(e.message, fragment);
    return e;
  }
  assert.fail(`no error for ${JSON.stringify(text)}`);
}

const H = 3600;
const mVh = 1e-3 / 3600; // mV/h in V/s, the same double as units.ts

test("constant-current steps", () => {
  assert.deepEqual(one("Charge at C/20 until 4.6 V"), {
    type: "cc",
    direction: "charge",
    current: { cRate: 1 / 20 },
    until: [{ kind: "voltage", voltage: 4.6 }],
  });
  assert.deepEqual(one("Discharge at 2 mA until 3.0 V"), {
    type: "cc",
    direction: "discharge",
    current: { current: 2e-3 },
    until: [{ kind: "voltage", voltage: 3 }],
  });
  assert.deepEqual(one("Charge at C/20 for 2 h").until, [{ kind: "time", duration: 2 * H }]);
  assert.deepEqual(one("Charge at 1C until 4.2 V or 30 min").until, [
    { kind: "voltage", voltage: 4.2 },
    { kind: "time", duration: 1800 },
  ]);
  assert.deepEqual(one("discharge AT 0.5 c UNTIL 3 v").current, { cRate: 0.5 });
  assert.deepEqual(one("Charge at C/10 until 0.2 mAh").until, [{ kind: "charge", charge: 0.2 * 3.6 }]);
  assert.deepEqual(one("CC: Charge at 2C for 5 min").until, [{ kind: "time", duration: 300 }]);
});

test("CCCV in both spellings", () => {
  const expected = {
    type: "cccv",
    direction: "charge",
    current: { cRate: 0.5 },
    voltage: 4.2,
    until: [{ kind: "current", below: { cRate: 1 / 20 } }],
  };
  assert.deepEqual(one("CCCV: Charge at C/2 to 4.2 V until C/20"), expected);
  assert.deepEqual(one("Charge at C/2 to 4.2 V then hold until C/20"), expected);
  assert.deepEqual(one("cccv: discharge at 1 mA to 3 V until 10 uA or 2 h"), {
    type: "cccv",
    direction: "discharge",
    current: { current: 1e-3 },
    voltage: 3,
    until: [
      { kind: "current", below: { current: 10 * 1e-6 } },
      { kind: "time", duration: 2 * H },
    ],
  });
});

test("voltage holds", () => {
  assert.deepEqual(one("Hold at 4.3 V until C/50"), {
    type: "cv",
    voltage: 4.3,
    until: [{ kind: "current", below: { cRate: 1 / 50 } }],
  });
  assert.deepEqual(one("Hold at 4.5 V for 2 h").until, [{ kind: "time", duration: 2 * H }]);
  assert.deepEqual(one("Hold at 4.5 V until 1 uA or 5 h").until, [
    { kind: "current", below: { current: 1e-6 } },
    { kind: "time", duration: 5 * H },
  ]);
});

test("rests", () => {
  const rate = { kind: "voltageRate", rate: 3 * mVh };
  assert.deepEqual(one("Rest for 3 h or until dV/dt < 3 mV/h"), {
    type: "rest",
    until: [{ kind: "time", duration: 3 * H }, rate],
  });
  assert.deepEqual(one("Rest for 3 h or until |dV/dt| < 3 mV/h").until, [
    { kind: "time", duration: 3 * H },
    rate,
  ]);
  assert.deepEqual(one("Rest for 1 h").until, [{ kind: "time", duration: H }]);
  assert.deepEqual(one("Rest until dV/dt < 1 mV/h").until, [{ kind: "voltageRate", rate: mVh }]);
  assert.deepEqual(one("Rest 1 h").until, [{ kind: "time", duration: H }]);
  assert.deepEqual(one("Rest until 3.9 V or 10 h").until, [
    { kind: "voltage", voltage: 3.9 },
    { kind: "time", duration: 10 * H },
  ]);
});

test("PITT steps", () => {
  assert.deepEqual(one("Step +15 mV for 2 h"), {
    type: "pitt",
    deltaV: 0.015,
    until: [{ kind: "time", duration: 2 * H }],
  });
  assert.deepEqual(one("Step -15 mV until C/1000 or 2 h"), {
    type: "pitt",
    deltaV: -0.015,
    until: [
      { kind: "current", below: { cRate: 1 / 1000 } },
      { kind: "time", duration: 2 * H },
    ],
  });
});

test("GITT pulses", () => {
  assert.deepEqual(one("Pulse C/20 for 10 min then rest 1 h"), {
    type: "gitt",
    direction: "charge",
    current: { cRate: 1 / 20 },
    pulseDuration: 600,
    restUntil: [{ kind: "time", duration: H }],
  });
  assert.deepEqual(one("Pulse discharge C/20 for 10 min then rest until dV/dt < 1 mV/h"), {
    type: "gitt",
    direction: "discharge",
    current: { cRate: 1 / 20 },
    pulseDuration: 600,
    restUntil: [{ kind: "voltageRate", rate: mVh }],
  });
  assert.deepEqual(one("Pulse charge at 50 uA for 10 min or until 4.4 V then rest for 2 h"), {
    type: "gitt",
    direction: "charge",
    current: { current: 50 * 1e-6 },
    pulseDuration: 600,
    restUntil: [{ kind: "time", duration: 2 * H }],
    voltageLimit: 4.4,
  });
});

test("EIS", () => {
  assert.deepEqual(one("EIS from 200 kHz to 10 mHz, 10 per decade, 10 mV"), {
    type: "eis",
    fMax: 2e5,
    fMin: 0.01,
    perDecade: 10,
    amplitude: 0.01,
  });
  // order of the range does not matter; defaults 10 per decade and 10 mV
  assert.deepEqual(one("eis from 10 mHz to 100 kHz"), {
    type: "eis",
    fMax: 1e5,
    fMin: 0.01,
    perDecade: 10,
    amplitude: 0.01,
  });
  assert.deepEqual(one("EIS from 1 MHz to 1 Hz, 7 points per decade, amplitude 5 mV"), {
    type: "eis",
    fMax: 1e6,
    fMin: 1,
    perDecade: 7,
    amplitude: 0.005,
  });
});

test("steps separated by newlines and ';', comments, CRLF, source spans", () => {
  const p = parseProtocol(
    "# Tsai\r\nCharge at C/20 until 4.6 V ; Rest for 3 h  # relax\r\n\r\n  \nHold at 4.6 V for 1 h",
  );
  assert.deepEqual(
    p.steps.map((s) => s.type),
    ["cc", "rest", "cv"],
  );
  assert.deepEqual(p.steps[0].source, { line: 2, column: 1, text: "Charge at C/20 until 4.6 V" });
  assert.deepEqual(p.steps[1].source, { line: 2, column: 30, text: "Rest for 3 h" });
  assert.deepEqual(p.steps[2].source, { line: 5, column: 1, text: "Hold at 4.6 V for 1 h" });
});

test("Repeat: inline block to the end of the line, indented block, nesting", () => {
  const inline = parseProtocol(
    "Repeat 3 times: Charge at C/20 until 4.2 V; Rest for 1 h; Discharge at C/20 until 3 V\nRest 2 h",
  );
  assert.equal(inline.steps.length, 2);
  const r = inline.steps[0];
  assert.ok(r.type === "repeat");
  assert.equal(r.count, 3);
  assert.deepEqual(
    r.steps.map((s) => s.type),
    ["cc", "rest", "cc"],
  );
  const block = parseProtocol(
    [
      "Charge at C/20 until 4.0 V",
      "Repeat 10 times:",
      "    Step +15 mV until C/1000 or 2 h",
      "    # a comment inside the block",
      "",
      "    Repeat 2 times: EIS from 1 kHz to 1 Hz; Rest 10 min",
      "    Rest for 3 h or until |dV/dt| < 3 mV/h",
      "Discharge at C/20 until 3 V",
    ].join("\n"),
  );
  assert.deepEqual(
    block.steps.map((s) => s.type),
    ["cc", "repeat", "cc"],
  );
  const rep = block.steps[1];
  assert.ok(rep.type === "repeat");
  assert.equal(rep.count, 10);
  assert.deepEqual(
    rep.steps.map((s) => s.type),
    ["pitt", "repeat", "rest"],
  );
  assert.deepEqual(rep.source, { line: 2, column: 1, text: "Repeat 10 times:" });
  // the block opener may also have its steps after ';' on the same line
  const semi = parseProtocol("Repeat 2 times:; Rest 1 h; Rest 2 h");
  assert.ok(semi.steps[0].type === "repeat" && semi.steps[0].steps.length === 2);
});

test("error positions: line, column of the offending token and what was expected", () => {
  throwsAt(
    "Charge at C/20",
    1,
    15,
    /can never end.*expected a stop condition such as "until 4.2 V" or "for 2 h"/,
  );
  throwsAt("Discharge at C/20 4.6 V", 1, 19, /missing stop condition.*"4\.6/);
  throwsAt("Rest", 1, 5, /can never end/);
  throwsAt("Rest for 1 h\nChrge at C/20 until 4 V", 2, 1, /unknown step.*"Chrge"/);
  throwsAt("Charge C/20 until 4 V", 1, 8, /expected "at"/);
  throwsAt("Charge at 20 until 4 V", 1, 11, /no unit/);
  throwsAt("Charge at C/20 until 4.6 Q", 1, 22, /unknown unit "Q"/);
  throwsAt("Charge at C/20 until C/50", 1, 22, /cannot end a constant-current step.*CCCV/);
  throwsAt("Charge at C/2 to 4.2 V until C/20", 1, 24, /then hold/);
  throwsAt("Hold at 4.2 V until 4.1 V", 1, 21, /voltage cannot end a voltage hold/);
  throwsAt("Hold at 4.2 V until 0.1 mAh", 1, 1, /can never be sure to end/);
  throwsAt("Rest until 3.9 V", 1, 1, /can never be sure to end/);
  throwsAt("Rest for 1 h; Rest for 2 h banana", 1, 28, /unexpected text/);
  throwsAt("Rest for -1 h", 1, 10, /positive/);
  throwsAt("Rest until dV/dt 3 mV/h", 1, 18, /"<"/);
  throwsAt("Step 0 mV for 1 h", 1, 6, /0 V does nothing/);
  throwsAt("Pulse C/20 for 10 min", 1, 22, /then rest/);
  throwsAt("Pulse C/20 for 10 min then rest", 1, 32, /needs a stop condition/);
  throwsAt("EIS from 1 kHz to 1 kHz", 1, 19, /two different frequencies/);
  throwsAt("EIS 1 kHz to 1 Hz", 1, 5, /"from"/);
  throwsAt("EIS from 1 kHz to 1 Hz, 10 mV, 3 per decade", 1, 30, /unexpected text/);
});

test("repeat errors: count must be a positive whole number; empty and mis-indented blocks", () => {
  throwsAt("Repeat 0 times: Rest 1 h", 1, 8, /positive whole number/);
  throwsAt("Repeat 2.5 times: Rest 1 h", 1, 8, /positive whole number/);
  throwsAt("Repeat -1 times: Rest 1 h", 1, 8, /positive whole number/);
  throwsAt("Repeat times: Rest 1 h", 1, 8, /repeat count/);
  throwsAt("Repeat 3: Rest 1 h", 1, 9, /"times"/);
  throwsAt("Repeat 3 times Rest 1 h", 1, 16, /":"/);
  throwsAt("Repeat 3 times:", 1, 16, /no steps/);
  throwsAt("Repeat 3 times:\nRest 1 h", 1, 16, /no steps/);
  throwsAt("Rest 1 h\n  Rest 2 h", 2, 3, /unexpected indentation/);
  throwsAt("Repeat 2 times:\n    Rest 1 h\n  Rest 2 h", 3, 3, /indentation/);
  throwsAt("Repeat 2 times: Rest 1 h; Rest", 1, 31, /can never end/);
});

test("file name is carried into errors; empty protocol is an error", () => {
  try {
    parseProtocol("Rest", { file: "p.txt" });
    assert.fail();
  } catch (e) {
    assert.ok(e instanceof InputError);
    assert.equal(e.file, "p.txt");
    assert.match(e.message, /^p\.txt, line 1, column 5: /);
  }
  assert.throws(() => parseProtocol("# nothing\n\n"), /no steps/);
});

test("JSON form: objects in SI or with units, text steps, nested repeats; errors name the path", () => {
  const p = parseProtocolJson({
    steps: [
      "Charge at C/20 until 4.6 V",
      { type: "rest", until: ["3 h", "|dV/dt| < 3 mV/h"] },
      {
        type: "repeat",
        count: 2,
        steps: [
          { type: "pitt", deltaV: "+15 mV", until: [{ kind: "current", below: "C/1000" }, "2 h"] },
          { type: "eis", fMax: "200 kHz", fMin: 0.01, perDecade: 10, amplitude: "10 mV" },
        ],
      },
      { type: "cv", voltage: 4.3, until: { kind: "current", below: { cRate: 0.02 } } },
      {
        type: "gitt",
        current: { current: 100 * 1e-6 },
        pulseDuration: 600,
        restUntil: [{ kind: "time", duration: 3600 }],
      },
      { type: "cccv", direction: "charge", current: "C/2", voltage: "4.2 V", until: ["C/20"] },
    ],
  });
  assert.deepEqual(
    strip(p),
    strip(
      parseProtocol(`Charge at C/20 until 4.6 V
Rest for 3 h or until |dV/dt| < 3 mV/h
Repeat 2 times: Step +15 mV until C/1000 or 2 h; EIS from 200 kHz to 10 mHz, 10 per decade, 10 mV
Hold at 4.3 V until C/50
Pulse charge 100 uA for 10 min then rest 1 h
CCCV: Charge at C/2 to 4.2 V until C/20`),
    ),
  );
  // an array of steps and a whole text are accepted too
  assert.equal(parseProtocolJson(["Rest 1 h", "Rest 2 h"]).steps.length, 2);
  assert.equal(parseProtocolJson("Rest 1 h\nRest 2 h").steps.length, 2);
  // JSON.stringify of a parsed protocol parses back to the same steps
  assert.deepEqual(strip(parseProtocolJson(JSON.parse(JSON.stringify(p)))), strip(p));

  const err = (value: unknown, field: RegExp, message: RegExp) => {
    try {
      parseProtocolJson(value, { file: "p.json" });
    } catch (e) {
      assert.ok(e instanceof InputError);
      assert.match(e.field ?? "", field);
      assert.match(e.message, message);
      assert.equal(e.file, "p.json");
      return;
    }
    assert.fail("no error");
  };
  err({ steps: [{ type: "rest" }] }, /^steps\[0\]\.until$/, /can never end/);
  err({ steps: [{ type: "rest", until: ["3.9 V"] }] }, /^steps\[0\]\.until$/, /never be sure/);
  err({ steps: [{ type: "cc", direction: "up", current: "C/2", until: ["4 V"] }] }, /direction/, /direction/);
  err({ steps: [{ type: "repeat", count: 0, steps: ["Rest 1 h"] }] }, /count/, /positive whole number/);
  err(
    { steps: [{ type: "cc", direction: "charge", current: "C/2", until: ["C/20"] }] },
    /until\[0\]/,
    /cannot end/,
  );
  err({ steps: ["Rest 1 h", "Charge at C/20"] }, /^steps\[1\]$/, /column 15.*can never end/);
  err({ steps: [{ type: "warp" }] }, /type/, /unknown step type/);
  err({ steps: [] }, /steps/, /no steps/);
  err({ step: [] }, /protocol/, /missing "steps"/);
  err(null, /protocol/, /empty/);
  err({ steps: [{ type: "eis", fMax: 1, fMin: 10 }] }, /fMin/, /below fMax/);
});

test("YAML form, with errors located at the YAML node", () => {
  const yaml = `steps:
  - Charge at C/20 until 4.6 V
  - type: rest
    until: [3 h, "|dV/dt| < 3 mV/h"]
  - type: repeat
    count: 3
    steps:
      - Step +15 mV for 2 h
      - EIS from 200 kHz to 10 mHz, 10 per decade, 10 mV
`;
  const p = parseProtocolYaml(yaml);
  assert.deepEqual(
    strip(p),
    strip(
      parseProtocol(`Charge at C/20 until 4.6 V
Rest for 3 h or until |dV/dt| < 3 mV/h
Repeat 3 times: Step +15 mV for 2 h; EIS from 200 kHz to 10 mHz, 10 per decade, 10 mV`),
    ),
  );
  try {
    parseProtocolYaml(`steps:\n  - Rest 1 h\n  - type: repeat\n    count: 2.5\n    steps: [Rest 1 h]\n`, {
      file: "p.yaml",
    });
    assert.fail("no error");
  } catch (e) {
    assert.ok(e instanceof InputError);
    assert.equal(e.file, "p.yaml");
    assert.equal(e.line, 4);
    assert.equal(e.column, 12);
    assert.equal(e.field, "steps[1].count");
  }
  try {
    parseProtocolYaml(`steps:\n  - Rest 1 h\n  - Charge at C/20 until C/50\n`);
    assert.fail("no error");
  } catch (e) {
    assert.ok(e instanceof InputError);
    assert.equal(e.line, 3);
    assert.equal(e.column, 5);
    assert.match(e.message, /cannot end/);
  }
  assert.throws(
    () => parseProtocolYaml("steps: [Rest 1 h\n"),
    (e: unknown) => e instanceof InputError && e.line !== undefined,
  );
});
