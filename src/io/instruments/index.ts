/**
 * Instrument readers: pure functions from file bytes to SI arrays, usable in Node and in the
 * browser. `parseImpedance` / `parseTimeSeries` sniff the format from the file name and
 * content; the per-format parsers are exported too. Node file helpers live in `./node.ts`.
 *
 * Supported: BioLogic EC-Lab ASCII `.mpt` and binary `.mpr`, Gamry `.DTA`, Scribner ZPlot `.z`,
 * Maccor text exports, Neware and Arbin CSV exports, generic CSV/TSV (with or without header,
 * column mapping with units, decimal commas, multi-spectrum).
 */
import { InputError } from "../../errors.js";
import { parseBiologicMprImpedance, parseBiologicMprTimeSeries } from "./biologic-mpr.js";
import { parseBiologicMptImpedance, parseBiologicMptTimeSeries } from "./biologic-mpt.js";
import { parseCsvImpedance, parseCsvTimeSeries } from "./csv-table.js";
import { detectCyclerCsv, parseArbinCsv, parseNewareCsv } from "./cyclers.js";
import { parseGamryImpedance, parseGamryTimeSeries } from "./gamry-dta.js";
import { parseMaccor } from "./maccor.js";
import type {
  ImpedanceReadOptions,
  ImpedanceSpectrum,
  InstrumentFormat,
  TimeSeries,
  TimeSeriesReadOptions,
} from "./types.js";
import { parseXlsxImpedance, parseXlsxTimeSeries } from "./xlsx.js";
import { parseZplot } from "./zplot.js";

export {
  parseBiologicMprImpedance,
  parseBiologicMprTimeSeries,
  readBiologicMprColumns,
  readMprModules,
} from "./biologic-mpr.js";
export { MPR_COLUMNS, MPR_FLAGS } from "./biologic-mpr-columns.js";
export { parseBiologicMptImpedance, parseBiologicMptTimeSeries } from "./biologic-mpt.js";
export { parseColumnSpec, parseDecimalOption, readerFlags } from "./column-spec.js";
export { parseCsvImpedance, parseCsvTimeSeries } from "./csv-table.js";
export { detectCyclerCsv, parseArbinCsv, parseNewareCsv } from "./cyclers.js";
export { parseGamryImpedance, parseGamryTimeSeries } from "./gamry-dta.js";
export { parseMaccor, parseMaccorDuration } from "./maccor.js";
export { decodeText } from "./text.js";
export type {
  ColumnMapping,
  ColumnRef,
  ColumnUnits,
  ImpedanceReadOptions,
  ImpedanceSpectrum,
  InstrumentFormat,
  MprValueType,
  TimeSeries,
  TimeSeriesReadOptions,
} from "./types.js";
export { parseXlsxImpedance, parseXlsxTimeSeries, readXlsx, type XlsxWorkbook } from "./xlsx.js";
export { parseZplot } from "./zplot.js";

function startsWithAscii(bytes: Uint8Array, text: string): boolean {
  if (bytes.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Text of the first `n` bytes, as Latin-1 (enough to sniff headers). */
function head(bytes: Uint8Array, n = 2048): string {
  let s = "";
  const m = Math.min(n, bytes.length);
  for (let i = 0; i < m; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/**
 * Decide the format of a file from its content first (magic lines), then its extension.
 * @param bytes file content
 * @param name file name (only the extension is used)
 */
export function detectFormat(bytes: Uint8Array, name: string): InstrumentFormat {
  if (startsWithAscii(bytes, "BIO-LOGIC MODULAR FILE")) return "biologic-mpr";
  // A ZIP archive ("PK\x03\x04") is an Office Open XML spreadsheet for these readers.
  if (startsWithAscii(bytes, "PK\x03\x04")) return "xlsx";
  const h = head(bytes);
  if (/^EC-Lab ASCII FILE/i.test(h)) return "biologic-mpt";
  if (/^EXPLAIN\s*[\r\n]/.test(h) || /\nTAG\t/.test(h)) return "gamry-dta";
  if (/^ZPLOT/i.test(h) || /\n\s*End Comments\s*[\r\n]/.test(h)) return "zplot";
  if (/^Today's Date/i.test(h)) return "maccor";
  const ext = /\.([^./\\]+)$/.exec(name)?.[1].toLowerCase() ?? "";
  if (ext === "mpr") return "biologic-mpr";
  if (ext === "mpt") return "biologic-mpt";
  if (ext === "dta") return "gamry-dta";
  if (ext === "z") return "zplot";
  if (/^\d{3}$/.test(ext)) return "maccor";
  return detectCyclerCsv(h.split(/\r?\n/)[0] ?? "") ?? "csv";
}

function unsupported(format: string, name: string, what: string): never {
  throw new InputError(`${format} files carry no ${what}`, { file: name, expected: `a file with ${what}` });
}

const FORMATS: InstrumentFormat[] = [
  "biologic-mpt",
  "biologic-mpr",
  "gamry-dta",
  "zplot",
  "maccor",
  "neware",
  "arbin",
  "xlsx",
  "csv",
];

function unknownFormat(format: string, name: string): never {
  throw new InputError(`unknown format "${format}"`, {
    file: name,
    field: "format",
    expected: FORMATS.join(", "),
  });
}

/**
 * Read impedance spectra from a file's bytes. Returns one spectrum per loop / table /
 * spectrum index (see `options.split`). SI out: Hz, Ω; zImag negative = capacitive.
 * @throws InputError naming file, line and what was expected for malformed input
 */
export function parseImpedance(
  bytes: Uint8Array,
  name: string,
  options: ImpedanceReadOptions = {},
): ImpedanceSpectrum[] {
  const format = options.format ?? detectFormat(bytes, name);
  switch (format) {
    case "biologic-mpt":
      return parseBiologicMptImpedance(bytes, name, options);
    case "biologic-mpr":
      return parseBiologicMprImpedance(bytes, name, options);
    case "gamry-dta":
      return parseGamryImpedance(bytes, name, options);
    case "zplot":
      return parseZplot(bytes, name, options);
    case "xlsx":
      return parseXlsxImpedance(bytes, name, options);
    case "csv":
      return parseCsvImpedance(bytes, name, options);
    case "maccor":
    case "neware":
    case "arbin":
      return unsupported(format, name, "impedance spectra");
    default:
      return unknownFormat(format, name);
  }
}

/**
 * Read a time series from a file's bytes. SI out: s, A (positive = charge/anodic), V.
 * @throws InputError naming file, line and what was expected for malformed input
 */
export function parseTimeSeries(
  bytes: Uint8Array,
  name: string,
  options: TimeSeriesReadOptions = {},
): TimeSeries {
  const format = options.format ?? detectFormat(bytes, name);
  switch (format) {
    case "biologic-mpt":
      return parseBiologicMptTimeSeries(bytes, name, options);
    case "biologic-mpr":
      return parseBiologicMprTimeSeries(bytes, name, options);
    case "gamry-dta":
      return parseGamryTimeSeries(bytes, name, options);
    case "maccor":
      return parseMaccor(bytes, name, options);
    case "neware":
      return parseNewareCsv(bytes, name, options);
    case "arbin":
      return parseArbinCsv(bytes, name, options);
    case "xlsx":
      return parseXlsxTimeSeries(bytes, name, options);
    case "csv":
      return parseCsvTimeSeries(bytes, name, options);
    case "zplot":
      return unsupported(format, name, "time series");
    default:
      return unknownFormat(format, name);
  }
}
