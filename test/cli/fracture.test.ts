import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "../helpers/cli.js";

const small = [
  "--material",
  "NMC811",
  "--dim",
  "2",
  "--grains",
  "20",
  "--diameter",
  "14um",
  "--cells",
  "32",
  "--steps",
  "6",
  "--seed",
  "1",
];

test("fracture writes steps, summary, figures and a VTI file; clamped shell, nodal damage and cap are recorded", async () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.path, "frac");
    const r = await runCli(
      "fracture",
      ...small,
      "--binder-shell",
      "20um",
      "--shell-outer",
      "clamped",
      "--damage-on",
      "nodes",
      "--max-staggered",
      "6",
      "--protocol",
      "Charge at C/50 until 4.5 V; Hold at 4.5 V until C/100",
      "--out",
      out,
    );
    assert.equal(r.code, 0, r.err);
    const files = readdirSync(out).sort();
    for (const f of [
      "damage.png",
      "damage_vs_voltage.svg",
      "fields.vti",
      "steps.csv",
      "stress.png",
      "summary.json",
      "damage_4.0V.png",
      "damage_4.2V.png",
      "damage_4.5V.png",
      "stress_4.0V.png",
      "stress_4.5V.png",
      "radial_damage.csv",
      "radial_damage.svg",
    ])
      assert.ok(files.includes(f), `${f} missing from ${files}`);
    const csv = readFileSync(join(out, "steps.csv"), "utf8").trim().split("\n");
    assert.equal(csv.length, 7); // header + 6 load steps
    assert.ok(!/NaN|Infinity/.test(csv.join("\n")));
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    assert.equal(summary.shellOuter, "clamped");
    assert.equal(summary.damageOn, "nodes");
    assert.equal(summary.maxStaggered, 6);
    assert.ok(Math.abs(summary.cutoff_V - 4.5) < 1e-12);
    // the whole protocol ran on the particle model: terminal voltage at the end of the hold
    assert.match(summary.note, /particle model/);
    assert.ok(Math.abs(summary.final.voltage - 4.5) < 1e-3, `${summary.final.voltage} V`);
    assert.match(csv[0], /centre_x.*surface_x.*time_s/);
    assert.ok(summary.activeAreaFactor >= 1 && summary.isolatedFraction >= 0);
    // seed-001 default geometry: a 20 µm shell around the 14 µm particle
    assert.ok(Math.abs(summary.binderShellDiameter_m - 20e-6) < 1e-12);
  } finally {
    tmp.cleanup();
  }
});

test("fracture --lattice-table replaces a(x), c(x): an isotropic table gives no damage; bad tables exit 2", async () => {
  const tmp = tempDir();
  try {
    const iso = join(tmp.path, "iso.csv");
    // a and c shrink alike by 5 % from x = 1 to 0: a uniform isotropic eigenstrain, no stress
    writeFileSync(iso, "# source: test (isotropic)\nx,a_angstrom,c_angstrom\n0,2.7284,13.49\n1,2.872,14.2\n");
    // bare particle: the default binder shell carries no eigenstrain and would resist the contraction
    const r = await runCli(
      "fracture",
      ...small,
      "--binder-shell",
      "none",
      "--cutoff",
      "4.5V",
      "--lattice-table",
      iso,
      "--json",
    );
    assert.equal(r.code, 0, r.err);
    const summary = JSON.parse(r.out);
    assert.equal(summary.latticeSource, "test (isotropic)");
    assert.equal(summary.binderShellDiameter_m, null);
    assert.ok(summary.final.meanDamage < 1e-5, `${summary.final.meanDamage}`);
    const bad = join(tmp.path, "bad.csv");
    writeFileSync(bad, "# source: x\nx,a_angstrom,c_angstrom\n0,2.7,oops\n");
    const b = await runCli("fracture", ...small, "--cutoff", "4.5V", "--lattice-table", bad);
    assert.equal(b.code, 2);
    assert.match(b.err, /bad\.csv.*3|line 3/s);
    const nosrc = join(tmp.path, "nosrc.csv");
    writeFileSync(nosrc, "x,a_angstrom,c_angstrom\n0,2.7,13\n1,2.8,14\n");
    const c = await runCli("fracture", ...small, "--cutoff", "4.5V", "--lattice-table", nosrc);
    assert.equal(c.code, 2);
    assert.match(c.err, /source/);
  } finally {
    tmp.cleanup();
  }
});

test("fracture: bad input names the option, exits 2 and writes nothing", async () => {
  const tmp = tempDir();
  try {
    const cases: [string[], RegExp][] = [
      [
        ["--shell-outer", "glued", "--binder-shell", "20um", "--cutoff", "4.5V"],
        /--shell-outer.*free or clamped/,
      ],
      [
        ["--shell-outer", "clamped", "--binder-shell", "none", "--cutoff", "4.5V"],
        /--shell-outer.*--binder-shell/,
      ],
      [["--split", "spectral", "--cutoff", "4.5V"], /--split/],
      [["--binder-shell", "10um", "--cutoff", "4.5V"], /--binder-shell/],
      [["--cutoff", "9V"], /cut-?off|--cutoff/i],
      [["--max-staggered", "0", "--cutoff", "4.5V"], /--max-staggered.*integer from 1/],
      [["--damage-on", "edges", "--cutoff", "4.5V"], /--damage-on.*cells or nodes/],
      [["--protocol", "Charge at C/10 until 4.5 V; Rest for 1 h"], /--protocol.*rest/],
      [["--protocol", "Discharge at C/10 until 3 V"], /no charge step|discharge/],
    ];
    for (const [extra, message] of cases) {
      const out = join(tmp.path, `bad${extra.join("").replace(/\W/g, "")}`);
      const r = await runCli("fracture", ...small, ...extra, "--out", out);
      assert.equal(r.code, 2, `${extra.join(" ")}: ${r.err}`);
      assert.match(r.err, message);
      assert.ok(!existsSync(out), `${out} was created`);
    }
  } finally {
    tmp.cleanup();
  }
});
