/**
 * Electrode network model benchmark (issue 5 speed targets): wall time and memory of one
 * C/20 cycle (charge to 4.3 V, hold to C/50, discharge to 2.5 V) of NMC532 electrodes with
 * 10², 10³, 10⁴ particles, and of 10⁵ particles (a part of the cycle, extrapolated by the
 * number of accepted steps of the 10⁴ run — stated in the table), beside MPET's published
 * figure (REFERENCE §6: 10 volumes × 10 diffusion particles in 1.1 s; MPET fails above
 * ≈2 450 particles per volume).
 *
 * Usage: npx tsx bench/electrode.bench.ts [--quick | --full] [--async]
 *   --quick: skip 10⁵;  --full: run the whole 10⁵ cycle instead of extrapolating (≈5–10 min);
 *   --async: also the seed-003 asynchronous scenario (κ × 0.003) at 10³ and 10⁴ particles,
 *   whose particle-by-particle activation needs many more (and more rejected) steps
 */
import { generateMicrostructure } from "../src/electrode/microstructure.js";
import { ElectrodeSimulator } from "../src/electrode/model.js";
import { runElectrodeProtocol } from "../src/electrode/run.js";
import { getMaterial } from "../src/materials/index.js";
import { parseProtocol } from "../src/protocol/parse.js";

const quick = process.argv.includes("--quick");
const full = process.argv.includes("--full");
const asyncScenario = process.argv.includes("--async");
const material = getMaterial("NMC532");
const CYCLE = parseProtocol(
  "Charge at C/20 until 4.3 V; Hold at 4.3 V until C/50; Discharge at C/20 until 2.5 V",
);

interface Row {
  case: string;
  particles: number;
  networkNodes: number;
  generate_s: number;
  simulate_s: number;
  /** CPU time of this process during the simulation [s] (the 2-core machine is shared). */
  simulateCpu_s: number;
  steps: number;
  newton: number;
  pcgPerSolve: number;
  peakRss_MiB: number;
  note: string;
}

let peak = 0;
const sample = () => {
  const r = process.memoryUsage().rss;
  if (r > peak) peak = r;
};

function bench(
  n: number,
  protocol = CYCLE,
  note = "",
  conductivityScale = 1,
): Row & { stepsForCycle?: number } {
  global.gc?.();
  peak = 0;
  sample();
  const t0 = performance.now();
  const ms = generateMicrostructure({ particles: n, seed: 1, coverage: 0.6 });
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  sample();
  const sim = new ElectrodeSimulator({ material, microstructure: ms, conductivityScale });
  const r = runElectrodeProtocol(sim, protocol, { onProgress: sample });
  const t2 = performance.now();
  const cpu = process.cpuUsage(c1);
  sample();
  return {
    case: `${n} particles`,
    particles: ms.particles.count,
    networkNodes: ms.particles.count + ms.carbon.count,
    generate_s: (t1 - t0) / 1000,
    simulate_s: (t2 - t1) / 1000,
    simulateCpu_s: (cpu.user + cpu.system) / 1e6,
    steps: sim.stats.acceptedSteps,
    newton: sim.stats.newtonIterations,
    pcgPerSolve: sim.stats.pcgIterations / Math.max(1, sim.stats.pcgSolves),
    peakRss_MiB: peak / 2 ** 20,
    note: note || `loss ${(100 * r.firstCycleLoss).toFixed(1)} %, ${r.steps.map((s) => s.reason).join("/")}`,
  };
}

const rows: Row[] = [];
for (const n of [100, 1000, 10000]) {
  const row = bench(n);
  rows.push(row);
  console.error(`done ${n}: ${row.simulate_s.toFixed(1)} s`);
}
const ref = rows[rows.length - 1];
if (asyncScenario) {
  for (const n of [1000, 10000]) {
    const row = bench(n, CYCLE, "", 0.003);
    rows.push({
      ...row,
      case: `${n} particles, seed-003 low κ (asynchronous first charge)`,
      note: `${row.note}; rejected steps not counted`,
    });
    console.error(`done async ${n}: ${row.simulate_s.toFixed(1)} s`);
  }
}
if (full) {
  rows.push(bench(100000));
} else if (!quick) {
  // 10⁵: the first 1 h of the charge, then time per accepted step × the 10⁴ run's steps for a cycle
  const part = bench(100000, parseProtocol("Charge at C/20 for 1 h"), "");
  const perStep = part.simulate_s / Math.max(1, part.steps);
  const perStepCpu = part.simulateCpu_s / Math.max(1, part.steps);
  rows.push({ ...part, case: "100000 particles, first 1 h of charge", note: `${part.steps} steps in 1 h` });
  rows.push({
    ...part,
    case: "100000 particles, one cycle (extrapolated)",
    simulate_s: perStep * ref.steps,
    simulateCpu_s: perStepCpu * ref.steps,
    steps: ref.steps,
    note: `time per step of the partial run × ${ref.steps} steps (the 10⁴ cycle's count)`,
  });
}

const fmt = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : "n/a");
console.log("\nElectrode network model, one C/20 cycle of NMC532 (4.3–2.5 V, C/50 hold), this machine:");
console.log(
  "| case | particles | network nodes | generate [s] | simulate wall [s] | simulate CPU [s] | steps | Newton | PCG it/solve | peak RSS [MiB] | note |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.case} | ${r.particles} | ${r.networkNodes} | ${fmt(r.generate_s, 2)} | ${fmt(r.simulate_s)} | ${fmt(r.simulateCpu_s)} | ${r.steps} | ${r.newton} | ${fmt(r.pcgPerSolve)} | ${fmt(r.peakRss_MiB, 0)} | ${r.note} |`,
  );
}
console.log(
  "| MPET (published, REFERENCE §6) | 10 volumes × 10 particles | – | – | 1.1 | – | – | – | – | – | fails above ≈2 450 particles per volume |",
);
console.log("\nTargets (issue 5): 10⁴ particles ≤ 30 s per C/20 cycle; 10⁵ ≤ 10 min and ≤ 8 GiB.");
