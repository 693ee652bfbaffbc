/**
 * Nothing lost, nothing silently wrong (issue 13 §3-4): --force replaces only folders that
 * cathodelab wrote, numeric options are range-checked, solver failures are one line with exit
 * code 1, an applied current far beyond the particle is refused with its step, round-off prints
 * as 0, a multi-spectrum fit names its spectrum, and each analysis refuses input of another kind.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { COMMANDS } from "../../src/cli/registry.js";
import { ConvergenceError } from "../../src/errors.js";
import { OUTPUT_MARKER } from "../../src/io/output-dir.js";
import { runCli, tempDir } from "../helpers/cli.js";

const EXAMPLES = join(import.meta.dirname, "../../examples");

test("--force refuses the working directory, its parents, folders holding an input and foreign folders", async () => {
  const tmp = tempDir();
  const cwd = process.cwd();
  try {
    // a user folder with data and an input volume inside it
    const data = join(tmp.path, "data");
    mkdirSync(data);
    const synth = await runCli(
      "tomo",
      "synth",
      "--out",
      join(tmp.path, "s"),
      "--shape",
      "48,64,64",
      "--particles",
      "3",
    );
    assert.equal(synth.code, 0, synth.err);
    writeFileSync(join(data, "volume.tif"), readFileSync(join(tmp.path, "s", "volume.tif")));
    writeFileSync(join(data, "notes.txt"), "mine\n");
    const before = readdirSync(data).sort();

    // the folder holding the input
    const r1 = await runCli(
      "tomo",
      "analyze",
      join(data, "volume.tif"),
      "--voxel",
      "1um",
      "--out",
      data,
      "--force",
    );
    assert.equal(r1.code, 2);
    assert.match(r1.err, /holds the input/);
    assert.deepEqual(readdirSync(data).sort(), before);

    // the working directory and a parent of it
    process.chdir(data);
    const r2 = await runCli(
      "simulate",
      "--material",
      "NMC811",
      "--radius",
      "5um",
      "--protocol",
      "Rest for 1 min",
      "--out",
      ".",
      "--force",
    );
    assert.equal(r2.code, 2);
    assert.match(r2.err, /current directory/);
    const r3 = await runCli(
      "tomo",
      "synth",
      "--out",
      "..",
      "--force",
      "--shape",
      "48,64,64",
      "--particles",
      "3",
    );
    assert.equal(r3.code, 2);
    assert.match(r3.err, /contains the current directory/);
    process.chdir(cwd);
    assert.deepEqual(readdirSync(data).sort(), before);

    // a non-empty folder cathodelab did not write
    const foreign = join(tmp.path, "foreign");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "thesis.tex"), "\\documentclass{article}\n");
    const r4 = await runCli(
      "tomo",
      "synth",
      "--out",
      foreign,
      "--force",
      "--shape",
      "48,64,64",
      "--particles",
      "3",
    );
    assert.equal(r4.code, 2);
    assert.match(r4.err, /not written by cathodelab/);
    assert.deepEqual(readdirSync(foreign), ["thesis.tex"]);

    // a folder cathodelab wrote is replaced with --force (and has the marker)
    assert.ok(existsSync(join(tmp.path, "s", OUTPUT_MARKER)));
    const r5 = await runCli(
      "tomo",
      "synth",
      "--out",
      join(tmp.path, "s"),
      "--force",
      "--shape",
      "48,64,64",
      "--particles",
      "3",
    );
    assert.equal(r5.code, 0, r5.err);
    assert.ok(existsSync(join(tmp.path, "s", OUTPUT_MARKER)));
    // no staging folders left behind by the refusals
    assert.deepEqual(
      readdirSync(tmp.path).filter((f) => f.includes("partial")),
      [],
    );
  } finally {
    process.chdir(cwd);
    tmp.cleanup();
  }
});

test("numeric options are range-checked with physical bounds (no hang, exit 2, the bound named)", async () => {
  const base = ["simulate", "--material", "NMC333", "--protocol", "Charge at C/2 until 4.1 V"];
  const cases: [string[], RegExp][] = [
    [[...base, "--radius", "1e-20m"], /--radius.*out of range.*1 nm to 1 mm/],
    [[...base, "--radius", "2mm"], /--radius.*1 nm to 1 mm/],
    [[...base, "--radius", "13um", "--max-step", "0s"], /--max-step.*1 ms to 1 year/],
    [[...base, "--radius", "13um", "--shells", "1e9"], /--shells.*integer from 2 to 2000/],
    [[...base, "--radius", "13um", "--temperature", "5000K"], /--temperature.*150 K to 600 K/],
    [[...base, "--radius", "13um", "--initial-x", "1.5"], /--initial-x.*from 0 to 1/],
    [[...base, "--radius", "13um", "--refinement", "abc"], /--refinement.*not a number/],
    [
      ["fit", "eis", join(EXAMPLES, "eis.csv"), "--circuit", "R0-p(R1,C1)", "--multistart", "1e12"],
      /--multistart.*0 to 1000/,
    ],
    [
      ["fit", "eis", join(EXAMPLES, "eis.csv"), "--circuit", "R0-p(R1,C1)", "--temperature", "-300K"],
      /--temperature/,
    ],
    [["tomo", "synth", "--out", "never", "--particles", "0"], /--particles.*1 to 1000/],
    [["fit", "pitt", join(EXAMPLES, "pitt-transient.csv"), "--radius", "1e-20m"], /--radius.*1 nm to 1 mm/],
    [["fit", "gitt", join(EXAMPLES, "gitt.mpt"), "--radius", "5m"], /--radius.*1 nm to 1 mm/],
    [["kk", join(EXAMPLES, "eis.csv"), "--max-m", "1e9"], /--max-m.*1 to 1000/],
    [["ratelimit", "--material", "NMC333", "--diameter", "1e-12m"], /--diameter.*2 nm to 2 mm/],
    [
      ["ratelimit", "--material", "NMC333", "--radius", "5um", "--temperature", "1e6K"],
      /--temperature.*150 K/,
    ],
  ];
  for (const [argv, pattern] of cases) {
    const started = performance.now();
    const r = await runCli(...argv);
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.err}`);
    assert.match(r.err, pattern);
    assert.ok(performance.now() - started < 10_000, `${argv.join(" ")} took too long`);
  }
  assert.equal(existsSync("never"), false);
  // the bounds themselves are accepted (1 nm and 1 mm particles simulate)
  for (const radius of ["1nm", "1mm"]) {
    const r = await runCli(...base, "--radius", radius, "--json");
    assert.equal(r.code, 0, r.err);
    assert.ok(JSON.parse(r.out).steps.length === 1);
  }
});

test("a solver failure is one line with exit code 1, no stack trace", async () => {
  const name = "test-convergence-failure";
  COMMANDS.push({
    name,
    summary: "throws a ConvergenceError",
    load: async () => ({
      name,
      summary: "",
      help: `Usage: cathodelab ${name}`,
      async run() {
        throw new ConvergenceError("particle step failed at t = 12 s (h = 1e-12 s)", {
          step: 3,
          residual: 1.234567e-3,
        });
      },
    }),
  });
  try {
    const r = await runCli(name);
    assert.equal(r.code, 1);
    assert.equal(r.err.trim().split("\n").length, 1, r.err);
    assert.match(
      r.err,
      /^failed: the solver did not converge: particle step failed at t = 12 s \(h = 1e-12 s\) \(step=3, residual=0\.001235\)/,
    );
    assert.doesNotMatch(r.err, /\bat .*:\d+:\d+/);
  } finally {
    COMMANDS.splice(
      COMMANDS.findIndex((c) => c.name === name),
      1,
    );
  }
});

test("simulate: amperes on one particle are refused with the step and the C-rate; round-off prints as 0", async () => {
  const r = await runCli(
    "simulate",
    "--material",
    "NMC333",
    "--radius",
    "13.25um",
    "--protocol",
    "Rest for 1 min\nCharge at 1 A until 4.1 V",
  );
  assert.equal(r.code, 2);
  // a 13.25 µm NMC333 sphere holds 10.689 nAh = 3.848e-5 C, so 1 A is 3600/3.848e-5 = 9.36e7 C
  assert.match(r.err, /line 2/);
  assert.match(r.err, /"Charge at 1 A until 4\.1 V"/);
  assert.match(r.err, /9\.36e\+7C/);
  assert.match(r.err, /50C/);

  const charge = await runCli(
    "simulate",
    "--material",
    "NMC333",
    "--radius",
    "13.25um",
    "--protocol",
    "Charge at C/2 until 4.1 V; Rest for 10 min",
  );
  assert.equal(charge.code, 0, charge.err);
  assert.match(charge.out, /discharge capacity: 0\.0000 nAh/);
  const json = await runCli(
    "simulate",
    "--material",
    "NMC333",
    "--radius",
    "13.25um",
    "--json",
    "--protocol",
    "Charge at C/2 until 4.1 V; Rest for 10 min",
  );
  assert.equal(JSON.parse(json.out).dischargeCapacity.C, 0);
});

test("fit eis on a multi-spectrum file says on stderr which spectrum it fitted", async () => {
  const tmp = tempDir();
  try {
    // two spectra of one R-RC circuit (R0 = 10, R1 = 100, C1 = 1e-3 and R1 = 200) in one EC-Lab file
    const rows: string[] = [];
    for (const [loop, r1] of [
      [0, 100],
      [1, 200],
    ]) {
      for (let k = 0; k < 21; k++) {
        const f = 10 ** (4 - (k * 6) / 20);
        const w = 2 * Math.PI * f;
        const d = 1 + (w * r1 * 1e-3) ** 2;
        rows.push(`${f}\t${10 + r1 / d}\t${(w * r1 * r1 * 1e-3) / d}\t${loop}`);
      }
    }
    const file = join(tmp.path, "two.mpt");
    const header = [
      "EC-Lab ASCII FILE",
      "Nb header lines : 6",
      "",
      "Potentio Electrochemical Impedance Spectroscopy",
      "Number of loops : 2",
      "freq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\tcycle number",
    ];
    // loops declared in the header
    header.splice(5, 0, "Loop 0 from point number 0 to 20", "Loop 1 from point number 21 to 41");
    header[1] = `Nb header lines : ${header.length}`;
    writeFileSync(file, `${[...header, ...rows].join("\n")}\n`);
    const r = await runCli("fit", "eis", file, "--circuit", "R0-p(R1,C1)", "--spectrum", "2", "--json");
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /holds 2 spectra; fitting spectrum 2/);
    const fitted = JSON.parse(r.out);
    const text = JSON.stringify(fitted);
    assert.match(text, /R1/);
  } finally {
    tmp.cleanup();
  }
});

test("each analysis refuses input of another kind (exit 2, what it needs)", async () => {
  const eis = join(EXAMPLES, "eis.csv");
  const gitt = join(EXAMPLES, "gitt.mpt");
  const pitt = join(EXAMPLES, "pitt-transient.csv");
  const cases: [string[], RegExp][] = [
    // impedance.py's headerless f, Re Z, Im Z table, which the CSV reader takes as time, current
    [
      [
        "fit",
        "pitt",
        join(import.meta.dirname, "../data/impedancepy__exampleData.csv"),
        "--radius",
        "13.25um",
      ],
      /do not look like a PITT transient/,
    ],
    [["fit", "pitt", gitt, "--radius", "5um"], /single PITT transient.*rises again/],
    [["fit", "gitt", pitt, "--radius", "5um"], /no pulse/],
    [["fit", "gitt", eis, "--radius", "5um"], /time|current|pulse/],
    [["fit", "eis", gitt, "--circuit", "R0-p(R1,C1)"], /frequency column/],
    [["fit", "eis", pitt, "--circuit", "R0-p(R1,C1)"], /frequency column/],
  ];
  for (const [argv, pattern] of cases) {
    const r = await runCli(...argv);
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.out}${r.err}`);
    assert.match(r.err, pattern, argv.join(" "));
  }
});
