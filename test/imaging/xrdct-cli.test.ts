import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "../helpers/cli.js";

const EX = "examples/issue7";

test("cathodelab xrdct: two example samples → tables, maps, report; the planted outlier is the only one", async () => {
  const t = tempDir();
  try {
    const out = join(t.path, "x");
    const r = await runCli(
      "xrdct",
      `${EX}/xrdct/pristine`,
      `${EX}/xrdct/cycled`,
      "--material",
      "NMC111",
      "--out",
      out,
      "--json",
    );
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out);
    assert.deepEqual(
      s.samples.map((q: { outlierLabels: number[] }) => q.outlierLabels.length),
      [0, 1],
    );
    // pristine NMC111 (seed 004): a = 2.856 Å, c = 14.221 Å, V = 100.456 Å³ (noise 4e-4/1.5e-3 Å
    // per voxel averages to < 1e-4 Å over ~1000 voxels)
    const p = s.samples[0].inliers;
    assert.ok(
      Math.abs(p.a_A - 2.856) < 1e-4 && Math.abs(p.c_A - 14.221) < 5e-4 && Math.abs(p.V_A3 - 100.456) < 0.01,
    );
    // the cycled sample: Li content between the planted core 0.86 and edge 0.80
    const x = s.comparison[1].x_mean;
    assert.ok(x > 0.8 && x < 0.86, `x = ${x}`);
    assert.ok(s.comparison[1].a_change_pct < 0 && s.comparison[1].c_change_pct > 0);
    for (const f of [
      "report.html",
      "particles.csv",
      "samples.csv",
      "profiles.csv",
      "histograms.csv",
      "peaks.csv",
      "cycled/x-map.png",
      "cycled/V.npy",
    ])
      assert.ok(existsSync(join(out, f)), f);
    const html = readFileSync(join(out, "report.html"), "utf8");
    assert.ok(html.includes("<svg") && html.includes("Outlier particle"));
    const peaks = readFileSync(join(out, "peaks.csv"), "utf8");
    assert.ok(peaks.includes("(003)") && peaks.includes("(110)"));
    // a non-empty --out is refused without --force
    const again = await runCli("xrdct", `${EX}/xrdct/pristine`, "--out", out);
    assert.equal(again.code, 2);
  } finally {
    t.cleanup();
  }
});

test("cathodelab xrdct: bad input → exit 2, clear message, nothing written", async () => {
  const t = tempDir();
  try {
    const out = join(t.path, "never");
    const cases: [string[], RegExp][] = [
      [["xrdct", join(t.path, "missing"), "--out", out], /sample folder not found/],
      [
        ["xrdct", `${EX}/xrdct/pristine`, "--lattice-unit", "nm", "--out", out],
        /not lattice parameters.*expected a ≈ 2\.8 Å/,
      ],
      [["xrdct", `${EX}/xrdct/pristine`, "--outlier-z", "-1", "--out", out], /--outlier-z/],
      [["xrdct", "--a", `${EX}/xrdct/pristine/a.tif`, "--out", out], /--a and --c go together/],
    ];
    const bad = join(t.path, "bad");
    mkdirSync(bad);
    writeFileSync(join(bad, "a.csv"), "2.85,2.85\n2.85,oops\n");
    writeFileSync(join(bad, "c.csv"), "14.2,14.2\n14.2,14.2\n");
    writeFileSync(join(bad, "intensity.csv"), "1,2\n3,4\n");
    cases.push([["xrdct", bad, "--out", out], /a\.csv, line 2, column 2.*not a number/]);
    for (const [argv, re] of cases) {
      const r = await runCli(...argv);
      assert.equal(r.code, 2, `${argv.join(" ")}: ${r.err}`);
      assert.match(r.err, re);
      assert.ok(!existsSync(out), "nothing written");
    }
  } finally {
    t.cleanup();
  }
});
