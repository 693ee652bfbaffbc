/**
 * How abruptly each particle reacts in a half-cycle (seed 003 Fig. 1c: in the first charge a
 * particle's intensity "switches from its baseline to its maximum value" in one step, in later
 * half-cycles it ramps with the cell SOC). Pure computation on the particle-major snapshot
 * arrays of an electrode run.
 *
 * Switch duration of particle p: with normalised progress q_p(t) = (s_p(t) − s_p(t0)) /
 * (s_p(t_end) − s_p(t0)) over the half-cycle's samples, the time between the first crossings
 * of q = lo and q = hi (default 0.1 and 0.9, linear interpolation between samples). A particle
 * that follows the cell's common course takes most of the half-cycle; a step function takes
 * the time its switch-on lasts (resolved to the snapshot interval).
 */

export interface SwitchOptions {
  /** First and one-past-last sample index of the half-cycle (default: all samples). */
  start?: number;
  end?: number;
  /** Progress levels that bound the switch (default 0.1 and 0.9). */
  lo?: number;
  hi?: number;
  /** Particles whose total change is at most this are left out (NaN) (default 0). */
  minSwing?: number;
}

/** First time [s] at which progress q (sample k ↦ q(k)) reaches `level`, linear between samples. */
function crossing(times: ArrayLike<number>, q: (k: number) => number, k0: number, k1: number, level: number) {
  let prev = q(k0);
  if (prev >= level) return times[k0];
  for (let k = k0 + 1; k < k1; k++) {
    const cur = q(k);
    if (cur >= level) {
      const w = (level - prev) / (cur - prev);
      return times[k - 1] + w * (times[k] - times[k - 1]);
    }
    prev = cur;
  }
  return Number.NaN;
}

/**
 * Switch duration [s] of every particle (NaN: left out). `values` is particle-major,
 * `particles × times.length` (e.g. the run's snapshots.meanX or surfaceX).
 */
export function switchDurations(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  particles: number,
  options: SwitchOptions = {},
): Float64Array {
  const samples = times.length;
  if (values.length !== particles * samples)
    throw new RangeError(`values has ${values.length} entries, expected ${particles}·${samples}`);
  const lo = options.lo ?? 0.1;
  const hi = options.hi ?? 0.9;
  if (!(lo >= 0 && lo < hi && hi <= 1)) throw new RangeError("need 0 ≤ lo < hi ≤ 1");
  const k0 = options.start ?? 0;
  const k1 = Math.min(options.end ?? samples, samples);
  const minSwing = options.minSwing ?? 0;
  const out = new Float64Array(particles).fill(Number.NaN);
  if (k1 - k0 < 2) return out;
  for (let p = 0; p < particles; p++) {
    const b = p * samples;
    const v0 = values[b + k0];
    const swing = values[b + k1 - 1] - v0;
    if (!(Math.abs(swing) > minSwing) || swing === 0) continue;
    const q = (k: number) => (values[b + k] - v0) / swing;
    out[p] = crossing(times, q, k0, k1, hi) - crossing(times, q, k0, k1, lo);
  }
  return out;
}
