/**
 * cathodelab: particle-scale electrochemistry, chemo-mechanics and imaging of layered-oxide
 * Li-ion cathodes (NMC111/333, 532, 622, 811, NCA).
 *
 * This entry is browser-safe (no `node:` imports); Node-only helpers that read or write files by
 * path are in `cathodelab/node`. Each area also has its own entry: `cathodelab/materials`,
 * `/protocol`, `/particle`, `/analysis`, `/imaging`, `/mechanics`, `/electrode`, `/io`, `/report`,
 * `/numerics`.
 *
 * Conventions (SPEC §1): SI units inside (m, s, mol, A, V, K, Pa); `x` is the Li fraction in
 * LiₓMO₂ (x = 1 pristine); positive current charges the cathode (delithiation).
 */
export * from "./analysis/index.js";
export * from "./constants.js";
export * from "./electrode/index.js";
export * from "./errors.js";
export * from "./imaging/index.js";
export * from "./io/index.js";
export * from "./materials/index.js";
export * from "./mechanics/index.js";
export * as numerics from "./numerics/index.js";
export * from "./particle/index.js";
export * from "./protocol/index.js";
export * from "./report/index.js";
export * from "./units.js";
