/**
 * Worker-thread task of `cathodelab electrode --sweep`, run on a piscina pool (cli/commands/
 * electrode.ts runSweep): one ElectrodeSpec in, its summary (or the error) out, with the wall
 * time of the run. No file I/O.
 */
import { InputError } from "../errors.js";
import { type ElectrodeSummary, simulateElectrode } from "./simulate.js";
import { type ElectrodeSpec, studyOptionsFromSpec } from "./spec.js";

export interface SweepReply {
  ok: boolean;
  summary?: ElectrodeSummary;
  /** Error message when !ok; `input` tells a bad-input error from a solver failure. */
  message?: string;
  input?: boolean;
  /** Wall time of the run [s] (timing.json, never the result tables). */
  wallSeconds?: number;
}

export default function runElectrodeSpec(spec: ElectrodeSpec): SweepReply {
  const t0 = performance.now();
  try {
    const study = simulateElectrode(studyOptionsFromSpec(spec));
    return { ok: true, summary: study.summary, wallSeconds: (performance.now() - t0) / 1000 };
  } catch (error) {
    return { ok: false, input: error instanceof InputError, message: (error as Error).message };
  }
}
