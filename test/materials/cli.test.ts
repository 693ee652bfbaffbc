import assert from "node:assert/strict";
import { test } from "node:test";
import type { CommandContext } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { NMC111 } from "../../src/materials/index.js";
import type { MaterialSummary } from "../../src/materials/summary.js";

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const ctx: CommandContext = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    isTTY: false,
    cwd: process.cwd(),
  };
  const code = await main(["materials", ...argv], ctx);
  return { code, out, err };
}

test("cathodelab materials: overview table lists all five materials", async () => {
  const { code, out } = await run();
  assert.equal(code, 0);
  for (const name of ["NMC111", "NMC532", "NMC622", "NMC811", "NCA"])
    assert.match(out, new RegExp(`^${name}\\s`, "m"));
  assert.match(out, /229\.3/); // NMC111 practical capacity, mAh/g
});

test("cathodelab materials --json: machine-readable overview", async () => {
  const { code, out } = await run("--json");
  assert.equal(code, 0);
  const data = JSON.parse(out) as { materials: { name: string; practicalCapacity_mAh_g: number }[] };
  assert.equal(data.materials.length, 5);
  assert.ok(Math.abs(data.materials[0].practicalCapacity_mAh_g - NMC111.practicalCapacity / 3600) < 1e-9);
});

test("cathodelab materials NAME: every property with value or samples, unit and source", async () => {
  const { code, out } = await run("nmc333");
  assert.equal(code, 0);
  for (const key of Object.keys(NMC111.properties)) assert.match(out, new RegExp(`^${key} — `, "m"), key);
  assert.match(out, /x = 0\.300: .* mA\/cm\^2/);
  assert.match(out, /= 1\.0000e-6 S\/cm/); // κ at x = 1: 1e-6 S/cm (seed 000)
  assert.match(out, /2\.856 Å/);
  assert.match(out, /source: Tsai et al/);
});

test("cathodelab materials NAME --json --x: samples in SI and customary units", async () => {
  const { code, out } = await run("NCM811", "--json", "--x", "0.5,0.9", "--temperature", "25C");
  assert.equal(code, 0);
  const s = JSON.parse(out) as MaterialSummary;
  assert.equal(s.name, "NMC811");
  const d = s.properties.find((p) => p.key === "chemicalDiffusivity")!;
  assert.deepEqual(
    d.samples!.map((p) => p.x),
    [0.5, 0.9],
  );
  // O'Regan 2022 spot value D(0.5) = 7.26e-15 m²/s = 7.26e-11 cm²/s (3 digits printed).
  assert.ok(Math.abs(d.samples![0].customary / 7.26e-11 - 1) < 0.001);
  const j0 = s.properties.find((p) => p.key === "exchangeCurrentDensity")!;
  assert.ok(
    Math.abs(j0.samples![1].value - 1.293) < 5e-4 && Math.abs(j0.samples![1].customary - 0.1293) < 5e-5,
  );
  assert.ok(s.properties.every((p) => p.source.length > 0));
});

test("cathodelab materials: bad input exits 2 with a helpful message", async () => {
  const unknown = await run("LFP");
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /NMC111.*NMC532.*NMC622.*NMC811.*NCA/);
  assert.equal((await run("nmc811", "--x", "0.05")).code, 2);
  assert.equal((await run("nmc811", "--x", "1,abc")).code, 2);
  assert.equal((await run("nmc811", "--temperature", "45")).code, 2); // 45 K: out of range
  assert.equal((await run("nmc811", "--electrolyte", "1")).code, 2); // no unit
  assert.equal((await run("a", "b")).code, 2);
  assert.equal((await run("--x", "0.5")).code, 2);
});
