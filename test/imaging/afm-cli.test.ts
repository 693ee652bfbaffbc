import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "../helpers/cli.js";

const EX = "examples/issue7/afm";

test("cathodelab afm: three Gwyddion maps → SOC trend and edge-core gradients", async () => {
  const t = tempDir();
  try {
    const out = join(t.path, "a");
    const r = await runCli(
      "afm",
      `${EX}/soc0.txt`,
      `${EX}/soc50.txt`,
      `${EX}/soc100.txt`,
      "--soc",
      "0,50%,100%",
      "--out",
      out,
      "--json",
    );
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out);
    assert.equal(s.channel, "ESM amplitude");
    // 5 µm over 48 px (Gwyddion header)
    assert.ok(Math.abs(s.samples[0].pixel_m - 5e-6 / 48) < 1e-15);
    assert.deepEqual(
      s.samples.map((q: { particles: number }) => q.particles),
      [2, 2, 2],
    );
    // planted: edge 1 − 0.5·SOC, core 0.55 − 0.2·SOC → the mean falls with SOC and the boundary
    // stays higher than the bulk, less so at high SOC (seed 002)
    assert.ok(s.trendSlopePerSoc < -0.3 && s.trendSlopePerSoc > -0.5, `${s.trendSlopePerSoc}`);
    const emc = s.samples.map((q: { edgeMinusCore: number }) => q.edgeMinusCore);
    assert.ok(emc[0] > emc[1] && emc[1] > emc[2] && emc[2] > 0, `${emc}`);
    for (const f of [
      "report.html",
      "particles.csv",
      "profiles.csv",
      "histograms.csv",
      "trend.csv",
      "trend.svg",
      "soc50/map.png",
    ])
      assert.ok(existsSync(join(out, f)), f);
    assert.ok(readFileSync(join(out, "report.html"), "utf8").includes("SOC trend"));
  } finally {
    t.cleanup();
  }
});

test("cathodelab afm: bad input → exit 2, nothing written", async () => {
  const t = tempDir();
  try {
    const out = join(t.path, "never");
    writeFileSync(join(t.path, "bad.txt"), "# Channel: Current\n# Width: 5 um\n1 2 3\n4 five 6\n");
    const cases: [string[], RegExp][] = [
      [["afm", join(t.path, "bad.txt"), "--out", out], /bad\.txt, line 4, column 2.*not a number/],
      [["afm", `${EX}/soc0.txt`, "--soc", "0,1", "--out", out], /--soc needs one entry per map/],
      [["afm", `${EX}/soc0.txt`, "--soc", "150%", "--out", out], /SOC outside/],
      [["afm", `${EX}/soc0.txt`, "--pixel", "-3nm", "--out", out], /--pixel/],
      [["afm", `${EX}/soc0.txt`, "--threshold", "99", "--out", out], /no particles found/],
    ];
    for (const [argv, re] of cases) {
      const r = await runCli(...argv);
      assert.equal(r.code, 2, `${argv.join(" ")}: ${r.err}`);
      assert.match(r.err, re);
      assert.ok(!existsSync(out));
    }
  } finally {
    t.cleanup();
  }
});
