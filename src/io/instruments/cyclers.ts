/**
 * Battery-cycler CSV exports: Neware BTS and Arbin MITS.
 *
 * Neware (BTS 7/8 "record" export, as in cellpy's `neware_uio.csv`): one row per record,
 * comma-separated, columns `DataPoint, Cycle Index, Step Index, Step Type, Time,
 * Cumulative Time (or Total Time), Current(A), Voltage(V), Capacity(Ah), …, Date`. `Time` is the
 * step time and `Cumulative Time` / `Total Time` the test time, both written `h:mm:ss` (hours
 * may exceed 24; `Nd hh:mm:ss` and plain seconds are accepted too). Current is negative on
 * discharge (checked on the file: every `CC DChg` row < 0), i.e. positive = charge as in SPEC §1.
 * The layered export (cycle / step / record rows in one sheet, record rows starting with two
 * empty cells) is refused with a hint.
 *
 * Arbin (MITS Pro CSV export, as in beep's test files): `Data_Point, Test_Time[(s)],
 * Date_Time|DateTime, Step_Time[(s)], Step_Index, Cycle_Index, Current[(A)], Voltage[(V)], …`;
 * without a unit suffix the columns are in s, A, V (Arbin's default export units). Current is
 * positive on charge.
 */
import { InputError } from "../../errors.js";
import { type ColumnSet, timeSeriesFromColumns } from "./columns.js";
import { parseMaccorDuration } from "./maccor.js";
import { decodeText, detectDelimiter, readTable, splitLines } from "./text.js";
import type { ColumnMapping, TimeSeries, TimeSeriesReadOptions } from "./types.js";

/** Which cycler wrote a CSV header line, if any. */
export function detectCyclerCsv(headerLine: string): "neware" | "arbin" | undefined {
  const h = headerLine.replace(/"/g, "");
  if (/(^|[,;\t])\s*Data_Point\s*([,;\t]|$)/.test(h) && /Test_Time/.test(h)) return "arbin";
  if (/(^|[,;\t])\s*DataPoint\s*([,;\t]|$)/.test(h) && /(Cumulative|Total) Time/.test(h) && /Current/.test(h))
    return "neware";
  if (/^Cycle Index\s*,\s*Chg\. Cap/.test(h)) return "neware";
  return undefined;
}

/** First header name among `candidates` present in `names`. */
function pick(names: readonly string[], candidates: readonly string[]): string | undefined {
  for (const c of candidates) {
    const hit = names.find((n) => n.trim() === c);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

function readCyclerTable(
  bytes: Uint8Array,
  name: string,
  options: TimeSeriesReadOptions,
  timeColumns: readonly string[],
): { set: ColumnSet; delimiter: string } {
  const lines = splitLines(decodeText(bytes));
  if (lines.length < 2) {
    throw new InputError("no data rows", {
      file: name,
      line: lines.length + 1,
      expected: "a header and data rows",
    });
  }
  const delimiter = options.delimiter ?? detectDelimiter(lines[0]);
  const names = lines[0].split(delimiter).map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
  const special: Record<string, (cell: string) => number | undefined> = {};
  for (const t of timeColumns) if (names.includes(t)) special[t] = parseMaccorDuration;
  const table = readTable(lines, 1, lines.length, names, {
    file: name,
    delimiter,
    decimal: options.decimal ?? (delimiter === "," ? "." : undefined),
    special,
  });
  if (table.rows === 0) {
    throw new InputError("no data rows", { file: name, line: 2, expected: "rows after the header" });
  }
  return {
    set: { file: name, names: table.names, numeric: table.numeric, lines: table.lines },
    delimiter,
  };
}

/** Column roles of a Neware or Arbin table by its header names (the cycler's own names). */
export function cyclerMapping(kind: "neware" | "arbin", names: readonly string[]): ColumnMapping {
  const time =
    kind === "neware"
      ? pick(names, ["Cumulative Time", "Total Time", "Test Time"])
      : pick(names, ["Test_Time(s)", "Test_Time"]);
  const current = pick(
    names,
    kind === "neware" ? ["Current(A)", "Current(mA)", "Current"] : ["Current(A)", "Current"],
  );
  const voltage = pick(
    names,
    kind === "neware" ? ["Voltage(V)", "Voltage(mV)", "Voltage"] : ["Voltage(V)", "Voltage"],
  );
  const step = pick(names, kind === "neware" ? ["Step Index"] : ["Step_Index"]);
  const cycle = pick(names, kind === "neware" ? ["Cycle Index"] : ["Cycle_Index"]);
  return {
    ...(time ? { time } : {}),
    ...(current ? { current } : {}),
    ...(voltage ? { voltage } : {}),
    ...(step ? { step } : {}),
    ...(cycle ? { cycle } : {}),
  };
}

/** Parse a Neware BTS CSV record export as a time series [s, A, V]. */
export function parseNewareCsv(
  bytes: Uint8Array,
  name: string,
  options: TimeSeriesReadOptions = {},
): TimeSeries {
  const first = splitLines(decodeText(bytes.subarray(0, 4096)))[0] ?? "";
  if (/^Cycle Index\s*,\s*Chg\. Cap/.test(first)) {
    throw new InputError("Neware layered export (cycle, step and record rows in one table)", {
      file: name,
      line: 1,
      value: first.slice(0, 60),
      expected: 'the record layer exported alone (header "DataPoint,…,Current(A),Voltage(V)…")',
    });
  }
  const timeNames = ["Cumulative Time", "Total Time", "Test Time", "Time", "Step Time"];
  const { set } = readCyclerTable(bytes, name, options, timeNames);
  const mapping: ColumnMapping = { ...cyclerMapping("neware", set.names), ...options.columns };
  const series = timeSeriesFromColumns(set, mapping, options.units, options.currentSign ?? 1);
  series.meta = { format: "neware" };
  return series;
}

/** Parse an Arbin CSV export as a time series [s, A, V]. */
export function parseArbinCsv(
  bytes: Uint8Array,
  name: string,
  options: TimeSeriesReadOptions = {},
): TimeSeries {
  const { set } = readCyclerTable(bytes, name, options, []);
  const mapping: ColumnMapping = { ...cyclerMapping("arbin", set.names), ...options.columns };
  const series = timeSeriesFromColumns(set, mapping, options.units, options.currentSign ?? 1);
  series.meta = { format: "arbin" };
  return series;
}
