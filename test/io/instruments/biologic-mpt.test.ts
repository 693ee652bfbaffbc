import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.js";
import { parseImpedance, parseTimeSeries } from "../../../src/io/instruments/index.js";
import { readImpedanceFile } from "../../../src/io/instruments/node.js";
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

/** The lines of a real export in test/data/eclab (MIT, cheminfo). */
function mptLines(name: string): string[] {
  return new TextDecoder("latin1").decode(dataBytes(`eclab/${name}`)).split(/\r?\n/);
}

describe("BioLogic .mpt PEIS (cheminfo, 68 header lines)", () => {
  const name = "cheminfo__peis.mpt";
  it("reads 32 points, first and last row as printed", () => {
    const spectra = parseImpedance(dataBytes(`eclab/${name}`), name);
    assert.equal(spectra.length, 1);
    const s = spectra[0];
    assert.equal(s.frequency.length, 32);
    // first row: 1.9999814E+005 1.0512296E+001 7.3047662E-001 … time 4.481567263361649E+002
    assert.equal(s.frequency[0], 199998.14);
    assert.equal(s.zReal[0], 10.512296);
    assert.equal(s.zImag[0], -0.73047662);
    assert.equal(s.time![0], 448.1567263361649);
    // last row: 1.0000616E+000 1.8024315E+001 2.6962531E+000
    assert.equal(s.frequency[31], 1.0000616);
    assert.equal(s.zReal[31], 18.024315);
    assert.equal(s.zImag[31], -2.6962531);
    assert.equal(s.notes, undefined, "nothing dropped");
  });

  it("declared loops split the table (Loop lines added to the real header)", () => {
    const lines = mptLines(name);
    const nHeader = 68;
    const loopLines = [
      "Number of loops : 2",
      "Loop 0 from point number 0 to 15",
      "Loop 1 from point number 16 to 31",
    ];
    const text = [
      lines[0],
      `Nb header lines : ${nHeader + 3}`,
      ...lines.slice(2, nHeader - 1),
      ...loopLines,
      ...lines.slice(nHeader - 1),
    ].join("\n");
    const spectra = parseImpedance(latin1(text), "loops.mpt");
    assert.deepEqual(
      spectra.map((s) => s.frequency.length),
      [16, 16],
    );
    assert.equal(spectra[1].frequency[15], 1.0000616);
    assert.equal(spectra[1].meta?.loop, 1);
    assert.equal(spectra[1].label, "loops.mpt loop 1");
    assert.equal(parseImpedance(latin1(text), "loops.mpt", { split: false })[0].frequency.length, 32);
    // Truncated after 20 data rows: loop 1 runs past the data.
    const cut = text
      .split("\n")
      .slice(0, nHeader + 3 + 20)
      .join("\n");
    assert.throws(
      () => parseImpedance(latin1(cut), "y.mpt"),
      (e: unknown) =>
        e instanceof InputError && /loop from point 16 to 31 but the file has 20/.test(e.message),
    );
  });
});

describe("BioLogic .mpt Modulo Bat (cheminfo): zero-frequency cycling rows between 8 EIS sweeps", () => {
  const name = "cheminfo__mb.mpt";
  const spectra = parseImpedance(dataBytes(`eclab/${name}`), name);

  it("drops the 1028 rows with frequency 0 with a note and splits 8 spectra of 70 points", () => {
    assert.deepEqual(
      spectra.map((s) => s.frequency.length),
      [70, 70, 70, 70, 70, 70, 70, 70],
    );
    assert.match(spectra[0].notes![0], /^dropped 1028 rows with frequency 0 .*lines 90, 91/);
    assert.equal(spectra[0].frequency[0], 1000018.6);
    assert.equal(spectra[7].frequency[69], 0.099904113);
    assert.equal(spectra[7].meta?.spectrum, 7);
  });

  it("every kept row is a point with positive frequency and |Z|² = Re² + Im² (file's |Z|/Ohm column)", () => {
    const t = parseTimeSeries(dataBytes(`eclab/${name}`), name);
    const f = t.columns["freq/Hz"];
    const mod = t.columns["|Z|/Ohm"];
    const kept: number[] = [];
    for (let i = 0; i < f.length; i++) if (f[i] !== 0) kept.push(i);
    assert.equal(kept.length, 560);
    let j = 0;
    for (const s of spectra) {
      for (let i = 0; i < s.frequency.length; i++, j++) {
        assert.ok(s.frequency[i] > 0);
        const m = Math.hypot(s.zReal[i], s.zImag[i]);
        // three printed float32 values (8 digits each): 3e-7 relative
        assert.ok(Math.abs(m - mod[kept[j]]) <= 3e-7 * mod[kept[j]], `point ${j}`);
      }
    }
  });

  it("an exact duplicate row is dropped with a note naming its line", () => {
    const lines = mptLines(name);
    const dupAt = 89 + 6 + 5; // a row inside the first EIS sweep (file line 101)
    const text = [...lines.slice(0, dupAt), lines[dupAt - 1], ...lines.slice(dupAt)];
    text[1] = "Nb header lines : 89";
    const s = parseImpedance(latin1(text.join("\n")), "dup.mpt");
    assert.equal(s[0].frequency.length, 70);
    assert.match(s[0].notes![1], /dropped 1 duplicate row .*line 101\b/);
  });
});

describe("BioLogic .mpt time series", () => {
  it("chronoamperometry (cheminfo__ca): I/mA → A, 721 rows", () => {
    const t = parseTimeSeries(dataBytes("eclab/cheminfo__ca.mpt"), "ca.mpt");
    assert.equal(t.time.length, 721);
    for (let k = 0; k < 721; k += 60) assert.equal(t.current[k], t.columns["I/mA"][k] / 1000);
    assert.equal(t.units["I/mA"], "mA");
    assert.equal(t.units["Capacitance charge/µF"], "µF", "latin-1 µ decoded");
  });
  it("OCV without a current column: zero current with a note", () => {
    const t = parseTimeSeries(dataBytes("eclab/cheminfo__ocv.mpt"), "ocv.mpt");
    assert.equal(t.time.length, 602);
    assert.ok(t.current.every((i) => i === 0));
    assert.match(t.notes![0], /at rest/);
  });
  it("an empty column name in the header is read as 'column k'", () => {
    const text =
      "EC-Lab ASCII FILE\r\nNb header lines : 4\r\n\r\nfreq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\ttime/s\t\t\r\n1.0\t2.0\t3\t0.5\t5\t\r\n2.0\t2.5\t3.5\t0.6\t6\t\r\n";
    const t = parseTimeSeries(latin1(text), "e.mpt", { columns: { current: "column 5" } });
    assert.deepEqual([...t.columns["column 5"]], [5, 6]);
    assert.deepEqual([...parseImpedance(latin1(text), "e.mpt")[0].zImag], [-3, -3.5]);
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
});
