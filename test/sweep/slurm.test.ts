/**
 * `cathodelab sweep --engine slurm` on a real single-node SLURM cluster started by this test on
 * localhost from Debian's packages (slurmctld, slurmd, munge; installed here when missing and
 * the test runs as root): submit a 4-task array one task at a time, cancel one task, collect
 * (that task reported as not finished, with SLURM's state), resubmit only it, collect again,
 * and compare the merged table with the local pool's byte for byte. Everything the test starts
 * it stops, in its own temporary folder (daemons, sockets, state).
 */
import assert from "node:assert/strict";
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";

const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/cathodelab.js");
let work = "";
let env: NodeJS.ProcessEnv = {};

function sh(
  cmd: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeout?: number; cwd?: string } = {},
): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, {
    encoding: "utf8",
    timeout: options.timeout ?? 120_000,
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
}

function must(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function has(cmd: string): boolean {
  return sh("sh", ["-c", `command -v ${cmd}`]).status === 0;
}

/** Install Debian's SLURM and munge when missing (root only, as CI runs). */
function ensureSlurmInstalled(): void {
  if (has("slurmctld") && has("slurmd") && has("sbatch") && has("munged")) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      "the SLURM test needs Debian's slurmctld, slurmd, slurm-client and munge: run as root, or install them with " +
        "`apt-get install -y slurmctld slurmd slurm-client munge`",
    );
  }
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  must(sh("apt-get", ["update", "-qq"], { env: aptEnv, timeout: 300_000 }), "apt-get update");
  must(
    sh("apt-get", ["install", "-y", "-qq", "slurmctld", "slurmd", "slurm-client", "munge"], {
      env: aptEnv,
      timeout: 300_000,
    }),
    "apt-get install slurm",
  );
}

async function waitFor(what: string, seconds: number, ok: () => boolean): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${seconds} s waiting for ${what}`);
}

function alive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // a zombie (exited, not yet reaped by its parent) counts as stopped
  const stat = sh("ps", ["-o", "stat=", "-p", String(pid)]).stdout.trim();
  return stat !== "" && !stat.startsWith("Z");
}

/** SIGTERM the process named in a pid file; returns its pid (0 when there is none). */
function killPidFile(path: string): number {
  if (!existsSync(path)) return 0;
  const pid = Number(readFileSync(path, "utf8").trim());
  if (pid > 0) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  return pid;
}

before(async () => {
  ensureSlurmInstalled();
  work = mkdtempSync(join(tmpdir(), "cathodelab-slurm-"));
  chmodSync(work, 0o700);
  for (const d of ["state", "spool", "log"]) mkdirSync(join(work, d));
  // munge with its own key and socket
  const key = join(work, "munge.key");
  writeFileSync(key, randomBytes(1024), { mode: 0o600 });
  const socket = join(work, "munge.socket");
  must(
    sh("munged", [
      "--force",
      `--socket=${socket}`,
      `--key-file=${key}`,
      `--pid-file=${join(work, "munged.pid")}`,
      `--seed-file=${join(work, "munged.seed")}`,
      `--log-file=${join(work, "log", "munged.log")}`,
    ]),
    "munged",
  );
  const node = hostname().split(".")[0];
  const port = 20000 + Math.floor(Math.random() * 20000);
  const conf = join(work, "slurm.conf");
  writeFileSync(
    conf,
    [
      "ClusterName=cathodelab-test",
      `SlurmctldHost=${node}(127.0.0.1)`,
      "SlurmUser=root",
      "SlurmdUser=root",
      "AuthType=auth/munge",
      `AuthInfo=socket=${socket}`,
      `StateSaveLocation=${join(work, "state")}`,
      `SlurmdSpoolDir=${join(work, "spool")}`,
      `SlurmctldPidFile=${join(work, "slurmctld.pid")}`,
      `SlurmdPidFile=${join(work, "slurmd.pid")}`,
      `SlurmctldLogFile=${join(work, "log", "slurmctld.log")}`,
      `SlurmdLogFile=${join(work, "log", "slurmd.log")}`,
      `SlurmctldPort=${port}`,
      `SlurmdPort=${port + 1}`,
      "ProctrackType=proctrack/linuxproc",
      "TaskPlugin=task/none",
      "JobAcctGatherType=jobacct_gather/none",
      "AccountingStorageType=accounting_storage/none",
      "JobCompType=jobcomp/none",
      "SchedulerType=sched/builtin",
      "SelectType=select/cons_tres",
      "SelectTypeParameters=CR_Core",
      "ReturnToService=2",
      "MpiDefault=none",
      `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${availableParallelism()} State=UNKNOWN`,
      "PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
      "",
    ].join("\n"),
  );
  env = { ...process.env, SLURM_CONF: conf };
  must(sh("slurmctld", ["-f", conf], { env }), "slurmctld");
  must(sh("slurmd", ["-f", conf], { env }), "slurmd");
  await waitFor("the node to be idle", 60, () =>
    /idle/.test(sh("sinfo", ["-h", "-o", "%T"], { env }).stdout),
  );
  // each array task runs the built CLI (bin/cathodelab.js → dist/)
  must(
    sh(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
      cwd: ROOT,
      timeout: 300_000,
    }),
    "tsc build",
  );
});

after(async () => {
  if (!work) return;
  const pids = ["slurmd.pid", "slurmctld.pid", "munged.pid"].map((f) => killPidFile(join(work, f)));
  // the daemons write their state while they stop: wait for them before removing the folder
  await waitFor("the daemons to stop", 30, () => pids.every((pid) => !alive(pid)));
  rmSync(work, { recursive: true, force: true, maxRetries: 5 });
});

const SPEC = `command: simulate
args:
  protocol: "Charge at 1C until 4.1 V"
grid:
  material: [NMC532, NMC811]
  radius: [2um, 5um]
slurm:
  time: "00:10:00"
`;

function cli(args: string[]): SpawnSyncReturns<string> {
  return sh(process.execPath, [BIN, ...args], { env, cwd: work, timeout: 180_000 });
}

function queueEmpty(job: string): boolean {
  const r = sh("squeue", ["-h", "-j", job], { env });
  return r.status === 0 ? r.stdout.trim() === "" : /Invalid job id/i.test(r.stderr);
}

test("a SLURM job array: cancel one task, collect, resubmit it alone, and merge exactly as the local pool", async () => {
  const spec = join(work, "sweep.yaml");
  writeFileSync(spec, SPEC);

  const local = cli(["sweep", spec, "--out", "local", "--workers", "2"]);
  assert.equal(local.status, 0, local.stderr);

  const submitted = cli(["sweep", spec, "--out", "cluster", "--engine", "slurm", "--max-concurrent", "1"]);
  assert.equal(submitted.status, 0, submitted.stderr);
  const job = /submitted job (\d+): array 0-3 \(4 tasks\)/.exec(submitted.stdout)?.[1];
  assert.ok(job, submitted.stdout);
  const script = readFileSync(join(work, "cluster", "slurm", "sweep.sbatch"), "utf8");
  assert.match(script, /#SBATCH --time=00:10:00/);
  assert.match(script, /--task "\$SLURM_ARRAY_TASK_ID"/);
  // one task at a time: the last one is still pending, cancel it
  must(sh("scancel", [`${job}_3`], { env }), "scancel");
  await waitFor(`job ${job} to leave the queue`, 150, () => queueEmpty(job));

  const partial = cli(["sweep", spec, "--out", "cluster", "--collect"]);
  assert.equal(partial.status, 1, partial.stderr);
  assert.match(partial.stderr, /merged 3 of 4 tasks/);
  const lastLine = partial.stdout.trim().split("\n").at(-1) ?? "";
  // SLURM drops a cancelled, never-started array element from its records (scontrol lists the rest)
  assert.match(lastLine, /^t0003-\S+\s+pending\s+NOT_LISTED/);
  assert.match(partial.stdout, /^t0000-\S+\s+done\s+COMPLETED/m);

  const resubmitted = cli(["sweep", spec, "--out", "cluster", "--engine", "slurm", "--resubmit"]);
  assert.equal(resubmitted.status, 0, resubmitted.stderr);
  const job2 = /submitted job (\d+): array 3 \(1 tasks\)/.exec(resubmitted.stdout)?.[1];
  assert.ok(job2, resubmitted.stdout);
  await waitFor(`job ${job2} to finish`, 150, () => queueEmpty(job2));

  const done = cli(["sweep", spec, "--out", "cluster", "--collect"]);
  assert.equal(done.status, 0, `${done.stdout}\n${done.stderr}`);
  assert.match(done.stderr, /merged 4 of 4 tasks/);
  assert.equal(
    readFileSync(join(work, "cluster", "sweep.csv"), "utf8"),
    readFileSync(join(work, "local", "sweep.csv"), "utf8"),
    "SLURM and the local pool merged different tables",
  );
  assert.deepEqual(
    readFileSync(join(work, "cluster", "sweep.arrow")),
    readFileSync(join(work, "local", "sweep.arrow")),
  );
  // every array task logged to the sweep folder
  assert.ok(existsSync(join(work, "cluster", "slurm", `${job}_0.log`)));
});
