/**
 * "Virtual microscope": render per-particle intensities (e.g. the electrode model's virtual
 * optical intensity, or any I_p(t) ∈ [0, 1]) as an 8-bit RGB image sequence, so that simulated
 * and measured sequences go through the same ROI analysis. Particle p is a disc of centre
 * (x_p, y_p) and radius r_p [pixels] (the ROI rasteriser's rule, so its ROI holds exactly its
 * pixels) filled with grey R = G = B = round(255·I_p(t_k)); hence (R+G+B)/765 = I to within
 * 1/510. The background has a constant intensity. Pure: returns RGB buffers; the caller encodes
 * PNGs. Plain arrays in, so the electrode model's outputs can be passed as they are.
 */

import { InputError } from "../../errors.js";
import { type Roi, rasteriseRois } from "./rois.js";

export interface VirtualMicroscopeInput {
  width: number;
  height: number;
  /** Particle centres and radii [pixels]. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  radius: ArrayLike<number>;
  /** Particle-major intensities intensities[p·frames + k] ∈ [0, 1] (clamped). */
  intensities: ArrayLike<number>;
  frames: number;
  /** Background intensity ∈ [0, 1] (default 0.15). */
  background?: number;
}

/** The circular ROIs of the rendered particles (ids "p1", "p2", …). */
export function virtualRois(input: Pick<VirtualMicroscopeInput, "x" | "y" | "radius">): Roi[] {
  return Array.from(
    { length: input.x.length },
    (_, p) =>
      ({ id: `p${p + 1}`, kind: "circle", cx: input.x[p], cy: input.y[p], r: input.radius[p] }) as Roi,
  );
}

/** Render every frame; returns one RGB buffer (3·width·height bytes) per frame. */
export function renderVirtualMicroscope(input: VirtualMicroscopeInput): Uint8Array[] {
  const { width, height, frames } = input;
  const np = input.x.length;
  if (input.y.length !== np || input.radius.length !== np)
    throw new InputError("particle arrays differ in length", {
      field: "x/y/radius",
      value: `${np}/${input.y.length}/${input.radius.length}`,
      expected: "equal lengths",
    });
  if (input.intensities.length !== np * frames)
    throw new InputError("intensity array size mismatch", {
      field: "intensities",
      value: String(input.intensities.length),
      expected: `${np}·${frames}`,
    });
  const labels = rasteriseRois(virtualRois(input), width, height);
  const bg = Math.round(255 * Math.min(1, Math.max(0, input.background ?? 0.15)));
  const grey = new Uint8Array(np + 1);
  grey[0] = bg;
  const out: Uint8Array[] = [];
  for (let k = 0; k < frames; k++) {
    for (let p = 0; p < np; p++) {
      const v = input.intensities[p * frames + k];
      grey[p + 1] = Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)));
    }
    const rgb = new Uint8Array(3 * width * height);
    for (let i = 0; i < labels.length; i++) {
      const g = grey[labels[i]];
      rgb[3 * i] = g;
      rgb[3 * i + 1] = g;
      rgb[3 * i + 2] = g;
    }
    out.push(rgb);
  }
  return out;
}

/**
 * Synthetic intensity traces with known onsets: I_p(t) = I0 − ΔI·clamp((t − t_p)/τ, 0, 1)
 * (a particle darkens linearly over τ after its onset t_p; seed 003 particles change colour as
 * they delithiate). Returns particle-major values.
 * @param times frame times [s]
 * @param onsets t_p [s]
 * @param duration τ [s]
 */
export function rampTraces(
  times: ArrayLike<number>,
  onsets: ArrayLike<number>,
  duration: number,
  start = 0.6,
  drop = 0.3,
): Float64Array {
  const nf = times.length;
  const out = new Float64Array(onsets.length * nf);
  for (let p = 0; p < onsets.length; p++)
    for (let k = 0; k < nf; k++)
      out[p * nf + k] = start - drop * Math.min(1, Math.max(0, (times[k] - onsets[p]) / duration));
  return out;
}
