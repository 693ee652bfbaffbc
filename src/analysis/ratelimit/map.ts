/**
 * Rate-limit tables and regime maps for a material over composition and particle radius
 * (seed 000 Fig. 6: B vs OCV scaled to other radii; C_j and C_D vs OCV for 10 µm particles).
 */
import { T_REF } from "../../constants.js";
import type { Material } from "../../materials/material.js";
import {
  biotNumber,
  diffusionLimitedCRate,
  dUdcFromdUdx,
  interfacialLimitedCRate,
  type KineticRegime,
  kineticRegime,
} from "./rate-limits.js";

/** The material properties the rate-limit maps need. */
export type RateLimitMaterial = Pick<
  Material,
  | "name"
  | "openCircuitPotential"
  | "openCircuitPotentialDerivative"
  | "chemicalDiffusivity"
  | "exchangeCurrentDensity"
  | "maxConcentration"
  | "volumetricCapacity"
  | "nominalWindow"
>;

export interface RateLimitRow {
  /** Li fraction x [-]. */
  x: number;
  /** SOC over the nominal window [-]. */
  soc: number;
  /** Open-circuit potential [V]. */
  ocv: number;
  /** Chemical diffusivity [m²/s]. */
  diffusivity: number;
  /** Exchange current density [A/m²]. */
  exchangeCurrentDensity: number;
  /** |∂U/∂c| [V·m³/mol]. */
  dUdc: number;
  /** Particle radius [m]. */
  radius: number;
  /** Biot number [-]. */
  biot: number;
  regime: KineticRegime;
  /** Interfacially limited C-rate [1/h]. */
  cRateInterfacial: number;
  /** Diffusion-limited C-rate [1/h]. */
  cRateDiffusion: number;
  /** The lower of the two [1/h] and which one it is. */
  cRateMax: number;
  limitedBy: "interface" | "diffusion";
}

export interface RateLimitOptions {
  /** Particle radius [m]. */
  radius: number;
  /** Acceptable overpotential η [V] (seed 000 uses 0.1). */
  overpotential: number;
  /** Li fractions to tabulate (default 21 points over the nominal window). */
  x?: readonly number[];
  /** Temperature [K]. */
  temperature?: number;
}

/** Default composition grid: `n` points from xMax down to xMin (charge direction). */
export function compositionGrid(material: Pick<Material, "nominalWindow">, n = 21): number[] {
  const { xMin, xMax } = material.nominalWindow;
  return Array.from({ length: n }, (_, i) => xMax - ((xMax - xMin) * i) / (n - 1));
}

/** One row per composition: OCV, D, i0, |∂U/∂c|, B, C_j, C_D (seed 000 eqns 4, 6–8). */
export function rateLimitTable(material: RateLimitMaterial, options: RateLimitOptions): RateLimitRow[] {
  const T = options.temperature ?? T_REF;
  const xs = options.x ?? compositionGrid(material);
  const r = options.radius;
  const { xMin, xMax } = material.nominalWindow;
  return xs.map((x) => {
    const D = material.chemicalDiffusivity(x, T);
    const i0 = material.exchangeCurrentDensity(x, undefined, T);
    const dUdc = Math.abs(
      dUdcFromdUdx(material.openCircuitPotentialDerivative(x), material.maxConcentration),
    );
    const biot = biotNumber(r, i0, dUdc, D, T);
    const cj = interfacialLimitedCRate(i0, options.overpotential, 3 / r, material.volumetricCapacity, T);
    const cd = diffusionLimitedCRate(D, r);
    return {
      x,
      soc: (xMax - x) / (xMax - xMin),
      ocv: material.openCircuitPotential(x),
      diffusivity: D,
      exchangeCurrentDensity: i0,
      dUdc,
      radius: r,
      biot,
      regime: kineticRegime(biot),
      cRateInterfacial: cj,
      cRateDiffusion: cd,
      cRateMax: Math.min(cj, cd),
      limitedBy: cj <= cd ? "interface" : "diffusion",
    };
  });
}

/** Regime map over radii × compositions: one table per radius (seed 000 Fig. 6a scaling). */
export function rateLimitMap(
  material: RateLimitMaterial,
  radii: readonly number[],
  options: Omit<RateLimitOptions, "radius">,
): { radius: number; rows: RateLimitRow[] }[] {
  return radii.map((radius) => ({ radius, rows: rateLimitTable(material, { ...options, radius }) }));
}
