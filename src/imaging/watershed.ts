/**
 * Splitting of touching particles by a distance-map watershed (the usual
 * `peak_local_max` + `watershed(−distance, markers, mask)` recipe of scikit-image,
 * written here as one linear-time pass):
 *
 *  1. squared Euclidean distance d² of every foreground voxel to the background (voxel
 *     units, so d² is an integer on isotropic grids);
 *  2. markers: local maxima of d² (26-neighbourhood) with d ≥ `minRadius`, accepted greedily
 *     from the largest, rejecting a peak that lies within `peakSeparation`·d_a of an accepted
 *     peak a (a sphere's centre suppresses the plateau and shoulders around it, while two
 *     touching spheres keep one marker each);
 *  3. flooding from the markers in order of decreasing distance (priority flood, Meyer 1994)
 *     with a bucket queue keyed by d², restricted to the mask: O(N) time, 4 bytes per voxel.
 *
 * Each foreground voxel gets the label of the marker whose basin reaches it first.
 */
import { distanceTransform } from "./distance.js";
import type { Volume } from "./volume.js";

export interface WatershedSplitOptions {
  /** Smallest inscribed radius of a particle that gets its own marker [voxels] (default 3). */
  minRadius?: number;
  /** Peaks closer than this factor × the larger peak's distance merge (default 0.6). */
  peakSeparation?: number;
  /** Neighbourhood of the flooding: 6 or 26 (default 26). */
  connectivity?: 6 | 26;
}

export interface WatershedSplitResult {
  labels: Volume<Int32Array>;
  count: number;
  /** Marker positions (voxel indices into the volume), in label order. */
  markers: Int32Array;
}

/**
 * Label the foreground of `mask` (non-zero = particle, already hole-filled) with one label per
 * distance-map basin.
 */
export function watershedSplit(mask: Volume, options: WatershedSplitOptions = {}): WatershedSplitResult {
  const [nz, ny, nx] = mask.shape;
  const n = nx * ny * nz;
  const minRadius = options.minRadius ?? 3;
  const separation = options.peakSeparation ?? 0.6;
  const conn = options.connectivity ?? 26;
  const d2 = distanceTransform(mask, { sampling: [1, 1, 1], squared: true, output: "float32" }).data;
  const m = mask.data;
  const sxy = nx * ny;

  // 1. candidate peaks: local maxima of d² over the 26-neighbourhood (interior voxels; a
  // particle's inscribed-sphere centre is never on the array border when d ≥ minRadius ≥ 1)
  const candidates: number[] = [];
  const r2min = Math.max(1, minRadius * minRadius);
  const around: number[] = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) if (dz || dy || dx) around.push(dx + nx * (dy + ny * dz));
  const aroundArr = Int32Array.from(around);
  const z0 = nz > 2 ? 1 : 0;
  const z1 = nz > 2 ? nz - 1 : nz;
  for (let z = z0; z < z1; z++)
    for (let y = 1; y < ny - 1; y++) {
      const row = nx * (y + ny * z);
      for (let x = 1; x < nx - 1; x++) {
        const i = row + x;
        const v = d2[i];
        if (v < r2min || m[i] === 0) continue;
        let isMax = true;
        for (let k = 0; k < aroundArr.length; k++) {
          const j = i + aroundArr[k];
          if (j < 0 || j >= n) continue; // 2-D images (nz = 1)
          if (d2[j] > v) {
            isMax = false;
            break;
          }
        }
        if (isMax) candidates.push(i);
      }
    }
  candidates.sort((a, b) => d2[b] - d2[a] || a - b);

  // 2. greedy suppression with a uniform grid hash of accepted peaks
  let rMax = 0;
  for (const c of candidates) rMax = Math.max(rMax, Math.sqrt(d2[c]));
  const cell = Math.max(1, Math.ceil(separation * rMax));
  const gx = Math.ceil(nx / cell);
  const gy = Math.ceil(ny / cell);
  const grid = new Map<number, number[]>();
  const accepted: number[] = [];
  for (const c of candidates) {
    const z = Math.floor(c / sxy);
    const y = Math.floor((c - z * sxy) / nx);
    const x = c - z * sxy - y * nx;
    const cz = Math.floor(z / cell);
    const cy = Math.floor(y / cell);
    const cx = Math.floor(x / cell);
    let keep = true;
    for (let a = cz - 1; a <= cz + 1 && keep; a++)
      for (let b = cy - 1; b <= cy + 1 && keep; b++)
        for (let d = cx - 1; d <= cx + 1 && keep; d++) {
          const list = grid.get(a * gx * gy + b * gx + d);
          if (!list) continue;
          for (const p of list) {
            const pz = Math.floor(p / sxy);
            const py = Math.floor((p - pz * sxy) / nx);
            const px = p - pz * sxy - py * nx;
            const dist2 = (pz - z) ** 2 + (py - y) ** 2 + (px - x) ** 2;
            const lim = separation * Math.sqrt(Math.max(d2[p], d2[c]));
            if (dist2 <= lim * lim) {
              keep = false;
              break;
            }
          }
        }
    if (!keep) continue;
    accepted.push(c);
    const key = cz * gx * gy + cy * gx + cx;
    const list = grid.get(key);
    if (list) list.push(c);
    else grid.set(key, [c]);
  }

  // 3. priority flood with a bucket queue on d² (largest distance first)
  let maxLevel = 0;
  for (let i = 0; i < n; i++) if (m[i] !== 0 && d2[i] > maxLevel) maxLevel = d2[i];
  const levels = Math.ceil(maxLevel) + 1;
  const head = new Int32Array(levels).fill(-1);
  const tail = new Int32Array(levels).fill(-1);
  const next = new Int32Array(n);
  const labels = new Int32Array(n);
  const bucketOf = (i: number) => Math.max(0, Math.min(levels - 1, Math.round(maxLevel - d2[i])));
  const push = (i: number, b: number) => {
    next[i] = -1;
    if (tail[b] < 0) head[b] = i;
    else next[tail[b]] = i;
    tail[b] = i;
  };
  accepted.forEach((c, k) => {
    labels[c] = k + 1;
    push(c, bucketOf(c));
  });
  const offsets: [number, number, number][] = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const order = Math.abs(dz) + Math.abs(dy) + Math.abs(dx);
        if (order === 0 || (conn === 6 && order > 1)) continue;
        offsets.push([dz, dy, dx]);
      }
  const linear = Int32Array.from(offsets, ([dz, dy, dx]) => dx + nx * (dy + ny * dz));
  const oz = Int32Array.from(offsets, (o) => o[0]);
  const oy = Int32Array.from(offsets, (o) => o[1]);
  const ox = Int32Array.from(offsets, (o) => o[2]);
  const nOff = linear.length;
  for (let level = 0; level < levels; level++) {
    while (head[level] >= 0) {
      const i = head[level];
      head[level] = next[i];
      if (head[level] < 0) tail[level] = -1;
      const z = (i / sxy) | 0;
      const rem = i - z * sxy;
      const y = (rem / nx) | 0;
      const x = rem - y * nx;
      const l = labels[i];
      const interior = x > 0 && x < nx - 1 && y > 0 && y < ny - 1 && z > 0 && z < nz - 1;
      for (let k = 0; k < nOff; k++) {
        let j: number;
        if (interior) j = i + linear[k];
        else {
          const zz = z + oz[k];
          const yy = y + oy[k];
          const xx = x + ox[k];
          if (zz < 0 || zz >= nz || yy < 0 || yy >= ny || xx < 0 || xx >= nx) continue;
          j = xx + nx * (yy + ny * zz);
        }
        if (m[j] === 0 || labels[j] !== 0) continue;
        labels[j] = l;
        const bj = Math.round(maxLevel - d2[j]);
        push(j, bj > level ? (bj < levels ? bj : levels - 1) : level);
      }
    }
  }
  // foreground voxels no marker reached (components without a peak ≥ minRadius): label
  // each such component on its own so no particle is lost
  let count = accepted.length;
  for (let i = 0; i < n; i++) {
    if (m[i] === 0 || labels[i] !== 0) continue;
    count++;
    labels[i] = count;
    const stack = [i];
    while (stack.length > 0) {
      const p = stack.pop() as number;
      const z = Math.floor(p / sxy);
      const y = Math.floor((p - z * sxy) / nx);
      const x = p - z * sxy - y * nx;
      for (const [dz, dy, dx] of offsets) {
        const zz = z + dz;
        const yy = y + dy;
        const xx = x + dx;
        if (zz < 0 || zz >= nz || yy < 0 || yy >= ny || xx < 0 || xx >= nx) continue;
        const j = xx + nx * (yy + ny * zz);
        if (m[j] !== 0 && labels[j] === 0) {
          labels[j] = count;
          stack.push(j);
        }
      }
    }
  }
  return {
    labels: { data: labels, shape: mask.shape, spacing: mask.spacing },
    count,
    markers: Int32Array.from(accepted),
  };
}
