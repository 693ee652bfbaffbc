import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { main } from "../../../src/cli/main.js";

const data = (name: string) => fileURLToPath(new URL(`../../data/${name}`, import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "cathodelab-eis-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    isTTY: false,
    cwd: process.cwd(),
  });
  return { code, out, err };
}

describe("cathodelab fit eis", () => {
  it("fits impedance.py's example and writes params, fit, figures and j0", async () => {
    const dir = join(tmp, "fit1");
    const r = await cli([
      "fit",
      "eis",
      data("impedancepy__exampleData.csv"),
      "--circuit",
      "R0-p(R1,C1)-p(R2-Wo1,C2)",
      "--guess",
      ".01,.01,100,.01,.05,100,1",
      "--drop-inductive",
      "--area",
      "1cm2",
      "--out",
      dir,
      "--json",
    ]);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.equal(json.parameters[0].name, "R0");
    assert.ok(Math.abs(json.parameters[0].value - 1.6519e-2) < 1e-5);
    // R_ct defaults to R2 (the R in series with Wo1 inside p(...)); j0 = RT/(F·A·R2)
    assert.equal(json.kinetics.element, "R2");
    const j0 = (8.314462618 * 298.15) / (96485.33212 * 1e-4 * json.parameters[3].value);
    assert.ok(Math.abs(json.kinetics.j0_A_per_m2 - j0) < 1e-9 * j0);
    assert.ok(Math.abs(json.kinetics.j0_mA_per_cm2 - j0 / 10) < 1e-9 * j0);
    for (const f of ["params.csv", "params.json", "fit.csv", "nyquist.svg", "bode.svg"]) {
      assert.ok(existsSync(join(dir, f)), f);
    }
    const csv = readFileSync(join(dir, "params.csv"), "utf8").trim().split("\n");
    assert.equal(csv[0], "name,unit,value,ci95,stderr,fixed,identifiable");
    assert.ok(csv.some((l) => l.startsWith("j0,mA/cm2,")));
    const fit = readFileSync(join(dir, "fit.csv"), "utf8").trim().split("\n");
    const negative = readFileSync(data("impedancepy__exampleData.csv"), "utf8")
      .trim()
      .split("\n")
      .filter((l) => Number(l.split(",")[2]) < 0).length;
    assert.equal(fit.length, 1 + negative); // header + the points with Im Z < 0
    assert.ok(readFileSync(join(dir, "nyquist.svg"), "utf8").startsWith("<svg"));

    // refuses to overwrite without --force
    const again = await cli([
      "fit",
      "eis",
      data("impedancepy__exampleData.csv"),
      "--circuit",
      "R0-p(R1,C1)",
      "--out",
      dir,
    ]);
    assert.equal(again.code, 2);
    assert.match(again.err, /not empty/);
  });

  it("fits the measured ZPlot dummy cell R0-(R1‖C1) to the published values", async () => {
    const r = await cli([
      "fit",
      "eis",
      data("impedancepy__Circuit1_EIS_1.z"),
      "--circuit",
      "R0-p(R1,C1)",
      "--json",
    ]);
    assert.equal(r.code, 0, r.err);
    const p = JSON.parse(r.out).parameters.map((x: { value: number }) => x.value);
    // data/README.md: R0 = 29.1 Ω, R1 = 46.7 Ω, C1 = 1.04e-5 F (3 significant figures)
    assert.ok(
      Math.abs(p[0] - 29.1) < 0.05 && Math.abs(p[1] - 46.7) < 0.05 && Math.abs(p[2] - 1.04e-5) < 0.005e-5,
      `${p}`,
    );
  });

  it("fits every loop of a multi-spectrum .mpr with --spectrum all", async () => {
    const dir = join(tmp, "series");
    const r = await cli([
      "fit",
      "eis",
      data("galvani__v1150_PEIS.mpr"),
      "--circuit",
      "R0-p(R1,CPE1)",
      "--spectrum",
      "all",
      "--out",
      dir,
    ]);
    assert.equal(r.code, 0, r.err);
    const summary = readFileSync(join(dir, "summary.csv"), "utf8").trim().split("\n");
    assert.equal(summary.length, 1 + 4);
    assert.ok(existsSync(join(dir, "spectrum-004", "params.csv")));
  });

  const bad: [string, string[], RegExp][] = [
    ["missing --circuit", ["fit", "eis", data("impedancepy__exampleData.csv")], /--circuit/],
    [
      "circuit syntax",
      ["fit", "eis", data("impedancepy__exampleData.csv"), "--circuit", "R0-p(R1,C1"],
      /column 11/,
    ],
    [
      "guess length",
      ["fit", "eis", data("impedancepy__exampleData.csv"), "--circuit", "R0-p(R1,C1)", "--guess", "1,2"],
      /--guess/,
    ],
    [
      "bad guess",
      ["fit", "eis", data("impedancepy__exampleData.csv"), "--circuit", "R0-p(R1,C1)", "--guess", "1,x,3"],
      /value 2/,
    ],
    [
      "unknown fixed",
      ["fit", "eis", data("impedancepy__exampleData.csv"), "--circuit", "R0-p(R1,C1)", "--fixed", "R7=1"],
      /R7/,
    ],
    [
      "weight",
      ["fit", "eis", data("impedancepy__exampleData.csv"), "--circuit", "R0-p(R1,C1)", "--weight", "abc"],
      /weighting/,
    ],
    [
      "area unit",
      ["fit", "eis", data("impedancepy__exampleData.csv"), "--circuit", "R0-p(R1,C1)", "--area", "3 kg"],
      /--area/,
    ],
    [
      "rct-element not a resistor",
      [
        "fit",
        "eis",
        data("impedancepy__exampleData.csv"),
        "--circuit",
        "R0-p(R1,C1)",
        "--area",
        "1cm2",
        "--rct-element",
        "C1",
      ],
      /rct-element/,
    ],
    ["no such file", ["fit", "eis", join(tmp, "nope.csv"), "--circuit", "R0-p(R1,C1)"], /cannot read/],
    [
      "spectrum index",
      ["fit", "eis", data("impedancepy__exampleData.csv"), "--circuit", "R0-p(R1,C1)", "--spectrum", "3"],
      /no spectrum 3/,
    ],
  ];
  for (const [name, args, msg] of bad) {
    it(`bad input → exit 2: ${name}`, async () => {
      const r = await cli(args);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, msg);
    });
  }
});

describe("cathodelab kk", () => {
  it("passes impedance.py's example and writes residuals and verdict", async () => {
    const dir = join(tmp, "kk1");
    const r = await cli(["kk", data("impedancepy__exampleData.csv"), "--out", dir]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /PASS/);
    const json = JSON.parse(readFileSync(join(dir, "kk.json"), "utf8"));
    assert.equal(json.pass, true);
    assert.equal(json.threshold, 0.005);
    assert.ok(readFileSync(join(dir, "kk.csv"), "utf8").startsWith("frequency_Hz,"));
    assert.ok(existsSync(join(dir, "kk.svg")));
  });

  it("flags a drifting spectrum (exit 0, FAIL verdict)", async () => {
    const rows = readFileSync(data("impedancepy__exampleData.csv"), "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split(",").map(Number));
    // The file runs from low to high frequency; the sweep ran from high to low, so Re Z drifts
    // by +3 % from the last row (first measured) to the first (as in linkk.test.ts).
    const n = rows.length;
    const text = rows
      .map(([f, re, im], i) => `${f},${re * (1 + (0.03 * (n - 1 - i)) / (n - 1))},${im}`)
      .join("\n");
    const file = join(tmp, "drift.csv");
    writeFileSync(file, `${text}\n`);
    const r = await cli(["kk", file, "--json"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).pass, false);
  });

  it("bad options → exit 2", async () => {
    for (const args of [
      ["kk", data("impedancepy__exampleData.csv"), "--threshold", "abc"],
      ["kk", data("impedancepy__exampleData.csv"), "--mu", "2"],
      ["kk", data("impedancepy__exampleData.csv"), "--capacitance", "maybe"],
      ["kk", data("impedancepy__exampleData.csv"), "--fit-type", "both"],
      ["kk"],
    ]) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(" "));
    }
  });
});
