/** Protocols: step types, parser and runner. */
export * from "./parse.js";
export * from "./runner.js";
export * from "./steps.js";
