import assert from "node:assert/strict";
import { test } from "node:test";
import {
  analyseSequence,
  type Frame,
  parseRois,
  rampTraces,
  rasteriseRois,
  renderVirtualMicroscope,
  roiIntensities,
  splitHalfCycles,
  virtualRois,
} from "../../src/imaging/optical/index.js";

// 12 particles on a 4×3 grid, 160×120 px frames, one frame per minute
const NP = 12;
const X = Array.from({ length: NP }, (_, p) => 20 + 40 * (p % 4));
const Y = Array.from({ length: NP }, (_, p) => 20 + 40 * Math.floor(p / 4));
const R = Array.from({ length: NP }, (_, p) => 9 + (p % 3));
const DT = 60;
const TAU = 3600; // ramp duration [s]
const DROP = 0.3;
const THRESHOLD = 0.02;

function sequence(onsets: number[], frames: number) {
  const times = Float64Array.from({ length: frames }, (_, k) => k * DT);
  const truth = rampTraces(times, onsets, TAU, 0.6, DROP);
  const rgb = renderVirtualMicroscope({
    width: 160,
    height: 120,
    x: X,
    y: Y,
    radius: R,
    intensities: truth,
    frames,
  });
  const decoded: Frame[] = rgb.map((data) => ({ width: 160, height: 120, channels: 3, depth: 8, data }));
  const labels = rasteriseRois(virtualRois({ x: X, y: Y, radius: R }), 160, 120);
  return { times, truth, ...roiIntensities(decoded, labels, NP) };
}

test("rendered frames → ROI intensities (R+G+B)/765 equal the rendered ones to 8-bit rounding", () => {
  const onsets = Array.from({ length: NP }, (_, p) => 600 + 900 * p);
  const s = sequence(onsets, 300);
  let worst = 0;
  for (let i = 0; i < s.values.length; i++) worst = Math.max(worst, Math.abs(s.values[i] - s.truth[i]));
  // grey = round(255·I) → |I − grey/255| ≤ 1/510
  assert.ok(worst <= 1 / 510 + 1e-12, `worst ${worst}`);
  // every ROI holds exactly its disc: πr² within the lattice-point count error (< 2πr)
  for (let p = 0; p < NP; p++) assert.ok(Math.abs(s.pixels[p] - Math.PI * R[p] ** 2) < 2 * Math.PI * R[p]);
});

test("a sequence rendered from known onset times is analysed back to those onsets", () => {
  const onsets = Array.from({ length: NP }, (_, p) => 600 + 900 * p + 17 * (p % 5));
  const frames = 300;
  const s = sequence(onsets, frames);
  const soc = Float64Array.from(s.times, (t) => t / s.times[frames - 1]);
  const r = analyseSequence(s.times, soc, s.values, NP, { threshold: THRESHOLD });
  assert.equal(r.halfCycles.length, 1);
  const hc = r.halfCycles[0];
  // the shared definition (first |I − I(t0)| ≥ threshold) fires THRESHOLD·τ/ΔI = 240 s after t_p
  const lag = (THRESHOLD * TAU) / DROP;
  for (let p = 0; p < NP; p++) {
    const err = Math.abs(hc.particles[p].onsetTime - lag - onsets[p]);
    // 8-bit rounding of I (≤ 1/510) over the ramp slope ΔI/τ: ≤ (1/510)·τ/ΔI = 23.5 s
    assert.ok(err <= 23.6, `particle ${p}: onset error ${err} s`);
    // slope dI/dSOC: negative (darkening)
    assert.ok(hc.particles[p].slope < 0);
    assert.ok(Math.abs(hc.particles[p].swing + DROP) < 0.01);
  }
  assert.equal(hc.reactedFraction, 1);
});

test("the synchrony index separates an asynchronous from a synchronous sequence", () => {
  const frames = 300;
  // asynchronous: onsets spread over 0–14 000 s; synchronous: all at 1200 s ± 60 s
  const asyn = sequence(
    Array.from({ length: NP }, (_, p) => 600 + 1200 * p),
    frames,
  );
  const syn = sequence(
    Array.from({ length: NP }, (_, p) => 1200 + 10 * (p % 7)),
    frames,
  );
  const soc = Float64Array.from(asyn.times, (t) => t / asyn.times[frames - 1]);
  const a = analyseSequence(asyn.times, soc, asyn.values, NP, { threshold: THRESHOLD }).halfCycles[0];
  const s = analyseSequence(syn.times, soc, syn.values, NP, { threshold: THRESHOLD }).halfCycles[0];
  assert.ok(a.dispersion > 0.2, `async dispersion ${a.dispersion}`);
  assert.ok(s.dispersion < 0.02, `sync dispersion ${s.dispersion}`);
  assert.ok(a.onsetSocIqr > 0.3 && s.onsetSocIqr < 0.01);
  assert.ok(a.onsetTimeIqr > 5000 && s.onsetTimeIqr < 100);
});

test("half-cycles split where the SOC turns; rests stay in the current half-cycle", () => {
  const soc = [0, 0.2, 0.4, 0.4, 0.6, 0.3, 0.1, 0.1, 0.5];
  const spans = splitHalfCycles(soc);
  assert.deepEqual(
    spans.map((s) => [s.direction, s.start, s.end]),
    [
      ["charge", 0, 5],
      ["discharge", 4, 8],
      ["charge", 7, 9],
    ],
  );
});

test("ROIs: CSV circles and polygons, JSON, clear errors", () => {
  const rois = parseRois("id,x,y,r,points\na,5,5,2,\nb,,,,1 1; 4 1; 4 4; 1 4\n");
  assert.equal(rois.length, 2);
  const lab = rasteriseRois(rois, 10, 10);
  // circle r = 2 at (5,5): 13 lattice points; the later polygon (square 1..4) overlaps none of them
  assert.equal(lab.filter((v) => v === 1).length, 13);
  // polygon with vertices on pixel centres: even-odd rule includes x,y ∈ {1,2,3} → 9 pixels (minus overlap 0)
  assert.equal(lab.filter((v) => v === 2).length, 9);
  const j = parseRois('[{"id":"p","circle":[3,3,1.5]}]');
  assert.equal(j[0].kind, "circle");
  assert.throws(
    () => parseRois("id,x,y,r\na,1,2,-3\n", "rois.csv"),
    (e: Error) => /rois\.csv/.test(e.message) && /line 2/.test(e.message),
  );
  assert.throws(() => parseRois('[{"id":"p","circle":[3,3]}]', "r.json"), /invalid ROI/);
});

test("frame tables: time units, SOC in %, frame names; errors with line and column", async () => {
  const { parseFrameTable, parseParticleTimeTable } = await import("../../src/imaging/optical/index.js");
  const t = parseFrameTable("frame,time_min,soc_pct\na.png,0,0\nb.png,1.5,50\n");
  assert.deepEqual(Array.from(t.times), [0, 90]);
  assert.deepEqual(Array.from(t.soc ?? []), [0, 0.5]);
  assert.deepEqual(t.frames, ["a.png", "b.png"]);
  assert.equal(parseFrameTable("time_s\n0\n10\n").soc, undefined);
  assert.throws(() => parseFrameTable("time_s,soc\n0,0\n0,0.1\n", "t.csv"), /t\.csv, line 3.*must increase/);
  assert.throws(() => parseFrameTable("time_s,soc\n0,zero\n", "t.csv"), /line 2, column 2/);
  assert.throws(() => parseFrameTable("when,soc\n0,0\n", "t.csv"), /no time column/);
  const p = parseParticleTimeTable("particle,t_0s,t_600s\n0,0.3,0.31\n5,0.3,0.4\n");
  assert.deepEqual(Array.from(p.times), [0, 600]);
  assert.deepEqual(p.ids, [0, 5]);
  assert.deepEqual(Array.from(p.values), [0.3, 0.31, 0.3, 0.4]);
  assert.throws(() => parseParticleTimeTable("particle,time\n0,1\n", "i.csv"), /t_<seconds>s/);
});
