import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { main } from "../../../src/cli/main.js";
import { D, gittRecord } from "./synthetic.js";

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

test("cathodelab fit gitt: per-pulse table, files, JSON; bad input exits 2", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cathodelab-gitt-"));
  try {
    const rec = gittRecord(2.5, 3);
    const lines = ["time/s,I/A,Ewe/V"];
    for (let i = 0; i < rec.t.length; i++) lines.push(`${rec.t[i]},${rec.i[i]},${rec.v[i]}`);
    const file = join(dir, "gitt.csv");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const a = context();
    const code = await main(
      ["fit", "gitt", file, "--radius", "5um", "--material", "NMC811", "--out", join(dir, "out"), "--json"],
      a.ctx,
    );
    assert.equal(code, 0, a.err.join(""));
    const summary = JSON.parse(a.out.join(""));
    assert.equal(summary.pulses.length, 3);
    // the analysis result (closed-form WH bias at s = 1e-3: D_WH/D = 0.945)
    assert.ok(Math.abs(summary.pulses[0].D_WH_m2_per_s / D - 0.945) < 0.005);
    const csv = readFileSync(join(dir, "out", "gitt.csv"), "utf8")
      .trim()
      .split("\n");
    assert.equal(csv.length, 4);
    assert.ok(readFileSync(join(dir, "out", "gitt.svg"), "utf8").startsWith("<svg"));
    // bad input: no radius, no voltage column, unknown option, non-empty --out
    const noVoltage = join(dir, "noV.csv");
    writeFileSync(noVoltage, `time/s,I/A\n${Array.from(rec.t, (t, i) => `${t},${rec.i[i]}`).join("\n")}\n`);
    for (const argv of [
      ["fit", "gitt", file],
      ["fit", "gitt", noVoltage, "--radius", "5um"],
      ["fit", "gitt", file, "--radius", "5um", "--bogus"],
      ["fit", "gitt", file, "--radius", "5um", "--out", join(dir, "out")],
      ["fit", "gitt", file, "--radius", "5um", "--ir-method", "magic"],
    ]) {
      const c = context();
      assert.equal(await main(argv, c.ctx), 2, argv.join(" "));
      assert.ok(c.err.join("").length > 0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
