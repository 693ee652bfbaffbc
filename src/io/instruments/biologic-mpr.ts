/**
 * BioLogic EC-Lab binary data files (`.mpr`), written from the byte layout observed in the
 * real files of test/data/eclab and test/data/galvani__v1150_PEIS.mpr (data modules of
 * versions 2, 3 and 11; EC-Lab before and after 11.50) and checked row by row against their
 * `.mpt` exports (test/io/instruments/biologic-mpr.test.ts).
 *
 * File: the text "BIO-LOGIC MODULAR FILE" + 0x1A, padded to byte 52, then modules back to back.
 * Module header (all integers little-endian u32):
 *   "MODULE" | short name (10 ASCII) | long name (25 ASCII) | …
 *   new format (EC-Lab ≥ 11.50, recognised by 0xFFFFFFFF after the long name):
 *     0xFFFFFFFF | length | reserved | version | date "MM/DD/YY"   → 65-byte header
 *   older format (EC-Lab < 11.50, the cheminfo and aurora GCPL files):
 *     length | version | date "MM/DD/YY"                            → 57-byte header
 * followed by `length` bytes of content.
 *
 * "VMP data" content: u32 row count n | column count c | c u16 column IDs | … | n rows. The
 * count is one byte (IDs from byte 5) in versions 2 and 3, a u16 (IDs from byte 6) in version
 * 11. A row packs the columns in ID-list order with the sizes of biologic-mpr-columns.ts; the
 * data start `length − n·rowSize` is 405 (version 2), 406 (version 3) or 1007 (version 11).
 *
 * "VMP loop" content: u32 k | k u32 row indices where loops start, the last one equal to n
 * (galvani v1150_PEIS: 0, 21, 42, 63, 84 → four loops, matching the `.mpt` "Loop" lines).
 *
 * The `.mpr` holds the raw values; EC-Lab's export replaces the EIS quality indicators
 * (THD, NSD, NSR, harmonics) of the first two points of every loop by −1 or 0, and in the CP
 * file prints `<Ewe>/V` as 0 from row 4 on, so those columns differ there from the `.mpt`.
 */
import { InputError } from "../../errors.js";
import { MPR_COLUMNS, MPR_FLAGS, mprTypeSize } from "./biologic-mpr-columns.js";
import { type ColumnSet, cleanImpedanceSpectra, timeSeriesFromColumns } from "./columns.js";
import type {
  ImpedanceReadOptions,
  ImpedanceSpectrum,
  MprValueType,
  TimeSeries,
  TimeSeriesReadOptions,
} from "./types.js";

const MAGIC = "BIO-LOGIC MODULAR FILE";

interface MprModule {
  shortName: string;
  longName: string;
  version: number;
  date: string;
  /** True for the 65-byte module headers of EC-Lab ≥ 11.50, false for the 57-byte ones. */
  newHeader: boolean;
  /** Byte offset of the content in the file. */
  offset: number;
  length: number;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  let s = "";
  for (let i = from; i < to && i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function fail(name: string, message: string, expected: string, field?: string): never {
  throw new InputError(message, { file: name, field, expected });
}

/** Split the file into modules; throws InputError when a module runs past the end of the file. */
export function readMprModules(bytes: Uint8Array, name: string): MprModule[] {
  if (ascii(bytes, 0, MAGIC.length) !== MAGIC) {
    fail(name, "not a BioLogic .mpr file", `the bytes "${MAGIC}" at the start`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const modules: MprModule[] = [];
  let p =
    ascii(bytes, 52, 58) === "MODULE" ? 52 : ascii(bytes, 0, Math.min(bytes.length, 4096)).indexOf("MODULE");
  if (p < 0) fail(name, "no MODULE header found", 'a "MODULE" header after the file header');
  while (p < bytes.length) {
    if (p + 57 > bytes.length) {
      fail(
        name,
        `module header at byte ${p} is cut off (file has ${bytes.length} bytes)`,
        "a complete module header",
      );
    }
    if (ascii(bytes, p, p + 6) !== "MODULE") {
      fail(
        name,
        `expected "MODULE" at byte ${p}, found "${ascii(bytes, p, p + 6)}"`,
        "module headers back to back",
      );
    }
    const shortName = ascii(bytes, p + 6, p + 16).trim();
    const longName = ascii(bytes, p + 16, p + 41).trim();
    const newFormat = view.getUint32(p + 41, true) === 0xffffffff;
    let length: number;
    let version: number;
    let date: string;
    let header: number;
    if (newFormat) {
      if (p + 65 > bytes.length)
        fail(name, `module header at byte ${p} is cut off`, "a complete module header");
      length = view.getUint32(p + 45, true);
      version = view.getUint32(p + 53, true);
      date = ascii(bytes, p + 57, p + 65);
      header = 65;
    } else {
      length = view.getUint32(p + 41, true);
      version = view.getUint32(p + 45, true);
      date = ascii(bytes, p + 49, p + 57);
      header = 57;
    }
    const offset = p + header;
    if (offset + length > bytes.length) {
      fail(
        name,
        `module "${longName}" needs ${length} bytes from byte ${offset} but the file ends at ${bytes.length} (truncated?)`,
        `${offset + length} bytes`,
        shortName,
      );
    }
    modules.push({ shortName, longName, version, date, newHeader: newFormat, offset, length });
    p = offset + length;
  }
  return modules;
}

interface ColumnPlan {
  id: number;
  name: string;
  type: MprValueType | "flags";
  offset: number;
  size: number;
}

/**
 * Byte offset of the first row inside the "VMP data" module, by module version (verified on
 * the files listed in test/data/eclab/README.md): version 2 → 405, version 3 → 406 (both
 * EC-Lab < 11.50), version 11 → 1007 (EC-Lab ≥ 11.50). Other versions: undefined (no file
 * seen; the start is then taken as module length − rows × row size and checked to lie after
 * the column list).
 */
function knownDataStart(version: number): number | undefined {
  if (version >= 11) return 1007;
  if (version === 3) return 406;
  if (version === 2) return 405;
  return undefined;
}

/** Human description of a data-module version for error messages. */
function describeVersion(version: number, newHeader: boolean): string {
  const ec = version >= 10 ? "EC-Lab ≥ 11.50 layout" : "EC-Lab < 11.50 layout";
  return `data module version ${version} (${ec}, ${newHeader ? "new" : "old"} module headers)`;
}

interface MprData {
  set: ColumnSet;
  meta: Record<string, string | number>;
  loops: [number, number][];
  /** Column IDs in file order. */
  ids: number[];
}

function readMprData(
  bytes: Uint8Array,
  name: string,
  extraTypes: Record<number, MprValueType> | undefined,
): MprData {
  const modules = readMprModules(bytes, name);
  const data = modules.find((m) => m.shortName === "VMP data");
  if (!data) {
    fail(
      name,
      "no data module",
      `a "VMP data" module; modules are ${modules.map((m) => m.shortName).join(", ")}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + data.offset, data.length);
  if (data.length < 6) fail(name, "data module too short", "a row count and a column list", "VMP data");
  const version = describeVersion(data.version, data.newHeader);
  if (data.version < 2) {
    fail(
      name,
      `unsupported ${version}: no file of this version was available to verify its layout`,
      "data module version 2, 3 or ≥ 10 (EC-Lab 10.x and later)",
      "VMP data",
    );
  }
  const nRows = view.getUint32(0, true);
  // Before EC-Lab 11.50 (module versions 2 and 3) the column count is one byte and the IDs
  // start at byte 5; from 11.50 on (version ≥ 10) it is a u16 and the IDs start at byte 6.
  const narrowCount = data.version < 10;
  const nCols = narrowCount ? view.getUint8(4) : view.getUint16(4, true);
  const idStart = narrowCount ? 5 : 6;
  if (nCols === 0 || idStart + 2 * nCols > data.length) {
    fail(
      name,
      `data module lists ${nCols} columns but is only ${data.length} bytes`,
      `a complete, non-empty column list (${version})`,
      "VMP data",
    );
  }
  // Plan the row layout: sizes from the ID table, flags sharing one byte.
  const plan: ColumnPlan[] = [];
  const unknown: number[] = [];
  const ids: number[] = [];
  let rowSize = 0;
  let flagOffset = -1;
  for (let k = 0; k < nCols; k++) {
    const id = view.getUint16(idStart + 2 * k, true);
    ids.push(id);
    const flag = MPR_FLAGS[id];
    if (flag) {
      if (flagOffset < 0) {
        flagOffset = rowSize;
        rowSize += 1;
      }
      plan.push({ id, name: flag.name, type: "flags", offset: flagOffset, size: 0 });
      continue;
    }
    const known = extraTypes?.[id] ?? MPR_COLUMNS[id]?.type;
    if (!known) {
      unknown.push(id);
      continue;
    }
    const col: ColumnPlan = {
      id,
      name: MPR_COLUMNS[id]?.name ?? `column ${id}`,
      type: known,
      offset: rowSize,
      size: mprTypeSize(known),
    };
    plan.push(col);
    rowSize += col.size;
  }
  if (unknown.length > 0) {
    // An unknown ID has an unknown size, so every column after it would be read at the wrong
    // offset: refuse rather than return shifted values.
    fail(
      name,
      `unknown column ID${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} in ${version}`,
      "column IDs listed in biologic-mpr-columns.ts, or options.mprColumnTypes giving their types",
      "VMP data",
    );
  }
  const expectedStart = knownDataStart(data.version);
  const dataStart = data.length - nRows * rowSize;
  if (dataStart < idStart + 2 * nCols || (expectedStart !== undefined && dataStart !== expectedStart)) {
    fail(
      name,
      `data module of ${data.length} bytes does not hold ${nRows} rows of ${rowSize} bytes after the column list (${version})`,
      `rows starting at byte ${expectedStart ?? "after the column list"} of the module (truncated file or wrong column sizes)`,
      "VMP data",
    );
  }
  // Decode rows column by column (typed arrays, no per-row allocation).
  const numeric = new Map<string, Float64Array>();
  const names: string[] = [];
  for (const c of plan) {
    const out = new Float64Array(nRows);
    let p = dataStart + c.offset;
    const mask = c.type === "flags" ? MPR_FLAGS[c.id].mask : 0;
    const shift = mask ? Math.log2(mask & -mask) : 0;
    for (let r = 0; r < nRows; r++, p += rowSize) {
      switch (c.type) {
        case "flags":
          out[r] = (view.getUint8(p) & mask) >> shift;
          break;
        case "u8":
          out[r] = view.getUint8(p);
          break;
        case "u16":
          out[r] = view.getUint16(p, true);
          break;
        case "i16":
          out[r] = view.getInt16(p, true);
          break;
        case "u32":
          out[r] = view.getUint32(p, true);
          break;
        case "i32":
          out[r] = view.getInt32(p, true);
          break;
        case "f32":
          out[r] = view.getFloat32(p, true);
          break;
        case "f64":
          out[r] = view.getFloat64(p, true);
          break;
      }
    }
    let key = c.name;
    for (let k = 2; numeric.has(key); k++) key = `${c.name} (${k})`;
    numeric.set(key, out);
    names.push(key);
  }
  const meta: Record<string, string | number> = {
    format: "biologic-mpr",
    dataModuleVersion: data.version,
    moduleHeaders: data.newHeader ? "new (EC-Lab ≥ 11.50)" : "old (EC-Lab < 11.50)",
    date: data.date,
    columnIds: ids.join(","),
  };
  // Loops.
  const loops: [number, number][] = [];
  const loopModule = modules.find((m) => m.shortName === "VMP loop");
  if (loopModule && loopModule.length >= 4) {
    const lv = new DataView(bytes.buffer, bytes.byteOffset + loopModule.offset, loopModule.length);
    const k = lv.getUint32(0, true);
    if (4 + 4 * k > loopModule.length) {
      fail(
        name,
        `loop module lists ${k} indices but holds ${loopModule.length} bytes`,
        "a complete loop index list",
      );
    }
    const starts: number[] = [];
    for (let j = 0; j < k; j++) starts.push(lv.getUint32(4 + 4 * j, true));
    for (let j = 0; j + 1 < starts.length; j++) {
      const [a, b] = [starts[j], starts[j + 1]];
      if (!(a < b && b <= nRows)) {
        fail(
          name,
          `loop ${j} spans rows ${a}…${b} but the data has ${nRows} rows`,
          "increasing loop indices within the data",
        );
      }
      loops.push([a, b]);
    }
  }
  // For .mpr files the "line" of an error message is the 1-based data row.
  const lines = new Int32Array(nRows);
  for (let r = 0; r < nRows; r++) lines[r] = r + 1;
  return { set: { file: name, names, numeric, lines }, meta, loops, ids };
}

/**
 * All columns of a `.mpr` data module as stored (names as EC-Lab prints them in the `.mpt`,
 * values unconverted), with the module metadata and loop ranges. For tests and tools that need
 * every column; the fitting code uses the SI readers below.
 */
export function readBiologicMprColumns(
  bytes: Uint8Array,
  name: string,
  options: { mprColumnTypes?: Record<number, MprValueType> } = {},
): {
  names: string[];
  columns: Map<string, Float64Array>;
  ids: number[];
  meta: Record<string, string | number>;
  loops: [number, number][];
} {
  const { set, meta, loops, ids } = readMprData(bytes, name, options.mprColumnTypes);
  return { names: set.names, columns: set.numeric, ids, meta, loops };
}

/** Parse a BioLogic `.mpr` impedance file into one spectrum per loop. */
export function parseBiologicMprImpedance(
  bytes: Uint8Array,
  name: string,
  options: ImpedanceReadOptions = {},
): ImpedanceSpectrum[] {
  const { set, meta, loops } = readMprData(bytes, name, options.mprColumnTypes);
  const n = set.lines.length;
  const split = options.split ?? true;
  const ranges: [number, number][] = split && loops.length > 1 ? loops : [[0, n]];
  const parts = cleanImpedanceSpectra(set, ranges, options.columns, options.units, split);
  return parts.map(({ spectrum: s }, k) => {
    s.label = parts.length > 1 ? `${name} ${loops.length > 1 ? "loop" : "spectrum"} ${k}` : name;
    s.meta = { ...meta, ...(parts.length > 1 ? { [loops.length > 1 ? "loop" : "spectrum"]: k } : {}) };
    return s;
  });
}

/** Seconds of charge per mA·h: 1 mA·h = 1e-3 A × 3600 s = 3.6 C. */
const COULOMB_PER_MAH = 3.6;

/**
 * Add a current column to a data module that stores none, and say how it was obtained:
 *  - `dq/mA.h` (charge passed since the previous point, GCPL/MB files before EC-Lab 11.50):
 *    I_k = dq_k · 3.6 C/mA·h / (t_k − t_{k−1}) — the mean current over that interval (I = dQ/dt);
 *    row 0 has no previous point and gets the current of row 1 when dq_0 ≠ 0, else 0;
 *  - every row at rest (mode 3, OCV/wait techniques): I = 0.
 * Returns the notes; leaves the set alone when it already has `I/mA` or `<I>/mA`.
 */
export function deriveBiologicCurrent(set: ColumnSet): string[] {
  if (set.numeric.has("I/mA") || set.numeric.has("<I>/mA")) return [];
  const time = set.numeric.get("time/s");
  if (!time) return [];
  const n = time.length;
  const dq = set.numeric.get("dq/mA.h");
  const mode = set.numeric.get("mode");
  const current = new Float64Array(n);
  let note: string;
  if (dq) {
    for (let k = 1; k < n; k++) {
      const dt = time[k] - time[k - 1];
      current[k] = dt > 0 ? (dq[k] * COULOMB_PER_MAH * 1000) / dt : current[k - 1];
    }
    if (n > 1 && dq[0] !== 0) current[0] = current[1];
    note =
      'the file stores no current: "I (from dq)/mA" = dq/mA.h × 3.6 C/mA·h ÷ Δt, the mean current since the previous point';
  } else if (mode && n > 0 && mode.every((m) => m === 3)) {
    note = 'the file stores no current and every row is at rest (mode 3): "I (rest)/mA" = 0';
  } else {
    return [];
  }
  const name = dq ? "I (from dq)/mA" : "I (rest)/mA";
  set.numeric.set(name, current);
  set.names.push(name);
  return [note];
}

/**
 * Parse a BioLogic `.mpr` file as a time series (time/s, Ewe or <Ewe>, I or <I> in mA → A).
 * Files that store only charge (GCPL before EC-Lab 11.50) or nothing (OCV) get a derived
 * current, named in `notes`.
 */
export function parseBiologicMprTimeSeries(
  bytes: Uint8Array,
  name: string,
  options: TimeSeriesReadOptions = {},
): TimeSeries {
  const { set, meta } = readMprData(bytes, name, options.mprColumnTypes);
  if (set.lines.length === 0) {
    fail(
      name,
      "the data module holds no rows",
      "at least one data row (was the run stopped at once?)",
      "VMP data",
    );
  }
  const notes = options.columns?.current === undefined ? deriveBiologicCurrent(set) : [];
  const mapping =
    notes.length > 0 ? { ...options.columns, current: set.names[set.names.length - 1] } : options.columns;
  const series = timeSeriesFromColumns(set, mapping, options.units, options.currentSign ?? 1);
  series.meta = meta;
  if (notes.length > 0) series.notes = notes;
  return series;
}
