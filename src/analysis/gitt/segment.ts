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

/** Split a record into alternating pulse and rest segments (in order). */
export function segmentPulses(current: ArrayLike<number>, options: SegmentOptions = {}): GittSegment[] {
  const n = current.length;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(current[i]));
  const threshold = options.threshold ?? 0.05 * maxAbs;
  const minSamples = options.minSamples ?? 1;
  const segments: GittSegment[] = [];
  let start = 0;
  for (let i = 1; i <= n; i++) {
    const on = (k: number) => Math.abs(current[k]) > threshold;
    if (i === n || on(i) !== on(start)) {
      const kind = on(start) ? "pulse" : "rest";
      const last = segments[segments.length - 1];
      if (last && (i - start < minSamples || last.kind === kind)) {
        last.end = i;
      } else {
        segments.push({ kind, start, end: i, meanCurrent: 0 });
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
