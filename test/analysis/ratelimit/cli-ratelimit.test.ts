import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { diffusionLimitedCRate } from "../../../src/analysis/ratelimit/index.js";
import { main } from "../../../src/cli/main.js";

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

test("cathodelab ratelimit: tables, radius scaling, files; bad input exits 2", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cathodelab-rl-"));
  try {
    const a = context();
    const out = join(dir, "rl");
    const code = await main(
      ["ratelimit", "--material", "NMC333", "--diameter", "10um", "--points", "5", "--out", out, "--json"],
      a.ctx,
    );
    assert.equal(code, 0, a.err.join(""));
    const s = JSON.parse(a.out.join(""));
    assert.equal(s.rows.length, 5);
    assert.ok(Math.abs(s.radius_m / 5e-6 - 1) < 1e-15); // 10 um × 1e-6 / 2 in floating point
    for (const r of s.rows) {
      assert.ok(Math.abs(r.C_D_per_h - diffusionLimitedCRate(r.D_m2_per_s, 5e-6)) < 1e-12 * r.C_D_per_h);
    }
    // B at r = 1 µm is a fifth of B at 5 µm (B ∝ r, seed 000 Fig. 6a)
    for (const row of s.biotScaling)
      assert.ok(Math.abs(row["biot_r1.00um"] / row["biot_r5.00um"] - 0.2) < 1e-12);
    for (const f of ["ratelimit.csv", "biot-scaling.csv", "ratelimit.json", "crate.svg", "biot.svg"])
      assert.ok(existsSync(join(out, f)), f);
    assert.equal(readFileSync(join(out, "ratelimit.csv"), "utf8").trim().split("\n").length, 6);
    for (const argv of [
      ["ratelimit", "--radius", "5um"],
      ["ratelimit", "--material", "NMC333"],
      ["ratelimit", "--material", "unobtainium", "--radius", "5um"],
      ["ratelimit", "--material", "NMC333", "--radius", "5um", "--overpotential", "-1mV"],
      ["ratelimit", "--material", "NMC333", "--radius", "5um", "--points", "1"],
    ]) {
      const c = context();
      assert.equal(await main(argv, c.ctx), 2, argv.join(" "));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
