/**
 * Synthetic tomography volumes with known ground truth, for tests, benchmarks and demos.
 *
 * Spherical secondary particles with planted radial cracks (planar slabs of given thickness
 * through the particle centre, reaching out to a fraction of the radius, as the intergranular
 * cracks that grow from the core of charged NMC811 particles, seeds 000 and 001) and optional
 * central voids, rendered as grey levels, then Gaussian blur (separable, σ in voxels) and
 * additive Gaussian noise, all from a seeded generator so every volume is reproducible.
 */

import { InputError } from "../errors.js";
import { createRng } from "./random.js";
import type { Volume, VoxelType } from "./volume.js";
import { createVolume } from "./volume.js";

/** One planted crack: a slab |n·(p − c)| ≤ thickness/2 within |p − c| ≤ extent·R. */
export interface PlantedCrack {
  /** Unit normal [nz, ny, nx]. */
  normal: [number, number, number];
  /** Slab thickness (voxels). */
  thickness: number;
  /** Radial reach as a fraction of the particle radius (0–1). */
  extent: number;
}

/** One particle of the ground truth. Positions and sizes in voxels. */
export interface SyntheticParticle {
  /** Label in `truth.particles` (1…N). */
  label: number;
  /** Centre [z, y, x] (voxels). */
  center: [number, number, number];
  /** Radius (voxels). */
  radius: number;
  /** Central void radius (voxels, 0 = none). */
  voidRadius: number;
  cracks: PlantedCrack[];
  /** Voxels inside the sphere (envelope, including cracks and void). */
  envelopeVoxels: number;
  /** Crack voxels (not counting the void). */
  crackVoxels: number;
  /** Void voxels (not counting crack voxels inside the void). */
  voidVoxels: number;
  /** crackVoxels / envelopeVoxels. */
  crackFraction: number;
  /** (crackVoxels + voidVoxels) / envelopeVoxels. */
  poreFraction: number;
}

export interface SyntheticOptions {
  /** Volume shape [nz, ny, nx] (voxels). */
  shape: readonly [number, number, number];
  /** Voxel size [dz, dy, dx] in metres (default 0.124 µm isotropic, seed 001's nano-CT). */
  spacing?: readonly [number, number, number];
  /** Seed of the generator (default 1). */
  seed?: number;
  /** Number of particles placed at random without overlap (default 10). */
  particles?: number;
  /** Explicit particles instead of random placement. */
  explicit?: {
    center: [number, number, number];
    radius: number;
    voidRadius?: number;
    cracks?: PlantedCrack[];
  }[];
  /** Radius range [min, max] (voxels) for random particles (default [8, 16]). */
  radius?: readonly [number, number];
  /** Number of cracks per random particle [min, max] (default [1, 3]). */
  cracksPerParticle?: readonly [number, number];
  /** Crack thickness (voxels, default 2). */
  crackThickness?: number;
  /** Crack reach as a fraction of the radius (default 0.75, so the rim holds the particle together). */
  crackExtent?: number;
  /** Central void radius as a fraction of the radius (default 0.15; 0 disables). */
  voidFraction?: number;
  /** Probability that a random particle has a central void (default 0.5). */
  voidProbability?: number;
  /** Minimum gap between particles and from the border (voxels, default 2). */
  gap?: number;
  /** Grey levels (default background 30, particle 180, crack/void 30). */
  levels?: { background?: number; particle?: number; pore?: number };
  /** Gaussian blur σ (voxels, default 0 = none). */
  blurSigma?: number;
  /** Additive Gaussian noise σ (grey levels, default 0 = none). */
  noiseSigma?: number;
  /** Voxel type of the grey volume (default uint8; uint16 levels are scaled ×256). */
  type?: "uint8" | "uint16" | "float32";
}

export interface SyntheticTruth {
  /** Particle label per voxel over the whole envelope (cracks and void included), 0 outside. */
  particles: Volume<Int32Array>;
  /** 1 on planted crack voxels. */
  crackMask: Volume<Uint8Array>;
  /** 1 on central void voxels (not cracks). */
  voidMask: Volume<Uint8Array>;
  /** 1 on solid (particle minus cracks and void). */
  solid: Volume<Uint8Array>;
  list: SyntheticParticle[];
}

/**
 * Build a synthetic grey volume and its ground truth.
 */
export function syntheticParticles(options: SyntheticOptions): { volume: Volume; truth: SyntheticTruth } {
  const shape = options.shape;
  const [nz, ny, nx] = shape;
  const spacing = options.spacing ?? [0.124e-6, 0.124e-6, 0.124e-6];
  const rng = createRng(options.seed ?? 1);
  const gap = options.gap ?? 2;
  const [rmin, rmax] = options.radius ?? [8, 16];
  const [cmin, cmax] = options.cracksPerParticle ?? [1, 3];
  const thickness = options.crackThickness ?? 2;
  const extent = options.crackExtent ?? 0.75;
  const voidFrac = options.voidFraction ?? 0.15;
  const voidProb = options.voidProbability ?? 0.5;
  if (!(rmin > 0 && rmax >= rmin))
    throw new InputError("invalid radius range", {
      field: "radius",
      value: `${rmin}..${rmax}`,
      expected: "0 < min ≤ max (voxels)",
    });
  if (!(extent > 0 && extent <= 1))
    throw new InputError("invalid crack extent", {
      field: "crackExtent",
      value: String(extent),
      expected: "0 < extent ≤ 1",
    });

  type Spec = {
    center: [number, number, number];
    radius: number;
    voidRadius: number;
    cracks: PlantedCrack[];
  };
  const specs: Spec[] = [];
  if (options.explicit) {
    for (const e of options.explicit)
      specs.push({
        center: e.center,
        radius: e.radius,
        voidRadius: e.voidRadius ?? 0,
        cracks: e.cracks ?? [],
      });
  } else {
    const want = options.particles ?? 10;
    let tries = 0;
    while (specs.length < want && tries < want * 2000) {
      tries++;
      const r = rng.uniform(rmin, rmax);
      const m = r + gap;
      if (2 * m >= Math.min(nz, ny, nx)) continue;
      const c: [number, number, number] = [
        rng.uniform(m, nz - 1 - m),
        rng.uniform(m, ny - 1 - m),
        rng.uniform(m, nx - 1 - m),
      ];
      if (
        specs.some(
          (s) => Math.hypot(s.center[0] - c[0], s.center[1] - c[1], s.center[2] - c[2]) < s.radius + r + gap,
        )
      )
        continue;
      const nc = cmin + rng.int(cmax - cmin + 1);
      const cracks: PlantedCrack[] = [];
      for (let k = 0; k < nc; k++) cracks.push({ normal: rng.direction(), thickness, extent });
      const voidRadius = rng.next() < voidProb ? voidFrac * r : 0;
      specs.push({ center: c, radius: r, voidRadius, cracks });
    }
    if (specs.length < want) {
      throw new InputError("could not place all particles without overlap", {
        field: "particles",
        value: String(want),
        expected: `at most ${specs.length} for this volume and radius range`,
      });
    }
  }

  const particles = createVolume(shape, "int32", spacing);
  const crackMask = createVolume(shape, "uint8", spacing);
  const voidMask = createVolume(shape, "uint8", spacing);
  const solid = createVolume(shape, "uint8", spacing);
  const list: SyntheticParticle[] = [];
  specs.forEach((s, k) => {
    const lab = k + 1;
    const [cz, cy, cx] = s.center;
    const R = s.radius;
    const R2 = R * R;
    let env = 0;
    let crack = 0;
    let vd = 0;
    const z0 = Math.max(0, Math.floor(cz - R));
    const z1 = Math.min(nz - 1, Math.ceil(cz + R));
    const y0 = Math.max(0, Math.floor(cy - R));
    const y1 = Math.min(ny - 1, Math.ceil(cy + R));
    const x0 = Math.max(0, Math.floor(cx - R));
    const x1 = Math.min(nx - 1, Math.ceil(cx + R));
    const nrm = s.cracks.map((c) => {
      const l = Math.hypot(...c.normal);
      return [
        c.normal[0] / l,
        c.normal[1] / l,
        c.normal[2] / l,
        c.thickness / 2,
        (c.extent * R) ** 2,
      ] as const;
    });
    const v2 = s.voidRadius * s.voidRadius;
    for (let z = z0; z <= z1; z++)
      for (let y = y0; y <= y1; y++)
        for (let x = x0; x <= x1; x++) {
          const dz = z - cz;
          const dy = y - cy;
          const dx = x - cx;
          const r2 = dz * dz + dy * dy + dx * dx;
          if (r2 > R2) continue;
          const i = x + nx * (y + ny * z);
          if (particles.data[i] !== 0) continue; // overlapping explicit particles: first wins
          particles.data[i] = lab;
          env++;
          let isCrack = false;
          for (const [a, b, c, h, e2] of nrm) {
            if (r2 <= e2 && Math.abs(a * dz + b * dy + c * dx) <= h) {
              isCrack = true;
              break;
            }
          }
          if (isCrack) {
            crackMask.data[i] = 1;
            crack++;
          } else if (r2 <= v2) {
            voidMask.data[i] = 1;
            vd++;
          } else solid.data[i] = 1;
        }
    list.push({
      label: lab,
      center: [cz, cy, cx],
      radius: R,
      voidRadius: s.voidRadius,
      cracks: s.cracks,
      envelopeVoxels: env,
      crackVoxels: crack,
      voidVoxels: vd,
      crackFraction: env > 0 ? crack / env : 0,
      poreFraction: env > 0 ? (crack + vd) / env : 0,
    });
  });

  // Grey levels, blur, noise.
  const type: VoxelType = options.type ?? "uint8";
  const scale = type === "uint16" ? 256 : 1;
  const bgL = (options.levels?.background ?? 30) * scale;
  const pL = (options.levels?.particle ?? 180) * scale;
  const poreL = (options.levels?.pore ?? 30) * scale;
  const n = nz * ny * nx;
  const grey = new Float32Array(n);
  for (let i = 0; i < n; i++) grey[i] = solid.data[i] ? pL : particles.data[i] ? poreL : bgL;
  const sigma = options.blurSigma ?? 0;
  if (sigma > 0) gaussianBlur(grey, shape, sigma);
  const noise = (options.noiseSigma ?? 0) * scale;
  const out = createVolume(shape, type, spacing);
  const maxV = type === "uint8" ? 255 : type === "uint16" ? 65535 : Number.POSITIVE_INFINITY;
  const d = out.data;
  for (let i = 0; i < n; i++) {
    let v = grey[i] + (noise > 0 ? noise * rng.normal() : 0);
    if (type !== "float32") v = Math.min(maxV, Math.max(0, Math.round(v)));
    d[i] = v;
  }
  return { volume: out, truth: { particles, crackMask, voidMask, solid, list } };
}

/**
 * In-place separable Gaussian blur of a float32 volume, σ in voxels along every axis, kernel
 * truncated at 3σ, border by reflection (scipy `mode='reflect'`, edge sample repeated).
 */
export function gaussianBlur(
  data: Float32Array,
  shape: readonly [number, number, number],
  sigma: number,
): void {
  const [nz, ny, nx] = shape;
  const rad = Math.max(1, Math.ceil(3 * sigma));
  const w = new Float64Array(2 * rad + 1);
  let sum = 0;
  for (let k = -rad; k <= rad; k++) {
    w[k + rad] = Math.exp((-k * k) / (2 * sigma * sigma));
    sum += w[k + rad];
  }
  for (let k = 0; k < w.length; k++) w[k] /= sum;
  const maxLen = Math.max(nz, ny, nx);
  const line = new Float64Array(maxLen + 2 * rad);
  const pass = (start: number, stride: number, len: number) => {
    for (let q = 0; q < len + 2 * rad; q++) {
      let p = q - rad;
      // reflect: -1 → 0, len → len-1
      while (p < 0 || p >= len) p = p < 0 ? -p - 1 : 2 * len - p - 1;
      line[q] = data[start + p * stride];
    }
    for (let q = 0; q < len; q++) {
      let acc = 0;
      for (let k = 0; k < w.length; k++) acc += w[k] * line[q + k];
      data[start + q * stride] = acc;
    }
  };
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) pass(nx * (y + ny * z), 1, nx);
  if (ny > 1) for (let z = 0; z < nz; z++) for (let x = 0; x < nx; x++) pass(x + nx * ny * z, nx, ny);
  if (nz > 1) for (let i = 0; i < nx * ny; i++) pass(i, nx * ny, nz);
}
