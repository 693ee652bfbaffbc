/**
 * `cathodelab sweep SPEC --out DIR`: run any cathodelab command over a parameter grid on a local
 * worker pool (default) or as a SLURM job array, resumably, and merge the results into one table.
 * Thin: the expansion and merging are in src/sweep (spec.ts, merge.ts), the pool and SLURM in
 * src/sweep/node.ts.
 */
import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../../errors.js";
import { writeFileAtomic } from "../../io/output-dir.js";
import {
  arrayRange,
  type CommandShape,
  readSlurmJobs,
  runLocal,
  runOne,
  slurmScript,
  slurmStates,
  submitArray,
  taskOutcome,
  writeMerged,
  writeSlurmJobs,
  writeTaskList,
} from "../../sweep/node.js";
import { expandTasks, parseSweepSpec, type SweepSpec, type SweepTask, sweptNames } from "../../sweep/spec.js";
import { type Command, parseOptions, resolveSubcommand, stringOption } from "../command.js";
import { ProgressBar } from "../progress.js";
import { COMMANDS } from "../registry.js";

const OPTIONS = {
  out: { type: "string" },
  engine: { type: "string" },
  workers: { type: "string" },
  "memory-per-worker": { type: "string" },
  "max-concurrent": { type: "string" },
  task: { type: "string" },
  collect: { type: "boolean" },
  resubmit: { type: "boolean" },
  "no-submit": { type: "boolean" },
  "dry-run": { type: "boolean" },
  force: { type: "boolean" },
  json: { type: "boolean" },
} as const;

const HELP = `Usage: cathodelab sweep SPEC --out DIR [options]

Run a cathodelab command over a parameter grid and merge every task's summary into one
table (sweep.csv, sweep.arrow) with a figure per swept parameter (sweep_<param>.svg).
SPEC is a YAML or JSON file:

  command: simulate                 # any command, sub-command words included ("fit eis")
  args: { protocol: "Charge at 1C until 4.1 V" }   # options every task gets
  grid:                             # Cartesian product …
    material: [NMC532, NMC811]
    radius: [2um, 5um]
    seed: { from: 1, to: 3 }        # also {linspace: [a, b, n]} and {logspace: [a, b, n]}
  zip: { … }                        # … times lists taken element by element
  metrics: [summary.chargeCapacity.mAh]   # columns to plot (default: the numeric ones)
  slurm: { partition: short, time: "00:30:00", mem: 4G }   # sbatch options

Each task gets a stable id (its index and a hash of its command line) and its own folder
DIR/tasks/<id>/ (the command's --out is DIR/tasks/<id>/result). A task is finished when its
done.json is written (atomically, last); a rerun skips finished tasks and retries failed
ones, so an interrupted sweep loses nothing finished. One task's failure is reported with its
id and does not stop the others. Wall times go to DIR/timing.csv, never into sweep.csv:
identical specs give byte-identical merged tables, on the pool and on SLURM alike.

Options:
  --out DIR               the sweep folder (required; reused by reruns)
  --engine local|slurm    local worker pool (default) or a SLURM job array
  --workers N             local: worker threads (default: all cores, 1–256)
  --memory-per-worker M   local: heap limit per worker, e.g. 2GB (default 2GB; 64MB–64GB)
  --dry-run               list the tasks (id, parameters, state) and run nothing
  --force                 allow more than 10^6 tasks
  --json                  print the task states (or the dry-run list) as JSON

SLURM (a shared file system holds DIR):
  --engine slurm          write DIR/slurm/sweep.sbatch (an array job, one task per array
                          index) and submit it with sbatch; pending tasks only
  --max-concurrent K      at most K array tasks at once (sbatch --array=0-N%K)
  --no-submit             write the script, do not submit
  --task I                run array task I here (what each array task runs)
  --collect               merge what is finished and report each task's state (with
                          SLURM's state from sacct, or scontrol when accounting is off)
  --resubmit              with --engine slurm: submit only the failed and missing tasks

Exit codes: 0 all tasks done, 1 some task failed (the others are merged), 2 bad input
(unknown parameter, empty grid, > 10^6 tasks without --force, missing sbatch, a task folder
edited by hand).

Examples:
  cathodelab sweep examples/sweep-simulate.yaml --out runs/sweep1 --dry-run
  cathodelab sweep examples/sweep-simulate.yaml --out runs/sweep1 --workers 2`;

/** The options a command accepts, read from its help text (every `--name` it documents). */
async function commandShape(spec: SweepSpec, file: string): Promise<CommandShape & { options: Set<string> }> {
  const entry = COMMANDS.find((c) => c.name === spec.command[0]);
  if (!entry || entry.name === "sweep" || entry.name === "serve") {
    throw new InputError(`unknown or unsweepable command "${spec.command[0]}"`, {
      file,
      field: "command",
      expected: COMMANDS.filter((c) => c.name !== "sweep" && c.name !== "serve")
        .map((c) => c.name)
        .join(", "),
    });
  }
  const { command, rest } = await resolveSubcommand(await entry.load(), spec.command.slice(1));
  if (rest.length > 0) {
    throw new InputError(`"${spec.command.join(" ")}" is not a command`, {
      file,
      field: "command",
      expected: "a command and its sub-command words",
    });
  }
  const options = new Set([...command.help.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]));
  return { out: options.has("out"), json: options.has("json"), options };
}

function checkNames(spec: SweepSpec, options: Set<string>, file: string): void {
  for (const name of [...Object.keys(spec.args), ...sweptNames(spec)]) {
    if (!options.has(name)) {
      throw new InputError(`"${name}" is not an option of \`cathodelab ${spec.command.join(" ")}\``, {
        file,
        field: name,
        expected: [...options]
          .filter((o) => o !== "help" && o !== "out" && o !== "json" && o !== "force")
          .join(", "),
      });
    }
  }
}

function intOption(
  values: Record<string, unknown>,
  name: string,
  lo: number,
  hi: number,
): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < lo || n > hi) {
    throw new InputError(`--${name} must be an integer from ${lo} to ${hi}`, {
      field: `--${name}`,
      value: text,
      expected: `${lo}…${hi}`,
    });
  }
  return n;
}

function memoryMiB(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(MB|MiB|GB|GiB)\s*$/i.exec(text);
  const mib = m ? Number(m[1]) * (/^g/i.test(m[2]) ? 1024 : 1) : Number.NaN;
  if (!(mib >= 64 && mib <= 65536)) {
    throw new InputError("--memory-per-worker must be 64MB–64GB", {
      field: "--memory-per-worker",
      value: text,
      expected: "e.g. 512MB or 2GB",
    });
  }
  return Math.round(mib);
}

function stateTable(
  tasks: readonly SweepTask[],
  states: readonly string[],
  slurm?: Map<number, string>,
): string {
  const names = tasks.length > 0 ? Object.keys(tasks[0].params) : [];
  const rows = tasks.map((t, i) =>
    [
      t.id,
      states[i],
      // a task SLURM no longer lists was cancelled before it started, or has aged out of its records
      ...(slurm ? [slurm.get(t.index) ?? (states[i] === "done" ? "-" : "NOT_LISTED")] : []),
      ...names.map((n) => String(t.params[n])),
    ].join("  "),
  );
  return [["task", "state", ...(slurm ? ["slurm"] : []), ...names].join("  "), ...rows].join("\n");
}

export const command: Command = {
  name: "sweep",
  summary: "run a command over a parameter grid: local worker pool or SLURM array, resumable, merged",
  help: HELP,
  options: OPTIONS,
  async run(argv, ctx) {
    const { values, positionals } = parseOptions(argv, OPTIONS);
    if (positionals.length !== 1) {
      throw new InputError(
        positionals.length === 0 ? "missing SPEC" : `one SPEC expected, got ${positionals.length}`,
        {
          field: "SPEC",
          expected: "a sweep file (YAML or JSON); see cathodelab sweep --help",
        },
      );
    }
    const specPath = resolve(ctx.cwd, positionals[0]);
    let text: string;
    try {
      text = readFileSync(specPath, "utf8");
    } catch (error) {
      throw new InputError(`cannot read the spec (${(error as NodeJS.ErrnoException).code ?? error})`, {
        file: specPath,
        expected: "a readable YAML or JSON file",
      });
    }
    const spec = parseSweepSpec(text, specPath);
    const shape = await commandShape(spec, specPath);
    checkNames(spec, shape.options, specPath);
    const tasks = expandTasks(spec, { force: values.force === true, file: specPath });
    const outText = stringOption(values, "out");
    if (outText === undefined)
      throw new InputError("missing --out", {
        field: "--out",
        expected: "the sweep folder (created, or reused to resume)",
      });
    const out = resolve(ctx.cwd, outText);
    try {
      if (statSync(out).isFile())
        throw new InputError("--out is a file", { field: "--out", value: outText, expected: "a folder" });
    } catch (error) {
      if (error instanceof InputError) throw error;
    }
    const engine = stringOption(values, "engine") ?? "local";
    if (engine !== "local" && engine !== "slurm")
      throw new InputError(`unknown engine "${engine}"`, { field: "--engine", expected: "local or slurm" });

    if (values["dry-run"] === true) {
      const states = tasks.map((t) => taskOutcome(out, t).status);
      if (values.json === true)
        ctx.stdout(
          `${JSON.stringify(
            tasks.map((t, i) => ({ ...t, state: states[i] })),
            null,
            2,
          )}\n`,
        );
      else
        ctx.stdout(
          `${stateTable(tasks, states)}\n${tasks.length} tasks of \`cathodelab ${spec.command.join(" ")}\`\n`,
        );
      return 0;
    }

    writeTaskList(out, tasks, spec, specPath);

    const taskText = stringOption(values, "task");
    if (taskText !== undefined) {
      const index = intOption(values, "task", 0, tasks.length - 1) as number;
      const outcome = await runOne(spec, tasks[index], out, shape, ctx.cwd);
      ctx.stderr(`task ${outcome.task.id}: ${outcome.status}${outcome.error ? ` (${outcome.error})` : ""}\n`);
      return outcome.status === "done" ? 0 : 1;
    }

    if (values.collect === true || (engine === "slurm" && values.resubmit !== true)) {
      const outcomes = tasks.map((t) => taskOutcome(out, t));
      if (values.collect !== true) {
        // submit the array for the tasks not yet done
        const pending = outcomes.filter((o) => o.status !== "done").map((o) => o.task.index);
        return submit(pending);
      }
      const jobs = readSlurmJobs(out);
      const slurm = jobs.jobs.length > 0 ? slurmStates(jobs.jobs.map((j) => j.id)) : undefined;
      writeMerged(spec, outcomes, out);
      const states = outcomes.map((o) => o.status);
      if (values.json === true) {
        ctx.stdout(
          `${JSON.stringify(
            outcomes.map((o) => ({
              id: o.task.id,
              state: o.status,
              slurm: slurm?.get(o.task.index),
              error: o.error,
            })),
            null,
            2,
          )}\n`,
        );
      } else {
        ctx.stdout(`${stateTable(tasks, states, slurm)}\n`);
      }
      const failed = outcomes.filter((o) => o.status === "failed");
      const pending = outcomes.filter((o) => o.status === "pending");
      ctx.stderr(
        `merged ${tasks.length - failed.length - pending.length} of ${tasks.length} tasks into ${join(out, "sweep.csv")}` +
          `${failed.length ? `; failed: ${failed.map((o) => o.task.id).join(", ")}` : ""}${pending.length ? `; not finished: ${pending.length}` : ""}\n`,
      );
      return failed.length === 0 && pending.length === 0 ? 0 : 1;
    }

    if (engine === "slurm") {
      // --resubmit: failed and missing tasks only
      const redo = tasks
        .map((t) => taskOutcome(out, t))
        .filter((o) => o.status !== "done")
        .map((o) => o.task.index);
      return submit(redo);
    }

    // local pool
    const workers = intOption(values, "workers", 1, 256);
    const memory = memoryMiB(stringOption(values, "memory-per-worker"));
    const bar = new ProgressBar("sweep", ctx.stderr, ctx.isTTY);
    const t0 = performance.now();
    const { outcomes, ran, timing } = await runLocal(spec, tasks, out, shape, {
      workers,
      memoryPerWorkerMiB: memory,
      cwd: ctx.cwd,
      onTask: (finished, total, outcome) => {
        if (outcome.status === "failed")
          ctx.stderr(`${ctx.isTTY ? "\n" : ""}task ${outcome.task.id} failed: ${outcome.error}\n`);
        const elapsed = (performance.now() - t0) / 1000;
        const eta = (elapsed / finished) * (total - finished);
        bar.update(finished / total, `${finished}/${total} ETA ${eta.toFixed(0)} s`);
      },
    });
    bar.finish(`${ran} run`);
    if (timing.length > 0) {
      writeFileAtomic(
        join(out, "timing.csv"),
        `task,seconds\n${timing.map((t) => `${t.id},${t.seconds.toFixed(3)}`).join("\n")}\n`,
      );
    }
    writeMerged(spec, outcomes, out);
    const failed = outcomes.filter((o) => o.status === "failed");
    if (values.json === true)
      ctx.stdout(
        `${JSON.stringify(
          outcomes.map((o) => ({ id: o.task.id, state: o.status, error: o.error })),
          null,
          2,
        )}\n`,
      );
    ctx.stderr(
      `${tasks.length - failed.length} of ${tasks.length} tasks done (${ran} run now, ${tasks.length - ran} already finished); merged into ${join(out, "sweep.csv")}` +
        `${failed.length ? `; failed: ${failed.map((o) => o.task.id).join(", ")} (rerun to retry)` : ""}\n`,
    );
    return failed.length === 0 ? 0 : 1;

    function submit(indices: number[]): number {
      if (indices.length === 0) {
        ctx.stderr("every task is done; nothing to submit (use --collect to merge)\n");
        return 0;
      }
      const array = arrayRange(indices);
      const scriptPath = join(out, "slurm", "sweep.sbatch");
      writeFileAtomic(scriptPath, slurmScript({ specPath, out, array, sbatch: spec.slurm }));
      const maxConcurrent = intOption(values, "max-concurrent", 1, 100000);
      if (values["no-submit"] === true) {
        ctx.stdout(`sbatch --array=${array}${maxConcurrent ? `%${maxConcurrent}` : ""} ${scriptPath}\n`);
        return 0;
      }
      const id = submitArray(scriptPath, array, maxConcurrent);
      const jobs = readSlurmJobs(out);
      jobs.jobs.push({ id, array });
      writeSlurmJobs(out, jobs);
      ctx.stdout(
        `submitted job ${id}: array ${array} (${indices.length} tasks); then: cathodelab sweep ${positionals[0]} --out ${outText} --collect\n`,
      );
      return 0;
    }
  },
};
