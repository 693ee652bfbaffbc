/**
 * Worker-thread entry for `cathodelab electrode --sweep`: receives an ElectrodeSpec, runs the
 * study and posts back its summary (or the error). No file I/O.
 */
import { parentPort } from "node:worker_threads";
import { InputError } from "../errors.js";
import { simulateElectrode } from "./simulate.js";
import { type ElectrodeSpec, studyOptionsFromSpec } from "./spec.js";

parentPort?.on("message", (msg: { id: number; spec: ElectrodeSpec }) => {
  const t0 = performance.now();
  try {
    const study = simulateElectrode(studyOptionsFromSpec(msg.spec));
    parentPort?.postMessage({
      id: msg.id,
      ok: true,
      summary: study.summary,
      wallSeconds: (performance.now() - t0) / 1000,
    });
  } catch (error) {
    const e = error as Error;
    parentPort?.postMessage({
      id: msg.id,
      ok: false,
      input: error instanceof InputError,
      message: e.message,
    });
  }
});
