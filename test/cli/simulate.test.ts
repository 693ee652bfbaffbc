import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "../helpers/cli.js";

test("simulate writes the time series, step table, summary and figure", async () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.path, "run");
    const r = await runCli(
      "simulate",
      "--material",
      "NMC811",
      "--radius",
      "5.22um",
      "--initial-x",
      "0.5",
      "--protocol",
      "Discharge at 1C until 3.6 V; Rest for 30 min",
      "--out",
      out,
    );
    assert.equal(r.code, 0, r.err);
    // every SVG figure has its PNG beside it (report/png-node); dot files are bookkeeping
    assert.deepEqual(
      readdirSync(out)
        .filter((f) => !f.startsWith("."))
        .sort(),
      ["steps.csv", "summary.json", "timeseries.csv", "voltage.png", "voltage.svg"],
    );
    const csv = readFileSync(join(out, "timeseries.csv"), "utf8").trim().split("\n");
    assert.equal(csv[0], "time_s,current_A,voltage_V,x_surface,x_mean,step");
    assert.ok(csv.length > 20);
    assert.ok(!/NaN|Infinity/.test(csv.join("\n")));
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    assert.equal(summary.material, "NMC811");
    assert.equal(summary.steps.length, 2);
    assert.equal(summary.steps[0].reason, "voltage");
    assert.ok(Math.abs(summary.steps[0].endVoltage - 3.6) < 1e-4);
    assert.equal(summary.steps[1].reason, "time");
    // refuse to overwrite without --force
    const again = await runCli(
      "simulate",
      "--material",
      "NMC811",
      "--radius",
      "5um",
      "--protocol",
      "Rest for 1 h",
      "--out",
      out,
    );
    assert.equal(again.code, 2);
    assert.match(again.err, /not empty/);
  } finally {
    tmp.cleanup();
  }
});

test("simulate reads protocol files in text, JSON and YAML and prints JSON", async () => {
  const tmp = tempDir();
  try {
    const txt = join(tmp.path, "p.txt");
    writeFileSync(txt, "# a comment\nCharge at C/10 until 4.0 V\nRest for 10 min\n");
    const json = join(tmp.path, "p.json");
    writeFileSync(
      json,
      JSON.stringify({
        steps: [
          {
            type: "cc",
            direction: "charge",
            current: { cRate: 0.1 },
            until: [{ kind: "voltage", voltage: 4.0 }],
          },
        ],
      }),
    );
    for (const file of [txt, json]) {
      const r = await runCli(
        "simulate",
        "--material",
        "NMC532",
        "--radius",
        "5um",
        "--protocol-file",
        file,
        "--json",
      );
      assert.equal(r.code, 0, r.err);
      const s = JSON.parse(r.out);
      assert.ok(Math.abs(s.steps[0].endVoltage - 4.0) < 1e-4);
    }
  } finally {
    tmp.cleanup();
  }
});

test("simulate: bad input gives exit code 2, a message naming the problem, and writes nothing", async () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.path, "never");
    const cases: [string[], RegExp][] = [
      [
        ["--material", "NMC999", "--radius", "5um", "--protocol", "Rest for 1 h"],
        /unknown material "NMC999".*NMC811/,
      ],
      [
        ["--material", "NMC811", "--radius", "-5um", "--protocol", "Rest for 1 h"],
        /--radius.*out of range.*1 nm to 1 mm/,
      ],
      [["--material", "NMC811", "--radius", "5", "--protocol", "Rest for 1 h"], /--radius.*no unit/],
      [
        ["--material", "NMC811", "--radius", "5um", "--protocol", "Charge at C/20 until 5.6 V"],
        /5\.6 V is outside/,
      ],
      [["--material", "NMC811", "--radius", "5um", "--protocol", "Charge at C/20 untl 4.2 V"], /column 16/],
      [["--material", "NMC811", "--radius", "5um", "--protocol", "Rest"], /can never end/],
      [
        ["--material", "NMC811", "--radius", "5um", "--protocol-file", join(tmp.path, "missing.txt")],
        /cannot read/,
      ],
      [["--material", "NMC811", "--radius", "5um"], /missing protocol/],
      [
        ["--material", "NMC811", "--radius", "5um", "--protocol", "Rest for 1 h", "--shells", "1"],
        /--shells/,
      ],
    ];
    for (const [args, pattern] of cases) {
      const r = await runCli("simulate", ...args, "--out", out);
      assert.equal(r.code, 2, `${args.join(" ")} → ${r.code} ${r.err}`);
      assert.match(r.err, pattern);
      assert.ok(!existsSync(out), "nothing written");
      assert.ok(!readdirSync(tmp.path).some((f) => f.includes("partial")), "no staging folder left");
    }
  } finally {
    tmp.cleanup();
  }
});

test("cathodelab with no or unknown command: usage and exit 2; --help exits 0", async () => {
  assert.equal((await runCli()).code, 2);
  const unknown = await runCli("frobnicate");
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown command/);
  const help = await runCli("--help");
  assert.equal(help.code, 0);
  assert.match(help.out, /simulate/);
  const sub = await runCli("simulate", "--help");
  assert.equal(sub.code, 0);
  assert.match(sub.out, /--radius/);
});
