/**
 * Generic delimited text (CSV, TSV, ";"-separated with decimal commas) with or without a
 * header line. Columns are found by name (`freq/Hz`, `Re(Z)/Ohm`, `time/s`, `I/mA`,
 * `frequency_Hz`, `Z_real_Ohm` …) or by an explicit `options.columns` mapping; units in the
 * header are converted to SI. A headerless file is read positionally:
 * impedance = (f [Hz], Re Z [Ω], Im Z [Ω], Im negative = capacitive) — the convention of
 * impedance.py's `readCSV`; time series = (t [s], I [A], V [V] if present). `options.units`
 * gives the units of headerless columns.
 * A `spectrum_index` (or mapped `spectrum`) column splits the file into one spectrum per run
 * of equal values.
 */
import { InputError } from "../../errors.js";
import {
  type ColumnSet,
  cleanImpedanceSpectra,
  runs,
  spectrumColumn,
  timeSeriesFromColumns,
} from "./columns.js";
import { decodeText, detectDelimiter, isNumberCell, readTable, splitLines } from "./text.js";
import type {
  ColumnMapping,
  ImpedanceReadOptions,
  ImpedanceSpectrum,
  TimeSeries,
  TimeSeriesReadOptions,
} from "./types.js";

interface CsvContent {
  set: ColumnSet;
  headerless: boolean;
  /** What the reader inferred (decimal separator), one sentence each. */
  notes: string[];
}

function readCsv(
  bytes: Uint8Array,
  name: string,
  options: { delimiter?: string; decimal?: "." | "," },
): CsvContent {
  const lines = splitLines(decodeText(bytes));
  let first = 0;
  while (first < lines.length && (lines[first].trim() === "" || lines[first].startsWith("#"))) first++;
  if (first >= lines.length)
    throw new InputError("empty file", { file: name, line: 1, expected: "a header or data rows" });
  const delimiter = options.delimiter ?? detectDelimiter(lines[first]);
  const cells = lines[first].split(delimiter);
  if (delimiter === ",") refuseCommaDecimals(lines, first, name, options.decimal);
  // A first line whose every cell is a number is data, not a header. With "," as delimiter a
  // decimal comma is impossible, so numbers are tested with ".".
  const decimalGuess =
    options.decimal ?? (delimiter === "," ? "." : cells.some((c) => /\d,\d/.test(c)) ? "," : ".");
  const headerless = cells.every((c) => isNumberCell(c, decimalGuess));
  let names: string[];
  let dataStart: number;
  const other = decimalGuess === "." ? "," : ".";
  if (!headerless && options.decimal !== undefined && cells.every((c) => isNumberCell(c, other))) {
    throw new InputError(
      `the first line reads as numbers with decimal "${other}", not "${options.decimal}"`,
      {
        file: name,
        line: first + 1,
        column: 1,
        value: lines[first].slice(0, 60),
        expected: `numbers with the decimal separator given ("${options.decimal}"), or a header line`,
      },
    );
  }
  if (headerless) {
    names = cells.map((_, k) => `column ${k + 1}`);
    dataStart = first;
  } else {
    names = cells.map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
    dataStart = first + 1;
    if (names.some((n, k) => n === "" && k < names.length - 1)) {
      throw new InputError("empty column name in the header", {
        file: name,
        line: first + 1,
        value: lines[first].slice(0, 60),
        expected: "a name for every column",
      });
    }
  }
  const table = readTable(lines, dataStart, lines.length, names, {
    file: name,
    delimiter,
    decimal: options.decimal ?? (delimiter === "," ? "." : undefined),
  });
  if (table.rows === 0) {
    throw new InputError("no data rows", {
      file: name,
      line: dataStart + 1,
      expected: "rows of numbers after the header",
    });
  }
  const notes: string[] = [];
  if (options.decimal === undefined && table.decimal === ",") {
    notes.push(
      `decimal separator "," detected (fields separated by ${delimiter === "\t" ? "tabs" : `"${delimiter}"`})`,
    );
  }
  return {
    set: { file: name, names: table.names, numeric: table.numeric, lines: table.lines },
    headerless,
    notes,
  };
}

/**
 * A cell that is a piece of a number split at its decimal comma: the decimals "05", "0012",
 * "5E-003", or the integer part "-0" of "-0,5".
 */
const SPLIT_PIECE = /^(?:0\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|-0)$/;
const INTEGER = /^[+-]?\d+$/;

/**
 * European spreadsheet exports write decimal commas; with "," also separating the fields, a
 * number such as 1,05 becomes two cells (1 | 05) and the table silently means something else.
 * Refuse such files (and an explicit decimal "," with "," fields): they are ambiguous. The
 * evidence, looked for in the first 200 data lines when no cell holds a decimal point: a cell
 * that can only be a piece of a split number (SPLIT_PIECE), or rows made only of an even
 * number (≥ 4) of integers. `decimal: "."` given explicitly turns the check off.
 */
function refuseCommaDecimals(
  lines: string[],
  first: number,
  name: string,
  decimal: "." | "," | undefined,
): void {
  if (decimal === ",") {
    throw new InputError('decimal "," with "," between fields is ambiguous', {
      file: name,
      line: first + 1,
      expected: 'fields separated by ";" or tabs (options.delimiter) when numbers use decimal commas',
    });
  }
  if (decimal === ".") return;
  let piece: { line: number; column: number; cell: string; text: string } | undefined;
  let allIntegerEven = true;
  let dataLines = 0;
  for (let i = first; i < Math.min(lines.length, first + 201); i++) {
    if (lines[i].trim() === "") continue;
    const cells = lines[i].split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
    if (cells.some((c) => /[A-DF-Za-df-z_(/[]/.test(c))) continue; // a header or text line
    if (cells.some((c) => /\d\.\d|^\.\d|\d\.$/.test(c))) return; // decimal points: not comma decimals
    dataLines++;
    const k = cells.findIndex((c) => SPLIT_PIECE.test(c));
    if (k >= 0 && piece === undefined) piece = { line: i + 1, column: k + 1, cell: cells[k], text: lines[i] };
    if (!(cells.length >= 4 && cells.length % 2 === 0 && cells.every((c) => INTEGER.test(c))))
      allIntegerEven = false;
  }
  if (piece === undefined && !(allIntegerEven && dataLines > 0)) return;
  const where = piece ?? { line: first + 1, column: 1, cell: "", text: lines[first] };
  throw new InputError(
    piece
      ? `cell "${piece.cell}" looks like a piece of a number written with a decimal comma, and no number has a decimal point`
      : "every row is an even number of integers and no number has a decimal point: these look like numbers written with decimal commas",
    {
      file: name,
      line: where.line,
      column: where.column,
      value: where.text.slice(0, 60),
      expected:
        'a "." decimal separator, or ";" / tab between fields with decimal commas (ambiguous otherwise; options.decimal "." / --decimal . reads the cells as they are)',
    },
  );
}

/** Parse a delimited impedance table; one spectrum per run of the spectrum column, if any. */
export function parseCsvImpedance(
  bytes: Uint8Array,
  name: string,
  options: ImpedanceReadOptions = {},
): ImpedanceSpectrum[] {
  const { set, headerless, notes } = readCsv(bytes, name, options);
  let mapping: ColumnMapping | undefined = options.columns;
  if (headerless) {
    if (set.names.length < 3) {
      throw new InputError(`headerless impedance file has ${set.names.length} columns`, {
        file: name,
        line: set.lines[0],
        expected: "at least 3 columns: frequency [Hz], Re Z [Ω], Im Z [Ω]",
      });
    }
    mapping = { frequency: 0, zReal: 1, zImag: 2, ...options.columns };
  }
  const split = options.split ?? true;
  const spec = split ? spectrumColumn(set, mapping) : undefined;
  const ranges: [number, number][] = spec ? runs(spec.data) : [[0, set.lines.length]];
  const parts = cleanImpedanceSpectra(set, ranges, mapping, options.units, false);
  return parts.map(({ spectrum: s, from }) => {
    const meta: Record<string, string | number> = { format: "csv" };
    if (spec) {
      meta[spec.name] = spec.data[from];
      s.label = `${name} ${spec.name}=${spec.data[from]}`;
    } else s.label = name;
    s.meta = meta;
    const all = [...notes, ...(s.notes ?? [])];
    if (all.length > 0) s.notes = all;
    return s;
  });
}

/** Parse a delimited time series (time, current, optional voltage). */
export function parseCsvTimeSeries(
  bytes: Uint8Array,
  name: string,
  options: TimeSeriesReadOptions = {},
): TimeSeries {
  const { set, headerless, notes } = readCsv(bytes, name, options);
  let mapping: ColumnMapping | undefined = options.columns;
  if (headerless) {
    if (set.names.length < 2) {
      throw new InputError(`headerless time series has ${set.names.length} column`, {
        file: name,
        line: set.lines[0],
        expected: "at least 2 columns: time [s], current [A] (, voltage [V])",
      });
    }
    mapping = { time: 0, current: 1, ...(set.names.length >= 3 ? { voltage: 2 } : {}), ...options.columns };
  }
  const series = timeSeriesFromColumns(set, mapping, options.units, options.currentSign ?? 1);
  series.meta = { format: "csv" };
  if (notes.length > 0) series.notes = notes;
  return series;
}
