/**
 * Per-particle normalised optical intensity of an image sequence (seed 003, Sharma et al., Nano
 * Lett. 2022: "normalised intensity (R + G + B)/765" of each particle ROI in operando optical
 * microscopy). For an 8-bit RGB pixel I = (R + G + B)/765 ∈ [0, 1]; for b-bit data the divisor is
 * 3·(2^b − 1); a grey pixel counts as R = G = B (I = v/(2^b − 1)). The ROI value is the mean of I
 * over its pixels. Pure: frames arrive decoded.
 */

import { InputError } from "../../errors.js";

/** One decoded frame: interleaved channels (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA). */
export interface Frame {
  width: number;
  height: number;
  channels: number;
  /** Bits per channel (8 or 16) — sets the full scale 2^depth − 1. */
  depth: number;
  data: ArrayLike<number>;
}

/**
 * Mean normalised intensity of every ROI in every frame.
 * @param frames decoded frames, all the same size
 * @param labels ROI labels 1…count per pixel (0 = none), length width·height
 * @returns particle-major values[p·frames + k] (the layout of src/analysis/synchrony) and pixel counts
 */
export function roiIntensities(
  frames: readonly Frame[],
  labels: Int32Array,
  count: number,
): { values: Float64Array; pixels: Float64Array } {
  const nf = frames.length;
  if (nf === 0) throw new InputError("no frames", { field: "frames", expected: "at least one image" });
  const { width, height } = frames[0];
  if (labels.length !== width * height)
    throw new InputError("ROI label image size differs from the frames", {
      field: "rois",
      value: `${labels.length} pixels`,
      expected: `${width}×${height}`,
    });
  const pixels = new Float64Array(count + 1);
  for (let i = 0; i < labels.length; i++) if (labels[i] > 0 && labels[i] <= count) pixels[labels[i]]++;
  const values = new Float64Array(count * nf);
  const sum = new Float64Array(count + 1);
  for (let k = 0; k < nf; k++) {
    const f = frames[k];
    if (f.width !== width || f.height !== height)
      throw new InputError("frames differ in size", {
        field: `frame ${k + 1}`,
        value: `${f.width}×${f.height}`,
        expected: `${width}×${height}`,
      });
    const ch = f.channels;
    const colour = ch >= 3;
    const full = (colour ? 3 : 1) * (2 ** f.depth - 1);
    const d = f.data;
    sum.fill(0);
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i];
      if (l <= 0 || l > count) continue;
      const o = i * ch;
      sum[l] += colour ? d[o] + d[o + 1] + d[o + 2] : d[o];
    }
    for (let p = 1; p <= count; p++)
      values[(p - 1) * nf + k] = pixels[p] > 0 ? sum[p] / (pixels[p] * full) : Number.NaN;
  }
  return { values, pixels: pixels.subarray(1) };
}
