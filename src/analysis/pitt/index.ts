/** PITT analysis: series, closed forms and fits (SPEC §3.4, REFERENCE §4, seed 000). */
export { type PittGeometry, pittEigenvalue, pittEigenvalues } from "./eigenvalues.js";
export {
  type FitPittOptions,
  type FittedQuantity,
  fitPitt,
  type PittFitResult,
  PittModel,
  type PittRegime,
  pittRegime,
} from "./fit.js";
export {
  fitPittRecord,
  type PittRecordOptions,
  type PittStepResult,
  type PittStepSegment,
  segmentPittSteps,
} from "./record.js";
export {
  geometryFactor,
  type PittMethod,
  type PittParameters,
  PittSeries,
  pittChargeSeries,
  pittCurrentSeries,
  pittDimensionlessCurrent,
  SHORT_TIME_SWITCH,
} from "./series.js";
export {
  pittLongTimeTerm,
  pittSeed000ShortTime,
  pittShortTimeDimensionless,
  pittShortTimeSTimesDerivative,
} from "./short-time.js";
