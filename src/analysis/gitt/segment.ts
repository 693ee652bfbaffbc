/**
 * Segmentation of a galvanostatic titration record into current pulses and rests by a current
 * threshold.
 */

export interface GittSegment {
  kind: "pulse" | "rest";
  /** Index of the first sample of the segment. */
  start: number;
  /** Index one past the last sample. */
  end: number;
  /** Mean current over the segment [A]. */
  meanCurrent: number;
}

export interface SegmentOptions {
  /**
   * |I| above this is "on" [A]; default 5 % of the largest |I| in the record (GITT pulses are
   * all at one current, so any fixed fraction well above the noise works).
   */
  threshold?: number;
  /** Segments shorter than this many samples are merged into their neighbour (default 1: none). */
  minSamples?: number;
}

/**
 * Split a record into pulse and rest segments (in order). A pulse ends where the current
 * falls below the threshold or changes sign: back-to-back pulses of opposite sign (a charge
 * pulse followed at once by a discharge pulse) are two pulses, not one.
 */
export function segmentPulses(current: ArrayLike<number>, options: SegmentOptions = {}): GittSegment[] {
  const n = current.length;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(current[i]));
  const threshold = options.threshold ?? 0.05 * maxAbs;
  const minSamples = options.minSamples ?? 1;
  const segments: GittSegment[] = [];
  // state of a sample: +1 / −1 for a pulse of that sign, 0 for rest
  const state = (k: number) => (Math.abs(current[k]) > threshold ? Math.sign(current[k]) : 0);
  const states: number[] = [];
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i === n || state(i) !== state(start)) {
      const st = state(start);
      const kind = st !== 0 ? "pulse" : "rest";
      const last = segments[segments.length - 1];
      const lastState = states[states.length - 1];
      if (last && (i - start < minSamples || lastState === st)) {
        last.end = i;
      } else {
        segments.push({ kind, start, end: i, meanCurrent: 0 });
        states.push(st);
      }
      start = i;
    }
  }
  for (const s of segments) {
    let sum = 0;
    for (let i = s.start; i < s.end; i++) sum += current[i];
    s.meanCurrent = sum / (s.end - s.start);
  }
  return segments;
}
