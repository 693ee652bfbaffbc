/**
 * Shared text machinery of the instrument readers: decoding (UTF-8 or Latin-1), line splitting,
 * number parsing with "." or "," decimals, growable typed columns and a delimited-table reader
 * that reports the file, line and column of every bad cell. Pure: bytes in, arrays out.
 */
import { InputError } from "../../errors.js";

/**
 * Decode file bytes: strict UTF-8 when valid, else Latin-1 (Windows-1252), which is what
 * EC-Lab and Gamry write (`µ` = 0xB5, `²` = 0xB2). A UTF-8 BOM is dropped.
 */
export function decodeText(bytes: Uint8Array): string {
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  const view = bytes.subarray(start);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(view);
  } catch {
    return new TextDecoder("windows-1252").decode(view);
  }
}

/** Split text into lines (LF, CRLF or CR); a final newline does not make an empty last line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

const NUMBER_DOT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NUMBER_COMMA = /^[+-]?(?:\d+,?\d*|,\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^(?:[+-]?(?:nan|inf|infinity)|n\/a)$/i;

/**
 * Parse one numeric cell (surrounding double quotes allowed). Returns NaN for an empty cell or an explicit NaN/N/A/Inf marker,
 * and `undefined` when the cell is not a number (the caller turns that into an InputError).
 */
export function parseNumberCell(cell: string, decimal: "." | ","): number | undefined {
  let t = cell.trim();
  if (t.length >= 2 && t.charCodeAt(0) === 34 && t.charCodeAt(t.length - 1) === 34) t = t.slice(1, -1).trim();
  if (t === "") return Number.NaN;
  if (decimal === ".") {
    if (NUMBER_DOT.test(t)) return Number(t);
  } else if (NUMBER_COMMA.test(t)) {
    return Number(t.replace(",", "."));
  }
  if (NON_FINITE.test(t)) {
    const l = t.toLowerCase();
    if (l.includes("inf")) return l.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  return undefined;
}

/** True when `cell` reads as a number with the given decimal separator (empty cells: false). */
export function isNumberCell(cell: string, decimal: "." | ","): boolean {
  let t = cell.trim();
  if (t.length >= 2 && t.charCodeAt(0) === 34 && t.charCodeAt(t.length - 1) === 34) t = t.slice(1, -1).trim();
  return t !== "" && (decimal === "." ? NUMBER_DOT : NUMBER_COMMA).test(t);
}

/**
 * Guess the decimal separator from data cells: "," when some cell reads only as a
 * comma-decimal number (e.g. `1,0003201E+003`) and none reads as a dot-decimal one.
 */
export function detectDecimal(cells: readonly string[]): "." | "," {
  let comma = false;
  for (const c of cells) {
    const t = c.trim();
    if (t.includes(".") && NUMBER_DOT.test(t)) return ".";
    if (t.includes(",") && NUMBER_COMMA.test(t)) comma = true;
  }
  return comma ? "," : ".";
}

/** A Float64Array that grows by doubling (amortised O(1) push, no per-row allocation). */
export class GrowableFloat64 {
  private data: Float64Array;
  length = 0;
  constructor(capacity = 64) {
    this.data = new Float64Array(Math.max(1, capacity));
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  /** Trimmed copy of the contents. */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** Growable Int32Array (line numbers, indices). */
export class GrowableInt32 {
  private data: Int32Array;
  length = 0;
  constructor(capacity = 64) {
    this.data = new Int32Array(Math.max(1, capacity));
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** A parsed delimited table. */
export interface TextTable {
  /** Column names as written (trailing empty names dropped). */
  names: string[];
  /** Numeric columns (a column is numeric when its first data cell is a number). */
  numeric: Map<string, Float64Array>;
  /** Text columns (first data cell not a number), kept as strings. */
  text: Map<string, string[]>;
  /** 1-based file line of every row, for error messages after parsing. */
  lines: Int32Array;
  rows: number;
  decimal: "." | ",";
}

export interface ReadTableOptions {
  file: string;
  delimiter: string;
  /** Decimal separator; default: detected from the first data row. */
  decimal?: "." | ",";
  /** Stop at the first line for which this returns true (e.g. the next Gamry table). */
  stop?: (line: string) => boolean;
  /** Skip the first `skipPrefix` characters of each data line (Gamry rows start with a tab). */
  skipPrefix?: number;
  /** Parse a cell of the named column with this function (durations such as `0d 00:00:10`). */
  special?: Record<string, (cell: string) => number | undefined>;
  /** What a row is, for messages ("tab-separated values"). */
  what?: string;
  /** Keep lines that are empty (after trimming) as errors instead of skipping them. */
  keepEmpty?: boolean;
}

/** Escape a string for display inside an error message. */
function show(cell: string): string {
  return cell.length > 40 ? `${cell.slice(0, 40)}…` : cell;
}

/**
 * Read rows `lines[first..last)` as a delimited table with the given column names.
 * Errors (wrong cell count, text in a numeric column) name the file, the 1-based line and
 * column, the column name and what was expected.
 */
export function readTable(
  lines: readonly string[],
  first: number,
  last: number,
  names: readonly string[],
  options: ReadTableOptions,
): TextTable & { end: number } {
  const { file, delimiter } = options;
  const prefix = options.skipPrefix ?? 0;
  // Empty names are kept as "column k" (1-based): EC-Lab writes headers with an empty name
  // before the trailing tab. Trailing empty names count only when the first data row has
  // values there.
  const cleanNames = names.map((n, k) => (n.trim() === "" ? `column ${k + 1}` : n));
  let named = names.length;
  while (named > 0 && names[named - 1].trim() === "") named--;
  for (let i = first; i < last; i++) {
    if (options.stop?.(lines[i])) break;
    if (lines[i].trim() === "") continue;
    const cells = (prefix > 0 ? lines[i].slice(prefix) : lines[i]).split(delimiter);
    let filled = cells.length;
    while (filled > named && cells[filled - 1].trim() === "") filled--;
    named = Math.min(Math.max(named, filled), names.length);
    break;
  }
  cleanNames.length = named;
  const ncol = cleanNames.length;
  const what =
    options.what ?? `${ncol} values separated by ${delimiter === "\t" ? "tabs" : `"${delimiter}"`}`;
  let decimal = options.decimal;
  const kinds: ("num" | "text" | "special")[] = [];
  const numBuilders: (GrowableFloat64 | undefined)[] = [];
  const textBuilders: (string[] | undefined)[] = [];
  const specials: ((cell: string) => number | undefined)[] = [];
  const lineNumbers = new GrowableInt32(Math.max(16, last - first));
  let rows = 0;
  let i = first;
  for (; i < last; i++) {
    const raw = lines[i];
    if (options.stop?.(raw)) break;
    if (!options.keepEmpty && raw.trim() === "") continue;
    const line = prefix > 0 ? raw.slice(prefix) : raw;
    const cells = line.split(delimiter);
    while (cells.length > ncol && cells[cells.length - 1].trim() === "") cells.pop();
    if (cells.length !== ncol) {
      throw new InputError(`row has ${cells.length} values, the header has ${ncol} columns`, {
        file,
        line: i + 1,
        value: show(raw),
        expected: what,
      });
    }
    if (rows === 0) {
      decimal ??= detectDecimal(cells);
      for (let c = 0; c < ncol; c++) {
        const sp = options.special?.[cleanNames[c]];
        if (sp) {
          kinds.push("special");
          specials[c] = sp;
          numBuilders[c] = new GrowableFloat64(last - first);
        } else if (isNumberCell(cells[c], decimal) || parseNumberCell(cells[c], decimal) !== undefined) {
          kinds.push("num");
          numBuilders[c] = new GrowableFloat64(last - first);
        } else {
          kinds.push("text");
          textBuilders[c] = [];
        }
      }
    }
    for (let c = 0; c < ncol; c++) {
      const cell = cells[c];
      const kind = kinds[c];
      if (kind === "text") {
        textBuilders[c]!.push(cell.trim());
        continue;
      }
      const v = kind === "special" ? specials[c](cell) : parseNumberCell(cell, decimal!);
      if (v === undefined) {
        throw new InputError(`column "${cleanNames[c]}" holds "${show(cell.trim())}", not a number`, {
          file,
          line: i + 1,
          column: c + 1,
          field: cleanNames[c],
          value: show(cell.trim()),
          expected:
            kind === "special" ? "a duration such as 0d 00:00:10.0000" : `a number (decimal "${decimal}")`,
        });
      }
      numBuilders[c]!.push(v);
    }
    lineNumbers.push(i + 1);
    rows++;
  }
  const numeric = new Map<string, Float64Array>();
  const text = new Map<string, string[]>();
  for (let c = 0; c < ncol; c++) {
    const nb = numBuilders[c];
    if (nb) numeric.set(uniqueName(numeric, text, cleanNames[c]), nb.toArray());
    const tb = textBuilders[c];
    if (tb) text.set(uniqueName(numeric, text, cleanNames[c]), tb);
  }
  return {
    names: cleanNames,
    numeric,
    text,
    lines: lineNumbers.toArray(),
    rows,
    decimal: decimal ?? ".",
    end: i,
  };
}

function uniqueName(a: Map<string, unknown>, b: Map<string, unknown>, name: string): string {
  if (!a.has(name) && !b.has(name)) return name;
  for (let k = 2; ; k++) {
    const n = `${name} (${k})`;
    if (!a.has(n) && !b.has(n)) return n;
  }
}

/** Pick the delimiter of a header/data line: tab, then ";", then ",". */
export function detectDelimiter(line: string): string {
  if (line.includes("\t")) return "\t";
  if (line.includes(";")) return ";";
  return ",";
}

/** Parse a "key : value" header value into a number when it is one. */
export function metaValue(text: string): string | number {
  const t = text.trim();
  return NUMBER_DOT.test(t) ? Number(t) : t;
}
