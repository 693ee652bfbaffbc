/**
 * Crystallography helpers for the layered R-3m (α-NaFeO2) cathodes in their hexagonal setting:
 * cell volume, d-spacings, Bragg angles and scattering vectors of the reflections used to read
 * lattice maps (seed 004, Daemi et al.: (003), (101), (104), (108), (110)), c/a, and the
 * I(003)/I(104) cation-mixing flag. Pure functions, SI units (lengths in metres, angles in
 * radians).
 *
 * Equations (REFERENCE §2; any crystallography text, e.g. Cullity & Stock, Elements of X-ray
 * Diffraction, 3rd ed. 2001, App. 3):
 *   V = (√3/2)·a²·c
 *   1/d² = 4(h² + hk + k²)/(3a²) + l²/c²
 *   λ = 2 d sin θ  (Bragg),  Q = 2π/d = 4π sin θ / λ
 */

import { InputError } from "../errors.js";

/** Miller indices (h, k, l) of a hexagonal reflection. */
export type Hkl = readonly [h: number, k: number, l: number];

/** Reflections of R-3m layered oxides read in seed 004 (hexagonal indices). */
export const R3M_REFLECTIONS: readonly Hkl[] = [
  [0, 0, 3],
  [1, 0, 1],
  [1, 0, 4],
  [1, 0, 8],
  [1, 1, 0],
];

/** Planck constant × speed of light [J·m] (CODATA 2018, exact) for photon energy → wavelength. */
const HC = 6.62607015e-34 * 299792458;
/** Elementary charge [C] (CODATA 2018, exact). */
const ELEMENTARY_CHARGE = 1.602176634e-19;

/**
 * Hexagonal cell volume V = (√3/2)·a²·c [m³] (REFERENCE §2).
 * @param a lattice parameter a [m]
 * @param c lattice parameter c [m]
 */
export function cellVolume(a: number, c: number): number {
  return (Math.sqrt(3) / 2) * a * a * c;
}

/**
 * Interplanar spacing of a hexagonal reflection [m]: 1/d² = 4(h² + hk + k²)/(3a²) + l²/c².
 * @param a lattice parameter a [m]
 * @param c lattice parameter c [m]
 */
export function dSpacing(a: number, c: number, hkl: Hkl): number {
  const [h, k, l] = hkl;
  const inv = (4 * (h * h + h * k + k * k)) / (3 * a * a) + (l * l) / (c * c);
  if (!(inv > 0))
    throw new InputError("(000) has no d-spacing", {
      field: "hkl",
      value: hkl.join(","),
      expected: "a non-zero reflection",
    });
  return 1 / Math.sqrt(inv);
}

/** X-ray wavelength [m] of a photon energy [J] (λ = hc/E; 50 keV → 0.24797 Å, seed 004). */
export function wavelengthFromEnergy(energy: number): number {
  return HC / energy;
}

/** Photon energy [J] from an energy in electronvolts [eV]. */
export function electronvoltsToJoules(eV: number): number {
  return eV * ELEMENTARY_CHARGE;
}

/**
 * Bragg angle 2θ [rad] of spacing d [m] at wavelength λ [m]; NaN when λ > 2d (no reflection).
 */
export function twoTheta(d: number, wavelength: number): number {
  const s = wavelength / (2 * d);
  return s <= 1 ? 2 * Math.asin(s) : Number.NaN;
}

/** Scattering vector magnitude Q = 2π/d [1/m]. */
export function scatteringVector(d: number): number {
  return (2 * Math.PI) / d;
}

/** c/a ratio [-] (≈ 4.9–5.0 for well-layered oxides; 4.899 = √24 for an ideal cubic close packing). */
export function cOverA(a: number, c: number): number {
  return c / a;
}

/** One row of a peak table. */
export interface PeakPosition {
  hkl: Hkl;
  /** Label such as "(104)". */
  label: string;
  /** d-spacing [m]. */
  d: number;
  /** Scattering vector Q = 2π/d [1/m]. */
  q: number;
  /** 2θ [rad] at the given wavelength (NaN when none given or λ > 2d). */
  twoTheta: number;
}

/**
 * d, Q and 2θ of reflections (default: the five R-3m reflections of seed 004).
 * @param a lattice parameter a [m]
 * @param c lattice parameter c [m]
 * @param wavelength X-ray wavelength [m] (optional)
 */
export function peakPositions(
  a: number,
  c: number,
  wavelength?: number,
  reflections: readonly Hkl[] = R3M_REFLECTIONS,
): PeakPosition[] {
  return reflections.map((hkl) => {
    const d = dSpacing(a, c, hkl);
    return {
      hkl,
      label: `(${hkl.join("")})`,
      d,
      q: scatteringVector(d),
      twoTheta: wavelength !== undefined ? twoTheta(d, wavelength) : Number.NaN,
    };
  });
}

/** Result of the cation-mixing check. */
export interface CationMixing {
  /** I(003)/I(104) [-]. */
  ratio: number;
  /** True when the ratio is below the threshold (Li/Ni mixing suspected). */
  mixed: boolean;
  threshold: number;
}

/**
 * Cation-mixing flag from integrated intensities of (003) and (104): I(003)/I(104) < 1.2
 * indicates undesirable Li+/Ni2+ mixing (Ohzuku, Ueda & Nagayama, J. Electrochem. Soc. 140
 * (1993) 1862; the usual criterion quoted for layered oxides, issue 7).
 * @param i003 intensity of (003) (any consistent unit)
 * @param i104 intensity of (104)
 */
export function cationMixing(i003: number, i104: number, threshold = 1.2): CationMixing {
  if (!(i003 >= 0) || !(i104 > 0))
    throw new InputError("invalid peak intensities", {
      field: "I(003)/I(104)",
      value: `${i003}/${i104}`,
      expected: "I(003) ≥ 0 and I(104) > 0",
    });
  const ratio = i003 / i104;
  return { ratio, mixed: ratio < threshold, threshold };
}
