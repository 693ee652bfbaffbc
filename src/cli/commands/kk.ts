/**
 * `cathodelab kk FILE`: linear Kramers–Kronig test (Schönleber et al. 2014) of impedance
 * spectra, with the residuals, the verdict and a residual plot.
 */
import { basename } from "node:path";
import { type LinKKResult, linKK } from "../../analysis/eis/linkk.js";
import { InputError } from "../../errors.js";
import { columnsToCsv, toJson } from "../../io/csv.js";
import { readerFlags } from "../../io/instruments/column-spec.js";
import type { ImpedanceSpectrum } from "../../io/instruments/index.js";
import { readImpedanceFile } from "../../io/instruments/node.js";
import { OutputDir } from "../../io/output-dir.js";
import { renderPlot } from "../../report/svg-plot.js";
import { parseQuantity } from "../../units.js";
import { type Command, integerOption, parseOptions, stringOption } from "../command.js";

const OPTIONS = {
  spectrum: { type: "string" },
  columns: { type: "string" },
  decimal: { type: "string" },
  threshold: { type: "string" },
  mu: { type: "string" },
  capacitance: { type: "string" },
  "no-inductance": { type: "boolean" },
  "max-m": { type: "string" },
  "fit-type": { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
  force: { type: "boolean" },
} as const;

const HELP = `Usage: cathodelab kk FILE [options]

Linear Kramers-Kronig test (lin-KK, Schönleber, Klotz & Ivers-Tiffée, Electrochim. Acta 131
(2014) 20): fits R_ohm + M RC elements (tau log-spaced over the measured range) [+ L] [+ C]
by linear least squares, grows M until mu = 1 - sum|R_k<0|/sum|R_k>=0| < 0.85, and reports the
residuals (Z - Z_KK)/|Z|. PASS when every residual is within the threshold.

Options:
  --spectrum N|all      which spectrum of a multi-spectrum file (default all)
  --columns MAP         map columns of a table by hand, with units the header lacks:
                        frequency=Freq(kHz),zreal=Re,zimag=Im(Ohm) (or #k for the k-th column)
  --decimal , | .       decimal separator of a text table (default: detected; "," needs ";" or
                        tab between fields)
  --threshold X         pass level on max |residual|, e.g. 0.5% or 0.005 (default 0.5%)
  --mu C                mu cutoff (default 0.85)
  --capacitance auto|yes|no   series capacitance in the KK model (default auto: the better fit)
  --no-inductance       leave the series inductance out
  --max-m M             largest number of RC elements, 1 to 1000 (default min(N, 100))
  --fit-type T          complex (default), real (fit Re, predict Im) or imag
  --out DIR             write kk.csv (residuals), kk.json (verdict, M, mu) and kk.svg
                        (one sub-folder per spectrum when there are several)
  --force               replace a non-empty --out directory
  --json                print the results as JSON on stdout

Exit code 0 whether the data pass or fail the test (the verdict is in the output).

Example:
  cathodelab kk examples/eis.csv --out kk1`;

function summary(r: LinKKResult, s: ImpedanceSpectrum, file: string) {
  return {
    file,
    spectrum: s.label ?? null,
    points: s.frequency.length,
    verdict: r.verdict,
    pass: r.pass,
    threshold: r.threshold,
    maxResidual: r.maxResidual,
    rmsResidual: r.rmsResidual,
    M: r.M,
    mu: r.mu,
    muReached: r.muReached,
    rOhm_Ohm: r.rOhm,
    inductance_H: r.inductance,
    capacitance_F: r.capacitance,
    doubleM: r.doubleM,
    maxResidualDoubleM: r.maxResidualDoubleM,
  };
}

function residualPlot(r: LinKKResult, s: ImpedanceSpectrum, title: string): string {
  const pct = (a: Float64Array) => Array.from(a, (v) => 100 * v);
  const f = s.frequency;
  const band = [f[0], f[f.length - 1]];
  const t = 100 * r.threshold;
  return renderPlot(
    [
      { label: "Re residual", x: f, y: pct(r.residualReal), style: "both" },
      { label: "Im residual", x: f, y: pct(r.residualImag), style: "both" },
      { label: `±${t.toPrecision(2)} % threshold`, x: band, y: [t, t], color: "#9498a0", dash: "4 3" },
      { label: "", x: band, y: [-t, -t], color: "#9498a0", dash: "4 3" },
    ],
    {
      title: `${title}: lin-KK residuals (${r.pass ? "PASS" : "FAIL"}, M = ${r.M})`,
      xLabel: "f / Hz",
      yLabel: "(Z - Z_KK)/|Z| / %",
      xScale: "log",
    },
  );
}

export const command: Command = {
  name: "kk",
  summary: "Kramers-Kronig (lin-KK) validity test of impedance spectra",
  help: HELP,
  options: OPTIONS,
  async run(argv, ctx) {
    const { values, positionals } = parseOptions(argv, OPTIONS);
    if (positionals.length !== 1) {
      throw new InputError(positionals.length === 0 ? "missing impedance FILE" : "more than one FILE given", {
        field: "FILE",
        expected: "one impedance file (.mpt, .mpr, .DTA, .z, .csv)",
      });
    }
    const file = positionals[0];
    const thresholdText = stringOption(values, "threshold");
    const threshold =
      thresholdText === undefined
        ? 0.005
        : parseQuantity(thresholdText, "dimensionless", { field: "--threshold", positive: true });
    const muText = stringOption(values, "mu");
    const muCutoff = muText === undefined ? 0.85 : Number(muText);
    if (!(muCutoff > 0 && muCutoff < 1)) {
      throw new InputError("mu cutoff must lie between 0 and 1", {
        field: "--mu",
        value: String(muText),
        expected: "e.g. 0.85",
      });
    }
    const capText = stringOption(values, "capacitance") ?? "auto";
    const capacitance = ({ auto: "auto", yes: true, no: false } as const)[capText as "auto" | "yes" | "no"];
    if (capacitance === undefined) {
      throw new InputError(`unknown --capacitance "${capText}"`, {
        field: "--capacitance",
        value: capText,
        expected: "auto, yes or no",
      });
    }
    const maxM = integerOption(values, "max-m", 1, 1000);

    const fitType = stringOption(values, "fit-type") ?? "complex";
    if (fitType !== "complex" && fitType !== "real" && fitType !== "imag") {
      throw new InputError(`unknown --fit-type "${fitType}"`, {
        field: "--fit-type",
        value: fitType,
        expected: "complex, real or imag",
      });
    }

    const all = readImpedanceFile(
      file,
      readerFlags(stringOption(values, "columns"), stringOption(values, "decimal")),
    );
    if (all.length === 0) throw new InputError("no impedance spectrum in the file", { file });
    for (const note of new Set(all.flatMap((s) => s.notes ?? []))) ctx.stderr(`note: ${file}: ${note}\n`);
    const which = stringOption(values, "spectrum") ?? "all";
    let chosen: ImpedanceSpectrum[];
    if (which === "all") chosen = all;
    else {
      const n = Number(which);
      if (!Number.isInteger(n) || n < 1 || n > all.length) {
        throw new InputError(`no spectrum ${which}`, {
          field: "--spectrum",
          value: which,
          expected: `1…${all.length} or all`,
        });
      }
      chosen = [all[n - 1]];
    }
    const results = chosen.map((s, i) => {
      try {
        return linKK(s.frequency, s.zReal, s.zImag, {
          threshold,
          muCutoff,
          capacitance,
          inductance: values["no-inductance"] !== true,
          maxM,
          fitType,
        });
      } catch (error) {
        return InputError.at(error, { file, field: `spectrum ${i + 1}` });
      }
    });

    const outDir = stringOption(values, "out");
    if (outDir !== undefined) {
      await OutputDir.with(outDir, { force: values.force === true, inputs: positionals }, (out) => {
        results.forEach((r, i) => {
          const s = chosen[i];
          const prefix = results.length === 1 ? "" : `spectrum-${String(i + 1).padStart(3, "0")}/`;
          out.write(
            `${prefix}kk.csv`,
            columnsToCsv({
              frequency_Hz: s.frequency,
              Zre_data_Ohm: s.zReal,
              Zim_data_Ohm: s.zImag,
              Zre_KK_Ohm: r.fitReal,
              Zim_KK_Ohm: r.fitImag,
              residual_re_rel: r.residualReal,
              residual_im_rel: r.residualImag,
            }),
          );
          out.write(`${prefix}kk.json`, toJson(summary(r, s, file)));
          out.write(`${prefix}kk.svg`, residualPlot(r, s, s.label ?? basename(file)));
        });
      });
    }
    if (values.json === true) {
      const s = results.map((r, i) => summary(r, chosen[i], file));
      ctx.stdout(toJson(s.length === 1 ? s[0] : s));
    } else {
      results.forEach((r, i) => {
        ctx.stdout(
          `${chosen[i].label ?? basename(file)}: ${r.verdict}; RMS residual ${(100 * r.rmsResidual).toPrecision(3)} %, mu = ${r.mu.toFixed(3)}\n`,
        );
      });
      if (outDir !== undefined) ctx.stdout(`wrote ${outDir}\n`);
    }
    return 0;
  },
};
