/**
 * Render a 2-D map (one z slice) to 8-bit RGB with a perceptual colour scale and particle
 * outlines, for figures (the caller encodes the PNG). Colour scale: viridis from
 * report/colormap (9 stops of matplotlib's viridis, van der Walt & Smith 2015, linear
 * between). Non-finite values are drawn dark grey; outline pixels (a labelled pixel with a
 * 4-neighbour of another label) in red.
 */

import { viridisInto } from "../../report/colormap.js";
import type { Volume } from "../volume.js";

/** Viridis colour of t ∈ [0, 1] written into out[o..o+2] (the project's one colour map). */
export function viridis(t: number, out: Uint8Array, o: number): void {
  viridisInto(t, out, o);
}

export interface RenderMapOptions {
  /** Value range mapped to the colour scale (default: 1st–99th percentile of finite values, in the mask if given). */
  range?: readonly [number, number];
  /** Label image whose particle outlines are drawn. */
  labels?: Volume;
  /** z slice (default the middle one). */
  slice?: number;
  /** Integer magnification (default: so that the longer side is at least 256 px, at most 8). */
  scale?: number;
}

/** Percentile range of the finite values (optionally only where `where` is non-zero). */
export function percentileRange(
  data: ArrayLike<number>,
  lo = 0.01,
  hi = 0.99,
  where?: ArrayLike<number>,
): [number, number] {
  const v: number[] = [];
  for (let i = 0; i < data.length; i++) if (Number.isFinite(data[i]) && (!where || where[i])) v.push(data[i]);
  if (v.length === 0) return [0, 1];
  v.sort((p, q) => p - q);
  const at = (q: number) => v[Math.min(v.length - 1, Math.max(0, Math.round(q * (v.length - 1))))];
  const r: [number, number] = [at(lo), at(hi)];
  if (!(r[1] > r[0])) r[1] = r[0] + (Math.abs(r[0]) || 1) * 1e-9;
  return r;
}

/** Render one slice of `map` as RGB (length 3·width·height). */
export function renderMap(
  map: Volume,
  options: RenderMapOptions = {},
): { rgb: Uint8Array; width: number; height: number; range: [number, number] } {
  const [nz, ny, nx] = map.shape;
  const z = options.slice ?? Math.floor(nz / 2);
  const off = z * nx * ny;
  const plane = map.data.subarray(off, off + nx * ny);
  const lab = options.labels ? options.labels.data.subarray(off, off + nx * ny) : undefined;
  const range = options.range
    ? ([options.range[0], options.range[1]] as [number, number])
    : percentileRange(plane, 0.01, 0.99, lab);
  const s = options.scale ?? Math.max(1, Math.min(8, Math.ceil(256 / Math.max(nx, ny))));
  const w = nx * s;
  const h = ny * s;
  const rgb = new Uint8Array(3 * w * h);
  const px = new Uint8Array(3);
  const span = range[1] - range[0];
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) {
      const i = x + nx * y;
      const v = plane[i];
      let outline = false;
      if (lab && lab[i] > 0) {
        const l = lab[i];
        outline =
          (x > 0 && lab[i - 1] !== l) ||
          (x < nx - 1 && lab[i + 1] !== l) ||
          (y > 0 && lab[i - nx] !== l) ||
          (y < ny - 1 && lab[i + nx] !== l);
      }
      if (outline) {
        px[0] = 255;
        px[1] = 40;
        px[2] = 40;
      } else if (Number.isFinite(v)) viridis(span > 0 ? (v - range[0]) / span : 0.5, px, 0);
      else {
        px[0] = 40;
        px[1] = 40;
        px[2] = 40;
      }
      for (let dy = 0; dy < s; dy++) {
        let o = 3 * (x * s + w * (y * s + dy));
        for (let dx = 0; dx < s; dx++, o += 3) {
          rgb[o] = px[0];
          rgb[o + 1] = px[1];
          rgb[o + 2] = px[2];
        }
      }
    }
  return { rgb, width: w, height: h, range };
}
