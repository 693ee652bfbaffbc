/**
 * Running a sweep on this machine (a local worker pool) or as SLURM array tasks, with the
 * task folders on a shared file system. Node only.
 *
 * Layout of the sweep folder:
 *   sweep.json                  the expanded tasks (id, index, params, input hash)
 *   tasks/<id>/result/          the command's own --out folder
 *   tasks/<id>/stdout.txt, stderr.txt
 *   tasks/<id>/done.json        written atomically last: {id, index, inputHash, code}
 *   tasks/<id>/failed.json      instead, when the task failed: {…, error}
 *   sweep.csv, sweep.arrow, sweep_<param>.svg   the merged table and figures
 *   timing.csv                  wall time per task (kept out of sweep.csv: reruns are byte-identical)
 *   slurm/sweep.sbatch, slurm/jobs.json, slurm/<job>_<task>.log
 *
 * A task counts as finished only through its done.json whose input hash matches the task: a
 * rerun skips finished tasks, retries failed and missing ones, and refuses a task folder whose
 * record names another hash (edited by hand, or the spec changed under it).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { Piscina } from "piscina";
import { InputError } from "../errors.js";
import { writeFileAtomic } from "../io/output-dir.js";
import { type MergedTable, mergedCsv, mergeOutcomes, sweepFigures, type TaskOutcome } from "./merge.js";
import type { SweepSpec, SweepTask } from "./spec.js";
import type { WorkerJob, WorkerResult } from "./worker.js";

export interface TaskRecord {
  id: string;
  index: number;
  inputHash: string;
  code: number;
  error?: string;
}

export function taskDir(out: string, task: SweepTask): string {
  return join(out, "tasks", task.id);
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

/**
 * The state of a task from its folder. Throws InputError when a record exists for another
 * input hash (the folder was edited by hand, or the spec changed).
 */
export function taskOutcome(out: string, task: SweepTask): TaskOutcome {
  const dir = taskDir(out, task);
  for (const [file, status] of [
    ["done.json", "done"],
    ["failed.json", "failed"],
  ] as const) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    let record: TaskRecord;
    try {
      record = readJson(path) as TaskRecord;
    } catch {
      throw new InputError("the task record is not valid JSON (edited by hand?)", {
        file: path,
        expected: "the record cathodelab sweep wrote; delete the task folder to rerun the task",
      });
    }
    if (record.inputHash !== task.inputHash || record.id !== task.id) {
      throw new InputError(
        `task ${task.id}: its record names input ${record.inputHash}, the spec gives ${task.inputHash}`,
        {
          file: path,
          expected:
            "the folder of this task as the sweep wrote it; delete it (or use another --out) to rerun",
        },
      );
    }
    if (status === "failed") return { task, status, error: record.error ?? `exit code ${record.code}` };
    return { task, status, summary: taskSummary(dir) };
  }
  return { task, status: "pending" };
}

/** A done task's summary: result/summary.json if the command wrote one, else its --json output. */
function taskSummary(dir: string): unknown {
  const summary = join(dir, "result", "summary.json");
  if (existsSync(summary)) return readJson(summary);
  const json = join(dir, "stdout.json");
  if (existsSync(json)) return readJson(json);
  return {};
}

export interface CommandShape {
  /** The command accepts --out DIR. */
  out: boolean;
  /** The command accepts --json. */
  json: boolean;
}

/** The full argv of a task: command words, options, and --out/--json where the command has them. */
export function taskArgv(spec: SweepSpec, task: SweepTask, out: string, shape: CommandShape): string[] {
  const dir = taskDir(out, task);
  return [
    ...spec.command,
    ...task.argv,
    ...(shape.out ? ["--out", join(dir, "result")] : []),
    ...(shape.json ? ["--json"] : []),
  ];
}

/** Record a finished task: outputs first, the done/failed record last (atomic rename). */
export function recordTask(
  out: string,
  task: SweepTask,
  result: WorkerResult,
  shape: CommandShape,
): TaskOutcome {
  const dir = taskDir(out, task);
  writeFileAtomic(join(dir, "stdout.txt"), result.stdout);
  writeFileAtomic(join(dir, "stderr.txt"), result.stderr);
  const base: TaskRecord = { id: task.id, index: task.index, inputHash: task.inputHash, code: result.code };
  if (result.code === 0) {
    if (shape.json) {
      try {
        writeFileAtomic(join(dir, "stdout.json"), `${JSON.stringify(JSON.parse(result.stdout), null, 2)}\n`);
      } catch {
        // not JSON: the summary comes from result/summary.json
      }
    }
    writeFileAtomic(join(dir, "done.json"), `${JSON.stringify(base, null, 2)}\n`);
    return taskOutcome(out, task);
  }
  const lines = result.stderr.trim().split("\n");
  const error = (
    lines.filter((l) => /error|failed/i.test(l)).pop() ??
    lines.pop() ??
    `exit code ${result.code}`
  ).slice(0, 500);
  writeFileAtomic(join(dir, "failed.json"), `${JSON.stringify({ ...base, error }, null, 2)}\n`);
  return { task, status: "failed", error };
}

/** Prepare a task folder for a (re)run: old records and results go. */
export function resetTask(out: string, task: SweepTask): void {
  const dir = taskDir(out, task);
  for (const f of ["done.json", "failed.json", "stdout.json", "stdout.txt", "stderr.txt"])
    rmSync(join(dir, f), { force: true });
  rmSync(join(dir, "result"), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

/** Write sweep.json, or check that an existing one lists the same tasks. */
export function writeTaskList(
  out: string,
  tasks: readonly SweepTask[],
  spec: SweepSpec,
  specFile: string,
): void {
  const path = join(out, "sweep.json");
  const list = {
    spec: specFile,
    command: spec.command,
    tasks: tasks.map((t) => ({ id: t.id, index: t.index, params: t.params, inputHash: t.inputHash })),
  };
  const text = `${JSON.stringify(list, null, 2)}\n`;
  if (existsSync(path)) {
    const old = readFileSync(path, "utf8");
    if (old === text) return;
    const known = new Set(tasks.map((t) => t.id));
    const stale = existsSync(join(out, "tasks"))
      ? readdirSync(join(out, "tasks")).filter((d) => !known.has(d))
      : [];
    if (stale.length > 0) {
      throw new InputError(
        `the folder holds ${stale.length} task(s) of another spec (${stale.slice(0, 3).join(", ")} …)`,
        {
          file: path,
          expected: "the same spec as the run that made this folder, or a new --out",
        },
      );
    }
  }
  mkdirSync(out, { recursive: true });
  writeFileAtomic(path, text);
}

export interface LocalRunOptions {
  /** Worker threads (default: all cores). */
  workers?: number;
  /** Heap limit per worker [MiB] (default 2048). */
  memoryPerWorkerMiB?: number;
  /** Called after each task with the number finished so far and the outcome. */
  onTask?: (finished: number, total: number, outcome: TaskOutcome, seconds: number) => void;
  cwd?: string;
}

/** The worker module: the compiled worker.js next to this file, or (running from the .ts sources) a tsx shim. */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith(".ts")
    ? here.replace(/node\.ts$/, "worker-source.mjs")
    : here.replace(/node\.js$/, "worker.js");
}

/**
 * Run the pending and failed tasks on a piscina pool of worker threads. One task's crash (an
 * exception, a worker killed by its heap limit) is recorded as that task's failure; the others go on.
 * Returns the outcome of every task (finished ones read from their folders).
 */
export async function runLocal(
  spec: SweepSpec,
  tasks: readonly SweepTask[],
  out: string,
  shape: CommandShape,
  options: LocalRunOptions = {},
): Promise<{ outcomes: TaskOutcome[]; ran: number; timing: { id: string; seconds: number }[] }> {
  const outcomes = tasks.map((t) => taskOutcome(out, t));
  const todo = outcomes.filter((o) => o.status !== "done").map((o) => o.task);
  const timing: { id: string; seconds: number }[] = [];
  if (todo.length === 0) return { outcomes, ran: 0, timing };
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), todo.length));
  const pool = new Piscina<WorkerJob, WorkerResult>({
    filename: workerFile(),
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 1000,
    resourceLimits: { maxOldGenerationSizeMb: options.memoryPerWorkerMiB ?? 2048 },
  });
  let finished = 0;
  try {
    await Promise.all(
      todo.map(async (task) => {
        resetTask(out, task);
        const t0 = performance.now();
        let result: WorkerResult;
        try {
          result = await pool.run({
            argv: taskArgv(spec, task, out, shape),
            cwd: options.cwd ?? process.cwd(),
          });
        } catch (error) {
          result = { code: 1, stdout: "", stderr: `error: worker crashed: ${(error as Error).message}\n` };
        }
        const outcome = recordTask(out, task, result, shape);
        outcomes[task.index] = outcome;
        const seconds = (performance.now() - t0) / 1000;
        timing.push({ id: task.id, seconds });
        finished++;
        options.onTask?.(finished, todo.length, outcome, seconds);
      }),
    );
  } finally {
    await pool.destroy();
  }
  timing.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { outcomes, ran: todo.length, timing };
}

/** Run one task in this process (what a SLURM array task does). */
export async function runOne(
  spec: SweepSpec,
  task: SweepTask,
  out: string,
  shape: CommandShape,
  cwd: string,
): Promise<TaskOutcome> {
  const existing = taskOutcome(out, task);
  if (existing.status === "done") return existing;
  resetTask(out, task);
  const { default: runJob } = await import("./worker.js");
  let result: WorkerResult;
  try {
    result = await runJob({ argv: taskArgv(spec, task, out, shape), cwd });
  } catch (error) {
    result = { code: 1, stdout: "", stderr: `error: ${(error as Error).message}\n` };
  }
  return recordTask(out, task, result, shape);
}

/** Arrow IPC file of the merged table: numbers as float64, everything else as text. */
export function mergedArrow(table: MergedTable): Uint8Array {
  const arrays: Record<string, Float64Array | string[]> = {};
  for (const c of table.columns) {
    const numeric = table.rows.every((r) => r[c] === undefined || r[c] === null || typeof r[c] === "number");
    arrays[c] = numeric
      ? Float64Array.from(table.rows, (r) => (typeof r[c] === "number" ? (r[c] as number) : Number.NaN))
      : table.rows.map((r) => (r[c] === undefined || r[c] === null ? "" : String(r[c])));
  }
  return tableToIPC(tableFromArrays(arrays), "file");
}

/** Merge every task's outcome into sweep.csv, sweep.arrow and one figure per swept parameter. */
export function writeMerged(spec: SweepSpec, outcomes: readonly TaskOutcome[], out: string): MergedTable {
  const table = mergeOutcomes(spec, outcomes);
  writeFileAtomic(join(out, "sweep.csv"), mergedCsv(table));
  writeFileAtomic(join(out, "sweep.arrow"), mergedArrow(table));
  for (const f of sweepFigures(spec, table)) writeFileAtomic(join(out, f.name), f.svg);
  return table;
}

// ---------------------------------------------------------------- SLURM

export interface SlurmScriptOptions {
  specPath: string;
  out: string;
  /** Array indices, e.g. "0-99" or "3,7". */
  array: string;
  /** At most this many array tasks at once (`%K`). */
  maxConcurrent?: number;
  /** sbatch options from the spec (`partition`, `time`, `mem`, `cpus-per-task`, `account` …). */
  sbatch?: Record<string, string | number>;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** The job-array script: each array task runs `cathodelab sweep SPEC --out OUT --task $SLURM_ARRAY_TASK_ID`. */
export function slurmScript(o: SlurmScriptOptions): string {
  const cli = resolve(fileURLToPath(import.meta.url), "../../../bin/cathodelab.js");
  const lines = [
    "#!/bin/bash",
    "# written by `cathodelab sweep --engine slurm`; submit with sbatch (cathodelab does it unless --no-submit)",
    "#SBATCH --job-name=cathodelab-sweep",
    `#SBATCH --output=${resolve(o.out, "slurm")}/%A_%a.log`,
    "#SBATCH --ntasks=1",
    ...Object.entries(o.sbatch ?? {}).map(([k, v]) => `#SBATCH --${k}=${v}`),
    "set -euo pipefail",
    `exec ${shellQuote(process.execPath)} ${shellQuote(cli)} sweep ${shellQuote(resolve(o.specPath))} --out ${shellQuote(resolve(o.out))} --task "$SLURM_ARRAY_TASK_ID"`,
    "",
  ];
  return lines.join("\n");
}

function hasCommand(name: string): boolean {
  const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() !== "";
}

/** Submit the array (`sbatch --parsable --array=RANGE%K script`); returns the job id. */
export function submitArray(scriptPath: string, array: string, maxConcurrent?: number): string {
  if (!hasCommand("sbatch")) {
    throw new InputError("sbatch is not on PATH", {
      field: "--engine slurm",
      expected: "a machine with the SLURM client (sbatch, squeue), or --no-submit to only write the script",
    });
  }
  const arrayArg = maxConcurrent ? `${array}%${maxConcurrent}` : array;
  const r = spawnSync("sbatch", ["--parsable", `--array=${arrayArg}`, scriptPath], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`sbatch failed (exit ${r.status}): ${r.stderr.trim()}`);
  return r.stdout.trim().split(";")[0];
}

/** Compress sorted indices into SLURM's array syntax: [0,1,2,5,7,8] → "0-2,5,7-8". */
export function arrayRange(indices: readonly number[]): string {
  const s = [...indices].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(i === j ? String(s[i]) : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/**
 * SLURM's state of each array task of the given jobs: from `sacct` when accounting is enabled,
 * else from `scontrol show job` (jobs the controller still remembers). Unknown tasks are absent.
 */
export function slurmStates(jobIds: readonly string[]): Map<number, string> {
  const states = new Map<number, string>();
  if (jobIds.length === 0) return states;
  if (hasCommand("sacct")) {
    const r = spawnSync("sacct", ["-n", "-P", "-X", "--format=JobID,State", "-j", jobIds.join(",")], {
      encoding: "utf8",
    });
    if (r.status === 0 && !/disabled/i.test(r.stderr)) {
      for (const line of r.stdout.split("\n")) {
        const m = /^\d+_(\d+)\|(\S+)/.exec(line.trim());
        if (m) states.set(Number(m[1]), m[2]);
      }
      if (states.size > 0) return states;
    }
  }
  if (hasCommand("scontrol")) {
    for (const id of jobIds) {
      const r = spawnSync("scontrol", ["show", "job", "-o", id], { encoding: "utf8" });
      if (r.status !== 0) continue;
      for (const line of r.stdout.split("\n")) {
        const task = /ArrayTaskId=(\d+)/.exec(line);
        const state = /JobState=(\S+)/.exec(line);
        if (task && state) states.set(Number(task[1]), state[1]);
      }
    }
  }
  return states;
}

export interface SlurmJobs {
  jobs: { id: string; array: string }[];
}

export function readSlurmJobs(out: string): SlurmJobs {
  const path = join(out, "slurm", "jobs.json");
  return existsSync(path) ? (readJson(path) as SlurmJobs) : { jobs: [] };
}

export function writeSlurmJobs(out: string, jobs: SlurmJobs): void {
  writeFileAtomic(join(out, "slurm", "jobs.json"), `${JSON.stringify(jobs, null, 2)}\n`);
}
