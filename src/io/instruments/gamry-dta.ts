/**
 * Gamry Framework data files (`.DTA`): tab-delimited "data objects" (Gamry Framework help,
 * "Data File Overview"). A line that starts with text is `TYPE<TAB>TAG<TAB>values…`; a
 * `NAME<TAB>TABLE[<TAB>count]` line opens a table followed by a names line, a units line and
 * rows, all starting with a tab. `NOTES` objects are followed by `n` continuation lines.
 *
 * Impedance: each `ZCURVE` table (Pt, Time, Freq, Zreal, Zimag, …) is one spectrum; Zimag is
 * the signed Im(Z) (negative = capacitive), Freq in Hz, Z in ohm.
 * Time series: the `CURVE*` tables (T [s], Vf [V vs. Ref.], Im [A]), concatenated in file
 * order; without any, the `OCVCURVE` table, whose current is zero (open circuit).
 * The Gamry Framework reports anodic current (oxidation of the working electrode) as positive, which is charge for a cathode; `options.currentSign` overrides.
 */
import { InputError } from "../../errors.js";
import { type ColumnSet, cleanImpedanceSpectra, timeSeriesFromColumns } from "./columns.js";
import { decodeText, metaValue, readTable, splitLines } from "./text.js";
import type { ImpedanceReadOptions, ImpedanceSpectrum, TimeSeries, TimeSeriesReadOptions } from "./types.js";

interface DtaTable {
  name: string;
  set: ColumnSet;
  /** 1-based line of the `NAME TABLE` line. */
  line: number;
}

interface DtaContent {
  tables: DtaTable[];
  meta: Record<string, string | number>;
}

function readDta(bytes: Uint8Array, name: string, decimal: "." | "," | undefined): DtaContent {
  const lines = splitLines(decodeText(bytes));
  if (lines.length === 0 || lines[0].trim() !== "EXPLAIN") {
    throw new InputError("not a Gamry Framework data file", {
      file: name,
      line: 1,
      value: (lines[0] ?? "").slice(0, 40),
      expected: 'first line "EXPLAIN"',
    });
  }
  const meta: Record<string, string | number> = { format: "gamry-dta" };
  const tables: DtaTable[] = [];
  let i = 1;
  while (i < lines.length) {
    const line = lines[i];
    if (line.startsWith("\t") || line.trim() === "") {
      i++;
      continue;
    }
    const parts = line.split("\t");
    const type = parts[1]?.trim() ?? "";
    if (type === "TABLE") {
      const tableName = parts[0].trim();
      const declared = parts[2] !== undefined && parts[2].trim() !== "" ? Number(parts[2]) : undefined;
      if (i + 2 >= lines.length || !lines[i + 1].startsWith("\t") || !lines[i + 2].startsWith("\t")) {
        throw new InputError(`table ${tableName} lacks its names and units lines`, {
          file: name,
          line: i + 2,
          expected: "a tab-indented line of column names, then one of units",
        });
      }
      const names = lines[i + 1].slice(1).split("\t");
      const unitsRow = lines[i + 2].slice(1).split("\t");
      const table = readTable(lines, i + 3, lines.length, names, {
        file: name,
        delimiter: "\t",
        decimal,
        skipPrefix: 1,
        stop: (l) => !l.startsWith("\t"),
      });
      if (declared !== undefined && Number.isFinite(declared) && declared !== table.rows) {
        throw new InputError(`table ${tableName} declares ${declared} rows but has ${table.rows}`, {
          file: name,
          line: table.end + 1,
          expected: `${declared} rows (file truncated?)`,
        });
      }
      // A line that does not start with a tab ends the table. When tab-indented rows of the
      // same width follow it, the table was cut by a junk line: refuse rather than silently
      // keep only the rows before it.
      let next = table.end;
      while (next < lines.length && lines[next].trim() === "") next++;
      let after = 0;
      for (let j = next + 1; j < lines.length && lines[j].startsWith("\t"); j++) {
        if (lines[j].slice(1).split("\t").length >= table.names.length) after++;
        else break;
      }
      // A Gamry object line is "KEY<TAB>TYPE…" with an upper-case type (TABLE, QUANT, LABEL …).
      const isObject = next < lines.length && /^[^\t\s][^\t]*\t[A-Z][A-Z0-9_]*(\t|$)/.test(lines[next]);
      if (next < lines.length && !isObject && after > 0) {
        throw new InputError(
          `table ${tableName} is cut by line ${next + 1}: ${table.rows} rows read before it, ${after} more rows after it`,
          {
            file: name,
            line: next + 1,
            value: lines[next].slice(0, 60),
            expected: `tab-indented rows of ${table.names.length} values (remove or fix line ${next + 1})`,
          },
        );
      }
      if (table.rows === 0) {
        throw new InputError(`table ${tableName} has no rows`, {
          file: name,
          line: i + 4,
          expected: "tab-indented rows of numbers after the names and units lines",
        });
      }
      const units = new Map<string, string>();
      table.names.forEach((n, k) => {
        units.set(n, (unitsRow[k] ?? "").trim());
      });
      // Gamry writes "#" (a count) and "bits" as units of index / flag columns: not physical.
      for (const [k, u] of units) if (u === "#" || u === "bits") units.set(k, "");
      tables.push({
        name: tableName,
        set: { file: name, names: table.names, numeric: table.numeric, units, lines: table.lines },
        line: i + 1,
      });
      i = table.end;
      continue;
    }
    if (type === "NOTES") {
      const n = Number(parts[2]);
      i += 1 + (Number.isInteger(n) && n > 0 ? n : 0);
      continue;
    }
    const key = parts[0].trim();
    const value = parts[2];
    if (key !== "" && value !== undefined && !(key in meta)) meta[key] = metaValue(value);
    else if (key === "TAG" && parts[1]) meta.TAG = parts[1].trim();
    i++;
  }
  return { tables, meta };
}

/** Parse a Gamry `.DTA` file: one impedance spectrum per ZCURVE table. */
export function parseGamryImpedance(
  bytes: Uint8Array,
  name: string,
  options: ImpedanceReadOptions = {},
): ImpedanceSpectrum[] {
  const { tables, meta } = readDta(bytes, name, options.decimal);
  const z = tables.filter((t) => t.name === "ZCURVE");
  if (z.length === 0) {
    throw new InputError("no ZCURVE table", {
      file: name,
      expected: `an EIS file with a ZCURVE table; tables are ${tables.map((t) => t.name).join(", ") || "none"}`,
    });
  }
  const spectra = z.map((t, k) => {
    const s = cleanImpedanceSpectra(
      t.set,
      [[0, t.set.lines.length]],
      options.columns,
      options.units,
      false,
    )[0].spectrum;
    s.label = z.length > 1 ? `${name} ZCURVE ${k}` : name;
    s.meta = {
      ...meta,
      table: t.name,
      rows: t.set.lines.length,
      ...(z.length > 1 ? { index: k } : {}),
    };
    return s;
  });
  if (options.split === false && spectra.length > 1) {
    return [concatSpectra(spectra, name)];
  }
  return spectra;
}

function concat(arrays: Float64Array[]): Float64Array {
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrays) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

function concatSpectra(spectra: ImpedanceSpectrum[], name: string): ImpedanceSpectrum {
  const s: ImpedanceSpectrum = {
    frequency: concat(spectra.map((x) => x.frequency)),
    zReal: concat(spectra.map((x) => x.zReal)),
    zImag: concat(spectra.map((x) => x.zImag)),
    label: name,
    meta: spectra[0].meta,
  };
  if (spectra.every((x) => x.time)) s.time = concat(spectra.map((x) => x.time!));
  return s;
}

/** Parse a Gamry `.DTA` time series: CURVE tables (or `options.table`, or OCVCURVE). */
export function parseGamryTimeSeries(
  bytes: Uint8Array,
  name: string,
  options: TimeSeriesReadOptions = {},
): TimeSeries {
  const { tables, meta } = readDta(bytes, name, options.decimal);
  let chosen: DtaTable[];
  if (options.table !== undefined) chosen = tables.filter((t) => t.name === options.table);
  else {
    chosen = tables.filter((t) => /^CURVE\d*$/.test(t.name));
    if (chosen.length === 0) chosen = tables.filter((t) => t.name === "OCVCURVE");
  }
  if (chosen.length === 0) {
    throw new InputError(options.table ? `no table ${options.table}` : "no CURVE or OCVCURVE table", {
      file: name,
      field: "table",
      expected: `one of ${tables.map((t) => t.name).join(", ") || "(no tables in file)"}`,
    });
  }
  const first = chosen[0].set;
  for (const t of chosen) {
    if (t.set.names.join("\t") !== first.names.join("\t")) {
      throw new InputError(`table ${t.name} has different columns from ${chosen[0].name}`, {
        file: name,
        line: t.line + 1,
        expected: `the columns ${first.names.join(", ")}`,
      });
    }
  }
  const numeric = new Map<string, Float64Array>();
  for (const key of first.numeric.keys())
    numeric.set(key, concat(chosen.map((t) => t.set.numeric.get(key)!)));
  const lines = new Int32Array(chosen.reduce((n, t) => n + t.set.lines.length, 0));
  let o = 0;
  for (const t of chosen) {
    lines.set(t.set.lines, o);
    o += t.set.lines.length;
  }
  const names = [...first.names];
  const units = new Map(first.units);
  // An open-circuit table has no current column: the current is zero by definition.
  const openCircuit =
    chosen.every((t) => t.name === "OCVCURVE") && !numeric.has("Im") && !options.columns?.current;
  const zeroName = "(open circuit current)";
  if (openCircuit) {
    numeric.set(zeroName, new Float64Array(lines.length));
    units.set(zeroName, "A");
    names.push(zeroName);
  }
  const set: ColumnSet = { file: name, names, numeric, units, lines };
  const mapping = openCircuit ? { ...options.columns, current: zeroName } : options.columns;
  const series = timeSeriesFromColumns(set, mapping, options.units, options.currentSign ?? 1);
  if (openCircuit) {
    delete series.columns[zeroName];
    delete series.units[zeroName];
  }
  series.meta = {
    ...meta,
    tables: chosen.map((t) => t.name).join(","),
    ...(openCircuit ? { openCircuit: 1 } : {}),
  };
  return series;
}
