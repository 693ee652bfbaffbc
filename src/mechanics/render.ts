/**
 * Pure encoders for fracture results: colour-mapped slices (RGBA pixels, PNG bytes through
 * fast-png) and VTK ImageData (.vti, cell data; src/io/vtk.ts) for ParaView. No file I/O here.
 */
import { encode } from "fast-png";
import { type ImageDataOptions, imageDataVti, type VtkArray } from "../io/vtk.js";
import { viridisRgb } from "../report/colormap.js";
import { PHASE_GRAIN, type Polycrystal } from "./polycrystal.js";

/** RGB of viridis at t ∈ [0, 1]: the project's one colour map (report/colormap). */
export { viridisRgb as viridis } from "../report/colormap.js";

export interface SliceImage {
  width: number;
  height: number;
  /** RGBA, row-major, top row = highest y. */
  data: Uint8Array;
}

/**
 * Colour-map the mid-plane (z = n/2 in 3D) of a per-cell field over [lo, hi]; non-grain cells
 * are drawn grey (binder) or white (void). `scale` repeats pixels for visibility.
 */
export function fieldSlice(
  poly: Polycrystal,
  field: ArrayLike<number>,
  lo: number,
  hi: number,
  scale = 1,
): SliceImage {
  const { n, dim } = poly;
  const k = dim === 3 ? n >> 1 : 0;
  const w = n * scale;
  const data = new Uint8Array(w * w * 4);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const c = i + n * (j + n * k);
      let rgb: [number, number, number];
      if (poly.phase[c] === PHASE_GRAIN) rgb = viridisRgb((field[c] - lo) / (hi - lo || 1));
      else if (poly.phase[c] === 0) rgb = [255, 255, 255];
      else rgb = [190, 190, 190];
      for (let b = 0; b < scale; b++)
        for (let a = 0; a < scale; a++) {
          const row = (n - 1 - j) * scale + b;
          const o = 4 * (row * w + i * scale + a);
          data[o] = rgb[0];
          data[o + 1] = rgb[1];
          data[o + 2] = rgb[2];
          data[o + 3] = 255;
        }
    }
  return { width: w, height: w, data };
}

/** PNG bytes of an RGBA slice (fast-png, 8-bit). */
export function slicePng(image: SliceImage): Uint8Array {
  return encode({ width: image.width, height: image.height, data: image.data, depth: 8, channels: 4 });
}

/** The fracture fields as a VTK ImageData description (cell data; spacing and origin in µm). */
function fractureImage(poly: Polycrystal, fields: Record<string, ArrayLike<number>>): ImageDataOptions {
  const { n, dim } = poly;
  const half = -poly.side / 2;
  const arrays: VtkArray[] = [
    { name: "phase", values: poly.phase, type: "UInt8" },
    { name: "grain", values: poly.grain, type: "Int32" },
  ];
  for (const [name, values] of Object.entries(fields)) {
    if (values.length !== poly.phase.length)
      throw new RangeError(`field ${name} has ${values.length} values, expected ${poly.phase.length}`);
    arrays.push({ name, values, type: "Float32" });
  }
  return {
    shape: [dim === 3 ? n : 1, n, n],
    spacing: [poly.spacing, poly.spacing, poly.spacing],
    origin: [dim === 3 ? half : 0, half, half],
    lengthScale: 1e6,
    arrays,
  };
}

/**
 * ASCII VTK XML ImageData with one scalar per cell for each named field (src/io/vtk.ts; VTK file
 * formats, Kitware, "ImageData"). Spacing and origin in µm so ParaView's axes read naturally.
 * For large grids use `vtiImageBytes` (raw binary appended, ~4× smaller, no parsing).
 */
export function vtiImage(poly: Polycrystal, fields: Record<string, ArrayLike<number>>): string {
  return new TextDecoder().decode(imageDataVti({ ...fractureImage(poly, fields), encoding: "ascii" }));
}

/** The same file as `vtiImage` with the arrays raw binary appended (the CLI's fields.vti). */
export function vtiImageBytes(poly: Polycrystal, fields: Record<string, ArrayLike<number>>): Uint8Array {
  return imageDataVti({ ...fractureImage(poly, fields), encoding: "appended" });
}
