/**
 * AFM map analysis (seed 002, Jetybayeva et al.: ESM amplitude, C-AFM current and topography
 * maps of NCM622 at several SOC): particle masks by threshold (Otsu by default) or supplied,
 * per-particle statistics and histograms, edge-versus-core gradients from the distance map
 * (seed 002 Fig. 2: boundary regions show much higher ESM amplitude than the bulk), and an SOC
 * trend table across samples (seed 002 Fig. 3a: the mean ESM amplitude falls with SOC). Pure.
 */

import { InputError } from "../../errors.js";
import type { Volume } from "../volume.js";
import { type EdgeCoreProfile, edgeCoreProfiles, pooledProfile } from "../xrdct/edge-core.js";
import {
  groupByLabel,
  type HistogramResult,
  histogram,
  type ParticleStatistics,
  particleStatistics,
} from "../xrdct/particle-statistics.js";
import { labelMask, type Segmentation, segmentParticles } from "../xrdct/particles.js";
import { percentileRange } from "../xrdct/render-map.js";

export interface AfmOptions {
  /** Particle mask (non-zero = particle); otherwise threshold the map itself … */
  mask?: Volume;
  /** … or a separate image to threshold (e.g. the ESM amplitude when the map is the current). */
  segmentOn?: Volume;
  /** Threshold (value units) or "otsu" (default). */
  threshold?: number | "otsu";
  /** Particles above (default) or below the threshold. */
  polarity?: "above" | "below";
  /** Smallest particle [pixels] (default 20). */
  minPixels?: number;
  /** Histogram bins (default 50) over the 0.5–99.5 % range of particle pixels. */
  bins?: number;
  /** Edge → core shells (default 10). */
  shells?: number;
}

export interface AfmParticleRow {
  stats: ParticleStatistics;
  /** Area [m²]. */
  area: number;
  /** Equivalent circle diameter [m]. */
  diameter: number;
  profile: EdgeCoreProfile;
}

export interface AfmResult {
  segmentation: Segmentation;
  particles: AfmParticleRow[];
  /** Histogram of all particle pixels and of the background (matrix) pixels. */
  histogram: HistogramResult;
  backgroundHistogram: HistogramResult;
  /** Statistics over all particle pixels (as one group) and over the background. */
  overall: ParticleStatistics;
  background: ParticleStatistics;
  /** Pixel-weighted edge → core profile of all particles. */
  profile: { edges: Float64Array; mean: Float64Array; voxels: Float64Array };
  /** Pixel-weighted mean edge-minus-core contrast and depth slope over particles. */
  edgeMinusCore: number;
  slope: number;
}

/** Analyse one 2-D AFM map. */
export function analyseAfmMap(map: Volume, options: AfmOptions = {}): AfmResult {
  if (map.shape[0] !== 1)
    throw new InputError("AFM maps are 2-D", {
      field: "map",
      value: map.shape.join("×"),
      expected: "one image (nz = 1)",
    });
  const minVoxels = options.minPixels ?? 20;
  let segmentation: Segmentation;
  if (options.mask) {
    if (options.mask.data.length !== map.data.length)
      throw new InputError("mask size differs from the map", {
        field: "mask",
        value: options.mask.shape.join("×"),
        expected: map.shape.join("×"),
      });
    segmentation = labelMask({ ...options.mask, spacing: map.spacing }, { minVoxels });
  } else {
    const src = options.segmentOn ?? map;
    if (src.data.length !== map.data.length)
      throw new InputError("segmentation image size differs from the map", {
        field: "segment-on",
        value: src.shape.join("×"),
        expected: map.shape.join("×"),
      });
    segmentation = segmentParticles(
      { ...src, spacing: map.spacing },
      { threshold: options.threshold, polarity: options.polarity, minVoxels },
    );
  }
  const { labels, count } = segmentation;
  const stats = particleStatistics(labels, count, map.data);
  const profiles = edgeCoreProfiles(labels, count, map.data, options.shells ?? 10);
  const [, dy, dx] = map.spacing;
  const particles = stats.map((s, i) => {
    const area = s.voxels * dy * dx;
    return { stats: s, area, diameter: 2 * Math.sqrt(area / Math.PI), profile: profiles[i] };
  });
  const inside = new Int32Array(labels.data.length);
  const outside = new Int32Array(labels.data.length);
  for (let i = 0; i < inside.length; i++) {
    inside[i] = labels.data[i] > 0 ? 1 : 0;
    outside[i] = labels.data[i] > 0 ? 0 : 1;
  }
  const inVol: Volume<Int32Array> = { data: inside, shape: map.shape, spacing: map.spacing };
  const outVol: Volume<Int32Array> = { data: outside, shape: map.shape, spacing: map.spacing };
  const overall = particleStatistics(inVol, 1, map.data)[0];
  const background = particleStatistics(outVol, 1, map.data)[0];
  const bins = options.bins ?? 50;
  const range = percentileRange(map.data, 0.005, 0.995);
  const gIn = groupByLabel(inVol, 1, map.data).values;
  const gOut = groupByLabel(outVol, 1, map.data).values;
  let w = 0;
  let emc = 0;
  let slope = 0;
  for (const p of particles)
    if (Number.isFinite(p.profile.edgeMinusCore) && Number.isFinite(p.profile.slope)) {
      w += p.stats.valid;
      emc += p.stats.valid * p.profile.edgeMinusCore;
      slope += p.stats.valid * p.profile.slope;
    }
  return {
    segmentation,
    particles,
    histogram: histogram(gIn, bins, range),
    backgroundHistogram: histogram(gOut, bins, range),
    overall,
    background,
    profile: pooledProfile(profiles),
    edgeMinusCore: w > 0 ? emc / w : Number.NaN,
    slope: w > 0 ? slope / w : Number.NaN,
  };
}

/** One row of the SOC trend table. */
export interface SocTrendRow {
  sample: string;
  /** SOC [-] (NaN when unknown). */
  soc: number;
  particles: number;
  mean: number;
  median: number;
  std: number;
  /** Pixel-weighted edge-minus-core contrast (value units). */
  edgeMinusCore: number;
  background: number;
}

/**
 * SOC trend across samples (seed 002 Fig. 3a) with the least-squares slope of the particle mean
 * against SOC [value unit per unit SOC] (NaN with fewer than two known SOCs).
 */
export function socTrend(samples: readonly { name: string; soc: number; result: AfmResult }[]): {
  rows: SocTrendRow[];
  slope: number;
  intercept: number;
} {
  const rows = samples
    .map(({ name, soc, result }) => ({
      sample: name,
      soc,
      particles: result.particles.length,
      mean: result.overall.mean,
      median: result.overall.median,
      std: result.overall.std,
      edgeMinusCore: result.edgeMinusCore,
      background: result.background.mean,
    }))
    .sort((p, q) => (Number.isFinite(p.soc) && Number.isFinite(q.soc) ? p.soc - q.soc : 0));
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const r of rows)
    if (Number.isFinite(r.soc) && Number.isFinite(r.mean)) {
      n++;
      sx += r.soc;
      sy += r.mean;
      sxx += r.soc * r.soc;
      sxy += r.soc * r.mean;
    }
  const den = n * sxx - sx * sx;
  const slope = n > 1 && den > 0 ? (n * sxy - sx * sy) / den : Number.NaN;
  return { rows, slope, intercept: Number.isFinite(slope) ? (sy - slope * sx) / n : Number.NaN };
}

/**
 * Synthetic AFM map: discs on a matrix with a planted linear edge → core gradient
 * v = vEdge + g·(r_p − ρ) inside particle p (ρ distance from its centre [m], g [value/m]),
 * matrix value `matrix`, Gaussian-free (deterministic). For tests and examples.
 */
export function syntheticAfmMap(o: {
  width: number;
  height: number;
  /** Pixel size [m]. */
  pixel: number;
  particles: readonly { x: number; y: number; r: number }[];
  vEdge: number;
  gradient: number;
  matrix: number;
}): Volume<Float64Array> {
  const { width: nx, height: ny, pixel } = o;
  const data = new Float64Array(nx * ny).fill(o.matrix);
  for (const p of o.particles)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const rho = Math.hypot(x - p.x, y - p.y);
        if (rho <= p.r) data[x + nx * y] = o.vEdge + o.gradient * (p.r - rho) * pixel;
      }
  return { data, shape: [1, ny, nx], spacing: [pixel, pixel, pixel] };
}
