/**
 * Crack quantification of a tomogram (issue 4 items 3–4; seeds 001 and 000):
 *
 *   threshold (Otsu, scikit-image's definition) → closing (seals surface-breaking cracks)
 *   → hole filling → labelling (26-connectivity) → optional distance-map watershed split of
 *   touching particles → removal of specks → internal crack segmentation per filled
 *   particle (dark voxels and/or black top-hat, `segmentCracks`) → per-particle table
 *   (volume, diameter, centroid, depth below a collector plane, crack volume fraction,
 *   crack surface area, skeleton statistics, radial crack profile, surface/volume ratio).
 *
 * and the pristine-vs-charged comparison of the same particles (seed 001): rigid translation
 * registration of the particle centroids, matching, volume change, crack volume and the share
 * of the volume change that segmentable cracks explain.
 *
 * Pure computation over volumes; the CLI (`cathodelab tomo`) does the file work.
 */
import { InputError } from "../errors.js";
import { type CrackOptions, type ParticleCracks, segmentCracks } from "./cracks.js";
import { fillHoles } from "./fill-holes.js";
import { label } from "./label.js";
import { binaryClosing } from "./morphology.js";
import { regionProperties } from "./regionprops.js";
import { thresholdOtsu } from "./threshold.js";
import type { BoundingBox, Volume } from "./volume.js";
import { type WatershedSplitOptions, watershedSplit } from "./watershed.js";

export interface TomoAnalysisOptions {
  /** Grey level separating particles from background: a number (foreground > t) or "otsu" (default). */
  threshold?: number | "otsu";
  /**
   * Otsu arithmetic: 'skimage' (default, scikit-image ≥ 0.20's float32 counts, so thresholds match
   * published scikit-image pipelines) or 'float64' (the exact optimum; see `OtsuOptions`).
   */
  otsu?: "skimage" | "float64";
  /** Ball radius of the binary closing before hole filling [voxels] (default 2; 0 = none). */
  closingRadius?: number;
  /** Split touching particles by a distance-map watershed (default true). */
  split?: boolean;
  watershed?: WatershedSplitOptions;
  /** Particles smaller than this are discarded [voxels] (default 200). */
  minVoxels?: number;
  /** Crack segmentation options (threshold, top-hat radius, skeleton, shells …). */
  cracks?: CrackOptions;
  /** Current-collector plane: the axis normal to it and its coordinate [m]; gives each particle's depth. */
  collector?: { axis: "z" | "y" | "x"; position: number };
}

export interface TomoParticle extends ParticleCracks {
  /** Centroid [z, y, x] [m]. */
  centroid: [number, number, number];
  bbox: BoundingBox;
  /** Distance of the centroid from the collector plane [m] (NaN without a plane). */
  depth: number;
  /** Mean grey level of the particle envelope. */
  meanGrey: number;
}

export interface TomoAnalysis {
  /** Threshold used [grey units]. */
  threshold: number;
  /** How it was chosen: Otsu (with its arithmetic) or given by the user. */
  thresholdMethod: "otsu-skimage" | "otsu-float64" | "given";
  /** 3 for a volume, 2 for a single plane (planar quantities; see `ParticleCracks`). */
  ndim: 2 | 3;
  /** Particle labels (filled envelopes), 1…count. */
  labels: Volume<Int32Array>;
  /** Crack mask. */
  cracks: Volume<Uint8Array>;
  particles: TomoParticle[];
  /** Totals over all particles: envelope volume, crack volume [m³] (2-D: areas [m²]), crack fraction. */
  totals: { particleVolume: number; crackVolume: number; crackVolumeFraction: number; count: number };
}

/** Run the crack pipeline on a greyscale volume (bright solid, dark background and cracks). */
export function analyzeTomogram(grey: Volume, options: TomoAnalysisOptions = {}): TomoAnalysis {
  const n = grey.data.length;
  if (n === 0) throw new InputError("the volume is empty", { field: "volume" });
  const useOtsu = options.threshold === undefined || options.threshold === "otsu";
  const arithmetic = options.otsu ?? "skimage";
  const t = useOtsu ? thresholdOtsu(grey, { arithmetic }) : (options.threshold as number);
  if (!Number.isFinite(t)) throw new InputError("threshold is not a finite number", { field: "threshold" });
  const mask = new Uint8Array(n);
  let any = 0;
  for (let i = 0; i < n; i++) {
    if (grey.data[i] > t) {
      mask[i] = 1;
      any++;
    }
  }
  if (any === 0) {
    throw new InputError(`no voxel is brighter than the threshold ${t}`, {
      field: "threshold",
      expected: "a level below the particles' grey values",
    });
  }
  let solid: Volume<Uint8Array> = { data: mask, shape: grey.shape, spacing: grey.spacing };
  const closing = options.closingRadius ?? 2;
  // reflect at the array edge: particles cut by the field of view keep their cut faces (issue 19)
  if (closing > 0) solid = binaryClosing(solid, closing, { border: "reflect" });
  const filled = fillHoles(solid);
  // labelling (optionally split by the watershed), then drop specks and renumber 1…N
  const raw =
    options.split === false
      ? (label(filled, { connectivity: 26 }) as { labels: Volume<Int32Array | Uint32Array>; count: number })
      : watershedSplit(filled, options.watershed);
  const minVoxels = options.minVoxels ?? 200;
  const sizes = new Float64Array(raw.count + 1);
  const ld = raw.labels.data;
  for (let i = 0; i < n; i++) sizes[ld[i]]++;
  const remap = new Int32Array(raw.count + 1);
  let count = 0;
  for (let l = 1; l <= raw.count; l++) if (sizes[l] >= minVoxels) remap[l] = ++count;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = remap[ld[i]];
  const labelVolume: Volume<Int32Array> = { data: labels, shape: grey.shape, spacing: grey.spacing };
  if (count === 0) {
    throw new InputError(`no particle of at least ${minVoxels} voxels was found`, { field: "minVoxels" });
  }
  const crackResult = segmentCracks(grey, labelVolume, { otsu: arithmetic, ...options.cracks });
  const props = regionProperties(labelVolume, { intensity: grey, surfaceArea: false });
  const byLabel = new Map(props.map((p) => [p.label, p]));
  const axisIndex = options.collector ? { z: 0, y: 1, x: 2 }[options.collector.axis] : -1;
  const particles: TomoParticle[] = crackResult.particles.map((c) => {
    const p = byLabel.get(c.label);
    if (!p) throw new Error(`label ${c.label} has no region properties`);
    return {
      ...c,
      centroid: p.centroid,
      bbox: p.bbox,
      depth:
        axisIndex >= 0 && options.collector
          ? Math.abs(p.centroid[axisIndex] - options.collector.position)
          : Number.NaN,
      meanGrey: p.intensityMean,
    };
  });
  let particleVolume = 0;
  let crackVolume = 0;
  const ndim = grey.shape[0] === 1 ? 2 : 3;
  const voxelVolume = (ndim === 2 ? 1 : grey.spacing[0]) * grey.spacing[1] * grey.spacing[2];
  for (const p of particles) {
    particleVolume += p.volume;
    crackVolume += p.crackVoxels * voxelVolume;
  }
  return {
    threshold: t,
    thresholdMethod: useOtsu ? (arithmetic === "float64" ? "otsu-float64" : "otsu-skimage") : "given",
    ndim,
    labels: labelVolume,
    cracks: crackResult.cracks,
    particles,
    totals: {
      particleVolume,
      crackVolume,
      crackVolumeFraction: particleVolume > 0 ? crackVolume / particleVolume : 0,
      count: particles.length,
    },
  };
}

export interface ParticleMatch {
  pristine: number;
  charged: number;
  /** Distance between the centroids after registration [m]. */
  distance: number;
  pristineVolume: number;
  chargedVolume: number;
  /** (V_charged − V_pristine)/V_pristine. */
  volumeChange: number;
  pristineCrackVolume: number;
  chargedCrackVolume: number;
  chargedCrackFraction: number;
  /**
   * Share of the volume change explained by segmentable cracks:
   * (crack_charged − crack_pristine)/(V_charged − V_pristine) (NaN when the volume did not grow).
   */
  explainedByCracks: number;
}

export interface TomoComparison {
  /** Translation charged − pristine [z, y, x] [m]. */
  translation: [number, number, number];
  matches: ParticleMatch[];
  unmatchedPristine: number[];
  unmatchedCharged: number[];
}

export interface CompareOptions {
  /** Explicit label pairs [pristine, charged]; skips the registration. */
  pairs?: [number, number][];
  /** Largest centroid distance after registration for a match, as a fraction of the pristine equivalent diameter (default 0.5). */
  maxDistanceFraction?: number;
}

function median(a: number[]): number {
  if (a.length === 0) return 0;
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/** Match the particles of two analyses of the same sample and compare them. */
export function compareTomograms(
  pristine: TomoAnalysis,
  charged: TomoAnalysis,
  options: CompareOptions = {},
): TomoComparison {
  const P = pristine.particles;
  const C = charged.particles;
  const pByLabel = new Map(P.map((p) => [p.label, p]));
  const cByLabel = new Map(C.map((p) => [p.label, p]));
  let translation: [number, number, number] = [0, 0, 0];
  let pairs: [number, number][] = [];
  if (options.pairs) {
    for (const [a, b] of options.pairs) {
      if (!pByLabel.has(a))
        throw new InputError(`pristine particle ${a} does not exist`, { field: "pairs", value: String(a) });
      if (!cByLabel.has(b))
        throw new InputError(`charged particle ${b} does not exist`, { field: "pairs", value: String(b) });
    }
    pairs = options.pairs;
  } else {
    // rigid translation: start from the volume-weighted centroid shift, then alternate mutual
    // nearest-neighbour matching and the median displacement of the matches
    const mean = (list: TomoParticle[]) => {
      let w = 0;
      const c = [0, 0, 0];
      for (const p of list) {
        w += p.volume;
        for (let k = 0; k < 3; k++) c[k] += p.volume * p.centroid[k];
      }
      return c.map((v) => v / w);
    };
    const mp = mean(P);
    const mc = mean(C);
    translation = [mc[0] - mp[0], mc[1] - mp[1], mc[2] - mp[2]];
    const nearest = (x: number[], list: TomoParticle[]) => {
      let best = -1;
      let bd = Number.POSITIVE_INFINITY;
      list.forEach((q, k) => {
        const d = (q.centroid[0] - x[0]) ** 2 + (q.centroid[1] - x[1]) ** 2 + (q.centroid[2] - x[2]) ** 2;
        if (d < bd) {
          bd = d;
          best = k;
        }
      });
      return best;
    };
    for (let iteration = 0; iteration < 5; iteration++) {
      pairs = [];
      P.forEach((p, i) => {
        const moved = [
          p.centroid[0] + translation[0],
          p.centroid[1] + translation[1],
          p.centroid[2] + translation[2],
        ];
        const j = nearest(moved, C);
        if (j < 0) return;
        const back = [
          C[j].centroid[0] - translation[0],
          C[j].centroid[1] - translation[1],
          C[j].centroid[2] - translation[2],
        ];
        if (nearest(back, P) === i) pairs.push([p.label, C[j].label]);
      });
      const d = [0, 1, 2].map((k) =>
        median(
          pairs.map(([a, b]) => (cByLabel.get(b)?.centroid[k] ?? 0) - (pByLabel.get(a)?.centroid[k] ?? 0)),
        ),
      );
      translation = [d[0], d[1], d[2]];
    }
  }
  const maxFrac = options.maxDistanceFraction ?? 0.5;
  const vox = (a: TomoAnalysis) =>
    (a.ndim === 2 ? 1 : a.labels.spacing[0]) * a.labels.spacing[1] * a.labels.spacing[2];
  const matches: ParticleMatch[] = [];
  for (const [a, b] of pairs) {
    const p = pByLabel.get(a);
    const c = cByLabel.get(b);
    if (!p || !c) continue;
    const distance = Math.hypot(
      c.centroid[0] - p.centroid[0] - translation[0],
      c.centroid[1] - p.centroid[1] - translation[1],
      c.centroid[2] - p.centroid[2] - translation[2],
    );
    if (!options.pairs && distance > maxFrac * p.equivalentDiameter) continue;
    const pc = p.crackVoxels * vox(pristine);
    const cc = c.crackVoxels * vox(charged);
    const dv = c.volume - p.volume;
    matches.push({
      pristine: a,
      charged: b,
      distance,
      pristineVolume: p.volume,
      chargedVolume: c.volume,
      volumeChange: dv / p.volume,
      pristineCrackVolume: pc,
      chargedCrackVolume: cc,
      chargedCrackFraction: c.crackVolumeFraction,
      explainedByCracks: dv > 0 ? (cc - pc) / dv : Number.NaN,
    });
  }
  const usedP = new Set(matches.map((m) => m.pristine));
  const usedC = new Set(matches.map((m) => m.charged));
  return {
    translation,
    matches,
    unmatchedPristine: P.map((p) => p.label).filter((l) => !usedP.has(l)),
    unmatchedCharged: C.map((p) => p.label).filter((l) => !usedC.has(l)),
  };
}
