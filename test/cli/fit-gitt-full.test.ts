import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { getMaterial } from "../../src/materials/index.js";
import { runCli, tempDir } from "../helpers/cli.js";

test("fit gitt --full-model recovers D of relaxed GITT pulses simulated with the material's D(x)", async () => {
  const tmp = tempDir();
  try {
    const sim = join(tmp.path, "sim");
    // R = 2 µm: τ = R²/D ≈ 3 h, so 8 h rests relax each pulse (the fit assumes a relaxed start)
    const s = await runCli(
      "simulate",
      "--material",
      "NMC622",
      "--radius",
      "2um",
      "--initial-x",
      "0.8",
      "--dl-capacitance",
      "0",
      "--protocol",
      "Rest for 10 min; Repeat 2 times: Pulse C/10 for 10 min then rest 8 h",
      "--max-step",
      "20s",
      "--out",
      sim,
    );
    assert.equal(s.code, 0, s.err);
    const out = join(tmp.path, "fit");
    const r = await runCli(
      "fit",
      "gitt",
      join(sim, "timeseries.csv"),
      "--radius",
      "2um",
      "--material",
      "NMC622",
      "--initial-x",
      "0.8",
      "--full-model",
      "--out",
      out,
    );
    assert.equal(r.code, 0, r.err);
    const lines = readFileSync(join(out, "gitt.csv"), "utf8").trim().split("\n");
    const header = lines[0].split(",");
    const kd = header.indexOf("D_full_m2_s");
    const kx = header.indexOf("x_after");
    assert.ok(kd > 0 && kx > 0);
    const m = getMaterial("NMC622");
    assert.equal(lines.length - 1, 2);
    for (const line of lines.slice(1)) {
      const cells = line.split(",");
      const d = Number(cells[kd]);
      const truth = m.chemicalDiffusivity(Number(cells[kx]) + 0.005, 298.15);
      // constant-D, constant-i0 model of a pulse simulated with D(x), i0(x): within 20 %
      assert.ok(Math.abs(d / truth - 1) < 0.2, `D_full ${d} vs D(x) ${truth}`);
    }
  } finally {
    tmp.cleanup();
  }
});
