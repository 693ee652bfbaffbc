/**
 * Mutation test of every file reader (issue 13 §4): seeded mutants of the real files in
 * test/data (EC-Lab .mpr/.mpt, Gamry .DTA, ZPlot .z, CSV, Maccor, Neware, Arbin, XLSX, TIFF) and of
 * NPY/PNG files our writers made from a real TIFF slice.
 *
 * Invariants checked on every mutant:
 *  1. the reader returns or throws InputError — never TypeError/RangeError/… (exit 1 in the CLI);
 *  2. no hang: each call under 3 s, the whole file under 30 s (node:test timeout);
 *  3. what it returns is whole: SI arrays finite and of equal length, volumes with
 *     data.length = nz·ny·nx and finite positive spacing.
 * And on structural mutants of the text tables (a junk line inside the data, a repeated
 * impedance row): an InputError, or the original result with a note — never a silently
 * shorter or different table.
 * Truncations and byte flips inside numbers can change values silently (a digit is data);
 * those mutants are held to invariants 1–3 only.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { InputError } from "../../src/errors.js";
import type { Volume } from "../../src/imaging/volume.js";
import {
  type ImpedanceSpectrum,
  parseImpedance,
  parseTimeSeries,
  type TimeSeries,
} from "../../src/io/instruments/index.js";
import { encodeNpy, readNpy } from "../../src/io/npy.js";
import { crc32, encodePngSlice, readPng } from "../../src/io/png.js";
import { encodeTiff, readTiff } from "../../src/io/tiff.js";

const data = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../data/${name}`, import.meta.url))));

/** mulberry32: a small seeded PRNG (uniform [0, 1)), so every run sees the same mutants. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Result = ImpedanceSpectrum[] | TimeSeries | Volume;

interface Target {
  name: string;
  bytes: Uint8Array;
  read: (bytes: Uint8Array) => Result;
  text: boolean;
  /** Impedance tables: a repeated data row must be dropped with a note. */
  impedance?: boolean;
  /** Fraction of the lines at the end that are data rows (for structural mutants). */
  dataTail?: number;
}

function checkWhole(r: Result, label: string): void {
  const finite = (a: Float64Array, what: string) => {
    for (let i = 0; i < a.length; i++) assert.ok(Number.isFinite(a[i]), `${label}: ${what}[${i}] = ${a[i]}`);
  };
  if (Array.isArray(r)) {
    for (const s of r) {
      const n = s.frequency.length;
      assert.ok(n > 0, `${label}: empty spectrum`);
      assert.equal(s.zReal.length, n, label);
      assert.equal(s.zImag.length, n, label);
      finite(s.frequency, "frequency");
      finite(s.zReal, "zReal");
      finite(s.zImag, "zImag");
    }
  } else if ("time" in r) {
    const n = r.time.length;
    assert.equal(r.current.length, n, label);
    finite(r.time, "time");
    finite(r.current, "current");
    if (r.voltage) {
      assert.equal(r.voltage.length, n, label);
      finite(r.voltage, "voltage");
    }
  } else {
    const [nz, ny, nx] = r.shape;
    assert.equal(r.data.length, nz * ny * nx, `${label}: data length vs shape`);
    for (const s of r.spacing) assert.ok(Number.isFinite(s) && s > 0, `${label}: spacing ${s}`);
  }
}

/** Run the reader on a mutant: InputError or a whole result, within 3 s. */
function attempt(t: Target, bytes: Uint8Array, label: string): Result | InputError {
  const start = performance.now();
  let out: Result | InputError;
  try {
    out = t.read(bytes);
  } catch (e) {
    if (!(e instanceof InputError)) {
      assert.fail(`${label}: ${(e as Error)?.constructor?.name} escaped: ${(e as Error)?.message}`);
    }
    out = e;
  }
  const ms = performance.now() - start;
  assert.ok(ms < 3000, `${label}: took ${ms.toFixed(0)} ms`);
  if (!(out instanceof InputError)) checkWhole(out, label);
  return out;
}

const lines = (b: Uint8Array) => new TextDecoder("latin1").decode(b).split("\n");
const latin1 = (text: string) => {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
};

/** Byte-level mutants for every file. */
function byteMutants(bytes: Uint8Array, rnd: () => number, count: number): [string, Uint8Array][] {
  const out: [string, Uint8Array][] = [];
  const at = (limit: number) => Math.floor(rnd() * Math.min(limit, bytes.length));
  for (let k = 0; k < count; k++) {
    const kind = k % 4;
    if (kind === 0) {
      const n = 1 + at(bytes.length - 1);
      out.push([`truncated to ${n} bytes`, bytes.slice(0, n)]);
    } else if (kind === 1) {
      const m = new Uint8Array(bytes);
      const flips = 1 + Math.floor(rnd() * 8);
      for (let j = 0; j < flips; j++) m[at(bytes.length)] ^= 1 << Math.floor(rnd() * 8);
      out.push([`${flips} bit flips`, m]);
    } else if (kind === 2) {
      // header region: sizes, counts, offsets live in the first kilobytes
      const m = new Uint8Array(bytes);
      const p = at(2048);
      const v = [0xffffffff, 0x7fffffff, 0x10000, Math.floor(rnd() * 2 ** 32)][Math.floor(rnd() * 4)];
      if (p + 4 <= m.length) new DataView(m.buffer).setUint32(p, v, rnd() < 0.5);
      out.push([`u32 ${v} at byte ${p}`, m]);
    } else {
      const m = new Uint8Array(bytes);
      const p = at(bytes.length);
      const n = Math.min(64, bytes.length - p);
      for (let j = 0; j < n; j++) m[p + j] = Math.floor(rnd() * 256);
      out.push([`${n} random bytes at ${p}`, m]);
    }
  }
  return out;
}

/** Line-level mutants of text files (delete, swap, a digit replaced by a letter). */
function lineMutants(bytes: Uint8Array, rnd: () => number, count: number): [string, Uint8Array][] {
  const ls = lines(bytes);
  const out: [string, Uint8Array][] = [];
  for (let k = 0; k < count; k++) {
    const i = Math.floor(rnd() * ls.length);
    const m = [...ls];
    const kind = k % 3;
    if (kind === 0) m.splice(i, 1);
    else if (kind === 1 && i + 1 < m.length) [m[i], m[i + 1]] = [m[i + 1], m[i]];
    else m[i] = m[i].replace(/\d/, "x");
    out.push([`line ${i + 1} ${["deleted", "swapped", "digit→x"][kind]}`, latin1(m.join("\n"))]);
  }
  return out;
}

/** A 48×64 uint8 slice of the real XCT mask (MIT, battery_xct_workflows), for NPY/PNG/TIFF writers. */
function realSlice(): Volume<Uint8Array> {
  const { volume } = readTiff(data("imaging/bxw_cylcell_xct_slice_mask_1.tif"));
  const [, ny, nx] = volume.shape;
  const out = new Uint8Array(48 * 64);
  for (let y = 0; y < 48; y++)
    for (let x = 0; x < 64; x++)
      out[x + 64 * y] = volume.data[x + 200 + nx * (y + Math.floor(ny / 2))] as number;
  return { data: out, shape: [1, 48, 64], spacing: [1e-6, 1e-6, 1e-6] };
}

/** The real cycler workbook (cellpy, MIT) with its Record-Tab cut to the first 40 rows. */
function smallWorkbook(): Uint8Array {
  const parts = unzipSync(data("cyclers/cellpy__custom_data_002.xlsx"));
  const xml = strFromU8(parts["xl/worksheets/sheet2.xml"]);
  const ends = [...xml.matchAll(/<\/row>/g)].map((m) => (m.index ?? 0) + "</row>".length);
  parts["xl/worksheets/sheet2.xml"] = strToU8(
    xml.slice(0, ends[39]) + xml.slice(xml.indexOf("</sheetData>")),
  );
  return zipSync(parts);
}

function targets(): Target[] {
  const imp = (name: string) => (b: Uint8Array) => parseImpedance(b, name);
  const ts = (name: string) => (b: Uint8Array) => parseTimeSeries(b, name);
  const neware = lines(data("cyclers/cellpy__neware_uio.csv")).slice(0, 150).join("\n");
  const slice = realSlice();
  const tiff = encodeTiff({ ...slice, data: slice.data, shape: [2, 24, 64] });
  return [
    {
      name: "galvani__v1150_PEIS.mpr",
      bytes: data("galvani__v1150_PEIS.mpr"),
      read: imp("p.mpr"),
      text: false,
    },
    {
      name: "eclab/cheminfo__ocv.mpr",
      bytes: data("eclab/cheminfo__ocv.mpr"),
      read: ts("o.mpr"),
      text: false,
    },
    {
      name: "eclab/aurora__250116_kigr_gen6_01_01_GCPL_CD8.mpr",
      bytes: data("eclab/aurora__250116_kigr_gen6_01_01_GCPL_CD8.mpr"),
      read: ts("g.mpr"),
      text: false,
    },
    {
      name: "eclab/cheminfo__peis.mpt",
      bytes: data("eclab/cheminfo__peis.mpt"),
      read: imp("p.mpt"),
      text: true,
      impedance: true,
      dataTail: 0.3,
    },
    {
      name: "impedancepy__exampleDataBioLogic.mpt",
      bytes: data("impedancepy__exampleDataBioLogic.mpt"),
      read: imp("b.mpt"),
      text: true,
      impedance: true,
      dataTail: 0.3,
    },
    {
      name: "impedancepy__exampleDataGamry.DTA",
      bytes: data("impedancepy__exampleDataGamry.DTA"),
      read: imp("g.DTA"),
      text: true,
      impedance: true,
      dataTail: 0.1,
    },
    {
      name: "impedancepy__Circuit1_EIS_1.z",
      bytes: data("impedancepy__Circuit1_EIS_1.z"),
      read: imp("c.z"),
      text: true,
      impedance: true,
      dataTail: 0.3,
    },
    {
      name: "impedancepy__exampleData.csv",
      bytes: data("impedancepy__exampleData.csv"),
      read: imp("e.csv"),
      text: true,
      impedance: true,
      dataTail: 0.5,
    },
    {
      name: "beep__maccor_test_file_4267-66-6519.041",
      bytes: data("beep__maccor_test_file_4267-66-6519.041"),
      read: ts("m.041"),
      text: true,
      dataTail: 0.3,
    },
    {
      name: "surfbulk__Anodic_Current_vs_Time.csv (first 300 lines)",
      bytes: latin1(lines(data("surfbulk__Anodic_Current_vs_Time.csv")).slice(0, 300).join("\n")),
      read: ts("s.csv"),
      text: true,
      dataTail: 0.5,
    },
    {
      name: "cyclers/cellpy__neware_uio.csv (first 150 lines)",
      bytes: latin1(neware),
      read: ts("n.csv"),
      text: true,
      dataTail: 0.5,
    },
    {
      name: "cyclers/beep__FastCharge_000025_CH8.csv",
      bytes: data("cyclers/beep__FastCharge_000025_CH8.csv"),
      read: ts("a.csv"),
      text: true,
      dataTail: 0.5,
    },
    {
      name: "cyclers/cellpy__custom_data_002.xlsx (Record-Tab cut to 40 rows)",
      bytes: smallWorkbook(),
      read: ts("c.xlsx"),
      text: false,
    },
    {
      name: "imaging/bxw_cylcell_xct_slice_mask_1.tif",
      bytes: data("imaging/bxw_cylcell_xct_slice_mask_1.tif"),
      read: (b) => readTiff(b, { file: "m.tif" }).volume,
      text: false,
    },
    {
      name: "TIFF written from a real slice",
      bytes: tiff,
      read: (b) => readTiff(b, { file: "s.tif" }).volume,
      text: false,
    },
    {
      name: "NPY written from a real slice",
      bytes: encodeNpy(slice),
      read: (b) => readNpy(b, { file: "s.npy" }),
      text: false,
    },
    {
      name: "PNG written from a real slice",
      bytes: encodePngSlice(slice),
      read: (b) => readPng(b, { file: "s.png" }),
      text: false,
    },
  ];
}

/** Comparable digest of a result (arrays as plain lists). */
function digest(r: Result): unknown {
  if (Array.isArray(r)) return r.map((s) => [[...s.frequency], [...s.zReal], [...s.zImag]]);
  if ("time" in r) return [[...r.time], [...r.current], r.voltage ? [...r.voltage] : null];
  return [r.shape, Array.from(r.data as ArrayLike<number>)];
}

describe("mutation test of every reader (seeded; invariants in the file header)", { timeout: 30000 }, () => {
  const all = targets();
  all.forEach((t, index) => {
    it(`${t.name}: the unmutated file reads; byte${t.text ? ", line and structural" : ""} mutants keep the invariants`, () => {
      const original = attempt(t, t.bytes, `${t.name} (original)`);
      assert.ok(!(original instanceof InputError), `${t.name} must read: ${String(original)}`);
      const rnd = prng(0x5eed + index);
      let errors = 0;
      let mutants = 0;
      const cases = byteMutants(t.bytes, rnd, 60);
      if (t.text) cases.push(...lineMutants(t.bytes, rnd, 30));
      let unchanged = 0;
      for (const [what, bytes] of cases) {
        mutants++;
        if (bytes.length === t.bytes.length && bytes.every((b, i) => b === t.bytes[i])) unchanged++;
        else if (attempt(t, bytes, `${t.name}: ${what}`) instanceof InputError) errors++;
        else if (t.name.startsWith("PNG")) assert.fail(`${t.name}: ${what} was read`);
      }
      if (t.text) {
        const ls = lines(t.bytes);
        const lastData = ls.length - (ls[ls.length - 1].trim() === "" ? 2 : 1);
        const firstData = Math.max(1, Math.floor(ls.length * (1 - (t.dataTail ?? 0.3))));
        for (let k = 0; k < 6; k++) {
          const i = firstData + Math.floor(rnd() * (lastData - firstData));
          const label = `${t.name}: junk line before line ${i + 1}`;
          const junk = [...ls.slice(0, i), "12abc;xyz\tjunk,here", ...ls.slice(i)];
          const r = attempt(t, latin1(junk.join("\n")), label);
          mutants++;
          if (r instanceof InputError) errors++;
          else {
            assert.deepEqual(digest(r), digest(original), `${label}: result changed`);
            const notes = Array.isArray(r)
              ? r.flatMap((s) => s.notes ?? [])
              : ((r as TimeSeries).notes ?? []);
            assert.ok(notes.length > 0, `${label}: read without a note`);
          }
          if (t.impedance) {
            const label2 = `${t.name}: line ${i + 1} repeated`;
            const dup = [...ls.slice(0, i + 1), ls[i], ...ls.slice(i + 1)];
            const d = attempt(t, latin1(dup.join("\n")), label2);
            mutants++;
            if (d instanceof InputError) errors++;
            else {
              assert.deepEqual(digest(d), digest(original), `${label2}: result changed`);
              assert.ok(
                (d as ImpedanceSpectrum[]).some((s) => (s.notes ?? []).some((n) => /duplicate/.test(n))),
                `${label2}: no note`,
              );
            }
          }
        }
      }
      // PNG chunks carry CRC-32s: every corrupted or truncated PNG is refused.
      if (t.name.startsWith("PNG")) assert.equal(errors + unchanged, mutants, "PNG mutants all refused");
      // Most mutants must be caught; a reader that accepts everything checks nothing.
      assert.ok(errors >= mutants / 5, `${t.name}: only ${errors} of ${mutants} mutants refused`);
    });
  });
});

describe("declared sizes larger than the data: refused before allocating", () => {
  const slice = realSlice();

  it("PNG whose IHDR claims 20000×20000 or 100000×100000 → InputError within 500 ms (no allocation)", () => {
    const png = encodePngSlice(slice);
    for (const [w, h] of [
      [20000, 20000],
      [100000, 100000],
      [65, 48],
    ]) {
      const m = new Uint8Array(png);
      const dv = new DataView(m.buffer);
      dv.setUint32(16, w);
      dv.setUint32(20, h);
      dv.setUint32(29, crc32(m, 12, 29)); // a consistent IHDR: only the size claim is wrong
      const start = performance.now();
      assert.throws(
        () => readPng(m, { file: "bomb.png" }),
        (e: unknown) =>
          e instanceof InputError &&
          /PNG header declares|cannot decode PNG/.test(e.message) &&
          e.file === "bomb.png",
        `${w}×${h}`,
      );
      assert.ok(performance.now() - start < 500, `${w}×${h}: ${performance.now() - start} ms`);
    }
  });

  it("NPY whose header claims (100000, 100000) → InputError naming the bytes expected", () => {
    const npy = encodeNpy(slice);
    const len = new DataView(npy.buffer).getUint16(8, true);
    const header = new TextDecoder().decode(npy.subarray(10, 10 + len));
    const claimed = header.replace(/'shape': \([^)]*\)/, "'shape': (100000, 100000)");
    const m = new Uint8Array(npy);
    m.set(new TextEncoder().encode(claimed.slice(0, len - 1).padEnd(len - 1, " ")), 10);
    assert.throws(
      () => readNpy(m, { file: "bomb.npy" }),
      (e: unknown) => e instanceof InputError && /10000000000 bytes/.test(e.message),
    );
  });
});
