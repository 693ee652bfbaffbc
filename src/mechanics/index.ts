/**
 * Chemo-mechanics of polycrystalline cathode particles (SPEC §3.7, seeds 000/001/004): lattice
 * strain from a(x), c(x); closed-form stresses of spheres and grains; seeded 2D/3D Voronoi
 * polycrystals with binder shells; linear elasticity on a voxel grid with multigrid-preconditioned
 * CG; AT2 phase-field fracture; the charge-driven fracture run. SI units: m, Pa, J/m².
 */
export * from "./analytic-stress.js";
export * from "./elasticity.js";
export * from "./fracture-run.js";
export * from "./lattice-strain.js";
export * from "./phase-field.js";
export * from "./polycrystal.js";
export { fieldSlice, type SliceImage, slicePng, vtiImage } from "./render.js";
export * from "./transport.js";
