import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pittCurrentSeries } from "../../../src/analysis/pitt/index.js";
import { main } from "../../../src/cli/main.js";
import { GAS_CONSTANT, T_REF } from "../../../src/constants.js";
import { pittRecord, STEPS } from "./synthetic.js";

function context() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    ctx: {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => err.push(t),
      isTTY: false,
      cwd: process.cwd(),
    },
    out,
    err,
  };
}

test("cathodelab fit pitt: a synthetic sphere transient round-trips through a CSV file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cathodelab-pitt-"));
  try {
    const D = 1e-14;
    const B = 2;
    const R = 13.25e-6;
    const Q = 3e-9;
    const n = 400;
    const t = Float64Array.from({ length: n }, (_, i) => 1 * ((5 * R * R) / D) ** (i / (n - 1)));
    const I = pittCurrentSeries(t, { D, B, Q, radius: R });
    const file = join(dir, "step.csv");
    writeFileSync(file, `time/s,I/nA\n${Array.from(t, (v, i) => `${v},${I[i] * 1e9}`).join("\n")}\n`);
    const a = context();
    const out = join(dir, "fit");
    const code = await main(
      ["fit", "pitt", file, "--radius", "13.25um", "--dUdc", "2e-5", "--out", out, "--json"],
      a.ctx,
    );
    assert.equal(code, 0, a.err.join(""));
    const s = JSON.parse(a.out.join(""));
    // exact data written with ~16 digits: recovered to the LM tolerance
    assert.ok(Math.abs(s.D_m2_per_s.value / D - 1) < 1e-5);
    assert.ok(Math.abs(s.B.value / B - 1) < 1e-5);
    const i0 = (B * D * GAS_CONSTANT * T_REF) / (R * 2e-5);
    assert.ok(Math.abs(s.i0_A_per_m2.value / i0 - 1) < 1e-5);
    assert.equal(s.regime, "mixed");
    for (const f of ["params.json", "params.csv", "fit.csv", "pitt.svg"])
      assert.ok(existsSync(join(out, f)), f);
    assert.equal(readFileSync(join(out, "fit.csv"), "utf8").trim().split("\n").length, n + 1);
    // --dUdx with a material gives the same i0 as the equivalent --dUdc
    const b = context();
    assert.equal(
      await main(
        ["fit", "pitt", file, "--radius", "13.25um", "--dUdx", "1V", "--material", "NMC333", "--json"],
        b.ctx,
      ),
      0,
    );
    assert.ok(JSON.parse(b.out.join("")).i0_A_per_m2.value > 0);
    // bad input exits 2 with a message
    for (const argv of [
      ["fit", "pitt", file],
      ["fit", "pitt", file, "--radius", "13.25"],
      ["fit", "pitt", file, "--radius", "13.25um", "--charge", "lots"],
      ["fit", "pitt", file, "--radius", "13.25um", "--geometry", "cube"],
      ["fit", "pitt", join(dir, "missing.csv"), "--radius", "13.25um"],
      ["fit", "pitt", file, "--radius", "13.25um", "--out", out],
    ]) {
      const c = context();
      assert.equal(await main(argv, c.ctx), 2, argv.join(" "));
      assert.ok(c.err.join("").includes("error"));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("cathodelab fit pitt --steps: a whole record, one row per step", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cathodelab-pitt-steps-"));
  try {
    const { t, v, c } = pittRecord();
    const file = join(dir, "record.csv");
    writeFileSync(file, `time/s,I/A,Ewe/V\n${t.map((x, i) => `${x},${c[i]},${v[i]}`).join("\n")}\n`);
    const a = context();
    const out = join(dir, "steps");
    const code = await main(
      [
        "fit",
        "pitt",
        file,
        "--steps",
        "--radius",
        "5um",
        "--material",
        "NMC811",
        "--initial-x",
        "0.6",
        "--out",
        out,
        "--json",
      ],
      a.ctx,
    );
    assert.equal(code, 0, a.err.join(""));
    const s = JSON.parse(a.out.join(""));
    assert.equal(s.steps.length, STEPS.length);
    s.steps.forEach((row: { D_m2_per_s: number; B: number; dUdc_V_m3_per_mol: number }, k: number) => {
      // exact data through a CSV with full precision: LM tolerance
      assert.ok(Math.abs(row.D_m2_per_s / STEPS[k].D - 1) < 1e-5);
      assert.ok(Math.abs(row.B / STEPS[k].B - 1) < 1e-5);
      assert.ok(Math.abs(row.dUdc_V_m3_per_mol / STEPS[k].dUdc - 1) < 1e-5);
    });
    for (const f of ["steps.csv", "steps.json", "steps.svg"]) assert.ok(existsSync(join(out, f)), f);
    // no voltage column → exit 2
    const noV = join(dir, "noV.csv");
    writeFileSync(noV, `time/s,I/A\n${t.map((x, i) => `${x},${c[i]}`).join("\n")}\n`);
    const b = context();
    assert.equal(await main(["fit", "pitt", noV, "--steps", "--radius", "5um"], b.ctx), 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
