/**
 * The shape every `cathodelab` sub-command has. A command parses its own options with
 * `parseOptions` (node:util parseArgs underneath), calls the library, and writes through
 * `OutputDir`. It returns an exit code; an InputError thrown anywhere becomes exit code 2.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { InputError } from "../errors.js";

export interface CommandContext {
  /** Standard output (results, `--json`). */
  stdout: (text: string) => void;
  /** Standard error (progress, warnings). */
  stderr: (text: string) => void;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  isTTY: boolean;
  /** Working directory for relative paths. */
  cwd: string;
}

export interface Command {
  /** Name as typed (`simulate`, `fit`, `tomo`). */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full help text, printed by `cathodelab NAME --help`. */
  help: string;
  run(argv: string[], ctx: CommandContext): Promise<number>;
}

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parse argv with strict checking; unknown options and missing values become InputErrors
 * that name the option. `--help` is always accepted.
 */
export function parseOptions<T extends OptionSpec>(
  argv: string[],
  options: T,
  allowPositionals = true,
): {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  help: boolean;
} {
  // let string options take values that start with "-" followed by a digit ("--radius -5um"),
  // so that a negative number gets a range error rather than a parse error
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.startsWith("--") ? a.slice(2) : undefined;
    const next = argv[i + 1];
    if (name && options[name]?.type === "string" && next !== undefined && /^-\.?\d/.test(next)) {
      args.push(`${a}=${next}`);
      i++;
    } else args.push(a);
  }
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals,
      strict: true,
    });
    const record = values as Record<string, string | boolean | string[] | boolean[] | undefined>;
    return { values: record, positionals, help: record.help === true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const known = Object.keys(options)
      .map((k) => `--${k}`)
      .join(", ");
    throw new InputError(message.replace(/\. To specify.*$/s, ""), {
      field: "options",
      expected: `one of ${known}, --help`,
    });
  }
}

/** Fetch a string option, throwing InputError when it is required and missing. */
export function stringOption(
  values: Record<string, unknown>,
  name: string,
  required: true,
  expected?: string,
): string;
export function stringOption(
  values: Record<string, unknown>,
  name: string,
  required?: false,
  expected?: string,
): string | undefined;
export function stringOption(
  values: Record<string, unknown>,
  name: string,
  required = false,
  expected = "a value",
): string | undefined {
  const v = values[name];
  if (v === undefined || v === "") {
    if (required) throw new InputError(`missing required option --${name}`, { field: `--${name}`, expected });
    return undefined;
  }
  return String(v);
}
