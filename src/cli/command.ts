/**
 * The shape every `cathodelab` sub-command has. A command parses its own options with
 * `parseOptions` (node:util parseArgs underneath), calls the library, and writes through
 * `OutputDir`. It returns an exit code; an InputError thrown anywhere becomes exit code 2.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { InputError } from "../errors.js";
import { type Dimension, parseQuantity, unitHint } from "../units.js";

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
  /**
   * The options this command parses (its `parseOptions` spec). The help test checks that
   * `help` documents every one of them.
   */
  options?: OptionSpec;
  /**
   * Nested commands (`fit eis`, `tomo analyze`, `optical render`). `main` dispatches to them
   * before looking for `--help`, so `cathodelab fit eis --help` prints the help of `fit eis`.
   */
  subcommands?: Record<string, () => Promise<Command>>;
  run(argv: string[], ctx: CommandContext): Promise<number>;
}

/**
 * Follow `argv` down the sub-command tree: returns the innermost command named by the
 * leading words of `argv`, the words that named it and the remaining arguments.
 */
export async function resolveSubcommand(
  command: Command,
  argv: string[],
): Promise<{ command: Command; path: string[]; rest: string[] }> {
  let current = command;
  let rest = argv;
  const path: string[] = [command.name];
  while (current.subcommands && rest.length > 0 && Object.hasOwn(current.subcommands, rest[0])) {
    const name = rest[0];
    current = await current.subcommands[name]();
    path.push(name);
    rest = rest.slice(1);
  }
  return { command: current, path, rest };
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

/** Physical or practical bounds of a numeric option (SI units for quantities). */
export interface NumericBounds {
  /** Smallest accepted value. */
  min: number;
  /** Largest accepted value. */
  max: number;
  /** Exclude `min` itself (e.g. a step length must be > 0). */
  minExclusive?: boolean;
  /** Accept only integers. */
  integer?: boolean;
  /** How the bounds are shown in the error, e.g. "1 nm to 1 mm" (default: the SI numbers). */
  describe?: string;
}

function checkBounds(value: number, text: string, name: string, b: NumericBounds): number {
  const low = b.minExclusive ? value > b.min : value >= b.min;
  const ok = Number.isFinite(value) && low && value <= b.max && (!b.integer || Number.isInteger(value));
  if (!ok) {
    const range = b.describe ?? `${b.minExclusive ? "above" : "from"} ${b.min} to ${b.max}`;
    throw new InputError("value out of range", {
      field: `--${name}`,
      value: text,
      expected: `${b.integer ? "an integer" : "a number"} ${range}`,
    });
  }
  return value;
}

/**
 * A plain-number option checked against bounds; undefined when absent. Accepts a trailing
 * "%" (0.5% → 0.005) only when `percent` is set.
 */
export function numberOption(
  values: Record<string, unknown>,
  name: string,
  bounds: NumericBounds,
  options: { percent?: boolean } = {},
): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const t = text.trim();
  const isPercent = options.percent === true && t.endsWith("%");
  const body = isPercent ? t.slice(0, -1) : t;
  const value = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(body.trim()) ? Number(body) : Number.NaN;
  if (Number.isNaN(value)) {
    throw new InputError("not a number", {
      field: `--${name}`,
      value: text,
      expected: bounds.integer ? "an integer" : "a number",
    });
  }
  return checkBounds(isPercent ? value / 100 : value, text, name, bounds);
}

/** An integer option in [min, max]; undefined when absent. */
export function integerOption(
  values: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  return numberOption(values, name, { min, max, integer: true });
}

/**
 * A unit-bearing option (`13.25um`, `60s`, `25C`) parsed to SI with parseQuantity and checked
 * against bounds given in SI; undefined when absent.
 */
export function quantityOption(
  values: Record<string, unknown>,
  name: string,
  dimension: Dimension,
  bounds: NumericBounds,
  options: { defaultUnit?: string; required?: boolean; expected?: string } = {},
): number | undefined {
  const text = options.required
    ? stringOption(values, name, true, options.expected ?? unitHint(dimension))
    : stringOption(values, name);
  if (text === undefined) return undefined;
  const value = parseQuantity(text, dimension, { field: `--${name}`, defaultUnit: options.defaultUnit });
  return checkBounds(value, text, name, bounds);
}

/**
 * The input paths of a command (its positional arguments and the named file options that are
 * set), for OutputDir's check that --out never holds or replaces an input.
 */
export function inputPaths(
  values: Record<string, unknown>,
  positionals: string[],
  names: string[] = [],
): string[] {
  const files = names.map((n) => stringOption(values, n)).filter((v): v is string => v !== undefined);
  return [...positionals, ...files];
}

/**
 * Physical bounds shared by the commands' options (SI). Wide enough for every real cathode
 * particle or measurement, narrow enough that a slip of units is refused before a solver
 * tries it (a 1e-20 m radius or a 1e12-start fit never returns).
 */
/** Particle radius or diameter: 1 nm to 1 mm. */
export const RADIUS_BOUNDS: NumericBounds = { min: 1e-9, max: 1e-3, describe: "from 1 nm to 1 mm" };
/** Particle diameter: 2 nm to 2 mm. */
export const DIAMETER_BOUNDS: NumericBounds = { min: 2e-9, max: 2e-3, describe: "from 2 nm to 2 mm" };
/** Temperature: 150 K to 600 K (electrolytes freeze or decompose beyond). */
export const TEMPERATURE_BOUNDS: NumericBounds = { min: 150, max: 600, describe: "from 150 K to 600 K" };
/** Electrode or particle area: above 0, at most 1 m². */
export const AREA_BOUNDS: NumericBounds = {
  min: 0,
  max: 1,
  minExclusive: true,
  describe: "above 0 and at most 1 m2",
};
/** A duration: above 0, at most one year. */
export const DURATION_BOUNDS: NumericBounds = {
  min: 0,
  max: 3.2e7,
  minExclusive: true,
  describe: "above 0 s and at most 1 year",
};
/**
 * A solver step cap: 1 ms to one year (below 1 ms an hour of protocol takes millions of steps,
 * which looks like a hang).
 */
export const MAX_STEP_BOUNDS: NumericBounds = { min: 1e-3, max: 3.2e7, describe: "from 1 ms to 1 year" };
/** A fraction in [0, 1]. */
export const FRACTION_BOUNDS: NumericBounds = { min: 0, max: 1, describe: "from 0 to 1" };
