/**
 * Minimal CSV writing for tables of numbers and strings. Non-finite numbers are refused
 * (SPEC §7: no NaN ever reaches an output silently) unless `allowMissing` turns them into
 * empty cells.
 */

export type Cell = number | string | boolean | null | undefined;

export interface CsvOptions {
  /** Digits for numbers (toPrecision); default: shortest round-trip representation. */
  precision?: number;
  /** Write non-finite numbers and null/undefined as empty cells instead of throwing. */
  allowMissing?: boolean;
}

function formatCell(value: Cell, column: string, row: number, options: CsvOptions): string {
  if (value === null || value === undefined) {
    if (options.allowMissing) return "";
    throw new Error(`CSV column "${column}" row ${row}: missing value`);
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      if (options.allowMissing) return "";
      throw new Error(`CSV column "${column}" row ${row}: non-finite value ${value}`);
    }
    return options.precision ? String(Number(value.toPrecision(options.precision))) : String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows as objects → CSV text with the given column order. */
export function toCsv(
  columns: readonly string[],
  rows: readonly Record<string, Cell>[],
  options: CsvOptions = {},
): string {
  const lines = [columns.map((c) => formatCell(c, c, 0, options)).join(",")];
  rows.forEach((row, i) => {
    lines.push(columns.map((c) => formatCell(row[c], c, i + 1, options)).join(","));
  });
  return `${lines.join("\n")}\n`;
}

/** Column arrays → CSV text. All columns must have the same length. */
export function columnsToCsv(
  columns: Record<string, ArrayLike<number> | readonly Cell[]>,
  options: CsvOptions = {},
): string {
  const names = Object.keys(columns);
  const n = names.length > 0 ? columns[names[0]].length : 0;
  for (const name of names) {
    if (columns[name].length !== n)
      throw new Error(`CSV column "${name}" has ${columns[name].length} rows, expected ${n}`);
  }
  const lines = [names.join(",")];
  for (let i = 0; i < n; i++) {
    lines.push(names.map((c) => formatCell(columns[c][i] as Cell, c, i + 1, options)).join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** JSON.stringify that refuses NaN/Infinity instead of silently writing null. */
export function toJson(value: unknown, indent = 2): string {
  return `${JSON.stringify(
    value,
    (key, v) => {
      if (typeof v === "number" && !Number.isFinite(v))
        throw new Error(`JSON field "${key}" is not finite (${v})`);
      if (ArrayBuffer.isView(v) && !(v instanceof DataView))
        return Array.from(v as unknown as ArrayLike<number>);
      return v;
    },
    indent,
  )}\n`;
}
