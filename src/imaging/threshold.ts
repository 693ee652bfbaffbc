/**
 * Global thresholds with scikit-image's conventions (REFERENCE §5):
 *
 * - Histogram (`skimage.exposure.histogram(source_range='image')`): integer images get one bin per
 *   integer from min to max (`nbins` ignored); float images get `nbins` equal bins over
 *   [min, max] with bin centres, bin assignment as `numpy.histogram`.
 * - Otsu (Otsu 1979, IEEE Trans. SMC 9:62): maximise the between-class variance
 *   w1·w2·(μ1 − μ2)² over the bin centres; the FIRST maximum wins; the foreground is `image > t`.
 * - Multi-Otsu (Liao, Chen & Chung 2001, J. Inf. Sci. Eng. 17:713): maximise Σ_k (S_k² / P_k)
 *   over class intervals, computed in float32 as scikit-image does, first maximum.
 */

import { InputError } from "../errors.js";
import type { Volume, VoxelArray } from "./volume.js";
import { isIntegerVoxels } from "./volume.js";

/** Histogram counts and bin centres (same units as the voxel values). */
export interface Histogram {
  counts: Float64Array;
  centers: Float64Array;
  /** True when built from a float32 image: numpy then computes edges, centres and Otsu in float32. */
  float32?: boolean;
}

function dataOf(input: Volume | VoxelArray): VoxelArray {
  return ArrayBuffer.isView(input) ? (input as VoxelArray) : (input as Volume).data;
}

function range(d: VoxelArray): [number, number] {
  if (d.length === 0) throw new InputError("empty image", { expected: "at least one voxel" });
  let lo = d[0];
  let hi = d[0];
  for (let i = 1; i < d.length; i++) {
    const v = d[i];
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  if (Number.isNaN(lo) || Number.isNaN(hi)) {
    for (let i = 0; i < d.length; i++)
      if (Number.isNaN(d[i]))
        throw new InputError("image contains NaN", { field: `voxel ${i}`, expected: "finite values" });
  }
  return [lo, hi];
}

/** Largest number of integer bins accepted (2²⁶ bins = 512 MiB of counts). */
const MAX_INTEGER_BINS = 1 << 26;

/**
 * scikit-image's `histogram(image, nbins, source_range='image')`.
 * @param nbins number of bins for float images (ignored for integer images)
 */
export function imageHistogram(input: Volume | VoxelArray, nbins = 256): Histogram {
  const d = dataOf(input);
  return histogramInRange(d, range(d), nbins);
}

function histogramInRange(d: VoxelArray, [lo, hi]: [number, number], nbins: number): Histogram {
  if (isIntegerVoxels(d)) {
    const n = hi - lo + 1;
    if (n > MAX_INTEGER_BINS) {
      throw new InputError("integer image value range too wide for one bin per integer", {
        value: `${lo}..${hi}`,
        expected: `a range of at most ${MAX_INTEGER_BINS} values (convert to float for 256 bins)`,
      });
    }
    const counts = new Float64Array(n);
    for (let i = 0; i < d.length; i++) counts[d[i] - lo]++;
    const centers = new Float64Array(n);
    for (let k = 0; k < n; k++) centers[k] = lo + k;
    return { counts, centers };
  }
  if (!Number.isInteger(nbins) || nbins < 1)
    throw new InputError("invalid bin count", {
      field: "nbins",
      value: String(nbins),
      expected: "a positive integer",
    });
  let first = lo;
  let last = hi;
  if (first === last) {
    // numpy.histogram widens an empty range by ±0.5
    first -= 0.5;
    last += 0.5;
  }
  // numpy.histogram: edges = linspace(first, last, nbins + 1) (edge_i = i·step + first, last edge
  // exact) in the image's float type; bin index = floor((x − first)·norm) corrected against the
  // edges. For float32 images numpy does this in float32 (edges, differences, centres).
  const f32 = d instanceof Float32Array;
  const r = f32 ? Math.fround : (x: number) => x;
  const step = (last - first) / nbins;
  const edges = new Float64Array(nbins + 1);
  for (let i = 0; i < nbins; i++) edges[i] = r(i * step + first);
  edges[nbins] = r(last);
  const counts = new Float64Array(nbins);
  const norm = nbins / (last - first);
  for (let i = 0; i < d.length; i++) {
    const x = d[i];
    let k = Math.floor(r(r(x - first) * norm));
    if (k >= nbins) k = nbins - 1;
    if (k < 0) k = 0;
    // numpy's correction of the fast index against the true edges
    if (x < edges[k]) k--;
    else if (k !== nbins - 1 && x >= edges[k + 1]) k++;
    counts[k]++;
  }
  const centers = new Float64Array(nbins);
  for (let k = 0; k < nbins; k++) centers[k] = r(edges[k] + edges[k + 1]) / 2;
  return { counts, centers, float32: f32 };
}

/** Otsu arithmetic. */
export interface OtsuOptions {
  /**
   * 'skimage' (default): scikit-image ≥ 0.20's float32 cumulative counts, so results match
   * scikit-image and the published pipelines built on it voxel for voxel. 'float64': the exact
   * optimum of the between-class variance; above 2²⁴ voxels the float32 cumulative counts lose
   * integers and the two can differ by a few grey levels (18569 vs 18559 on a 384³ uint16 volume).
   */
  arithmetic?: "skimage" | "float64";
}

/**
 * Otsu threshold of a histogram (first maximum of the between-class variance).
 * Arithmetic follows scikit-image 0.26 `threshold_otsu` exactly: the counts are float32, so the
 * cumulative weights and their product w1·w2 are rounded to float32 while the first moments
 * and means are float64. (scikit-image 0.19 used float64 counts; on wide uint16 histograms with
 * near-ties this can move the threshold by a few grey levels, e.g. 31248 vs 31253 on the UCL
 * XCT slice.)
 */
export function otsuFromHistogram(h: Histogram, options: OtsuOptions = {}): number {
  const { counts, centers } = h;
  const n = counts.length;
  if (n === 1) return centers[0];
  const exact = options.arithmetic === "float64";
  const id = (x: number) => x;
  const f = exact ? id : Math.fround;
  // float32 images: bin centres are float32, so counts·centres and the means are float32 too
  const g = h.float32 && !exact ? Math.fround : id;
  const w1 = new Float64Array(n);
  const m1 = new Float64Array(n);
  let cw = 0;
  let cm = 0;
  for (let i = 0; i < n; i++) {
    const c = f(counts[i]);
    cw = f(cw + c);
    cm = g(cm + g(c * centers[i]));
    w1[i] = cw;
    m1[i] = g(cm / cw);
  }
  const w2 = new Float64Array(n);
  const m2 = new Float64Array(n);
  cw = 0;
  cm = 0;
  for (let i = n - 1; i >= 0; i--) {
    const c = f(counts[i]);
    cw = f(cw + c);
    cm = g(cm + g(c * centers[i]));
    w2[i] = cw;
    m2[i] = g(cm / cw);
  }
  let best = Number.NEGATIVE_INFINITY;
  let idx = 0;
  for (let i = 0; i < n - 1; i++) {
    const dm = g(m1[i] - m2[i + 1]);
    const v = g(f(w1[i] * w2[i + 1]) * g(dm * dm));
    if (v > best) {
      best = v;
      idx = i;
    }
  }
  return centers[idx];
}

/**
 * Otsu threshold, as `skimage.filters.threshold_otsu` (foreground is `image > t`).
 * A constant image returns its value.
 * @param nbins bins for float images (default 256); integer images use one bin per integer
 */
export function thresholdOtsu(
  input: Volume | VoxelArray,
  options: { nbins?: number } & OtsuOptions = {},
): number {
  const d = dataOf(input);
  const r = range(d);
  if (r[0] === r[1]) return r[0];
  return otsuFromHistogram(histogramInRange(d, r, options.nbins ?? 256), options);
}

/**
 * Multi-Otsu thresholds (classes − 1 values, ascending), as `skimage.filters.threshold_multiotsu`
 * with float32 arithmetic. Cost O(nbins^(classes−1)); integer images with a wide value range
 * (e.g. full uint16) should be converted to float first (256 bins).
 * @param classes 2–5 (default 3)
 * @param nbins bins for float images (default 256)
 */
export function thresholdMultiOtsu(
  input: Volume | VoxelArray,
  options: { classes?: number; nbins?: number } = {},
): number[] {
  const classes = options.classes ?? 3;
  if (!Number.isInteger(classes) || classes < 2 || classes > 5) {
    throw new InputError("invalid class count for multi-Otsu", {
      field: "classes",
      value: String(classes),
      expected: "an integer from 2 to 5",
    });
  }
  const h = imageHistogram(input, options.nbins ?? 256);
  const n = h.counts.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += h.counts[i];
  const f = Math.fround;
  const prob = new Float32Array(n);
  let nonzero = 0;
  for (let i = 0; i < n; i++) {
    prob[i] = h.counts[i] / total;
    if (h.counts[i] > 0) nonzero++;
  }
  if (nonzero < classes) {
    throw new InputError("too few distinct values for multi-Otsu", {
      value: String(nonzero),
      expected: `at least ${classes} distinct grey levels`,
    });
  }
  if (nonzero === classes) {
    const out: number[] = [];
    for (let i = 0; i < n && out.length < classes - 1; i++) if (h.counts[i] > 0) out.push(h.centers[i]);
    return out;
  }
  if (n > 4096 && classes > 2) {
    throw new InputError("too many histogram bins for multi-Otsu", {
      value: String(n),
      expected: "at most 4096 bins (convert the image to float to use 256 bins)",
    });
  }
  // Cumulative zeroth and first moments (first moment uses the bin INDEX, as scikit-image).
  const P = new Float32Array(n);
  const S = new Float32Array(n);
  P[0] = prob[0];
  S[0] = prob[0] * 0;
  for (let i = 1; i < n; i++) {
    P[i] = f(P[i - 1] + prob[i]);
    S[i] = f(S[i - 1] + f(i * prob[i]));
  }
  // Between-class term of bins i..j (float32): S_ij² / P_ij, 0 when P_ij ≤ 0.
  const between = (i: number, j: number): number => {
    const p = i === 0 ? P[j] : f(P[j] - P[i - 1]);
    if (!(p > 0)) return 0;
    const s = i === 0 ? S[j] : f(S[j] - S[i - 1]);
    return f(f(s * s) / p);
  };
  const m = classes - 1;
  const cur = new Int32Array(m);
  const best = new Int32Array(m);
  let sigmaMax = 0;
  // Enumerate thresholds t0 < t1 < … < t_{m−1}, t_k ∈ [k, n − m + k − 1] (scikit-image's ranges).
  const recurse = (start: number, k: number): void => {
    if (k < m) {
      for (let idx = start; idx < n - m + k; idx++) {
        cur[k] = idx;
        recurse(idx + 1, k + 1);
      }
      return;
    }
    let sigma = f(between(0, cur[0]) + between(cur[m - 1] + 1, n - 1));
    for (let q = 0; q < m - 1; q++) sigma = f(sigma + between(cur[q] + 1, cur[q + 1]));
    if (sigma > sigmaMax) {
      sigmaMax = sigma;
      best.set(cur);
    }
  };
  recurse(0, 0);
  return Array.from(best, (i) => h.centers[i]);
}

/** Binary mask (uint8 0/1) of `image > t`. */
export function applyThreshold(input: Volume, t: number): Volume<Uint8Array> {
  const d = input.data;
  const out = new Uint8Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i] > t ? 1 : 0;
  return { data: out, shape: input.shape, spacing: input.spacing };
}

/**
 * Class map (uint8 0…k) from ascending thresholds, as `numpy.digitize(image, thresholds)`:
 * class = number of thresholds t with t ≤ value. (scikit-image's multi-Otsu example.)
 */
export function applyThresholds(input: Volume, thresholds: readonly number[]): Volume<Uint8Array> {
  const d = input.data;
  const out = new Uint8Array(d.length);
  const t = Float64Array.from(thresholds);
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    let c = 0;
    while (c < t.length && v >= t[c]) c++;
    out[i] = c;
  }
  return { data: out, shape: input.shape, spacing: input.spacing };
}
