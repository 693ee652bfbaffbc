/**
 * PITT fit benchmark (issue 3): fitPitt on a 400-point sphere transient (D = 1e-14 m²/s, B = 2,
 * ΔQ = 1e-9 C, R = 5 µm, log-spaced 1 s → 5 τ, deterministic 1 % perturbation), ΔQ free,
 * multi-start (3 LM runs) included.
 *
 * Target: ≤ 20 ms median. Reference in the same table: SciPy 1.17 `least_squares` (TRF,
 * 2-point Jacobian) on the same model and data from one good start, timed on this machine by
 * scripts/fixtures/pitt_bench_scipy.py (test/fixtures/pitt/bench-scipy.json); and the cost of one
 * model evaluation (400 points, roots for a new B), run now.
 * Run: npx tsx bench/pitt-fit.bench.ts
 */
import { readFileSync } from "node:fs";
import { Bench } from "tinybench";
import { fitPitt, PittModel, pittCurrentSeries } from "../src/analysis/pitt/index.js";

const R = 5e-6;
const D = 1e-14;
const B = 2;
const Q = 1e-9;
const TAU = (R * R) / D;
const N = 400;
const t = Float64Array.from({ length: N }, (_, i) => (5 * TAU) ** (i / (N - 1)));
const exact = pittCurrentSeries(t, { D, B, Q, radius: R });
const I = Float64Array.from(exact, (v, i) => v * (1 + 0.01 * Math.sin(1.7 * i)));

const check = fitPitt(t, I, { radius: R });
const model = new PittModel(t, "sphere", R);
const out = new Float64Array(N);
let bump = 0;

const bench = new Bench({ time: 2000, warmupTime: 500 });
bench
  .add("fitPitt, 400 points, ΔQ free, 3 starts", () => {
    fitPitt(t, I, { radius: R });
  })
  .add("one model evaluation, new B (roots + 400 points)", () => {
    bump = (bump + 1) % 1000;
    model.unitCurrent(D, B * (1 + 1e-9 * bump), out);
  });
await bench.run();

const scipy = JSON.parse(
  readFileSync(new URL("../test/fixtures/pitt/bench-scipy.json", import.meta.url), "utf8"),
) as {
  median_ms: number;
  scipy: string;
};
const rows = bench.tasks.map((task) => {
  const r = task.result as unknown as { latency?: { p50?: number; samplesCount?: number }; median?: number };
  const median = r.latency?.p50 ?? r.median ?? Number.NaN;
  return {
    task: task.name,
    "median [ms]": Number(median.toPrecision(4)),
    samples: r.latency?.samplesCount ?? "",
  };
});
rows.push({
  task: `reference: SciPy ${scipy.scipy} least_squares, same model/data, 1 start`,
  "median [ms]": Number(scipy.median_ms.toPrecision(4)),
  samples: 7,
});
console.table(rows);
console.log(`target: fitPitt ≤ 20 ms median → ${rows[0]["median [ms]"] <= 20 ? "met" : "NOT met"}`);
console.log(
  `recovered: D/D_true = ${(check.D.value / D).toFixed(4)}, B/B_true = ${(check.B.value / B).toFixed(4)}, ΔQ/ΔQ_true = ${(check.Q.value / Q).toFixed(4)}`,
);
