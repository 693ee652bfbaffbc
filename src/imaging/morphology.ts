/**
 * Flat grey-level and binary morphology with ball (sphere) structuring elements.
 *
 * Conventions (scikit-image 0.19–0.26 / scipy.ndimage, REFERENCE §5):
 * - `ball(r)` keeps the offsets with x² + y² + z² ≤ r² (skimage `morphology.ball`). With
 *   `physicalRadius` [m] and anisotropic voxels the ball becomes an ellipsoid in voxels:
 *   (dz·sz)² + (dy·sy)² + (dx·sx)² ≤ R².
 * - Grey erosion/dilation are flat min/max filters (scipy `grey_erosion`/`grey_dilation`, which
 *   skimage calls); opening = dilation(erosion), closing = erosion(dilation), white top-hat =
 *   image − opening, black top-hat = closing − image. Border mode default 'reflect' (scipy's
 *   default, used by skimage ≤ 0.23); 'ignore' treats outside voxels as absent (skimage ≥ 0.24
 *   option).
 * - 2-D images (nz = 1): the ball's in-plane section, the disc x² + y² ≤ r² (skimage `disk`).
 * - Binary erosion: skimage treats the outside as foreground (`border_value=True`), scipy as
 *   background (`border_value=0`); `border` selects which. Binary dilation: outside is background.
 *
 * Algorithms, fast for large radii:
 * - Binary: bit-parallel chord decomposition (32 voxels per word, rows shifted and OR-ed/AND-ed;
 *   van den Boomgaard & van Balen 1992) for balls up to 31 voxels in x; beyond, thresholding an
 *   exact Euclidean distance transform (a voxel survives erosion iff EDT(foreground)² > R², is set
 *   by dilation iff EDT(background)² ≤ R²), O(N) independent of R. Both exact.
 * - Grey: a ball is a union of 1-D chords along x, one per (dz, dy) offset. A running min/max
 *   over each chord length is computed once per distinct length with the van Herk (1992) /
 *   Gil & Werman (1993) algorithm (3 comparisons per voxel whatever the length), then combined
 *   over the offsets (per z-plane: disc minima of the ball's cross-sections, then folded along
 *   z): O(N·r²) instead of O(N·r³), exact.
 */

import { InputError } from "../errors.js";
import { distanceTransform } from "./distance.js";
import type { Spacing3, Volume, VoxelArray } from "./volume.js";

/** How values outside the array are obtained (scipy.ndimage names). */
export type BorderMode = "reflect" | "mirror" | "nearest" | "constant" | "ignore";

/** Structuring-ball and border options. */
export interface BallOptions {
  /**
   * Ball radius in metres; the ball is then an ellipsoid in voxels built from the volume's
   * spacing. When absent, the `radius` argument is in voxels (isotropic, skimage `ball(r)`).
   */
  physicalRadius?: number;
  /** Border handling for grey operations (default 'reflect', as scipy/skimage). */
  mode?: BorderMode;
  /** Outside value for mode 'constant' (default 0). */
  cval?: number;
}

/** Binary options. */
export interface BinaryBallOptions {
  /** Ball radius in metres (see `BallOptions.physicalRadius`). */
  physicalRadius?: number;
  /**
   * What lies outside the array: 'foreground' for erosions (skimage `binary_erosion`, default),
   * 'background' (scipy `binary_erosion` default `border_value=0`), or 'reflect' (the array
   * continued by reflection, so no voxel changes merely because it touches the edge: the choice
   * for a field of view that cuts particles). Dilations see background outside unless 'reflect'.
   */
  border?: BinaryBorder;
}

/** A ball as chords along x: for each (dz, dy) offset the half-length hx (voxels). */
export interface BallChords {
  /** Half-extent along z, y, x (voxels). */
  rz: number;
  ry: number;
  rx: number;
  /** Chords: [dz, dy, hx] triples. */
  chords: Int32Array;
  /** Number of voxels in the ball. */
  count: number;
}

const REL_TOL = 1e-12;

function checkRadius(radius: number, field: string): void {
  if (!(radius >= 0) || !Number.isFinite(radius)) {
    throw new InputError("invalid ball radius", {
      field,
      value: String(radius),
      expected: "a finite radius ≥ 0",
    });
  }
}

/**
 * Squared ball radius and per-axis weights: voxel offsets (dz, dy, dx) are in the ball iff
 * wz·dz² + wy·dy² + wx·dx² ≤ R².
 */
function ballMetric(
  radius: number,
  spacing: Spacing3,
  physicalRadius?: number,
): [number, number, number, number] {
  if (physicalRadius !== undefined) {
    checkRadius(physicalRadius, "physicalRadius");
    return [physicalRadius * physicalRadius, spacing[0] ** 2, spacing[1] ** 2, spacing[2] ** 2];
  }
  checkRadius(radius, "radius");
  return [radius * radius, 1, 1, 1];
}

/**
 * Chord decomposition of the ball x² + y² + z² ≤ r² (voxels, skimage `ball(r)`), or of the
 * ellipsoid of physical radius `physicalRadius` [m] for voxel spacing `spacing` [m].
 */
export function ballChords(
  radius: number,
  spacing: Spacing3 = [1, 1, 1],
  physicalRadius?: number,
): BallChords {
  const [r2, wz, wy, wx] = ballMetric(radius, spacing, physicalRadius);
  const lim = r2 * (1 + REL_TOL);
  const rz = Math.floor(Math.sqrt(lim / wz));
  const ry = Math.floor(Math.sqrt(lim / wy));
  const rx = Math.floor(Math.sqrt(lim / wx));
  const chords: number[] = [];
  let count = 0;
  for (let dz = -rz; dz <= rz; dz++) {
    for (let dy = -ry; dy <= ry; dy++) {
      const rest = lim - wz * dz * dz - wy * dy * dy;
      if (rest < 0) continue;
      let h = Math.floor(Math.sqrt(rest / wx));
      while (wx * (h + 1) * (h + 1) <= rest) h++;
      while (h > 0 && wx * h * h > rest) h--;
      chords.push(dz, dy, h);
      count += 2 * h + 1;
    }
  }
  return { rz, ry, rx, chords: Int32Array.from(chords), count };
}

/**
 * The ball as a 0/1 footprint volume of shape (2rz+1, 2ry+1, 2rx+1) (skimage `ball(r)` for
 * isotropic voxels).
 */
export function ball(
  radius: number,
  spacing: Spacing3 = [1, 1, 1],
  physicalRadius?: number,
): Volume<Uint8Array> {
  const b = ballChords(radius, spacing, physicalRadius);
  const nz = 2 * b.rz + 1;
  const ny = 2 * b.ry + 1;
  const nx = 2 * b.rx + 1;
  const data = new Uint8Array(nz * ny * nx);
  for (let k = 0; k < b.chords.length; k += 3) {
    const z = b.chords[k] + b.rz;
    const y = b.chords[k + 1] + b.ry;
    const h = b.chords[k + 2];
    for (let x = b.rx - h; x <= b.rx + h; x++) data[x + nx * (y + ny * z)] = 1;
  }
  return { data, shape: [nz, ny, nx], spacing };
}

/**
 * For a 2-D image (nz = 1) keep only the ball's dz = 0 section: the disc x² + y² ≤ r²
 * (skimage `disk(r)`), which is what a ball sees in a single plane.
 */
function planar(b: BallChords, nz: number): BallChords {
  if (nz !== 1) return b;
  const chords: number[] = [];
  let count = 0;
  for (let k = 0; k < b.chords.length; k += 3) {
    if (b.chords[k] !== 0) continue;
    chords.push(0, b.chords[k + 1], b.chords[k + 2]);
    count += 2 * b.chords[k + 2] + 1;
  }
  return { rz: 0, ry: b.ry, rx: b.rx, chords: Int32Array.from(chords), count };
}

type Work = Float32Array | Float64Array;

function workArray(src: VoxelArray, n: number): Work {
  // Float32 holds every (u)int8/(u)int16/float32 value exactly; wider types need float64.
  return src instanceof Uint8Array ||
    src instanceof Uint16Array ||
    src instanceof Int16Array ||
    src instanceof Float32Array
    ? new Float32Array(n)
    : new Float64Array(n);
}

/** Index into [0, n) for an out-of-range coordinate, per scipy's boundary modes (−1: outside value). */
function mapIndex(i: number, n: number, mode: BorderMode): number {
  if (i >= 0 && i < n) return i;
  if (mode === "constant" || mode === "ignore") return -1;
  if (mode === "nearest") return i < 0 ? 0 : n - 1;
  if (n === 1) return 0;
  if (mode === "reflect") {
    // d c b a | a b c d | d c b a  (period 2n)
    const p = 2 * n;
    let j = ((i % p) + p) % p;
    if (j >= n) j = p - 1 - j;
    return j;
  }
  // mirror: d c b | a b c d | c b a (period 2n − 2)
  const p = 2 * n - 2;
  let j = ((i % p) + p) % p;
  if (j >= n) j = p - j;
  return j;
}

/** Padded copy (work type) with `outside` for constant/ignore modes. */
function padded(
  v: Volume,
  rz: number,
  ry: number,
  rx: number,
  mode: BorderMode,
  outside: number,
): { data: Work; pz: number; py: number; px: number } {
  const [nz, ny, nx] = v.shape;
  const pz = nz + 2 * rz;
  const py = ny + 2 * ry;
  const px = nx + 2 * rx;
  const out = workArray(v.data, pz * py * px);
  const src = v.data;
  const xs = new Int32Array(px);
  for (let x = 0; x < px; x++) xs[x] = mapIndex(x - rx, nx, mode);
  for (let z = 0; z < pz; z++) {
    const sz = mapIndex(z - rz, nz, mode);
    for (let y = 0; y < py; y++) {
      const sy = mapIndex(y - ry, ny, mode);
      const d = px * (y + py * z);
      if (sz < 0 || sy < 0) {
        out.fill(outside, d, d + px);
        continue;
      }
      const s = nx * (sy + ny * sz);
      for (let x = 0; x < px; x++) out[d + x] = xs[x] < 0 ? outside : src[s + xs[x]];
    }
  }
  return { data: out, pz, py, px };
}

/**
 * Flat min (erosion) or max (dilation) over a ball, by chord decomposition + van Herk/Gil–Werman.
 * Dilation is computed as −erosion(−f) so one min kernel serves both. Work per voxel ≈
 * 3·(distinct chord lengths) + (chords of one z-half) + 2·(rz + 1) comparisons, i.e. O(r²).
 * Plane by plane: for each padded input plane z′, the running minima W_h of every chord length
 * h along x; then the disc minimum D_k of the ball's cross-section at |dz| = k (min over the
 * chords (k, dy) of W_h shifted by dy); D_k is folded into the output planes z′ ∓ k.
 * Output has the input's voxel type.
 */
function rankFilter<T extends VoxelArray>(
  image: Volume<T>,
  radius: number,
  opts: BallOptions,
  isMax: boolean,
): Volume<T> {
  const [nz, ny, nx] = image.shape;
  const b = planar(ballChords(radius, image.spacing, opts.physicalRadius), nz);
  const mode = opts.mode ?? "reflect";
  const outside =
    mode === "ignore"
      ? isMax
        ? Number.NEGATIVE_INFINITY
        : Number.POSITIVE_INFINITY
      : mode === "constant"
        ? (opts.cval ?? 0)
        : 0;
  const { data: P, pz, py, px } = padded(image, b.rz, b.ry, b.rx, mode, outside);
  if (isMax) for (let i = 0; i < P.length; i++) P[i] = -P[i];
  const n = nz * ny * nx;
  const plane = ny * nx;
  const acc = workArray(image.data, n).fill(Number.POSITIVE_INFINITY);
  // Chord lengths in use and, per k = |dz|, the (dy, slot of h) pairs of the cross-section.
  const hs = [...new Set(Array.from({ length: b.chords.length / 3 }, (_, k) => b.chords[3 * k + 2]))].sort(
    (a, c) => a - c,
  );
  const slotOf = new Map(hs.map((h, i) => [h, i]));
  const disc: number[][] = Array.from({ length: b.rz + 1 }, () => []);
  for (let k = 0; k < b.chords.length; k += 3) {
    const dz = b.chords[k];
    if (dz < 0) continue; // the ball is symmetric in dz
    disc[dz].push(b.chords[k + 1], slotOf.get(b.chords[k + 2]) as number);
  }
  const W = hs.map(() => workArray(image.data, py * nx));
  const D = workArray(image.data, plane);
  const g = new Float64Array(px);
  const hb = new Float64Array(px);
  for (let zp = 0; zp < pz; zp++) {
    // Is any output plane within reach of this input plane?
    const zc = zp - b.rz;
    if (zc + b.rz < 0 || zc - b.rz >= nz) continue;
    const pbase = zp * py * px;
    for (let s = 0; s < hs.length; s++) {
      const h = hs[s];
      const len = 2 * h + 1;
      const Ws = W[s];
      for (let row = 0; row < py; row++) {
        const base = pbase + row * px;
        const wb = row * nx;
        if (h === 0) {
          for (let x = 0; x < nx; x++) Ws[wb + x] = P[base + b.rx + x];
          continue;
        }
        // van Herk / Gil–Werman: prefix (g) and suffix (hb) minima inside blocks of length len;
        // the window [c − h, c + h] spans at most two blocks: min = min(hb[c − h], g[c + h]).
        for (let s0 = 0; s0 < px; s0 += len) {
          const e = s0 + len < px ? s0 + len : px;
          let m = P[base + s0];
          g[s0] = m;
          for (let i = s0 + 1; i < e; i++) {
            m = Math.min(m, P[base + i]);
            g[i] = m;
          }
          m = P[base + e - 1];
          hb[e - 1] = m;
          for (let i = e - 2; i >= s0; i--) {
            m = Math.min(m, P[base + i]);
            hb[i] = m;
          }
        }
        const lo = b.rx - h;
        const hi = b.rx + h;
        for (let x = 0; x < nx; x++) Ws[wb + x] = Math.min(hb[x + lo], g[x + hi]);
      }
    }
    for (let k = 0; k <= b.rz; k++) {
      const zLo = zc - k;
      const zHi = zc + k;
      const useLo = zLo >= 0 && zLo < nz;
      const useHi = k > 0 && zHi >= 0 && zHi < nz;
      if (!useLo && !useHi) continue;
      const list = disc[k];
      D.fill(Number.POSITIVE_INFINITY);
      for (let y = 0; y < ny; y++) {
        const dst = y * nx;
        for (let j = 0; j < list.length; j += 2) {
          const Ws = W[list[j + 1]];
          const src = (y + b.ry + list[j]) * nx;
          for (let x = 0; x < nx; x++) D[dst + x] = Math.min(D[dst + x], Ws[src + x]);
        }
      }
      if (useLo) {
        const o = zLo * plane;
        for (let i = 0; i < plane; i++) acc[o + i] = Math.min(acc[o + i], D[i]);
      }
      if (useHi) {
        const o = zHi * plane;
        for (let i = 0; i < plane; i++) acc[o + i] = Math.min(acc[o + i], D[i]);
      }
    }
  }
  const Ctor = image.data.constructor as new (n: number) => T;
  const out = new Ctor(n);
  if (isMax) for (let i = 0; i < n; i++) out[i] = -acc[i];
  else out.set(acc as unknown as ArrayLike<number>);
  return { data: out, shape: image.shape, spacing: image.spacing };
}

/**
 * Grey erosion: minimum over the ball centred on each voxel (scipy `grey_erosion`, skimage
 * `erosion` with `ball(radius)`).
 * @param radius ball radius in voxels (ignored when `options.physicalRadius` [m] is given)
 */
export function greyErosion<T extends VoxelArray>(
  image: Volume<T>,
  radius: number,
  options: BallOptions = {},
): Volume<T> {
  return rankFilter(image, radius, options, false);
}

/** Grey dilation: maximum over the ball (scipy `grey_dilation`, skimage `dilation`). @param radius voxels */
export function greyDilation<T extends VoxelArray>(
  image: Volume<T>,
  radius: number,
  options: BallOptions = {},
): Volume<T> {
  return rankFilter(image, radius, options, true);
}

/** Grey opening = dilation(erosion(image)): removes bright features smaller than the ball. @param radius voxels */
export function greyOpening<T extends VoxelArray>(
  image: Volume<T>,
  radius: number,
  options: BallOptions = {},
): Volume<T> {
  return rankFilter(rankFilter(image, radius, options, false), radius, options, true);
}

/** Grey closing = erosion(dilation(image)): fills dark features smaller than the ball. @param radius voxels */
export function greyClosing<T extends VoxelArray>(
  image: Volume<T>,
  radius: number,
  options: BallOptions = {},
): Volume<T> {
  return rankFilter(rankFilter(image, radius, options, true), radius, options, false);
}

function difference<T extends VoxelArray>(a: Volume<T>, b: Volume<T>): Volume<T> {
  const Ctor = a.data.constructor as new (n: number) => T;
  const out = new Ctor(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i] - b.data[i];
  return { data: out, shape: a.shape, spacing: a.spacing };
}

/** White top-hat = image − opening: bright details smaller than the ball. @param radius voxels */
export function whiteTophat<T extends VoxelArray>(
  image: Volume<T>,
  radius: number,
  options: BallOptions = {},
): Volume<T> {
  return difference(image, greyOpening(image, radius, options));
}

/**
 * Black top-hat = closing − image (skimage `black_tophat`): dark details (cracks, pores)
 * narrower than the ball, as a non-negative response. @param radius voxels
 */
export function blackTophat<T extends VoxelArray>(
  image: Volume<T>,
  radius: number,
  options: BallOptions = {},
): Volume<T> {
  return difference(greyClosing(image, radius, options), image);
}

function radiusSquared(
  mask: Volume,
  radius: number,
  physicalRadius?: number,
): { r2: number; sampling: Spacing3 } {
  if (physicalRadius !== undefined) {
    checkRadius(physicalRadius, "physicalRadius");
    return { r2: physicalRadius * physicalRadius * (1 + REL_TOL), sampling: mask.spacing };
  }
  checkRadius(radius, "radius");
  return { r2: radius * radius * (1 + REL_TOL), sampling: [1, 1, 1] };
}

/** One binary step: dilation or erosion, and what lies outside the array for it. */
interface BinaryStep {
  op: "dilate" | "erode";
  /** 0 or 1: constant outside value; "reflect": the array continued by reflection. */
  outside: 0 | 1 | "reflect";
}

/** Largest chord half-length the bit-parallel kernel handles (one 32-bit word of shift). */
const MAX_BIT_SHIFT = 31;

/**
 * Bit-parallel binary dilation/erosion chain by the ball's chord decomposition (van den
 * Boomgaard & van Balen 1992, "Methods for fast morphological image transforms using bitmapped
 * binary images", CVGIP 54:252: rows as machine words, a 1-D dilation by a segment of half-length
 * h is the OR of the row shifted by −h…h; a ball is the union of its x-chords, one per (dz, dy)).
 * Rows are packed 32 voxels per word; for each padded plane the segment dilations (erosions: AND)
 * of every distinct chord length are built incrementally (X_h = X_{h−1} | row≪h | row≫h) in a ring
 * of 2rz + 1 planes, and each output row is the OR (AND) of the X_h rows at (z + dz, y + dy).
 * Work ≈ (2·h_max shifts + chords) word operations per 32 voxels; exact.
 *
 * The array is padded once by k·r on every side for a chain of k steps (padding filled per the
 * first step's `outside`); between steps the padding is reset to the next step's constant outside
 * value (for 'reflect' it keeps the previous step's result on the reflected continuation).
 */
function bitMorphology(mask: Volume, b: BallChords, steps: BinaryStep[]): Volume<Uint8Array> {
  const [nz, ny, nx] = mask.shape;
  const k = steps.length;
  const Pz = k * b.rz;
  const Py = k * b.ry;
  const Px = k * b.rx;
  const Z = nz + 2 * Pz;
  const Y = ny + 2 * Py;
  const L = nx + 2 * Px;
  const W = (L + 31) >>> 5;
  const rowsPerPlane = Y;
  const planeWords = W * rowsPerPlane;
  let cur = new Int32Array(Z * planeWords);
  const src = mask.data;
  const reflect = steps[0].outside === "reflect";
  const first = steps[0].outside === 1 ? 1 : 0;
  const xs = new Int32Array(L);
  for (let p = 0; p < L; p++) xs[p] = mapIndex(p - Px, nx, reflect ? "reflect" : "constant");
  // pack (with the first step's outside values)
  for (let zp = 0; zp < Z; zp++) {
    const sz = mapIndex(zp - Pz, nz, reflect ? "reflect" : "constant");
    for (let yp = 0; yp < Y; yp++) {
      const sy = mapIndex(yp - Py, ny, reflect ? "reflect" : "constant");
      const rb = W * (yp + Y * zp);
      if (sz < 0 || sy < 0) {
        if (first) setBits(cur, rb, 0, L, 1);
        continue;
      }
      const s = nx * (sy + ny * sz);
      // padding bits from the mapped columns, then the row itself 32 voxels at a time
      for (let p = 0; p < Px; p++) {
        const x = xs[p];
        if (x < 0 ? first : src[s + x] !== 0) cur[rb + (p >>> 5)] |= 1 << (p & 31);
      }
      for (let p = Px + nx; p < L; p++) {
        const x = xs[p];
        if (x < 0 ? first : src[s + x] !== 0) cur[rb + (p >>> 5)] |= 1 << (p & 31);
      }
      let p = Px;
      let x = 0;
      while (x < nx) {
        const bit = p & 31;
        const take = Math.min(32 - bit, nx - x);
        let word = 0;
        for (let q = 0; q < take; q++) word |= (src[s + x + q] !== 0 ? 1 : 0) << (bit + q);
        cur[rb + (p >>> 5)] |= word;
        p += take;
        x += take;
      }
    }
  }
  // distinct chord half-lengths (ascending) and the chord list as (dz, dy, slot)
  const hs = [...new Set(Array.from({ length: b.chords.length / 3 }, (_, c) => b.chords[3 * c + 2]))].sort(
    (a, c) => a - c,
  );
  const slotOf = new Map(hs.map((h, i) => [h, i]));
  const nChords = b.chords.length / 3;
  const cDz = new Int32Array(nChords);
  const cDy = new Int32Array(nChords);
  const cSlot = new Int32Array(nChords);
  for (let c = 0; c < nChords; c++) {
    cDz[c] = b.chords[3 * c];
    cDy[c] = b.chords[3 * c + 1];
    cSlot[c] = slotOf.get(b.chords[3 * c + 2]) as number;
  }
  const ringN = 2 * b.rz + 1;
  const ring = hs.map(() => Array.from({ length: ringN }, () => new Int32Array(planeWords)));
  const ringPlane = new Int32Array(ringN).fill(-1);
  for (let s = 0; s < k; s++) {
    const isDil = steps[s].op === "dilate";
    if (s > 0 && steps[s].outside !== "reflect") resetOutside(cur, steps[s].outside === 1 ? 1 : 0);
    const next = new Int32Array(Z * planeWords);
    ringPlane.fill(-1);
    // planes whose output is valid for this step
    const zLo = b.rz;
    const zHi = Z - b.rz;
    const buildPlane = (zp: number) => {
      const slotR = zp % ringN;
      if (ringPlane[slotR] === zp) return;
      ringPlane[slotR] = zp;
      const base = zp * planeWords;
      for (let si = 0; si < hs.length; si++) {
        const X = ring[si][slotR];
        const h = hs[si];
        if (si === 0 || h === 0) {
          // X_{h0} from scratch
          for (let j = 0; j < planeWords; j++) X[j] = cur[base + j];
          for (let t = 1; t <= h; t++) shiftCombine(X, cur, base, W, rowsPerPlane, t, isDil);
        } else {
          const prev = ring[si - 1][slotR];
          X.set(prev);
          for (let t = hs[si - 1] + 1; t <= h; t++) shiftCombine(X, cur, base, W, rowsPerPlane, t, isDil);
        }
      }
    };
    for (let zc = zLo; zc < zHi; zc++) {
      for (let dz = -b.rz; dz <= b.rz; dz++) buildPlane(zc + dz);
      const ob = zc * planeWords;
      for (let yc = b.ry; yc < Y - b.ry; yc++) {
        const o = ob + yc * W;
        let firstChord = true;
        for (let c = 0; c < nChords; c++) {
          const X = ring[cSlot[c]][(zc + cDz[c]) % ringN];
          const ib = (yc + cDy[c]) * W;
          if (firstChord) {
            for (let w = 0; w < W; w++) next[o + w] = X[ib + w];
            firstChord = false;
          } else if (isDil) for (let w = 0; w < W; w++) next[o + w] |= X[ib + w];
          else for (let w = 0; w < W; w++) next[o + w] &= X[ib + w];
        }
      }
    }
    cur = next;
  }
  const out = new Uint8Array(nz * ny * nx);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++) {
      const rb = W * (y + Py + Y * (z + Pz));
      const o = nx * (y + ny * z);
      let p = Px;
      let x = 0;
      while (x < nx) {
        const bit = p & 31;
        const take = Math.min(32 - bit, nx - x);
        const word = cur[rb + (p >>> 5)] >>> bit;
        for (let q = 0; q < take; q++) out[o + x + q] = (word >>> q) & 1;
        p += take;
        x += take;
      }
    }
  return { data: out, shape: mask.shape, spacing: mask.spacing };

  function resetOutside(a: Int32Array, v: 0 | 1): void {
    for (let zp = 0; zp < Z; zp++)
      for (let yp = 0; yp < Y; yp++) {
        const rb = W * (yp + Y * zp);
        if (zp < Pz || zp >= Pz + nz || yp < Py || yp >= Py + ny) {
          setBits(a, rb, 0, L, v);
          continue;
        }
        setBits(a, rb, 0, Px, v);
        setBits(a, rb, Px + nx, L, v);
      }
  }
}

/** Set bits [from, to) of the row starting at word `rb` to v. */
function setBits(a: Int32Array, rb: number, from: number, to: number, v: 0 | 1): void {
  for (let p = from; p < to; p++) {
    const w = rb + (p >>> 5);
    if (v) a[w] |= 1 << (p & 31);
    else a[w] &= ~(1 << (p & 31));
  }
}

/**
 * X ← X | (row shifted by +t) | (row shifted by −t) for every row of one plane (AND for
 * erosion). Bit p of a row holds voxel p; shifting by +t moves bit p − t to p.
 */
function shiftCombine(
  X: Int32Array,
  src: Int32Array,
  base: number,
  W: number,
  rows: number,
  t: number,
  isDil: boolean,
): void {
  const u = 32 - t;
  for (let r = 0; r < rows; r++) {
    const rb = base + r * W;
    const xb = r * W;
    for (let w = 0; w < W; w++) {
      const a = src[rb + w];
      const lo = w > 0 ? src[rb + w - 1] : 0;
      const hi = w + 1 < W ? src[rb + w + 1] : 0;
      // bit p gets bit p − t (from lower words) and bit p + t (from higher words)
      const up = (a << t) | (lo >>> u);
      const down = (a >>> t) | (hi << u);
      if (isDil) X[xb + w] |= up | down;
      else X[xb + w] &= up & down;
    }
  }
}

/** What lies outside the array for binary operations (see `BinaryBallOptions.border`). */
export type BinaryBorder = "foreground" | "background" | "reflect";

/** Outside value of an erosion for a border option. */
function erosionOutside(border: BinaryBorder | undefined): 0 | 1 | "reflect" {
  return border === "reflect" ? "reflect" : border === "background" ? 0 : 1;
}

/**
 * Run a chain of binary steps with the ball: bit-parallel chords when the ball's x half-extent
 * fits a word shift (radius ≤ 31 voxels), else the EDT-threshold kernels on an explicitly padded
 * copy. Both are exact and give the same voxels.
 */
function binaryChain(
  mask: Volume,
  radius: number,
  physicalRadius: number | undefined,
  steps: BinaryStep[],
): Volume<Uint8Array> {
  const [nz] = mask.shape;
  const b = planar(ballChords(radius, mask.spacing, physicalRadius), nz);
  if (b.rx <= MAX_BIT_SHIFT) return bitMorphology(mask, b, steps);
  // large balls: EDT thresholding on a padded copy, one step at a time
  const k = steps.length;
  const pads: [number, number, number] = [k * b.rz, k * b.ry, k * b.rx];
  const [ny, nx] = [mask.shape[1], mask.shape[2]];
  const Z = nz + 2 * pads[0];
  const Y = ny + 2 * pads[1];
  const X = nx + 2 * pads[2];
  let cur: Uint8Array = new Uint8Array(Z * Y * X);
  const fillPad = (a: Uint8Array, outside: 0 | 1 | "reflect", from: Volume | null) => {
    for (let z = 0; z < Z; z++) {
      const mz = mapIndex(z - pads[0], nz, outside === "reflect" ? "reflect" : "constant");
      for (let y = 0; y < Y; y++) {
        const my = mapIndex(y - pads[1], ny, outside === "reflect" ? "reflect" : "constant");
        for (let x = 0; x < X; x++) {
          const mx = mapIndex(x - pads[2], nx, outside === "reflect" ? "reflect" : "constant");
          const i = x + X * (y + Y * z);
          const inside =
            z >= pads[0] &&
            z < pads[0] + nz &&
            y >= pads[1] &&
            y < pads[1] + ny &&
            x >= pads[2] &&
            x < pads[2] + nx;
          if (mz < 0 || my < 0 || mx < 0) a[i] = outside === 1 ? 1 : 0;
          else if (from) a[i] = from.data[mx + nx * (my + ny * mz)] !== 0 ? 1 : 0;
          else if (!inside && outside !== "reflect") a[i] = outside;
        }
      }
    }
  };
  fillPad(cur, steps[0].outside, mask);
  const spacing = mask.spacing;
  for (let s = 0; s < k; s++) {
    if (s > 0 && steps[s].outside !== "reflect") fillPad(cur, steps[s].outside, null);
    const v: Volume<Uint8Array> = { data: cur, shape: [Z, Y, X], spacing };
    cur =
      steps[s].op === "dilate"
        ? edtDilation(v, radius, physicalRadius).data
        : edtErosion(v, radius, physicalRadius).data;
  }
  const out = new Uint8Array(nz * ny * nx);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++) {
      const s0 = pads[2] + X * (y + pads[1] + Y * (z + pads[0]));
      out.set(cur.subarray(s0, s0 + nx), nx * (y + ny * z));
    }
  return { data: out, shape: mask.shape, spacing };
}

/** EDT-threshold erosion: a voxel survives iff no background voxel lies within the ball (array edges not background). */
function edtErosion(mask: Volume, radius: number, physicalRadius?: number): Volume<Uint8Array> {
  const { r2, sampling } = radiusSquared(mask, radius, physicalRadius);
  const d2 = distanceTransform(mask, { sampling, squared: true }).data;
  const out = new Uint8Array(d2.length);
  for (let i = 0; i < out.length; i++) out[i] = mask.data[i] !== 0 && d2[i] > r2 ? 1 : 0;
  return { data: out, shape: mask.shape, spacing: mask.spacing };
}

/** EDT-threshold dilation: a voxel is set iff some foreground voxel lies within the ball. */
function edtDilation(mask: Volume, radius: number, physicalRadius?: number): Volume<Uint8Array> {
  const { r2, sampling } = radiusSquared(mask, radius, physicalRadius);
  const inv = new Uint8Array(mask.data.length);
  let any = false;
  for (let i = 0; i < inv.length; i++) {
    inv[i] = mask.data[i] === 0 ? 1 : 0;
    if (!inv[i]) any = true;
  }
  const out = new Uint8Array(inv.length);
  if (!any) return { data: out, shape: mask.shape, spacing: mask.spacing };
  const d2 = distanceTransform(
    { data: inv, shape: mask.shape, spacing: mask.spacing },
    { sampling, squared: true },
  ).data;
  for (let i = 0; i < out.length; i++) out[i] = d2[i] <= r2 ? 1 : 0;
  return { data: out, shape: mask.shape, spacing: mask.spacing };
}

/**
 * Binary erosion by a ball: a foreground voxel survives iff the whole ball around it is
 * foreground (outside the array per `options.border`). Exact; bit-parallel chords for radius ≤ 31
 * voxels, EDT thresholding beyond.
 * @param radius voxels (or `options.physicalRadius` in m)
 * @returns 0/1 mask
 */
export function binaryErosion(
  mask: Volume,
  radius: number,
  options: BinaryBallOptions = {},
): Volume<Uint8Array> {
  checkRadius(
    options.physicalRadius ?? radius,
    options.physicalRadius !== undefined ? "physicalRadius" : "radius",
  );
  return binaryChain(mask, radius, options.physicalRadius, [
    { op: "erode", outside: erosionOutside(options.border) },
  ]);
}

/**
 * Binary dilation by a ball: a voxel is set iff some foreground voxel lies within the ball.
 * Outside is background (or the reflection with `border: 'reflect'`).
 * @param radius voxels (or `options.physicalRadius` in m)
 */
export function binaryDilation(
  mask: Volume,
  radius: number,
  options: BinaryBallOptions = {},
): Volume<Uint8Array> {
  checkRadius(
    options.physicalRadius ?? radius,
    options.physicalRadius !== undefined ? "physicalRadius" : "radius",
  );
  return binaryChain(mask, radius, options.physicalRadius, [
    { op: "dilate", outside: options.border === "reflect" ? "reflect" : 0 },
  ]);
}

/** Binary opening = dilation(erosion) (skimage `binary_opening` conventions; `border` as binaryErosion). @param radius voxels */
export function binaryOpening(
  mask: Volume,
  radius: number,
  options: BinaryBallOptions = {},
): Volume<Uint8Array> {
  checkRadius(
    options.physicalRadius ?? radius,
    options.physicalRadius !== undefined ? "physicalRadius" : "radius",
  );
  return binaryChain(mask, radius, options.physicalRadius, [
    { op: "erode", outside: erosionOutside(options.border) },
    { op: "dilate", outside: options.border === "reflect" ? "reflect" : 0 },
  ]);
}

/**
 * Binary closing = erosion(dilation) (skimage `binary_closing` conventions; `border` as
 * binaryErosion). With border 'reflect' the closing does not erase voxels at the array edge
 * (scipy's `border_value=0` erodes a shell of width r there). @param radius voxels
 */
export function binaryClosing(
  mask: Volume,
  radius: number,
  options: BinaryBallOptions = {},
): Volume<Uint8Array> {
  checkRadius(
    options.physicalRadius ?? radius,
    options.physicalRadius !== undefined ? "physicalRadius" : "radius",
  );
  return binaryChain(mask, radius, options.physicalRadius, [
    { op: "dilate", outside: options.border === "reflect" ? "reflect" : 0 },
    { op: "erode", outside: erosionOutside(options.border) },
  ]);
}
