/**
 * Atomic output directories: a command writes every file into a staging folder beside the
 * target and the folder is renamed into place only when the command succeeds, so a failed or
 * interrupted run never leaves half-written results. An existing non-empty target is refused
 * unless `force` is set (SPEC §6: never overwrite without --force).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { InputError } from "../errors.js";
import { pngNameFor, svgToPng } from "../report/png-node.js";

export class OutputDir {
  readonly target: string;
  readonly staging: string;
  private committed = false;
  private readonly written: string[] = [];

  private constructor(target: string, staging: string) {
    this.target = target;
    this.staging = staging;
  }

  /** Prepare `target` for writing. Throws InputError if it exists, is not empty and !force. */
  static open(target: string, options: { force?: boolean; field?: string } = {}): OutputDir {
    const abs = resolve(target);
    if (existsSync(abs)) {
      let entries: string[];
      try {
        entries = readdirSync(abs);
      } catch {
        throw new InputError(`output path exists and is not a directory`, {
          field: options.field ?? "--out",
          value: target,
          expected: "a new or empty directory",
        });
      }
      if (entries.length > 0 && !options.force) {
        throw new InputError(`output directory is not empty`, {
          field: options.field ?? "--out",
          value: target,
          expected: "a new or empty directory, or --force to replace it",
        });
      }
    }
    const parent = dirname(abs);
    mkdirSync(parent, { recursive: true });
    const staging = join(parent, `.${basename(abs)}.partial-${process.pid}-${Date.now()}`);
    mkdirSync(staging, { recursive: true });
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

  /** Move the staged folder into place. */
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
    options: { force?: boolean; field?: string },
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
