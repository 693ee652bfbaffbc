/**
 * `cathodelab demo` (`npm run demo`): the project's main job. A virtual version of the
 * seed-000 single-particle experiment (Tsai et al., EES 2018): a 26.5 µm NMC333 particle is
 * charged at C/20 in steps to 3.8, 3.9 … 4.8 V, each followed by a rest until
 * |dV/dt| < 3 mV/h or 3 h, and the relaxed OCV after every step is tabulated.
 */
import { toCsv } from "../../io/csv.js";
import { OutputDir } from "../../io/output-dir.js";
import { getMaterial } from "../../materials/index.js";
import { simulateParticle } from "../../particle/simulate.js";
import { parseProtocol } from "../../protocol/parse.js";
import { type Command, parseOptions, stringOption } from "../command.js";
import { ProgressBar } from "../progress.js";
import { summaryText, writeSimulationOutputs } from "./simulate.js";

/** The seed-000 step-charge protocol text. */
export function stepChargeProtocolText(cutoffs: number[] = [3.8, 3.9, 4.0, 4.1, 4.2, 4.3, 4.4, 4.5, 4.6, 4.7, 4.8]): string {
  return cutoffs
    .map((v) => `Charge at C/20 until ${v.toFixed(2)} V\nRest for 3 h or until dV/dt < 3 mV/h`)
    .join("\n");
}

const HELP = `Usage: cathodelab demo [--out DIR] [--force] [--json]

Runs the seed-000-style step charge of a 26.5 µm NMC333 particle (C/20 steps to 3.8 … 4.8 V,
each followed by a rest until |dV/dt| < 3 mV/h or 3 h) and prints the relaxed OCV table.
Writes timeseries.csv, steps.csv, relaxed_ocv.csv, summary.json and voltage.svg to DIR
(default demo-output).`;

export const command: Command = {
  name: "demo",
  summary: "the project's main job: a seed-000 step charge of a virtual NMC333 particle",
  help: HELP,
  async run(argv, ctx) {
    const { values } = parseOptions(argv, { out: { type: "string" }, force: { type: "boolean" }, json: { type: "boolean" } }, false);
    const outDir = stringOption(values, "out") ?? "demo-output";
    const text = stepChargeProtocolText();
    const protocol = parseProtocol(text, { file: "demo protocol" });
    const out = OutputDir.open(outDir, { force: values.force === true });
    try {
      const material = getMaterial("NMC333");
      const bar = new ProgressBar("step charge", ctx.stderr, ctx.isTTY);
      const started = performance.now();
      const result = simulateParticle({ material, radius: 13.25e-6 }, protocol, {
        onProgress: (f, _i, t) => bar.update(f, `t = ${(t / 3600).toFixed(1)} h`),
      });
      bar.finish();
      const elapsed = performance.now() - started;
      const rests = result.run.steps.filter((s) => s.type === "rest");
      const rows = rests.map((s, k) => ({
        step: k + 1,
        cutoff_V: 3.8 + 0.1 * k,
        relaxed_voltage_V: s.endVoltage,
        x_mean: s.endMeanLithiumFraction,
        ocv_of_x_mean_V: material.openCircuitPotential(s.endMeanLithiumFraction),
        rest_h: (s.endTime - s.startTime) / 3600,
        rest_ended_by: s.reason,
      }));
      writeSimulationOutputs(out, result, { command: ["cathodelab", "demo", ...argv], protocol: text });
      out.write(
        "relaxed_ocv.csv",
        toCsv(["step", "cutoff_V", "relaxed_voltage_V", "x_mean", "ocv_of_x_mean_V", "rest_h", "rest_ended_by"], rows),
      );
      out.commit();
      if (values.json === true) {
        ctx.stdout(`${JSON.stringify({ summary: result.summary, relaxedOcv: rows, elapsedMs: elapsed }, null, 2)}\n`);
        return 0;
      }
      ctx.stdout("Virtual seed-000 step charge: NMC333, 26.5 µm diameter, C/20 steps to 3.8 … 4.8 V with rests\n");
      ctx.stdout(summaryText(result));
      ctx.stdout("\n  step  cut-off  relaxed V  x_mean   U(x_mean)  rest    ended by\n");
      for (const r of rows) {
        ctx.stdout(
          `  ${String(r.step).padStart(4)}  ${r.cutoff_V.toFixed(2)} V   ${r.relaxed_voltage_V.toFixed(4)} V  ${r.x_mean.toFixed(4)}  ${r.ocv_of_x_mean_V.toFixed(4)} V  ${r.rest_h.toFixed(2)} h  ${r.rest_ended_by}\n`,
        );
      }
      ctx.stdout(`\ncomputed in ${elapsed.toFixed(0)} ms; wrote ${out.files.length} files to ${out.target}\n`);
      return 0;
    } catch (error) {
      out.abort();
      throw error;
    }
  },
};
