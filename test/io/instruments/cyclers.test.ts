import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.js";
import {
  detectFormat,
  parseColumnSpec,
  parseDecimalOption,
  parseImpedance,
  parseTimeSeries,
} from "../../../src/io/instruments/index.js";
import { dataBytes, latin1 } from "./data.js";

// Real exports in test/data/cyclers (README there: cellpy MIT, beep Apache-2.0).

/** The CSV as rows of cells (no quoting in these files). */
function cells(name: string): string[][] {
  return new TextDecoder()
    .decode(dataBytes(`cyclers/${name}`))
    .split(/\r?\n/)
    .filter((l) => l !== "")
    .map((l) => l.split(","));
}

describe("Neware BTS CSV record export (cellpy neware_uio.csv)", () => {
  const name = "cellpy__neware_uio.csv";
  const bytes = dataBytes(`cyclers/${name}`);
  const t = parseTimeSeries(bytes, name);
  const rows = cells(name);

  it("is detected from its header and reads all 9065 records", () => {
    assert.equal(detectFormat(bytes, name), "neware");
    assert.equal(t.meta?.format, "neware");
    assert.equal(t.time.length, 9065);
    assert.equal(rows.length - 1, 9065);
  });

  it("time = Cumulative Time h:mm:ss in s (144:02:18 = 518 538 s), current in A, voltage in V, exactly", () => {
    const head = rows[0];
    const kT = head.indexOf("Cumulative Time");
    const kI = head.indexOf("Current(A)");
    const kV = head.indexOf("Voltage(V)");
    assert.equal(t.time[9064], 144 * 3600 + 2 * 60 + 18);
    for (let r = 1; r < rows.length; r += 97) {
      const [h, m, s] = rows[r][kT].split(":").map(Number);
      assert.equal(t.time[r - 1], h * 3600 + m * 60 + s);
      assert.equal(t.current[r - 1], Number(rows[r][kI]));
      assert.equal(t.voltage![r - 1], Number(rows[r][kV]));
    }
  });

  it("current negative on every CC DChg row and positive on every CC Chg row (positive = charge)", () => {
    const kType = rows[0].indexOf("Step Type");
    let chg = 0;
    let dchg = 0;
    for (let r = 1; r < rows.length; r++) {
      if (rows[r][kType] === "CC DChg") {
        assert.ok(t.current[r - 1] < 0, `row ${r}`);
        dchg++;
      } else if (rows[r][kType] === "CC Chg") {
        assert.ok(t.current[r - 1] > 0, `row ${r}`);
        chg++;
      }
    }
    assert.deepEqual([chg, dchg], [3409, 4667]);
  });

  it("step and cycle indices from Step Index / Cycle Index", () => {
    assert.equal(t.step![0], 1);
    assert.equal(t.cycle![9064], 4);
  });

  it("the layered export (cycle/step/record rows) is refused with a hint", () => {
    const layered = latin1(
      "Cycle Index,Chg. Cap.(Ah),DChg. Cap.(Ah)\n,Step Index,Step Number,Step Type\n,,DataPoint,Time,Current(A)\n",
    );
    assert.equal(detectFormat(layered, "x.csv"), "neware");
    assert.throws(
      () => parseTimeSeries(layered, "x.csv"),
      (e: unknown) =>
        e instanceof InputError && /layered export/.test(e.message) && /record layer/.test(e.message),
    );
  });

  it("a malformed duration names line and column", () => {
    const text = new TextDecoder().decode(bytes).split("\n").slice(0, 5);
    text[3] = text[3].replace(",00:02:00,", ",00:0x:00,");
    assert.throws(
      () => parseTimeSeries(latin1(text.join("\n")), "bad.csv"),
      (e: unknown) => e instanceof InputError && e.line === 4 && e.column === 5 && e.field === "Time",
    );
  });
});

describe("Arbin CSV export (beep test files)", () => {
  it("2017-05-09_test-TC-contact_CH33: 287 rows, Test_Time s, Current A, Voltage V as written", () => {
    const name = "beep__2017-05-09_test-TC-contact_CH33.csv";
    const bytes = dataBytes(`cyclers/${name}`);
    assert.equal(detectFormat(bytes, name), "arbin");
    const t = parseTimeSeries(bytes, name);
    const rows = cells(name);
    assert.equal(t.time.length, 287);
    const [kT, kI, kV] = ["Test_Time", "Current", "Voltage"].map((c) => rows[0].indexOf(c));
    for (let r = 1; r < rows.length; r++) {
      assert.equal(t.time[r - 1], Number(rows[r][kT]));
      assert.equal(t.current[r - 1], Number(rows[r][kI]));
      assert.equal(t.voltage![r - 1], Number(rows[r][kV]));
    }
    // empty Step_Index / Cycle_Index cells → −1 (no index written)
    assert.equal(t.step![0], -1);
    assert.ok(t.current[0] > 6.6 && t.current[0] < 6.61, "6.6 A charge at the start");
  });

  it("FastCharge_000025_CH8: 248 rows from 10.0024 s to 1800.0104 s at rest (I = 0)", () => {
    const t = parseTimeSeries(dataBytes("cyclers/beep__FastCharge_000025_CH8.csv"), "ch8.csv");
    assert.equal(t.time.length, 248);
    assert.equal(t.time[0], 10.0024);
    assert.equal(t.time[247], 1800.0104);
    assert.ok(t.current.every((i) => i === 0));
    assert.equal(t.cycle![0], 0);
  });

  it("impedance from a cycler export → InputError", () => {
    assert.throws(
      () => parseImpedance(dataBytes("cyclers/beep__FastCharge_000025_CH8.csv"), "ch8.csv"),
      (e: unknown) => e instanceof InputError && /carry no impedance spectra/.test(e.message),
    );
  });
});

describe("column map with units (--columns)", () => {
  it("parses role=column pairs, #k column numbers and role spellings", () => {
    assert.deepEqual(parseColumnSpec("time=Time(s),current=Current(mA),voltage=Voltage(V)"), {
      time: "Time(s)",
      current: "Current(mA)",
      voltage: "Voltage(V)",
    });
    assert.deepEqual(parseColumnSpec("f=#1, re=#2 ,im=-Z''"), { frequency: 0, zReal: 1, zImag: "-Z''" });
  });

  it("bad maps → InputError naming the part", () => {
    const bad: [string, RegExp][] = [
      ["", /empty column map/],
      ["time", /not role=column/],
      ["speed=Velocity", /unknown role "speed"/],
      ["time=a,t=b", /role time given twice/],
      ["time=#0", /start at 1/],
    ];
    for (const [spec, re] of bad) {
      assert.throws(
        () => parseColumnSpec(spec),
        (e: unknown) => e instanceof InputError && e.field === "--columns" && re.test(e.message),
        spec,
      );
    }
    assert.equal(parseDecimalOption(","), ",");
    assert.equal(parseDecimalOption("dot"), ".");
    assert.throws(() => parseDecimalOption(";"), InputError);
  });

  // A table whose headers carry no units, as many lab scripts write them.
  const table = latin1("Zeit;Strom;Spannung\n0;1,5;3,70\n60;1,5;3,75\n120;-2,0;3,60\n");

  it("a unit in the map supplies the unit the header lacks: Strom in mA → A, Zeit in min → s", () => {
    const t = parseTimeSeries(table, "lab.csv", {
      columns: parseColumnSpec("time=Zeit(min),current=Strom(mA),voltage=Spannung(V)"),
    });
    assert.deepEqual([...t.time], [0, 3600, 7200]);
    assert.deepEqual([...t.current], [1.5e-3, 1.5e-3, -2e-3]);
    assert.deepEqual([...t.voltage!], [3.7, 3.75, 3.6]);
    assert.match(t.notes![0], /decimal separator "," detected/);
  });

  it("a unit contradicting the header's own → InputError; an unknown column lists the header", () => {
    const withUnits = latin1("Time(s),Current(A)\n0,1\n1,2\n");
    assert.throws(
      () =>
        parseTimeSeries(withUnits, "u.csv", { columns: parseColumnSpec("time=Time(s),current=Current(mA)") }),
      (e: unknown) => e instanceof InputError && /is in A, the mapping says mA/.test(e.message),
    );
    assert.throws(
      () => parseTimeSeries(table, "lab.csv", { columns: parseColumnSpec("time=Time(s),current=Strom(mA)") }),
      (e: unknown) =>
        e instanceof InputError &&
        /"Time\(s\)" for time not found/.test(e.message) &&
        /"Zeit"/.test(e.message),
    );
  });

  it("the map overrides a cycler's own choice (Neware step time instead of test time)", () => {
    const t = parseTimeSeries(dataBytes("cyclers/cellpy__neware_uio.csv"), "n.csv", {
      columns: parseColumnSpec("time=Time"),
    });
    assert.equal(t.time[9064], 5220, "step time of the last record, 01:27:00");
  });
});
