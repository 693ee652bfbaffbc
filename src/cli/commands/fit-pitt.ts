/**
 * `cathodelab fit pitt FILE --radius 13.25um ...`: fit a PITT current transient (time, current)
 * for D, the Biot number B and ΔQ with the sphere or planar series (SPEC §3.4, seed 000),
 * reporting i0 when |∂U/∂c| is known, the regime and identifiability notes.
 */
import { basename } from "node:path";
import {
  type FitPittOptions,
  fitPitt,
  fitPittRecord,
  type PittFitResult,
  type PittStepResult,
  pittCurrentSeries,
} from "../../analysis/pitt/index.js";
import { T_REF } from "../../constants.js";
import { InputError } from "../../errors.js";
import { columnsToCsv, toCsv, toJson } from "../../io/csv.js";
import { readerFlags } from "../../io/instruments/column-spec.js";
import type { TimeSeries } from "../../io/instruments/index.js";
import { readTimeSeriesFile } from "../../io/instruments/node.js";
import { OutputDir } from "../../io/output-dir.js";
import { getMaterial } from "../../materials/index.js";
import { renderPlot } from "../../report/svg-plot.js";
import { parseQuantity } from "../../units.js";
import {
  type Command,
  type CommandContext,
  DURATION_BOUNDS,
  parseOptions,
  quantityOption,
  RADIUS_BOUNDS,
  stringOption,
  TEMPERATURE_BOUNDS,
} from "../command.js";

const OPTIONS = {
  radius: { type: "string" },
  thickness: { type: "string" },
  geometry: { type: "string" },
  dUdc: { type: "string" },
  dUdx: { type: "string" },
  material: { type: "string" },
  charge: { type: "string" },
  baseline: { type: "string" },
  "t-min": { type: "string" },
  "t-max": { type: "string" },
  temperature: { type: "string" },
  weighting: { type: "string" },
  "current-sign": { type: "string" },
  columns: { type: "string" },
  decimal: { type: "string" },
  steps: { type: "boolean" },
  "min-step": { type: "string" },
  "initial-x": { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
  force: { type: "boolean" },
} as const;

const HELP = `Usage: cathodelab fit pitt FILE --radius R [options]

Fits a potentiostatic step current I(t) with the series solution for a sphere (or a planar
film) with linearised surface kinetics: D, the Biot number B, the step charge ΔQ, with 95 %
intervals; i0 = B·D·R·T/(L·|dU/dc|) when |dU/dc| is given (seed 000 eqns 4-5).
FILE: any time series the readers know (CSV with time and current columns, BioLogic .mpt/.mpr,
Gamry .DTA, Maccor); time from the potential step.

Options:
  --radius R            particle radius, 1 nm to 1 mm, e.g. 13.25um (required for a sphere)
  --geometry G          sphere (default) or planar
  --thickness L         film thickness for --geometry planar (e.g. 800nm)
  --dUdc X              |dU/dc| as a plain number in V·m^3/mol
  --dUdx X --material M |dU/dx| as a voltage (e.g. 1.2V), converted with the material's c_max
  --charge Q|free       known step charge (e.g. 1e-9C, 0.5uAh) or free (default)
  --baseline B          none (default), free, or a known leakage current (e.g. 5pA)
  --t-min T, --t-max T  fit window (e.g. --t-min 5s to drop a double-layer spike)
  --temperature T       150 K to 600 K (default 298.15K)
  --weighting W         relative (default) or absolute
  --current-sign S      +1 (default) or -1 to flip the file's current sign
  --columns MAP         map columns of a table by hand, with units the header lacks:
                        time=Time(s),current=Current(mA),voltage=Voltage(V) (#k: column k)
  --decimal , | .       decimal separator of a text table (default: detected; "," needs ";"
                        or tab between fields)
  --steps               the file is a whole PITT record (time, current, voltage): split it at
                        the potential steps and fit each; for a sphere without --dUdc/--dUdx,
                        |dU/dc| per step = |ΔV|·F·V_p/|ΔQ| from the step itself
  --min-step E          smallest potential step for --steps (default 2mV)
  --initial-x X         x before the first step (--steps with --material: x per step)
  --out DIR             write params.json, params.csv, fit.csv, pitt.svg
                        (--steps: steps.csv, steps.json, steps.svg)
  --force               replace a non-empty --out directory
  --json                print the results as JSON on stdout

Examples (files made by scripts/make-examples.ts):
  cathodelab fit pitt examples/pitt-transient.csv --radius 13.25um --dUdx 1.2V --material NMC333 --out pitt1
  cathodelab fit pitt examples/pitt-steps.csv --steps --radius 13.25um --material NMC333 --out pitt-all`;

/** Finite numbers as they are, non-finite as null (JSON cannot carry Infinity). */
function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function quantityJson(q: { value: number; ci95: [number, number]; determined: boolean }) {
  return {
    value: q.value,
    ci95: [finiteOrNull(q.ci95[0]), finiteOrNull(q.ci95[1])],
    determined: q.determined,
  };
}

export function pittSummary(r: PittFitResult, file: string, dUdc: number | undefined, T: number) {
  return {
    file,
    geometry: r.geometry,
    length_m: r.radius,
    temperature_K: T,
    dUdc_V_m3_per_mol: r.dUdc ?? dUdc ?? null,
    D_m2_per_s: quantityJson(r.D),
    D_cm2_per_s: r.D.value * 1e4,
    B: quantityJson(r.B),
    Q_C: quantityJson(r.Q),
    Q_fixed: r.Q.fixed,
    k_m_per_s: quantityJson(r.k),
    i0_A_per_m2: r.i0 ? quantityJson(r.i0) : null,
    i0_mA_per_cm2: r.i0 ? r.i0.value / 10 : null,
    baseline_A: r.baseline.value,
    baseline_fitted: r.baseline.fitted,
    tau_s: r.tau,
    regime: r.regime,
    notes: r.notes,
    quality: r.quality,
  };
}

function paramsCsv(r: PittFitResult): string {
  const rows: Record<string, string | number | boolean>[] = [];
  const add = (
    name: string,
    unit: string,
    q: { value: number; ci95: [number, number]; determined: boolean },
  ) =>
    rows.push({
      name,
      value: q.value,
      ci95_low: Number.isFinite(q.ci95[0]) ? q.ci95[0] : "unbounded",
      ci95_high: Number.isFinite(q.ci95[1]) ? q.ci95[1] : "unbounded",
      unit,
      determined: q.determined,
    });
  add("D", "m^2/s", r.D);
  add("B", "-", r.B);
  add("Q", "C", r.Q);
  add("k", "m/s", r.k);
  if (r.i0) add("i0", "A/m^2", r.i0);
  rows.push({
    name: "baseline",
    value: r.baseline.value,
    ci95_low: "",
    ci95_high: "",
    unit: "A",
    determined: true,
  });
  rows.push({
    name: "tau",
    value: r.tau,
    ci95_low: "",
    ci95_high: "",
    unit: "s",
    determined: r.D.determined,
  });
  return toCsv(["name", "value", "ci95_low", "ci95_high", "unit", "determined"], rows);
}

function formatTable(r: PittFitResult, label: string): string {
  const ci = (q: { ci95: [number, number] }, scale = 1) =>
    `[${(q.ci95[0] * scale).toPrecision(3)}, ${Number.isFinite(q.ci95[1]) ? (q.ci95[1] * scale).toPrecision(3) : "inf"}]`;
  const mark = (q: { determined: boolean }) => (q.determined ? "" : "  (not determined)");
  const lines = [
    `${label}: PITT ${r.geometry} fit, L = ${(r.radius * 1e6).toPrecision(4)} um, ${r.quality.nPoints} points, ${r.quality.converged ? "converged" : "NOT converged"}`,
    `  D   = ${r.D.value.toPrecision(4)} m^2/s (${(r.D.value * 1e4).toPrecision(3)} cm^2/s)  95% ${ci(r.D)}${mark(r.D)}`,
    `  B   = ${r.B.value.toPrecision(4)}  95% ${ci(r.B)}${mark(r.B)}  -> ${r.regime}`,
    `  dQ  = ${r.Q.value.toPrecision(4)} C${r.Q.fixed ? " (fixed)" : `  95% ${ci(r.Q)}`}`,
    `  k   = ${r.k.value.toPrecision(4)} m/s  95% ${ci(r.k)}${mark(r.k)}`,
  ];
  if (r.i0)
    lines.push(
      `  i0  = ${r.i0.value.toPrecision(4)} A/m^2 (${(r.i0.value / 10).toPrecision(3)} mA/cm^2)  95% ${ci(r.i0)}${mark(r.i0)}`,
    );
  if (r.baseline.fitted) lines.push(`  baseline = ${r.baseline.value.toPrecision(3)} A`);
  lines.push(
    `  tau = L^2/D = ${r.tau.toPrecision(4)} s; rms relative residual ${r.quality.rmsRelativeResidual.toPrecision(3)}`,
  );
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return `${lines.join("\n")}\n`;
}

export const command: Command = {
  name: "fit pitt",
  summary: "fit a PITT current transient (D, B, i0)",
  help: HELP,
  options: OPTIONS,
  async run(argv, ctx) {
    const { values, positionals } = parseOptions(argv, OPTIONS);
    if (positionals.length !== 1) {
      throw new InputError(positionals.length === 0 ? "missing PITT data FILE" : "more than one FILE given", {
        field: "FILE",
        expected: "one time-series file with time and current columns",
      });
    }
    const file = positionals[0];
    const geometryText = stringOption(values, "geometry") ?? "sphere";
    if (geometryText !== "sphere" && geometryText !== "planar") {
      throw new InputError(`unknown geometry "${geometryText}"`, {
        field: "--geometry",
        value: geometryText,
        expected: "sphere or planar",
      });
    }
    const geometry = geometryText;
    const radius = quantityOption(values, "radius", "length", RADIUS_BOUNDS);
    const thickness = quantityOption(values, "thickness", "length", RADIUS_BOUNDS);
    const L = geometry === "planar" ? (thickness ?? radius) : radius;
    if (L === undefined) {
      throw new InputError(
        geometry === "planar" ? "missing --thickness" : "missing required option --radius",
        {
          field: geometry === "planar" ? "--thickness" : "--radius",
          expected: "a length such as 13.25um",
        },
      );
    }
    const T = quantityOption(values, "temperature", "temperature", TEMPERATURE_BOUNDS) ?? T_REF;
    let dUdc: number | undefined;
    const dUdcText = stringOption(values, "dUdc");
    const dUdxText = stringOption(values, "dUdx");
    if (dUdcText !== undefined && dUdxText !== undefined) {
      throw new InputError("give either --dUdc or --dUdx, not both", { field: "--dUdc" });
    }
    if (dUdcText !== undefined) {
      dUdc = Number(dUdcText);
      if (!Number.isFinite(dUdc) || dUdc === 0) {
        throw new InputError("--dUdc must be a non-zero number", {
          field: "--dUdc",
          value: dUdcText,
          expected: "|dU/dc| in V·m^3/mol, e.g. 2.4e-5",
        });
      }
      dUdc = Math.abs(dUdc);
    } else if (dUdxText !== undefined) {
      const materialName = stringOption(
        values,
        "material",
        true,
        "a material name to convert --dUdx (e.g. NMC333)",
      );
      const material = getMaterial(materialName);
      const dUdx = Math.abs(parseQuantity(dUdxText, "voltage", { field: "--dUdx" }));
      if (!(dUdx > 0)) throw new InputError("--dUdx must be non-zero", { field: "--dUdx", value: dUdxText });
      dUdc = dUdx / material.maxConcentration;
    }
    let Q: number | undefined;
    const chargeText = stringOption(values, "charge");
    if (chargeText !== undefined && chargeText !== "free")
      Q = parseQuantity(chargeText, "charge", { field: "--charge" });
    if (Q === 0) throw new InputError("--charge must be non-zero", { field: "--charge", value: chargeText });
    const baselineText = stringOption(values, "baseline") ?? "none";
    const baseline =
      baselineText === "none" || baselineText === "free"
        ? baselineText
        : parseQuantity(baselineText, "current", { field: "--baseline" });
    const weighting = stringOption(values, "weighting") ?? "relative";
    if (weighting !== "relative" && weighting !== "absolute") {
      throw new InputError(`unknown weighting "${weighting}"`, {
        field: "--weighting",
        value: weighting,
        expected: "relative or absolute",
      });
    }
    const signText = stringOption(values, "current-sign") ?? "+1";
    if (!["+1", "1", "-1"].includes(signText)) {
      throw new InputError("bad --current-sign", {
        field: "--current-sign",
        value: signText,
        expected: "+1 or -1",
      });
    }
    const tMin = quantityOption(values, "t-min", "time", {
      min: 0,
      max: 3.2e7,
      describe: "from 0 to 1 year",
    });
    const tMax = quantityOption(values, "t-max", "time", DURATION_BOUNDS);

    const series = readTimeSeriesFile(file, {
      currentSign: signText === "-1" ? -1 : 1,
      ...readerFlags(stringOption(values, "columns"), stringOption(values, "decimal")),
    });
    for (const note of series.notes ?? []) ctx.stderr(`note: ${file}: ${note}\n`);
    if (values.steps === true) {
      return runSteps(ctx, values, file, series, {
        radius: L,
        geometry,
        dUdc,
        T,
        baseline,
        tMin,
        tMax,
        weighting,
      });
    }
    const result = fitPitt(series.time, series.current, {
      radius: L,
      geometry,
      Q,
      dUdc,
      T,
      baseline,
      tMin,
      tMax,
      weighting,
    });
    const summary = pittSummary(result, file, dUdc, T);
    const outDir = stringOption(values, "out");
    if (outDir !== undefined) {
      await OutputDir.with(outDir, { force: values.force === true, inputs: [file] }, (out) => {
        out.write("params.json", toJson(summary));
        out.write("params.csv", paramsCsv(result));
        const residual = Float64Array.from(result.fitted, (v, i) => v - result.current[i]);
        out.write(
          "fit.csv",
          columnsToCsv({
            time_s: result.time,
            current_A: result.current,
            fit_A: result.fitted,
            residual_A: residual,
          }),
        );
        out.write("pitt.svg", pittFigure(result, basename(file)));
      });
    }
    if (values.json === true) ctx.stdout(toJson(outDir ? { ...summary, out: outDir } : summary));
    else
      ctx.stdout(
        formatTable(result, basename(file)) +
          (outDir ? `wrote ${outDir}/ (params.json, params.csv, fit.csv, pitt.svg)\n` : ""),
      );
    return 0;
  },
};

/** Log-log |I| vs t: data points and the fitted model on a dense grid. */
function pittFigure(r: PittFitResult, title: string): string {
  const t = r.time;
  const t0 = t[0];
  const t1 = t[t.length - 1];
  const dense = Float64Array.from({ length: 200 }, (_, i) => t0 * (t1 / t0) ** (i / 199));
  const model = pittCurrentSeries(dense, {
    D: r.D.value,
    B: r.B.value,
    Q: r.Q.value,
    radius: r.radius,
    geometry: r.geometry,
  });
  const abs = (a: ArrayLike<number>, add = 0) => Array.from(a, (v) => Math.abs(v + add));
  const keep = (x: ArrayLike<number>, y: number[]) => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < y.length; i++)
      if (y[i] > 0) {
        xs.push(x[i]);
        ys.push(y[i]);
      }
    return { x: xs, y: ys };
  };
  const data = keep(t, abs(r.current));
  const fit = keep(dense, abs(model, r.baseline.value));
  return renderPlot(
    [
      { label: "data", style: "points", ...data },
      { label: "fit", ...fit },
    ],
    {
      title: `${title}: PITT ${r.geometry}, D = ${r.D.value.toPrecision(3)} m2/s, B = ${r.B.value.toPrecision(3)}`,
      xLabel: "t / s",
      yLabel: "|I| / A",
      xScale: "log",
      yScale: "log",
    },
  );
}

const STEP_COLUMNS = [
  "step",
  "step_time_s",
  "V_before_V",
  "V_V",
  "dV_V",
  "points",
  "x",
  "cumulative_charge_C",
  "D_m2_per_s",
  "D_ci95_low",
  "D_ci95_high",
  "D_determined",
  "B",
  "B_ci95_low",
  "B_ci95_high",
  "B_determined",
  "Q_C",
  "dUdc_V_m3_per_mol",
  "i0_A_per_m2",
  "i0_ci95_low",
  "i0_ci95_high",
  "i0_determined",
  "regime",
  "rms_relative_residual",
  "notes",
] as const;

function stepRow(r: PittStepResult): Record<string, string | number | boolean> {
  const f = r.fit;
  const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? "" : v);
  return {
    step: r.index + 1,
    step_time_s: r.stepTime,
    V_before_V: r.voltageBefore,
    V_V: r.voltage,
    dV_V: r.stepVoltage,
    points: r.nPoints,
    x: num(r.x),
    cumulative_charge_C: r.cumulativeCharge,
    D_m2_per_s: num(f?.D.value),
    D_ci95_low: num(f?.D.ci95[0]),
    D_ci95_high: num(f?.D.ci95[1]),
    D_determined: f?.D.determined ?? false,
    B: num(f?.B.value),
    B_ci95_low: num(f?.B.ci95[0]),
    B_ci95_high: num(f?.B.ci95[1]),
    B_determined: f?.B.determined ?? false,
    Q_C: num(f?.Q.value),
    dUdc_V_m3_per_mol: num(f?.dUdc),
    i0_A_per_m2: num(f?.i0?.value),
    i0_ci95_low: num(f?.i0?.ci95[0]),
    i0_ci95_high: num(f?.i0?.ci95[1]),
    i0_determined: f?.i0?.determined ?? false,
    regime: f?.regime ?? "",
    rms_relative_residual: num(f?.quality.rmsRelativeResidual),
    notes: r.error ? `fit failed: ${r.error}` : (f?.notes.join("; ") ?? ""),
  };
}

/** `--steps`: fit every potential step of a PITT record; table over the step voltages. */
async function runSteps(
  ctx: CommandContext,
  values: Record<string, unknown>,
  file: string,
  series: TimeSeries,
  options: Omit<FitPittOptions, "Q" | "stepVoltage">,
): Promise<number> {
  if (!series.voltage) {
    throw new InputError("--steps needs a voltage column", {
      file,
      field: "voltage",
      expected: 'a voltage column such as "Ewe/V"',
    });
  }
  const minStepText = stringOption(values, "min-step");
  const minStep =
    minStepText === undefined
      ? undefined
      : parseQuantity(minStepText, "voltage", { field: "--min-step", positive: true });
  const materialName = stringOption(values, "material");
  let hostMoles: number | undefined;
  let initialX: number | undefined;
  if (materialName !== undefined && options.geometry !== "planar") {
    hostMoles = (4 / 3) * Math.PI * options.radius ** 3 * getMaterial(materialName).maxConcentration;
    const xText = stringOption(values, "initial-x");
    initialX = xText === undefined ? undefined : Number(xText);
    if (initialX !== undefined && !(initialX >= 0 && initialX <= 1.2)) {
      throw new InputError("--initial-x must be a Li fraction", {
        field: "--initial-x",
        value: xText,
        expected: "a number in 0…1",
      });
    }
  }
  const rows = fitPittRecord(series.time, series.current, series.voltage, {
    ...options,
    minStep,
    hostMoles,
    initialX,
  });
  const table = rows.map(stepRow);
  const outDir = stringOption(values, "out");
  if (outDir !== undefined) {
    await OutputDir.with(outDir, { force: values.force === true, inputs: [file] }, (out) => {
      out.write("steps.csv", toCsv(STEP_COLUMNS, table));
      out.write(
        "steps.json",
        toJson({ file, radius_m: options.radius, geometry: options.geometry, steps: table }),
      );
      const ok = rows.filter((r) => r.fit);
      const pick = (g: (r: PittStepResult) => number | undefined) => {
        const x: number[] = [];
        const y: number[] = [];
        for (const r of ok) {
          const v = g(r);
          if (v !== undefined && v > 0 && Number.isFinite(v)) {
            x.push(r.voltage);
            y.push(v);
          }
        }
        return { x, y };
      };
      out.write(
        "steps.svg",
        renderPlot(
          [
            {
              label: "D / (m2/s) x 1e14",
              style: "both",
              ...scaleY(
                pick((r) => r.fit?.D.value),
                1e14,
              ),
            },
            { label: "i0 / (A/m2)", style: "both", ...pick((r) => r.fit?.i0?.value) },
            { label: "B", style: "both", dash: "4 2", ...pick((r) => r.fit?.B.value) },
          ],
          {
            title: `${basename(file)}: PITT steps`,
            xLabel: "step potential / V",
            yLabel: "value",
            yScale: "log",
          },
        ),
      );
    });
  }
  if (values.json === true) ctx.stdout(toJson({ file, steps: table }));
  else {
    const lines = [
      `${basename(file)}: ${rows.length} PITT steps (${options.geometry ?? "sphere"}, L = ${(options.radius * 1e6).toPrecision(4)} um)`,
    ];
    lines.push("  step   V/V      dV/mV  D/(cm2/s)        B   i0/(mA/cm2)  regime");
    for (const r of rows) {
      const f = r.fit;
      lines.push(
        f
          ? `  ${String(r.index + 1).padStart(4)}  ${r.voltage.toFixed(4)}  ${(r.stepVoltage * 1e3).toFixed(1).padStart(6)}  ${(f.D.value * 1e4).toExponential(2)}${f.D.determined ? " " : "?"}  ${f.B.value.toPrecision(3).padStart(7)}${f.B.determined ? " " : "?"}  ${f.i0 ? (f.i0.value / 10).toExponential(2) : "    -   "}${f.i0 && !f.i0.determined ? "?" : " "}  ${f.regime}`
          : `  ${String(r.index + 1).padStart(4)}  ${r.voltage.toFixed(4)}  fit failed: ${r.error}`,
      );
    }
    lines.push("  (? = not determined by the data; see steps.csv notes)");
    if (outDir) lines.push(`wrote ${outDir}/ (steps.csv, steps.json, steps.svg)`);
    ctx.stdout(`${lines.join("\n")}\n`);
  }
  return 0;
}

function scaleY(s: { x: number[]; y: number[] }, factor: number): { x: number[]; y: number[] } {
  return { x: s.x, y: s.y.map((v) => v * factor) };
}
