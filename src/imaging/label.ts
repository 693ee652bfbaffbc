/**
 * Connected-component labelling of 2-D images and 3-D volumes.
 *
 * Two raster passes with union-find (Rosenfeld & Pfaltz 1966; Wu, Otoo & Suzuki 2009 for the
 * union-find with path compression and link-to-smaller-root): linear time in the voxel count.
 * Labels are numbered 1…N by the raster order (index x + nx·(y + ny·z)) of each component's
 * first voxel, as `scipy.ndimage.label` and `skimage.measure.label`; background is 0.
 *
 * Connectivity: 6 (faces), 18 (faces + edges), 26 (faces + edges + corners) in 3-D; 4 or 8 in
 * 2-D (nz = 1). scipy's default is face connectivity; scikit-image's is full (REFERENCE §5).
 */

import { InputError } from "../errors.js";
import type { Volume, VoxelArray } from "./volume.js";

export type Connectivity = 4 | 8 | 6 | 18 | 26;

export interface LabelOptions {
  /** Neighbourhood (default 6 in 3-D, 4 in 2-D: scipy's face connectivity). */
  connectivity?: Connectivity;
  /** Voxel value treated as background (default 0). */
  background?: number;
  /**
   * false (default, scipy): every non-background voxel is foreground, any value.
   * true (scikit-image `label` of an integer image): neighbours join only when their values are equal.
   */
  byValue?: boolean;
  /** Label array type (default int32). */
  output?: "int32" | "uint32";
}

export interface LabelResult<T extends Int32Array | Uint32Array = Int32Array | Uint32Array> {
  /** Label per voxel, 0 = background, 1…count. */
  labels: Volume<T>;
  /** Number of components. */
  count: number;
}

/** Backward (already visited) neighbour offsets [dz, dy, dx] of a connectivity. */
function backwardNeighbours(conn: Connectivity): [number, number, number][] {
  const out: [number, number, number][] = [];
  const twoD = conn === 4 || conn === 8;
  for (let dz = twoD ? 0 : -1; dz <= 0; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        if (dz === 0 && (dy > 0 || (dy === 0 && dx >= 0))) continue;
        const order = Math.abs(dz) + Math.abs(dy) + Math.abs(dx);
        const maxOrder = conn === 4 || conn === 6 ? 1 : conn === 18 || conn === 8 ? 2 : 3;
        if (order <= maxOrder) out.push([dz, dy, dx]);
      }
  return out;
}

function inConn(conn: Connectivity, dz: number, dy: number, dx: number): boolean {
  if (Math.abs(dz) > 1 || Math.abs(dy) > 1 || Math.abs(dx) > 1) return false;
  const order = Math.abs(dz) + Math.abs(dy) + Math.abs(dx);
  const maxOrder = conn === 4 || conn === 6 ? 1 : conn === 18 || conn === 8 ? 2 : 3;
  return order <= maxOrder;
}

/** Resolve the connectivity for a shape (2-D images accept 4/8, and 6/26 as their 2-D analogues). */
export function resolveConnectivity(
  shape: readonly number[],
  connectivity: Connectivity | undefined,
): Connectivity {
  const twoD = shape[0] === 1;
  const c = connectivity ?? (twoD ? 4 : 6);
  if (![4, 8, 6, 18, 26].includes(c)) {
    throw new InputError("invalid connectivity", {
      field: "connectivity",
      value: String(c),
      expected: "4 or 8 (2-D), 6, 18 or 26 (3-D)",
    });
  }
  if (twoD) return c === 4 || c === 6 ? 4 : 8;
  if (c === 4 || c === 8) {
    throw new InputError("2-D connectivity given for a 3-D volume", {
      field: "connectivity",
      value: String(c),
      expected: "6, 18 or 26",
    });
  }
  return c;
}

/**
 * Label connected components.
 * @returns labels (same shape/spacing) and the component count
 */
export function label(volume: Volume, options: LabelOptions = {}): LabelResult {
  const [nz, ny, nx] = volume.shape;
  const conn = resolveConnectivity(volume.shape, options.connectivity);
  const bg = options.background ?? 0;
  const byValue = options.byValue ?? false;
  const d: VoxelArray = volume.data;
  const n = d.length;
  const labels = options.output === "uint32" ? new Uint32Array(n) : new Int32Array(n);

  const nb = backwardNeighbours(conn);
  // Neighbours still to check when the left neighbour (dx = −1) is foreground and joined:
  // those not adjacent to it (everything adjacent and earlier was already merged with it).
  const reduced = nb.filter(
    ([dz, dy, dx]) => !(dz === 0 && dy === 0 && dx === -1) && !inConn(conn, dz, dy, dx + 1),
  );
  const full = nb.filter(([dz, dy, dx]) => !(dz === 0 && dy === 0 && dx === -1));
  const mk = (list: [number, number, number][]) => ({
    dz: Int32Array.from(list, (o) => o[0]),
    dy: Int32Array.from(list, (o) => o[1]),
    dx: Int32Array.from(list, (o) => o[2]),
    off: Int32Array.from(list, (o) => o[2] + nx * (o[1] + ny * o[0])),
  });
  const F = mk(full);
  const R = mk(reduced);

  let parent = new Int32Array(1 << 16);
  let next = 1;
  const find = (a: number): number => {
    while (parent[a] !== a) {
      const g = parent[parent[a]];
      parent[a] = g;
      a = g;
    }
    return a;
  };
  const union = (a: number, b: number): number => {
    let ra = find(a);
    let rb = find(b);
    if (ra === rb) return ra;
    if (ra > rb) {
      const t = ra;
      ra = rb;
      rb = t;
    }
    parent[rb] = ra;
    return ra;
  };

  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const yInterior = y > 0 && y < ny - 1 && (z > 0 || conn === 4 || conn === 8);
      for (let x = 0; x < nx; x++, i++) {
        const v = d[i];
        if (v === bg) continue;
        let cur = 0;
        let list = F;
        if (x > 0) {
          const w = d[i - 1];
          if (byValue ? w === v : w !== bg) {
            cur = labels[i - 1];
            list = R;
          }
        }
        const m = list.off.length;
        const interior = yInterior && x > 0 && x < nx - 1;
        for (let k = 0; k < m; k++) {
          if (!interior) {
            const zz = z + list.dz[k];
            const yy = y + list.dy[k];
            const xx = x + list.dx[k];
            if (zz < 0 || yy < 0 || yy >= ny || xx < 0 || xx >= nx) continue;
          }
          const j = i + list.off[k];
          const w = d[j];
          if (byValue ? w !== v : w === bg) continue;
          const lj = labels[j];
          if (cur === 0) cur = lj;
          else if (lj !== cur) cur = union(cur, lj);
        }
        if (cur === 0) {
          if (next >= parent.length) {
            const grown = new Int32Array(parent.length * 2);
            grown.set(parent);
            parent = grown;
          }
          parent[next] = next;
          cur = next++;
        }
        labels[i] = cur;
      }
    }
  }

  // Final numbering in order of provisional labels = raster order of first voxels.
  const final = new Int32Array(next);
  let count = 0;
  for (let a = 1; a < next; a++) {
    const r = find(a);
    if (r === a) final[a] = ++count;
    else final[a] = final[r];
  }
  for (let q = 0; q < n; q++) {
    const l = labels[q];
    if (l !== 0) labels[q] = final[l];
  }
  return { labels: { data: labels, shape: volume.shape, spacing: volume.spacing }, count };
}

/** Voxel count per label (index 0 = background), length count + 1. */
export function labelSizes(labels: Volume<Int32Array | Uint32Array>, count?: number): Float64Array {
  const d = labels.data;
  let max = count ?? 0;
  if (count === undefined) for (let i = 0; i < d.length; i++) if (d[i] > max) max = d[i];
  const sizes = new Float64Array(max + 1);
  for (let i = 0; i < d.length; i++) sizes[d[i]]++;
  return sizes;
}
