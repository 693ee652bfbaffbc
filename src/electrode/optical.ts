/**
 * Virtual optical intensity of a particle (seed 003, Fig. 1: the normalised reflected-light
 * intensity (R+G+B)/765 of an NMC532 particle rises as it delithiates, "an increase in
 * intensity is directly proportional to a decrease in Li concentration").
 *
 *   I(x) = I_pristine + (I_charged − I_pristine)·(x_pristine − x)/(x_pristine − x_charged)
 *
 * linear in the surface Li fraction (reflectance probes the outer ~100 nm), not clamped, so
 * it is strictly monotone in x. Defaults I_pristine = 0.30 and I_charged = 0.45 are of the
 * order of seed 003 Fig. 1a's normalised intensities (assumption; only the monotone shape
 * matters for onset and synchrony analysis, which is invariant to a linear recalibration).
 */
export interface OpticalCalibration {
  /** Normalised intensity of the pristine state (x = xPristine) [-] (default 0.30). */
  pristine?: number;
  /** Normalised intensity of the charged state (x = xCharged) [-] (default 0.45). */
  charged?: number;
  /** Li fraction of the pristine reference (default 1). */
  xPristine?: number;
  /** Li fraction of the charged reference (default 0.335, NMC532 at 4.3 V). */
  xCharged?: number;
}

/** I(x) [-] for one Li fraction. */
export function opticalIntensity(x: number, calibration: OpticalCalibration = {}): number {
  const i0 = calibration.pristine ?? 0.3;
  const i1 = calibration.charged ?? 0.45;
  const x0 = calibration.xPristine ?? 1;
  const x1 = calibration.xCharged ?? 0.335;
  return i0 + ((i1 - i0) * (x0 - x)) / (x0 - x1);
}

/** Map an array of Li fractions to intensities (new Float32Array of the same length). */
export function opticalIntensities(x: ArrayLike<number>, calibration: OpticalCalibration = {}): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = opticalIntensity(x[i], calibration);
  return out;
}
