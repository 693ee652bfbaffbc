/**
 * Analysis of per-particle optical intensity traces I_p(t) (seed 003): half-cycles from the cell
 * SOC table, slope dI/dSOC, onset and step detection, and the synchrony indices per half-cycle.
 *
 * The onset, onset spread and dispersion are NOT defined here: they are the functions of
 * src/analysis/synchrony (detectOnsets, onsetSpread, progressDispersion, interpolateAt), the same
 * ones the electrode model (src/electrode/run.ts) applies to its particles' x(t) — so a measured
 * sequence and a simulated "virtual microscope" sequence are analysed by the same code. Only the
 * signal differs (intensity instead of x), hence the threshold is in intensity units.
 */

import {
  detectOnsets,
  interpolateAt,
  onsetSpread,
  progressDispersion,
} from "../../analysis/synchrony/index.js";
import { InputError } from "../../errors.js";

/** A half-cycle: samples start … end−1; a turning sample ends one half-cycle and starts the next. */
export interface HalfCycleSpan {
  index: number;
  direction: "charge" | "discharge";
  start: number;
  end: number;
}

/**
 * Split a sequence into half-cycles where the SOC changes direction (SOC rising = charge).
 * Samples where SOC does not change (rests) stay in the current half-cycle.
 * @param soc cell state of charge per frame [-]
 */
export function splitHalfCycles(soc: ArrayLike<number>): HalfCycleSpan[] {
  const n = soc.length;
  const spans: HalfCycleSpan[] = [];
  let start = 0;
  let dir = 0;
  for (let k = 1; k < n; k++) {
    const d = Math.sign(soc[k] - soc[k - 1]);
    if (d === 0) continue;
    if (dir === 0) dir = d;
    else if (d !== dir) {
      spans.push({ index: spans.length, direction: dir > 0 ? "charge" : "discharge", start, end: k });
      start = k - 1;
      dir = d;
    }
  }
  spans.push({ index: spans.length, direction: dir >= 0 ? "charge" : "discharge", start, end: n });
  return spans;
}

export interface SequenceOptions {
  /** Intensity change that marks a particle's onset [-] (default 0.02 of full scale). */
  threshold?: number;
  /** Particles whose intensity changes less than this over a half-cycle are left out of the dispersion [-] (default = threshold). */
  minSwing?: number;
}

/** Per-particle results in one half-cycle. */
export interface ParticleHalfCycle {
  /** Onset time [s since the half-cycle start] (NaN: none). */
  onsetTime: number;
  /** Cell SOC at the onset [-]. */
  onsetSoc: number;
  /** Time of the largest frame-to-frame intensity change (step) [s since the half-cycle start]. */
  stepTime: number;
  /** Intensity change over the half-cycle I_end − I_start [-]. */
  swing: number;
  /** Least-squares slope dI/dSOC over the half-cycle [-]. */
  slope: number;
}

/** Synchrony of one half-cycle: the fields of the electrode model's SynchronyRow. */
export interface SequenceHalfCycle {
  span: HalfCycleSpan;
  particles: ParticleHalfCycle[];
  reactedFraction: number;
  onsetSocIqr: number;
  onsetSocStd: number;
  onsetTimeIqr: number;
  medianOnsetSoc: number;
  /** Progress dispersion index (0 = synchronous, ≈ 0.4 = one after another). */
  dispersion: number;
}

export interface SequenceResult {
  halfCycles: SequenceHalfCycle[];
  /** Centred-difference dI/dSOC per particle per frame (particle-major; NaN where SOC is flat). */
  dIdSoc: Float64Array;
}

/**
 * Analyse intensity traces.
 * @param times frame times [s], increasing
 * @param soc cell SOC per frame [-] (NaN array or omitted: one half-cycle, SOC-based outputs NaN)
 * @param values particle-major intensities values[p·frames + k] [-]
 */
export function analyseSequence(
  times: ArrayLike<number>,
  soc: ArrayLike<number> | undefined,
  values: ArrayLike<number>,
  particles: number,
  options: SequenceOptions = {},
): SequenceResult {
  const nf = times.length;
  if (values.length !== particles * nf)
    throw new InputError("intensity array size mismatch", {
      field: "values",
      value: String(values.length),
      expected: `${particles}·${nf}`,
    });
  for (let k = 1; k < nf; k++)
    if (!(times[k] > times[k - 1]))
      throw new InputError("frame times must increase", {
        field: "time",
        line: k + 1,
        value: String(times[k]),
        expected: `> ${times[k - 1]}`,
      });
  const threshold = options.threshold ?? 0.02;
  const minSwing = options.minSwing ?? threshold;
  const hasSoc = soc !== undefined && Array.from(soc).every((v) => Number.isFinite(v));
  const socArr = hasSoc ? (soc as ArrayLike<number>) : new Float64Array(nf).fill(Number.NaN);
  const spans = hasSoc
    ? splitHalfCycles(socArr)
    : [{ index: 0, direction: "charge" as const, start: 0, end: nf }];
  const halfCycles = spans.map((span) => {
    const onsets = detectOnsets(times, values, particles, { threshold, start: span.start, end: span.end });
    const onsetSoc = hasSoc
      ? interpolateAt(times, socArr, onsets)
      : new Float64Array(particles).fill(Number.NaN);
    const t0 = times[span.start];
    const rel = onsets.map((t) => t - t0);
    const sSoc = onsetSpread(onsetSoc);
    const sTime = onsetSpread(rel);
    const dispersion = progressDispersion(times, values, particles, {
      start: span.start,
      end: span.end,
      minSwing,
    });
    const per: ParticleHalfCycle[] = [];
    for (let p = 0; p < particles; p++) {
      const b = p * nf;
      let best = -1;
      let bestK = span.start;
      let sx = 0;
      let sy = 0;
      let sxx = 0;
      let sxy = 0;
      let m = 0;
      for (let k = span.start; k < span.end; k++) {
        if (k > span.start) {
          const d = Math.abs(values[b + k] - values[b + k - 1]);
          if (d > best) {
            best = d;
            bestK = k;
          }
        }
        if (hasSoc) {
          const x = socArr[k];
          const y = values[b + k];
          sx += x;
          sy += y;
          sxx += x * x;
          sxy += x * y;
          m++;
        }
      }
      const den = m * sxx - sx * sx;
      per.push({
        onsetTime: rel[p],
        onsetSoc: onsetSoc[p],
        stepTime: span.end - span.start > 1 ? 0.5 * (times[bestK] + times[bestK - 1]) - t0 : Number.NaN,
        swing: values[b + span.end - 1] - values[b + span.start],
        slope: m > 1 && den > 0 ? (m * sxy - sx * sy) / den : Number.NaN,
      });
    }
    return {
      span,
      particles: per,
      reactedFraction: sSoc.reactedFraction,
      onsetSocIqr: sSoc.iqr,
      onsetSocStd: sSoc.std,
      onsetTimeIqr: sTime.iqr,
      medianOnsetSoc: sSoc.median,
      dispersion,
    };
  });
  const dIdSoc = new Float64Array(particles * nf).fill(Number.NaN);
  if (hasSoc)
    for (let p = 0; p < particles; p++)
      for (let k = 0; k < nf; k++) {
        const k0 = Math.max(0, k - 1);
        const k1 = Math.min(nf - 1, k + 1);
        const ds = socArr[k1] - socArr[k0];
        if (ds !== 0) dIdSoc[p * nf + k] = (values[p * nf + k1] - values[p * nf + k0]) / ds;
      }
  return { halfCycles, dIdSoc };
}
