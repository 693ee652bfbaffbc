import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.js";
import { readBiologicMprColumns } from "../../../src/io/instruments/biologic-mpr.js";
import {
  detectFormat,
  parseImpedance,
  parseTimeSeries,
  readMprModules,
} from "../../../src/io/instruments/index.js";
import { dataBytes } from "./data.js";

// Files: test/data/eclab/README.md (MIT, cheminfo and aurora-cycler-manager) and
// test/data/galvani__v1150_PEIS.mpr (CC-BY-4.0).
const eclab = (name: string) => dataBytes(`eclab/${name}`);

/** The .mpt export as printed strings: column names and rows of cells. */
function mptCells(name: string): { names: string[]; rows: string[][] } {
  const lines = new TextDecoder("latin1").decode(eclab(name)).split(/\r?\n/);
  const nHeader = Number(/:\s*(\d+)/.exec(lines[1])![1]);
  const names = lines[nHeader - 1].split("\t");
  const rows = lines
    .slice(nHeader)
    .filter((l) => l.trim() !== "")
    .map((l) => l.split("\t"));
  return { names, rows };
}

/**
 * Tolerance of the .mpr ↔ .mpt comparison: the .mpr stores float32 (24-bit mantissa, relative
 * spacing ≤ 1.2e-7, rounding ≤ 6e-8) or float64; the export prints 8 significant digits
 * (rounding ≤ 5e-8 relative). Both together stay below 1.1e-7 relative; integers (flags, Ns,
 * I Range) must be equal.
 */
const REL = 1.1e-7;

describe("BioLogic .mpr of every data-module version vs its .mpt export, row by row", () => {
  // [file stem, data module version, rows, columns compared]
  const pairs: [string, number, number, number][] = [
    ["cheminfo__ca", 3, 721, 20],
    ["cheminfo__cp", 3, 121, 16],
    ["cheminfo__cv", 2, 5103, 11],
    ["cheminfo__lsv", 3, 1186, 11],
    ["cheminfo__ocv", 3, 602, 4],
    ["cheminfo__zir", 2, 1, 11],
  ];
  for (const [stem, version, nRows, nCompared] of pairs) {
    it(`${stem}.mpr (version ${version}): ${nRows} rows, ${nCompared} columns equal to the export within ${REL} relative`, () => {
      const mpr = readBiologicMprColumns(eclab(`${stem}.mpr`), `${stem}.mpr`);
      const { names, rows } = mptCells(`${stem}.mpt`);
      assert.equal(mpr.meta.dataModuleVersion, version);
      assert.equal(mpr.meta.moduleHeaders, "old (EC-Lab < 11.50)");
      assert.equal(rows.length, nRows);
      let compared = 0;
      for (const name of mpr.names) {
        const col = mpr.columns.get(name)!;
        assert.equal(col.length, nRows, name);
        // cp.mpr ID 174 (<Ewe>/V): the export prints 0 from row 4 on while its own
        // Ewe-Ece/V column equals the stored value minus <Ece>/V; checked below.
        if (stem === "cheminfo__cp" && name === "<Ewe>/V") continue;
        const k = names.indexOf(name);
        assert.ok(k >= 0, `${stem}: .mpr column ${name} is in the export`);
        for (let r = 0; r < nRows; r++) {
          const printed = Number(rows[r][k]);
          const tol = Number.isInteger(printed) && !/E/i.test(rows[r][k]) ? 0 : REL * Math.abs(printed);
          assert.ok(
            Math.abs(col[r] - printed) <= tol,
            `${stem} ${name} row ${r}: ${col[r]} vs ${rows[r][k]}`,
          );
        }
        compared++;
      }
      assert.equal(compared, nCompared);
    });
  }

  it("cheminfo__cp.mpr <Ewe>/V = Ewe-Ece/V + <Ece>/V of the export (within 2e-6 V: two printed float32 values)", () => {
    const mpr = readBiologicMprColumns(eclab("cheminfo__cp.mpr"), "cp.mpr");
    const { names, rows } = mptCells("cheminfo__cp.mpt");
    const kDiff = names.indexOf("Ewe-Ece/V");
    const kEce = names.indexOf("<Ece>/V");
    const ewe = mpr.columns.get("<Ewe>/V")!;
    for (let r = 0; r < rows.length; r++) {
      const expected = Number(rows[r][kDiff]) + Number(rows[r][kEce]);
      assert.ok(Math.abs(ewe[r] - expected) <= 2e-6, `row ${r}: ${ewe[r]} vs ${expected}`);
    }
    assert.ok(Math.abs(ewe[10] - -3.44) < 0.02, "Ewe ≈ −3.44 V during the −100 mA step");
  });

  it("cheminfo__ca.mpr: the one-byte column count of EC-Lab < 11.50 gives the real IDs (not 512, 768 …)", () => {
    const mpr = readBiologicMprColumns(eclab("cheminfo__ca.mpr"), "ca.mpr");
    assert.deepEqual(
      mpr.ids,
      [1, 2, 3, 21, 31, 65, 131, 4, 19, 6, 8, 435, 434, 39, 467, 468, 123, 124, 125, 126],
    );
  });

  it("module headers: old 57-byte (cheminfo__ca) and new 65-byte (galvani v11.50) tile the file", () => {
    const old = eclab("cheminfo__ca.mpr");
    const m0 = readMprModules(old, "ca.mpr");
    assert.deepEqual(
      m0.map((m) => [m.shortName, m.length, m.version, m.newHeader]),
      [
        ["VMP Set", 6691, 0, false],
        ["VMP data", 55923, 3, false],
        ["VMP LOG", 7742, 0, false],
      ],
    );
    assert.equal(m0[2].offset + m0[2].length, old.length);
    const neu = dataBytes("galvani__v1150_PEIS.mpr");
    assert.equal(detectFormat(neu, "whatever.bin"), "biologic-mpr");
    const m1 = readMprModules(neu, "v1150_PEIS.mpr");
    assert.deepEqual(
      m1.map((m) => [m.shortName, m.length, m.version, m.newHeader]),
      [
        ["VMP Set", 6747, 10, true],
        ["VMP data", 13439, 11, true],
        ["VMP LOG", 8103, 10, true],
        ["VMP loop", 280, 10, true],
      ],
    );
    assert.equal(m1[3].offset + m1[3].length, neu.length);
  });
});

describe("BioLogic .mpr, EC-Lab ≥ 11.50 (data module version 11)", () => {
  /** |Z|² = Re² + Im² and tan φ = Im/Re with the file's own |Z| and Phase columns: every
   * column decoded at the right offset (float32: 3e-7 relative on |Z|, 1e-4° on the phase). */
  function checkSelfConsistent(name: string, bytes: Uint8Array, loops: number, perLoop: number) {
    const spectra = parseImpedance(bytes, name);
    assert.equal(spectra.length, loops);
    const all = readBiologicMprColumns(bytes, name);
    const mod = all.columns.get("|Z|/Ohm")!;
    const phase = all.columns.get("Phase(Z)/deg")!;
    let row = 0;
    for (const s of spectra) {
      assert.equal(s.frequency.length, perLoop);
      for (let i = 0; i < s.frequency.length; i++, row++) {
        const m = Math.hypot(s.zReal[i], s.zImag[i]);
        assert.ok(Math.abs(m - mod[row]) <= 3e-7 * mod[row], `${name} row ${row}: |Z| ${m} vs ${mod[row]}`);
        const deg = (Math.atan2(s.zImag[i], s.zReal[i]) * 180) / Math.PI;
        assert.ok(Math.abs(deg - phase[row]) <= 1e-4, `${name} row ${row}: phase ${deg} vs ${phase[row]}`);
      }
    }
    return spectra;
  }

  it("galvani v1150_PEIS: 4 loops × 21 points, 200 kHz → 100 Hz, |Z| and phase consistent", () => {
    const s = checkSelfConsistent("v1150_PEIS.mpr", dataBytes("galvani__v1150_PEIS.mpr"), 4, 21);
    assert.ok(Math.abs(s[0].frequency[0] - 2e5) < 2, String(s[0].frequency[0]));
    assert.ok(Math.abs(s[3].frequency[20] - 100) < 0.1, String(s[3].frequency[20]));
    assert.ok(s[0].zImag[0] < 0 && s[0].zImag[0] > -1, "−Im(Z) = 0.96 Ω stored → Im(Z) ≈ −0.96 Ω");
    assert.equal(s[2].meta?.loop, 2);
  });

  it("aurora PEIS.mpr: 244 points read, |Z| and phase consistent", () => {
    checkSelfConsistent("PEIS.mpr", eclab("aurora__PEIS.mpr"), 1, 244);
  });

  it("GCPL with I/mA (aurora commercial cell): current = I/mA ÷ 1000, no derived column", () => {
    const t = parseTimeSeries(eclab("aurora__commercial_cell_001__1753280829_C01.mpr"), "c.mpr");
    assert.equal(t.time.length, 95);
    assert.equal(t.notes, undefined);
    const i = t.columns["I/mA"];
    for (let k = 0; k < i.length; k++) assert.equal(t.current[k], i[k] / 1000);
  });

  it("OCV without a current column (aurora, 2 rows): current 0 with a note", () => {
    const t = parseTimeSeries(eclab("aurora__file_2025-10-17_162649.mpr"), "ocv.mpr");
    assert.deepEqual([...t.current], [0, 0]);
    assert.match(t.notes![0], /every row is at rest \(mode 3\)/);
    assert.ok(t.voltage![0] > 0 && t.voltage![0] < 5);
  });
});

describe("BioLogic .mpr: current derived from charge (GCPL before EC-Lab 11.50)", () => {
  const name = "aurora__250116_kigr_gen6_01_01_GCPL_CD8.mpr";
  const t = parseTimeSeries(eclab(name), name);
  const c = t.columns;

  it("says how the current was obtained", () => {
    assert.equal(t.notes?.length, 1);
    assert.match(t.notes![0], /dq\/mA\.h × 3\.6 C\/mA·h ÷ Δt/);
  });

  it("I = dq/Δt equals the set current (control/V/mA) within 0.1 % on constant-current rows", () => {
    let checked = 0;
    for (let k = 1; k < t.time.length; k++) {
      if (c.mode[k] !== 1 || c.mode[k - 1] !== 1) continue;
      const set = c["control/V/mA"][k] / 1000;
      assert.ok(Math.abs(t.current[k] - set) <= 1e-3 * Math.abs(set), `row ${k}: ${t.current[k]} vs ${set}`);
      checked++;
    }
    assert.equal(checked, 19);
  });

  it("∫ I dt over the file equals the stored (Q-Qo)/mA.h (charge conservation, 1e-9 relative)", () => {
    let q = 0;
    for (let k = 1; k < t.time.length; k++) q += t.current[k] * (t.time[k] - t.time[k - 1]);
    const stored = c["(Q-Qo)/mA.h"][t.time.length - 1] * 3.6;
    assert.ok(stored !== 0);
    assert.ok(Math.abs(q - stored) <= 1e-9 * Math.abs(stored), `${q} C vs ${stored} C`);
  });

  it("rest rows (mode 3) carry zero current", () => {
    for (let k = 1; k < t.time.length; k++)
      if (c.mode[k] === 3 && c.mode[k - 1] === 3) assert.equal(t.current[k], 0);
  });
});

describe("BioLogic .mpr malformed input", () => {
  const bytes = dataBytes("galvani__v1150_PEIS.mpr");

  /** Copy of the file with column ID number `index` of the data module replaced by `id`. */
  function withColumnId(src: Uint8Array, name: string, index: number, id: number): Uint8Array {
    const copy = new Uint8Array(src);
    const data = readMprModules(copy, name).find((m) => m.shortName === "VMP data")!;
    const idStart = data.version < 10 ? 5 : 6;
    new DataView(copy.buffer).setUint16(data.offset + idStart + 2 * index, id, true);
    return copy;
  }

  it("an unknown column ID → InputError naming the ID and the data-module version", () => {
    assert.throws(
      () => parseImpedance(withColumnId(bytes, "p.mpr", 12, 999), "p.mpr"),
      (e: unknown) =>
        e instanceof InputError &&
        /unknown column ID 999 in data module version 11 \(EC-Lab ≥ 11.50 layout, new module headers\)/.test(
          e.message,
        ),
    );
    const old = eclab("cheminfo__ocv.mpr");
    assert.throws(
      () => parseTimeSeries(withColumnId(old, "ocv.mpr", 3, 777), "ocv.mpr"),
      (e: unknown) =>
        e instanceof InputError &&
        /unknown column ID 777 in data module version 3 \(EC-Lab < 11.50 layout/.test(e.message),
    );
  });

  it("options.mprColumnTypes sizes an unknown ID and the values read again", () => {
    const ok = parseTimeSeries(withColumnId(bytes, "p.mpr", 12, 999), "p.mpr", {
      mprColumnTypes: { 999: "f32" },
    });
    assert.equal(ok.columns["column 999"][5], parseTimeSeries(bytes, "p.mpr").columns["|Ewe|/V"][5]);
  });

  it("a data module without rows → InputError for a time series", () => {
    assert.throws(
      () => parseTimeSeries(eclab("cheminfo__wait.mpr"), "wait.mpr"),
      (e: unknown) => e instanceof InputError && /holds no rows/.test(e.message),
    );
  });

  it("a file without impedance columns asked for a spectrum → InputError", () => {
    assert.throws(
      () => parseImpedance(eclab("cheminfo__ocv.mpr"), "ocv.mpr"),
      (e: unknown) => e instanceof InputError && /no frequency column/.test(e.message),
    );
  });

  it("truncated file → InputError naming the module", () => {
    assert.throws(
      () => parseImpedance(bytes.subarray(0, 15000), "p.mpr"),
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
