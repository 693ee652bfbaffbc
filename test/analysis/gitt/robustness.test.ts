/**
 * GITT robustness (issue 16, seed 002): pulses split at sign changes, and warnings when the
 * Weppner–Huggins assumptions fail (IR step of the wrong sign, E not linear in √t).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzeGitt, segmentPulses } from "../../../src/analysis/gitt/index.js";

test("segmentPulses: back-to-back pulses of opposite sign are two pulses", () => {
  const s = segmentPulses([0, 0, 1, 1, 1, -1, -1, -1, 0, 0]);
  assert.deepEqual(
    s.map((g) => [g.kind, g.start, g.end, g.meanCurrent]),
    [
      ["rest", 0, 2, 0],
      ["pulse", 2, 5, 1],
      ["pulse", 5, 8, -1],
      ["rest", 8, 10, 0],
    ],
  );
});

/**
 * Record: rest at 3.9 V, a +1 mA pulse of 100 s with E = 3.9 + IR + k√t, then a rest that
 * relaxes to 3.9 + ΔE_s. `dip` adds a decaying double-layer transient of the wrong sign at
 * the start of the pulse (as a finely sampled simulated record shows); `curvature` adds a
 * saturating term that is not linear in √t.
 */
function record(dip: number, curvature: number) {
  const t: number[] = [];
  const e: number[] = [];
  const i: number[] = [];
  const push = (tt: number, ee: number, ii: number) => {
    t.push(tt);
    e.push(ee);
    i.push(ii);
  };
  for (let k = 0; k <= 20; k++) push(k * 5, 3.9, 0); // the last rest sample is the switch time, 100 s
  const t0 = 100;
  for (let k = 1; k <= 200; k++) {
    const u = k * 0.5;
    const v =
      3.9 + 0.002 + 1e-3 * Math.sqrt(u) - dip * Math.exp(-u / 0.8) + curvature * (1 - Math.exp(-u / 10));
    push(t0 + u, v, 1e-3);
  }
  for (let k = 1; k <= 400; k++) push(t0 + 100 + k * 5, 3.9 + 0.004 + 1e-3 * Math.exp(-k / 20), 0);
  return { t, e, i };
}

test("analyzeGitt warns when the IR step has the wrong sign and when E is not linear in √t", () => {
  const clean = record(0, 0);
  const a = analyzeGitt(clean.t, clean.e, clean.i, { radius: 5e-6 });
  assert.equal(a.pulses.length, 1);
  assert.ok(!a.pulses[0].notes.some((n) => /wrong sign|not linear/.test(n)), a.pulses[0].notes.join("; "));
  const dipped = record(0.008, 0);
  const b = analyzeGitt(dipped.t, dipped.e, dipped.i, { radius: 5e-6 });
  assert.ok(b.pulses[0].resistance < 0);
  assert.ok(
    b.pulses[0].notes.some((n) => /wrong sign/.test(n)),
    b.pulses[0].notes.join("; "),
  );
  const bent = record(0, 0.02); // saturating, as when the particle fills up (τ ≳ R²/D)
  const c = analyzeGitt(bent.t, bent.e, bent.i, { radius: 5e-6 });
  assert.ok(
    c.pulses[0].notes.some((n) => /not linear in √t/.test(n)),
    c.pulses[0].notes.join("; "),
  );
});

test("cathodelab fit gitt --full-model prints the full-model D in the table", async () => {
  const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { main } = await import("../../../src/cli/main.js");
  const { gittRecord } = await import("./synthetic.js");
  const dir = mkdtempSync(join(tmpdir(), "cathodelab-gitt-full-"));
  try {
    const rec = gittRecord(2.5, 1);
    const lines = ["time/s,I/A,Ewe/V"];
    for (let i = 0; i < rec.t.length; i++) lines.push(`${rec.t[i]},${rec.i[i]},${rec.v[i]}`);
    const file = join(dir, "gitt.csv");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const out: string[] = [];
    const err: string[] = [];
    const ctx = {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => err.push(t),
      isTTY: false,
      cwd: dir,
    };
    const code = await main(
      ["fit", "gitt", file, "--radius", "5um", "--material", "NMC811", "--full-model"],
      ctx,
    );
    assert.equal(code, 0, err.join(""));
    const text = out.join("");
    assert.match(text, /D_full\/\(cm2\/s\)/);
    const row = text.split("\n").find((l) => /^\s+1\s/.test(l));
    assert.ok(row && /\d\.\d{3}e-\d+\s+\d\.\d{3}e-\d+\s+\d\.\d{3}e-\d+/.test(row), text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
