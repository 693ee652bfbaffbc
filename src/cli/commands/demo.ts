/**
 * `cathodelab demo` (`npm run demo`): the project's main job. The virtual version of the
 * seed-000 single-particle experiment (Tsai et al., EES 2018) on a 26.5 µm NMC333 particle:
 * C/20 step charge to 3.8 … 4.8 V with relaxations and EIS at each relaxed OCV, discharge
 * steps with EIS and +15 mV PITT, fits of j0, D and B, Biot numbers and C-rate limits, and a
 * self-check of the recovered quantities against the material's own functions.
 */
import { runVirtualStudy } from "../../analysis/study/index.js";
import { OutputDir } from "../../io/output-dir.js";
import { getMaterial } from "../../materials/index.js";
import { type Command, parseOptions, stringOption } from "../command.js";
import { ProgressBar } from "../progress.js";
import { studySummaryText, writeStudyOutputs } from "./study.js";

const HELP = `Usage: cathodelab demo [--out DIR] [--force]

Runs the virtual seed-000 study (cathodelab study --material NMC333 --radius 13.25um) and
writes its tables, figures and report.html to DIR (default demo-output).

Options:
  --out DIR     output folder (default demo-output)
  --force       replace an earlier demo output folder

Example:
  cathodelab demo --out demo-output --force`;

const OPTIONS = { out: { type: "string" }, force: { type: "boolean" } } as const;

export const command: Command = {
  name: "demo",
  summary: "the project's main job: the virtual seed-000 study of a 26.5 µm NMC333 particle",
  help: HELP,
  options: OPTIONS,
  async run(argv, ctx) {
    const { values } = parseOptions(argv, OPTIONS, false);
    const outDir = stringOption(values, "out") ?? "demo-output";
    const out = OutputDir.open(outDir, { force: values.force === true });
    try {
      const bar = new ProgressBar("virtual study", ctx.stderr, ctx.isTTY);
      const started = performance.now();
      const result = runVirtualStudy({
        material: getMaterial("NMC333"),
        radius: 13.25e-6,
        onProgress: (f, stage) => bar.update(f, stage),
      });
      const elapsed = performance.now() - started;
      bar.finish();
      writeStudyOutputs(out, result, ["cathodelab", "demo", ...argv]);
      out.commit();
      ctx.stdout(
        "Virtual seed-000 single-particle study (Tsai et al., EES 2018): NMC333, 26.5 µm diameter\n",
      );
      ctx.stdout(studySummaryText(result));
      ctx.stdout(
        `\ncomputed in ${(elapsed / 1000).toFixed(2)} s; wrote ${out.files.length} files to ${out.target} (open report.html)\n`,
      );
      return 0;
    } catch (error) {
      out.abort();
      throw error;
    }
  },
};
