/**
 * Column roles and units: find the frequency / impedance / time / current / voltage columns of
 * a table by name (`freq/Hz`, `Re(Z)/Ohm`, `-Im(Z)/Ohm`, `time/s`, `<I>/mA`, `Freq(Hz)`,
 * `Z_real_Ohm`, `Amps` …), read their unit from the header and convert to SI.
 */
import { InputError } from "../../errors.js";
import { type Dimension, parseQuantity } from "../../units.js";
import type { ColumnMapping, ColumnRef, ColumnUnits, ImpedanceSpectrum, TimeSeries } from "./types.js";

/** A column name split into its base name and unit: `I/mA` → {base "I", unit "mA"}. */
export interface NameUnit {
  base: string;
  unit: string;
}

const KNOWN_UNITS = new Set([
  "s",
  "sec",
  "ms",
  "min",
  "h",
  "hr",
  "d",
  "A",
  "mA",
  "uA",
  "µA",
  "nA",
  "V",
  "mV",
  "Hz",
  "kHz",
  "mHz",
  "Ohm",
  "ohm",
  "Ω",
  "mOhm",
  "kOhm",
  "deg",
  "rad",
]);

/**
 * Split a header name into base and unit. Recognised forms: `name/unit` (EC-Lab),
 * `name [unit]`, `name (unit)` and `name_unit` (the last two only for known unit symbols, so
 * that `Re(Z)` or `Z'(a)` keep their parentheses).
 */
export function splitNameUnit(name: string): NameUnit {
  const n = name.trim();
  let m = /^(.*?)\s*\[([^\]]*)\]$/.exec(n);
  if (m) return { base: m[1], unit: m[2].trim() };
  m = /^(.*?)\s*\(([^()]*)\)$/.exec(n);
  if (m && (KNOWN_UNITS.has(m[2].trim()) || /^sec$/i.test(m[2].trim())))
    return { base: m[1], unit: m[2].trim() };
  const slash = n.indexOf("/");
  if (slash > 0) return { base: n.slice(0, slash), unit: n.slice(slash + 1).trim() };
  m = /^(.*)_([^_]+)$/.exec(n);
  if (m && KNOWN_UNITS.has(m[2])) return { base: m[1], unit: m[2] };
  return { base: n, unit: "" };
}

/** Map an instrument unit string to the SI factor for `dimension`; "" means SI already. */
export function unitFactor(unit: string, dimension: Dimension, field: string, file: string): number {
  let u = unit.trim();
  if (u === "") return 1;
  // Gamry writes "V vs. Ref."; ZPlot "Sec"; some exports "Ohms"/"ohms".
  u = u.replace(/\s+vs\..*$/i, "");
  if (/^sec$/i.test(u)) u = "s";
  if (/^ohms?$/i.test(u)) u = "Ohm";
  try {
    return parseQuantity(`1 ${u}`, dimension, { field });
  } catch (error) {
    return InputError.at(error, { file, field });
  }
}

type Role = "frequency" | "zReal" | "zImag" | "time" | "current" | "voltage" | "step" | "cycle" | "spectrum";

const DIMENSION: Partial<Record<Role, Dimension>> = {
  frequency: "frequency",
  zReal: "resistance",
  zImag: "resistance",
  time: "time",
  current: "current",
  voltage: "voltage",
};

/** Base names (lower case, spaces removed) recognised for each role, in order of preference. */
const ROLE_NAMES: Record<Role, string[]> = {
  frequency: ["freq", "frequency", "f"],
  zReal: ["re(z)", "zreal", "z'", "z'(a)", "z_real", "zre", "re", "real"],
  zImag: [
    "-im(z)",
    "im(z)",
    "zimag",
    "z''",
    "z''(b)",
    "-z''",
    "z_imag",
    "-zimag",
    "zim",
    "-zim",
    "im",
    "imag",
  ],
  time: ["time", "t", "testtime", "elapsedtime", "time(sec)"],
  current: ["i", "<i>", "im", "current", "amps", "curr"],
  voltage: ["ewe", "<ewe>", "vf", "voltage", "volts", "e", "u", "v", "potential"],
  step: ["ns", "step", "stepindex", "step_index"],
  cycle: ["cyclenumber", "cycle", "cyc#", "cycle_index", "cycleindex"],
  spectrum: ["spectrum_index", "spectrum", "spectrumindex", "spectrum_id"],
};

function normalise(base: string): string {
  return base.toLowerCase().replace(/\s+/g, "");
}

/** Numeric columns of a table with units: the input of the builders below. */
export interface ColumnSet {
  file: string;
  /** Column names in file order (numeric ones only are looked up). */
  names: string[];
  numeric: Map<string, Float64Array>;
  /** Units per column when the format gives them separately (Gamry units line). */
  units?: Map<string, string>;
  /** 1-based file line of each row. */
  lines: Int32Array;
}

interface Resolved {
  name: string;
  data: Float64Array;
  unit: string;
  base: string;
}

function columnUnit(set: ColumnSet, name: string): NameUnit {
  const split = splitNameUnit(name);
  const explicit = set.units?.get(name);
  return explicit !== undefined ? { base: split.base, unit: explicit } : split;
}

/**
 * Resolve a mapped column. A name matches a header exactly; failing that, a name with a unit
 * (`Current(mA)`, `Current [mA]`, `Current/mA`) matches the header `Current` and supplies
 * the unit the header lacks. A unit that contradicts the header's own is refused.
 */
function resolveRef(set: ColumnSet, ref: ColumnRef, role: string): Resolved {
  let name: string | undefined;
  let unitOverride: string | undefined;
  if (typeof ref === "number") name = set.names[ref];
  else {
    name = set.names.find((n) => n === ref) ?? set.names.find((n) => n.trim() === ref.trim());
    if (name === undefined) {
      const wanted = splitNameUnit(ref);
      if (wanted.unit !== "") {
        name =
          set.names.find((n) => n.trim() === wanted.base.trim()) ??
          set.names.find((n) => normalise(columnUnit(set, n).base) === normalise(wanted.base));
        if (name !== undefined) {
          const own = columnUnit(set, name).unit;
          if (own !== "" && own !== wanted.unit) {
            throw new InputError(`column "${name}" is in ${own}, the mapping says ${wanted.unit}`, {
              file: set.file,
              field: role,
              value: ref,
              expected: `the unit written in the header (${own}) or the exact header name`,
            });
          }
          unitOverride = wanted.unit;
        }
      }
    }
  }
  if (name === undefined) {
    throw new InputError(
      `column ${typeof ref === "number" ? `#${ref + 1}` : `"${ref}"`} for ${role} not found`,
      {
        file: set.file,
        field: role,
        expected: `one of ${set.names.map((n) => `"${n}"`).join(", ")}`,
      },
    );
  }
  const data = set.numeric.get(name);
  if (!data) {
    throw new InputError(`column "${name}" for ${role} is not numeric`, {
      file: set.file,
      field: name,
      expected: "a column of numbers",
    });
  }
  const nu = columnUnit(set, name);
  return { name, data, unit: unitOverride ?? nu.unit, base: nu.base };
}

/** Find the column for `role` by mapping or by name; undefined when absent. */
function findRole(set: ColumnSet, role: Role, mapping: ColumnMapping | undefined): Resolved | undefined {
  const ref = mapping?.[role as keyof ColumnMapping];
  if (ref !== undefined && typeof ref !== "number") return resolveRef(set, ref, role);
  if (typeof ref === "number") return resolveRef(set, ref, role);
  for (const wanted of ROLE_NAMES[role]) {
    for (const name of set.names) {
      if (!set.numeric.has(name)) continue;
      const nu = columnUnit(set, name);
      if (normalise(nu.base) === wanted)
        return { name, data: set.numeric.get(name)!, unit: nu.unit, base: nu.base };
    }
  }
  return undefined;
}

function requireRole(
  set: ColumnSet,
  role: Role,
  mapping: ColumnMapping | undefined,
  expected: string,
): Resolved {
  const r = findRole(set, role, mapping);
  if (!r) {
    throw new InputError(`no ${role} column`, {
      file: set.file,
      field: role,
      expected: `${expected}; columns are ${set.names.map((n) => `"${n}"`).join(", ")} (or pass options.columns.${role})`,
    });
  }
  return r;
}

/** Convert a column to SI into a new array, refusing non-finite values (named by line). */
function toSI(
  set: ColumnSet,
  col: Resolved,
  role: Role,
  units: ColumnUnits | undefined,
  sign: number,
  requireFinite: boolean,
): Float64Array {
  const dim = DIMENSION[role]!;
  const unit = col.unit !== "" ? col.unit : (units?.[role as keyof ColumnUnits] ?? "");
  const factor = unitFactor(unit, dim, col.name, set.file);
  // Divide by an exact integer (1000 for mA) instead of multiplying by an inexact 1e-3, so that
  // "0.025175875 mA" becomes the correctly rounded 2.5175875e-5 A.
  const inverse = factor < 1 ? Math.round(1 / factor) : 0;
  const exactDivide = inverse > 1 && Math.abs(inverse * factor - 1) < 1e-12;
  const out = new Float64Array(col.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = col.data[i];
    if (requireFinite && !Number.isFinite(v)) {
      throw new InputError(`missing or non-finite ${role} value`, {
        file: set.file,
        line: set.lines[i],
        field: col.name,
        value: String(v),
        expected: "a finite number",
      });
    }
    out[i] = sign * (exactDivide ? v / inverse : v * factor);
  }
  return out;
}

function toInt(col: Float64Array): Int32Array {
  const out = new Int32Array(col.length);
  for (let i = 0; i < col.length; i++) out[i] = Number.isFinite(col[i]) ? Math.round(col[i]) : -1;
  return out;
}

/**
 * Build one impedance spectrum from the whole column set. `zImag` sign: −Im columns (name
 * starting with "-") are negated so the result is Im(Z), negative = capacitive.
 */
export function impedanceFromColumns(
  set: ColumnSet,
  mapping: ColumnMapping | undefined,
  units: ColumnUnits | undefined,
): ImpedanceSpectrum {
  const f = requireRole(set, "frequency", mapping, 'a frequency column such as "freq/Hz"');
  const re = requireRole(set, "zReal", mapping, 'a real-part column such as "Re(Z)/Ohm"');
  const im = requireRole(set, "zImag", mapping, 'an imaginary-part column such as "-Im(Z)/Ohm"');
  const sign = mapping?.imagSign ?? (im.base.trim().startsWith("-") ? -1 : 1);
  const spectrum: ImpedanceSpectrum = {
    frequency: toSI(set, f, "frequency", units, 1, true),
    zReal: toSI(set, re, "zReal", units, 1, true),
    zImag: toSI(set, im, "zImag", units, sign, true),
  };
  const t = findRole(set, "time", mapping);
  if (t) spectrum.time = toSI(set, t, "time", units, 1, false);
  return spectrum;
}

/** Build a time series from a column set. Voltage is optional (undefined when absent). */
export function timeSeriesFromColumns(
  set: ColumnSet,
  mapping: ColumnMapping | undefined,
  units: ColumnUnits | undefined,
  currentSign: number,
): TimeSeries {
  const t = requireRole(set, "time", mapping, 'a time column such as "time/s"');
  const i = requireRole(set, "current", mapping, 'a current column such as "I/mA"');
  const v = findRole(set, "voltage", mapping);
  const columns: Record<string, Float64Array> = {};
  const unitMap: Record<string, string> = {};
  for (const name of set.names) {
    const data = set.numeric.get(name);
    if (!data) continue;
    columns[name] = data;
    unitMap[name] = columnUnit(set, name).unit;
  }
  const series: TimeSeries = {
    time: toSI(set, t, "time", units, 1, true),
    current: toSI(set, i, "current", units, currentSign, true),
    columns,
    units: unitMap,
  };
  if (v) series.voltage = toSI(set, v, "voltage", units, 1, true);
  const step = findRole(set, "step", mapping);
  if (step) series.step = toInt(step.data);
  const cycle = findRole(set, "cycle", mapping);
  if (cycle) series.cycle = toInt(cycle.data);
  return series;
}

/** The spectrum-index column, when the table has one (or the mapping names one). */
export function spectrumColumn(set: ColumnSet, mapping: ColumnMapping | undefined): Resolved | undefined {
  return findRole(set, "spectrum", mapping);
}

/** Restrict a column set to rows [from, to). */
export function sliceColumns(set: ColumnSet, from: number, to: number): ColumnSet {
  const numeric = new Map<string, Float64Array>();
  for (const [k, v] of set.numeric) numeric.set(k, v.subarray(from, to));
  return { ...set, numeric, lines: set.lines.subarray(from, to) };
}

/** Row ranges [start, end) over which `values` stays constant (consecutive runs). */
export function runs(values: Float64Array): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 1; i <= values.length; i++) {
    if (i === values.length || !Object.is(values[i], values[start])) {
      if (i > start) out.push([start, i]);
      start = i;
    }
  }
  return out;
}

/** Keep the rows of `set` where `keep[i]` is true. */
export function filterRows(set: ColumnSet, keep: ArrayLike<boolean | number>): ColumnSet {
  let n = 0;
  for (let i = 0; i < set.lines.length; i++) if (keep[i]) n++;
  const numeric = new Map<string, Float64Array>();
  for (const [k, v] of set.numeric) {
    const out = new Float64Array(n);
    for (let i = 0, j = 0; i < v.length; i++) if (keep[i]) out[j++] = v[i];
    numeric.set(k, out);
  }
  const lines = new Int32Array(n);
  for (let i = 0, j = 0; i < set.lines.length; i++) if (keep[i]) lines[j++] = set.lines[i];
  return { ...set, numeric, lines };
}

function listLines(lines: number[]): string {
  const shown = lines.slice(0, 8).join(", ");
  return lines.length > 8 ? `${shown} … (${lines.length} in all)` : shown;
}

/** One spectrum and the rows [from, to) of the column set it came from. */
export interface SpectrumPart {
  spectrum: ImpedanceSpectrum;
  from: number;
  to: number;
}

/**
 * Impedance spectra from row ranges of a table, cleaned the same way for every format:
 *  - rows with frequency exactly 0 (the cycling rows of a Modulo Bat / GCPL-with-EIS file,
 *    or a DC point) are dropped with a note; with `splitAtGaps` each run of non-zero
 *    frequency between them becomes its own spectrum;
 *  - a row repeating an earlier row of the same spectrum exactly (same frequency, Re Z, Im Z)
 *    is dropped with a note.
 * Refuses a range that keeps no row. Negative frequencies are left for the analyses to refuse.
 */
export function cleanImpedanceSpectra(
  set: ColumnSet,
  ranges: [number, number][],
  mapping: ColumnMapping | undefined,
  units: ColumnUnits | undefined,
  splitAtGaps: boolean,
): SpectrumPart[] {
  const f = requireRole(set, "frequency", mapping, 'a frequency column such as "freq/Hz"');
  const zeroLines: number[] = [];
  const parts: [number, number][] = [];
  for (const [a, b] of ranges) {
    let start = -1;
    const kept: [number, number][] = [];
    for (let i = a; i <= b; i++) {
      const zero = i < b && f.data[i] === 0;
      if (i < b && zero) zeroLines.push(set.lines[i]);
      if (i < b && !zero) {
        if (start < 0) start = i;
        continue;
      }
      if (start >= 0) kept.push([start, i]);
      start = -1;
    }
    if (splitAtGaps) parts.push(...kept);
    else if (kept.length > 0) parts.push([kept[0][0], kept[kept.length - 1][1]]);
  }
  if (parts.length === 0) {
    throw new InputError("no row with a non-zero frequency", {
      file: set.file,
      field: f.name,
      expected: "impedance rows (frequency > 0); this looks like a file without EIS data",
    });
  }
  const fileNotes: string[] = [];
  if (zeroLines.length > 0) {
    fileNotes.push(
      `dropped ${zeroLines.length} row${zeroLines.length > 1 ? "s" : ""} with frequency 0 (not impedance points; line${zeroLines.length > 1 ? "s" : ""} ${listLines(zeroLines)})`,
    );
  }
  return parts.map(([a, b]) => {
    let part = sliceColumns(set, a, b);
    if (!splitAtGaps && zeroLines.length > 0) {
      const keep = new Uint8Array(b - a);
      const fd = part.numeric.get(f.name)!;
      for (let i = 0; i < keep.length; i++) keep[i] = fd[i] !== 0 ? 1 : 0;
      part = filterRows(part, keep);
    }
    let spectrum = impedanceFromColumns(part, mapping, units);
    const notes = [...fileNotes];
    const seen = new Set<string>();
    const dup: number[] = [];
    const keep = new Uint8Array(spectrum.frequency.length);
    for (let i = 0; i < keep.length; i++) {
      const key = `${spectrum.frequency[i]},${spectrum.zReal[i]},${spectrum.zImag[i]}`;
      if (seen.has(key)) dup.push(part.lines[i]);
      else {
        seen.add(key);
        keep[i] = 1;
      }
    }
    if (dup.length > 0) {
      spectrum = impedanceFromColumns(filterRows(part, keep), mapping, units);
      notes.push(
        `dropped ${dup.length} duplicate row${dup.length > 1 ? "s" : ""} (same frequency and impedance as an earlier row; line${dup.length > 1 ? "s" : ""} ${listLines(dup)})`,
      );
    }
    if (notes.length > 0) spectrum.notes = notes;
    return { spectrum, from: a, to: b };
  });
}
