/**
 * Sweep specifications: a command of cathodelab and a parameter grid, expanded into tasks with
 * stable ids. Pure: text in, tasks out (no I/O), so the same expansion runs on a laptop, on every
 * SLURM array task and in tests.
 *
 * A spec (YAML or JSON):
 *
 * ```yaml
 * command: study                 # any cathodelab command, sub-command words included ("fit eis")
 * args: { protocol-preset: fast }  # options every task gets (values as typed on the command line)
 * grid:                          # the Cartesian product of these lists …
 *   material: [NMC111, NMC532, NMC622, NMC811, NCA]
 *   diameter: [2um, 5um, 10um]
 *   seed: { from: 1, to: 3 }     # integer range, inclusive
 *   c-rate: { logspace: [0.05, 5, 5] }   # 5 values from 0.05 to 5, log-spaced
 * zip:                           # … times these lists taken element by element (same length)
 *   radius: [1um, 2um]
 *   shells: [20, 40]
 * ```
 *
 * Option names are those of the command (without `--`); every value becomes `--name value`
 * (a `true` value becomes the bare flag `--name`). The task id is the task's position and a
 * hash of its command line, so an edited spec never silently reuses an old folder.
 */
import { parse as parseYaml } from "yaml";
import { InputError } from "../errors.js";

export type SweepValue = string | number | boolean;

export interface SweepSpec {
  /** Command words, e.g. ["study"] or ["fit", "eis"]. */
  command: string[];
  /** Options given to every task. */
  args: Record<string, SweepValue>;
  /** Product axes, in spec order. */
  grid: { name: string; values: SweepValue[] }[];
  /** Zipped axes (all of the same length), multiplied with the grid. */
  zip: { name: string; values: SweepValue[] }[];
  /** Result columns to plot per swept parameter (default: every numeric column, at most 6). */
  metrics?: string[];
  /** SLURM settings used by `--engine slurm` (sbatch options without `--`). */
  slurm?: Record<string, string | number>;
}

export interface SweepTask {
  /** Position in the expansion (0-based); SLURM's array index. */
  index: number;
  /** Stable id: `t0007-1a2b3c4d` (index and the hash of the command line). */
  id: string;
  /** The swept parameters of this task (name → value as in the spec). */
  params: Record<string, SweepValue>;
  /** Arguments after the command words (without --out). */
  argv: string[];
  /** FNV-1a 64-bit hash (hex) of the command words and argv: the task's input hash. */
  inputHash: string;
}

/** Largest expansion accepted without `force` (issue 18: a grid over 10⁶ tasks needs --force). */
export const MAX_TASKS_WITHOUT_FORCE = 1_000_000;

const NAME = /^[a-z][a-z0-9-]*$/;

function fail(message: string, file: string, field: string, expected: string, value?: string): never {
  throw new InputError(message, { file, field, expected, ...(value === undefined ? {} : { value }) });
}

function scalar(v: unknown, file: string, field: string): SweepValue {
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  return fail(`${field} holds ${JSON.stringify(v)}`, file, field, "a string, a finite number or true/false");
}

/** Values of one axis: a list, `{from, to, step?}` (inclusive) or `{linspace|logspace: [a, b, n]}`. */
function axisValues(raw: unknown, file: string, field: string): SweepValue[] {
  if (Array.isArray(raw)) return raw.map((v, i) => scalar(v, file, `${field}[${i}]`));
  if (raw && typeof raw === "object") {
    const o = raw as Record<string, unknown>;
    if ("from" in o || "to" in o) {
      const from = Number(o.from);
      const to = Number(o.to);
      const step = o.step === undefined ? 1 : Number(o.step);
      if (!Number.isFinite(from) || !Number.isFinite(to) || !(step > 0)) {
        fail(`${field}: bad range`, file, field, "{from: a, to: b, step: s > 0} with finite numbers");
      }
      const n = Math.floor((to - from) / step + 1e-9) + 1;
      if (n < 1) fail(`${field}: empty range`, file, field, "from ≤ to");
      if (n > MAX_TASKS_WITHOUT_FORCE)
        fail(`${field}: ${n} values`, file, field, "a range of at most 10⁶ values");
      return Array.from({ length: n }, (_, i) => Number((from + i * step).toPrecision(12)));
    }
    for (const kind of ["linspace", "logspace"] as const) {
      if (kind in o) {
        const a = o[kind];
        if (
          !Array.isArray(a) ||
          a.length !== 3 ||
          !a.every((x) => typeof x === "number" && Number.isFinite(x))
        ) {
          fail(
            `${field}.${kind} must be [start, stop, count]`,
            file,
            `${field}.${kind}`,
            "three finite numbers",
          );
        }
        const [start, stop, count] = a as number[];
        if (!Number.isInteger(count) || count < 1)
          fail(`${field}.${kind}: count ${count}`, file, field, "an integer ≥ 1");
        if (kind === "logspace" && !(start > 0 && stop > 0)) {
          fail(`${field}.logspace needs positive bounds`, file, field, "start > 0 and stop > 0");
        }
        return Array.from({ length: count }, (_, i) => {
          const f = count === 1 ? 0 : i / (count - 1);
          const v = kind === "linspace" ? start + f * (stop - start) : start * (stop / start) ** f;
          return Number(v.toPrecision(12));
        });
      }
    }
  }
  return fail(
    `${field} is not a list or a range`,
    file,
    field,
    "[v1, v2, …], {from, to, step} or {logspace: [a, b, n]}",
  );
}

function axes(raw: unknown, file: string, key: string): { name: string; values: SweepValue[] }[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== "object" || Array.isArray(raw))
    fail(`"${key}" must be a mapping`, file, key, "name: values");
  return Object.entries(raw as Record<string, unknown>).map(([name, v]) => {
    if (!NAME.test(name))
      fail(`parameter name "${name}"`, file, `${key}.${name}`, "an option name such as radius or c-rate");
    const values = axisValues(v, file, `${key}.${name}`);
    if (values.length === 0) fail(`${key}.${name} is empty`, file, `${key}.${name}`, "at least one value");
    return { name, values };
  });
}

/** Parse a sweep file's text (YAML or JSON; JSON is YAML). */
export function parseSweepSpec(text: string, file = "sweep spec"): SweepSpec {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    return fail(
      `not valid YAML/JSON: ${(error as Error).message.split("\n")[0]}`,
      file,
      "document",
      "a YAML or JSON mapping",
    );
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc))
    fail("the spec is not a mapping", file, "document", "command, grid, …");
  const o = doc as Record<string, unknown>;
  const known = new Set(["command", "args", "grid", "zip", "metrics", "slurm"]);
  for (const k of Object.keys(o)) {
    if (!known.has(k)) fail(`unknown key "${k}"`, file, k, [...known].join(", "));
  }
  if (typeof o.command !== "string" || o.command.trim() === "") {
    fail("missing command", file, "command", 'a cathodelab command, e.g. "study" or "fit eis"');
  }
  const command = o.command.trim().split(/\s+/);
  if (command[0] === "sweep") fail("a sweep cannot run sweeps", file, "command", "another command");
  const args: Record<string, SweepValue> = {};
  if (o.args !== undefined) {
    if (!o.args || typeof o.args !== "object" || Array.isArray(o.args))
      fail('"args" must be a mapping', file, "args", "name: value");
    for (const [k, v] of Object.entries(o.args as Record<string, unknown>)) {
      if (!NAME.test(k)) fail(`option name "${k}"`, file, `args.${k}`, "an option name without --");
      args[k] = scalar(v, file, `args.${k}`);
    }
  }
  const grid = axes(o.grid, file, "grid");
  const zip = axes(o.zip, file, "zip");
  if (grid.length === 0 && zip.length === 0)
    fail("the grid is empty", file, "grid", "at least one swept parameter");
  if (zip.some((a) => a.values.length !== zip[0].values.length)) {
    fail(
      `zip lists differ in length (${zip.map((a) => `${a.name}: ${a.values.length}`).join(", ")})`,
      file,
      "zip",
      "lists of equal length",
    );
  }
  const names = [...grid, ...zip].map((a) => a.name);
  for (const n of names) {
    if (names.indexOf(n) !== names.lastIndexOf(n) || n in args)
      fail(`"${n}" is given twice`, file, n, "each option once");
    if (n === "out" || n === "force")
      fail(`"${n}" cannot be swept`, file, n, "the sweep sets --out per task");
  }
  for (const n of ["out", "force"])
    if (n in args) fail(`"${n}" cannot be set in args`, file, `args.${n}`, "the sweep sets --out per task");
  let metrics: string[] | undefined;
  if (o.metrics !== undefined) {
    if (!Array.isArray(o.metrics) || !o.metrics.every((m) => typeof m === "string")) {
      fail('"metrics" must be a list of column names', file, "metrics", "[column, …]");
    }
    metrics = o.metrics as string[];
  }
  let slurm: Record<string, string | number> | undefined;
  if (o.slurm !== undefined) {
    if (!o.slurm || typeof o.slurm !== "object" || Array.isArray(o.slurm))
      fail('"slurm" must be a mapping', file, "slurm", "sbatch option: value");
    slurm = {};
    for (const [k, v] of Object.entries(o.slurm as Record<string, unknown>)) {
      if (!NAME.test(k))
        fail(
          `sbatch option "${k}"`,
          file,
          `slurm.${k}`,
          "an sbatch long option without --, e.g. partition, time, mem",
        );
      if (typeof v !== "string" && typeof v !== "number")
        fail(`slurm.${k}`, file, `slurm.${k}`, "a string or number");
      if (/[\n\r]/.test(String(v))) fail(`slurm.${k} holds a line break`, file, `slurm.${k}`, "one line");
      slurm[k] = v as string | number;
    }
  }
  return { command, args, grid, zip, metrics, slurm };
}

/** Number of tasks the spec expands to. */
export function taskCount(spec: SweepSpec): number {
  let n = spec.zip.length > 0 ? spec.zip[0].values.length : 1;
  for (const a of spec.grid) n *= a.values.length;
  return n;
}

function optionArgs(name: string, value: SweepValue): string[] {
  if (value === true) return [`--${name}`];
  if (value === false) return [];
  return [`--${name}`, String(value)];
}

/**
 * FNV-1a, 64 bit, over the UTF-16 code units of `text`: a stable, dependency-free content hash
 * (not cryptographic). The 64-bit product with the FNV prime 2⁴⁰ + 0x1b3 is done on two 32-bit
 * halves: lo·0x1b3 gives the new low word and a carry; the high word gets hi·0x1b3 + carry + lo·2⁸.
 */
export function fnv1a64(text: string): string {
  let lo = 0x84222325;
  let hi = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    const product = lo * 0x1b3; // < 2⁴¹: exact in a double
    const carry = Math.floor(product / 4294967296);
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
    lo = product >>> 0;
  }
  return hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
}

/**
 * Expand the spec into tasks: grid axes vary slowest-first in spec order (the last grid axis
 * fastest), then the zipped lists. Throws when the count exceeds `limit` (default
 * `MAX_TASKS_WITHOUT_FORCE`) unless `force`.
 */
export function expandTasks(
  spec: SweepSpec,
  options: { force?: boolean; file?: string; limit?: number } = {},
): SweepTask[] {
  const total = taskCount(spec);
  const limit = options.limit ?? MAX_TASKS_WITHOUT_FORCE;
  if (total > limit && !options.force) {
    fail(
      `the grid expands to ${total} tasks`,
      options.file ?? "sweep spec",
      "grid",
      `at most ${limit} tasks, or --force`,
    );
  }
  const fixed = Object.entries(spec.args).flatMap(([k, v]) => optionArgs(k, v));
  const zipLength = spec.zip.length > 0 ? spec.zip[0].values.length : 1;
  const digits = Math.max(4, String(total - 1).length);
  const tasks: SweepTask[] = [];
  const counters = new Array<number>(spec.grid.length).fill(0);
  for (let index = 0; index < total; index++) {
    let rest = index;
    const z = rest % zipLength;
    rest = Math.floor(rest / zipLength);
    for (let a = spec.grid.length - 1; a >= 0; a--) {
      const n = spec.grid[a].values.length;
      counters[a] = rest % n;
      rest = Math.floor(rest / n);
    }
    const params: Record<string, SweepValue> = {};
    spec.grid.forEach((axis, a) => {
      params[axis.name] = axis.values[counters[a]];
    });
    for (const axis of spec.zip) params[axis.name] = axis.values[z];
    const argv = [...fixed, ...Object.entries(params).flatMap(([k, v]) => optionArgs(k, v))];
    const inputHash = fnv1a64(JSON.stringify([spec.command, argv]));
    tasks.push({
      index,
      id: `t${String(index).padStart(digits, "0")}-${inputHash.slice(0, 8)}`,
      params,
      argv,
      inputHash,
    });
  }
  return tasks;
}

/** The names of the swept parameters, in column order. */
export function sweptNames(spec: SweepSpec): string[] {
  return [...spec.grid.map((a) => a.name), ...spec.zip.map((a) => a.name)];
}
