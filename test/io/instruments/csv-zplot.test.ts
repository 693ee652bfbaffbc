import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.js";
import { detectFormat, parseImpedance, parseTimeSeries } from "../../../src/io/instruments/index.js";
import { readImpedanceFile, readTimeSeriesFile } from "../../../src/io/instruments/node.js";
import { dataBytes, dataPath, latin1 } from "./data.js";

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("generic CSV", () => {
  it("headerless impedance.py file: f, Re Z, Im Z (66 rows)", () => {
    const [s] = readImpedanceFile(dataPath("impedancepy__exampleData.csv"));
    assert.equal(s.frequency.length, 66);
    assert.equal(s.frequency[0], Number("3.162299999999999833e-3"));
    assert.equal(s.zReal[0], Number("4.94998977640506016e-2"));
    assert.equal(s.zImag[0], Number("-2.043869854441892481e-2"));
    assert.equal(s.frequency[65], Number("1e4"));
    assert.equal(s.zImag[65], Number("1.015747456493823649e-2"));
    assert.equal(s.time, undefined);
  });

  it("multi-spectrum CSV (Günther 2025 monolayer): 20 spectra split by spectrum_index", () => {
    const spectra = readImpedanceFile(dataPath("pybop_gunther2025__monolayer_17_microns.csv"));
    assert.equal(spectra.length, 20);
    // counts per index from `cut -d, -f1 | uniq -c`
    const counts = [
      794, 807, 754, 739, 743, 761, 774, 768, 778, 797, 795, 785, 797, 792, 810, 784, 813, 803, 805, 794,
    ];
    // Each spectrum repeats one row exactly (e.g. lines 7 and 8: f = 1.9991759882216455e-4 Hz
    // twice with the same Z); the reader drops the repeat and says so.
    assert.deepEqual(
      spectra.map((s) => s.frequency.length),
      counts.map((n) => n - 1),
    );
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      15693,
    );
    assert.deepEqual(spectra[0].notes, [
      "dropped 1 duplicate row (same frequency and impedance as an earlier row; line 8)",
    ]);
    assert.ok(spectra.every((s) => s.notes?.length === 1 && /dropped 1 duplicate row/.test(s.notes[0])));
    assert.equal(spectra[0].meta?.spectrum_index, 1);
    assert.equal(spectra[19].meta?.spectrum_index, 20);
    assert.equal(spectra[0].frequency[0], 0.00009995879941108227);
    assert.equal(spectra[0].zReal[0], 458.6616366090056);
    assert.equal(spectra[0].zImag[0], -288.1545394775309);
    const last = spectra[19];
    const n = last.frequency.length - 1;
    assert.equal(last.frequency[n], 89.96652382534788);
    assert.equal(last.zImag[n], -7.5515436366446975);
  });

  it("chronoamperometry CSV time/s, I/mA: current in A, voltage undefined", () => {
    const t = readTimeSeriesFile(dataPath("surfbulk__Anodic_Current_vs_Time.csv"));
    assert.equal(t.time.length, 8993);
    assert.equal(t.time[0], 0.03075452739699358);
    assert.equal(t.current[0], 0.3951371908187866 / 1000);
    assert.equal(t.time[8992], 179.88094998399902);
    assert.equal(t.current[8992], 0.0004368127603083848 / 1000);
    assert.equal(t.voltage, undefined);
    assert.deepEqual(t.units, { "time/s": "s", "I/mA": "mA" });
  });

  it("column mapping with imagSign and header units (kHz, mOhm)", () => {
    const text = "f [kHz];R [mOhm];X [mOhm];other\n1,5;20;-3,5;x\n0,5;21;4;y\n";
    const [s] = parseImpedance(utf8(text), "m.csv", {
      columns: { frequency: "f [kHz]", zReal: "R [mOhm]", zImag: "X [mOhm]", imagSign: -1 },
    });
    assert.deepEqual([...s.frequency], [1500, 500]);
    assert.deepEqual([...s.zReal], [0.02, 0.021]);
    assert.deepEqual([...s.zImag], [0.0035, -0.004]);
  });

  it("quoted header and cells (spreadsheet export)", () => {
    const t = parseTimeSeries(utf8('"time/s","I/mA","Ewe/V"\n"0","1.5","3.9"\n"1","2","4"\n'), "q.csv");
    assert.deepEqual([...t.current], [0.0015, 0.002]);
    assert.deepEqual([...t.voltage!], [3.9, 4]);
  });

  it("headerless time series with options.units", () => {
    const t = parseTimeSeries(utf8("0,1,3.9\n60,2,4.0\n"), "h.csv", {
      units: { time: "min", current: "mA" },
    });
    assert.deepEqual([...t.time], [0, 3600]);
    assert.deepEqual([...t.current], [0.001, 0.002]);
    assert.deepEqual([...t.voltage!], [3.9, 4.0]);
  });

  it("errors: unknown mapped column, wrong column count, text cell, missing role", () => {
    const file = "time/s,I/mA\n0,1\n1,2\n2\n";
    assert.throws(
      () => parseTimeSeries(utf8(file), "c.csv"),
      (e: unknown) =>
        e instanceof InputError && e.file === "c.csv" && e.line === 4 && /1 values/.test(e.message),
    );
    assert.throws(
      () => parseTimeSeries(utf8("time/s,I/mA\n0,1\n1,two\n"), "c.csv"),
      (e: unknown) => e instanceof InputError && e.line === 3 && e.column === 2 && e.field === "I/mA",
    );
    assert.throws(
      () => parseImpedance(utf8("a,b,c\n1,2,3\n"), "c.csv"),
      (e: unknown) =>
        e instanceof InputError && e.field === "frequency" && /no frequency column/.test(e.message),
    );
    assert.throws(
      () =>
        parseImpedance(utf8("a,b,c\n1,2,3\n"), "c.csv", {
          columns: { frequency: "freq", zReal: "b", zImag: "c" },
        }),
      (e: unknown) => e instanceof InputError && /"freq" for frequency not found/.test(e.message),
    );
    assert.throws(
      () => parseTimeSeries(utf8("time/fortnight,I/A\n1,2\n"), "c.csv"),
      (e: unknown) => e instanceof InputError && /unknown unit "fortnight"/.test(e.message),
    );
    assert.throws(
      () => parseImpedance(utf8("freq/Hz,Re(Z)/Ohm,-Im(Z)/Ohm\n1,2,\n"), "c.csv"),
      (e: unknown) => e instanceof InputError && e.line === 2 && e.field === "-Im(Z)/Ohm",
    );
  });
});

describe("ZPlot .z", () => {
  const name = "impedancepy__Circuit1_EIS_1.z";
  it("reads 48 points after End Comments, Z'' kept as signed Im(Z)", () => {
    const spectra = parseImpedance(dataBytes(name), name);
    assert.equal(detectFormat(dataBytes(name), name), "zplot");
    assert.equal(spectra.length, 1);
    const s = spectra[0];
    assert.equal(s.frequency.length, 48);
    // first row: 5.000000E+04 … 2.590000E+00 2.9036E+01 6.3662E-01
    assert.equal(s.frequency[0], 5e4);
    assert.equal(s.time![0], 2.59);
    assert.equal(s.zReal[0], 29.036);
    assert.equal(s.zImag[0], 0.63662);
    // last row: 1.000000E+00 … 4.085000E+01 7.5803E+01 -1.6244E-01
    assert.equal(s.frequency[47], 1);
    assert.equal(s.zReal[47], 75.803);
    assert.equal(s.zImag[47], -0.16244);
    assert.equal(s.meta?.["Data Points"], 48);
  });
  it("truncated file → InputError (48 points declared)", () => {
    const text = new TextDecoder().decode(dataBytes(name)).split(/\r?\n/).slice(0, 150).join("\n");
    assert.throws(
      () => parseImpedance(latin1(text), "cut.z"),
      (e: unknown) =>
        e instanceof InputError && /declares 48 data points but the file has 27/.test(e.message),
    );
  });
  it("missing End Comments → InputError", () => {
    assert.throws(
      () => parseImpedance(utf8("ZPLOT2 ASCII\n1\t2\t3\n"), "bad.z"),
      (e: unknown) => e instanceof InputError && /End Comments/.test(e.message),
    );
  });
});
