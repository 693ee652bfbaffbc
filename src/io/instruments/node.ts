/**
 * Node convenience wrappers: read a file from disk and dispatch to the pure parsers by
 * extension and content. Browser code calls `parseImpedance` / `parseTimeSeries` directly.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { InputError } from "../../errors.js";
import { parseImpedance, parseTimeSeries } from "./index.js";
import type { ImpedanceReadOptions, ImpedanceSpectrum, TimeSeries, TimeSeriesReadOptions } from "./types.js";

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new InputError(`cannot read file (${code || String(error)})`, {
      file: path,
      expected: "an existing, readable instrument file",
    });
  }
}

/** Read impedance spectra [Hz, Ω] from a file (.mpt, .mpr, .DTA, .z, .csv …). */
export function readImpedanceFile(path: string, options: ImpedanceReadOptions = {}): ImpedanceSpectrum[] {
  const bytes = readBytes(path);
  return withPath(path, () => parseImpedance(bytes, basename(path), options));
}

/** Read a time series [s, A, V] from a file (.mpt, .mpr, .DTA, Maccor, .csv …). */
export function readTimeSeriesFile(path: string, options: TimeSeriesReadOptions = {}): TimeSeries {
  const bytes = readBytes(path);
  return withPath(path, () => parseTimeSeries(bytes, basename(path), options));
}

/** Parsers name the file by its base name; report the full path instead. */
function withPath<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof InputError) return InputError.at(error, { file: path });
    throw error;
  }
}
