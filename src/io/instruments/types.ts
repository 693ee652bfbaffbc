/**
 * Data types returned by the instrument readers (SPEC §2 `io/`). Everything canonical is SI:
 * frequency [Hz], impedance [Ω], time [s], current [A], voltage [V].
 *
 * Sign conventions (SPEC §1):
 *  - `zImag` is the signed imaginary part of Z: negative = capacitive. Files that store −Im(Z)
 *    (BioLogic) are negated on reading.
 *  - `current` is positive on charge of the cathode = anodic (oxidation of the working electrode).
 */

/** One impedance spectrum (one frequency sweep). */
export interface ImpedanceSpectrum {
  /** Frequency [Hz]. */
  frequency: Float64Array;
  /** Re(Z) [Ω]. */
  zReal: Float64Array;
  /** Im(Z) [Ω], negative = capacitive. */
  zImag: Float64Array;
  /** Time of each point [s], when the file records it. */
  time?: Float64Array;
  /** Human label: file name plus the loop / table / spectrum index. */
  label?: string;
  /** Header values (instrument, technique, loop index …) as written in the file. */
  meta?: Record<string, string | number>;
  /**
   * What the reader changed or inferred, one sentence each (rows dropped and why, a derived
   * column, a detected decimal separator). Callers print these; empty or absent when none.
   */
  notes?: string[];
}

/**
 * A time series (chronoamperometry, cycling, OCV…).
 *
 * `voltage` is optional: a current-only file (e.g. a chronoamperometry export `time/s,I/mA`)
 * yields `voltage: undefined` rather than a column of NaN.
 */
export interface TimeSeries {
  /** Time [s]. */
  time: Float64Array;
  /** Current [A], positive = charge of the cathode = anodic. */
  current: Float64Array;
  /** Working-electrode voltage [V]; undefined when the file has no voltage column. */
  voltage?: Float64Array;
  /** Step / sequence index as written (BioLogic Ns, Maccor Step). */
  step?: Int32Array;
  /** Cycle index as written (BioLogic cycle number, Maccor Cyc#). */
  cycle?: Int32Array;
  /** All numeric columns by original name, values as written in the file (not converted). */
  columns: Record<string, Float64Array>;
  /** Unit of each entry of `columns` as written ("" when the file gives none). */
  units: Record<string, string>;
  /** Header values as written in the file. */
  meta?: Record<string, string | number>;
  /** What the reader changed or inferred (rows dropped, current derived …), one sentence each. */
  notes?: string[];
}

/** Formats the dispatcher knows. */
export type InstrumentFormat =
  | "biologic-mpt"
  | "biologic-mpr"
  | "gamry-dta"
  | "zplot"
  | "maccor"
  | "neware"
  | "arbin"
  | "xlsx"
  | "csv";

/** Column selector: a column name as written in the header, or a 0-based index. */
export type ColumnRef = string | number;

/** Explicit column mapping for generic delimited text (CSV/TSV). */
export interface ColumnMapping {
  frequency?: ColumnRef;
  zReal?: ColumnRef;
  zImag?: ColumnRef;
  /**
   * Sign of the zImag column relative to Im(Z): +1 when the column holds Im(Z), −1 when it
   * holds −Im(Z). Default: −1 for names starting with "-" (e.g. `-Im(Z)/Ohm`), else +1.
   */
  imagSign?: 1 | -1;
  time?: ColumnRef;
  current?: ColumnRef;
  voltage?: ColumnRef;
  step?: ColumnRef;
  cycle?: ColumnRef;
  /** Column whose value changes between spectra (multi-spectrum CSV), e.g. `spectrum_index`. */
  spectrum?: ColumnRef;
}

/** Units (as text, e.g. "mA", "kHz", "min") for columns whose header carries none. */
export interface ColumnUnits {
  frequency?: string;
  zReal?: string;
  zImag?: string;
  time?: string;
  current?: string;
  voltage?: string;
}

interface CommonReadOptions {
  /** Force a format instead of sniffing the extension and content. */
  format?: InstrumentFormat;
  /** Explicit column mapping (generic CSV; also overrides detection in the other text formats). */
  columns?: ColumnMapping;
  /** Units for columns whose header has none (default SI: Hz, Ω, s, A, V). */
  units?: ColumnUnits;
  /** Decimal separator; default: detected from the first data row. */
  decimal?: "." | ",";
  /** Field delimiter for CSV; default: detected (tab, ";" or ","). */
  delimiter?: string;
}

export interface ImpedanceReadOptions extends CommonReadOptions {
  /** Spreadsheet (.xlsx): name of the sheet to read (default: the first that holds the columns). */
  table?: string;
  /**
   * Split into several spectra along the file's own structure (BioLogic loops, Gamry ZCURVE
   * tables, a `spectrum` column). Default true; false returns everything as one spectrum.
   */
  split?: boolean;
  /**
   * BioLogic .mpr: sizes of column IDs missing from the built-in table, e.g. `{ 999: "f32" }`.
   */
  mprColumnTypes?: Record<number, MprValueType>;
}

export interface TimeSeriesReadOptions extends CommonReadOptions {
  /**
   * Gamry .DTA: name of the table to read (default: all CURVE tables, else OCVCURVE);
   * spreadsheet (.xlsx): name of the sheet (default: the first that holds the columns).
   */
  table?: string;
  /** Multiply the current by this sign (+1/−1) after reading, for files with the opposite convention. */
  currentSign?: 1 | -1;
  /** BioLogic .mpr: sizes of column IDs missing from the built-in table. */
  mprColumnTypes?: Record<number, MprValueType>;
}

/** Binary value types found in BioLogic .mpr data rows (little-endian). */
export type MprValueType = "u8" | "u16" | "i16" | "u32" | "i32" | "f32" | "f64";
