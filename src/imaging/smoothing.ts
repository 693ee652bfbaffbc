/**
 * Allen–Cahn (diffuse-interface) smoothing of a binary mask before meshing, as seed 000 does for
 * its TXM particles before measuring the surface area.
 *
 * φ starts as the 0/1 mask and takes a few explicit Euler steps of the volume-conserving
 * Allen–Cahn equation (Allen & Cahn 1979; conservation by a Lagrange multiplier weighted to the
 * interface, Brassel & Bretin 2011, Math. Methods Appl. Sci. 34:1157):
 *   ∂φ/∂t = ε²∇²φ − W′(φ) + λ(t)·√(2W(φ)),  W(φ) = φ²(1 − φ)²,
 *   λ = Σ W′(φ) / Σ √(2W(φ))  (so that Σ φ is unchanged: ∇² sums to zero under Neumann borders).
 * Lengths are in voxels (the Laplacian uses the spacing relative to the smallest voxel edge). The
 * staircase of the voxelised surface relaxes (mean-curvature flow at the voxel scale) while the
 * enclosed volume is kept, so the 0.5 iso-surface area moves toward that of the smooth object.
 */

import { InputError } from "../errors.js";
import { isosurfaceArea } from "./marching-cubes.js";
import type { Volume } from "./volume.js";

/** Options of `allenCahnSmooth`. */
export interface AllenCahnOptions {
  /** Number of explicit steps (default 3: enough to remove the staircase, see the tests). */
  steps?: number;
  /** Interface parameter ε in voxels (default 1). */
  epsilon?: number;
  /** Time step (dimensionless; default 0.1, stable for dt ≤ h²/(6ε²)). */
  dt?: number;
}

/**
 * Smoothed phase field φ ∈ [0, 1] (Float32) of a binary mask (non-zero = 1).
 * Borders are Neumann (zero flux): pad the mask first if the object touches the edge.
 */
export function allenCahnSmooth(mask: Volume, options: AllenCahnOptions = {}): Volume<Float32Array> {
  const steps = options.steps ?? 3;
  const eps = options.epsilon ?? 1;
  const [nz, ny, nx] = mask.shape;
  const hmin = Math.min(...mask.spacing.filter((_, a) => mask.shape[a] > 1));
  const wz = nz > 1 ? (hmin / mask.spacing[0]) ** 2 : 0;
  const wy = ny > 1 ? (hmin / mask.spacing[1]) ** 2 : 0;
  const wx = nx > 1 ? (hmin / mask.spacing[2]) ** 2 : 0;
  const dtMax = 1 / (2 * eps * eps * (wz + wy + wx));
  const dt = options.dt ?? Math.min(0.1, 0.9 * dtMax);
  if (!(steps >= 0) || !Number.isInteger(steps) || !(eps > 0) || !(dt > 0) || dt > dtMax) {
    throw new InputError("invalid Allen–Cahn parameters", {
      field: "steps/epsilon/dt",
      value: `${steps}/${eps}/${dt}`,
      expected: `integer steps ≥ 0, ε > 0, 0 < dt ≤ ${dtMax.toPrecision(3)} (explicit stability)`,
    });
  }
  const n = nx * ny * nz;
  let phi = new Float32Array(n);
  let next = new Float32Array(n);
  for (let i = 0; i < n; i++) phi[i] = mask.data[i] !== 0 ? 1 : 0;
  const plane = nx * ny;
  const e2 = eps * eps;
  for (let s = 0; s < steps; s++) {
    let sumW = 0;
    let sumG = 0;
    // pass 1: reaction-diffusion increment without λ, stored in next
    let i = 0;
    for (let z = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++, i++) {
          const p = phi[i];
          const xm = x > 0 ? phi[i - 1] : p;
          const xp = x < nx - 1 ? phi[i + 1] : p;
          const ym = y > 0 ? phi[i - nx] : p;
          const yp = y < ny - 1 ? phi[i + nx] : p;
          const zm = z > 0 ? phi[i - plane] : p;
          const zp = z < nz - 1 ? phi[i + plane] : p;
          const lap = wx * (xm + xp - 2 * p) + wy * (ym + yp - 2 * p) + wz * (zm + zp - 2 * p);
          const dW = 2 * p * (1 - p) * (1 - 2 * p);
          sumW += dW;
          sumG += Math.SQRT2 * Math.abs(p * (1 - p));
          next[i] = p + dt * (e2 * lap - dW);
        }
    const lambda = sumG > 0 ? sumW / sumG : 0;
    for (let j = 0; j < n; j++) {
      const p = phi[j];
      next[j] += dt * lambda * Math.SQRT2 * Math.abs(p * (1 - p));
    }
    const t = phi;
    phi = next;
    next = t;
  }
  return { data: phi, shape: mask.shape, spacing: mask.spacing };
}

/**
 * Surface area [m²] of a binary mask after Allen–Cahn smoothing: the mask is padded with
 * background (so the surface is closed and the Neumann border is far away), smoothed, and meshed
 * at φ = 0.5 by marching cubes.
 */
export function smoothedSurfaceArea(mask: Volume, options: AllenCahnOptions = {}): number {
  const [nz, ny, nx] = mask.shape;
  const w = 2 + Math.ceil(2 * (options.epsilon ?? 1));
  const pz = nz + 2 * w;
  const py = ny + 2 * w;
  const px = nx + 2 * w;
  const padded = new Uint8Array(pz * py * px);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++)
        padded[x + w + px * (y + w + py * (z + w))] = mask.data[x + nx * (y + ny * z)] ? 1 : 0;
  const phi = allenCahnSmooth({ data: padded, shape: [pz, py, px], spacing: mask.spacing }, options);
  return isosurfaceArea(phi, { level: 0.5 });
}
