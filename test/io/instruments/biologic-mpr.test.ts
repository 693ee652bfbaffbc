import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.js";
import {
  detectFormat,
  parseImpedance,
  parseTimeSeries,
  readMprModules,
} from "../../../src/io/instruments/index.js";
import { dataBytes } from "./data.js";

const MPR = "yadg__peis.issue_149.mpr";
const MPT = "yadg__peis.issue_149.mpt";

/** The .mpt export as a table of printed strings (header line 73, then 84 rows). */
function mptCells(): { names: string[]; rows: string[][] } {
  const lines = new TextDecoder("latin1").decode(dataBytes(MPT)).split(/\r?\n/);
  const names = lines[72].split("\t");
  const rows = lines
    .slice(73)
    .filter((l) => l.trim() !== "")
    .map((l) => l.split("\t"));
  return { names, rows };
}

/** One unit in the last printed digit of a "d.dddE±xx" cell; 0 for integers (must be exact). */
function unitOfPrinted(text: string): number {
  const m = /^[+-]?\d\.(\d+)E([+-]\d+)$/i.exec(text.trim());
  if (!m) return 0;
  return 10 ** (Number(m[2]) - m[1].length);
}

describe("BioLogic .mpr (EC-Lab 11.50, new module headers)", () => {
  const bytes = dataBytes(MPR);

  it("splits into four modules of the observed lengths", () => {
    assert.equal(detectFormat(bytes, "whatever.bin"), "biologic-mpr");
    const modules = readMprModules(bytes, MPR);
    assert.deepEqual(
      modules.map((m) => [m.shortName, m.length, m.version]),
      [
        ["VMP Set", 6747, 10],
        ["VMP data", 13439, 11],
        ["VMP LOG", 8103, 10],
        ["VMP loop", 280, 10],
      ],
    );
    const last = modules[3];
    assert.equal(last.offset + last.length, bytes.length, "modules tile the file exactly");
  });

  it("matches the .mpt export row by row to the printed precision (freq, Re, −Im, time, <Ewe>, <I>, …)", () => {
    const t = parseTimeSeries(bytes, MPR);
    const { names, rows } = mptCells();
    assert.equal(rows.length, 84);
    assert.equal(t.time.length, 84);
    const checked = [
      "freq/Hz",
      "Re(Z)/Ohm",
      "-Im(Z)/Ohm",
      "|Z|/Ohm",
      "Phase(Z)/deg",
      "time/s",
      "<Ewe>/V",
      "<I>/mA",
      "Cs/µF",
      "Cp/µF",
      "cycle number",
      "I Range",
      "|Ewe|/V",
      "|I|/A",
      "Ns",
      "(Q-Qo)/mA.h",
    ];
    let reprinted = 0;
    for (const name of checked) {
      const k = names.indexOf(name);
      assert.ok(k >= 0, name);
      const col = t.columns[name];
      assert.ok(col, `mpr column ${name}`);
      // EC-Lab prints float32 columns as %.7E (8 significant digits) and float64 columns
      // (time/s, cycle number, (Q-Qo)/mA.h) with 16 digits. float32 values must lie within half
      // a unit of the printed last digit (correct rounding) and re-print to the same digits; the
      // 16-digit printing of doubles is not always correctly rounded (time/s row 21:
      // 280.15708350535715 printed as 2.801570835053572E+002), so doubles get one unit.
      const isDouble = /^\S\.\d{15}E/.test(rows[0][k].replace(/^-/, ""));
      for (let r = 0; r < rows.length; r++) {
        const printed = rows[r][k];
        const unit = unitOfPrinted(printed);
        const diff = Math.abs(col[r] - Number(printed));
        assert.ok(diff <= (isDouble ? 1 : 0.5) * unit, `${name} row ${r}: mpr ${col[r]} vs mpt ${printed}`);
        if (!isDouble && unit > 0) {
          const digits = printed.replace(/^-/, "").split(/E/i)[0].length - 2;
          assert.equal(
            col[r].toExponential(digits),
            Number(printed).toExponential(digits),
            `${name} row ${r}`,
          );
        }
        reprinted++;
      }
    }
    assert.equal(reprinted, checked.length * 84);
  });

  it("impedance: four loops equal to the .mpt spectra to the printed precision, Im(Z) = −(−Im)", () => {
    const fromMpr = parseImpedance(bytes, MPR);
    const fromMpt = parseImpedance(dataBytes(MPT), MPT);
    assert.equal(fromMpr.length, 4);
    for (let l = 0; l < 4; l++) {
      const a = fromMpr[l];
      const b = fromMpt[l];
      assert.equal(a.frequency.length, 21);
      for (let i = 0; i < 21; i++) {
        // float32 has 24 bits (relative spacing 6e-8) and the export prints 8 digits (≤ 5e-8
        // relative half-unit): both roundings together stay below 1e-7 relative.
        for (const [x, y] of [
          [a.frequency[i], b.frequency[i]],
          [a.zReal[i], b.zReal[i]],
          [a.zImag[i], b.zImag[i]],
        ]) {
          assert.ok(Math.abs(x - y) <= 1e-7 * Math.abs(y), `loop ${l} row ${i}: ${x} vs ${y}`);
        }
        // time is float64 printed with 16 digits (see above: one unit in the 16th digit).
        assert.ok(Math.abs(a.time![i] - b.time![i]) <= 1e-15 * 10 * b.time![i], `time loop ${l} row ${i}`);
      }
      assert.equal(a.meta?.loop, l);
    }
    assert.ok(fromMpr[0].zImag[0] < 0 && fromMpr[0].zImag[0] > -1, "−Im(Z) = 0.9617 Ω → Im(Z) ≈ −0.9617 Ω");
  });

  it("time series: <I>/mA → A and <Ewe>/V", () => {
    const t = parseTimeSeries(bytes, MPR);
    const { names, rows } = mptCells();
    const kI = names.indexOf("<I>/mA");
    const kE = names.indexOf("<Ewe>/V");
    for (let r = 0; r < 84; r++) {
      // relative 1e-7: float32 storage + 8 printed digits, as above.
      assert.ok(
        Math.abs(t.current[r] - Number(rows[r][kI]) / 1000) <= 1e-7 * Math.abs(Number(rows[r][kI]) / 1000),
      );
      assert.ok(Math.abs(t.voltage![r] - Number(rows[r][kE])) <= 1e-7 * Number(rows[r][kE]));
    }
    assert.equal(t.step![0], 0);
    assert.deepEqual([...new Set(t.cycle)], [1, 2, 3, 4]);
  });

  /** Copy of the file with column ID number `index` of the data module replaced by `id`. */
  function withColumnId(src: Uint8Array, index: number, id: number): Uint8Array {
    const copy = new Uint8Array(src);
    const data = readMprModules(copy, MPR).find((m) => m.shortName === "VMP data")!;
    new DataView(copy.buffer).setUint16(data.offset + 6 + 2 * index, id, true);
    return copy;
  }

  it("one unknown column ID of inferable size is skipped, the rest still reads", () => {
    // index 12 is |Ewe|/V (ID 33, float32) → pretend it is an unknown ID 999
    const spectra = parseImpedance(withColumnId(bytes, 12, 999), MPR);
    const ref = parseImpedance(bytes, MPR);
    assert.deepEqual(spectra[3].zReal, ref[3].zReal);
    assert.match(String(spectra[0].meta?.skippedColumnIds), /999 \(4 bytes\)/);
  });

  it("two unknown column IDs → InputError, unless options.mprColumnTypes sizes them", () => {
    const bad = withColumnId(withColumnId(bytes, 12, 999), 13, 998);
    assert.throws(
      () => parseImpedance(bad, MPR),
      (e: unknown) =>
        e instanceof InputError && /unknown column IDs 999, 998 of unknown size/.test(e.message),
    );
    const ok = parseTimeSeries(bad, MPR, { mprColumnTypes: { 999: "f32", 998: "f32" } });
    assert.equal(ok.columns["column 999"][0], parseTimeSeries(bytes, MPR).columns["|Ewe|/V"][0]);
  });

  it("truncated file → InputError naming the module", () => {
    assert.throws(
      () => parseImpedance(bytes.subarray(0, 15000), MPR),
      (e: unknown) => e instanceof InputError && e.field === "VMP data" && /truncated/.test(e.message),
    );
  });

  it("wrong magic → InputError", () => {
    const copy = new Uint8Array(bytes);
    copy[0] = 0x58;
    assert.throws(
      () => parseImpedance(copy, "x.mpr"),
      (e: unknown) => e instanceof InputError && /not a BioLogic .mpr file/.test(e.message),
    );
  });
});
