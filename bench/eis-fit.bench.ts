/**
 * EIS fit benchmark (issue 3): fit of R0-p(R1,C1)-p(R2-Wo1,C2) to a 60-point spectrum
 * (100 kHz → 10 mHz, deterministic 1 % perturbation) from impedance.py's getting-started guess.
 *
 * Target: ≤ 10 ms median. Reference in the same table: SciPy 1.17 `curve_fit` with bounds on the
 * same data (what impedance.py's `circuit_fit` calls; impedance.py itself is not installed here),
 * timed by scripts/fixtures/eis_bench_scipy.py on this machine and stored in
 * test/fixtures/eis/bench-scipy.json; and our own fit with a finite-difference Jacobian instead
 * of the analytic one, run now.
 * Run: npx tsx bench/eis-fit.bench.ts
 */
import { readFileSync } from "node:fs";
import { Bench } from "tinybench";
import { circuitImpedance, compileCircuit } from "../src/analysis/eis/circuit.js";
import { fitCircuit } from "../src/analysis/eis/fit.js";
import { leastSquares } from "../src/numerics/least-squares.js";

const CIRCUIT = "R0-p(R1,C1)-p(R2-Wo1,C2)";
const TRUE = [0.0165, 0.0087, 3.3, 0.0054, 0.063, 233, 0.22];
const GUESS = [0.01, 0.01, 100, 0.01, 0.05, 100, 1];
const N = 60;
const frequency = Array.from({ length: N }, (_, i) => 1e5 * (1e-2 / 1e5) ** (i / (N - 1)));
const exact = circuitImpedance(CIRCUIT, frequency, TRUE);
// the same deterministic perturbation as the SciPy script: 1 % of |Z|·(sin 1.7i + j cos 2.3i)
const zReal = Float64Array.from(
  exact.re,
  (v, i) => v + 0.01 * Math.hypot(v, exact.im[i]) * Math.sin(1.7 * i),
);
const zImag = Float64Array.from(
  exact.im,
  (v, i) => v + 0.01 * Math.hypot(exact.re[i], v) * Math.cos(2.3 * i),
);
const spectrum = { frequency, zReal, zImag };
const circuit = compileCircuit(CIRCUIT);

/** The same fit without the analytic Jacobian (finite differences inside leastSquares). */
function fitFiniteDifference(): Float64Array {
  const re = new Float64Array(N);
  const im = new Float64Array(N);
  return leastSquares(
    {
      nResiduals: 2 * N,
      residual(p, out) {
        circuit.impedance(frequency, p, re, im);
        for (let i = 0; i < N; i++) {
          out[i] = re[i] - zReal[i];
          out[N + i] = im[i] - zImag[i];
        }
      },
    },
    GUESS,
    { lower: new Float64Array(7), upper: new Float64Array(7).fill(Number.POSITIVE_INFINITY) },
  ).params;
}

const ours = fitCircuit(circuit, spectrum, { initialGuess: GUESS });
const fd = fitFiniteDifference();
const scipy = JSON.parse(
  readFileSync(new URL("../test/fixtures/eis/bench-scipy.json", import.meta.url), "utf8"),
) as {
  median_ms: number;
  params: number[];
  scipy: string;
};
const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (v, k) => Math.abs(v - b[k]) / Math.abs(b[k])));

const bench = new Bench({ time: 1500, warmup: true, warmupTime: 300 });
bench
  .add("fitCircuit (analytic Jacobian)", () => {
    fitCircuit(circuit, spectrum, { initialGuess: GUESS });
  })
  .add("leastSquares, finite-difference Jacobian", () => {
    fitFiniteDifference();
  })
  .add("fitCircuit + 10-start multi-start", () => {
    fitCircuit(circuit, spectrum, { initialGuess: GUESS, multiStart: 10 });
  });
await bench.run();

const median = (name: string) => {
  const task = bench.tasks.find((t) => t.name === name)!;
  const r = task.result as unknown as { latency?: { p50?: number }; median?: number };
  return r.latency?.p50 ?? r.median ?? Number.NaN;
};
const rows = [
  {
    task: `${CIRCUIT}, ${N} points: fitCircuit (analytic Jacobian)`,
    median_ms: median("fitCircuit (analytic Jacobian)"),
    reference: `target ≤ 10 ms; SciPy ${scipy.scipy} curve_fit ${scipy.median_ms.toFixed(1)} ms`,
  },
  {
    task: "same fit, finite-difference Jacobian",
    median_ms: median("leastSquares, finite-difference Jacobian"),
    reference: "(our own, for comparison)",
  },
  {
    task: "same fit + 10 multi-starts",
    median_ms: median("fitCircuit + 10-start multi-start"),
    reference: "",
  },
];
console.log(`EIS fit benchmark (Node ${process.version})`);
console.table(rows.map((r) => ({ ...r, median_ms: Number(r.median_ms.toFixed(3)) })));
console.log(
  `iterations ${ours.iterations}, evaluations ${ours.evaluations}; max relative difference of the parameters: ` +
    `vs finite-difference fit ${maxRel(ours.params, fd).toExponential(2)}, vs SciPy ${maxRel(ours.params, scipy.params).toExponential(2)}`,
);
console.log(`target ≤ 10 ms: ${rows[0].median_ms <= 10 ? "met" : "NOT met"}`);
