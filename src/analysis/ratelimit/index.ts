/** Rate limits, Biot numbers and area corrections (seed 000 eqns 4, 6–8; SPEC §3.5). */

export {
  compositionGrid,
  type RateLimitMaterial,
  type RateLimitOptions,
  type RateLimitRow,
  rateLimitMap,
  rateLimitTable,
} from "./map.js";
export {
  areaCorrectedExchangeCurrentDensity,
  biotNumber,
  diffusionLimitedCRate,
  dUdcFromdUdx,
  exchangeCurrentFromBiot,
  interfacialLimitedCRate,
  type KineticRegime,
  kineticRegime,
  normalisedSurfaceToVolume,
  scaleBiotToRadius,
} from "./rate-limits.js";
