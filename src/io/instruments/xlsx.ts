/**
 * Office Open XML spreadsheets (`.xlsx`, ECMA-376 Part 1 §18): the table of one worksheet as
 * columns, for cycler exports saved from Excel (Arbin MITS, Neware BTSDA, LANHE …) and any
 * table mapped with `--columns`.
 *
 * An `.xlsx` is a ZIP archive (unpacked with fflate) of XML parts: `xl/workbook.xml` lists the
 * sheets (`<sheet name=… r:id=…>`), `xl/_rels/workbook.xml.rels` maps ids to part paths,
 * `xl/sharedStrings.xml` holds the strings (`<si><t>…</t></si>`, rich text `<r><t>` runs
 * concatenated), and each `xl/worksheets/sheetN.xml` has `<row r=…><c r="B2" t=…><v>…</v></c>`
 * cells: `t="s"` a shared-string index, `t="inlineStr"` an `<is><t>` string, `t="str"` a
 * formula's text, `t="b"` a boolean, `t="e"` an error (refused in a numeric column), no `t` a
 * number. Only these elements are read; styles (dates shown as serial numbers) are ignored.
 *
 * The header is the first row; a column is numeric when its first data cell is a number, and
 * a later text cell in it is an InputError naming the sheet, row and column (A1 notation).
 * Sizes declared in the ZIP are checked against a budget and Deflate's 1032:1 limit before
 * anything is inflated.
 */
import { unzipSync } from "fflate";
import { InputError } from "../../errors.js";
import {
  type ColumnSet,
  cleanImpedanceSpectra,
  runs,
  spectrumColumn,
  timeSeriesFromColumns,
} from "./columns.js";
import { cyclerMapping, detectCyclerCsv } from "./cyclers.js";
import { parseMaccorDuration } from "./maccor.js";
import { GrowableFloat64, GrowableInt32 } from "./text.js";
import type {
  ColumnMapping,
  ImpedanceReadOptions,
  ImpedanceSpectrum,
  TimeSeries,
  TimeSeriesReadOptions,
} from "./types.js";

/** Largest unpacked part accepted (XML of one sheet): 1 GiB. */
const MAX_PART_BYTES = 2 ** 30;
/** Deflate cannot expand by more than 1032:1 (RFC 1951: a 258-byte match costs ≥ 2 bits). */
const DEFLATE_MAX_RATIO = 1032;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Replace XML character and entity references. */
function unescapeXml(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[ref] ?? m;
  });
}

/** Value of attribute `name` in an element's attribute text, or undefined. */
function attribute(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attrs);
  return m ? unescapeXml(m[1] ?? m[2]) : undefined;
}

/** Column index (0-based) of an A1 reference such as "AB12"; −1 when malformed. */
function columnOf(ref: string): number {
  const m = /^([A-Z]{1,3})\d+$/.exec(ref);
  if (!m) return -1;
  let k = 0;
  for (const ch of m[1]) k = k * 26 + (ch.charCodeAt(0) - 64);
  return k - 1;
}

/** A1 letters of a 0-based column index. */
function letters(k: number): string {
  let s = "";
  for (let n = k + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function unzip(
  bytes: Uint8Array,
  name: string,
  wanted: (path: string) => boolean,
): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes, {
      filter: (f) => {
        if (!wanted(f.name)) return false;
        if (f.originalSize > MAX_PART_BYTES || f.originalSize > DEFLATE_MAX_RATIO * f.size + 1024) {
          throw new InputError(
            `xlsx part ${f.name} declares ${f.originalSize} bytes from ${f.size} compressed bytes`,
            { file: name, expected: `at most ${MAX_PART_BYTES} bytes and ${DEFLATE_MAX_RATIO}:1 expansion` },
          );
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot unpack the .xlsx archive (${(error as Error).message})`, {
      file: name,
      expected: "an Office Open XML spreadsheet (a ZIP archive)",
    });
  }
}

const utf8 = (b: Uint8Array) => new TextDecoder("utf-8").decode(b);

/** Sheet names and their part paths, in workbook order. */
function sheetList(parts: Record<string, Uint8Array>, name: string): { name: string; path: string }[] {
  const wb = parts["xl/workbook.xml"];
  const rels = parts["xl/_rels/workbook.xml.rels"];
  if (!wb)
    throw new InputError("no xl/workbook.xml in the archive", { file: name, expected: "an .xlsx workbook" });
  const targets = new Map<string, string>();
  if (rels) {
    for (const m of utf8(rels).matchAll(/<Relationship\b([^>]*)\/?>/g)) {
      const id = attribute(m[1], "Id");
      const target = attribute(m[1], "Target");
      if (id && target)
        targets.set(id, target.startsWith("/") ? target.slice(1) : `xl/${target.replace(/^\.\//, "")}`);
    }
  }
  const out: { name: string; path: string }[] = [];
  let k = 0;
  for (const m of utf8(wb).matchAll(/<sheet\b([^>]*)\/?>/g)) {
    k++;
    const sheetName = attribute(m[1], "name") ?? `sheet${k}`;
    const rid = attribute(m[1], "r:id");
    out.push({ name: sheetName, path: (rid && targets.get(rid)) ?? `xl/worksheets/sheet${k}.xml` });
  }
  if (out.length === 0)
    throw new InputError("the workbook lists no sheet", { file: name, expected: "a worksheet" });
  return out;
}

function sharedStrings(part: Uint8Array | undefined): string[] {
  if (!part) return [];
  const out: string[] = [];
  for (const si of utf8(part).matchAll(/<si\b[^>]*>([\s\S]*?)<\/si>/g)) {
    let s = "";
    for (const t of si[1].matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>/g)) s += t[1];
    out.push(unescapeXml(s));
  }
  return out;
}

type Cell = number | string | undefined;

/** Cells of one worksheet, row by row (index = column), with the sheet's row numbers. */
function sheetRows(
  xml: string,
  strings: string[],
  file: string,
  sheet: string,
): { rows: Cell[][]; numbers: number[] } {
  const rows: Cell[][] = [];
  const numbers: number[] = [];
  const rowRe = /<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g;
  const cellRe = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
  for (const rm of xml.matchAll(rowRe)) {
    const rowNumber = Number(attribute(rm[1], "r") ?? numbers.length + 1);
    const row: Cell[] = [];
    let next = 0;
    for (const cm of (rm[2] ?? "").matchAll(cellRe)) {
      const ref = attribute(cm[1], "r");
      const col = ref !== undefined ? columnOf(ref) : next;
      if (col < 0 || col > 16383) {
        throw new InputError(`malformed cell reference "${ref}"`, {
          file,
          line: rowNumber,
          field: sheet,
          expected: "A1-style references (A…XFD)",
        });
      }
      next = col + 1;
      const type = attribute(cm[1], "t") ?? "n";
      const body = cm[2] ?? "";
      const v = /<v\b[^>]*>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let value: Cell;
      if (type === "s") {
        const idx = Number(v);
        if (!Number.isInteger(idx) || idx < 0 || idx >= strings.length) {
          throw new InputError(`cell ${letters(col)}${rowNumber} points at shared string ${v}`, {
            file,
            line: rowNumber,
            field: sheet,
            expected: `an index below ${strings.length}`,
          });
        }
        value = strings[idx];
      } else if (type === "inlineStr") {
        let s = "";
        for (const t of body.matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>/g)) s += t[1];
        value = unescapeXml(s);
      } else if (type === "str" || type === "e") {
        value = unescapeXml(v ?? "");
      } else if (type === "b") {
        value = v === "1" ? 1 : 0;
      } else if (v === undefined) {
        value = undefined;
      } else {
        const n = Number(v);
        value = v.trim() !== "" && Number.isFinite(n) ? n : unescapeXml(v);
      }
      row[col] = value;
    }
    rows.push(row);
    numbers.push(rowNumber);
  }
  return { rows, numbers };
}

/** The sheets of a workbook, each read into a column set on demand. */
export interface XlsxWorkbook {
  sheets: string[];
  /** Columns of a sheet: header = its first row; `lines` are the sheet's row numbers. */
  table(sheet: string): ColumnSet;
}

/**
 * Open an `.xlsx` from its bytes. Sheets are parsed when asked for.
 * @throws InputError for a broken archive, oversized parts, bad references, text in numeric columns
 */
export function readXlsx(bytes: Uint8Array, name: string): XlsxWorkbook {
  const meta = unzip(bytes, name, (p) => p === "xl/workbook.xml" || p === "xl/_rels/workbook.xml.rels");
  const list = sheetList(meta, name);
  let strings: string[] | undefined;
  return {
    sheets: list.map((s) => s.name),
    table(sheet: string): ColumnSet {
      const entry = list.find((s) => s.name === sheet);
      if (!entry) {
        throw new InputError(`no sheet "${sheet}"`, {
          file: name,
          field: "sheet",
          expected: `one of ${list.map((s) => `"${s.name}"`).join(", ")}`,
        });
      }
      const parts = unzip(
        bytes,
        name,
        (p) => p === entry.path || (strings === undefined && p === "xl/sharedStrings.xml"),
      );
      strings ??= sharedStrings(parts["xl/sharedStrings.xml"]);
      const part = parts[entry.path];
      if (!part)
        throw new InputError(`sheet "${sheet}" has no part ${entry.path}`, { file: name, field: sheet });
      const { rows, numbers } = sheetRows(utf8(part), strings, name, sheet);
      return toColumns(rows, numbers, name, sheet);
    },
  };
}

function toColumns(rows: Cell[][], numbers: number[], file: string, sheet: string): ColumnSet {
  if (rows.length < 2) {
    throw new InputError(
      `sheet "${sheet}" has ${rows.length === 0 ? "no rows" : "a header but no data rows"}`,
      {
        file,
        field: sheet,
        expected: "a header row and data rows",
      },
    );
  }
  const header = rows[0];
  const names: string[] = [];
  for (let k = 0; k < header.length; k++) {
    const h = header[k];
    names.push(h === undefined || String(h).trim() === "" ? `column ${letters(k)}` : String(h).trim());
  }
  const numeric = new Map<string, Float64Array>();
  const lines = new GrowableInt32(rows.length);
  for (let r = 1; r < rows.length; r++) lines.push(numbers[r]);
  names.forEach((colName, k) => {
    const first = rows.slice(1).find((row) => row[k] !== undefined)?.[k];
    // Durations written as text ("144:01:18", "0d 00:00:10.0000", Neware/Maccor) → seconds.
    const duration =
      typeof first === "string" && first.includes(":") && parseMaccorDuration(first) !== undefined;
    if (typeof first !== "number" && !duration) return; // a text column: not in `numeric`
    const out = new GrowableFloat64(rows.length);
    for (let r = 1; r < rows.length; r++) {
      const v = rows[r][k];
      if (duration && typeof v === "string") {
        const seconds = parseMaccorDuration(v);
        if (seconds !== undefined) {
          out.push(seconds);
          continue;
        }
      }
      if (typeof v === "string" && v.trim() !== "") {
        throw new InputError(
          `cell ${letters(k)}${numbers[r]} holds "${v.slice(0, 40)}" in a numeric column`,
          {
            file,
            line: numbers[r],
            column: k + 1,
            field: colName,
            value: v.slice(0, 40),
            expected: `a number (sheet "${sheet}")`,
          },
        );
      }
      out.push(typeof v === "number" ? v : Number.NaN);
    }
    let key = colName;
    for (let j = 2; numeric.has(key); j++) key = `${colName} (${j})`;
    numeric.set(key, out.toArray());
    names[k] = key;
  });
  return { file, names, numeric, lines: lines.toArray() };
}

/** Role mapping for a sheet: the cycler's names when its header is a Neware/Arbin one. */
function sheetMapping(set: ColumnSet, columns: ColumnMapping | undefined): ColumnMapping | undefined {
  const kind = detectCyclerCsv(set.names.join(","));
  const own = kind === "neware" || kind === "arbin" ? cyclerMapping(kind, set.names) : {};
  return { ...own, ...columns };
}

/**
 * Try each sheet (or the one named by `options.table`) until `build` succeeds; report every
 * sheet's reason when none does.
 */
function firstSheet<T>(
  bytes: Uint8Array,
  name: string,
  sheet: string | undefined,
  build: (set: ColumnSet, sheetName: string) => T,
): T {
  const wb = readXlsx(bytes, name);
  if (sheet !== undefined) return build(wb.table(sheet), sheet);
  const reasons: string[] = [];
  for (const s of wb.sheets) {
    try {
      return build(wb.table(s), s);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      // A sheet that does not hold the table is skipped; a broken one is reported at once.
      if (!/no \w+ column|has no rows|header but no data rows/.test(error.message)) throw error;
      reasons.push(`"${s}": ${error.baseMessage}`);
    }
  }
  throw new InputError("no sheet holds the table asked for", {
    file: name,
    expected: `a sheet with the needed columns (options.table / --columns); ${reasons.join("; ")}`,
  });
}

/** Parse a time series [s, A, V] from the first fitting sheet of an `.xlsx` (or `options.table`). */
export function parseXlsxTimeSeries(
  bytes: Uint8Array,
  name: string,
  options: TimeSeriesReadOptions = {},
): TimeSeries {
  return firstSheet(bytes, name, options.table, (set, sheet) => {
    const series = timeSeriesFromColumns(
      set,
      sheetMapping(set, options.columns),
      options.units,
      options.currentSign ?? 1,
    );
    series.meta = { format: "xlsx", sheet };
    return series;
  });
}

/** Parse an impedance spectrum (f, Re Z, Im Z columns) from an `.xlsx` sheet. */
export function parseXlsxImpedance(
  bytes: Uint8Array,
  name: string,
  options: ImpedanceReadOptions = {},
): ImpedanceSpectrum[] {
  return firstSheet(bytes, name, options.table, (set, sheet) => {
    const mapping = options.columns;
    const spec = (options.split ?? true) ? spectrumColumn(set, mapping) : undefined;
    const ranges: [number, number][] = spec ? runs(spec.data) : [[0, set.lines.length]];
    return cleanImpedanceSpectra(set, ranges, mapping, options.units, false).map(({ spectrum, from }) => {
      spectrum.label = spec ? `${name} ${spec.name}=${spec.data[from]}` : name;
      spectrum.meta = { format: "xlsx", sheet, ...(spec ? { [spec.name]: spec.data[from] } : {}) };
      return spectrum;
    });
  });
}
