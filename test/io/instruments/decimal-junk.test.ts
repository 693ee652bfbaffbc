import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.js";
import { parseImpedance, parseTimeSeries } from "../../../src/io/instruments/index.js";
import { dataBytes, latin1 } from "./data.js";

/** impedance.py's exampleData.csv (f, Re Z, Im Z; MIT) rewritten as a European spreadsheet would. */
function european(separator: string): Uint8Array {
  const text = new TextDecoder().decode(dataBytes("impedancepy__exampleData.csv"));
  const rows = text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "")
    .map((l) =>
      l
        .split(",")
        .map((c) => c.replace(".", ","))
        .join(separator),
    );
  return latin1(`${rows.join("\r\n")}\r\n`);
}

describe("CSV with decimal commas (European exports)", () => {
  const reference = parseImpedance(dataBytes("impedancepy__exampleData.csv"), "exampleData.csv")[0];

  it('";"-separated decimal commas read exactly as the "." original, with a note', () => {
    const s = parseImpedance(european(";"), "eu.csv")[0];
    assert.equal(s.frequency.length, reference.frequency.length);
    assert.deepEqual([...s.frequency], [...reference.frequency]);
    assert.deepEqual([...s.zReal], [...reference.zReal]);
    assert.deepEqual([...s.zImag], [...reference.zImag]);
    assert.match(s.notes![0], /decimal separator "," detected \(fields separated by ";"\)/);
  });

  it("tab-separated decimal commas: same values", () => {
    const s = parseImpedance(european("\t"), "eu.tsv")[0];
    assert.deepEqual([...s.zImag], [...reference.zImag]);
  });

  it('","-separated decimal commas (each number split in two cells) → InputError, not a fit of nonsense', () => {
    assert.throws(
      () => parseImpedance(european(","), "eu.csv"),
      (e: unknown) =>
        e instanceof InputError &&
        e.file === "eu.csv" &&
        /decimal comma/.test(e.message) &&
        e.line !== undefined,
    );
  });

  it('pieces without leading zeros ("-0" of -0,5) or rows of an even number of integers → InputError', () => {
    assert.throws(
      () => parseImpedance(latin1("1000,5,2,5,-0,5\n100,5,3,5,-1,5\n"), "eu2.csv"),
      (e: unknown) =>
        e instanceof InputError &&
        e.line === 1 &&
        e.column === 5 &&
        /"-0" looks like a piece/.test(e.message),
    );
    assert.throws(
      () => parseImpedance(latin1("1000,5,2,5\n100,5,3,5\n"), "eu3.csv"),
      (e: unknown) => e instanceof InputError && /even number of integers/.test(e.message),
    );
    // --decimal . says the integers are meant: read as they are (4 columns: f, Re, Im, extra)
    const s = parseImpedance(latin1("1000,5,2,5\n100,5,3,5\n"), "int.csv", { decimal: "." })[0];
    assert.deepEqual([...s.frequency], [1000, 100]);
    // integers in two columns, or any decimal point in the data, are not suspicious
    assert.equal(parseTimeSeries(latin1("time,current\n0,1\n1,2\n"), "t.csv").time.length, 2);
    assert.equal(parseImpedance(latin1("1e3,5.5,-1\n1e2,6,-2\n"), "e.csv")[0].frequency[0], 1000);
  });

  it('options.decimal "," with "," between fields → InputError (ambiguous)', () => {
    assert.throws(
      () => parseImpedance(dataBytes("impedancepy__exampleData.csv"), "x.csv", { decimal: "," }),
      (e: unknown) => e instanceof InputError && /ambiguous/.test(e.message),
    );
  });

  it('options.decimal "," with ";" fields reads; "." forced on comma data names line and column', () => {
    const s = parseImpedance(european(";"), "eu.csv", { decimal: "," })[0];
    assert.equal(s.notes, undefined, "nothing inferred when the option is given");
    assert.deepEqual([...s.zReal], [...reference.zReal]);
    assert.throws(
      () => parseImpedance(european(";"), "eu.csv", { decimal: "." }),
      (e: unknown) => e instanceof InputError && e.line === 1 && e.column === 1,
    );
  });

  it("mixed separators in one file (1.5 and 2,5) → InputError naming the line", () => {
    const text = latin1("time/s;I/mA\n0;1.5\n1;2,5\n");
    assert.throws(
      () => parseTimeSeries(text, "mixed.csv"),
      (e: unknown) => e instanceof InputError && e.line === 3 && e.field === "I/mA",
    );
  });
});

describe("Gamry .DTA with a junk line inside the ZCURVE table", () => {
  const name = "impedancepy__exampleDataGamry.DTA";
  const lines = new TextDecoder("latin1").decode(dataBytes(name)).split(/\r?\n/);
  const firstRow = lines.findIndex((l) => l.startsWith("ZCURVE\tTABLE")) + 3;

  it("the clean file reads all rows and says how many", () => {
    const s = parseImpedance(dataBytes(name), name)[0];
    const rows = lines.slice(firstRow).filter((l) => l.startsWith("\t")).length;
    assert.equal(s.frequency.length, rows);
    assert.equal(s.meta?.rows, rows);
  });

  it("a junk line after 41 rows → InputError naming it and the rows before and after, not 41 points", () => {
    const total = lines.slice(firstRow).filter((l) => l.startsWith("\t")).length;
    const junk = [
      ...lines.slice(0, firstRow + 41),
      "## spike removed by hand",
      ...lines.slice(firstRow + 41),
    ];
    assert.throws(
      () => parseImpedance(latin1(junk.join("\r\n")), "junk.DTA"),
      (e: unknown) =>
        e instanceof InputError &&
        e.line === firstRow + 42 &&
        new RegExp(
          `table ZCURVE is cut by line ${firstRow + 42}: 41 rows read before it, ${total - 41} more rows after it`,
        ).test(e.message),
    );
  });

  it("a junk cell inside a row → InputError naming line and column", () => {
    const bad = [...lines];
    const cells = bad[firstRow + 10].split("\t");
    cells[4] = "n.a.";
    bad[firstRow + 10] = cells.join("\t");
    assert.throws(
      () => parseImpedance(latin1(bad.join("\r\n")), "cell.DTA"),
      (e: unknown) => e instanceof InputError && e.line === firstRow + 11 && e.field === "Zreal",
    );
  });
});
