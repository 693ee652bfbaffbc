import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "../helpers/cli.js";

const EX = "examples/issue7/optical";

test("cathodelab optical: the example sequence — asynchronous charge, synchronous discharge", async () => {
  const t = tempDir();
  try {
    const out = join(t.path, "o");
    const r = await runCli(
      "optical",
      `${EX}/frames`,
      "--rois",
      `${EX}/rois.csv`,
      "--table",
      `${EX}/table.csv`,
      "--out",
      out,
      "--json",
    );
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out);
    assert.equal(s.synchrony.length, 2);
    const [charge, discharge] = s.synchrony;
    assert.equal(charge.direction, "charge");
    // onsets planted 1500 s apart over 8 particles (IQR of SOC ≈ 0.39) vs all at once
    assert.ok(
      charge.dispersion > 0.2 && discharge.dispersion < 0.02,
      `${charge.dispersion} / ${discharge.dispersion}`,
    );
    assert.ok(charge.onset_soc_iqr > 0.3 && discharge.onset_soc_iqr < 0.01);
    for (const f of [
      "report.html",
      "intensity.csv",
      "onsets.csv",
      "synchrony.csv",
      "didsoc.csv",
      "traces.svg",
      "traces-soc.svg",
      "rois.png",
    ])
      assert.ok(existsSync(join(out, f)), f);
  } finally {
    t.cleanup();
  }
});

test("cathodelab optical render → optical: rendered onsets are analysed back", async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.path, "rois.csv"), "id,x,y,r\nA,10,10,6\nB,30,10,6\n");
    // A darkens from 0.6 to 0.3 between 600 s and 1800 s, B between 3000 s and 4200 s
    const rows = ["time_s,soc,A,B"];
    for (let k = 0; k <= 60; k++) {
      const time = 100 * k;
      const ramp = (t0: number) => 0.6 - 0.3 * Math.min(1, Math.max(0, (time - t0) / 1200));
      rows.push(`${time},${(k / 60).toFixed(4)},${ramp(600).toFixed(5)},${ramp(3000).toFixed(5)}`);
    }
    writeFileSync(join(t.path, "I.csv"), `${rows.join("\n")}\n`);
    const seq = join(t.path, "seq");
    const r = await runCli(
      "optical",
      "render",
      "--rois",
      join(t.path, "rois.csv"),
      "--intensities",
      join(t.path, "I.csv"),
      "--size",
      "40x20",
      "--out",
      seq,
    );
    assert.equal(r.code, 0, r.err);
    const a = await runCli(
      "optical",
      join(seq, "frames"),
      "--rois",
      join(seq, "rois.csv"),
      "--table",
      join(seq, "table.csv"),
      "--threshold",
      "0.05",
      "--out",
      join(t.path, "an"),
    );
    assert.equal(a.code, 0, a.err);
    const onsets = readFileSync(join(t.path, "an", "onsets.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => Number(l.split(",")[4]));
    // onset = t0 + 0.05·1200/0.3 = t0 + 200 s; 8-bit rounding (≤ 1/510) over a slope of 0.3/1200 s⁻¹ → ≤ 8 s
    assert.ok(Math.abs(onsets[0] - 800) <= 8 && Math.abs(onsets[1] - 3200) <= 8, `${onsets}`);
  } finally {
    t.cleanup();
  }
});

test("cathodelab optical: bad input → exit 2, nothing written", async () => {
  const t = tempDir();
  try {
    const out = join(t.path, "never");
    writeFileSync(join(t.path, "short.csv"), "time_s,soc\n0,0\n60,0.1\n");
    writeFileSync(join(t.path, "badrois.csv"), "id,x,y,r\na,5,5,zero\n");
    const cases: [string[], RegExp][] = [
      [
        [
          "optical",
          `${EX}/frames`,
          "--rois",
          `${EX}/rois.csv`,
          "--table",
          join(t.path, "short.csv"),
          "--out",
          out,
        ],
        /table rows do not match the frames.*48 rows/,
      ],
      [
        [
          "optical",
          `${EX}/frames`,
          "--rois",
          join(t.path, "badrois.csv"),
          "--table",
          `${EX}/table.csv`,
          "--out",
          out,
        ],
        /badrois\.csv, line 2.*invalid r/,
      ],
      [
        [
          "optical",
          `${EX}/frames`,
          "--rois",
          `${EX}/rois.csv`,
          "--table",
          `${EX}/table.csv`,
          "--threshold",
          "2",
          "--out",
          out,
        ],
        /--threshold/,
      ],
      [
        [
          "optical",
          join(t.path, "nothing"),
          "--rois",
          `${EX}/rois.csv`,
          "--table",
          `${EX}/table.csv`,
          "--out",
          out,
        ],
        /frames not found/,
      ],
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

test("cathodelab electrode → optical render --electrode → optical: the virtual microscope reads the model's run folder", async () => {
  const t = tempDir();
  try {
    const run = join(t.path, "run");
    const e = await runCli(
      "electrode",
      "--material",
      "NMC532",
      "--particles",
      "30",
      "--seed",
      "2",
      "--coverage",
      "0.6",
      "--kappa-composition",
      "surface", // the synchronous scenario (the default became "mean" with issue 16)
      "--protocol",
      "Charge at C/20 until 4.3 V; Discharge at C/20 until 2.5 V",
      "--out",
      run,
      "--json",
    );
    assert.equal(e.code, 0, e.err);
    const model = JSON.parse(e.out).synchrony;
    const seq = join(t.path, "seq");
    const r = await runCli("optical", "render", "--electrode", run, "--out", seq);
    assert.equal(r.code, 0, r.err);
    // the model's I(x) = 0.30 + 0.15·(1 − x)/0.665: its Δx = 0.05 onset threshold is ΔI = 0.0113
    const a = await runCli(
      "optical",
      join(seq, "frames"),
      "--rois",
      join(seq, "rois.csv"),
      "--table",
      join(seq, "table.csv"),
      "--threshold",
      "0.0113",
      "--out",
      join(t.path, "an"),
      "--json",
    );
    assert.equal(a.code, 0, a.err);
    const mine = JSON.parse(a.out).synchrony;
    assert.equal(mine.length, 2);
    assert.deepEqual(
      mine.map((h: { direction: string }) => h.direction),
      ["charge", "discharge"],
    );
    // the same particles react (the unconnected ones never do); the intensity follows the
    // surface x, the model's onsets the mean x, so only the reacted share is compared exactly
    assert.equal(mine[0].reacted_fraction, model[0].reactedFraction);
    for (const h of mine) assert.ok(h.onset_soc_iqr < 0.05 && h.dispersion < 0.05, JSON.stringify(h));
    assert.ok(model[0].onsetSocIqr < 0.05);
    const bad = await runCli(
      "optical",
      "render",
      "--electrode",
      join(t.path, "nothing"),
      "--out",
      join(t.path, "x"),
    );
    assert.equal(bad.code, 2);
    assert.match(bad.err, /intensity table not found/);
  } finally {
    t.cleanup();
  }
});

test("cathodelab optical: a grey multi-page TIFF of the same frames gives the same synchrony as the RGB PNGs", async () => {
  const { readdirSync } = await import("node:fs");
  const { readPng } = await import("../../src/io/png.js");
  const { encodeTiff } = await import("../../src/io/tiff.js");
  const t = tempDir();
  try {
    const names = readdirSync(`${EX}/frames`).sort();
    const frames = names.map((n) => readPng(readFileSync(`${EX}/frames/${n}`), { rgb: "mean" }));
    const [, ny, nx] = frames[0].shape;
    const data = new Uint8Array(names.length * nx * ny);
    // grey frames: R = G = B, so (R+G+B)/3 is an integer and v/255 = (R+G+B)/765 exactly
    frames.forEach((f, k) => {
      for (let i = 0; i < nx * ny; i++) data[k * nx * ny + i] = Math.round(f.data[i]);
    });
    const stack = join(t.path, "stack.tif");
    writeFileSync(stack, encodeTiff({ data, shape: [names.length, ny, nx], spacing: [1, 1e-6, 1e-6] }));
    const a = await runCli(
      "optical",
      stack,
      "--rois",
      `${EX}/rois.csv`,
      "--table",
      `${EX}/table.csv`,
      "--out",
      join(t.path, "a"),
      "--json",
    );
    const b = await runCli(
      "optical",
      `${EX}/frames`,
      "--rois",
      `${EX}/rois.csv`,
      "--table",
      `${EX}/table.csv`,
      "--out",
      join(t.path, "b"),
      "--json",
    );
    assert.equal(a.code, 0, a.err);
    assert.deepEqual(JSON.parse(a.out).synchrony, JSON.parse(b.out).synchrony);
  } finally {
    t.cleanup();
  }
});
