/**
 * Errors shared by the whole library.
 *
 * `InputError` is thrown for anything the *user* got wrong (a file, an option, a protocol
 * line): it names where the problem is and what was expected. The CLI maps it to exit code 2.
 * Everything else is a bug or a numerical failure and maps to exit code 1.
 */

export interface InputErrorDetails {
  /** File the bad value came from, when it came from a file. */
  file?: string;
  /** 1-based line number in `file` (or in a multi-line text such as a protocol). */
  line?: number;
  /** 1-based column, when known (protocol text, CSV cells). */
  column?: number;
  /** Field, option or column name (`--radius`, `Re(Z)/Ohm`, `steps[2].until`). */
  field?: string;
  /** The value that was seen, as text. */
  value?: string;
  /** What was expected instead. */
  expected?: string;
}

export class InputError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly field?: string;
  readonly value?: string;
  readonly expected?: string;

  constructor(message: string, details: InputErrorDetails = {}) {
    super(formatInputError(message, details));
    this.name = "InputError";
    this.file = details.file;
    this.line = details.line;
    this.column = details.column;
    this.field = details.field;
    this.value = details.value;
    this.expected = details.expected;
  }

  /** Re-throw with file/line information added (readers call this around per-line parsing). */
  static at(error: unknown, details: InputErrorDetails): never {
    if (error instanceof InputError) {
      throw new InputError(error.baseMessage, {
        file: details.file ?? error.file,
        line: details.line ?? error.line,
        column: details.column ?? error.column,
        field: details.field ?? error.field,
        value: error.value ?? details.value,
        expected: error.expected ?? details.expected,
      });
    }
    throw error;
  }

  /** The message without the location prefix. */
  get baseMessage(): string {
    const m = this.message;
    const i = m.indexOf(": ");
    return this.file || this.line || this.field ? m.slice(i + 2).replace(/ \(expected .*\)$/s, "") : m;
  }
}

function formatInputError(message: string, d: InputErrorDetails): string {
  const where: string[] = [];
  if (d.file) where.push(d.file);
  if (d.line !== undefined) where.push(`line ${d.line}`);
  if (d.column !== undefined) where.push(`column ${d.column}`);
  if (d.field) where.push(d.field);
  let text = where.length > 0 ? `${where.join(", ")}: ${message}` : message;
  if (d.value !== undefined && !message.includes(d.value)) text += ` (got "${d.value}")`;
  if (d.expected) text += ` (expected ${d.expected})`;
  return text;
}

/** Thrown when a numerical method fails to converge; carries its diagnostics. */
export class ConvergenceError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Record<string, number | string> = {},
  ) {
    super(message);
    this.name = "ConvergenceError";
  }
}

/** Throw an InputError unless `value` is a finite number. */
export function requireFinite(value: number, field: string, expected = "a finite number"): number {
  if (!Number.isFinite(value))
    throw new InputError(`${field} must be finite`, { field, value: String(value), expected });
  return value;
}

/** Throw an InputError unless `value` is finite and > 0. */
export function requirePositive(value: number, field: string, unit = ""): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new InputError(`${field} must be a positive number`, {
      field,
      value: String(value),
      expected: `a positive number${unit ? ` in ${unit}` : ""}`,
    });
  return value;
}
