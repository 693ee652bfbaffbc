import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.js";
import {
  detectFormat,
  parseImpedance,
  parseMaccorDuration,
  parseTimeSeries,
} from "../../../src/io/instruments/index.js";
import { readImpedanceFile, readTimeSeriesFile } from "../../../src/io/instruments/node.js";
import { dataBytes, dataPath, latin1 } from "./data.js";

const DTA = "impedancepy__exampleDataGamry.DTA";
const MACCOR = "beep__maccor_test_file_4267-66-6519.041";

describe("Gamry .DTA", () => {
  it("ZCURVE: 72 points, Zimag kept as signed Im(Z)", () => {
    assert.equal(detectFormat(dataBytes(DTA), "x.txt"), "gamry-dta");
    const spectra = readImpedanceFile(dataPath(DTA));
    assert.equal(spectra.length, 1);
    const s = spectra[0];
    assert.equal(s.frequency.length, 72);
    // first row: 0 1 200015.6 825.8584 -1367.239 …
    assert.equal(s.time![0], 1);
    assert.equal(s.frequency[0], 200015.6);
    assert.equal(s.zReal[0], 825.8584);
    assert.equal(s.zImag[0], -1367.239);
    // last row: 71 861 0.0158898 17007.49 -6635.557 …
    assert.equal(s.time![71], 861);
    assert.equal(s.frequency[71], 0.0158898);
    assert.equal(s.zReal[71], 17007.49);
    assert.equal(s.zImag[71], -6635.557);
    assert.equal(s.meta?.TAG, "EISPOT");
    assert.equal(s.meta?.VAC, 10);
  });

  it("time series falls back to OCVCURVE (387 rows, open circuit: I = 0)", () => {
    const t = readTimeSeriesFile(dataPath(DTA));
    assert.equal(t.time.length, 387);
    assert.equal(t.time[0], 0.258333);
    assert.equal(t.voltage![0], -0.346699);
    assert.equal(t.time[386], 99.975);
    assert.equal(t.voltage![386], -0.29198);
    assert.ok(t.current.every((i) => i === 0));
    assert.equal(t.units.Vf, "V vs. Ref.");
    assert.equal(t.columns.Over, undefined, "the overload flag string column is text, not numeric");
    assert.equal(t.meta?.openCircuit, 1);
  });

  it("CURVE tables are concatenated, Im in A, Vf in V", () => {
    const text = [
      "EXPLAIN",
      "TAG\tCHRONOA",
      "TITLE\tLABEL\tChronoamperometry\tTest &Identifier",
      "CURVE1\tTABLE\t2",
      "\tPt\tT\tVf\tIm\tOver",
      "\t#\ts\tV vs. Ref.\tA\tbits",
      "\t0\t0.1\t4.1\t1.5E-003\t...........",
      "\t1\t0.2\t4.1\t1.2E-003\t...........",
      "CURVE2\tTABLE\t1",
      "\tPt\tT\tVf\tIm\tOver",
      "\t#\ts\tV vs. Ref.\tA\tbits",
      "\t0\t0.3\t3.9\t-2.0E-003\t...........",
      "",
    ].join("\r\n");
    const t = parseTimeSeries(latin1(text), "ca.DTA");
    assert.deepEqual([...t.time], [0.1, 0.2, 0.3]);
    assert.deepEqual([...t.current], [1.5e-3, 1.2e-3, -2e-3]);
    assert.deepEqual([...t.voltage!], [4.1, 4.1, 3.9]);
    assert.throws(
      () => parseImpedance(latin1(text), "ca.DTA"),
      (e: unknown) => e instanceof InputError && /no ZCURVE table/.test(e.message),
    );
  });

  it("malformed: truncated table (declared count), text in a number column, missing EXPLAIN", () => {
    const lines = new TextDecoder("latin1").decode(dataBytes(DTA)).split(/\r?\n/);
    // OCVCURVE declares 387 rows: cut it after 100 rows and drop the rest of the file.
    assert.throws(
      () => parseTimeSeries(latin1(lines.slice(0, 122).join("\n")), "cut.DTA"),
      (e: unknown) => e instanceof InputError && /OCVCURVE declares 387 rows but has 100/.test(e.message),
    );
    const bad = [...lines];
    bad[460] = bad[460].replace(/\t[^\t]+$/, "\tnine"); // IERange column, line 461
    assert.throws(
      () => parseImpedance(latin1(bad.join("\n")), "bad.DTA"),
      (e: unknown) => e instanceof InputError && e.line === 461 && e.field === "IERange",
    );
    assert.throws(
      () => parseImpedance(latin1(lines.slice(1).join("\n")), "bad.DTA", { format: "gamry-dta" }),
      (e: unknown) => e instanceof InputError && e.line === 1 && /EXPLAIN/.test(e.message),
    );
  });
});

describe("Maccor text export", () => {
  it("parses durations 'Nd hh:mm:ss.ssss'", () => {
    assert.equal(parseMaccorDuration("  0d 00:00:10.0000"), 10);
    assert.equal(parseMaccorDuration("2d 01:02:03.5"), 2 * 86400 + 3723.5);
    assert.equal(parseMaccorDuration("12.5"), 12.5);
    assert.equal(parseMaccorDuration("ten"), undefined);
  });

  it("reads the 74 records of the beep test file", () => {
    const t = readTimeSeriesFile(dataPath(MACCOR));
    assert.equal(detectFormat(dataBytes(MACCOR), MACCOR), "maccor");
    assert.equal(t.time.length, 74);
    assert.equal(t.time[0], 0);
    assert.equal(t.voltage![0], 3.90806439);
    assert.equal(t.time[73], 10);
    assert.equal(t.voltage![73], 3.91172656);
    assert.ok(
      t.current.every((i) => i === 0),
      "rest and FRA steps carry no DC current",
    );
    assert.deepEqual([...new Set(t.step)], [1, 2, 3]);
    assert.equal(t.cycle![73], 0);
    assert.equal(t.columns.StepTime[1], 1);
    assert.equal(t.meta?.Procedure, "EIS 1.000FRA default");
    assert.equal(t.columns.State, undefined, "State is text");
  });

  const header = new TextDecoder().decode(dataBytes(MACCOR)).split(/\r?\n/).slice(0, 2);
  function maccor(rows: string[][]): Uint8Array {
    const pad = (r: string[]) => [...r, ...new Array(34 - r.length).fill("0")].join("\t");
    return latin1(`${[...header, ...rows.map(pad)].join("\r\n")}\r\n`);
  }
  const row = (rec: number, time: string, amps: string, volts: string, state: string) => [
    String(rec),
    "1",
    "2",
    time,
    time,
    "0.01",
    "0.04",
    amps,
    volts,
    state,
    "0",
    "11/02/2016 15:57:53",
  ];

  it("current positive on charge (State C), negative on discharge (State D)", () => {
    const t = parseTimeSeries(
      maccor([
        row(1, "0d 00:00:01.0000", "0.0015", "3.90", "C"),
        row(2, "0d 00:00:02.0000", "0.0015", "4.10", "D"),
        row(3, "0d 00:00:03.0000", "-0.0015", "4.00", "D"),
        row(4, "0d 00:00:04.0000", "0", "4.00", "R"),
      ]),
      "syn.001",
    );
    assert.deepEqual([...t.current], [0.0015, -0.0015, -0.0015, 0]);
    assert.deepEqual([...t.columns.Amps], [0.0015, 0.0015, -0.0015, 0], "columns keep the file's values");
  });

  it("malformed: bad duration, missing columns", () => {
    assert.throws(
      () => parseTimeSeries(maccor([row(1, "0d 00:xx:01", "0", "3.9", "R")]), "syn.001"),
      (e: unknown) =>
        e instanceof InputError && e.line === 3 && e.field === "TestTime" && /duration/.test(e.message),
    );
    assert.throws(
      () => parseTimeSeries(latin1(`${header[0]}\r\nRec#\tCyc#\tStep\r\n1\t0\t1\r\n`), "syn.001"),
      (e: unknown) =>
        e instanceof InputError && e.line === 2 && /lacks the column "TestTime"/.test(e.message),
    );
  });
});
