/**
 * Robust outlier particles: modified z-scores of per-particle means (Iglewicz & Hoaglin, "How to
 * Detect and Handle Outliers", ASQC 1993, §3.3):
 *   M_i = 0.6745·(m_i − median(m)) / MAD,   MAD = median |m_i − median(m)|,
 * a particle is an outlier when |M_i| > threshold (default 3.5, their recommendation) in ANY of
 * the quantities given (seed 004: a, c and V; its outlier particle sat at a = 2.832 Å,
 * c = 14.418 Å, V = 100.155 Å³ against 2.824/14.437/99.718 for the rest). If MAD = 0 (more than
 * half the particles identical) the scale falls back to 1.253314·mean |m_i − median| (the mean
 * absolute deviation scaled to σ for normal data). The scale is never taken below
 * `minRelativeScale`·|median| (default 2e-4): with a handful of near-identical particles the MAD
 * of their means is tiny and would flag differences far below the precision of a lattice fit
 * (seed 004 quotes a, c to 0.001 Å ≈ 0.035 % of a). With the defaults a particle must deviate by
 * more than 3.5·2e-4 = 0.07 % (a: 0.002 Å, c: 0.010 Å, V: 0.07 Å³) to be flagged; seed 004's
 * outlier deviates by 0.28 % in a, 0.13 % in c and 0.44 % in V.
 */

import { sortedMedian } from "./particle-statistics.js";

/** Default modified-z threshold (Iglewicz & Hoaglin 1993). */
export const OUTLIER_THRESHOLD = 3.5;

export interface OutlierResult {
  /** Modified z-score per quantity (rows) per particle (columns): z[q][i]. */
  z: Float64Array[];
  /** Median of each quantity. */
  median: Float64Array;
  /** Scale used for each quantity (MAD/0.6745 or its fallback), same unit as the quantity. */
  scale: Float64Array;
  /** True per particle when any |z| > threshold. */
  outlier: boolean[];
  /** Indices of the outlier particles. */
  indices: number[];
  threshold: number;
}

/**
 * Flag outliers among particles.
 * @param quantities per-quantity arrays of per-particle means (e.g. [a, c, V]); NaN entries are
 *   ignored for the medians and never flagged
 */
export function robustOutliers(
  quantities: readonly ArrayLike<number>[],
  threshold = OUTLIER_THRESHOLD,
  minRelativeScale = 2e-4,
): OutlierResult {
  const n = quantities.length > 0 ? quantities[0].length : 0;
  const z: Float64Array[] = [];
  const median = new Float64Array(quantities.length);
  const scale = new Float64Array(quantities.length);
  const outlier = new Array<boolean>(n).fill(false);
  quantities.forEach((q, j) => {
    const finite = Float64Array.from(Array.from(q).filter((v) => Number.isFinite(v))).sort();
    const med = sortedMedian(finite);
    const dev = finite.map((v) => Math.abs(v - med)).sort();
    const mad = sortedMedian(dev);
    let s = mad / 0.6745;
    if (!(s > 0)) {
      let meanAd = 0;
      for (const d of dev) meanAd += d;
      meanAd = dev.length > 0 ? meanAd / dev.length : 0;
      s = 1.253314 * meanAd;
    }
    s = Math.max(s, minRelativeScale * Math.abs(med));
    median[j] = med;
    scale[j] = s;
    const zj = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const d = q[i] - med;
      zj[i] = !Number.isFinite(d)
        ? Number.NaN
        : s > 0
          ? d / s
          : d === 0
            ? 0
            : Math.sign(d) * Number.POSITIVE_INFINITY;
      if (Math.abs(zj[i]) > threshold) outlier[i] = true;
    }
    z.push(zj);
  });
  const indices: number[] = [];
  for (let i = 0; i < n; i++) if (outlier[i]) indices.push(i);
  return { z, median, scale, outlier, indices, threshold };
}
