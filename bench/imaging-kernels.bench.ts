/**
 * Imaging kernels against scipy.ndimage in the same run (issue 19): binary opening and closing
 * with ball(2), connected-component labelling (6- and 26-connectivity) and the exact Euclidean
 * distance transform, on one 384³ mask of 150 overlapping spheres (≈ 25 % solid, 0.1 % speckle) written to a
 * temporary .npy that both sides read.
 *
 * Runs are interleaved: each repetition times every kernel here, then every kernel in a fresh
 * python3 (numpy + scipy; scikit-image is not installed, and its binary morphology and
 * label call these scipy.ndimage kernels), so both see the same machine load. Medians of the
 * repetitions are printed with the ratio scipy / ours (> 1: we are faster).
 *
 *   npx tsx bench/imaging-kernels.bench.ts [--size 384] [--reps 3]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { distanceTransform } from "../src/imaging/distance.js";
import { label } from "../src/imaging/label.js";
import { binaryClosing, binaryOpening } from "../src/imaging/morphology.js";
import type { Volume } from "../src/imaging/volume.js";
import { encodeNpy } from "../src/io/npy.js";

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const N = opt("--size", 384);
const REPS = opt("--reps", 3);

// 150 spheres of radius 20–40 voxels (seeded LCG), overlapping: a few large components
const data = new Uint8Array(N * N * N);
let seed = 2026;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const scale = N / 384;
for (let k = 0; k < 150; k++) {
  const r = (20 + 20 * rnd()) * scale;
  const c = [rnd() * N, rnd() * N, rnd() * N];
  const z0 = Math.max(0, Math.floor(c[0] - r));
  const z1 = Math.min(N - 1, Math.ceil(c[0] + r));
  for (let z = z0; z <= z1; z++)
    for (let y = Math.max(0, Math.floor(c[1] - r)); y <= Math.min(N - 1, Math.ceil(c[1] + r)); y++) {
      const rest = r * r - (z - c[0]) ** 2 - (y - c[1]) ** 2;
      if (rest < 0) continue;
      const h = Math.sqrt(rest);
      const x0 = Math.max(0, Math.ceil(c[2] - h));
      const x1 = Math.min(N - 1, Math.floor(c[2] + h));
      if (x1 >= x0) data.fill(1, x0 + N * (y + N * z), x1 + 1 + N * (y + N * z));
    }
}
// speckle: 0.1 % of voxels flipped, so labelling and morphology see noise as on real data
for (let i = 0; i < data.length; i += 1 + Math.floor(rnd() * 2000)) data[i] ^= 1;
const mask: Volume<Uint8Array> = { data, shape: [N, N, N], spacing: [1, 1, 1] };
let solid = 0;
for (let i = 0; i < data.length; i++) solid += data[i];

const dir = mkdtempSync(join(tmpdir(), "cathodelab-bench-"));
const npy = join(dir, "mask.npy");
writeFileSync(npy, encodeNpy(mask));
const py = `
import json, sys, time
import numpy as np
from scipy import ndimage as ndi
m = np.load(sys.argv[1]).astype(bool)
z, y, x = np.ogrid[-2:3, -2:3, -2:3]
ball2 = (x * x + y * y + z * z) <= 4
out = {}
def t(name, f):
    t0 = time.perf_counter(); c0 = time.process_time(); r = f()
    out[name] = [time.perf_counter() - t0, time.process_time() - c0]; return r
t("binary opening ball(2)", lambda: ndi.binary_opening(m, structure=ball2))
t("binary closing ball(2)", lambda: ndi.binary_closing(m, structure=ball2))
l6 = t("label 6-conn", lambda: ndi.label(m))
l26 = t("label 26-conn", lambda: ndi.label(m, structure=np.ones((3, 3, 3))))
t("EDT (float64)", lambda: ndi.distance_transform_edt(m))
out["counts"] = [int(l6[1]), int(l26[1])]
print(json.dumps(out))
`;

const kernels: [string, () => unknown][] = [
  ["binary opening ball(2)", () => binaryOpening(mask, 2)],
  ["binary closing ball(2)", () => binaryClosing(mask, 2)],
  ["label 6-conn", () => label(mask, { connectivity: 6 })],
  ["label 26-conn", () => label(mask, { connectivity: 26 })],
  ["EDT (float64)", () => distanceTransform(mask, { sampling: [1, 1, 1] })],
];
// [wall, CPU] seconds per repetition
const ours = new Map<string, number[][]>();
const theirs = new Map<string, number[][]>();
const counts: string[] = [];
// warm-up (JIT) on the same data
for (const [, f] of kernels) f();
console.log(
  `imaging kernels, ${N}³ mask (${((100 * solid) / data.length).toFixed(1)} % solid), ${REPS} interleaved repetitions; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} on a shared 2-core machine (timings are noisy: medians below)`,
);
for (let rep = 0; rep < REPS; rep++) {
  for (const [name, f] of kernels) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = f() as { count?: number };
    const c = process.cpuUsage(c0);
    const s = [(performance.now() - t0) / 1000, (c.user + c.system) / 1e6];
    ours.set(name, [...(ours.get(name) ?? []), s]);
    if (rep === 0 && r && typeof r.count === "number") counts.push(`${name}: ${r.count} components`);
  }
  const p = spawnSync("python3", ["-c", py, npy], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (p.status !== 0) {
    console.log(`scipy run failed: ${p.stderr.trim().split("\n").pop()}`);
    break;
  }
  const res = JSON.parse(p.stdout) as Record<string, number[]>;
  for (const [name] of kernels) theirs.set(name, [...(theirs.get(name) ?? []), res[name]]);
  if (rep === 0) counts.push(`scipy: ${res.counts.join(" / ")} components (6 / 26)`);
}
rmSync(dir, { recursive: true, force: true });
const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length === 0
    ? Number.NaN
    : s.length % 2
      ? s[s.length >> 1]
      : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
// CPU time (user + system) is what the kernels cost; wall time also counts the waits that
// other processes on the shared machine cause
console.log("kernel                     ours wall/CPU [s]   scipy wall/CPU [s]   scipy/ours wall, CPU");
for (const [name] of kernels) {
  const a = ours.get(name) ?? [];
  const b = theirs.get(name) ?? [];
  const [aw, ac] = [median(a.map((v) => v[0])), median(a.map((v) => v[1]))];
  const [bw, bc] = [median(b.map((v) => v[0])), median(b.map((v) => v[1]))];
  console.log(
    `${name.padEnd(26)} ${aw.toFixed(3).padStart(8)} / ${ac.toFixed(3).padStart(6)}   ${bw.toFixed(3).padStart(8)} / ${bc.toFixed(3).padStart(6)}    ${(bw / aw).toFixed(2).padStart(6)}×, ${(bc / ac).toFixed(2)}×`,
  );
}
for (const c of counts) console.log(c);
