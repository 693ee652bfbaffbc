/**
 * Scribner ZPlot ASCII (`.z`), as written by ZPlot 3.x: a free-form header ending with the
 * line "End Comments"; the line before it usually lists the tab-separated column names
 * (`Freq(Hz)  Ampl  Bias  Time(Sec)  Z'(a)  Z''(b)  GD  Err  Range`). Rows are tab-separated.
 * Z'' is the signed imaginary part (negative = capacitive), so no sign change is applied.
 */
import { InputError } from "../../errors.js";
import { cleanImpedanceSpectra } from "./columns.js";
import { decodeText, metaValue, readTable, splitLines } from "./text.js";
import type { ImpedanceReadOptions, ImpedanceSpectrum } from "./types.js";

/** Column names used when the header does not list them (ZPlot 2/3 default order). */
const DEFAULT_NAMES = ["Freq(Hz)", "Ampl", "Bias", "Time(Sec)", "Z'(a)", "Z''(b)", "GD", "Err", "Range"];

/** Parse a ZPlot `.z` file into one spectrum. */
export function parseZplot(
  bytes: Uint8Array,
  name: string,
  options: ImpedanceReadOptions = {},
): ImpedanceSpectrum[] {
  const lines = splitLines(decodeText(bytes));
  const end = lines.findIndex((l) => /^\s*End Comments\s*$/i.test(l));
  if (end < 0) {
    throw new InputError('no "End Comments" line', {
      file: name,
      line: Math.min(lines.length, 1),
      expected: 'a ZPlot header ending with "End Comments"',
    });
  }
  const meta: Record<string, string | number> = { format: "zplot" };
  for (let i = 0; i < end; i++) {
    const kv = /^\s*([^:\t]+?)\s*:\s*(.*?)\s*$/.exec(lines[i]);
    if (kv && kv[2] !== "" && !(kv[1] in meta)) meta[kv[1]] = metaValue(kv[2]);
  }
  const prev = end > 0 ? lines[end - 1].trim().split("\t") : [];
  const names = prev.length >= 4 ? prev.map((s) => s.trim()) : DEFAULT_NAMES;
  const first = lines.slice(end + 1).findIndex((l) => l.trim() !== "");
  if (first < 0)
    throw new InputError("no data rows after End Comments", {
      file: name,
      line: end + 2,
      expected: "data rows",
    });
  const ncell = lines[end + 1 + first].split("\t").filter((c) => c.trim() !== "").length;
  const cols = ncell === names.length ? names : ncell === DEFAULT_NAMES.length ? DEFAULT_NAMES : names;
  const table = readTable(lines, end + 1, lines.length, cols, {
    file: name,
    delimiter: "\t",
    decimal: options.decimal,
  });
  const declared = meta["Data Points"];
  if (typeof declared === "number" && declared !== table.rows) {
    throw new InputError(`header declares ${declared} data points but the file has ${table.rows}`, {
      file: name,
      line: end + 1 + table.rows,
      expected: `${declared} data rows (file truncated?)`,
    });
  }
  const set = { file: name, names: table.names, numeric: table.numeric, lines: table.lines };
  const s = cleanImpedanceSpectra(set, [[0, table.rows]], options.columns, options.units, false)[0].spectrum;
  s.label = name;
  s.meta = meta;
  return [s];
}
