/**
 * Kinetic study from measured impedance spectra of a particle electrode (issue 17 item 6):
 * every spectrum, taken at a known OCV and state of charge, is fitted with the single-particle
 * circuit
 *
 *   R0 − (R_ct − Z_sph) ‖ CPE_dl,   Z_sph = R_D·tanh(s)/(s − tanh s),  s = √(jωτ)
 *
 * (series resistance; charge transfer in series with finite spherical diffusion, Jacobsen &
 * West, Electrochim. Acta 40 (1995) 255; double layer as a CPE), and the particle quantities
 * follow with their 95 % intervals from the fit covariance:
 *  - j0 = R·T/(F·A·R_ct)           (linearised Butler–Volmer, A = total active surface)
 *  - D  = Rp²/τ                     (diffusion time of the sphere; needs no area, no dU/dc)
 *  - D_RD = |dU/dc|·Rp/(F·A·R_D)    (from the diffusion resistance; a consistency check of the
 *                                    area and the OCV slope against D)
 *  - B  = Rp·j0·|dU/dc|/(D·R·T)     (electrochemical Biot number, seed 000 eqn 4, D from τ)
 *  - C_j, C_D: interface- and diffusion-limited C-rates (seed 000 eqns 6–7)
 *  - C_dl = (Q·R_ct^(1−α))^(1/α)/A (Hsu & Mansfeld, Corrosion 57 (2001) 747) [F/m²]
 * and each spectrum gets a lin-KK test (analysis/eis/linkk.ts).
 *
 * The electrode enters through its total active surface A = 3·ε_s·L·A_cc/Rp and the maximum
 * concentration c_max = Q_nom/(F·ε_s·L·A_cc) (the definitions of PyBOP's Gunther2025
 * parameters.py: eff_surf_area, c_max), with ε_s the active-material volume fraction; the OCV
 * slope dU/dc = (dU/dx)/c_max comes from the OCV–x points of the alignment file through a
 * smoothed monotone PCHIP curve (analysis/ocv/derivative.ts). Pure: parsed data in, numbers out.
 */
import { FARADAY, T_REF } from "../../constants.js";
import { InputError } from "../../errors.js";
import { type CircuitFitResult, fitCircuit } from "../eis/fit.js";
import { type LinKKResult, linKK } from "../eis/linkk.js";
import { exchangeCurrentFromRct } from "../eis/particle.js";
import { ocvCurve } from "../ocv/derivative.js";
import { biotNumber, diffusionLimitedCRate, interfacialLimitedCRate } from "../ratelimit/index.js";

/** The fitted particle circuit (parameters R0, R1 = R_ct, Wsph1_RD, Wsph1_tau, CPE1_Q, CPE1_alpha). */
export const MEASURED_CIRCUIT = "R0-p(R1-Wsph1,CPE1)";

/** One measured spectrum. */
export interface IndexedSpectrum {
  index: number;
  /** [Hz] */
  frequency: Float64Array;
  /** Re Z, Im Z [Ω] (Im < 0 capacitive). */
  zReal: Float64Array;
  zImag: Float64Array;
}

/** OCV and state of charge (Li fraction x) of a spectrum. */
export interface AlignmentPoint {
  index: number;
  /** [V] */
  ocv: number;
  /** x [-]: Li content relative to c_max. */
  soc: number;
}

/** Electrode and particle data that turn circuit elements into particle properties (SI). */
export interface MeasuredElectrode {
  /** Particle radius Rp [m]. */
  particleRadius: number;
  /** Total electrochemically active surface A [m²]. */
  activeArea: number;
  /** Maximum Li concentration c_max [mol/m³] (x = c/c_max). */
  maxConcentration: number;
  /** Temperature [K] (default 298.15). */
  temperature?: number;
}

/**
 * A = 3·ε_s·L·A_cc/Rp [m²] and c_max = Q/(F·ε_s·L·A_cc) [mol/m³] of a particle electrode.
 * @param electrodeArea A_cc [m²]; @param thickness L [m]; @param activeFraction ε_s [-]
 * @param capacity Q_nom [C] (the charge between x = 0 and 1); @param particleRadius Rp [m]
 */
export function electrodeFromGeometry(p: {
  particleRadius: number;
  electrodeArea: number;
  thickness: number;
  activeFraction: number;
  capacity: number;
  temperature?: number;
}): MeasuredElectrode {
  for (const [k, v] of Object.entries(p)) {
    if (v !== undefined && !(Number.isFinite(v) && v > 0))
      throw new InputError("electrode data must be positive", {
        field: k,
        value: String(v),
        expected: "> 0",
      });
  }
  if (p.activeFraction > 1)
    throw new InputError("active-material fraction above 1", {
      field: "activeFraction",
      value: String(p.activeFraction),
      expected: "0 < ε_s ≤ 1",
    });
  const activeVolume = p.activeFraction * p.thickness * p.electrodeArea;
  return {
    particleRadius: p.particleRadius,
    activeArea: (3 * activeVolume) / p.particleRadius,
    maxConcentration: p.capacity / (FARADAY * activeVolume),
    temperature: p.temperature,
  };
}

// ------------------------------------------------------------------ parsers (pure)

function splitLine(line: string): string[] {
  return line.split(/[,;\t]/).map((s) => s.trim().replace(/^"|"$/g, ""));
}

/**
 * Spectra from a CSV with one row per point and a spectrum-index column (header names matched
 * loosely: *index*|*spectrum*, *freq*, *real*|Re, *imag*|Im; other columns ignored).
 */
export function parseIndexedSpectraCsv(text: string, file = "spectra"): IndexedSpectrum[] {
  const lines = text.split(/\r?\n/);
  const header = splitLine(lines[0] ?? "").map((h) => h.toLowerCase());
  const find = (re: RegExp, what: string) => {
    const k = header.findIndex((h) => re.test(h));
    if (k < 0)
      throw new InputError(`no ${what} column in the header`, {
        file,
        line: 1,
        value: lines[0]?.slice(0, 120),
        expected: "columns spectrum_index, frequency_Hz, Z_real_Ohm, Z_imag_Ohm (or similar names)",
      });
    return k;
  };
  const ci = find(/index|spectrum/, "spectrum index");
  const cf = find(/freq/, "frequency");
  const cr = find(/real|^re\b|^z'$/, "Re Z");
  const cm = find(/imag|^im\b|^z''$/, "Im Z");
  const by = new Map<number, { f: number[]; re: number[]; im: number[] }>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "") continue;
    const cells = splitLine(line);
    const cols = [ci, cf, cr, cm];
    const nums = cols.map((k) => (cells[k] === undefined || cells[k] === "" ? Number.NaN : Number(cells[k])));
    if (nums.some((v) => !Number.isFinite(v))) {
      throw new InputError("bad number in the spectra table", {
        file,
        line: i + 1,
        value: line.slice(0, 120),
        expected: "finite numbers in the index, frequency, Re Z and Im Z columns",
      });
    }
    const [idx, f, re, im] = nums;
    if (!Number.isInteger(idx))
      throw new InputError("spectrum index is not an integer", { file, line: i + 1 });
    if (!(f > 0)) throw new InputError("frequency must be > 0", { file, line: i + 1, value: String(f) });
    let s = by.get(idx);
    if (!s) {
      s = { f: [], re: [], im: [] };
      by.set(idx, s);
    }
    s.f.push(f);
    s.re.push(re);
    s.im.push(im);
  }
  if (by.size === 0)
    throw new InputError("no spectra in the file", { file, expected: "data rows after the header" });
  return [...by.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, s]) => ({
      index,
      frequency: Float64Array.from(s.f),
      zReal: Float64Array.from(s.re),
      zImag: Float64Array.from(s.im),
    }));
}

/**
 * OCV/x alignment: {indices, "OCV [V]", "Positive electrode SOC [-]"} at the top level or under
 * a key (`key`, else the only key, else a key that `hint` (e.g. the spectra file name) contains).
 */
export function parseOcvAlignment(
  json: unknown,
  options: { file?: string; key?: string; hint?: string } = {},
): { key?: string; points: AlignmentPoint[] } {
  const file = options.file ?? "alignment";
  const isTable = (o: unknown): o is Record<string, unknown> =>
    typeof o === "object" && o !== null && Array.isArray((o as Record<string, unknown>).indices);
  let key: string | undefined;
  let table: Record<string, unknown> | undefined;
  if (isTable(json)) table = json;
  else if (typeof json === "object" && json !== null) {
    const obj = json as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => isTable(obj[k]));
    key =
      options.key ??
      (keys.length === 1
        ? keys[0]
        : keys.filter((k) => options.hint?.includes(k)).sort((a, b) => b.length - a.length)[0]);
    if (key === undefined || !isTable(obj[key]))
      throw new InputError("which data set of the alignment file?", {
        file,
        field: "--alignment-key",
        value: key,
        expected: `one of ${keys.join(", ") || "(no table with indices)"}`,
      });
    table = obj[key] as Record<string, unknown>;
  }
  if (!table)
    throw new InputError("not an OCV alignment table", { file, expected: "a JSON object with indices" });
  const col = (names: RegExp, what: string): number[] => {
    const k = Object.keys(table).find((n) => names.test(n));
    const v = k === undefined ? undefined : table[k];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "number" && Number.isFinite(x)))
      throw new InputError(`no ${what} list in the alignment`, {
        file,
        field: key ? `${key}.${k ?? what}` : (k ?? what),
        expected: `an array of numbers (${what})`,
      });
    return v as number[];
  };
  const indices = col(/^indices$/, "indices");
  const ocv = col(/^OCV/i, "OCV [V]");
  const soc = col(/SOC|stoichiometry|Li fraction/i, "SOC / x");
  if (ocv.length !== indices.length || soc.length !== indices.length)
    throw new InputError("alignment lists differ in length", {
      file,
      value: `${indices.length} indices, ${ocv.length} OCV, ${soc.length} SOC`,
      expected: "equal lengths",
    });
  return { key, points: indices.map((index, i) => ({ index, ocv: ocv[i], soc: soc[i] })) };
}

// ------------------------------------------------------------------ study

export interface MeasuredStudyOptions {
  /** Fit only points with fMin ≤ f ≤ fMax [Hz] (default all). */
  fMin?: number;
  fMax?: number;
  /** Which spectra are delithiation (charge); default: odd indices (PyBOP Gunther2025 data). */
  isCharge?: (index: number) => boolean;
  /**
   * OCV points closer than this in x are averaged before dU/dx is taken (default 0.01): the
   * charge and discharge spectra of one step sit ~0.001 apart in x with OCVs ~1 mV apart, whose
   * slope (~4 V) is hysteresis/relaxation, not dU/dx.
   */
  ocvMergeWidth?: number;
  /** Half-width in x of the LOESS smoothing of U(x) (default 0: PCHIP through the merged points). */
  ocvBandwidth?: number;
  /** Acceptable interfacial overpotential for C_j [V] (default 0.1, seed 000). */
  overpotential?: number;
  onProgress?: (fraction: number, label: string) => void;
}

/** A value with its 95 % interval. */
export interface Estimate {
  value: number;
  ci95: [number, number];
}

export interface MeasuredPoint {
  index: number;
  phase: "charge" | "discharge";
  ocv: number;
  x: number;
  /** |dU/dx| [V] and |dU/dc| [V·m³/mol] at x. */
  dUdx: number;
  dUdc: number;
  points: number;
  /** The fitted data (the frequency window). */
  data: { frequency: Float64Array; zReal: Float64Array; zImag: Float64Array };
  fit: CircuitFitResult;
  seriesResistance: number;
  chargeTransferResistance: Estimate;
  /** j0 [A/m²]. */
  exchangeCurrentDensity: Estimate;
  /** D from τ = Rp²/D [m²/s], and τ [s]. */
  diffusivity: Estimate;
  diffusionTime: Estimate;
  /** D from R_D [m²/s] (consistency check). */
  diffusivityFromRd: Estimate;
  biot: Estimate;
  /** C_j, C_D [1/h] for the particle radius. */
  interfacialCRate: number;
  diffusionCRate: number;
  limitedBy: "interface" | "diffusion";
  /** Double-layer capacitance per active area [F/m²]. */
  doubleLayerCapacitance: number;
  /** All intervals finite (the spectrum determines j0 and D). */
  determined: boolean;
  linkk: LinKKResult;
  /** Notes (fit restarts, undetermined quantities). */
  notes: string[];
}

export interface MeasuredStudyResult {
  circuit: string;
  electrode: Required<MeasuredElectrode>;
  points: MeasuredPoint[];
  /** The OCV curve used for dU/dx: knots (x, U). */
  ocv: { x: number[]; u: number[] };
  /** Charge/discharge pairs at about the same x: j0 and D ratios discharge/charge. */
  hysteresis: { x: number; ocv: number; j0Ratio: number; dRatio: number }[];
  /** Spectra in the file without an OCV (left out) and alignment rows without a spectrum. */
  unmatched: { spectra: number[]; alignment: number[] };
}

/** Average OCV points that lie within `width` of each other in x (chained), sorted by x. */
export function mergeCloseOcvPoints(points: AlignmentPoint[], width: number): { x: number[]; u: number[] } {
  const sorted = [...points].sort((a, b) => a.soc - b.soc);
  const x: number[] = [];
  const u: number[] = [];
  let group: AlignmentPoint[] = [];
  const flush = () => {
    if (group.length === 0) return;
    x.push(group.reduce((s, p) => s + p.soc, 0) / group.length);
    u.push(group.reduce((s, p) => s + p.ocv, 0) / group.length);
    group = [];
  };
  for (const p of sorted) {
    if (group.length > 0 && p.soc - group[group.length - 1].soc > width) flush();
    group.push(p);
  }
  flush();
  return { x, u };
}

function interval(value: number, f: (v: number) => number, half: number): [number, number] {
  const a = f(value + half);
  const b = value - half > 0 ? f(value - half) : Number.POSITIVE_INFINITY;
  return a < b ? [a, b] : [b, a];
}

/** Run the study: fit every spectrum that has an alignment row. */
export function runMeasuredStudy(
  spectra: IndexedSpectrum[],
  alignment: AlignmentPoint[],
  electrode: MeasuredElectrode,
  options: MeasuredStudyOptions = {},
): MeasuredStudyResult {
  const T = electrode.temperature ?? T_REF;
  const R = electrode.particleRadius;
  const A = electrode.activeArea;
  const cmax = electrode.maxConcentration;
  for (const [k, v] of [
    ["particleRadius", R],
    ["activeArea", A],
    ["maxConcentration", cmax],
    ["temperature", T],
  ] as const) {
    if (!(v > 0 && Number.isFinite(v)))
      throw new InputError("electrode value must be positive", { field: k });
  }
  const isCharge = options.isCharge ?? ((i: number) => i % 2 === 1);
  const eta = options.overpotential ?? 0.1;
  const byIndex = new Map(alignment.map((a) => [a.index, a]));
  const used = spectra.filter((s) => byIndex.has(s.index));
  const unmatched = {
    spectra: spectra.filter((s) => !byIndex.has(s.index)).map((s) => s.index),
    alignment: alignment.filter((a) => !spectra.some((s) => s.index === a.index)).map((a) => a.index),
  };
  if (used.length === 0)
    throw new InputError("no spectrum has an OCV in the alignment", {
      field: "indices",
      expected: `alignment indices matching the spectra (${spectra.map((s) => s.index).join(", ")})`,
    });
  const merged = mergeCloseOcvPoints(alignment, options.ocvMergeWidth ?? 0.01);
  const curve = ocvCurve(merged.x, merged.u, {
    bandwidth: options.ocvBandwidth ?? 0,
    monotone: "decreasing",
  });

  const points: MeasuredPoint[] = [];
  const guesses = new Map<string, { params: Float64Array; rms: number }>();
  let done = 0;
  for (const s of used) {
    const a = byIndex.get(s.index) as AlignmentPoint;
    const phase = isCharge(s.index) ? "charge" : "discharge";
    const keep: number[] = [];
    for (let i = 0; i < s.frequency.length; i++) {
      const f = s.frequency[i];
      if (
        (options.fMin === undefined || f >= options.fMin) &&
        (options.fMax === undefined || f <= options.fMax)
      )
        keep.push(i);
    }
    if (keep.length < 12)
      throw new InputError(`spectrum ${s.index} has ${keep.length} points in the frequency window`, {
        field: "--fmin/--fmax",
        expected: "at least 12 points",
      });
    const z = {
      frequency: Float64Array.from(keep, (i) => s.frequency[i]),
      zReal: Float64Array.from(keep, (i) => s.zReal[i]),
      zImag: Float64Array.from(keep, (i) => s.zImag[i]),
    };
    const notes: string[] = [];
    const fitOnce = (initialGuess: Float64Array | undefined, multiStart: number) =>
      fitCircuit(MEASURED_CIRCUIT, z, { initialGuess, multiStart, weighting: "modulus", seed: 1 });
    const previous = guesses.get(phase);
    let fit = fitOnce(previous?.params, previous ? 0 : 3);
    // the previous spectrum of the same branch is a good start while the spectra change
    // slowly; where the warm start fits clearly worse than the previous spectrum did (or does
    // not converge), restart from the spectrum's own scales with multi-start, keep the better
    if (previous && (!fit.converged || fit.rmsRelative > 1.25 * previous.rms)) {
      const fresh = fitOnce(undefined, 3);
      if (fresh.chiSquare < fit.chiSquare) {
        fit = fresh;
        notes.push("refitted from a fresh multi-start (better than the warm start)");
      }
    }
    guesses.set(phase, { params: fit.params, rms: fit.rmsRelative });
    const k = (name: string) => fit.parameters.findIndex((p) => p.name === name);
    const [iR0, iRct, iRd, iTau, iQ, iAlpha] = [
      "R0",
      "R1",
      "Wsph1_RD",
      "Wsph1_tau",
      "CPE1_Q",
      "CPE1_alpha",
    ].map(k);
    const p = fit.params;
    const h = fit.confidenceInterval95;
    const se = fit.standardErrors;
    const n = p.length;
    const rct = p[iRct];
    const tau = p[iTau];
    const rd = p[iRd];
    const dUdx = Math.abs(curve.derivative(a.soc));
    const dUdc = dUdx / cmax;
    const j0 = exchangeCurrentFromRct(rct, A, T);
    const D = (R * R) / tau;
    const Drd = (dUdc * R) / (FARADAY * A * rd);
    const B = biotNumber(R, j0, dUdc, D, T);
    // B ∝ τ/R_ct: relative standard error by the delta method with the fit covariance
    const covRT = fit.covariance[iRct * n + iTau];
    const relB = Math.sqrt(
      Math.max(0, (se[iRct] / rct) ** 2 + (se[iTau] / tau) ** 2 - (2 * covRT) / (rct * tau)),
    );
    const tFactor = se[iRct] > 0 ? h[iRct] / se[iRct] : 1.96;
    const bCi: [number, number] = [B * Math.exp(-tFactor * relB), B * Math.exp(tFactor * relB)];
    const alpha = p[iAlpha];
    const cdl = (p[iQ] * rct ** (1 - alpha)) ** (1 / alpha) / A;
    const cj = interfacialLimitedCRate(j0, eta, 3 / R, FARADAY * cmax, T);
    const cd = diffusionLimitedCRate(D, R);
    const j0Ci = interval(rct, (r) => exchangeCurrentFromRct(r, A, T), h[iRct]);
    const dCi = interval(tau, (t) => (R * R) / t, h[iTau]);
    const drdCi = interval(rd, (r) => (dUdc * R) / (FARADAY * A * r), h[iRd]);
    const determined = [j0Ci, dCi].every((c) => Number.isFinite(c[1]) && c[0] > 0) && fit.converged;
    if (!determined) notes.push("j0 or D not determined by this spectrum (95 % interval reaches 0 or ∞)");
    const kk = linKK(z.frequency, z.zReal, z.zImag);
    points.push({
      index: s.index,
      phase,
      ocv: a.ocv,
      x: a.soc,
      dUdx,
      dUdc,
      points: keep.length,
      data: z,
      fit,
      seriesResistance: p[iR0],
      chargeTransferResistance: { value: rct, ci95: [rct - h[iRct], rct + h[iRct]] },
      exchangeCurrentDensity: { value: j0, ci95: j0Ci },
      diffusivity: { value: D, ci95: dCi },
      diffusionTime: { value: tau, ci95: [tau - h[iTau], tau + h[iTau]] },
      diffusivityFromRd: { value: Drd, ci95: drdCi },
      biot: { value: B, ci95: bCi },
      interfacialCRate: cj,
      diffusionCRate: cd,
      limitedBy: cj < cd ? "interface" : "diffusion",
      doubleLayerCapacitance: cdl,
      determined,
      linkk: kk,
      notes,
    });
    options.onProgress?.(++done / used.length, `spectrum ${s.index}`);
  }

  // hysteresis: each charge point with the discharge point nearest in x (within 0.02)
  const hysteresis: MeasuredStudyResult["hysteresis"] = [];
  for (const c of points.filter((q) => q.phase === "charge" && q.determined)) {
    let best: MeasuredPoint | undefined;
    for (const d of points)
      if (
        d.phase === "discharge" &&
        d.determined &&
        Math.abs(d.x - c.x) <= 0.02 &&
        (!best || Math.abs(d.x - c.x) < Math.abs(best.x - c.x))
      )
        best = d;
    if (best)
      hysteresis.push({
        x: c.x,
        ocv: c.ocv,
        j0Ratio: best.exchangeCurrentDensity.value / c.exchangeCurrentDensity.value,
        dRatio: best.diffusivity.value / c.diffusivity.value,
      });
  }
  return {
    circuit: MEASURED_CIRCUIT,
    electrode: { particleRadius: R, activeArea: A, maxConcentration: cmax, temperature: T },
    points,
    ocv: { x: Array.from(curve.x), u: Array.from(curve.u) },
    hysteresis,
    unmatched,
  };
}

/** Geometric mean, min and max of the positive finite values (undefined when there are none). */
export function summarize(values: number[]): { geometricMean: number; min: number; max: number } | undefined {
  const v = values.filter((x) => x > 0 && Number.isFinite(x));
  if (v.length === 0) return undefined;
  return {
    geometricMean: Math.exp(v.reduce((s, x) => s + Math.log(x), 0) / v.length),
    min: Math.min(...v),
    max: Math.max(...v),
  };
}
