/**
 * Complex non-linear least-squares fit of an equivalent circuit to an impedance spectrum
 * (SPEC §4 "EIS fitting").
 *
 * Residuals are the stacked [Re, Im] differences Z_fit − Z_data (as impedance.py's
 * `circuit_fit`, which is unweighted by default), optionally weighted:
 *  - `unit`:         r = ΔZ                          (impedance.py default)
 *  - `modulus`:      r = ΔZ/|Z_data|                 (impedance.py `weight_by_modulus`)
 *  - `proportional`: r_re = ΔRe/|Re Z_data|, r_im = ΔIm/|Im Z_data| (Boukamp, Solid State
 *                    Ionics 20 (1986) 31: weights ∝ 1/value²), each denominator floored at
 *                    1e-3·|Z_data| so a zero crossing of Im Z does not get an infinite weight.
 * The minimiser is the project's bounded Levenberg–Marquardt (numerics/least-squares.ts) with
 * the circuit's analytic Jacobian. Covariance and 95 % intervals follow curve_fit
 * (absolute_sigma = False): cov = (JᵀJ)⁻¹·χ²/(2N − k).
 */
import { InputError } from "../../errors.js";
import { type LeastSquaresResult, leastSquares } from "../../numerics/least-squares.js";
import { type CircuitParameter, type CompiledCircuit, compileCircuit } from "./circuit.js";

/** Impedance data: the shape of io/instruments' ImpedanceSpectrum. */
export interface EisSpectrum {
  /** Frequency [Hz] (> 0). */
  frequency: ArrayLike<number>;
  /** Re Z [Ω]. */
  zReal: ArrayLike<number>;
  /** Im Z [Ω], negative = capacitive. */
  zImag: ArrayLike<number>;
  label?: string;
}

export type EisWeighting = "unit" | "proportional" | "modulus";

/** Per-parameter values given by array (circuit order) or by name (`R0`, `Wo1_tau`, `Wo1_1`). */
export type ParameterValues = ArrayLike<number> | Record<string, number>;

export interface CircuitFitOptions {
  /** Starting values (SI). Default: `defaultInitialGuess`. */
  initialGuess?: ParameterValues;
  /** Parameters held constant: by name → value, or a boolean mask (held at initialGuess). */
  fixed?: Record<string, number> | ArrayLike<boolean>;
  /** Bounds (SI); defaults from the element types (R, C, Q, τ … ≥ 0; 0 ≤ α ≤ 1). */
  lower?: ParameterValues;
  upper?: ParameterValues;
  weighting?: EisWeighting;
  /** Extra starts from seeded log-uniform perturbations (×10^±1) of the guess; best kept. */
  multiStart?: number;
  /** Seed of the multi-start perturbations (default 1). */
  seed?: number;
  maxIterations?: number;
}

export interface CircuitFitResult {
  circuit: string;
  parameters: readonly CircuitParameter[];
  /** Fitted values (SI, circuit order). */
  params: Float64Array;
  standardErrors: Float64Array;
  /** 95 % confidence half-widths (Student t with `dof`). */
  confidenceInterval95: Float64Array;
  /** n×n covariance, row-major (0 rows/cols for fixed parameters). */
  covariance: Float64Array;
  fixed: boolean[];
  identifiable: boolean[];
  /** Σ of squared weighted residuals (Ω² for unit weighting, dimensionless otherwise). */
  chiSquare: number;
  /** chiSquare/dof. */
  reducedChiSquare: number;
  dof: number;
  /** Akaike information criterion 2N·ln(χ²/2N) + 2k (N points, k free parameters). */
  aic: number;
  /** Root-mean-square of the relative residuals (Z_fit − Z)/|Z| over Re and Im. */
  rmsRelative: number;
  weighting: EisWeighting;
  /** Fitted Z at the data frequencies [Ω]. */
  fitReal: Float64Array;
  fitImag: Float64Array;
  /** Relative residuals (Z_fit − Z_data)/|Z_data|, Re and Im parts. */
  residualReal: Float64Array;
  residualImag: Float64Array;
  converged: boolean;
  message: string;
  iterations: number;
  evaluations: number;
  /** Number of starts tried (1 + multiStart) and the index of the best one (0 = the guess). */
  starts: number;
  bestStart: number;
}

/** Resolve per-parameter values given by array or by name into a Float64Array. */
function resolveValues(
  circuit: CompiledCircuit,
  values: ParameterValues | undefined,
  defaults: ArrayLike<number>,
  field: string,
): Float64Array {
  const n = circuit.nParameters;
  const out = Float64Array.from(defaults);
  if (values === undefined) return out;
  if (typeof (values as ArrayLike<number>).length === "number") {
    const arr = values as ArrayLike<number>;
    if (arr.length !== n) {
      throw new InputError(
        `${field} has ${arr.length} values but circuit ${circuit.text} has ${n} parameters`,
        {
          field,
          expected: `${n} values: ${circuit.parameters.map((p) => p.name).join(", ")}`,
        },
      );
    }
    for (let i = 0; i < n; i++) out[i] = arr[i];
    return out;
  }
  for (const [name, v] of Object.entries(values as Record<string, number>)) {
    const k = circuit.indexOf(name);
    if (k < 0) {
      throw new InputError(`unknown parameter "${name}"`, {
        field,
        value: name,
        expected: `one of ${circuit.parameters.map((p) => p.name).join(", ")}`,
      });
    }
    out[k] = v;
  }
  return out;
}

function validateSpectrum(spectrum: EisSpectrum): number {
  const n = spectrum.frequency.length;
  if (spectrum.zReal.length !== n || spectrum.zImag.length !== n) {
    throw new InputError("frequency, Re Z and Im Z have different lengths", { field: "spectrum" });
  }
  for (let i = 0; i < n; i++) {
    const f = spectrum.frequency[i];
    if (!(f > 0) || !Number.isFinite(f)) {
      throw new InputError(`frequency at point ${i + 1} is not a positive finite number`, {
        field: "frequency",
        value: String(f),
        expected: "frequencies > 0 Hz",
      });
    }
    if (!Number.isFinite(spectrum.zReal[i]) || !Number.isFinite(spectrum.zImag[i])) {
      throw new InputError(`impedance at point ${i + 1} is not finite`, {
        field: "Z",
        expected: "finite Re and Im",
      });
    }
  }
  return n;
}

/**
 * A rough starting point from the spectrum's scales: resistances from the spread of Re Z,
 * time constants from the geometric-mean frequency, capacitances R·C = τ, α = 0.9.
 * For real work pass `initialGuess`; multi-start widens the search.
 * @returns values in circuit order (SI)
 */
export function defaultInitialGuess(circuit: CompiledCircuit, spectrum: EisSpectrum): Float64Array {
  const n = spectrum.frequency.length;
  let reMin = Number.POSITIVE_INFINITY;
  let reMax = Number.NEGATIVE_INFINITY;
  let logF = 0;
  for (let i = 0; i < n; i++) {
    reMin = Math.min(reMin, spectrum.zReal[i]);
    reMax = Math.max(reMax, spectrum.zReal[i]);
    logF += Math.log(spectrum.frequency[i]);
  }
  const rScale = Math.max(reMax - reMin, Math.abs(reMax) * 1e-3, 1e-12);
  const omega = 2 * Math.PI * Math.exp(logF / Math.max(n, 1));
  const nElements = new Set(circuit.parameters.map((p) => p.element)).size;
  const r = rScale / Math.max(1, nElements / 2);
  return Float64Array.from(
    circuit.parameters.map((p, k) => {
      const name = circuit.parameters[k].name;
      switch (p.elementType) {
        case "R":
          return name === circuit.parameters[0].name ? Math.max(reMin, rScale * 1e-2) : r;
        case "C":
          return 1 / (omega * r);
        case "L":
          return (r * 1e-3) / omega;
        case "CPE":
          return name.endsWith("_alpha") ? 0.9 : 1 / (omega * r);
        case "W":
          return r * Math.sqrt(omega);
        default:
          // Wo, Ws, Wsph: (resistance, τ); G: (R_G, t_G)
          return name.endsWith("_tau") || name.endsWith("_tG") ? 1 / omega : r;
      }
    }),
  );
}

/** Mulberry32: small seeded PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fit `circuit` to `spectrum` (see module comment for residuals and statistics).
 * @param circuit circuit string (impedance.py syntax) or compiled circuit
 * @param spectrum frequency [Hz], Z [Ω]
 */
export function fitCircuit(
  circuit: string | CompiledCircuit,
  spectrum: EisSpectrum,
  options: CircuitFitOptions = {},
): CircuitFitResult {
  const c = typeof circuit === "string" ? compileCircuit(circuit) : circuit;
  const N = validateSpectrum(spectrum);
  const n = c.nParameters;
  const weighting = options.weighting ?? "unit";
  if (!["unit", "proportional", "modulus"].includes(weighting)) {
    throw new InputError(`unknown weighting "${weighting}"`, {
      field: "weighting",
      expected: "unit, proportional or modulus",
    });
  }

  const guess0 = defaultInitialGuess(c, spectrum);
  const p0 = resolveValues(c, options.initialGuess, guess0, "initial guess");
  const lower = resolveValues(
    c,
    options.lower,
    c.parameters.map((p) => p.lower),
    "lower bounds",
  );
  const upper = resolveValues(
    c,
    options.upper,
    c.parameters.map((p) => p.upper),
    "upper bounds",
  );
  const fixed: boolean[] = new Array(n).fill(false);
  if (options.fixed !== undefined) {
    if (typeof (options.fixed as ArrayLike<boolean>).length === "number") {
      const mask = options.fixed as ArrayLike<boolean>;
      if (mask.length !== n)
        throw new InputError(`fixed mask has ${mask.length} entries, expected ${n}`, { field: "fixed" });
      for (let k = 0; k < n; k++) fixed[k] = Boolean(mask[k]);
    } else {
      for (const [name, v] of Object.entries(options.fixed as Record<string, number>)) {
        const k = c.indexOf(name);
        if (k < 0) {
          throw new InputError(`unknown parameter "${name}"`, {
            field: "fixed",
            value: name,
            expected: `one of ${c.parameters.map((p) => p.name).join(", ")}`,
          });
        }
        fixed[k] = true;
        p0[k] = v;
      }
    }
  }
  for (let k = 0; k < n; k++) {
    const name = c.parameters[k].name;
    if (!Number.isFinite(p0[k])) {
      throw new InputError(`initial value of ${name} is not finite`, { field: name, value: String(p0[k]) });
    }
    if (!(lower[k] <= upper[k])) {
      throw new InputError(`bounds of ${name} are inverted`, {
        field: name,
        value: `[${lower[k]}, ${upper[k]}]`,
      });
    }
    if (p0[k] < lower[k] || p0[k] > upper[k]) {
      throw new InputError(`initial value of ${name} is outside its bounds`, {
        field: name,
        value: String(p0[k]),
        expected: `a value in [${lower[k]}, ${upper[k]}] ${c.parameters[k].unit}`,
      });
    }
  }
  const nFree = fixed.filter((f) => !f).length;
  if (2 * N <= nFree) {
    throw new InputError(`${N} frequencies cannot determine ${nFree} free parameters`, {
      field: "spectrum",
      expected: `more than ${Math.ceil(nFree / 2)} frequency points`,
    });
  }

  // Weights and work buffers.
  const f = Float64Array.from(spectrum.frequency);
  const zr = Float64Array.from(spectrum.zReal);
  const zi = Float64Array.from(spectrum.zImag);
  const wRe = new Float64Array(N);
  const wIm = new Float64Array(N);
  const mod = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    mod[i] = Math.hypot(zr[i], zi[i]);
    const floor = Math.max(mod[i] * 1e-3, Number.MIN_VALUE);
    if (weighting === "unit") {
      wRe[i] = 1;
      wIm[i] = 1;
    } else if (weighting === "modulus") {
      wRe[i] = 1 / Math.max(mod[i], Number.MIN_VALUE);
      wIm[i] = wRe[i];
    } else {
      wRe[i] = 1 / Math.max(Math.abs(zr[i]), floor);
      wIm[i] = 1 / Math.max(Math.abs(zi[i]), floor);
    }
  }
  const mRe = new Float64Array(N);
  const mIm = new Float64Array(N);
  const dRe = new Float64Array(N * n);
  const dIm = new Float64Array(N * n);
  const problem = {
    nResiduals: 2 * N,
    residual(p: Float64Array, out: Float64Array) {
      c.impedance(f, p, mRe, mIm);
      for (let i = 0; i < N; i++) {
        out[i] = (mRe[i] - zr[i]) * wRe[i];
        out[N + i] = (mIm[i] - zi[i]) * wIm[i];
      }
    },
    jacobian(p: Float64Array, J: Float64Array) {
      c.impedanceJacobian(f, p, mRe, mIm, dRe, dIm);
      for (let i = 0; i < N; i++) {
        const a = wRe[i];
        const b = wIm[i];
        const row = i * n;
        const rowIm = (N + i) * n;
        for (let k = 0; k < n; k++) {
          J[row + k] = dRe[row + k] * a;
          J[rowIm + k] = dIm[row + k] * b;
        }
      }
    },
  };
  const lsOptions = { lower, upper, fixed, maxIterations: options.maxIterations };

  const run = (start: Float64Array): LeastSquaresResult | undefined => {
    try {
      return leastSquares(problem, start, lsOptions);
    } catch (error) {
      // A perturbed start can make the model non-finite; the unperturbed start must not.
      if (start === p0) throw error;
      return undefined;
    }
  };
  let best = run(p0)!;
  let bestStart = 0;
  const extra = Math.max(0, Math.floor(options.multiStart ?? 0));
  if (extra > 0) {
    const rand = mulberry32(options.seed ?? 1);
    const start = new Float64Array(n);
    for (let s = 1; s <= extra; s++) {
      for (let k = 0; k < n; k++) {
        if (fixed[k]) {
          start[k] = p0[k];
          continue;
        }
        const lo = lower[k];
        const hi = upper[k];
        let v: number;
        if (lo >= 0 && p0[k] > 0 && c.parameters[k].unit !== "1") {
          v = p0[k] * 10 ** (2 * rand() - 1); // log-uniform within ×10^±1
        } else if (Number.isFinite(lo) && Number.isFinite(hi)) {
          v = p0[k] + (rand() - 0.5) * 0.5 * (hi - lo); // bounded dimensionless (α): uniform ±25 % of range
        } else {
          v = p0[k] * (1 + 0.5 * (2 * rand() - 1));
        }
        start[k] = Math.min(hi, Math.max(lo, v));
      }
      const r = run(Float64Array.from(start));
      if (r && r.cost < best.cost) {
        best = r;
        bestStart = s;
      }
    }
  }

  // Final model and statistics.
  const params = best.params;
  const fitReal = new Float64Array(N);
  const fitImag = new Float64Array(N);
  c.impedance(f, params, fitReal, fitImag);
  const residualReal = new Float64Array(N);
  const residualImag = new Float64Array(N);
  let rel2 = 0;
  for (let i = 0; i < N; i++) {
    residualReal[i] = (fitReal[i] - zr[i]) / mod[i];
    residualImag[i] = (fitImag[i] - zi[i]) / mod[i];
    rel2 += residualReal[i] ** 2 + residualImag[i] ** 2;
  }
  const chiSquare = 2 * best.cost;
  const dof = Math.max(1, 2 * N - nFree);
  return {
    circuit: c.text,
    parameters: c.parameters,
    params,
    standardErrors: best.standardErrors,
    confidenceInterval95: best.confidenceInterval95,
    covariance: best.covariance,
    fixed,
    identifiable: best.identifiable,
    chiSquare,
    reducedChiSquare: chiSquare / dof,
    dof,
    aic: 2 * N * Math.log(Math.max(chiSquare, Number.MIN_VALUE) / (2 * N)) + 2 * nFree,
    rmsRelative: Math.sqrt(rel2 / (2 * N)),
    weighting,
    fitReal,
    fitImag,
    residualReal,
    residualImag,
    converged: best.converged,
    message: best.message,
    iterations: best.iterations,
    evaluations: best.evaluations,
    starts: 1 + extra,
    bestStart,
  };
}

/**
 * Fit a series of spectra (e.g. one per SOC step) with the same circuit, seeding each fit from
 * the previous spectrum's result (the first from `options.initialGuess`).
 */
export function fitSeries(
  circuit: string | CompiledCircuit,
  spectra: readonly EisSpectrum[],
  options: CircuitFitOptions = {},
  onProgress?: (done: number, total: number) => void,
): CircuitFitResult[] {
  const c = typeof circuit === "string" ? compileCircuit(circuit) : circuit;
  const results: CircuitFitResult[] = [];
  let guess = options.initialGuess;
  spectra.forEach((s, i) => {
    let r: CircuitFitResult;
    try {
      r = fitCircuit(c, s, { ...options, initialGuess: guess });
    } catch (error) {
      InputError.at(error, { field: `spectrum ${i + 1}${s.label ? ` (${s.label})` : ""}` });
    }
    results.push(r!);
    if (r!.converged) guess = Float64Array.from(r!.params);
    onProgress?.(i + 1, spectra.length);
  });
  return results;
}
