/** Relaxed OCV tables and smoothed dU/dx (SPEC §4, seed 000 Fig. 2a). */
export { type OcvCurve, type OcvCurveOptions, ocvCurve } from "./derivative.js";
export {
  fitExponentialRelaxation,
  fitSqrtTail,
  type RelaxationExtrapolation,
  type RelaxedOcvOptions,
  type RelaxedOcvPoint,
  relaxedOcvTable,
} from "./relaxed-ocv.js";
