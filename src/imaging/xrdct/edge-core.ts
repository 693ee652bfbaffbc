/**
 * Edge → core profiles of a scalar map inside each labelled particle, from the exact Euclidean
 * distance map (seed 004: lattice parameters from the particle surface to its centre; seed 002:
 * the ESM amplitude gradient across NCM622 particles, boundary higher than bulk).
 *
 * Per particle p: depth d(v) = EDT of the particle's own mask (distance from voxel centre v to the
 * nearest voxel centre outside the particle, voxel spacing applied) [m], d_max its largest value,
 * normalised depth ρ = d/d_max ∈ (0, 1] (ρ → 0 at the edge, 1 at the core). Reported:
 * - the mean value in N shells k/N < ρ ≤ (k+1)/N (as `radialShellProfile`),
 * - the least-squares slope of value against depth d [value unit / m] (a linear gradient
 *   v = v_edge + g·d is returned as g), with its intercept (value at d = 0),
 * - the edge-minus-core contrast: mean over ρ ≤ 1/3 minus mean over ρ > 2/3.
 * Non-finite values are skipped. Each particle's EDT is computed on its bounding box padded by one
 * background voxel (so the image border counts as particle edge).
 */

import { distanceTransform } from "../distance.js";
import type { Volume } from "../volume.js";

export interface EdgeCoreProfile {
  label: number;
  /** Shell upper edges in normalised depth (N values, last = 1). */
  edges: Float64Array;
  /** Mean value per shell (NaN if empty). */
  mean: Float64Array;
  /** Voxels per shell. */
  voxels: Float64Array;
  /** Largest depth d_max [m]. */
  maxDepth: number;
  /** Slope of value vs depth [value unit / m]; positive = value rises towards the core. */
  slope: number;
  /** Fitted value at the edge (d = 0). */
  intercept: number;
  /** Mean over ρ ≤ 1/3 minus mean over ρ > 2/3 (value unit). */
  edgeMinusCore: number;
}

/** Bounding boxes of labels 1…count: [z0, y0, x0, z1, y1, x1] (exclusive max) per label. */
function boxes(labels: Volume, count: number): Int32Array {
  const [nz, ny, nx] = labels.shape;
  const b = new Int32Array(6 * (count + 1));
  for (let l = 1; l <= count; l++) b.set([nz, ny, nx, -1, -1, -1], 6 * l);
  const lab = labels.data;
  let i = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        const l = lab[i];
        if (l <= 0 || l > count) continue;
        const o = 6 * l;
        if (z < b[o]) b[o] = z;
        if (y < b[o + 1]) b[o + 1] = y;
        if (x < b[o + 2]) b[o + 2] = x;
        if (z > b[o + 3]) b[o + 3] = z;
        if (y > b[o + 4]) b[o + 4] = y;
        if (x > b[o + 5]) b[o + 5] = x;
      }
  return b;
}

/**
 * Edge → core profile of every particle.
 * @param labels label image (0 = background)
 * @param count number of labels
 * @param map values per voxel (same voxel count)
 * @param shells number of normalised-depth shells N (default 10)
 */
export function edgeCoreProfiles(
  labels: Volume,
  count: number,
  map: ArrayLike<number>,
  shells = 10,
): EdgeCoreProfile[] {
  const [nz, ny, nx] = labels.shape;
  const lab = labels.data;
  const bb = boxes(labels, count);
  const out: EdgeCoreProfile[] = [];
  const twoD = nz === 1;
  for (let l = 1; l <= count; l++) {
    const o = 6 * l;
    const z0 = bb[o];
    const y0 = bb[o + 1];
    const x0 = bb[o + 2];
    const edges = new Float64Array(shells);
    for (let k = 0; k < shells; k++) edges[k] = (k + 1) / shells;
    if (bb[o + 3] < 0) {
      out.push({
        label: l,
        edges,
        mean: new Float64Array(shells).fill(Number.NaN),
        voxels: new Float64Array(shells),
        maxDepth: 0,
        slope: Number.NaN,
        intercept: Number.NaN,
        edgeMinusCore: Number.NaN,
      });
      continue;
    }
    // padded box: one background voxel on each side (not in z for a 2-D image)
    const pz = twoD ? 0 : 1;
    const bz = bb[o + 3] - z0 + 1 + 2 * pz;
    const by = bb[o + 4] - y0 + 3;
    const bx = bb[o + 5] - x0 + 3;
    const mask = new Uint8Array(bz * by * bx);
    const vals = new Float64Array(bz * by * bx);
    for (let z = pz; z < bz - pz; z++)
      for (let y = 1; y < by - 1; y++)
        for (let x = 1; x < bx - 1; x++) {
          const gi = x - 1 + x0 + nx * (y - 1 + y0 + ny * (z - pz + z0));
          if (lab[gi] === l) {
            const li = x + bx * (y + by * z);
            mask[li] = 1;
            vals[li] = map[gi];
          }
        }
    const d = distanceTransform({ data: mask, shape: [bz, by, bx], spacing: labels.spacing }).data;
    let dmax = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i] && d[i] > dmax) dmax = d[i];
    const sum = new Float64Array(shells);
    const voxels = new Float64Array(shells);
    let n = 0;
    let sd = 0;
    let sv = 0;
    let sdd = 0;
    let sdv = 0;
    let eSum = 0;
    let eN = 0;
    let cSum = 0;
    let cN = 0;
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      const v = vals[i];
      if (!Number.isFinite(v)) continue;
      const rho = dmax > 0 ? d[i] / dmax : 1;
      const k = Math.min(shells - 1, Math.max(0, Math.ceil(rho * shells) - 1));
      sum[k] += v;
      voxels[k]++;
      n++;
      sd += d[i];
      sv += v;
      sdd += d[i] * d[i];
      sdv += d[i] * v;
      if (rho <= 1 / 3) {
        eSum += v;
        eN++;
      } else if (rho > 2 / 3) {
        cSum += v;
        cN++;
      }
    }
    const mean = new Float64Array(shells);
    for (let k = 0; k < shells; k++) mean[k] = voxels[k] > 0 ? sum[k] / voxels[k] : Number.NaN;
    const den = n * sdd - sd * sd;
    const slope = n > 1 && den > 0 ? (n * sdv - sd * sv) / den : Number.NaN;
    const intercept = Number.isFinite(slope) ? (sv - slope * sd) / n : Number.NaN;
    out.push({
      label: l,
      edges,
      mean,
      voxels,
      maxDepth: dmax,
      slope,
      intercept,
      edgeMinusCore: eN > 0 && cN > 0 ? eSum / eN - cSum / cN : Number.NaN,
    });
  }
  return out;
}

/** Voxel-weighted mean profile over several particles (same number of shells). */
export function pooledProfile(profiles: readonly EdgeCoreProfile[]): {
  edges: Float64Array;
  mean: Float64Array;
  voxels: Float64Array;
} {
  const shells = profiles.length > 0 ? profiles[0].edges.length : 0;
  const sum = new Float64Array(shells);
  const voxels = new Float64Array(shells);
  for (const p of profiles)
    for (let k = 0; k < shells; k++)
      if (p.voxels[k] > 0) {
        sum[k] += p.mean[k] * p.voxels[k];
        voxels[k] += p.voxels[k];
      }
  const mean = new Float64Array(shells);
  for (let k = 0; k < shells; k++) mean[k] = voxels[k] > 0 ? sum[k] / voxels[k] : Number.NaN;
  return { edges: profiles.length > 0 ? profiles[0].edges : new Float64Array(0), mean, voxels };
}
