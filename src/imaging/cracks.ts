/**
 * Internal crack segmentation and per-particle crack statistics.
 *
 * Definition (docs/tomography.md): a crack is solid-enclosed porosity. Inside each filled
 * particle envelope, candidate voxels are the dark voxels: grey ≤ threshold (Otsu, seed 001:
 * global Otsu of the volume, or Otsu within the particle, or a given level) OR a black top-hat
 * response above a level (seed 000: grey opening then black top-hat with spherical kernels, which
 * picks up cracks thinner than the ball even where partial-volume blur keeps them above the global
 * threshold). Candidates are grouped into connected pieces (26- or 8-connectivity); a piece is a
 * crack only when it has at least `minCrackVoxels` voxels AND reaches at least `minCrackDepth`
 * voxels below the envelope surface (Euclidean distance to the outside of the envelope). Isolated
 * noise voxels and the shallow surface concavities that the closing bridges are therefore not
 * cracks, and an intact particle has none. For every particle: crack volume fraction, crack surface area,
 * skeleton statistics of the crack network, radial crack profile (shells of normalised depth),
 * and surface/volume of the solid with its ratio to the sphere of the same volume (seed 000's
 * area correction for the exchange current density).
 */

import { InputError } from "../errors.js";
import { distanceTransform } from "./distance.js";
import { label } from "./label.js";
import { maskPerimeter, maskSurfaceArea } from "./marching-cubes.js";
import { blackTophat, greyOpening } from "./morphology.js";
import { radialShellProfile, type ShellProfile } from "./radial-profile.js";
import { skeletonize } from "./skeleton.js";
import { type SkeletonSummary, skeletonGraph } from "./skeleton-graph.js";
import { type AllenCahnOptions, smoothedSurfaceArea } from "./smoothing.js";
import { thresholdOtsu } from "./threshold.js";
import type { BoundingBox, Volume } from "./volume.js";

/** Options of `segmentCracks`. Radii in voxels, grey levels in the image's units. */
export interface CrackOptions {
  /**
   * Dark-voxel threshold: a grey level (crack ⇔ grey ≤ level), 'otsu-global' (default: Otsu of the
   * whole volume, the level that separates particles from background), 'otsu-particle' (Otsu of
   * each particle's voxels: only sensible when every particle is visibly cracked) or 'none'.
   */
  threshold?: number | "otsu-global" | "otsu-particle" | "none";
  /** Arithmetic of the Otsu thresholds ('skimage' default, or exact 'float64'; see `OtsuOptions`). */
  otsu?: "skimage" | "float64";
  /** Black top-hat ball radius (voxels); 0 or absent disables the top-hat criterion. */
  tophatRadius?: number;
  /**
   * Top-hat response level (grey units) above which a voxel is a crack; default half the
   * particle/background contrast (mean above minus mean below the global Otsu level).
   */
  tophatThreshold?: number;
  /** Grey opening radius (voxels) applied before the top-hat (seed 000); default 0 (none). */
  openingRadius?: number;
  /** Smallest crack piece [voxels] (default 8 in 3-D, 4 in 2-D). */
  minCrackVoxels?: number;
  /**
   * Depth a piece must reach below the envelope surface [voxels of the smallest edge] (default 3:
   * deeper than the concavities a closing of radius 2 bridges).
   */
  minCrackDepth?: number;
  /** Shells of the radial crack profile (default 10). */
  shells?: number;
  /** Compute skeleton statistics of each crack network (default true). */
  skeleton?: boolean;
  /** Allen–Cahn smoothing of the solid before meshing its surface (default: none). */
  smoothing?: AllenCahnOptions | false;
}

/**
 * Crack statistics of one particle. Lengths m, areas m², volumes m³.
 * A 2-D image (nz = 1) gets the planar quantities in the same fields, as `ndim` says: `volume` is
 * the area [m²], `equivalentDiameter` the circle-equivalent diameter √(4A/π), the "surface areas"
 * are perimeters [m] (marching squares), `surfaceToVolume` is perimeter/area [1/m] and
 * `surfaceRatioToSphere` compares with the circle of the same area (4/d). Writers name them so.
 */
export interface ParticleCracks {
  label: number;
  /** 3 for a volume, 2 for a single image plane (planar quantities, see above). */
  ndim: 2 | 3;
  /** Particle (envelope, cracks included) voxels and volume [m³] (2-D: area [m²]). */
  voxels: number;
  volume: number;
  /** Equivalent diameter of the envelope: sphere (6V/π)^(1/3) [m] (2-D: circle (4A/π)^(1/2)). */
  equivalentDiameter: number;
  crackVoxels: number;
  /** Crack voxels / particle voxels (2-D: area fraction). */
  crackVolumeFraction: number;
  /** Marching-cubes area of the crack mask [m²] (2-D: marching-squares perimeter [m]). */
  crackSurfaceArea: number;
  /** Threshold used for this particle (grey units; NaN if none). */
  threshold: number;
  /** Surface area of the solid (particle minus cracks, crack walls included) [m²] (2-D: perimeter [m]). */
  solidSurfaceArea: number;
  /** Solid volume [m³] (2-D: area [m²]). */
  solidVolume: number;
  /** Solid surface / solid volume [1/m] (2-D: perimeter / area). */
  surfaceToVolume: number;
  /**
   * (surface/volume) ÷ (6/d) of the sphere of the same solid volume (2-D: (P/A) ÷ (4/d) of the
   * circle of the same area); 1 for an intact sphere (disc); 0 when no solid is left.
   */
  surfaceRatioToSphere: number;
  /** Skeleton statistics of the crack network (null when disabled). */
  skeleton: SkeletonSummary | null;
  /** Crack fraction by normalised depth (shell 0 at the surface, last at the centre). */
  radialProfile: ShellProfile;
}

/** Result of `segmentCracks`. */
export interface CrackResult {
  /** 0/1 crack mask over the whole volume. */
  cracks: Volume<Uint8Array>;
  particles: ParticleCracks[];
}

function boxes(labels: Volume, maxLabel: number): (BoundingBox | null)[] {
  const [nz, ny, nx] = labels.shape;
  const out: (BoundingBox | null)[] = new Array(maxLabel + 1).fill(null);
  let i = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        const l = labels.data[i];
        if (l === 0) continue;
        const b = out[l];
        if (b === null) out[l] = { z0: z, y0: y, x0: x, z1: z + 1, y1: y + 1, x1: x + 1 };
        else {
          if (z < b.z0) b.z0 = z;
          if (z >= b.z1) b.z1 = z + 1;
          if (y < b.y0) b.y0 = y;
          if (y >= b.y1) b.y1 = y + 1;
          if (x < b.x0) b.x0 = x;
          if (x >= b.x1) b.x1 = x + 1;
        }
      }
  return out;
}

function crop(v: Volume, b: BoundingBox, m: number): { vol: Volume<Float32Array>; box: BoundingBox } {
  const [nz, ny, nx] = v.shape;
  const box = {
    z0: Math.max(0, b.z0 - m),
    y0: Math.max(0, b.y0 - m),
    x0: Math.max(0, b.x0 - m),
    z1: Math.min(nz, b.z1 + m),
    y1: Math.min(ny, b.y1 + m),
    x1: Math.min(nx, b.x1 + m),
  };
  const cz = box.z1 - box.z0;
  const cy = box.y1 - box.y0;
  const cx = box.x1 - box.x0;
  const data = new Float32Array(cz * cy * cx);
  for (let z = 0; z < cz; z++)
    for (let y = 0; y < cy; y++) {
      const s = box.x0 + nx * (box.y0 + y + ny * (box.z0 + z));
      for (let x = 0; x < cx; x++) data[x + cx * (y + cy * z)] = v.data[s + x];
    }
  return { vol: { data, shape: [cz, cy, cx], spacing: v.spacing }, box };
}

/**
 * Keep the crack candidates that form solid-enclosed porosity: connected pieces (26/8-conn) of at
 * least `minVoxels` voxels whose deepest voxel lies at least `minDepth` below the envelope
 * surface (EDT of the envelope in units of the smallest voxel edge). Edits `crack` in place.
 */
function keepEnclosedCracks(
  crack: Uint8Array,
  envelope: Uint8Array,
  shape: readonly [number, number, number],
  spacing: readonly [number, number, number],
  minVoxels: number,
  minDepth: number,
): void {
  let any = false;
  for (let j = 0; j < crack.length; j++)
    if (crack[j]) {
      any = true;
      break;
    }
  if (!any) return;
  const twoD = shape[0] === 1;
  const s0 = Math.min(twoD ? Number.POSITIVE_INFINITY : spacing[0], spacing[1], spacing[2]);
  const depth = distanceTransform(
    { data: envelope, shape, spacing },
    { sampling: [twoD ? 1 : spacing[0] / s0, spacing[1] / s0, spacing[2] / s0], output: "float32" },
  ).data;
  const pieces = label({ data: crack, shape, spacing }, { connectivity: twoD ? 8 : 26 });
  const size = new Float64Array(pieces.count + 1);
  const deepest = new Float64Array(pieces.count + 1);
  const ld = pieces.labels.data;
  for (let j = 0; j < crack.length; j++) {
    const l = ld[j];
    if (l === 0) continue;
    size[l]++;
    if (depth[j] > deepest[l]) deepest[l] = depth[j];
  }
  for (let j = 0; j < crack.length; j++) {
    const l = ld[j];
    if (l !== 0 && (size[l] < minVoxels || deepest[l] < minDepth)) crack[j] = 0;
  }
}

/**
 * Segment internal cracks inside each particle and measure them.
 * @param grey greyscale volume (bright solid, dark pores/cracks), spacing [m]
 * @param particles label volume of the FILLED particles (cracks and voids inside count as
 *   particle; 0 = background), or a 0/1 mask for a single particle
 */
export function segmentCracks(grey: Volume, particles: Volume, options: CrackOptions = {}): CrackResult {
  const [nz, ny, nx] = grey.shape;
  if (particles.shape[0] !== nz || particles.shape[1] !== ny || particles.shape[2] !== nx) {
    throw new InputError("particle labels and grey volume differ in shape", {
      field: "particles",
      value: particles.shape.join("×"),
      expected: grey.shape.join("×"),
    });
  }
  const thrOpt = options.threshold ?? "otsu-global";
  const rTop = options.tophatRadius ?? 0;
  const rOpen = options.openingRadius ?? 0;
  const shells = options.shells ?? 10;
  const twoD = nz === 1;
  const minCrackVoxels = options.minCrackVoxels ?? (twoD ? 4 : 8);
  const minCrackDepth = options.minCrackDepth ?? 3;
  let globalT = Number.NaN;
  let contrast = Number.NaN;
  if (thrOpt === "otsu-global" || (rTop > 0 && options.tophatThreshold === undefined)) {
    globalT = thresholdOtsu(grey, { arithmetic: options.otsu });
    let s0 = 0;
    let n0 = 0;
    let s1 = 0;
    let n1 = 0;
    for (let i = 0; i < grey.data.length; i++) {
      const g = grey.data[i];
      if (g > globalT) {
        s1 += g;
        n1++;
      } else {
        s0 += g;
        n0++;
      }
    }
    contrast = n0 > 0 && n1 > 0 ? s1 / n1 - s0 / n0 : 0;
  }
  const tophatLevel = options.tophatThreshold ?? contrast / 2;
  let maxLabel = 0;
  for (let i = 0; i < particles.data.length; i++)
    if (particles.data[i] > maxLabel) maxLabel = particles.data[i];
  const bb = boxes(particles, maxLabel);
  const cracks = new Uint8Array(nz * ny * nx);
  const [dz, dy, dx] = grey.spacing;
  // voxel measure: volume in 3-D, pixel area in 2-D
  const vv = twoD ? dy * dx : dz * dy * dx;
  const out: ParticleCracks[] = [];
  for (let l = 1; l <= maxLabel; l++) {
    const b = bb[l];
    if (b === null) continue;
    const margin = Math.max(rTop, rOpen) + 1;
    const { vol: g, box } = crop(grey, b, margin);
    const [cz, cy, cx] = g.shape;
    const m = cz * cy * cx;
    const inP = new Uint8Array(m);
    const vals: number[] = [];
    for (let z = 0; z < cz; z++)
      for (let y = 0; y < cy; y++)
        for (let x = 0; x < cx; x++) {
          const j = x + cx * (y + cy * z);
          if (particles.data[box.x0 + x + nx * (box.y0 + y + ny * (box.z0 + z))] === l) {
            inP[j] = 1;
            if (thrOpt === "otsu-particle") vals.push(g.data[j]);
          }
        }
    const t =
      typeof thrOpt === "number"
        ? thrOpt
        : thrOpt === "otsu-global"
          ? globalT
          : thrOpt === "otsu-particle"
            ? thresholdOtsu(Float64Array.from(vals), { arithmetic: options.otsu })
            : Number.NaN;
    const crack = new Uint8Array(m);
    for (let j = 0; j < m; j++) if (inP[j] && g.data[j] <= t) crack[j] = 1;
    if (rTop > 0) {
      const base = rOpen > 0 ? greyOpening(g, rOpen) : g;
      const th = blackTophat(base, rTop);
      for (let j = 0; j < m; j++) if (inP[j] && th.data[j] > tophatLevel) crack[j] = 1;
    }
    keepEnclosedCracks(crack, inP, g.shape, g.spacing, minCrackVoxels, minCrackDepth);
    let nP = 0;
    let nC = 0;
    const solid = new Uint8Array(m);
    for (let j = 0; j < m; j++) {
      nP += inP[j];
      nC += crack[j];
      solid[j] = inP[j] && !crack[j] ? 1 : 0;
    }
    for (let z = 0; z < cz; z++)
      for (let y = 0; y < cy; y++)
        for (let x = 0; x < cx; x++)
          if (crack[x + cx * (y + cy * z)]) cracks[box.x0 + x + nx * (box.y0 + y + ny * (box.z0 + z))] = 1;
    const crackVol: Volume<Uint8Array> = { data: crack, shape: g.shape, spacing: g.spacing };
    const solidVol: Volume<Uint8Array> = { data: solid, shape: g.shape, spacing: g.spacing };
    const particleVol: Volume<Uint8Array> = { data: inP, shape: g.shape, spacing: g.spacing };
    const crackArea = nC > 0 ? (twoD ? maskPerimeter(crackVol) : maskSurfaceArea(crackVol)) : 0;
    const solidArea = twoD
      ? maskPerimeter(solidVol)
      : options.smoothing && typeof options.smoothing === "object"
        ? smoothedSurfaceArea(solidVol, options.smoothing)
        : maskSurfaceArea(solidVol);
    const solidVolume = (nP - nC) * vv;
    const sv = solidVolume > 0 ? solidArea / solidVolume : 0;
    const dSolid = twoD ? Math.sqrt((4 * solidVolume) / Math.PI) : Math.cbrt((6 * solidVolume) / Math.PI);
    let skel: SkeletonSummary | null = null;
    if (options.skeleton !== false) {
      const sk = skeletonize(crackVol);
      const edt = nC > 0 ? distanceTransform(crackVol) : undefined;
      skel = skeletonGraph(sk, edt).summary;
    }
    const volume = nP * vv;
    out.push({
      label: l,
      ndim: twoD ? 2 : 3,
      voxels: nP,
      volume,
      equivalentDiameter: twoD ? Math.sqrt((4 * volume) / Math.PI) : Math.cbrt((6 * volume) / Math.PI),
      crackVoxels: nC,
      crackVolumeFraction: nP > 0 ? nC / nP : 0,
      crackSurfaceArea: crackArea,
      threshold: t,
      solidSurfaceArea: solidArea,
      solidVolume,
      surfaceToVolume: sv,
      surfaceRatioToSphere: solidVolume > 0 ? sv / ((twoD ? 4 : 6) / dSolid) : 0,
      skeleton: skel,
      radialProfile: radialShellProfile(particleVol, crackVol, shells),
    });
  }
  return { cracks: { data: cracks, shape: grey.shape, spacing: grey.spacing }, particles: out };
}
