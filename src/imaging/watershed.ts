/**
 * Splitting of touching particles by a distance-map watershed with marker selection by
 * dynamics (h-maxima) and merging of small fragments.
 *
 *  1. Euclidean distance d of every foreground voxel to the background, in units of the
 *     smallest voxel edge (anisotropic voxels are weighted by their spacing);
 *  2. seeds: every regional maximum of d (a voxel with no higher 26-neighbour; a plateau of
 *     equal maxima is one seed), border voxels included, so particles cut by the field of view
 *     get seeds too;
 *  3. flooding from the seeds in order of decreasing distance (priority flood, Meyer 1994) with
 *     a bucket queue keyed by d², restricted to the mask;
 *  4. merging by dynamics (Grimaud 1992; the h-maxima transform of Soille 2003, §6.3.4, computed
 *     on the basin graph as in persistence-based clustering, Chazal et al. 2013 J. ACM 60:41):
 *     adjacent basins meet at a pass of height s = the largest min(d_i, d_j) over face-adjacent
 *     voxel pairs across their boundary; passes are visited from the highest down, and the basin
 *     with the lower peak p_low is merged into the other unless its dynamic p_low − s is at least
 *     h = max(`minDynamic`, `relativeDynamic`·p_low). The relative term is the particle-size
 *     scale: two balls are kept apart only when the neck between them is narrower than
 *     (1 − relativeDynamic) × the smaller ball's inscribed radius, so rough surfaces and
 *     elongated particles (shallow saddles along one body) are not cut;
 *  5. fragments: regions smaller than `minFragmentVoxels` or whose inscribed radius is below
 *     `minRadius` are merged into the neighbour they share the highest pass with (an isolated
 *     small particle has no neighbour and stays whole).
 *
 * Labels are numbered 1…N by the raster order of each region's first voxel (as `label`).
 */
import { distanceTransform } from "./distance.js";
import type { Volume } from "./volume.js";

export interface WatershedSplitOptions {
  /** Smallest inscribed radius of a particle that stays its own region [voxels] (default 3). */
  minRadius?: number;
  /**
   * Smallest dynamic (peak − pass height) that separates two basins [voxels] (default 2: the EDT
   * of a voxelised surface takes the values √k, so dynamics of one voxel are discretisation noise).
   */
  minDynamic?: number;
  /** Dynamic needed as a fraction of the lower peak's inscribed radius (default 0.3). */
  relativeDynamic?: number;
  /** Regions with fewer voxels are merged into their neighbour (default 64 in 3-D, 16 in 2-D). */
  minFragmentVoxels?: number;
  /** Neighbourhood of the flooding: 6 or 26 (default 26). */
  connectivity?: 6 | 26;
}

export interface WatershedSplitResult {
  labels: Volume<Int32Array>;
  count: number;
  /** Seed (peak) voxel of each final region (voxel indices), in label order. */
  markers: Int32Array;
}

/**
 * Label the foreground of `mask` (non-zero = particle, already hole-filled) with one label per
 * distance-map basin that survives the dynamic and size criteria.
 */
export function watershedSplit(mask: Volume, options: WatershedSplitOptions = {}): WatershedSplitResult {
  const [nz, ny, nx] = mask.shape;
  const n = nx * ny * nz;
  const twoD = nz === 1;
  const minRadius = options.minRadius ?? 3;
  const minDynamic = options.minDynamic ?? 2;
  const relDynamic = options.relativeDynamic ?? 0.3;
  const minFragment = options.minFragmentVoxels ?? (twoD ? 16 : 64);
  const conn = options.connectivity ?? 26;
  const s0 = Math.min(mask.spacing[0], mask.spacing[1], mask.spacing[2]);
  const sampling: [number, number, number] = [
    twoD ? 1 : mask.spacing[0] / s0,
    mask.spacing[1] / s0,
    mask.spacing[2] / s0,
  ];
  const d2 = distanceTransform(mask, { sampling, squared: true, output: "float32" }).data;
  const m = mask.data;
  const sxy = nx * ny;

  // neighbourhoods (26 for seeds, `conn` for flooding)
  const offsets: [number, number, number][] = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const order = Math.abs(dz) + Math.abs(dy) + Math.abs(dx);
        if (order === 0 || (twoD && dz !== 0)) continue;
        offsets.push([dz, dy, dx]);
      }
  const nOff = offsets.length;
  const linear = Int32Array.from(offsets, ([dz, dy, dx]) => dx + nx * (dy + ny * dz));
  const oz = Int32Array.from(offsets, (o) => o[0]);
  const oy = Int32Array.from(offsets, (o) => o[1]);
  const ox = Int32Array.from(offsets, (o) => o[2]);
  const isFace = Uint8Array.from(offsets, ([dz, dy, dx]) =>
    Math.abs(dz) + Math.abs(dy) + Math.abs(dx) === 1 ? 1 : 0,
  );
  /** Neighbour k of voxel i at (z, y, x), or −1 outside the array. */
  const neighbour = (i: number, z: number, y: number, x: number, k: number): number => {
    if (x > 0 && x < nx - 1 && y > 0 && y < ny - 1 && z > 0 && z < nz - 1) return i + linear[k];
    const zz = z + oz[k];
    const yy = y + oy[k];
    const xx = x + ox[k];
    if (zz < 0 || zz >= nz || yy < 0 || yy >= ny || xx < 0 || xx >= nx) return -1;
    return xx + nx * (yy + ny * zz);
  };

  // 1. seeds: voxels without a higher neighbour, sorted by decreasing distance
  const candidates: number[] = [];
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++) {
      const row = nx * (y + ny * z);
      for (let x = 0; x < nx; x++) {
        const i = row + x;
        if (m[i] === 0) continue;
        const v = d2[i];
        let isMax = true;
        for (let k = 0; k < nOff; k++) {
          const j = neighbour(i, z, y, x, k);
          if (j >= 0 && d2[j] > v) {
            isMax = false;
            break;
          }
        }
        if (isMax) candidates.push(i);
      }
    }
  candidates.sort((a, b) => d2[b] - d2[a] || a - b);

  // 2. priority flood with a bucket queue on d² (largest distance first); a plateau of equal
  // maxima gets one label
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
  const peaks: number[] = [0]; // peak distance per basin (index = basin label)
  const seedOf: number[] = [-1];
  for (const c of candidates) {
    if (labels[c] !== 0) continue;
    const l = peaks.length;
    peaks.push(Math.sqrt(d2[c]));
    seedOf.push(c);
    labels[c] = l;
    push(c, bucketOf(c));
    const v = d2[c];
    const stack = [c];
    while (stack.length > 0) {
      const p = stack.pop() as number;
      const z = (p / sxy) | 0;
      const y = ((p - z * sxy) / nx) | 0;
      const x = p - z * sxy - y * nx;
      for (let k = 0; k < nOff; k++) {
        const j = neighbour(p, z, y, x, k);
        if (j < 0 || m[j] === 0 || labels[j] !== 0 || d2[j] !== v) continue;
        labels[j] = l;
        push(j, bucketOf(j));
        stack.push(j);
      }
    }
  }
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
      for (let k = 0; k < nOff; k++) {
        if (conn === 6 && !isFace[k]) continue;
        const j = neighbour(i, z, y, x, k);
        if (j < 0 || m[j] === 0 || labels[j] !== 0) continue;
        labels[j] = l;
        const bj = Math.round(maxLevel - d2[j]);
        push(j, bj > level ? (bj < levels ? bj : levels - 1) : level);
      }
    }
  }
  // every component holds its maximum, so every foreground voxel is reached
  const basins = peaks.length - 1;

  // 3. pass heights between face-adjacent basins and basin sizes
  const size = new Float64Array(basins + 1);
  const pass = new Map<number, number>();
  const key = (a: number, b: number) => (a < b ? a * (basins + 1) + b : b * (basins + 1) + a);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++) {
      const row = nx * (y + ny * z);
      for (let x = 0; x < nx; x++) {
        const i = row + x;
        const a = labels[i];
        if (a === 0) continue;
        size[a]++;
        const di = d2[i];
        const check = (j: number) => {
          const b = labels[j];
          if (b === 0 || b === a) return;
          const s = Math.sqrt(Math.min(di, d2[j]));
          const kk = key(a, b);
          const old = pass.get(kk);
          if (old === undefined || s > old) pass.set(kk, s);
        };
        if (x + 1 < nx) check(i + 1);
        if (y + 1 < ny) check(i + nx);
        if (z + 1 < nz) check(i + sxy);
      }
    }
  const edges = [...pass.entries()]
    .map(([k, s]) => ({ a: Math.floor(k / (basins + 1)), b: k % (basins + 1), s }))
    .sort((e, f) => f.s - e.s || e.a - f.a || e.b - f.b);

  // 4. merging by dynamics (union-find; each root keeps the highest peak, its seed and size)
  const parent = Int32Array.from({ length: basins + 1 }, (_, i) => i);
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  const rootPeak = Float64Array.from(peaks);
  const rootSeed = Int32Array.from(seedOf);
  const rootSize = Float64Array.from(size);
  const join = (low: number, high: number) => {
    parent[low] = high;
    rootSize[high] += rootSize[low];
    if (rootPeak[low] > rootPeak[high]) {
      rootPeak[high] = rootPeak[low];
      rootSeed[high] = rootSeed[low];
    }
  };
  for (const e of edges) {
    const ra = find(e.a);
    const rb = find(e.b);
    if (ra === rb) continue;
    const [low, high] =
      rootPeak[ra] < rootPeak[rb] || (rootPeak[ra] === rootPeak[rb] && ra > rb) ? [ra, rb] : [rb, ra];
    const p = rootPeak[low];
    if (p - e.s < Math.max(minDynamic, relDynamic * p)) join(low, high);
  }
  // 5. fragments (small or thin) into the neighbour across their highest pass; repeat until stable
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of edges) {
      const ra = find(e.a);
      const rb = find(e.b);
      if (ra === rb) continue;
      const weak = (r: number) => rootSize[r] < minFragment || rootPeak[r] < minRadius;
      if (!weak(ra) && !weak(rb)) continue;
      const [low, high] =
        weak(ra) && (!weak(rb) || rootSize[ra] < rootSize[rb] || (rootSize[ra] === rootSize[rb] && ra > rb))
          ? [ra, rb]
          : [rb, ra];
      join(low, high);
      changed = true;
    }
  }

  // final numbering in raster order of first voxels
  const final = new Int32Array(basins + 1);
  const markers: number[] = [];
  let count = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l === 0) continue;
    const r = find(l);
    if (final[r] === 0) {
      final[r] = ++count;
      markers.push(rootSeed[r]);
    }
    labels[i] = final[r];
  }
  return {
    labels: { data: labels, shape: mask.shape, spacing: mask.spacing },
    count,
    markers: Int32Array.from(markers),
  };
}
