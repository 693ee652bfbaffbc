import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/errors.js";
import { flattenSummary, mergedCsv, mergeOutcomes, sweepFigures } from "../../src/sweep/merge.js";
import { arrayRange } from "../../src/sweep/node.js";
import { expandTasks, fnv1a64, parseSweepSpec, taskCount } from "../../src/sweep/spec.js";

const SPEC = `
command: simulate
args: { protocol: "Charge at 1C until 4.1 V" }
grid:
  material: [NMC532, NMC811]
  radius: [2um, 5um, 8um]
zip:
  shells: [10, 20]
  refinement: [1, 2]
`;

test("a grid expands to the product of its axes times the zip length, last grid axis fastest", () => {
  const spec = parseSweepSpec(SPEC, "s.yaml");
  assert.equal(taskCount(spec), 2 * 3 * 2);
  const tasks = expandTasks(spec);
  assert.equal(tasks.length, 12);
  assert.deepEqual(tasks[0].params, { material: "NMC532", radius: "2um", shells: 10, refinement: 1 });
  assert.deepEqual(tasks[1].params, { material: "NMC532", radius: "2um", shells: 20, refinement: 2 });
  assert.deepEqual(tasks[2].params, { material: "NMC532", radius: "5um", shells: 10, refinement: 1 });
  assert.deepEqual(tasks[11].params, { material: "NMC811", radius: "8um", shells: 20, refinement: 2 });
  assert.deepEqual(tasks[2].argv, [
    "--protocol",
    "Charge at 1C until 4.1 V",
    "--material",
    "NMC532",
    "--radius",
    "5um",
    "--shells",
    "10",
    "--refinement",
    "1",
  ]);
  // every combination once
  assert.equal(new Set(tasks.map((t) => JSON.stringify(t.params))).size, 12);
});

test("task ids are stable and change when the command line changes", () => {
  const a = expandTasks(parseSweepSpec(SPEC));
  const b = expandTasks(parseSweepSpec(SPEC));
  assert.deepEqual(
    a.map((t) => t.id),
    b.map((t) => t.id),
  );
  assert.match(a[7].id, /^t0007-[0-9a-f]{8}$/);
  const c = expandTasks(parseSweepSpec(SPEC.replace("4.1 V", "4.2 V")));
  assert.ok(a.every((t, i) => t.id !== c[i].id));
  // FNV-1a 64 of the empty string and of "a" (the published offset basis and test vector)
  assert.equal(fnv1a64(""), "cbf29ce484222325");
  assert.equal(fnv1a64("a"), "af63dc4c8601ec8c");
});

test("ranges: {from,to,step} inclusive, linspace and logspace; JSON specs too", () => {
  const spec = parseSweepSpec(
    JSON.stringify({
      command: "ratelimit",
      grid: { seed: { from: 1, to: 3 }, x: { linspace: [0, 1, 5] }, rate: { logspace: [0.01, 100, 5] } },
    }),
  );
  assert.deepEqual(spec.grid[0].values, [1, 2, 3]);
  assert.deepEqual(spec.grid[1].values, [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(spec.grid[2].values, [0.01, 0.1, 1, 10, 100]);
  assert.equal(taskCount(spec), 75);
});

test("bad specs: empty grid, unequal zip, unknown key, --out swept, over 10⁶ tasks without force", () => {
  const bad = (text: string, field: RegExp) =>
    assert.throws(
      () => expandTasks(parseSweepSpec(text, "bad.yaml"), { file: "bad.yaml" }),
      (e: unknown) => e instanceof InputError && field.test(e.message) && e.message.includes("bad.yaml"),
    );
  bad("command: simulate\ngrid: {}\n", /grid/);
  bad("command: simulate\ngrid: { radius: [] }\n", /grid\.radius/);
  bad("command: simulate\nzip: { radius: [1um, 2um], shells: [10] }\n", /zip/);
  bad("command: simulate\ngird: { radius: [1um] }\n", /gird/);
  bad("command: simulate\ngrid: { out: [a, b] }\n", /out/);
  bad("grid: { radius: [1um] }\n", /command/);
  bad("command: simulate\ngrid: { a: {from: 1, to: 1001}, b: {from: 1, to: 1001} }\n", /1002001 tasks/);
  // the same gate at a small limit: refused without force, expanded with it
  const spec = parseSweepSpec(SPEC);
  assert.throws(() => expandTasks(spec, { limit: 11 }), /12 tasks/);
  assert.equal(expandTasks(spec, { limit: 11, force: true }).length, 12);
});

test("merging: tidy rows in task order, dotted scalar columns, failed rows kept with their error", () => {
  const spec = parseSweepSpec("command: simulate\ngrid: { radius: [2um, 5um] }\n");
  const tasks = expandTasks(spec);
  const table = mergeOutcomes(spec, [
    { task: tasks[1], status: "failed", error: "error: radius out of range" },
    { task: tasks[0], status: "done", summary: { capacity: { mAh: 1.5 }, steps: [{ a: 1 }], v: [3, 4] } },
  ]);
  assert.deepEqual(table.columns, [
    "task",
    "index",
    "status",
    "radius",
    "error",
    "capacity.mAh",
    "v.0",
    "v.1",
  ]);
  assert.equal(table.rows[0].task, tasks[0].id);
  assert.equal(table.rows[1].status, "failed");
  const csv = mergedCsv(table);
  assert.equal(csv.split("\n")[2], `${tasks[1].id},1,failed,5um,error: radius out of range,,,`);
  assert.deepEqual(flattenSummary({ a: { b: [1, 2] }, c: "x", d: null }), { "a.b.0": 1, "a.b.1": 2, c: "x" });
  const figs = sweepFigures(spec, table);
  assert.equal(figs.length, 1);
  assert.equal(figs[0].name, "sweep_radius.svg");
  assert.match(figs[0].svg, /capacity\.mAh vs radius/);
});

test("SLURM array ranges compress consecutive indices", () => {
  assert.equal(arrayRange([0, 1, 2, 5, 7, 8]), "0-2,5,7-8");
  assert.equal(arrayRange([3]), "3");
  assert.equal(arrayRange([9, 8, 1]), "1,8-9");
});
