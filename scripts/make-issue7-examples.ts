/**
 * Writes the small synthetic example inputs of issue 7 to examples/issue7/ (deterministic):
 *   xrdct/pristine, xrdct/cycled   a.tif, c.tif (float32, Å), intensity.tif (uint8) — NMC111,
 *                                  the cycled slice delithiated towards the particle edges and
 *                                  with one outlier particle (+0.008 Å in a, −0.019 Å in c, seed 004)
 *   optical/frames/frame_NNN.png, optical/rois.csv, optical/table.csv — 8 particles, an
 *                                  asynchronous charge then a synchronous discharge (seed 003)
 *   afm/soc0.txt, soc50.txt, soc100.txt — Gwyddion ASCII ESM-amplitude maps (5 µm) with a
 *                                  boundary-higher gradient that flattens and drops with SOC (seed 002)
 * Run: npx tsx scripts/make-issue7-examples.ts
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { syntheticAfmMap } from "../src/imaging/afm/analyse.js";
import { formatMatrixText } from "../src/imaging/afm/matrix-text.js";
import { renderVirtualMicroscope, virtualRois } from "../src/imaging/optical/render.js";
import { createRng } from "../src/imaging/random.js";
import { syntheticLatticeMaps } from "../src/imaging/xrdct/synthetic.js";
import { encodeRgbPng } from "../src/io/png.js";
import { encodeTiff } from "../src/io/tiff.js";
import { getMaterial } from "../src/materials/index.js";

const root = join(process.cwd(), "examples", "issue7");
rmSync(root, { recursive: true, force: true });

// ---- XRD-CT ----
const NMC111 = getMaterial("NMC111");
const discs = [
  { x: 14, y: 14, r: 8 },
  { x: 44, y: 13, r: 9 },
  { x: 15, y: 45, r: 9 },
  { x: 46, y: 46, r: 10 },
  { x: 31, y: 30, r: 5 },
];
for (const [name, core, edge, outlier] of [
  ["pristine", 1.0, 1.0, undefined],
  ["cycled", 0.86, 0.8, 3],
] as const) {
  const m = syntheticLatticeMaps({
    material: NMC111,
    width: 60,
    height: 60,
    particles: discs.map((d) => ({ ...d, xCore: core, xEdge: edge })),
    outlier,
    noise: [4e-14, 1.5e-13],
    seed: name === "pristine" ? 11 : 12,
  });
  const dir = join(root, "xrdct", name);
  mkdirSync(dir, { recursive: true });
  const toA = (v: Float64Array) => Float32Array.from(v, (x) => x / 1e-10);
  writeFileSync(join(dir, "a.tif"), encodeTiff({ ...m.a, data: toA(m.a.data) }));
  writeFileSync(join(dir, "c.tif"), encodeTiff({ ...m.c, data: toA(m.c.data) }));
  writeFileSync(
    join(dir, "intensity.tif"),
    encodeTiff({
      ...m.intensity,
      data: Uint8Array.from(m.intensity.data, (v) => Math.max(0, Math.min(255, Math.round(v)))),
    }),
  );
}

// ---- optical ----
const W = 120;
const H = 80;
const X = [18, 48, 78, 104, 18, 48, 78, 104];
const Y = [20, 18, 22, 20, 58, 60, 56, 60];
const R = [9, 10, 8, 9, 10, 8, 9, 10];
const frames = 48;
const dt = 600; // 10 min per frame; 24 frames charge (SOC 0 → 1), 24 frames discharge
const times = Float64Array.from({ length: frames }, (_, k) => k * dt);
const soc = Float64Array.from({ length: frames }, (_, k) => (k <= 23 ? k / 23 : 1 - (k - 23) / 24));
const tau = 3 * dt;
const rng = createRng(5);
const onsets = X.map((_, p) => 600 + p * 1500 + rng.uniform(0, 300)); // asynchronous first charge
const I = new Float64Array(X.length * frames);
for (let p = 0; p < X.length; p++)
  for (let k = 0; k < frames; k++) {
    const t = times[k];
    const charge = 0.3 * Math.min(1, Math.max(0, (t - onsets[p]) / tau));
    const discharge = 0.3 * Math.min(1, Math.max(0, (t - 24 * dt - 300) / (6 * dt))); // all together
    I[p * frames + k] = 0.62 - charge + discharge;
  }
const rgb = renderVirtualMicroscope({
  width: W,
  height: H,
  x: X,
  y: Y,
  radius: R,
  intensities: I,
  frames,
  background: 0.12,
});
const odir = join(root, "optical");
mkdirSync(join(odir, "frames"), { recursive: true });
for (const [k, f] of rgb.entries())
  writeFileSync(join(odir, "frames", `frame_${String(k).padStart(3, "0")}.png`), encodeRgbPng(f, W, H));
writeFileSync(
  join(odir, "rois.csv"),
  `id,x,y,r\n${virtualRois({ x: X, y: Y, radius: R })
    .map((r) => (r.kind === "circle" ? `${r.id},${r.cx},${r.cy},${r.r}` : ""))
    .join("\n")}\n`,
);
writeFileSync(
  join(odir, "table.csv"),
  `frame,time_s,soc\n${Array.from(times, (t, k) => `frame_${String(k).padStart(3, "0")}.png,${t},${soc[k].toFixed(5)}`).join("\n")}\n`,
);

// ---- AFM ----
const adir = join(root, "afm");
mkdirSync(adir, { recursive: true });
const pixel = 5e-6 / 48;
for (const [name, s] of [
  ["soc0", 0],
  ["soc50", 0.5],
  ["soc100", 1],
] as const) {
  const edge = 1.0 - 0.5 * s;
  const core = 0.55 - 0.2 * s;
  const map = syntheticAfmMap({
    width: 48,
    height: 48,
    pixel,
    particles: [
      { x: 15, y: 16, r: 11 },
      { x: 34, y: 31, r: 12 },
    ],
    vEdge: edge,
    gradient: -(edge - core) / (12 * pixel),
    matrix: 0.15,
  });
  const noise = createRng(21 + Math.round(10 * s));
  for (let i = 0; i < map.data.length; i++) map.data[i] += 0.01 * noise.normal();
  writeFileSync(
    join(adir, `${name}.txt`),
    formatMatrixText(map, { channel: "ESM amplitude", valueUnit: "a.u.", digits: 3 }),
  );
}
console.log(`wrote ${root}`);
