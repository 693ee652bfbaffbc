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
 * - Binary: thresholding an exact Euclidean distance transform. A voxel survives erosion iff no
 *   background voxel lies within the ball, i.e. EDT(foreground)² > R²; a voxel is set by dilation
 *   iff some foreground voxel lies within the ball, i.e. EDT(background)² ≤ R². Exact for balls,
 *   O(N) independent of R.
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
   * What lies outside the array for erosion: 'foreground' (skimage `binary_erosion`, default)
   * or 'background' (scipy `binary_erosion` default `border_value=0`).
   */
  border?: "foreground" | "background";
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

/**
 * Binary erosion by a ball via the exact EDT: a foreground voxel survives iff no background
 * voxel lies within the ball (EDT² > R²). Outside the array counts as foreground (skimage) or
 * background (scipy), per `options.border`.
 * @param radius voxels (or `options.physicalRadius` in m)
 * @returns 0/1 mask
 */
export function binaryErosion(
  mask: Volume,
  radius: number,
  options: BinaryBallOptions = {},
): Volume<Uint8Array> {
  const [nz, ny, nx] = mask.shape;
  const { r2, sampling } = radiusSquared(mask, radius, options.physicalRadius);
  const d2 = distanceTransform(mask, { sampling, squared: true }).data;
  const out = new Uint8Array(d2.length);
  const outsideBg = options.border === "background";
  const [sz, sy, sx] = sampling;
  let i = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if (mask.data[i] === 0 || d2[i] <= r2) continue;
        if (outsideBg) {
          // nearest outside voxel along each axis (index −1 or n)
          // a 2-D image (nz = 1) has no border along z
          const bz = nz === 1 ? Number.POSITIVE_INFINITY : Math.min(z + 1, nz - z) * sz;
          const by = Math.min(y + 1, ny - y) * sy;
          const bx = Math.min(x + 1, nx - x) * sx;
          if (bz * bz <= r2 || by * by <= r2 || bx * bx <= r2) continue;
        }
        out[i] = 1;
      }
  return { data: out, shape: mask.shape, spacing: mask.spacing };
}

/**
 * Binary dilation by a ball via the exact EDT of the background: a voxel is set iff some
 * foreground voxel lies within the ball (EDT(background)² ≤ R²). Outside is background.
 * @param radius voxels (or `options.physicalRadius` in m)
 */
export function binaryDilation(
  mask: Volume,
  radius: number,
  options: BinaryBallOptions = {},
): Volume<Uint8Array> {
  const { r2, sampling } = radiusSquared(mask, radius, options.physicalRadius);
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

/** Binary opening = dilation(erosion) (skimage `binary_opening` conventions). @param radius voxels */
export function binaryOpening(
  mask: Volume,
  radius: number,
  options: BinaryBallOptions = {},
): Volume<Uint8Array> {
  return binaryDilation(binaryErosion(mask, radius, options), radius, options);
}

/** Binary closing = erosion(dilation) (skimage `binary_closing` conventions). @param radius voxels */
export function binaryClosing(
  mask: Volume,
  radius: number,
  options: BinaryBallOptions = {},
): Volume<Uint8Array> {
  return binaryErosion(binaryDilation(mask, radius, options), radius, options);
}
