/**
 * Text forms of the reader options, shared by the CLI and the browser: a column map
 * `time=Time(s),current=Current(mA),voltage=Voltage(V)` and a decimal separator `.` / `,`.
 * Pure: text in, option objects out, InputError on anything else.
 */
import { InputError } from "../../errors.js";
import type { ColumnMapping } from "./types.js";

/** Roles a column map may name, with the accepted spellings (lower case). */
const ROLES: Record<string, keyof ColumnMapping> = {
  time: "time",
  t: "time",
  current: "current",
  i: "current",
  voltage: "voltage",
  v: "voltage",
  e: "voltage",
  frequency: "frequency",
  freq: "frequency",
  f: "frequency",
  zreal: "zReal",
  re: "zReal",
  zimag: "zImag",
  im: "zImag",
  step: "step",
  cycle: "cycle",
  spectrum: "spectrum",
};

/**
 * Parse a column map: comma-separated `role=column` pairs. `column` is a header name as
 * written, optionally with a unit the header lacks (`Current(mA)`, `Current [mA]`,
 * `Current/mA`: the header `Current` read in mA), or `#k` for the k-th column (1-based).
 * Roles: time, current, voltage, frequency, zreal, zimag, step, cycle, spectrum.
 * @param spec e.g. "time=Time(s),current=Current(mA),voltage=Voltage(V)"
 * @param field option name used in error messages
 */
export function parseColumnSpec(spec: string, field = "--columns"): ColumnMapping {
  const mapping: ColumnMapping = {};
  const parts = spec
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (parts.length === 0) {
    throw new InputError("empty column map", { field, value: spec, expected: "role=column pairs" });
  }
  for (const part of parts) {
    const eq = part.indexOf("=");
    if (eq <= 0 || eq === part.length - 1) {
      throw new InputError(`"${part}" is not role=column`, {
        field,
        value: part,
        expected: 'pairs such as "time=Time(s)" separated by commas',
      });
    }
    const roleText = part.slice(0, eq).trim().toLowerCase();
    const role = ROLES[roleText];
    if (!role) {
      throw new InputError(`unknown role "${part.slice(0, eq).trim()}"`, {
        field,
        value: part,
        expected: "time, current, voltage, frequency, zreal, zimag, step, cycle or spectrum",
      });
    }
    if (role in mapping) {
      throw new InputError(`role ${role} given twice`, { field, value: spec, expected: "each role once" });
    }
    const ref = part.slice(eq + 1).trim();
    const index = /^#(\d+)$/.exec(ref);
    if (index) {
      const k = Number(index[1]);
      if (k < 1)
        throw new InputError("column numbers start at 1", { field, value: ref, expected: "#1, #2, …" });
      (mapping as Record<string, string | number>)[role] = k - 1;
    } else {
      (mapping as Record<string, string | number>)[role] = ref;
    }
  }
  return mapping;
}

/** Parse a decimal-separator option: "." or "," (also the words "dot" and "comma"). */
export function parseDecimalOption(text: string, field = "--decimal"): "." | "," {
  const t = text.trim().toLowerCase();
  if (t === "." || t === "dot") return ".";
  if (t === "," || t === "comma") return ",";
  throw new InputError(`unknown decimal separator "${text}"`, { field, value: text, expected: '"." or ","' });
}

/** Reader options from the text of the CLI flags `--columns` and `--decimal` (absent: undefined). */
export function readerFlags(
  columns: string | undefined,
  decimal: string | undefined,
): { columns?: ColumnMapping; decimal?: "." | "," } {
  return {
    ...(columns !== undefined ? { columns: parseColumnSpec(columns) } : {}),
    ...(decimal !== undefined ? { decimal: parseDecimalOption(decimal) } : {}),
  };
}
