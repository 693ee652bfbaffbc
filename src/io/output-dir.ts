/**
 * Atomic output directories: a command writes every file into a staging folder beside the
 * target and the folder is renamed into place only when the command succeeds, so a failed or
 * interrupted run never leaves half-written results. An existing non-empty target is refused
 * unless `force` is set (SPEC §6: never overwrite without --force).
 *
 * `force` only ever replaces a folder that cathodelab wrote itself: every output folder gets a
 * marker file (OUTPUT_MARKER), and a non-empty target without it is refused even with force.
 * Never replaced, with or without force: the working directory, any folder above it, and any
 * folder that holds (or lies inside) an input of the command.
 */
import { existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { InputError } from "../errors.js";
import { pngNameFor, svgToPng } from "../report/png-node.js";

/** Name of the marker file every cathodelab output folder holds. */
export const OUTPUT_MARKER = ".cathodelab-output";

const MARKER_TEXT =
  "This folder was written by cathodelab. `--force` may replace it; cathodelab refuses to replace folders without this file.\n";

export interface OutputDirOptions {
  /** Replace an existing non-empty folder (only one that cathodelab wrote). */
  force?: boolean;
  /** Option name shown in errors (default `--out`). */
  field?: string;
  /** Input files or folders of the command: the target may not hold or lie inside any of them. */
  inputs?: readonly string[];
  /** Working directory (default process.cwd()): the target may not be it or above it. */
  cwd?: string;
}

/** Absolute path with symbolic links resolved for the part that exists. */
function canonical(path: string): string {
  const abs = resolve(path);
  let head = abs;
  const tail: string[] = [];
  while (!existsSync(head)) {
    const parent = dirname(head);
    if (parent === head) return abs;
    tail.unshift(basename(head));
    head = parent;
  }
  try {
    return join(realpathSync(head), ...tail);
  } catch {
    return abs;
  }
}

/** True when `inner` is `outer` or lies inside it. */
function within(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

/** Throw an InputError when `target` may not be used as an output folder (see the module doc). */
export function checkOutputTarget(target: string, options: OutputDirOptions = {}): void {
  const field = options.field ?? "--out";
  const abs = canonical(target);
  const cwd = canonical(options.cwd ?? process.cwd());
  if (within(cwd, abs)) {
    throw new InputError(
      abs === cwd
        ? "the output folder is the current directory, which cathodelab never replaces"
        : "the output folder contains the current directory, which cathodelab never replaces",
      { field, value: target, expected: "a new sub-folder, e.g. --out results" },
    );
  }
  for (const input of options.inputs ?? []) {
    const inp = canonical(input);
    if (within(inp, abs) || within(abs, inp)) {
      throw new InputError(
        `the output folder ${within(inp, abs) ? "holds" : "lies inside"} the input ${input}`,
        {
          field,
          value: target,
          expected: "an output folder apart from the inputs",
        },
      );
    }
  }
  if (!existsSync(abs)) return;
  let entries: string[];
  try {
    entries = readdirSync(abs);
  } catch {
    throw new InputError("output path exists and is not a directory", {
      field,
      value: target,
      expected: "a new or empty directory",
    });
  }
  if (entries.length === 0) return;
  if (!options.force) {
    throw new InputError("output directory is not empty", {
      field,
      value: target,
      expected: "a new or empty directory, or --force to replace an earlier cathodelab output",
    });
  }
  if (!entries.includes(OUTPUT_MARKER)) {
    throw new InputError(
      `output directory is not empty and was not written by cathodelab (no ${OUTPUT_MARKER} file), so --force will not replace it`,
      { field, value: target, expected: "a new or empty directory, or a folder written by cathodelab" },
    );
  }
}

export class OutputDir {
  readonly target: string;
  readonly staging: string;
  private committed = false;
  private readonly written: string[] = [];

  private constructor(target: string, staging: string) {
    this.target = target;
    this.staging = staging;
  }

  /**
   * Prepare `target` for writing. Throws InputError if it exists, is not empty and !force, if
   * force would replace a folder cathodelab did not write, or if the target is the working
   * directory, above it, or holds an input (checkOutputTarget).
   */
  static open(target: string, options: OutputDirOptions = {}): OutputDir {
    checkOutputTarget(target, options);
    const abs = resolve(target);
    const parent = dirname(abs);
    mkdirSync(parent, { recursive: true });
    const staging = join(parent, `.${basename(abs)}.partial-${process.pid}-${Date.now()}`);
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, OUTPUT_MARKER), MARKER_TEXT);
    return new OutputDir(abs, staging);
  }

  /** Path inside the staging folder for a relative name (sub-folders are created). */
  path(name: string): string {
    const p = resolve(this.staging, name);
    if (!p.startsWith(this.staging + sep)) throw new Error(`output name escapes the directory: ${name}`);
    mkdirSync(dirname(p), { recursive: true });
    return p;
  }

  /** Write a text or binary file (relative name). */
  write(name: string, data: string | Uint8Array): void {
    writeFileSync(this.path(name), data);
    this.written.push(name);
    // every SVG figure also as PNG beside it (figure.svg → figure.png; report/png-node, resvg)
    if (typeof data === "string" && /\.svg$/i.test(name)) {
      const png = pngNameFor(name);
      writeFileSync(this.path(png), svgToPng(data));
      this.written.push(png);
    }
  }

  /** Names written so far, in order. */
  get files(): readonly string[] {
    return this.written;
  }

  /** Move the staged folder into place (replacing the target, checked in open). */
  commit(): void {
    if (this.committed) return;
    if (existsSync(this.target)) rmSync(this.target, { recursive: true, force: true });
    renameSync(this.staging, this.target);
    this.committed = true;
  }

  /** Remove the staged folder (called on failure). */
  abort(): void {
    if (!this.committed) rmSync(this.staging, { recursive: true, force: true });
  }

  /** Run `fn` with a staged output directory, committing on success and aborting on error. */
  static async with<T>(
    target: string,
    options: OutputDirOptions,
    fn: (out: OutputDir) => Promise<T> | T,
  ): Promise<T> {
    const out = OutputDir.open(target, options);
    try {
      const result = await fn(out);
      out.commit();
      return result;
    } catch (error) {
      out.abort();
      throw error;
    }
  }
}

/** Write a single file atomically (temp file + rename). */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const abs = resolve(path);
  mkdirSync(dirname(abs), { recursive: true });
  const tmp = join(dirname(abs), `.${basename(abs)}.partial-${process.pid}`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, abs);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
