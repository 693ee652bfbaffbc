/**
 * Li content from lattice parameters: invert the material's a(x), c(x) (src/materials, REFERENCE
 * §2) per voxel by least squares on BOTH parameters over x in the material's valid range:
 *   x̂ = argmin_x  [w_a·(a(x) − a)/a]² + [w_c·(c(x) − c)/c]²
 * (residuals as strains, so that a and c weigh by their relative precision; weights default 1).
 * c(x) is not monotone (it peaks near x ≈ 0.4–0.5 and collapses at high SOC), a(x) nearly flat
 * below x ≈ 0.3, so neither alone is invertible everywhere; together they are over most of
 * the range. Method: scan a table of the functions on a uniform x grid (default 257 points),
 * then Gauss–Newton steps on the material functions inside the neighbouring grid interval
 * (accepted only when the cost falls). The residual r = sqrt(cost/2) (RMS strain misfit) is
 * reported per voxel: a large residual means (a, c) is not on the material's curve (other
 * composition, strain, or a bad fit).
 */

import type { Material } from "../../materials/material.js";

/**
 * Why a lattice → Li-content map is not a measurement of Li loss (seed 004, Daemi et al. 2020):
 * "the correlation of the exact amount of lithium to the lattice parameter cannot be determined
 * due to a lack of in situ data and the aforementioned degradation mechanisms" (cracking, loss
 * of active material, moisture ingress, electrolyte oxidation at high voltage). The a(x), c(x)
 * curves are those of pristine material on first charge; on cycled electrodes both lattice
 * parameters shift for reasons other than Li content, which shows as a disagreement between
 * the Li content implied by a alone and by c alone (`mismatch`).
 */
export const LI_CONTENT_CAVEAT =
  "Li content from lattice parameters is NOT a measurement of Li loss on cycled electrodes: seed 004 (Daemi 2020) states that the correlation of the exact amount of Li to the lattice parameter cannot be determined without in-situ data, because cracking, active-material loss and other degradation also shift a and c; the x(a) vs x(c) mismatch shows where the pristine a(x), c(x) curves do not describe the data";

export interface LiContentOptions {
  /** Voxels to invert (non-zero); others get NaN. Default: all with finite a and c. */
  mask?: ArrayLike<number>;
  /** Weight of the a residual (default 1). */
  weightA?: number;
  /** Weight of the c residual (default 1). */
  weightC?: number;
  /** Grid points for the initial scan (default 257). */
  gridPoints?: number;
  /** x range searched (default: the material's validRange). */
  range?: readonly [number, number];
}

export interface LiContentResult {
  /** Li fraction x per voxel [-] (NaN outside the mask or for non-finite input). */
  x: Float64Array;
  /** RMS strain residual sqrt(½[(Δa/a)² + (Δc/c)²]) per voxel [-] (unweighted). */
  residual: Float64Array;
  /** a(x̂) − a per voxel [m]. */
  residualA: Float64Array;
  /** c(x̂) − c per voxel [m]. */
  residualC: Float64Array;
  /** Voxels whose optimum sits on an end of the range (possibly outside the material's curve). */
  atBound: number;
  /**
   * Li fraction implied by a alone and by c alone [-] (the solution of a(x) = a, resp. c(x) = c,
   * nearest the joint x̂; the closest point of the curve when the value is off it), and their
   * disagreement |x_a − x_c| [-]. On material that follows the curves the mismatch is ≈ 0.
   */
  xFromA: Float64Array;
  xFromC: Float64Array;
  mismatch: Float64Array;
  /** LI_CONTENT_CAVEAT: the map is not a measurement of Li loss (seed 004). */
  caveat: string;
}

/**
 * x on a uniform grid table g(x) that solves g(x) = v nearest to `near`: linear interpolation in
 * every grid interval that brackets v; if none does, the grid point with the smallest |g − v|.
 */
function solveNearest(gx: Float64Array, g: Float64Array, v: number, near: number): number {
  let best = Number.NaN;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let k = 0; k + 1 < gx.length; k++) {
    const d0 = g[k] - v;
    const d1 = g[k + 1] - v;
    if ((d0 <= 0 && d1 >= 0) || (d0 >= 0 && d1 <= 0)) {
      const t = d0 === d1 ? 0.5 : d0 / (d0 - d1);
      const x = gx[k] + t * (gx[k + 1] - gx[k]);
      const dist = Math.abs(x - near);
      if (dist < bestDistance) {
        bestDistance = dist;
        best = x;
      }
    }
  }
  if (Number.isFinite(best)) return best;
  let kMin = 0;
  for (let k = 1; k < gx.length; k++) if (Math.abs(g[k] - v) < Math.abs(g[kMin] - v)) kMin = k;
  return gx[kMin];
}

/**
 * Invert lattice maps to Li content.
 * @param material supplies latticeA(x), latticeC(x) [m]
 * @param a lattice parameter a per voxel [m]
 * @param c lattice parameter c per voxel [m]
 */
export function latticeToLiContent(
  material: Material,
  a: ArrayLike<number>,
  c: ArrayLike<number>,
  options: LiContentOptions = {},
): LiContentResult {
  const n = a.length;
  if (c.length !== n) throw new RangeError(`a has ${n} voxels, c has ${c.length}`);
  const [lo, hi] = options.range ?? material.validRange;
  const m = Math.max(3, options.gridPoints ?? 257);
  const wa = options.weightA ?? 1;
  const wc = options.weightC ?? 1;
  const gx = new Float64Array(m);
  const ga = new Float64Array(m);
  const gc = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    gx[k] = lo + ((hi - lo) * k) / (m - 1);
    ga[k] = material.latticeA(gx[k]);
    gc[k] = material.latticeC(gx[k]);
  }
  const out: LiContentResult = {
    x: new Float64Array(n).fill(Number.NaN),
    residual: new Float64Array(n).fill(Number.NaN),
    residualA: new Float64Array(n).fill(Number.NaN),
    residualC: new Float64Array(n).fill(Number.NaN),
    atBound: 0,
    xFromA: new Float64Array(n).fill(Number.NaN),
    xFromC: new Float64Array(n).fill(Number.NaN),
    mismatch: new Float64Array(n).fill(Number.NaN),
    caveat: LI_CONTENT_CAVEAT,
  };
  const h = 1e-6 * (hi - lo);
  for (let i = 0; i < n; i++) {
    if (options.mask && !options.mask[i]) continue;
    const ai = a[i];
    const ci = c[i];
    if (!(Number.isFinite(ai) && Number.isFinite(ci) && ai > 0 && ci > 0)) continue;
    const sa = wa / ai;
    const sc = wc / ci;
    let best = 0;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let k = 0; k < m; k++) {
      const ra = (ga[k] - ai) * sa;
      const rc = (gc[k] - ci) * sc;
      const cost = ra * ra + rc * rc;
      if (cost < bestCost) {
        bestCost = cost;
        best = k;
      }
    }
    // Gauss–Newton on the true functions inside [x_{k−1}, x_{k+1}]
    const xl = gx[Math.max(0, best - 1)];
    const xh = gx[Math.min(m - 1, best + 1)];
    let x = gx[best];
    let fa = ga[best];
    let fc = gc[best];
    for (let it = 0; it < 8; it++) {
      const xp = Math.min(x + h, hi);
      const xm = Math.max(x - h, lo);
      const da = (material.latticeA(xp) - material.latticeA(xm)) / (xp - xm);
      const dc = (material.latticeC(xp) - material.latticeC(xm)) / (xp - xm);
      const ra = (fa - ai) * sa;
      const rc = (fc - ci) * sc;
      const ja = da * sa;
      const jc = dc * sc;
      const jj = ja * ja + jc * jc;
      if (!(jj > 0)) break;
      let xn = x - (ja * ra + jc * rc) / jj;
      if (xn < xl) xn = xl;
      if (xn > xh) xn = xh;
      const fan = material.latticeA(xn);
      const fcn = material.latticeC(xn);
      const ran = (fan - ai) * sa;
      const rcn = (fcn - ci) * sc;
      const cn = ran * ran + rcn * rcn;
      if (!(cn < bestCost)) break;
      const step = Math.abs(xn - x);
      x = xn;
      fa = fan;
      fc = fcn;
      bestCost = cn;
      if (step < 1e-13) break;
    }
    out.x[i] = x;
    out.residualA[i] = fa - ai;
    out.residualC[i] = fc - ci;
    const ea = (fa - ai) / ai;
    const ec = (fc - ci) / ci;
    out.residual[i] = Math.sqrt(0.5 * (ea * ea + ec * ec));
    if (x <= lo || x >= hi) out.atBound++;
    const xa = solveNearest(gx, ga, ai, x);
    const xc = solveNearest(gx, gc, ci, x);
    out.xFromA[i] = xa;
    out.xFromC[i] = xc;
    out.mismatch[i] = Math.abs(xa - xc);
  }
  return out;
}
