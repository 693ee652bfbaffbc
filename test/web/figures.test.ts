/**
 * The lab's figures (src/web/app/figures.ts) are deterministic SVG strings: each is compared
 * with a committed snapshot under test/web/snapshots/. Regenerate after an intended change with
 *   UPDATE_SNAPSHOTS=1 node scripts/run-tests.mjs test/web/figures
 * Besides the snapshots, structural checks that do not depend on them: the heat map draws one
 * cell per (time, radius) sample, the colour ramp ends on viridis' end colours, and the data
 * behind the particle figures is the library's simulation.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { getMaterial } from "../../src/materials/index.js";
import { simulateParticle } from "../../src/particle/simulate.js";
import { parseProtocol } from "../../src/protocol/parse.js";
import {
  concentrationHeatmap,
  crackProfileFigure,
  currentFigure,
  fractureFigures,
  impedanceFigures,
  materialCurves,
  materialFigures,
  particleStateMap,
  pickRows,
  rampColor,
  scaleFor,
  studyFigures,
  titrationFigure,
  voltageFigure,
} from "../../src/web/app/figures.js";
import { runFitEis, runSimulate } from "../../src/web/app/jobs.js";

const SNAPSHOTS = resolve(process.cwd(), "test/web/snapshots");
const UPDATE = process.env.UPDATE_SNAPSHOTS === "1";

function snapshot(name: string, svg: string): void {
  assert.ok(svg.startsWith("<svg"), `${name} is an SVG`);
  assert.ok(!/NaN|undefined|Infinity/.test(svg), `${name} has no NaN/undefined/Infinity`);
  const file = join(SNAPSHOTS, `${name}.svg`);
  if (UPDATE || !existsSync(file)) {
    if (!UPDATE) assert.fail(`missing snapshot ${file}: run with UPDATE_SNAPSHOTS=1 to create it`);
    mkdirSync(SNAPSHOTS, { recursive: true });
    writeFileSync(file, svg);
    return;
  }
  assert.equal(
    svg,
    readFileSync(file, "utf8"),
    `${name} differs from its snapshot (UPDATE_SNAPSHOTS=1 to accept)`,
  );
}

const PROTOCOL = "Charge at 2C until 4.1 V\nRest for 10 min";

test("particle figures: V(t), I(t) snapshots; the data is simulateParticle's", () => {
  const r = runSimulate({
    type: "simulate",
    material: "NMC811",
    radius: 3e-6,
    protocol: PROTOCOL,
    shells: 10,
  });
  const lib = simulateParticle(
    { material: getMaterial("NMC811"), radius: 3e-6, shells: 10 },
    parseProtocol(PROTOCOL),
  );
  // the worker's job and the library's one-call function run the same solver: identical doubles
  assert.deepEqual(Array.from(r.time), Array.from(lib.run.series.time));
  assert.deepEqual(Array.from(r.voltage), Array.from(lib.run.series.voltage));
  assert.deepEqual(Array.from(r.current), Array.from(lib.run.series.current));
  snapshot("particle-voltage", voltageFigure(r));
  snapshot("particle-current", currentFigure(r));
  // heat map rows: the recorded profiles; the last equals the final state of the simulator
  const nr = r.radii.length;
  assert.equal(nr, 11);
  const final = lib.simulator.profile();
  for (let j = 0; j < nr; j++) {
    // float32 storage of display data: relative rounding 6e-8
    assert.ok(Math.abs(r.profiles[(r.profileTimes.length - 1) * nr + j] - final[j]) < 1e-7);
  }
});

test("concentration heat map: one cell per sample, viridis ramp, snapshot", () => {
  const times = Array.from({ length: 12 }, (_, i) => i * 300);
  const radii = Array.from({ length: 6 }, (_, j) => (j / 5) * 4e-6);
  // analytic stand-in for a charge: surface depletes first, x = 0.9 − 0.4·(t/T)·(0.3 + 0.7 (r/R)²)
  const values: number[] = [];
  for (const t of times)
    for (const r of radii) values.push(0.9 - 0.4 * (t / 3300) * (0.3 + 0.7 * (r / 4e-6) ** 2));
  const svg = concentrationHeatmap({ times, radii, values, radius: 4e-6 });
  const cells = svg
    .split("\n")
    .filter((l) => l.startsWith("<rect x=") && !l.includes('width="14"') && !l.includes('fill="none"'));
  assert.equal(cells.length, times.length * radii.length);
  assert.equal(rampColor(0), "#440154");
  assert.equal(rampColor(1), "#fde725");
  // the highest x (0.9 at t = 0) is the ramp's top colour, the lowest (t = T at the surface) the bottom
  assert.ok(cells[0].includes('fill="#fde725"'));
  assert.ok(cells[cells.length - 1].includes('fill="#440154"'));
  assert.deepEqual(pickRows(10, 4), [0, 3, 6, 9]);
  snapshot("heatmap", svg);
});

test("material figures: U, D, i0, κ of NMC811 with sources", () => {
  const m = getMaterial("NMC811");
  const c = materialCurves(m, 41);
  assert.equal(c.x[0], m.validRange[0]);
  assert.equal(c.x[40], m.validRange[1]);
  assert.equal(c.ocv[10], m.openCircuitPotential(c.x[10]));
  assert.equal(c.sources.length, 4);
  for (const s of c.sources) assert.ok(s.source.length > 5, `source of ${s.property}`);
  const figs = materialFigures(m, c);
  for (const [k, svg] of Object.entries(figs)) snapshot(`material-${k}`, svg);
});

test("impedance figures of the real impedance.py example file (fit + lin-KK)", () => {
  const path = resolve(process.cwd(), "test/data/impedancepy__exampleData.csv");
  const r = runFitEis({
    type: "fit-eis",
    name: "impedancepy__exampleData.csv",
    bytes: new Uint8Array(readFileSync(path)),
    circuit: "R0-p(R1,C1)-p(R2-Wo1,C2)",
    guess: [0.01, 0.01, 100, 0.01, 0.05, 100, 1],
  });
  assert.ok(r.converged);
  assert.equal(r.frequency.length, 66);
  assert.ok(r.linkk.pass, r.linkk.verdict);
  const figs = impedanceFigures(
    r,
    r.curve,
    {
      fitReal: r.residualReal,
      fitImag: r.residualImag,
      kkReal: r.linkk.residualReal,
      kkImag: r.linkk.residualImag,
    },
    r.label,
  );
  for (const [k, svg] of Object.entries(figs)) snapshot(`eis-${k}`, svg);
});

test("study and crack-profile figures (fixed inputs)", () => {
  const figs = studyFigures({
    eis: { ocv: [3.8, 3.9, 4.0, 4.1], j0: [1.1, 1.6, 1.9, 1.7], j0True: [1.0, 1.5, 2.0, 1.8] },
    pitt: {
      ocv: [3.85, 3.95, 4.05],
      diffusivity: [2e-15, 5e-15, 8e-15],
      diffusivityTrue: [2.2e-15, 5.1e-15, 7.5e-15],
      biot: [40, 20, 9],
    },
  });
  for (const [k, svg] of Object.entries(figs)) snapshot(`study-${k}`, svg);
  snapshot(
    "crack-profile",
    crackProfileFigure([
      { label: 1, depth: [0.1, 0.3, 0.5, 0.7, 0.9], fraction: [0.01, 0.03, 0.06, 0.1, 0.12] },
      { label: 2, depth: [0.1, 0.3, 0.5, 0.7, 0.9], fraction: [0, 0, 0.01, 0.02, 0.02] },
    ]),
  );
});

test("electrode map, fracture and titration figures (fixed inputs)", () => {
  const layout = {
    dimension: 2 as const,
    box: [40e-6, 0, 20e-6] as const,
    x: [5e-6, 15e-6, 25e-6, 35e-6],
    y: [0, 0, 0, 0],
    z: [5e-6, 12e-6, 5e-6, 12e-6],
    radius: [4e-6, 5e-6, 3e-6, 4e-6],
    covered: [1, 0, 1, 1],
  };
  const map = particleStateMap(layout, [0.9, 0.7, 0.5, 0.35], 0.35, 0.9, "Li fraction");
  assert.equal((map.match(/<circle /g) ?? []).length, 4);
  assert.ok(map.includes(`fill="${rampColor(1)}"`) && map.includes(`fill="${rampColor(0)}"`));
  assert.equal((map.match(/stroke-dasharray/g) ?? []).length, 1, "one particle without carbon contact");
  snapshot("electrode-map", map);
  const f = fractureFigures({
    voltage: [3.7, 3.9, 4.1, 4.3],
    meanDamage: [0, 0.01, 0.05, 0.2],
    crackedFraction: [0, 0, 0.01, 0.08],
    maxPrincipalStress: [1e8, 3e8, 5e8, 4e8],
  });
  snapshot("fracture-damage", f.damage);
  snapshot("fracture-stress", f.stress);
  snapshot(
    "titration",
    titrationFigure(
      [
        { voltage: 3.7, diffusivity: 5e-16 },
        { voltage: 3.8, diffusivity: 8e-16 },
        { voltage: 3.9, diffusivity: Number.NaN },
      ],
      "PITT",
    ),
  );
});

test("log axes only for data spanning more than a decade", () => {
  assert.equal(scaleFor([1e-15, 2e-14]), "log");
  assert.equal(scaleFor([1e-15, 9e-15], [5e-15]), "linear");
  assert.equal(scaleFor([0, -1, Number.NaN, 3]), "linear");
  assert.equal(scaleFor([]), "linear");
});
