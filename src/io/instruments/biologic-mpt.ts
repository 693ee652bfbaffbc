/**
 * BioLogic EC-Lab ASCII export (`.mpt`).
 *
 * Layout (observed in EC-Lab 11.18 and 11.50 exports): line 1 "EC-Lab ASCII FILE", line 2
 * "Nb header lines : N"; lines 3…N−1 are "key : value" settings, optionally
 * "Number of loops : L" and one "Loop i from point number a to b" line per loop (0-based,
 * inclusive point indices); line N holds the tab-separated column names (`freq/Hz`,
 * `Re(Z)/Ohm`, `-Im(Z)/Ohm`, `time/s`, `<Ewe>/V`, `<I>/mA`, `cycle number`, `Ns` …), then one
 * row per point. Latin-1; the decimal separator follows the Windows locale ("." or ",").
 * BioLogic current is positive when anodic (oxidation of the working electrode), which for a
 * cathode is charge, so no sign change is applied.
 */
import { InputError } from "../../errors.js";
import { deriveBiologicCurrent } from "./biologic-mpr.js";
import {
  type ColumnSet,
  cleanImpedanceSpectra,
  runs,
  spectrumColumn,
  timeSeriesFromColumns,
} from "./columns.js";
import { decodeText, metaValue, readTable, splitLines } from "./text.js";
import type { ImpedanceReadOptions, ImpedanceSpectrum, TimeSeries, TimeSeriesReadOptions } from "./types.js";

interface MptContent {
  set: ColumnSet;
  meta: Record<string, string | number>;
  /** [start, end) row ranges of the loops declared in the header, if any. */
  loops: [number, number][];
}

function readMpt(bytes: Uint8Array, name: string, decimal: "." | "," | undefined): MptContent {
  const lines = splitLines(decodeText(bytes));
  if (lines.length === 0 || !/^EC-Lab ASCII FILE/i.test(lines[0].trim())) {
    throw new InputError("not an EC-Lab ASCII file", {
      file: name,
      line: 1,
      value: lines[0]?.slice(0, 40) ?? "",
      expected: '"EC-Lab ASCII FILE"',
    });
  }
  const m = /^Nb header lines\s*:\s*(\d+)\s*$/i.exec(lines[1] ?? "");
  if (!m) {
    throw new InputError("missing header-length line", {
      file: name,
      line: 2,
      value: (lines[1] ?? "").trim(),
      expected: '"Nb header lines : N"',
    });
  }
  const nHeader = Number(m[1]);
  if (nHeader < 3 || lines.length < nHeader) {
    throw new InputError(`header declares ${nHeader} lines but the file has ${lines.length}`, {
      file: name,
      line: lines.length,
      expected: `at least ${nHeader} lines (file truncated?)`,
    });
  }
  const meta: Record<string, string | number> = { format: "biologic-mpt" };
  const loopLines: [number, number][] = [];
  let declaredLoops = -1;
  for (let i = 2; i < nHeader - 1; i++) {
    const line = lines[i];
    const loop = /^Loop\s+(\d+)\s+from point number\s+(\d+)\s+to\s+(\d+)/i.exec(line);
    if (loop) {
      loopLines.push([Number(loop[2]), Number(loop[3]) + 1]);
      continue;
    }
    const nl = /^Number of loops\s*:\s*(\d+)/i.exec(line);
    if (nl) {
      declaredLoops = Number(nl[1]);
      continue;
    }
    if (i === 3 && line.trim() !== "" && !line.includes(":")) meta.technique = line.trim();
    const kv = /^([^:\t]+?)\s*:\s*(.*)$/.exec(line);
    if (kv && kv[2].trim() !== "" && !(kv[1].trim() in meta)) meta[kv[1].trim()] = metaValue(kv[2]);
  }
  const headerLine = nHeader - 1;
  const names = lines[headerLine].split("\t");
  if (names.filter((n) => n.trim() !== "").length < 2 || /^\s*[+-]?\d/.test(names[0])) {
    throw new InputError("column-name line not found where the header says", {
      file: name,
      line: nHeader,
      value: lines[headerLine].slice(0, 60),
      expected: 'tab-separated column names such as "freq/Hz<TAB>Re(Z)/Ohm"',
    });
  }
  const table = readTable(lines, nHeader, lines.length, names, { file: name, delimiter: "\t", decimal });
  if (table.rows === 0) {
    throw new InputError("no data rows after the header", {
      file: name,
      line: nHeader + 1,
      expected: "data rows",
    });
  }
  if (declaredLoops >= 0 && declaredLoops !== loopLines.length) {
    throw new InputError(`header declares ${declaredLoops} loops but lists ${loopLines.length}`, {
      file: name,
      expected: "one 'Loop i from point number a to b' line per loop",
    });
  }
  for (const [a, b] of loopLines) {
    if (b > table.rows || a >= b) {
      throw new InputError(`loop from point ${a} to ${b - 1} but the file has ${table.rows} data rows`, {
        file: name,
        line: nHeader + table.rows,
        expected: `${b} data rows (file truncated?)`,
      });
    }
  }
  return {
    set: { file: name, names: table.names, numeric: table.numeric, lines: table.lines },
    meta,
    loops: loopLines,
  };
}

/** Parse an EC-Lab `.mpt` impedance export into one spectrum per loop. */
export function parseBiologicMptImpedance(
  bytes: Uint8Array,
  name: string,
  options: ImpedanceReadOptions = {},
): ImpedanceSpectrum[] {
  const { set, meta, loops } = readMpt(bytes, name, options.decimal);
  const split = options.split ?? true;
  let ranges: [number, number][] = [[0, set.lines.length]];
  if (split && loops.length > 1) ranges = loops;
  else if (split && options.columns?.spectrum !== undefined) {
    const col = spectrumColumn(set, options.columns);
    if (col) ranges = runs(col.data);
  }
  // Zero-frequency rows (cycling rows of a Modulo Bat file) separate spectra too.
  const parts = cleanImpedanceSpectra(set, ranges, options.columns, options.units, split);
  return parts.map(({ spectrum: s }, k) => {
    s.label = parts.length > 1 ? `${name} ${loops.length > 1 ? "loop" : "spectrum"} ${k}` : name;
    s.meta = { ...meta, ...(parts.length > 1 ? { [loops.length > 1 ? "loop" : "spectrum"]: k } : {}) };
    return s;
  });
}

/** Parse an EC-Lab `.mpt` export as a time series (time/s, Ewe or <Ewe>, I or <I> in mA → A). */
export function parseBiologicMptTimeSeries(
  bytes: Uint8Array,
  name: string,
  options: TimeSeriesReadOptions = {},
): TimeSeries {
  const { set, meta } = readMpt(bytes, name, options.decimal);
  const notes = options.columns?.current === undefined ? deriveBiologicCurrent(set) : [];
  const mapping =
    notes.length > 0 ? { ...options.columns, current: set.names[set.names.length - 1] } : options.columns;
  const series = timeSeriesFromColumns(set, mapping, options.units, options.currentSign ?? 1);
  series.meta = meta;
  if (notes.length > 0) series.notes = notes;
  return series;
}
