/**
 * Particle masks and labels from an intensity image (XRD-CT mean diffracted intensity, AFM
 * amplitude, …) or a supplied mask: threshold (Otsu by default, scikit-image's definition,
 * `image > t`), hole filling, connected-component labelling (face connectivity) and removal of
 * components smaller than a minimum size, relabelled 1…count in raster order.
 */

import { InputError } from "../../errors.js";
import { fillHoles } from "../fill-holes.js";
import { label } from "../label.js";
import { thresholdOtsu } from "../threshold.js";
import type { Volume } from "../volume.js";

export interface SegmentOptions {
  /** Threshold in image units, or "otsu" (default). */
  threshold?: number | "otsu";
  /** Foreground is above (default) or below the threshold. */
  polarity?: "above" | "below";
  /** Components with fewer voxels are dropped (default 10). */
  minVoxels?: number;
  /** Fill enclosed holes (default true). */
  fill?: boolean;
}

export interface Segmentation {
  /** Labels 0 (background), 1…count (int32). */
  labels: Volume<Int32Array>;
  count: number;
  /** Threshold used (NaN for a supplied mask). */
  threshold: number;
  /** Components removed as too small. */
  removed: number;
}

/** Copy of the image with non-finite voxels replaced by the finite minimum (Otsu needs finite data). */
function finiteCopy(image: Volume): Float64Array {
  const d = image.data;
  let lo = Number.POSITIVE_INFINITY;
  for (let i = 0; i < d.length; i++) if (Number.isFinite(d[i]) && d[i] < lo) lo = d[i];
  if (lo === Number.POSITIVE_INFINITY)
    throw new InputError("image has no finite value", { field: "image", expected: "finite intensities" });
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = Number.isFinite(d[i]) ? d[i] : lo;
  return out;
}

/** Label a 0/1 (non-zero = foreground) mask, fill holes, drop small components. */
export function labelMask(mask: Volume, options: { minVoxels?: number; fill?: boolean } = {}): Segmentation {
  const filled = options.fill === false ? mask : fillHoles(mask);
  const { labels, count } = label(filled);
  const lab = labels.data as Int32Array;
  const sizes = new Float64Array(count + 1);
  for (let i = 0; i < lab.length; i++) sizes[lab[i]]++;
  const minVoxels = options.minVoxels ?? 10;
  const map = new Int32Array(count + 1);
  let next = 0;
  let removed = 0;
  for (let l = 1; l <= count; l++) {
    if (sizes[l] >= minVoxels) map[l] = ++next;
    else removed++;
  }
  for (let i = 0; i < lab.length; i++) lab[i] = map[lab[i]];
  return {
    labels: { data: lab, shape: mask.shape, spacing: mask.spacing },
    count: next,
    threshold: Number.NaN,
    removed,
  };
}

/**
 * Segment particles from an intensity image.
 * @param image intensity (any unit); non-finite voxels count as background
 */
export function segmentParticles(image: Volume, options: SegmentOptions = {}): Segmentation {
  const data = finiteCopy(image);
  const t =
    options.threshold === undefined || options.threshold === "otsu" ? thresholdOtsu(data) : options.threshold;
  if (!Number.isFinite(t))
    throw new InputError("invalid threshold", {
      field: "threshold",
      value: String(t),
      expected: "a finite number or otsu",
    });
  const below = options.polarity === "below";
  const mask = new Uint8Array(data.length);
  const src = image.data;
  for (let i = 0; i < data.length; i++)
    mask[i] = Number.isFinite(src[i]) && (below ? data[i] < t : data[i] > t) ? 1 : 0;
  const seg = labelMask({ data: mask, shape: image.shape, spacing: image.spacing }, options);
  return { ...seg, threshold: t };
}
