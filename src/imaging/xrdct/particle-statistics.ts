/**
 * Per-particle statistics of a scalar map (lattice parameter, cell volume, ESM amplitude, …) over
 * a label image, normalised histograms (value / particle mean, seed 004 Fig. 8) and plain
 * histograms. Shared by the XRD-CT and AFM analyses. Pure; non-finite values are skipped.
 */

import type { Volume } from "../volume.js";

/** Statistics of one labelled particle (value units unless noted). */
export interface ParticleStatistics {
  /** Label 1…count. */
  label: number;
  /** Particle voxels (all, including those with non-finite values). */
  voxels: number;
  /** Voxels with a finite value (used for the statistics). */
  valid: number;
  mean: number;
  /** Sample standard deviation (0 for one voxel). */
  std: number;
  median: number;
  min: number;
  max: number;
  /** Centroid [z, y, x] in voxel indices. */
  centroid: [number, number, number];
}

/**
 * Values of each particle grouped contiguously: particle p's finite values are
 * `values[offsets[p-1] … offsets[p])`, sorted ascending.
 */
export interface GroupedValues {
  values: Float64Array;
  offsets: Int32Array;
}

/** Group the finite values of `map` by label and sort each group (counting sort by label). */
export function groupByLabel(labels: Volume, count: number, map: ArrayLike<number>): GroupedValues {
  const lab = labels.data;
  const n = lab.length;
  const sizes = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) {
    const l = lab[i];
    if (l > 0 && l <= count && Number.isFinite(map[i])) sizes[l]++;
  }
  const offsets = new Int32Array(count + 1);
  for (let l = 1; l <= count; l++) offsets[l] = offsets[l - 1] + sizes[l];
  const cursor = new Int32Array(count + 1);
  for (let l = 1; l <= count; l++) cursor[l] = offsets[l - 1];
  const values = new Float64Array(offsets[count]);
  for (let i = 0; i < n; i++) {
    const l = lab[i];
    if (l > 0 && l <= count && Number.isFinite(map[i])) values[cursor[l]++] = map[i];
  }
  for (let l = 1; l <= count; l++) values.subarray(offsets[l - 1], offsets[l]).sort();
  return { values, offsets };
}

/** Median of a sorted array (NaN if empty). */
export function sortedMedian(sorted: ArrayLike<number>): number {
  const m = sorted.length;
  if (m === 0) return Number.NaN;
  return m % 2 === 1 ? sorted[(m - 1) >> 1] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
}

/**
 * Statistics of `map` within each labelled particle.
 * @param labels label image (0 = background, 1…count)
 * @param count number of labels
 * @param map values, same number of voxels as `labels` (any unit)
 */
export function particleStatistics(
  labels: Volume,
  count: number,
  map: ArrayLike<number>,
): ParticleStatistics[] {
  const [, ny, nx] = labels.shape;
  const lab = labels.data;
  const voxels = new Float64Array(count + 1);
  const cz = new Float64Array(count + 1);
  const cy = new Float64Array(count + 1);
  const cx = new Float64Array(count + 1);
  for (let i = 0; i < lab.length; i++) {
    const l = lab[i];
    if (l <= 0 || l > count) continue;
    voxels[l]++;
    const x = i % nx;
    const t = (i - x) / nx;
    const y = t % ny;
    cx[l] += x;
    cy[l] += y;
    cz[l] += (t - y) / ny;
  }
  const g = groupByLabel(labels, count, map);
  const out: ParticleStatistics[] = [];
  for (let l = 1; l <= count; l++) {
    const v = g.values.subarray(g.offsets[l - 1], g.offsets[l]);
    let mean = 0;
    let m2 = 0;
    for (let k = 0; k < v.length; k++) {
      const d = v[k] - mean;
      mean += d / (k + 1);
      m2 += d * (v[k] - mean);
    }
    const nv = v.length;
    const vox = voxels[l];
    out.push({
      label: l,
      voxels: vox,
      valid: nv,
      mean: nv > 0 ? mean : Number.NaN,
      std: nv > 1 ? Math.sqrt(m2 / (nv - 1)) : nv === 1 ? 0 : Number.NaN,
      median: sortedMedian(v),
      min: nv > 0 ? v[0] : Number.NaN,
      max: nv > 0 ? v[nv - 1] : Number.NaN,
      centroid: vox > 0 ? [cz[l] / vox, cy[l] / vox, cx[l] / vox] : [Number.NaN, Number.NaN, Number.NaN],
    });
  }
  return out;
}

/** A histogram: bin edges (bins + 1), counts, and the density (∫ density = 1 over the range). */
export interface HistogramResult {
  edges: Float64Array;
  centers: Float64Array;
  counts: Float64Array;
  density: Float64Array;
  /** Values outside the range (not counted). */
  outside: number;
}

/**
 * Histogram of finite values over [lo, hi] with `bins` equal bins (last bin closed, as numpy).
 * @param scale each value is divided by `scale` first (1 by default; the particle mean for a
 *   normalised distribution, seed 004 Fig. 8)
 */
export function histogram(
  values: ArrayLike<number>,
  bins: number,
  range: readonly [number, number],
  scale = 1,
): HistogramResult {
  const [lo, hi] = range;
  const edges = new Float64Array(bins + 1);
  const centers = new Float64Array(bins);
  const counts = new Float64Array(bins);
  const w = (hi - lo) / bins;
  for (let k = 0; k <= bins; k++) edges[k] = lo + k * w;
  for (let k = 0; k < bins; k++) centers[k] = lo + (k + 0.5) * w;
  let outside = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] / scale;
    if (!Number.isFinite(v)) continue;
    if (v < lo || v > hi || !(w > 0)) {
      outside++;
      continue;
    }
    const k = Math.min(bins - 1, Math.floor((v - lo) / w));
    counts[k]++;
    total++;
  }
  const density = new Float64Array(bins);
  if (total > 0 && w > 0) for (let k = 0; k < bins; k++) density[k] = counts[k] / (total * w);
  return { edges, centers, counts, density, outside };
}

/**
 * Normalised distribution of each particle (value / particle mean), all on the same bins.
 * @param halfWidth bins cover [1 − halfWidth, 1 + halfWidth] (default 0.01 = ±1 %, seed 004
 *   Fig. 8 shows lattice parameters within a few 0.1 %)
 */
export function normalisedDistributions(
  grouped: GroupedValues,
  stats: readonly ParticleStatistics[],
  bins = 41,
  halfWidth = 0.01,
): { pooled: HistogramResult; perParticle: HistogramResult[] } {
  const range: [number, number] = [1 - halfWidth, 1 + halfWidth];
  const perParticle: HistogramResult[] = [];
  const all = new Float64Array(grouped.values.length);
  for (const s of stats) {
    const v = grouped.values.subarray(grouped.offsets[s.label - 1], grouped.offsets[s.label]);
    perParticle.push(histogram(v, bins, range, s.mean));
    for (let k = 0; k < v.length; k++) all[grouped.offsets[s.label - 1] + k] = v[k] / s.mean;
  }
  return { pooled: histogram(all, bins, range), perParticle };
}
