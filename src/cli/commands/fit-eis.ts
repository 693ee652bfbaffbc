/**
 * `cathodelab fit eis FILE --circuit "..."`: equivalent-circuit fit of an impedance file
 * (BioLogic, Gamry, ZPlot, CSV …) with parameters, 95 % intervals, j0 from R_ct, the fitted
 * spectrum and Nyquist/Bode figures.
 */
import { basename } from "node:path";
import { type CompiledCircuit, circuitImpedance, compileCircuit } from "../../analysis/eis/circuit.js";
import { type CircuitFitResult, fitCircuit, fitSeries } from "../../analysis/eis/fit.js";
import { exchangeCurrentFromRct } from "../../analysis/eis/particle.js";
import { InputError } from "../../errors.js";
import { columnsToCsv, toCsv, toJson } from "../../io/csv.js";
import { readerFlags } from "../../io/instruments/column-spec.js";
import type { ImpedanceSpectrum } from "../../io/instruments/index.js";
import { readImpedanceFile } from "../../io/instruments/node.js";
import { OutputDir } from "../../io/output-dir.js";
import { renderPlot, stackPanels } from "../../report/svg-plot.js";
import {
  AREA_BOUNDS,
  type Command,
  integerOption,
  parseOptions,
  quantityOption,
  stringOption,
  TEMPERATURE_BOUNDS,
} from "../command.js";
import { ProgressBar } from "../progress.js";

const OPTIONS = {
  circuit: { type: "string" },
  guess: { type: "string" },
  fixed: { type: "string", multiple: true },
  weight: { type: "string" },
  area: { type: "string" },
  temperature: { type: "string" },
  "rct-element": { type: "string" },
  spectrum: { type: "string" },
  columns: { type: "string" },
  decimal: { type: "string" },
  "drop-inductive": { type: "boolean" },
  multistart: { type: "string" },
  seed: { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
  force: { type: "boolean" },
} as const;

const HELP = `Usage: cathodelab fit eis FILE --circuit "CIRCUIT" [options]

Complex non-linear least-squares fit of an equivalent circuit to an impedance spectrum
(BioLogic .mpt/.mpr, Gamry .DTA, ZPlot .z, CSV with f, Re Z, Im Z columns).

Circuit syntax (impedance.py): series "-", parallel "p(a,b,...)", elements
  R (Ohm), C (F), L (H), CPE (Q, alpha), W (sigma), Wo / Ws (Z0, tau: finite Warburg,
  reflective / transmissive), Wsph (RD, tau: finite spherical diffusion), G (RG, tG: Gerischer),
each followed by an index: "R0-p(R1,CPE1)-p(R2-Wsph1,CPE2)". Parameters are ordered left to
right, each element's in its own order; names are R0, CPE1_Q, CPE1_alpha, Wo1_Z0, Wo1_tau
(impedance.py's Wo1_0, Wo1_1 are accepted too).

Options:
  --circuit TEXT        the circuit (required)
  --guess a,b,c         initial values in circuit order, SI units (default: from the data's scales)
  --fixed NAME=VALUE    hold a parameter (repeat or comma-separate: --fixed R0=0.01,Wo1_tau=200)
  --weight W            unit (default, as impedance.py), proportional or modulus
  --area A              reacting area for j0 = RT/(F·A·Rct), e.g. 22.06e-6cm2
  --temperature T       for j0, 150 K to 600 K (default 298.15K; 25C accepted)
  --rct-element NAME    the charge-transfer resistance (default: the R in series with a
                        diffusion element inside a parallel block, when there is one)
  --spectrum N|all      which spectrum of a multi-spectrum file (default 1); "all" fits each,
                        seeding every fit from the previous result
  --drop-inductive      fit only points with Im Z < 0 (as impedance.py's ignoreBelowX)
  --columns MAP         map columns of a table by hand, with units the header lacks:
                        frequency=Freq(kHz),zreal=Re,zimag=Im(Ohm) (or #k for the k-th column)
  --decimal , | .       decimal separator of a text table (default: detected; "," needs ";" or
                        tab between fields)
  --multistart N        N extra seeded starts, 0 to 1000 (log-uniform ×10^±1 around the guess)
  --seed S              seed of the multi-start (default 1)
  --out DIR             write params.csv, params.json, fit.csv, nyquist.svg, bode.svg
                        (with --spectrum all: one sub-folder per spectrum and a summary.csv)
  --force               replace a non-empty --out directory
  --json                print the results as JSON on stdout

Example (a simulated 26.5 µm NMC333 particle at 3.9 V, made by scripts/make-examples.ts):
  cathodelab fit eis examples/eis.csv --circuit "R0-p(R1,CPE1)-p(R2-Wsph1,CPE2)" \\
      --area 22.06e-6cm2 --rct-element R1 --out fit1`;

function parseNumberList(text: string, field: string): number[] {
  return text.split(",").map((s, i) => {
    const v = Number(s.trim());
    if (s.trim() === "" || !Number.isFinite(v)) {
      throw new InputError(`value ${i + 1} is not a number`, {
        field,
        value: s,
        expected: "comma-separated numbers (SI)",
      });
    }
    return v;
  });
}

function parseFixed(values: string[] | undefined, circuit: CompiledCircuit): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of (values ?? []).flatMap((v) => v.split(","))) {
    const m = /^\s*([A-Za-z]+_?\d+(?:_\w+)?)\s*=\s*(\S+)\s*$/.exec(item);
    if (!m)
      throw new InputError("cannot read a fixed parameter", {
        field: "--fixed",
        value: item,
        expected: "NAME=VALUE, e.g. R0=0.01",
      });
    if (circuit.indexOf(m[1]) < 0) {
      throw new InputError(`unknown parameter "${m[1]}"`, {
        field: "--fixed",
        value: m[1],
        expected: `one of ${circuit.parameters.map((p) => p.name).join(", ")}`,
      });
    }
    const v = Number(m[2]);
    if (!Number.isFinite(v))
      throw new InputError(`value of ${m[1]} is not a number`, { field: "--fixed", value: m[2] });
    out[m[1]] = v;
  }
  return out;
}

/** The R in series with a diffusion element inside a parallel block (the Randles R_ct). */
function defaultRctElement(circuit: CompiledCircuit): string | undefined {
  const found: string[] = [];
  const visit = (node: CompiledCircuit["tree"], insideParallel: boolean) => {
    if (node.kind === "element") return;
    if (node.kind === "series" && insideParallel) {
      const rs = node.children.filter((c) => c.kind === "element" && c.type.type === "R");
      const diff = node.children.some(
        (c) => c.kind === "element" && ["W", "Wo", "Ws", "Wsph", "G"].includes(c.type.type),
      );
      if (rs.length === 1 && diff && rs[0].kind === "element") found.push(rs[0].name);
    }
    for (const c of node.children)
      visit(c, node.kind === "parallel" || (insideParallel && node.kind === "series"));
  };
  visit(circuit.tree, false);
  return found.length === 1 ? found[0] : undefined;
}

function selectPoints(s: ImpedanceSpectrum, dropInductive: boolean): ImpedanceSpectrum {
  if (!dropInductive) return s;
  const keep: number[] = [];
  for (let i = 0; i < s.frequency.length; i++) if (s.zImag[i] < 0) keep.push(i);
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]);
  return { ...s, frequency: pick(s.frequency), zReal: pick(s.zReal), zImag: pick(s.zImag) };
}

interface Kinetics {
  element: string;
  area_m2: number;
  temperature_K: number;
  Rct_Ohm: number;
  j0_A_per_m2: number;
  j0_ci95_A_per_m2: number;
  j0_mA_per_cm2: number;
  j0_ci95_mA_per_cm2: number;
}

function kinetics(
  r: CircuitFitResult,
  circuit: CompiledCircuit,
  element: string,
  area: number,
  T: number,
): Kinetics {
  const k = circuit.indexOf(element);
  const rct = r.params[k];
  if (!(rct > 0)) {
    throw new InputError(`fitted ${element} = ${rct} Ohm cannot give j0`, {
      field: "--rct-element",
      expected: "a positive R_ct",
    });
  }
  const j0 = exchangeCurrentFromRct(rct, area, T);
  // j0 ∝ 1/R_ct: first-order propagation of the interval
  const ci = (j0 * r.confidenceInterval95[k]) / rct;
  return {
    element,
    area_m2: area,
    temperature_K: T,
    Rct_Ohm: rct,
    j0_A_per_m2: j0,
    j0_ci95_A_per_m2: ci,
    j0_mA_per_cm2: j0 / 10,
    j0_ci95_mA_per_cm2: ci / 10,
  };
}

function summary(r: CircuitFitResult, s: ImpedanceSpectrum, file: string, kin: Kinetics | undefined) {
  return {
    file,
    spectrum: s.label ?? null,
    circuit: r.circuit,
    weighting: r.weighting,
    points: s.frequency.length,
    parameters: r.parameters.map((p, k) => ({
      name: p.name,
      unit: p.unit,
      value: r.params[k],
      ci95: r.confidenceInterval95[k],
      stderr: r.standardErrors[k],
      fixed: r.fixed[k],
      identifiable: r.identifiable[k],
    })),
    chiSquare: r.chiSquare,
    reducedChiSquare: r.reducedChiSquare,
    aic: r.aic,
    rmsRelativeResidual: r.rmsRelative,
    converged: r.converged,
    message: r.message,
    iterations: r.iterations,
    starts: r.starts,
    kinetics: kin ?? null,
  };
}

function paramsCsv(r: CircuitFitResult, kin: Kinetics | undefined): string {
  const rows: Record<string, string | number | boolean>[] = r.parameters.map((p, k) => ({
    name: p.name,
    unit: p.unit,
    value: r.params[k],
    ci95: r.confidenceInterval95[k],
    stderr: r.standardErrors[k],
    fixed: r.fixed[k],
    identifiable: r.identifiable[k],
  }));
  if (kin) {
    rows.push({
      name: "j0",
      unit: "A/m2",
      value: kin.j0_A_per_m2,
      ci95: kin.j0_ci95_A_per_m2,
      stderr: "",
      fixed: false,
      identifiable: true,
    });
    rows.push({
      name: "j0",
      unit: "mA/cm2",
      value: kin.j0_mA_per_cm2,
      ci95: kin.j0_ci95_mA_per_cm2,
      stderr: "",
      fixed: false,
      identifiable: true,
    });
  }
  return toCsv(["name", "unit", "value", "ci95", "stderr", "fixed", "identifiable"], rows);
}

/** Nyquist (−Im vs Re, equal aspect) and Bode (|Z| and −phase vs f) figures. */
export function eisFigures(
  s: { frequency: ArrayLike<number>; zReal: ArrayLike<number>; zImag: ArrayLike<number> },
  fit: { frequency: ArrayLike<number>; re: ArrayLike<number>; im: ArrayLike<number> } | undefined,
  title: string,
): { nyquist: string; bode: string } {
  const neg = (a: ArrayLike<number>) => Array.from(a, (v) => -v);
  const mod = (re: ArrayLike<number>, im: ArrayLike<number>) =>
    Array.from(re, (v, i) => Math.hypot(v, im[i]));
  const phase = (re: ArrayLike<number>, im: ArrayLike<number>) =>
    Array.from(re, (v, i) => (-Math.atan2(im[i], v) * 180) / Math.PI);
  const data = { label: "data", style: "points" as const };
  const nyquist = renderPlot(
    [{ ...data, x: s.zReal, y: neg(s.zImag) }, ...(fit ? [{ label: "fit", x: fit.re, y: neg(fit.im) }] : [])],
    { title: `${title}: Nyquist`, xLabel: "Re Z / Ohm", yLabel: "-Im Z / Ohm", equalAspect: true },
  );
  const h = 320;
  const top = renderPlot(
    [
      { ...data, x: s.frequency, y: mod(s.zReal, s.zImag) },
      ...(fit ? [{ label: "fit", x: fit.frequency, y: mod(fit.re, fit.im) }] : []),
    ],
    {
      title: `${title}: Bode`,
      xLabel: "f / Hz",
      yLabel: "|Z| / Ohm",
      xScale: "log",
      yScale: "log",
      height: h,
    },
  );
  const bottom = renderPlot(
    [
      { ...data, x: s.frequency, y: phase(s.zReal, s.zImag) },
      ...(fit ? [{ label: "fit", x: fit.frequency, y: phase(fit.re, fit.im) }] : []),
    ],
    { xLabel: "f / Hz", yLabel: "-phase / deg", xScale: "log", height: h },
  );
  // |Z| above phase, on a canvas as wide as the panels (report/svg-plot stackPanels)
  return { nyquist, bode: stackPanels([top, bottom]) };
}

function writeOne(
  out: OutputDir,
  circuit: CompiledCircuit,
  prefix: string,
  r: CircuitFitResult,
  s: ImpedanceSpectrum,
  file: string,
  kin: Kinetics | undefined,
) {
  out.write(`${prefix}params.csv`, paramsCsv(r, kin));
  out.write(`${prefix}params.json`, toJson(summary(r, s, file, kin)));
  out.write(
    `${prefix}fit.csv`,
    columnsToCsv({
      frequency_Hz: s.frequency,
      Zre_data_Ohm: s.zReal,
      Zim_data_Ohm: s.zImag,
      Zre_fit_Ohm: r.fitReal,
      Zim_fit_Ohm: r.fitImag,
      residual_re_rel: r.residualReal,
      residual_im_rel: r.residualImag,
    }),
  );
  // the fitted curve on a dense log grid over the data's range (200 points)
  let fMin = Number.POSITIVE_INFINITY;
  let fMax = 0;
  for (const f of s.frequency) {
    fMin = Math.min(fMin, f);
    fMax = Math.max(fMax, f);
  }
  const dense = Array.from({ length: 200 }, (_, i) => fMax * (fMin / fMax) ** (i / 199));
  const curve = circuitImpedance(circuit, dense, r.params);
  const fig = eisFigures(s, { frequency: dense, re: curve.re, im: curve.im }, s.label ?? basename(file));
  out.write(`${prefix}nyquist.svg`, fig.nyquist);
  out.write(`${prefix}bode.svg`, fig.bode);
}

function formatTable(r: CircuitFitResult, kin: Kinetics | undefined, label: string): string {
  const lines = [
    `${label}: ${r.circuit}  (${r.weighting} weighting, ${r.converged ? "converged" : `NOT converged: ${r.message}`})`,
  ];
  const w = Math.max(...r.parameters.map((p) => p.name.length), 2);
  r.parameters.forEach((p, k) => {
    const ci = r.fixed[k]
      ? "fixed"
      : `± ${r.confidenceInterval95[k].toPrecision(3)}${r.identifiable[k] ? "" : " (not identifiable)"}`;
    lines.push(
      `  ${p.name.padEnd(w)}  ${r.params[k].toPrecision(5).padStart(12)} ${p.unit.padEnd(14)} ${ci}`,
    );
  });
  lines.push(
    `  chi2 ${r.chiSquare.toPrecision(4)}, chi2/dof ${r.reducedChiSquare.toPrecision(4)}, rms relative residual ${(100 * r.rmsRelative).toPrecision(3)} %`,
  );
  if (kin) {
    lines.push(
      `  j0 (from ${kin.element}) = ${kin.j0_A_per_m2.toPrecision(4)} ± ${kin.j0_ci95_A_per_m2.toPrecision(2)} A/m2 = ${kin.j0_mA_per_cm2.toPrecision(4)} mA/cm2`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export const command: Command = {
  name: "fit eis",
  summary: "equivalent-circuit fit of an impedance spectrum",
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
    const circuit = compileCircuit(stringOption(values, "circuit", true, 'a circuit such as "R0-p(R1,C1)"'));
    const guessText = stringOption(values, "guess");
    const guess = guessText === undefined ? undefined : parseNumberList(guessText, "--guess");
    if (guess && guess.length !== circuit.nParameters) {
      throw new InputError(
        `--guess has ${guess.length} values but the circuit has ${circuit.nParameters} parameters`,
        {
          field: "--guess",
          expected: circuit.parameters.map((p) => p.name).join(", "),
        },
      );
    }
    const fixed = parseFixed(values.fixed as string[] | undefined, circuit);
    const weight = stringOption(values, "weight") ?? "unit";
    if (weight !== "unit" && weight !== "proportional" && weight !== "modulus") {
      throw new InputError(`unknown weighting "${weight}"`, {
        field: "--weight",
        value: weight,
        expected: "unit, proportional or modulus",
      });
    }
    const area = quantityOption(values, "area", "area", AREA_BOUNDS);
    const temperature = quantityOption(values, "temperature", "temperature", TEMPERATURE_BOUNDS) ?? 298.15;
    let rctElement = stringOption(values, "rct-element");
    if (rctElement !== undefined) {
      const k = circuit.indexOf(rctElement);
      if (k < 0 || circuit.parameters[k].elementType !== "R") {
        throw new InputError(`"${rctElement}" is not a resistor of the circuit`, {
          field: "--rct-element",
          value: rctElement,
          expected: circuit.parameters
            .filter((p) => p.elementType === "R")
            .map((p) => p.name)
            .join(", "),
        });
      }
    } else if (area !== undefined) {
      rctElement = defaultRctElement(circuit);
      if (rctElement === undefined) {
        throw new InputError("cannot tell which resistor is R_ct", {
          field: "--rct-element",
          expected: `--rct-element with one of ${circuit.parameters
            .filter((p) => p.elementType === "R")
            .map((p) => p.name)
            .join(", ")}`,
        });
      }
    }
    const multiStart = integerOption(values, "multistart", 0, 1000) ?? 0;
    const seed = integerOption(values, "seed", 0, 2 ** 31 - 1) ?? 1;

    const all = readImpedanceFile(
      file,
      readerFlags(stringOption(values, "columns"), stringOption(values, "decimal")),
    );
    if (all.length === 0) throw new InputError("no impedance spectrum in the file", { file });
    for (const note of new Set(all.flatMap((s) => s.notes ?? []))) ctx.stderr(`note: ${file}: ${note}\n`);
    const which = stringOption(values, "spectrum") ?? "1";
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
      if (all.length > 1) {
        const sp = all[n - 1];
        const f = Array.from(sp.frequency);
        ctx.stderr(
          `note: ${file} holds ${all.length} spectra; fitting spectrum ${n}${sp.label ? ` (${sp.label})` : ""}: ${f.length} points, ${Math.min(...f).toPrecision(3)}–${Math.max(...f).toPrecision(3)} Hz (--spectrum N or all to choose)\n`,
        );
      }
    }
    const dropInductive = values["drop-inductive"] === true;
    chosen = chosen.map((s) => selectPoints(s, dropInductive));

    const options = { initialGuess: guess, fixed, weighting: weight, multiStart, seed } as const;
    let results: CircuitFitResult[];
    if (chosen.length === 1) {
      results = [fitCircuit(circuit, chosen[0], options)];
    } else {
      const bar = new ProgressBar("fit eis", ctx.stderr, ctx.isTTY);
      results = fitSeries(circuit, chosen, options, (d, n) => bar.update(d / n, `${d}/${n}`));
      bar.finish();
    }
    const kin = results.map((r) =>
      area !== undefined && rctElement !== undefined
        ? kinetics(r, circuit, rctElement, area, temperature)
        : undefined,
    );

    const outDir = stringOption(values, "out");
    if (outDir !== undefined) {
      await OutputDir.with(outDir, { force: values.force === true, inputs: positionals }, (out) => {
        if (results.length === 1) {
          writeOne(out, circuit, "", results[0], chosen[0], file, kin[0]);
          return;
        }
        results.forEach((r, i) => {
          writeOne(out, circuit, `spectrum-${String(i + 1).padStart(3, "0")}/`, r, chosen[i], file, kin[i]);
        });
        const rows = results.map((r, i) => {
          const row: Record<string, string | number | boolean> = {
            spectrum: i + 1,
            label: chosen[i].label ?? "",
          };
          r.parameters.forEach((p, k) => {
            row[`${p.name}_${p.unit}`] = r.params[k];
            row[`${p.name}_ci95`] = r.confidenceInterval95[k];
          });
          row.chi2 = r.chiSquare;
          row.converged = r.converged;
          if (kin[i]) {
            row.j0_A_per_m2 = kin[i]!.j0_A_per_m2;
            row.j0_mA_per_cm2 = kin[i]!.j0_mA_per_cm2;
          }
          return row;
        });
        out.write("summary.csv", toCsv(Object.keys(rows[0]), rows));
      });
    }
    if (values.json === true) {
      const s = results.map((r, i) => summary(r, chosen[i], file, kin[i]));
      ctx.stdout(toJson(s.length === 1 ? s[0] : s));
    } else {
      for (let i = 0; i < results.length; i++)
        ctx.stdout(formatTable(results[i], kin[i], chosen[i].label ?? basename(file)));
      if (outDir !== undefined) ctx.stdout(`wrote ${outDir}\n`);
    }
    const failed = results.map((r, i) => (r.converged ? -1 : i)).filter((i) => i >= 0);
    for (const i of failed) {
      ctx.stderr(
        `warning: fit of ${chosen[i].label ?? basename(file)} did not converge (${results[i].message}); try --guess or --multistart\n`,
      );
    }
    return failed.length === 0 ? 0 : 1;
  },
};
