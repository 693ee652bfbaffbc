/**
 * Synthetic XRD-CT lattice maps for tests and examples: discs (2-D, nz = 1) on a grid, each
 * with a Li-content field x(d) that varies linearly with the distance from the disc centre,
 * a(x), c(x) from the material, an intensity image (particles bright), optional Gaussian noise
 * on a and c, and optionally one "outlier" particle whose a and c are shifted by fixed amounts
 * (seed 004: +0.008 Å in a, −0.019 Å in c for its outlying particle). Deterministic (seeded).
 */

import type { Material } from "../../materials/material.js";
import { createRng } from "../random.js";
import type { Volume } from "../volume.js";

export interface SyntheticLatticeOptions {
  material: Material;
  /** Image size [pixels] (default 96×96). */
  width?: number;
  height?: number;
  /** Pixel size [m] (default 1 µm, seed 004's ROI step). */
  pixel?: number;
  /** Particle centres and radii [pixels]. */
  particles: readonly { x: number; y: number; r: number; xCore: number; xEdge: number }[];
  /** Index of a particle whose a and c get an extra shift (default none). */
  outlier?: number;
  /** Shift of a and c of the outlier [m] (default +0.008 Å, −0.019 Å). */
  outlierShift?: readonly [number, number];
  /** Standard deviation of Gaussian noise added to a and c [m] (default 0). */
  noise?: readonly [number, number];
  seed?: number;
}

export interface SyntheticLatticeMaps {
  a: Volume<Float64Array>;
  c: Volume<Float64Array>;
  intensity: Volume<Float64Array>;
  /** True Li content per pixel (NaN outside particles). */
  x: Volume<Float64Array>;
  /** True particle index + 1 per pixel (0 outside). */
  truth: Volume<Int32Array>;
}

/** Generate synthetic lattice maps (a, c NaN outside particles, as a fit mask would leave them). */
export function syntheticLatticeMaps(o: SyntheticLatticeOptions): SyntheticLatticeMaps {
  const nx = o.width ?? 96;
  const ny = o.height ?? 96;
  const px = o.pixel ?? 1e-6;
  const n = nx * ny;
  const rng = createRng(o.seed ?? 7);
  const a = new Float64Array(n).fill(Number.NaN);
  const c = new Float64Array(n).fill(Number.NaN);
  const x = new Float64Array(n).fill(Number.NaN);
  const inten = new Float64Array(n);
  const truth = new Int32Array(n);
  const [sa, sc] = o.outlierShift ?? [0.008e-10, -0.019e-10];
  const [na, nc] = o.noise ?? [0, 0];
  for (let y = 0; y < ny; y++)
    for (let xi = 0; xi < nx; xi++) {
      const i = xi + nx * y;
      inten[i] = 10 + 2 * rng.normal();
      o.particles.forEach((p, k) => {
        const r = Math.hypot(xi - p.x, y - p.y);
        if (r > p.r) return;
        const xl = p.xCore + (p.xEdge - p.xCore) * (r / p.r);
        x[i] = xl;
        a[i] = o.material.latticeA(xl) + (k === o.outlier ? sa : 0) + (na > 0 ? na * rng.normal() : 0);
        c[i] = o.material.latticeC(xl) + (k === o.outlier ? sc : 0) + (nc > 0 ? nc * rng.normal() : 0);
        inten[i] = 100 + 5 * rng.normal();
        truth[i] = k + 1;
      });
    }
  const shape = [1, ny, nx] as const;
  const spacing = [px, px, px] as const;
  return {
    a: { data: a, shape, spacing },
    c: { data: c, shape, spacing },
    intensity: { data: inten, shape, spacing },
    x: { data: x, shape, spacing },
    truth: { data: truth, shape, spacing },
  };
}
