/**
 * Lattice strain of layered R-3m oxides and the eigenstrain of a transversely isotropic grain.
 *
 * ε_a(x) = a(x)/a(x0) − 1, ε_c(x) = c(x)/c(x0) − 1 (reference state x0, default 1 = pristine),
 * hexagonal unit cell V = (√3/2)·a²·c (REFERENCE §2). In the crystal frame the eigenstrain of a
 * grain is diag(ε_a, ε_a, ε_c) (Parks et al., seed 001 §2.6: "lithiation induced strains applied
 * in a transversely isotropic manner"); rotated so that the c axis points along the unit vector
 * n it is ε* = ε_a·I + (ε_c − ε_a)·n⊗n (exact: R·diag(ε_a, ε_a, ε_c)·Rᵀ for any rotation R with
 * R·e_z = n; the in-plane angle drops out by transverse isotropy).
 *
 * Symmetric tensors are stored as 6 numbers in the order [xx, yy, zz, yz, xz, xy] (tensor, not
 * engineering, shear components).
 */
import { MonotoneCubic } from "../materials/tabulated.js";
import type { SeededRandom } from "./random.js";

/** The two lattice-parameter functions a material must provide [m] of Li fraction x. */
export interface LatticeParameters {
  latticeA(x: number): number;
  latticeC(x: number): number;
}

/** A lattice table: a(x), c(x) in Å at Li fractions x, with its source (a material's `lattice`). */
export interface LatticeTableInput {
  x: readonly number[];
  aAngstrom: readonly number[];
  cAngstrom: readonly number[];
  /** Where the numbers come from (reported, required: no uncited strain data). */
  source: string;
}

/**
 * a(x), c(x) [m] from a table, interpolated as the materials do (monotone cubic, Fritsch–Carlson,
 * clamped outside), so a run can replace a material's lattice data (e.g. Xu et al.'s strains
 * used in seed 001 Fig. 5d). RangeError on fewer than 2 rows, unequal lengths, x not strictly
 * increasing, non-positive or non-finite a or c, or an empty source.
 */
export function latticeFromTable(table: LatticeTableInput): LatticeParameters & { source: string } {
  const { x, aAngstrom: a, cAngstrom: c } = table;
  if (x.length < 2 || a.length !== x.length || c.length !== x.length)
    throw new RangeError(
      `lattice table: need ≥ 2 rows of x, a, c of equal length (got ${x.length}, ${a.length}, ${c.length})`,
    );
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || (i > 0 && !(x[i] > x[i - 1])))
      throw new RangeError(`lattice table: x must increase strictly (row ${i + 1}: ${x[i]})`);
    if (!(a[i] > 0) || !(c[i] > 0) || !Number.isFinite(a[i]) || !Number.isFinite(c[i]))
      throw new RangeError(`lattice table: a and c must be positive (row ${i + 1})`);
  }
  if (!table.source.trim()) throw new RangeError("lattice table: a source is required");
  const ANGSTROM = 1e-10;
  const fa = new MonotoneCubic(
    x,
    a.map((v) => v * ANGSTROM),
    "clamp",
  );
  const fc = new MonotoneCubic(
    x,
    c.map((v) => v * ANGSTROM),
    "clamp",
  );
  return { latticeA: (v) => fa.value(v), latticeC: (v) => fc.value(v), source: table.source };
}

/** Hexagonal unit-cell volume V = (√3/2)·a²·c [m³] from a, c [m] (REFERENCE §2). */
export function unitCellVolume(a: number, c: number): number {
  return (Math.sqrt(3) / 2) * a * a * c;
}

/** Principal lattice strains of a grain at Li fraction x relative to x0 [-]. */
export interface LatticeStrain {
  /** In-plane strain ε_a = a(x)/a(x0) − 1 [-]. */
  a: number;
  /** Strain along the c axis ε_c = c(x)/c(x0) − 1 [-]. */
  c: number;
}

/**
 * Lattice strains ε_a, ε_c at Li fraction x relative to the reference x0 (default 1).
 * @param lattice a(x), c(x) [m]
 */
export function latticeStrain(lattice: LatticeParameters, x: number, x0 = 1): LatticeStrain {
  return {
    a: lattice.latticeA(x) / lattice.latticeA(x0) - 1,
    c: lattice.latticeC(x) / lattice.latticeC(x0) - 1,
  };
}

/** Relative unit-cell volume change V(x)/V(x0) − 1 [-]. */
export function unitCellVolumeChange(lattice: LatticeParameters, x: number, x0 = 1): number {
  const v = unitCellVolume(lattice.latticeA(x), lattice.latticeC(x));
  const v0 = unitCellVolume(lattice.latticeA(x0), lattice.latticeC(x0));
  return v / v0 - 1;
}

/**
 * Eigenstrain tensor ε* = ε_a·I + (ε_c − ε_a)·n⊗n of a grain whose c axis is the unit vector
 * n = (nx, ny, nz), written into `out[offset … offset+5]` as [xx, yy, zz, yz, xz, xy] [-].
 */
export function rotatedEigenstrain(
  strainA: number,
  strainC: number,
  nx: number,
  ny: number,
  nz: number,
  out: Float64Array,
  offset = 0,
): void {
  const d = strainC - strainA;
  out[offset] = strainA + d * nx * nx;
  out[offset + 1] = strainA + d * ny * ny;
  out[offset + 2] = strainA + d * nz * nz;
  out[offset + 3] = d * ny * nz;
  out[offset + 4] = d * nx * nz;
  out[offset + 5] = d * nx * ny;
}

/**
 * Rotate a symmetric tensor t (6-vector) by the rotation matrix Q (row-major 3×3): Q·t·Qᵀ.
 * Used by tests and by callers that carry full orientations.
 */
export function rotateSymmetricTensor(t: ArrayLike<number>, q: ArrayLike<number>): Float64Array {
  const m = [t[0], t[5], t[4], t[5], t[1], t[3], t[4], t[3], t[2]];
  const r = new Float64Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) s += q[3 * i + k] * m[3 * k + l] * q[3 * j + l];
      r[3 * i + j] = s;
    }
  return Float64Array.of(r[0], r[4], r[8], r[5], r[2], r[1]);
}

/**
 * c-axis directions of `count` grains, uniform on the unit sphere S² (Archimedes: z uniform in
 * [−1, 1], azimuth uniform), as a flat array [nx0, ny0, nz0, nx1, …].
 */
export function randomCAxes3D(count: number, rng: SeededRandom): Float64Array {
  const out = new Float64Array(3 * count);
  for (let g = 0; g < count; g++) {
    const z = 2 * rng.next() - 1;
    const phi = 2 * Math.PI * rng.next();
    const s = Math.sqrt(Math.max(0, 1 - z * z));
    out[3 * g] = s * Math.cos(phi);
    out[3 * g + 1] = s * Math.sin(phi);
    out[3 * g + 2] = z;
  }
  return out;
}

/**
 * c-axis directions confined to the x–y plane (angle uniform in [0, π)), for strictly 2D
 * texture studies: [cos θ, sin θ, 0] per grain.
 */
export function randomCAxesInPlane(count: number, rng: SeededRandom): Float64Array {
  const out = new Float64Array(3 * count);
  for (let g = 0; g < count; g++) {
    const t = Math.PI * rng.next();
    out[3 * g] = Math.cos(t);
    out[3 * g + 1] = Math.sin(t);
  }
  return out;
}
