/**
 * BioLogic EC-Lab binary data files (`.mpr`), written from the byte layout observed in
 * `yadg__peis.issue_149.mpr` (EC-Lab 11.50, SP-300) and checked row by row against its
 * `.mpt` export (see test/io/instruments/biologic-mpr.test.ts).
 *
 * File: the text "BIO-LOGIC MODULAR FILE" + 0x1A, padded to byte 52, then modules back to back.
 * Module header (all integers little-endian u32):
 *   "MODULE" | short name (10 ASCII) | long name (25 ASCII) | …
 *   new format (EC-Lab ≥ 11.50, recognised by 0xFFFFFFFF after the long name):
 *     0xFFFFFFFF | length | reserved | version | date "MM/DD/YY"   → 65-byte header
 *   older format (public descriptions; not verified here):
 *     length | version | date "MM/DD/YY"                            → 57-byte header
 * followed by `length` bytes of content.
 *
 * "VMP data" content (version 11, observed): u32 row count n | u16 column count c |
 * c u16 column IDs (in a 500-slot area) | one byte | n rows. A row packs the columns in ID-list
 * order with the sizes of biologic-mpr-columns.ts; the data start is therefore
 * `length − n·rowSize` (1007 for version 11; 405 and 406 for versions 2 and 3 per public
 * descriptions, where the count is a u8 for version ≤ 2 and the ID area holds 200 slots).
 *
 * "VMP loop" content (observed): u32 k | k u32 row indices where loops start, the last one
 * equal to n (here 5: 0, 21, 42, 63, 84 → four loops, matching the `.mpt` "Loop" lines).
 *
 * The `.mpr` holds the raw values; EC-Lab's export replaces the EIS quality indicators
 * (THD, NSD, NSR, harmonics) of the first two points of every loop by −1 or 0, so those
 * columns differ there from the `.mpt` while everything else agrees.
 */
import { InputError } from "../../errors.js";
import { MPR_COLUMNS, MPR_FLAGS, mprTypeSize } from "./biologic-mpr-columns.js";
import { type ColumnSet, impedanceFromColumns, sliceColumns, timeSeriesFromColumns } from "./columns.js";
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
    modules.push({ shortName, longName, version, date, offset, length });
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
  skip: boolean;
}

/** Expected data start in the "VMP data" module for versions whose layout is known. */
function knownDataStart(version: number): number | undefined {
  if (version >= 11) return 1007;
  if (version === 3) return 406;
  if (version <= 2) return 405;
  return undefined;
}

interface MprData {
  set: ColumnSet;
  meta: Record<string, string | number>;
  loops: [number, number][];
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
  const nRows = view.getUint32(0, true);
  const narrowCount = data.version <= 2;
  const nCols = narrowCount ? view.getUint8(4) : view.getUint16(4, true);
  const idStart = narrowCount ? 5 : 6;
  if (idStart + 2 * nCols > data.length) {
    fail(
      name,
      `data module lists ${nCols} columns but is only ${data.length} bytes`,
      "a complete column list",
    );
  }
  // Plan the row layout: sizes from the ID table, flags sharing one byte.
  const plan: ColumnPlan[] = [];
  const unknown: ColumnPlan[] = [];
  let rowSize = 0;
  let flagOffset = -1;
  for (let k = 0; k < nCols; k++) {
    const id = view.getUint16(idStart + 2 * k, true);
    const flag = MPR_FLAGS[id];
    if (flag) {
      if (flagOffset < 0) {
        flagOffset = rowSize;
        rowSize += 1;
      }
      plan.push({ id, name: flag.name, type: "flags", offset: flagOffset, size: 0, skip: false });
      continue;
    }
    const known = extraTypes?.[id] ?? MPR_COLUMNS[id]?.type;
    const col: ColumnPlan = {
      id,
      name: MPR_COLUMNS[id]?.name ?? `column ${id}`,
      type: known ?? "u8",
      offset: rowSize,
      size: known ? mprTypeSize(known) : 0,
      skip: !known,
    };
    plan.push(col);
    if (!known) unknown.push(col);
    rowSize += col.size;
  }
  const expectedStart = knownDataStart(data.version);
  if (unknown.length > 0) {
    // One unknown column: its size is what the module length leaves over, when the data start
    // of this module version is known. More than one cannot be sized.
    const available =
      expectedStart !== undefined && nRows > 0 ? (data.length - expectedStart) / nRows - rowSize : Number.NaN;
    if (unknown.length > 1 || ![1, 2, 4, 8].includes(available)) {
      fail(
        name,
        `unknown column ID${unknown.length > 1 ? "s" : ""} ${unknown.map((c) => c.id).join(", ")} of unknown size`,
        "column IDs listed in biologic-mpr-columns.ts, or options.mprColumnTypes giving their types",
        "VMP data",
      );
    }
    // Shift everything packed after the unknown column by its size; it is itself skipped.
    const u = unknown[0];
    u.size = available;
    const uIndex = plan.indexOf(u);
    const firstFlag = plan.findIndex((c) => c.type === "flags");
    plan.forEach((c, k) => {
      if (c.type === "flags" ? firstFlag > uIndex : k > uIndex) c.offset += available;
    });
    rowSize += available;
  }
  const dataStart = data.length - nRows * rowSize;
  if (dataStart < idStart + 2 * nCols || (expectedStart !== undefined && dataStart !== expectedStart)) {
    fail(
      name,
      `data module of ${data.length} bytes does not hold ${nRows} rows of ${rowSize} bytes after the column list`,
      `rows starting at byte ${expectedStart ?? "after the column list"} of the module (truncated file or wrong column sizes)`,
      "VMP data",
    );
  }
  // Decode rows column by column (typed arrays, no per-row allocation).
  const numeric = new Map<string, Float64Array>();
  const names: string[] = [];
  const skipped: string[] = [];
  for (const c of plan) {
    if (c.skip) {
      skipped.push(`${c.id} (${c.size} bytes)`);
      continue;
    }
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
    date: data.date,
    columnIds: plan.map((c) => c.id).join(","),
  };
  if (skipped.length > 0) meta.skippedColumnIds = skipped.join(", ");
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
  return { set: { file: name, names, numeric, lines }, meta, loops };
}

/** Parse a BioLogic `.mpr` impedance file into one spectrum per loop. */
export function parseBiologicMprImpedance(
  bytes: Uint8Array,
  name: string,
  options: ImpedanceReadOptions = {},
): ImpedanceSpectrum[] {
  const { set, meta, loops } = readMprData(bytes, name, options.mprColumnTypes);
  const n = set.lines.length;
  const ranges: [number, number][] = (options.split ?? true) && loops.length > 1 ? loops : [[0, n]];
  return ranges.map(([a, b], k) => {
    const s = impedanceFromColumns(sliceColumns(set, a, b), options.columns, options.units);
    s.label = ranges.length > 1 ? `${name} loop ${k}` : name;
    s.meta = { ...meta, ...(ranges.length > 1 ? { loop: k } : {}) };
    return s;
  });
}

/** Parse a BioLogic `.mpr` file as a time series (time/s, Ewe or <Ewe>, I or <I> in mA → A). */
export function parseBiologicMprTimeSeries(
  bytes: Uint8Array,
  name: string,
  options: TimeSeriesReadOptions = {},
): TimeSeries {
  const { set, meta } = readMprData(bytes, name, options.mprColumnTypes);
  const series = timeSeriesFromColumns(set, options.columns, options.units, options.currentSign ?? 1);
  series.meta = meta;
  return series;
}
