/**
 * Reruns are byte-identical (issue 13 §6): a command run twice with the same arguments into the
 * same --out path writes the same files with the same bytes — tables, JSON, SVG and PNG figures,
 * HTML reports. Wall-clock times live only in timing.json (compared for its keys, not values).
 * Each command runs, its folder is moved aside, and it runs again into the same path.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "../helpers/cli.js";

/** Every file under dir (relative paths, sorted) with its bytes. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** Run `argv` (ending in --out PATH) twice into PATH; return both trees. */
async function twice(argv: string[], out: string): Promise<[Map<string, Buffer>, Map<string, Buffer>]> {
  const first = await runCli(...argv);
  assert.equal(first.code, 0, first.err);
  const a = tree(out);
  renameSync(out, `${out}-first`);
  const second = await runCli(...argv);
  assert.equal(second.code, 0, second.err);
  return [a, tree(out)];
}

function assertIdentical(a: Map<string, Buffer>, b: Map<string, Buffer>, what: string): void {
  assert.deepEqual([...b.keys()], [...a.keys()], `${what}: same file names`);
  assert.ok(a.size > 0);
  for (const [name, bytes] of a) {
    if (name === "timing.json") {
      // wall times differ between runs; only the keys are fixed
      assert.deepEqual(Object.keys(JSON.parse(String(b.get(name)))), Object.keys(JSON.parse(String(bytes))));
      continue;
    }
    assert.ok(bytes.equals(b.get(name) as Buffer), `${what}: ${name} differs between two runs`);
  }
  for (const [name, bytes] of a) {
    if (/summary\.json$|sweep\.csv$/.test(name))
      assert.ok(!/wall|elapsed|seconds_run/i.test(String(bytes)), name);
  }
}

test("simulate, fit eis, study, tomo analyze, electrode (single and sweep): two runs give byte-identical folders", async () => {
  const tmp = tempDir();
  try {
    const p = (n: string) => join(tmp.path, n);
    const sim = await twice(
      [
        "simulate",
        "--material",
        "NMC811",
        "--radius",
        "3um",
        "--protocol",
        "Charge at 2C until 4.1 V; Rest for 5 min",
        "--out",
        p("sim"),
      ],
      p("sim"),
    );
    assertIdentical(...sim, "simulate");
    assert.ok(sim[0].has("voltage.png"), "PNG beside the SVG");
    const eis = await twice(
      [
        "fit",
        "eis",
        join(process.cwd(), "test/data/impedancepy__exampleData.csv"),
        "--circuit",
        "R0-p(R1,C1)-p(R2-Wo1,C2)",
        "--guess",
        "0.01,0.01,100,0.01,0.05,100,1",
        "--out",
        p("eis"),
      ],
      p("eis"),
    );
    assertIdentical(...eis, "fit eis");
    const study = await twice(
      ["study", "--material", "NMC111", "--radius", "5um", "--cutoffs", "3.9,4.1", "--out", p("study")],
      p("study"),
    );
    assertIdentical(...study, "study");
    assert.ok(study[0].has("report.html") && study[0].has("nyquist.png"));
    // the report inlines every figure: one distinct clip-path id per chart
    const ids = [...String(study[0].get("report.html")).matchAll(/<clipPath id="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(ids.length >= 6, `${ids.length} charts in the study report`);
    assert.equal(new Set(ids).size, ids.length, "unique clip-path ids in report.html");
    const synth = await runCli(
      "tomo",
      "synth",
      "--shape",
      "48,64,64",
      "--particles",
      "3",
      "--seed",
      "3",
      "--out",
      p("synth"),
    );
    assert.equal(synth.code, 0, synth.err);
    const tomo = await twice(
      ["tomo", "analyze", join(p("synth"), "volume.tif"), "--out", p("tomo")],
      p("tomo"),
    );
    assertIdentical(...tomo, "tomo analyze");
    const electrode = await twice(
      [
        "electrode",
        "--particles",
        "20",
        "--dim",
        "2",
        "--protocol",
        "Charge at 1C until 4.2 V",
        "--out",
        p("el"),
      ],
      p("el"),
    );
    assertIdentical(...electrode, "electrode");
    assert.ok(electrode[0].has("timing.json"), "the wall time has its own file");
    // a sweep on worker threads: sweep.csv/sweep.json without wall times
    const sweep = await twice(
      [
        "electrode",
        "--particles",
        "20",
        "--dim",
        "2",
        "--protocol",
        "Charge at 1C until 4.2 V",
        "--sweep",
        "coverage=0.3,0.6",
        "--workers",
        "2",
        "--out",
        p("sweep"),
      ],
      p("sweep"),
    );
    assertIdentical(...sweep, "electrode --sweep");
    assert.deepEqual(Object.keys(JSON.parse(String(sweep[0].get("timing.json")))), ["key", "wall_s"]);
  } finally {
    tmp.cleanup();
  }
});
