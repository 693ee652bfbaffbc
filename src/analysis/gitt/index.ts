/** GITT analysis: pulse segmentation and Weppner–Huggins diffusivities (SPEC §4). */

export { fitGittPulseFullModel, type GittFullModelOptions, type GittFullModelResult } from "./full-model.js";
export { type GittSegment, type SegmentOptions, segmentPulses } from "./segment.js";
export { analyzeGitt, type GittOptions, type GittPulse, type GittResult } from "./weppner-huggins.js";
