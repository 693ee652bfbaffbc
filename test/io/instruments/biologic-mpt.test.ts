import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.js";
import { parseImpedance, parseTimeSeries } from "../../../src/io/instruments/index.js";
import { readImpedanceFile, readTimeSeriesFile } from "../../../src/io/instruments/node.js";
import { dataBytes, dataPath, latin1 } from "./data.js";

// Values below are copied from the files' text; parsing the same decimal text gives the same
// double, so comparisons are exact unless a unit conversion (mA → A) is involved.

describe("BioLogic .mpt (EC-Lab 11.18, impedance.py example)", () => {
  const name = "impedancepy__exampleDataBioLogic.mpt";
  it("reads 43 points with −Im(Z) turned into Im(Z)", () => {
    const spectra = readImpedanceFile(dataPath(name));
    assert.equal(spectra.length, 1);
    const s = spectra[0];
    assert.equal(s.frequency.length, 43);
    // first row: 1.0003201E+003  6.5470886E+001  3.8998979E-001 … time 7.836904905780102E-001
    assert.equal(s.frequency[0], 1000.3201);
    assert.equal(s.zReal[0], 65.470886);
    assert.equal(s.zImag[0], -0.38998979);
    assert.equal(s.time![0], 0.7836904905780102);
    // last row: 1.6895540E-002  1.1097003E+002  2.3458567E+000
    assert.equal(s.frequency[42], 0.01689554);
    assert.equal(s.zReal[42], 110.97003);
    assert.equal(s.zImag[42], -2.3458567);
    assert.equal(s.meta?.format, "biologic-mpt");
    assert.equal(s.meta?.technique, "Potentio Electrochemical Impedance Spectroscopy");
  });
});

describe("BioLogic .mpt (EC-Lab 11.50, 4 loops)", () => {
  const name = "yadg__peis.issue_149.mpt";
  it("splits the four declared loops (points 0-20, 21-41, 42-62, 63-83)", () => {
    const spectra = parseImpedance(dataBytes(name), name);
    assert.deepEqual(
      spectra.map((s) => s.frequency.length),
      [21, 21, 21, 21],
    );
    assert.equal(spectra[0].frequency[0], 199998.14);
    assert.equal(spectra[0].zImag[0], -0.96167845);
    assert.equal(spectra[3].frequency[20], 99.968163);
    assert.equal(spectra[3].zReal[20], 82.633186);
    assert.equal(spectra[3].zImag[20], -17.386202);
    assert.equal(spectra[2].meta?.loop, 2);
    assert.equal(spectra[1].label, `${name} loop 1`);
  });
  it("split: false keeps one spectrum of 84 points", () => {
    const spectra = parseImpedance(dataBytes(name), name, { split: false });
    assert.equal(spectra.length, 1);
    assert.equal(spectra[0].frequency.length, 84);
  });
  it("reads the time series with <I>/mA converted to A and Ns / cycle number", () => {
    const t = readTimeSeriesFile(dataPath(name));
    assert.equal(t.time.length, 84);
    assert.equal(t.time[0], 80.34147426584968);
    assert.equal(t.voltage![0], 3.4222958);
    // 2.5175875E-002 mA → A: division by 1000 is correctly rounded.
    assert.equal(t.current[0], 2.5175875e-2 / 1000);
    assert.equal(t.current[83], 8.8834791e-3 / 1000);
    assert.equal(t.columns["<I>/mA"][0], 2.5175875e-2);
    assert.equal(t.units["<I>/mA"], "mA");
    assert.equal(t.units["Cs/µF"], "µF", "latin-1 µ decoded");
    assert.equal(t.step![0], 0);
    assert.equal(t.cycle![83], 4);
    assert.equal(Object.keys(t.columns).length, 63);
  });
});

/** A small EC-Lab export in a French locale: decimal commas, latin-1 "µ". */
function decimalCommaMpt(rows: string[]): Uint8Array {
  const header = [
    "EC-Lab ASCII FILE",
    "Nb header lines : 6",
    "",
    "Chronoamperometry / Chronocoulometry",
    "Electrode surface area : 0,001 cm²",
    "mode\ttime/s\tEwe/V\tI/mA\tcycle number\tQ/µA.h\tNs",
  ];
  return latin1(`${[...header, ...rows].join("\r\n")}\r\n`);
}

describe("BioLogic .mpt with decimal commas", () => {
  const rows = [
    "2\t0,000000000000000E+000\t3,9512\t1,2500E-001\t0,000000000000000E+000\t0,0\t0",
    "2\t1,500000000000000E+000\t3,9534\t-2,5000E-001\t1,000000000000000E+000\t12,5\t1",
  ];
  it("reads commas as decimal separators and converts mA to A", () => {
    const t = parseTimeSeries(decimalCommaMpt(rows), "fr.mpt");
    assert.deepEqual([...t.time], [0, 1.5]);
    assert.deepEqual([...t.voltage!], [3.9512, 3.9534]);
    assert.deepEqual([...t.current], [0.125 / 1000, -0.25 / 1000]);
    assert.deepEqual([...t.step!], [0, 1]);
    assert.deepEqual([...t.cycle!], [0, 1]);
    assert.equal(t.columns["Q/µA.h"][1], 12.5);
  });
  it("names line and column of a cell that is not a number", () => {
    const bad = [rows[0], "2\t1,5\t3,95x\t0,1\t1\t0\t1"];
    assert.throws(
      () => parseTimeSeries(decimalCommaMpt(bad), "fr.mpt"),
      (e: unknown) =>
        e instanceof InputError &&
        e.file === "fr.mpt" &&
        e.line === 8 &&
        e.column === 3 &&
        e.field === "Ewe/V",
    );
  });
});

describe("BioLogic .mpt malformed", () => {
  const good = new TextDecoder("latin1").decode(dataBytes("impedancepy__exampleDataBioLogic.mpt"));
  const lines = good.split(/\r?\n/);
  it("missing header-length line → InputError at line 2", () => {
    const text = [lines[0], "Nb lines 61", ...lines.slice(2)].join("\n");
    assert.throws(
      () => parseImpedance(latin1(text), "x.mpt"),
      (e: unknown) => e instanceof InputError && e.line === 2 && /Nb header lines/.test(e.message),
    );
  });
  it("truncated inside the header → InputError", () => {
    const text = lines.slice(0, 40).join("\n");
    assert.throws(
      () => parseImpedance(latin1(text), "x.mpt"),
      (e: unknown) => e instanceof InputError && /header declares 61 lines/.test(e.message),
    );
  });
  it("truncated last row (wrong column count) → InputError naming the line", () => {
    const body = lines.slice(0, 70);
    body.push(lines[70].split("\t").slice(0, 5).join("\t"));
    assert.throws(
      () => parseImpedance(latin1(body.join("\n")), "x.mpt"),
      (e: unknown) => e instanceof InputError && e.line === 71 && /5 values/.test(e.message),
    );
  });
  it("text where a number should be → InputError naming line, column and field", () => {
    const body = lines.slice(0, 65);
    const cells = lines[65].split("\t");
    cells[1] = "abc";
    body.push(cells.join("\t"));
    assert.throws(
      () => parseImpedance(latin1(body.join("\n")), "x.mpt"),
      (e: unknown) => e instanceof InputError && e.line === 66 && e.column === 2 && e.field === "Re(Z)/Ohm",
    );
  });
  it("loops beyond the data (truncated file) → InputError", () => {
    const text = new TextDecoder("latin1").decode(dataBytes("yadg__peis.issue_149.mpt")).split(/\r?\n/);
    const cut = text.slice(0, 73 + 70).join("\n");
    assert.throws(
      () => parseImpedance(latin1(cut), "y.mpt"),
      (e: unknown) =>
        e instanceof InputError && /loop from point 63 to 83 but the file has 70/.test(e.message),
    );
  });
});
