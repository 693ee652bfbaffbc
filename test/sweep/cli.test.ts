/**
 * `cathodelab sweep` on the local worker pool: a 2×2 grid of single-particle charges, resumed,
 * retried, merged byte-identically, and the bad inputs of issue 18 (exit 2, nothing lost).
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tableFromIPC } from "apache-arrow";
import { runCli, tempDir } from "../helpers/cli.js";

const SPEC = `command: simulate
args:
  protocol: "Charge at 1C until 4.1 V"
grid:
  material: [NMC532, NMC811]
  radius: [2um, 5um]
`;

function taskDirs(out: string): string[] {
  return readdirSync(join(out, "tasks")).sort();
}

test("a 2×2 sweep runs on the pool, merges one row per task, and a rerun changes nothing", async () => {
  const dir = tempDir();
  try {
    const spec = join(dir.path, "sweep.yaml");
    writeFileSync(spec, SPEC);
    const out = join(dir.path, "out");
    const dry = await runCli("sweep", spec, "--out", out, "--dry-run");
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /4 tasks of `cathodelab simulate`/);
    assert.ok(!existsSync(join(out, "tasks")), "--dry-run wrote task folders");

    const first = await runCli("sweep", spec, "--out", out, "--workers", "2");
    assert.equal(first.code, 0, first.err);
    assert.match(first.err, /4 of 4 tasks done \(4 run now, 0 already finished\)/);
    const csv = readFileSync(join(out, "sweep.csv"), "utf8");
    const lines = csv.trim().split("\n");
    assert.equal(lines.length, 5);
    const header = lines[0].split(",");
    assert.deepEqual(header.slice(0, 6), ["task", "index", "status", "material", "radius", "error"]);
    const cap = header.indexOf("chargeCapacity.mAh");
    const nominal = header.indexOf("nominalCapacity.mAh");
    assert.ok(cap > 0 && nominal > 0);
    for (const line of lines.slice(1)) {
      const cells = line.split(",");
      assert.equal(cells[2], "done");
      // a 1C charge to 4.1 V passes a part of the nominal capacity, never more
      const ratio = Number(cells[cap]) / Number(cells[nominal]);
      assert.ok(ratio > 0.3 && ratio < 1, `${cells[0]}: charge/nominal = ${ratio}`);
    }
    // capacity scales with volume: R = 5 µm vs 2 µm → (5/2)³ = 15.6 for the nominal capacity
    const rows = lines.slice(1).map((l) => l.split(","));
    assert.ok(Math.abs(Number(rows[1][nominal]) / Number(rows[0][nominal]) - 15.625) < 1e-6);
    // the Arrow file holds the same table
    const arrow = tableFromIPC(readFileSync(join(out, "sweep.arrow")));
    assert.equal(arrow.numRows, 4);
    assert.equal(arrow.getChild("material")?.get(2), "NMC811");
    assert.equal(arrow.getChild("chargeCapacity.mAh")?.get(3), Number(rows[3][cap]));
    assert.ok(existsSync(join(out, "sweep_radius.svg")) && existsSync(join(out, "sweep_material.svg")));

    const second = await runCli("sweep", spec, "--out", out);
    assert.equal(second.code, 0, second.err);
    assert.match(second.err, /0 run now, 4 already finished/);
    assert.equal(readFileSync(join(out, "sweep.csv"), "utf8"), csv, "a rerun changed sweep.csv");

    // an interrupted sweep: one task lost its record → only that task runs again, same bytes
    const [, second_] = taskDirs(out);
    rmSync(join(out, "tasks", second_, "done.json"));
    const third = await runCli("sweep", spec, "--out", out);
    assert.match(third.err, /1 run now, 3 already finished/);
    assert.equal(readFileSync(join(out, "sweep.csv"), "utf8"), csv);
  } finally {
    dir.cleanup();
  }
});

test("one failing task is reported with its id, the others finish, and a rerun retries only it", async () => {
  const dir = tempDir();
  try {
    const spec = join(dir.path, "sweep.yaml");
    // -5um is refused by simulate (exit 2 inside the task): that task fails, the other runs
    writeFileSync(spec, SPEC.replace("[2um, 5um]", "[2um, -5um]").replace("[NMC532, NMC811]", "[NMC532]"));
    const out = join(dir.path, "out");
    const r = await runCli("sweep", spec, "--out", out, "--workers", "2");
    assert.equal(r.code, 1);
    const [okId, badId] = taskDirs(out);
    assert.match(r.err, new RegExp(`task ${badId} failed: .*radius`));
    assert.match(r.err, new RegExp(`failed: ${badId}`));
    assert.ok(existsSync(join(out, "tasks", okId, "done.json")));
    assert.ok(existsSync(join(out, "tasks", badId, "failed.json")));
    const csv = readFileSync(join(out, "sweep.csv"), "utf8").trim().split("\n");
    assert.match(csv[1], /,done,/);
    assert.match(csv[2], /,failed,NMC532,-5um,.*radius/);
    const again = await runCli("sweep", spec, "--out", out);
    assert.equal(again.code, 1);
    assert.match(again.err, /1 run now, 1 already finished/);
  } finally {
    dir.cleanup();
  }
});

test("bad input: unknown parameter, empty grid, too many tasks, missing sbatch, edited task folder — exit 2", async () => {
  const dir = tempDir();
  try {
    const write = (name: string, text: string) => {
      const p = join(dir.path, name);
      writeFileSync(p, text);
      return p;
    };
    const out = join(dir.path, "out");
    const unknown = await runCli(
      "sweep",
      write("a.yaml", "command: simulate\ngrid: { radios: [1um] }\n"),
      "--out",
      out,
    );
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /"radios" is not an option of `cathodelab simulate`/);
    const empty = await runCli("sweep", write("b.yaml", "command: simulate\ngrid: {}\n"), "--out", out);
    assert.equal(empty.code, 2);
    assert.match(empty.err, /grid is empty/);
    const huge = await runCli(
      "sweep",
      write(
        "c.yaml",
        "command: simulate\ngrid: { radius: {from: 1, to: 1001}, shells: {from: 1, to: 1000} }\n",
      ),
      "--out",
      out,
    );
    assert.equal(huge.code, 2);
    assert.match(huge.err, /1001000 tasks.*--force/);
    assert.ok(!existsSync(out), "a refused sweep wrote its folder");

    const spec = write("d.yaml", SPEC);
    const noSbatch = await (async () => {
      const path = process.env.PATH;
      process.env.PATH = "/nonexistent";
      try {
        return await runCli("sweep", spec, "--out", out, "--engine", "slurm");
      } finally {
        process.env.PATH = path;
      }
    })();
    assert.equal(noSbatch.code, 2);
    assert.match(noSbatch.err, /sbatch is not on PATH/);

    // a finished task whose record was edited by hand is refused, and nothing is deleted
    const small = write(
      "e.yaml",
      SPEC.replace("[NMC532, NMC811]", "[NMC532]").replace("[2um, 5um]", "[2um]"),
    );
    assert.equal((await runCli("sweep", small, "--out", out)).code, 0);
    const [id] = taskDirs(out);
    const record = join(out, "tasks", id, "done.json");
    writeFileSync(record, readFileSync(record, "utf8").replace(/"inputHash": "/, '"inputHash": "0'));
    const edited = await runCli("sweep", small, "--out", out);
    assert.equal(edited.code, 2);
    assert.match(edited.err, new RegExp(`task ${id}: its record names input`));
    assert.ok(
      existsSync(join(out, "tasks", id, "result", "summary.json")),
      "the task's results were deleted",
    );
  } finally {
    dir.cleanup();
  }
});
