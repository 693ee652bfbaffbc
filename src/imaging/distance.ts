/**
 * Exact Euclidean distance transform with anisotropic voxels.
 *
 * Same result as `scipy.ndimage.distance_transform_edt(input, sampling)` (Maurer, Qi & Raghavan
 * 2003): for each non-zero voxel the distance to the nearest zero voxel, zero voxels get 0, the
 * array border is NOT background. Computed separably (Felzenszwalb & Huttenlocher 2012, Theory of
 * Computing 8:415, "Distance transforms of sampled functions", lower envelope of parabolas):
 * an exact 1-D pass along x, then the parabola-envelope pass along y and z on squared distances
 * with weights dy², dz². Linear time; one scratch set per line, no per-voxel allocation.
 */

import { InputError } from "../errors.js";
import type { Volume } from "./volume.js";

export interface DistanceOptions {
  /** Voxel size [dz, dy, dx] used for distances (default: the volume's spacing). */
  sampling?: readonly [number, number, number];
  /** Return squared distances (default false). */
  squared?: boolean;
  /** Output type (default float64; float32 halves memory, relative rounding ~6e-8). */
  output?: "float64" | "float32";
}

/**
 * Euclidean distance from each foreground (non-zero) voxel to the nearest background (zero) voxel,
 * in the units of the sampling (metres with the volume's spacing). If the volume has no
 * background voxel at all, every distance is +Infinity (there is nothing to measure to).
 */
export function distanceTransform(
  mask: Volume,
  options: DistanceOptions = {},
): Volume<Float64Array | Float32Array> {
  const [nz, ny, nx] = mask.shape;
  const [sz, sy, sx] = options.sampling ?? mask.spacing;
  for (const [name, s] of [
    ["dz", sz],
    ["dy", sy],
    ["dx", sx],
  ] as const) {
    if (!(s > 0) || !Number.isFinite(s)) {
      throw new InputError("invalid sampling for the distance transform", {
        field: name,
        value: String(s),
        expected: "a positive finite length",
      });
    }
  }
  const n = mask.data.length;
  const out = options.output === "float32" ? new Float32Array(n) : new Float64Array(n);
  const m = mask.data;
  const INF = Number.POSITIVE_INFINITY;
  const wx2 = sx * sx;

  // Pass 1 (x): exact 1-D distance to the nearest zero in the row, squared, times dx².
  for (let row = 0; row < ny * nz; row++) {
    const base = row * nx;
    let last = -1;
    for (let x = 0; x < nx; x++) {
      const i = base + x;
      if (m[i] === 0) {
        last = x;
        out[i] = 0;
      } else out[i] = last < 0 ? INF : (x - last) * (x - last) * wx2;
    }
    last = -1;
    for (let x = nx - 1; x >= 0; x--) {
      const i = base + x;
      if (m[i] === 0) last = x;
      else if (last >= 0) {
        const d = (last - x) * (last - x) * wx2;
        if (d < out[i]) out[i] = d;
      }
    }
  }

  const maxLen = Math.max(ny, nz);
  const f = new Float64Array(maxLen);
  const v = new Int32Array(maxLen);
  const zb = new Float64Array(maxLen + 1);
  const g = new Float64Array(maxLen);

  /** 1-D lower envelope along a strided line; returns without change when nothing to do. */
  const envelope = (start: number, stride: number, len: number, w2: number) => {
    let anyFg = false;
    let anyFinite = false;
    for (let q = 0, i = start; q < len; q++, i += stride) {
      const val = out[i];
      f[q] = val;
      if (val !== 0) anyFg = true;
      if (val !== INF) anyFinite = true;
    }
    if (!anyFg || !anyFinite) return;
    let k = -1;
    for (let q = 0; q < len; q++) {
      const fq = f[q];
      if (fq === INF) continue;
      const hq = fq + w2 * q * q;
      if (k < 0) {
        k = 0;
        v[0] = q;
        zb[0] = -INF;
        zb[1] = INF;
        continue;
      }
      let s: number;
      for (;;) {
        const p = v[k];
        s = (hq - (f[p] + w2 * p * p)) / (2 * w2 * (q - p));
        if (s <= zb[k]) {
          k--;
          if (k < 0) break;
        } else break;
      }
      if (k < 0) {
        k = 0;
        v[0] = q;
        zb[0] = -INF;
        zb[1] = INF;
        continue;
      }
      k++;
      v[k] = q;
      zb[k] = s;
      zb[k + 1] = INF;
    }
    k = 0;
    for (let q = 0; q < len; q++) {
      while (zb[k + 1] < q) k++;
      const p = v[k];
      const dq = q - p;
      g[q] = w2 * dq * dq + f[p];
    }
    for (let q = 0, i = start; q < len; q++, i += stride) if (f[q] !== 0) out[i] = g[q];
  };

  // Pass 2 (y) and pass 3 (z).
  if (ny > 1) {
    const wy2 = sy * sy;
    for (let z = 0; z < nz; z++) for (let x = 0; x < nx; x++) envelope(x + nx * ny * z, nx, ny, wy2);
  }
  if (nz > 1) {
    const wz2 = sz * sz;
    const plane = nx * ny;
    for (let i = 0; i < plane; i++) envelope(i, plane, nz, wz2);
  }
  if (!options.squared) for (let i = 0; i < n; i++) out[i] = Math.sqrt(out[i]);
  return { data: out, shape: mask.shape, spacing: mask.spacing };
}
