/**
 * The worker's jobs (src/web/app/jobs.ts) in node: upload limits and readable errors, the
 * dispatcher, and that each job returns what the library computes for the same input.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulateElectrode } from "../../src/electrode/simulate.js";
import { InputError } from "../../src/errors.js";
import { syntheticParticles } from "../../src/imaging/synthetic.js";
import { analyzeTomogram } from "../../src/imaging/tomography.js";
import { encodeTiff } from "../../src/io/tiff.js";
import { getMaterial } from "../../src/materials/index.js";
import { parseProtocol } from "../../src/protocol/parse.js";
import { readUpload, shellQuote } from "../../src/web/app/dom.js";
import {
  checkUpload,
  describeError,
  type JobProgress,
  type JobRequest,
  MAX_UPLOAD_BYTES,
  runElectrode,
  runJob,
} from "../../src/web/app/jobs.js";
import { simulateCommand } from "../../src/web/app/pages/particle.js";

test("uploads: empty and over-limit files are input errors naming the file", async () => {
  assert.equal(MAX_UPLOAD_BYTES, 256 * 2 ** 20);
  assert.throws(
    () => checkUpload(new Uint8Array(0), "a.mpt"),
    (e: unknown) => e instanceof InputError && /a\.mpt.*empty/.test(e.message),
  );
  const huge = { length: MAX_UPLOAD_BYTES + 1 } as Uint8Array;
  assert.throws(
    () => checkUpload(huge, "big.tif"),
    (e: unknown) => e instanceof InputError && /big\.tif.*too large.*256 MiB/.test(e.message),
  );
  checkUpload(new Uint8Array(10), "ok.csv");
  // the page refuses before reading the bytes
  const file = {
    name: "stack.tif",
    size: 300 * 2 ** 20,
    arrayBuffer: () => Promise.reject(new Error("read")),
  } as unknown as File;
  await assert.rejects(
    readUpload(file),
    /stack\.tif: the file is too large \(300\.0 MiB; the lab reads at most 256 MiB\)/,
  );
});

test("bad input of every kind becomes a readable message, not a crash", () => {
  const bad: [JobRequest, RegExp][] = [
    [
      { type: "simulate", material: "NMC999", radius: 5e-6, protocol: "Rest for 1 h" },
      /unknown material "NMC999"/,
    ],
    [
      { type: "simulate", material: "NMC811", radius: 5e-6, protocol: "Charge at 1C until banana" },
      /protocol, line 1, column \d+/,
    ],
    [
      {
        type: "fit-eis",
        name: "x.csv",
        bytes: new TextEncoder().encode("f,re,im\n1,2\n"),
        circuit: "R0-p(R1,C1)",
      },
      /x\.csv/,
    ],
    [{ type: "fit-eis", name: "x.csv", bytes: new Uint8Array([1, 2, 3]), circuit: "R0-Q(" }, /circuit/],
    [{ type: "tomography", name: "t.tif", bytes: new TextEncoder().encode("II*\0nonsense") }, /t\.tif/],
    [
      {
        type: "fit-titration",
        method: "gitt",
        name: "g.csv",
        bytes: new TextEncoder().encode("time_s,current_A\n0,1\n1,1\n"),
        radius: 1e-6,
      },
      /g\.csv.*voltage/,
    ],
    [
      {
        type: "electrode",
        material: "NMC532",
        particles: 3,
        coverage: 0.5,
        seed: 1,
        dimension: 2,
        protocol: "Rest for 1 h",
      },
      /particles/,
    ],
    [
      {
        type: "fracture",
        material: "NMC811",
        diameter: 1e-5,
        grains: 10,
        cells: 8,
        steps: 5,
        cutoff: 4.5,
        seed: 1,
      },
      /cells/,
    ],
    [{ type: "nonsense" } as unknown as JobRequest, /unknown job "nonsense"/],
  ];
  for (const [req, pattern] of bad) {
    let caught: unknown;
    try {
      runJob(req);
    } catch (e) {
      caught = e;
    }
    assert.ok(caught !== undefined, `${req.type} must fail`);
    const d = describeError(caught);
    assert.equal(d.kind, "input", `${req.type}: ${d.message}`);
    assert.match(d.message, pattern);
  }
  assert.deepEqual(describeError(new TypeError("x is undefined")), {
    message: "TypeError: x is undefined",
    kind: "internal",
  });
  const withLine = describeError(new InputError("bad", { line: 3, column: 7 }));
  assert.equal(withLine.line, 3);
  assert.equal(withLine.column, 7);
});

test("tomography job = analyzeTomogram on the decoded stack; grey rescaled to 0…255", () => {
  const { volume } = syntheticParticles({
    shape: [24, 32, 40],
    spacing: [2e-7, 2e-7, 2e-7],
    seed: 2,
    explicit: [
      { center: [12, 16, 11], radius: 8 },
      { center: [12, 16, 29], radius: 7 },
    ],
  });
  const progress: number[] = [];
  const r = runJob({ type: "tomography", name: "two.tif", bytes: encodeTiff(volume) }, (p) =>
    progress.push(p.fraction),
  ) as ReturnType<typeof import("../../src/web/app/jobs.js").runTomography>;
  const lib = analyzeTomogram(volume);
  assert.equal(r.particles.length, 2);
  assert.equal(r.particles.length, lib.particles.length);
  assert.deepEqual(
    r.particles.map((p) => p.voxels),
    lib.particles.map((p) => p.voxels),
  );
  assert.deepEqual(Array.from(r.labels), Array.from(lib.labels.data));
  assert.equal(r.spacingFromFile, true);
  assert.deepEqual(r.spacing, [2e-7, 2e-7, 2e-7]);
  let lo = 255;
  let hi = 0;
  for (const g of r.grey) {
    lo = Math.min(lo, g);
    hi = Math.max(hi, g);
  }
  assert.deepEqual([lo, hi], [0, 255]);
  assert.equal(progress[progress.length - 1], 1);
});

test("CLI commands shown by the particle page", () => {
  assert.equal(
    simulateCommand("NMC811", "5 um", "Charge at 1C until 4.2 V\nRest for 30 min", ""),
    "cathodelab simulate --material NMC811 --radius 5um --protocol 'Charge at 1C until 4.2 V; Rest for 30 min' --out particle-run",
  );
  // a Repeat block cannot be joined with ";" safely: the page offers protocol.txt instead
  assert.match(
    simulateCommand("NCA", "2um", "Repeat 2 times:\n  Charge at 1C until 4.2 V\n  Rest for 1 h", "0.9"),
    /--protocol-file protocol\.txt --initial-x 0\.9/,
  );
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(shellQuote("plain-word_1.5"), "plain-word_1.5");
});

test("electrode job = simulateElectrode, and streams every particle's x while it runs", () => {
  const protocol = "Charge at C/10 until 4.2 V; Discharge at C/10 until 3.0 V";
  const progress: JobProgress[] = [];
  let clock = 0;
  // a fake clock that advances 1 s per call, so every progress call streams
  const r = runElectrode(
    { type: "electrode", material: "NMC532", particles: 12, coverage: 0.6, seed: 3, dimension: 2, protocol },
    (p) => progress.push(p),
    () => (clock += 1000),
  );
  const lib = simulateElectrode({
    material: getMaterial("NMC532"),
    protocol: parseProtocol(protocol),
    microstructure: { particles: 12, coverage: 0.6, seed: 3, dimension: 2 },
  });
  assert.deepEqual(r.summary, lib.summary);
  assert.deepEqual(Array.from(r.series.voltage), Array.from(lib.result.series.voltage));
  assert.ok(progress[0].layout, "the layout comes first");
  assert.equal(progress[0].layout?.x.length, lib.microstructure.particles.count);
  const streamed = progress.filter((p) => p.particleX);
  assert.ok(streamed.length > 5);
  for (const p of streamed) assert.equal(p.particleX?.length, lib.microstructure.particles.count);
  // the last streamed state is the final one
  const final = new Float64Array(lib.microstructure.particles.count);
  lib.simulator.meanLithiumFractions(final);
  assert.deepEqual(streamed[streamed.length - 1].particleX, Array.from(final));
});
