import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "../helpers/cli.js";

test("demo: seed-000 step charge tabulates 11 relaxed OCVs that approach U(x_mean)", async () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.path, "demo");
    const r = await runCli("demo", "--out", out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /relaxed V/);
    const rows = readFileSync(join(out, "relaxed_ocv.csv"), "utf8").trim().split("\n").slice(1);
    assert.equal(rows.length, 11);
    let previous = 0;
    for (const row of rows) {
      const [, cutoff, relaxed, , ocv, , reason] = row.split(",");
      // the relaxed voltage lies below its charge cut-off and rises step by step
      assert.ok(Number(relaxed) < Number(cutoff));
      assert.ok(Number(relaxed) > previous);
      previous = Number(relaxed);
      // after |dV/dt| < 3 mV/h the remaining relaxation is below 2 mV (the rate criterion
      // of seed 000 stops the rest before full equilibrium)
      assert.ok(Math.abs(Number(relaxed) - Number(ocv)) < 2e-3, row);
      assert.ok(reason === "voltageRate" || reason === "time");
    }
  } finally {
    tmp.cleanup();
  }
});
