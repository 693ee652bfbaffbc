/**
 * Synchrony of particle reactions (seed 003, Sharma et al., Nano Lett. 2022, Fig. 1c): pure
 * functions over per-particle signals s_p(t) — a particle's Li fraction x(t) from the
 * electrode model, or a measured per-particle optical intensity I(t) — sampled at common
 * times. Signals are stored particle-major in one array: `values[p·samples + k]`.
 *
 * Definitions (all documented here and used unchanged by the optical-sequence analysis):
 * - **Onset** of particle p in a half-cycle starting at sample k0: the first time its signal
 *   has moved by ≥ `threshold` from its value at k0 (|s_p(t) − s_p(t_k0)| ≥ threshold),
 *   linearly interpolated between samples; NaN if it never does within the half-cycle.
 * - **Onset spread**: interquartile range (or standard deviation) of the onset times — or of
 *   the onset cell SOC, by passing the SOC of each onset — over the particles that reacted.
 *   A first charge that proceeds particle by particle (seed 003 "asynchronous") has a spread
 *   of the order of the half-cycle; a synchronous one, a spread near 0.
 * - **Dispersion** (index in [0, ~0.5]): the time-averaged standard deviation across
 *   particles of each particle's normalised progress q_p(t) = (s_p(t) − s_p(t0)) /
 *   (s_p(t_end) − s_p(t0)). If every particle follows the same course, q_p(t) is equal for all
 *   and the dispersion is 0; if particles switch one after another from 0 to 1 (step
 *   functions at spread-out times) it approaches sqrt(φ(1 − φ)) averaged over the reacted
 *   share φ, i.e. ≈ 0.4. Normalising per particle makes it independent of each particle's
 *   own swing (and of an intensity calibration).
 */

/** Quantile (linear interpolation between order statistics, "type 7") of finite values. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const v: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) v.push(values[i]);
  if (v.length === 0) return Number.NaN;
  v.sort((a, b) => a - b);
  const pos = q * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/** Interquartile range of the finite values (NaN if none). */
export function interquartileRange(values: ArrayLike<number>): number {
  return quantile(values, 0.75) - quantile(values, 0.25);
}

/** Sample standard deviation of the finite values (0 for one value, NaN for none). */
export function standardDeviation(values: ArrayLike<number>): number {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) continue;
    n++;
    const d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }
  if (n === 0) return Number.NaN;
  return n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
}

export interface OnsetOptions {
  /** Signal change that counts as the onset (same unit as the signal; > 0). */
  threshold: number;
  /** First sample of the half-cycle (default 0). */
  start?: number;
  /** One past the last sample of the half-cycle (default: all). */
  end?: number;
}

/**
 * Onset time of each particle (see the module comment).
 * @param times sample times [s], length `samples`, increasing
 * @param values particle-major signals, length particles·samples
 * @returns onset times [s] per particle (NaN: no onset)
 */
export function detectOnsets(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  particles: number,
  options: OnsetOptions,
): Float64Array {
  const samples = times.length;
  if (values.length !== particles * samples)
    throw new RangeError(`values has ${values.length} entries, expected ${particles}·${samples}`);
  if (!(options.threshold > 0)) throw new RangeError("threshold must be positive");
  const k0 = options.start ?? 0;
  const k1 = Math.min(options.end ?? samples, samples);
  const out = new Float64Array(particles).fill(Number.NaN);
  for (let p = 0; p < particles; p++) {
    const base = p * samples;
    const s0 = values[base + k0];
    let prev = 0;
    for (let k = k0 + 1; k < k1; k++) {
      const d = Math.abs(values[base + k] - s0);
      if (d >= options.threshold) {
        const f = d > prev ? (options.threshold - prev) / (d - prev) : 1;
        out[p] = times[k - 1] + f * (times[k] - times[k - 1]);
        break;
      }
      prev = d;
    }
  }
  return out;
}

/**
 * Map event times to another monotone quantity sampled at the same times (e.g. the cell SOC)
 * by linear interpolation; NaN stays NaN.
 */
export function interpolateAt(
  times: ArrayLike<number>,
  quantity: ArrayLike<number>,
  at: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(at.length);
  for (let i = 0; i < at.length; i++) {
    const t = at[i];
    if (!Number.isFinite(t)) {
      out[i] = Number.NaN;
      continue;
    }
    let lo = 0;
    let hi = times.length - 1;
    if (t <= times[0]) {
      out[i] = quantity[0];
      continue;
    }
    if (t >= times[hi]) {
      out[i] = quantity[hi];
      continue;
    }
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= t) lo = mid;
      else hi = mid;
    }
    const f = (t - times[lo]) / (times[hi] - times[lo]);
    out[i] = quantity[lo] + f * (quantity[hi] - quantity[lo]);
  }
  return out;
}

export interface OnsetSpread {
  /** Share of particles with an onset. */
  reactedFraction: number;
  /** Interquartile range of the onsets (unit of the input). */
  iqr: number;
  /** Standard deviation of the onsets. */
  std: number;
  /** Median onset. */
  median: number;
}

/** Spread of onsets (times [s] or SOC [-]); NaN entries are particles that did not react. */
export function onsetSpread(onsets: ArrayLike<number>): OnsetSpread {
  let reacted = 0;
  for (let i = 0; i < onsets.length; i++) if (Number.isFinite(onsets[i])) reacted++;
  return {
    reactedFraction: onsets.length > 0 ? reacted / onsets.length : 0,
    iqr: interquartileRange(onsets),
    std: standardDeviation(onsets),
    median: quantile(onsets, 0.5),
  };
}

/**
 * Dispersion index of a half-cycle (see the module comment): time-weighted (trapezoidal)
 * mean over samples start…end−1 of the across-particle standard deviation of normalised
 * progress. Particles whose total change is below `minSwing` are left out (they did not
 * react; report them through `onsetSpread().reactedFraction`).
 */
export function progressDispersion(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  particles: number,
  options: { start?: number; end?: number; minSwing?: number } = {},
): number {
  const samples = times.length;
  if (values.length !== particles * samples)
    throw new RangeError(`values has ${values.length} entries, expected ${particles}·${samples}`);
  const k0 = options.start ?? 0;
  const k1 = Math.min(options.end ?? samples, samples);
  if (k1 - k0 < 2) return Number.NaN;
  const minSwing = options.minSwing ?? 0;
  const use: number[] = [];
  for (let p = 0; p < particles; p++) {
    const swing = values[p * samples + k1 - 1] - values[p * samples + k0];
    if (Math.abs(swing) > minSwing && Math.abs(swing) > 0) use.push(p);
  }
  if (use.length < 2) return Number.NaN;
  let integral = 0;
  let prevStd = 0;
  for (let k = k0; k < k1; k++) {
    let n = 0;
    let mean = 0;
    let m2 = 0;
    for (const p of use) {
      const b = p * samples;
      const q = (values[b + k] - values[b + k0]) / (values[b + k1 - 1] - values[b + k0]);
      n++;
      const d = q - mean;
      mean += d / n;
      m2 += d * (q - mean);
    }
    const std = Math.sqrt(m2 / (n - 1));
    if (k > k0) integral += 0.5 * (std + prevStd) * (times[k] - times[k - 1]);
    prevStd = std;
  }
  const span = times[k1 - 1] - times[k0];
  return span > 0 ? integral / span : Number.NaN;
}
