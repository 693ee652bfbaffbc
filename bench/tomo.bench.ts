/**
 * Whole `tomo analyze` pipeline on a synthetic uint16 volume (issue 4 "Speed and memory"):
 * target ≤ 60 s and ≤ 4 GiB peak memory for 512³. The volume (≈40 cracked particles, blur
 * and noise) is written as a 16-bit TIFF to the temp folder, then read back and analysed in
 * this process, stage by stage. Usage: npx tsx bench/tomo.bench.ts [N] (default 512)
 */
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { syntheticParticles } from "../src/imaging/synthetic.js";
import { analyzeTomogram } from "../src/imaging/tomography.js";
import { readVolumeFile, writeVolumeFile } from "../src/io/volume-io.js";

const n = Number(process.argv[2] ?? 512);
const path = join(tmpdir(), `cathodelab-bench-${process.pid}.tif`);
let t = performance.now();
// radii scaled so that ≈40 particles fill ~30 % of the volume
const r = Math.round(n / 11);
const { volume } = syntheticParticles({
  shape: [n, n, n],
  particles: 40,
  seed: 7,
  radius: [Math.round(0.7 * r), r],
  blurSigma: 0.8,
  noiseSigma: 6,
  type: "uint16",
});
const tGen = performance.now() - t;
writeVolumeFile(path, volume);
const rssBefore = process.memoryUsage().rss;
t = performance.now();
const grey = readVolumeFile(path, { voxelSize: "0.124um" });
const tRead = performance.now() - t;
t = performance.now();
const a = analyzeTomogram(grey, { cracks: { skeleton: false } });
const tAnalyze = performance.now() - t;
rmSync(path, { force: true });
const peak = process.resourceUsage().maxRSS * 1024;
console.log(
  `\ntomo analyze on a synthetic ${n}³ uint16 volume (${a.totals.count} particles found, 40 planted)\n`,
);
console.log("| stage | time | target |");
console.log("|---|---|---|");
console.log(`| generate synthetic volume (not part of the pipeline) | ${(tGen / 1000).toFixed(1)} s | — |`);
console.log(`| read 16-bit TIFF | ${(tRead / 1000).toFixed(1)} s | — |`);
console.log(
  `| analyze (Otsu, closing, fill, watershed, cracks, region properties) | ${(tAnalyze / 1000).toFixed(1)} s | ≤ 60 s at 512³ (with reading) |`,
);
console.log(
  `| peak resident memory of the process | ${(peak / 2 ** 30).toFixed(2)} GiB (before reading ${(rssBefore / 2 ** 30).toFixed(2)} GiB, incl. the generator's arrays) | ≤ 4 GiB |`,
);
