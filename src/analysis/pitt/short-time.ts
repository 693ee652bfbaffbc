/**
 * Short- and long-time closed forms of the PITT current (REFERENCE §4).
 *
 * Short time, sphere (u = r·c turns the sphere into a half-line with Robin coefficient
 * (B − 1)/L, which is the semi-infinite "surface evaporation" problem of Crank 1975 §3.3):
 *   I ≈ F·S·k·Δc/(B − 1)·[B·erfcx((B − 1)√(D t)/L) − 1]
 *   ⇒ j = I·L/(F·S·D·Δc) = B/(B − 1)·[B·erfcx((B − 1)√s) − 1]
 *   B = 1: j = 1 − 2√(s/π) + …  (the limit of the bracket, expanded to O((B−1)²))
 * Short time, planar film (semi-infinite solid with surface evaporation, Crank 1975 §3.3):
 *   j = B·erfcx(B√s)
 * The neglected reflection from the centre (or the back face) is of order exp(−1/s): at
 * s ≤ 0.02 the closed forms equal the series to round-off.
 *
 * erfcx(z) = exp(z²)·erfc(z) keeps the product finite where exp(z²) alone would overflow
 * (SPEC §3.4).
 */
import { erfc, erfcx } from "../../numerics/special.js";
import type { PittGeometry } from "./eigenvalues.js";
import { pittEigenvalue } from "./eigenvalues.js";

/**
 * Short-time dimensionless current j(s) (module doc).
 * @param s dimensionless time D·t/L² [-], ≥ 0
 * @param biot Biot number [-]
 */
export function pittShortTimeDimensionless(
  s: number,
  biot: number,
  geometry: PittGeometry = "sphere",
): number {
  const B = biot;
  const rs = Math.sqrt(Math.max(s, 0));
  if (geometry === "planar") return B * erfcx(B * rs);
  const e = B - 1;
  if (Math.abs(e) < 1e-6) {
    // (1+ε)·erfcx(ε√s) − 1 = ε(1 − a) + ε²(s − a) + O(ε³), a = 2√(s/π)
    const a = (2 * rs) / Math.sqrt(Math.PI);
    return B * (1 - a + e * (s - a));
  }
  return (B / e) * (B * erfcx(e * rs) - 1);
}

/**
 * Seed 000 eqn 5 (the short-time solution used in the literature, refs 41–42 there), sphere,
 * in dimensionless form with the image terms from the centre:
 *   j = −B/(B−1)·(1 − erfc(1/√s)) + B²/(B−1)·erfcx((B−1)√s)
 *       + (B² − 2B)/(B−1)·exp(2(B−1) + s(B−1)²)·erfc(1/√s + (B−1)√s)
 * (the seed prints an overall minus sign for its charge convention; with ΔQ > 0 for a positive
 * current, j(0⁺) = B). The last product is evaluated as exp(−1/s)·erfcx(1/√s + (B−1)√s), since
 * (1/√s + (B−1)√s)² = 1/s + 2(B−1) + s(B−1)². It equals the series to 1e-9 for s ≤ 0.05 and
 * stays closer than the one-term form at longer times (tested).
 */
export function pittSeed000ShortTime(s: number, biot: number): number {
  const B = biot;
  if (Math.abs(B - 1) < 5e-7) {
    // the expression is smooth in B but 0/0 at B = 1: average the two sides
    return 0.5 * (pittSeed000ShortTime(s, 1 - 1e-6) + pittSeed000ShortTime(s, 1 + 1e-6));
  }
  if (s <= 0) return B;
  const e = B - 1;
  const rs = Math.sqrt(s);
  const w = 1 / rs + e * rs;
  return (
    (-B / e) * (1 - erfc(1 / rs)) +
    ((B * B) / e) * erfcx(e * rs) +
    ((B * B - 2 * B) / e) * Math.exp(-1 / s) * erfcx(w)
  );
}

/**
 * s·dj/ds of the short-time form: B²·√s·(z·erfcx(z) − 1/√π) with z = (B − 1)√s (sphere) or
 * z = B√s (planar), from erfcx′(z) = 2z·erfcx(z) − 2/√π.
 */
export function pittShortTimeSTimesDerivative(
  s: number,
  biot: number,
  geometry: PittGeometry = "sphere",
): number {
  const rs = Math.sqrt(Math.max(s, 0));
  const z = (geometry === "planar" ? biot : biot - 1) * rs;
  return biot * biot * rs * (z * erfcx(z) - 1 / Math.sqrt(Math.PI));
}

/**
 * Long-time one-term form: j ≈ 2·B²/(b₁² + B² ∓ B)·exp(−b₁² s) (− for the sphere, + planar).
 * Returns { amplitude: 2B²/(b₁² + B² ∓ B), rate: b₁² } in dimensionless units, so that
 * ln I = ln(g·ΔQ·D/L²·amplitude) − rate·D·t/L². Used for starting guesses only: the ratio of
 * amplitude to rate varies little with B (REFERENCE §4).
 */
export function pittLongTimeTerm(
  biot: number,
  geometry: PittGeometry = "sphere",
): { amplitude: number; rate: number } {
  const b1 = pittEigenvalue(geometry, biot, 1);
  const b2 = b1 * b1;
  const shift = geometry === "sphere" ? biot * biot - biot : biot * biot + biot;
  return { amplitude: (2 * biot * biot) / (b2 + shift), rate: b2 };
}
