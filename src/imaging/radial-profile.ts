/**
 * Radial profiles of particles: by normalised depth below the particle surface (seed 001's
 * radial crack distribution) and the greyscale-layer profile of GREAT2 (Jones et al., Small
 * Methods 2025; REFERENCE §5).
 */

import { InputError } from "../errors.js";
import { distanceTransform } from "./distance.js";
import type { BoundingBox, Volume } from "./volume.js";
import { boundingBoxOf } from "./volume.js";

/** Profile over N shells from the surface (shell 0) to the deepest point (shell N − 1). */
export interface ShellProfile {
  /** Upper edge of each shell in normalised depth d/d_max (0 = surface, 1 = centre). */
  edges: Float64Array;
  /** Particle voxels per shell. */
  voxels: Float64Array;
  /** Mean of `values` per shell (for a 0/1 crack mask: crack volume fraction); NaN if empty. */
  mean: Float64Array;
  /** Largest depth below the surface d_max [m]. */
  maxDepth: number;
}

function sameShape(a: Volume, b: Volume, field: string): void {
  if (a.shape[0] !== b.shape[0] || a.shape[1] !== b.shape[1] || a.shape[2] !== b.shape[2]) {
    throw new InputError("volumes differ in shape", {
      field,
      value: b.shape.join("×"),
      expected: a.shape.join("×"),
    });
  }
}

/**
 * Profile of `values` over shells of equal normalised depth inside a particle.
 * Depth d = EDT of the particle mask (distance to the nearest outside voxel, voxel spacing
 * applied) [m]; normalised depth d/d_max ∈ (0, 1]; shell k holds k/N < d/d_max ≤ (k+1)/N.
 * @param particle 0/1 particle mask (filled: internal cracks count as particle)
 * @param values per-voxel values averaged per shell (e.g. 0/1 crack mask → crack fraction)
 * @param shells number of shells N (default 10)
 */
export function radialShellProfile(particle: Volume, values: Volume, shells = 10): ShellProfile {
  sameShape(particle, values, "values");
  if (!Number.isInteger(shells) || shells < 1) {
    throw new InputError("invalid number of shells", {
      field: "shells",
      value: String(shells),
      expected: "an integer ≥ 1",
    });
  }
  const d = distanceTransform(particle).data;
  let dmax = 0;
  for (let i = 0; i < d.length; i++)
    if (particle.data[i] && Number.isFinite(d[i]) && d[i] > dmax) dmax = d[i];
  const voxels = new Float64Array(shells);
  const sum = new Float64Array(shells);
  for (let i = 0; i < d.length; i++) {
    if (!particle.data[i]) continue;
    const t = Number.isFinite(d[i]) ? d[i] / dmax : 1;
    const k = Math.min(shells - 1, Math.max(0, Math.ceil(t * shells) - 1));
    voxels[k]++;
    sum[k] += values.data[i];
  }
  const mean = new Float64Array(shells);
  const edges = new Float64Array(shells);
  for (let k = 0; k < shells; k++) {
    mean[k] = voxels[k] > 0 ? sum[k] / voxels[k] : Number.NaN;
    edges[k] = (k + 1) / shells;
  }
  return { edges, voxels, mean, maxDepth: dmax };
}

/** GREAT2 greyscale-layer profile of one particle. */
export interface GreyLayerProfile {
  /** Layer numbers 1…L (integer depth below the edge, voxels). */
  layers: Int32Array;
  /** Mean grey value per layer (NaN if a layer is empty). */
  meanGrey: Float64Array;
  /** Voxels per layer. */
  voxels: Float64Array;
  /** (gl − gl[0]) / max(gl): the normalised profile of GREAT2. */
  normalised: Float64Array;
}

/**
 * GREAT2 greyscale-layer profile (REFERENCE §5): the particle is cut to its bounding box, the EDT
 * is taken from its edge with the bounding-box border counting as background (voxel units,
 * isotropic layers as in GREAT2), distances are rounded to integer layers 1…max, the grey value
 * is averaged per layer and normalised as (gl − gl[0]) / max(gl) — our reading of "/max": the
 * largest layer mean. A layer with gl below the outer layer gives a negative value (darker core,
 * e.g. a central void or cracks).
 * @param particle 0/1 mask of one particle (any size; only its bounding box is used)
 * @param grey greyscale volume of the same shape
 * @param box optional bounding box of the particle (computed when absent)
 */
export function greyLayerProfile(particle: Volume, grey: Volume, box?: BoundingBox): GreyLayerProfile {
  sameShape(particle, grey, "grey");
  const [nz, ny, nx] = particle.shape;
  const b = box ?? boundingBoxOf(particle);
  if (b === null)
    return {
      layers: new Int32Array(0),
      meanGrey: new Float64Array(0),
      voxels: new Float64Array(0),
      normalised: new Float64Array(0),
    };
  // Crop with a one-voxel zero frame: the bounding-box border is background.
  // A 2-D image (nz = 1) gets no frame along z (layers are in-plane).
  const fz = nz === 1 ? 0 : 1;
  const cz = b.z1 - b.z0 + 2 * fz;
  const cy = b.y1 - b.y0 + 2;
  const cx = b.x1 - b.x0 + 2;
  const sub = new Uint8Array(cz * cy * cx);
  for (let z = b.z0; z < b.z1; z++)
    for (let y = b.y0; y < b.y1; y++)
      for (let x = b.x0; x < b.x1; x++)
        sub[x - b.x0 + 1 + cx * (y - b.y0 + 1 + cy * (z - b.z0 + fz))] = particle.data[x + nx * (y + ny * z)]
          ? 1
          : 0;
  const d = distanceTransform({ data: sub, shape: [cz, cy, cx], spacing: [1, 1, 1] }).data;
  let L = 0;
  for (let i = 0; i < d.length; i++) if (sub[i] && Math.round(d[i]) > L) L = Math.round(d[i]);
  const voxels = new Float64Array(L);
  const sum = new Float64Array(L);
  for (let z = fz; z < cz - fz; z++)
    for (let y = 1; y < cy - 1; y++)
      for (let x = 1; x < cx - 1; x++) {
        const i = x + cx * (y + cy * z);
        if (!sub[i]) continue;
        const layer = Math.round(d[i]);
        const g = grey.data[x - 1 + b.x0 + nx * (y - 1 + b.y0 + ny * (z - fz + b.z0))];
        voxels[layer - 1]++;
        sum[layer - 1] += g;
      }
  const meanGrey = new Float64Array(L);
  let gmax = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < L; k++) {
    meanGrey[k] = voxels[k] > 0 ? sum[k] / voxels[k] : Number.NaN;
    if (meanGrey[k] > gmax) gmax = meanGrey[k];
  }
  const normalised = new Float64Array(L);
  for (let k = 0; k < L; k++) normalised[k] = (meanGrey[k] - meanGrey[0]) / gmax;
  return { layers: Int32Array.from({ length: L }, (_, k) => k + 1), meanGrey, voxels, normalised };
}
