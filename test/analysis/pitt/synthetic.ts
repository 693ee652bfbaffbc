/** Synthetic multi-step PITT record (test helper shared by the analysis and CLI tests). */
import { pittCurrentSeries } from "../../../src/analysis/pitt/index.js";
import { FARADAY } from "../../../src/constants.js";

export const R = 5e-6;
export const VP = (4 / 3) * Math.PI * R ** 3;
export const STEPS = [
  { D: 1e-14, B: 1, dUdc: 2e-5 },
  { D: 2e-14, B: 3, dUdc: 1e-5 },
  { D: 4e-14, B: 8, dUdc: 5e-6 },
];
export const DV = 0.015; // V, seed 000's step

/**
 * A PITT record: +15 mV steps, each held for 10 τ of its own (b₁² ≥ 2.47 for B ≥ 1, so the
 * previous step's current has decayed by e^-24 and each step is its own transient);
 * ΔQ = ΔV·F·V_p/|∂U/∂c| (linear OCV over the step).
 */
export function pittRecord() {
  const t: number[] = [0, 100];
  const v: number[] = [4.0, 4.0];
  const c: number[] = [0, 0];
  let now = 100;
  let volts = 4.0;
  for (const s of STEPS) {
    volts += DV;
    const tau = (R * R) / s.D;
    const Q = (DV * FARADAY * VP) / s.dUdc;
    const rel = Float64Array.from({ length: 200 }, (_, i) => (10 * tau) ** (i / 199));
    const I = pittCurrentSeries(rel, { D: s.D, B: s.B, Q, radius: R });
    for (let i = 0; i < rel.length; i++) {
      t.push(now + rel[i]);
      v.push(volts);
      c.push(I[i]);
    }
    now += rel[rel.length - 1];
  }
  return { t, v, c };
}
