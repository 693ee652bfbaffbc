/**
 * Maccor text export (tab-separated), as written by Maccor MIMS "export to text":
 * line 1 "Today's Date … Date of Test: … Filename: … Procedure: …", line 2 the column names
 * (Rec#, Cyc#, Step, TestTime, StepTime, Amp-hr, Watt-hr, Amps, Volts, State, ES, DPt Time …),
 * then one row per record. TestTime / StepTime are durations `Nd hh:mm:ss.ssss` → seconds.
 *
 * Sign: Maccor writes |I| in Amps and the direction in State (C = charge, D = discharge,
 * R = rest, O/P/FRA… = other), so current = +|Amps| on C rows, −|Amps| on D rows and the value
 * as written on the others. SPEC §1: positive current = charge of the cathode.
 */
import { InputError } from "../../errors.js";
import { type ColumnSet, timeSeriesFromColumns } from "./columns.js";
import { decodeText, readTable, splitLines } from "./text.js";
import type { TimeSeries, TimeSeriesReadOptions } from "./types.js";

const DURATION = /^\s*(?:(\d+)d\s+)?(\d+):(\d{1,2}):(\d{1,2}(?:\.\d*)?)\s*$/;

/** Parse a Maccor duration `0d 00:00:10.0000` (days optional) or plain seconds → seconds. */
export function parseMaccorDuration(cell: string): number | undefined {
  const m = DURATION.exec(cell);
  if (m) return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  const t = cell.trim();
  if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return Number(t);
  return undefined;
}

/** Parse a Maccor text export as a time series [s, A, V]. */
export function parseMaccor(
  bytes: Uint8Array,
  name: string,
  options: TimeSeriesReadOptions = {},
): TimeSeries {
  const lines = splitLines(decodeText(bytes));
  const meta: Record<string, string | number> = { format: "maccor" };
  let headerLine = 0;
  if (/^Today's Date/i.test(lines[0] ?? "")) {
    const first = lines[0];
    const grab = (key: string, re: RegExp) => {
      const m = re.exec(first);
      if (m) meta[key] = m[1].trim();
    };
    grab("Date of Test", /Date of Test:\s*\t?\s*([^\t]*)/);
    grab("Filename", /Filename:\s*\t?\s*(.*?)\s+Procedure:/);
    grab("Procedure", /Procedure:\s*([^\t]*)/);
    headerLine = 1;
  }
  const names = (lines[headerLine] ?? "").split("\t").map((n) => n.trim());
  for (const required of ["TestTime", "Amps", "Volts", "State"]) {
    if (!names.includes(required)) {
      throw new InputError(`Maccor header lacks the column "${required}"`, {
        file: name,
        line: headerLine + 1,
        value: (lines[headerLine] ?? "").slice(0, 60),
        expected:
          "a tab-separated header with Rec#, Cyc#, Step, TestTime, StepTime, Amp-hr, Watt-hr, Amps, Volts, State",
      });
    }
  }
  const table = readTable(lines, headerLine + 1, lines.length, names, {
    file: name,
    delimiter: "\t",
    decimal: options.decimal ?? ".",
    special: { TestTime: parseMaccorDuration, StepTime: parseMaccorDuration },
  });
  if (table.rows === 0) {
    throw new InputError("no data rows", {
      file: name,
      line: headerLine + 2,
      expected: "rows after the header",
    });
  }
  const state = table.text.get("State");
  const amps = table.numeric.get("Amps");
  if (!state || !amps) {
    throw new InputError("State must be text and Amps numeric", {
      file: name,
      line: table.lines[0],
      expected: "State letters (C, D, R …) and currents in A",
    });
  }
  // Signed current: + on charge, − on discharge (see header comment).
  const signed = new Float64Array(table.rows);
  for (let r = 0; r < table.rows; r++) {
    const s = state[r];
    const a = amps[r];
    signed[r] = s === "C" ? Math.abs(a) : s === "D" ? -Math.abs(a) : a;
  }
  const signedName = "(signed current)";
  const numeric = new Map(table.numeric);
  numeric.set(signedName, signed);
  const units = new Map<string, string>([
    ["TestTime", "s"],
    ["StepTime", "s"],
    [signedName, "A"],
    ["Amps", "A"],
    ["Volts", "V"],
    ["Amp-hr", "A.h"],
    ["Watt-hr", "W.h"],
  ]);
  const set: ColumnSet = {
    file: name,
    names: [...table.names, signedName],
    numeric,
    units,
    lines: table.lines,
  };
  const mapping = {
    time: "TestTime",
    voltage: "Volts",
    current: signedName,
    ...(numeric.has("Step") ? { step: "Step" } : {}),
    ...(numeric.has("Cyc#") ? { cycle: "Cyc#" } : {}),
    ...options.columns,
  };
  const series = timeSeriesFromColumns(set, mapping, options.units, options.currentSign ?? 1);
  delete series.columns[signedName];
  delete series.units[signedName];
  series.meta = meta;
  return series;
}
