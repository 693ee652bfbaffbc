/** The virtual seed-000 single-particle kinetics study. */
export * from "./virtual-study.js";
