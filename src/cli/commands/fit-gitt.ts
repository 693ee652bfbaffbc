/**
 * `cathodelab fit gitt FILE --radius R ...`: Weppner–Huggins analysis of a GITT record
 * (time, current, voltage): per-pulse IR steps, ΔE_s, ΔE_t, τ and D (two variants), over x or
 * charge (REFERENCE §4, seed 002 GITT; SPEC §4).
 */
import { basename } from "node:path";
import { fitGittPulseFullModel } from "../../analysis/gitt/full-model.js";
import { analyzeGitt, type GittPulse } from "../../analysis/gitt/index.js";
import { InputError } from "../../errors.js";
import { toCsv, toJson } from "../../io/csv.js";
import { readerFlags } from "../../io/instruments/column-spec.js";
import { readTimeSeriesFile } from "../../io/instruments/node.js";
import { OutputDir } from "../../io/output-dir.js";
import { getMaterial } from "../../materials/index.js";
import { renderPlot } from "../../report/svg-plot.js";
import { parseQuantity } from "../../units.js";
import { type Command, parseOptions, quantityOption, RADIUS_BOUNDS, stringOption } from "../command.js";

const OPTIONS = {
  radius: { type: "string" },
  geometry: { type: "string" },
  "molar-volume": { type: "string" },
  material: { type: "string" },
  "initial-x": { type: "string" },
  threshold: { type: "string" },
  "ir-method": { type: "string" },
  "current-sign": { type: "string" },
  columns: { type: "string" },
  decimal: { type: "string" },
  "full-model": { type: "boolean" },
  out: { type: "string" },
  json: { type: "boolean" },
  force: { type: "boolean" },
} as const;

const HELP = `Usage: cathodelab fit gitt FILE --radius R [options]

Weppner-Huggins analysis of a galvanostatic intermittent titration record: the file's current
is split into pulses and rests; for each pulse with a rest on both sides: IR steps at switch-on
and switch-off, ΔE_t (pulse, IR removed), ΔE_s (relaxed voltage change), τ, and
  D = 4/(π τ) · (R/3)² · (ΔE_s/ΔE_t)²       (sphere; L² for a film)
  D√t from the slope dE/d√t over the pulse.
FILE needs time, current and voltage columns (CSV, BioLogic .mpt/.mpr, Gamry .DTA, Maccor).

Options:
  --radius R             particle radius (sphere) or film thickness (planar), 1 nm to 1 mm,
                         e.g. 5um (required)
  --geometry G           sphere (default) or planar
  --molar-volume V       molar volume in m^3/mol, to give x per pulse (with --initial-x)
  --material M           take the molar volume as 1/c_max of a library material (e.g. NMC622)
  --initial-x X          Li fraction before the first pulse (default 1 when a volume is given)
  --threshold I          |current| separating pulses from rests (default 5 % of the maximum)
  --ir-method M          sqrt (default: √t back-extrapolation) or first-sample
  --current-sign S       +1 (default) or -1 to flip the file's current sign
  --columns MAP          map columns of a table by hand, with units the header lacks:
                         time=Time(s),current=Current(mA),voltage=Voltage(V) (#k: column k)
  --decimal , | .        decimal separator of a text table (default: detected; "," needs ";"
                         or tab between fields)
  --full-model           also fit each pulse + rest with the single-particle model (needs
                         --material for the OCV; sphere only): D and the series resistance
  --out DIR              write gitt.csv, gitt.json, gitt.svg
  --force                replace a non-empty --out directory
  --json                 print the per-pulse table as JSON on stdout

Example (a simulated EC-Lab export, made by scripts/make-examples.ts):
  cathodelab fit gitt examples/gitt.mpt --radius 5um --material NMC622 --initial-x 1 --out gitt1`;

const COLUMNS = [
  "pulse",
  "t_start_s",
  "duration_s",
  "current_A",
  "charge_C",
  "cumulative_charge_C",
  "x_before",
  "x_after",
  "E_rest_before_V",
  "E_rest_after_V",
  "IR_on_V",
  "IR_off_V",
  "resistance_Ohm",
  "dEt_V",
  "dEs_V",
  "dE_dsqrt_t_V_per_sqrt_s",
  "D_WH_m2_per_s",
  "D_sqrt_m2_per_s",
  "D_WH_cm2_per_s",
  "tau_D_over_L2",
  "notes",
] as const;

function row(p: GittPulse): Record<string, string | number> {
  return {
    pulse: p.index + 1,
    t_start_s: p.tStart,
    duration_s: p.duration,
    current_A: p.current,
    charge_C: p.charge,
    cumulative_charge_C: p.cumulativeCharge,
    x_before: p.xBefore ?? "",
    x_after: p.xAfter ?? "",
    E_rest_before_V: p.restVoltageBefore,
    E_rest_after_V: p.restVoltageAfter,
    IR_on_V: p.irDropOn,
    IR_off_V: p.irDropOff,
    resistance_Ohm: p.resistance,
    dEt_V: p.deltaEt,
    dEs_V: p.deltaEs,
    dE_dsqrt_t_V_per_sqrt_s: p.sqrtSlope,
    D_WH_m2_per_s: p.diffusivity,
    D_sqrt_m2_per_s: p.diffusivitySqrt,
    D_WH_cm2_per_s: p.diffusivity * 1e4,
    tau_D_over_L2: p.dimensionlessDuration,
    notes: p.notes.join("; "),
  };
}

export const command: Command = {
  name: "fit gitt",
  summary: "Weppner-Huggins GITT analysis per pulse",
  help: HELP,
  options: OPTIONS,
  async run(argv, ctx) {
    const { values, positionals } = parseOptions(argv, OPTIONS);
    if (positionals.length !== 1) {
      throw new InputError(positionals.length === 0 ? "missing GITT data FILE" : "more than one FILE given", {
        field: "FILE",
        expected: "one time-series file with time, current and voltage columns",
      });
    }
    const file = positionals[0];
    const radius = quantityOption(values, "radius", "length", RADIUS_BOUNDS, {
      required: true,
      expected: "a length such as 5um",
    }) as number;
    const geometry = stringOption(values, "geometry") ?? "sphere";
    if (geometry !== "sphere" && geometry !== "planar") {
      throw new InputError(`unknown geometry "${geometry}"`, {
        field: "--geometry",
        value: geometry,
        expected: "sphere or planar",
      });
    }
    let molarVolume: number | undefined;
    const mvText = stringOption(values, "molar-volume");
    const materialName = stringOption(values, "material");
    if (mvText !== undefined && materialName !== undefined) {
      throw new InputError("give either --molar-volume or --material, not both", { field: "--molar-volume" });
    }
    if (mvText !== undefined) {
      molarVolume = Number(mvText);
      if (!(molarVolume > 0) || !Number.isFinite(molarVolume)) {
        throw new InputError("--molar-volume must be a positive number", {
          field: "--molar-volume",
          value: mvText,
          expected: "m^3/mol, e.g. 2.04e-5",
        });
      }
    } else if (materialName !== undefined) {
      molarVolume = 1 / getMaterial(materialName).maxConcentration;
    }
    const xText = stringOption(values, "initial-x");
    let initialX: number | undefined = molarVolume !== undefined ? 1 : undefined;
    if (xText !== undefined) {
      initialX = Number(xText);
      if (!Number.isFinite(initialX) || initialX < 0 || initialX > 1.2) {
        throw new InputError("--initial-x must be a Li fraction", {
          field: "--initial-x",
          value: xText,
          expected: "a number in 0…1",
        });
      }
    }
    const thresholdText = stringOption(values, "threshold");
    const threshold =
      thresholdText === undefined
        ? undefined
        : parseQuantity(thresholdText, "current", { field: "--threshold", positive: true });
    const irMethod = stringOption(values, "ir-method") ?? "sqrt";
    if (irMethod !== "sqrt" && irMethod !== "first-sample") {
      throw new InputError(`unknown IR method "${irMethod}"`, {
        field: "--ir-method",
        value: irMethod,
        expected: "sqrt or first-sample",
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
    const series = readTimeSeriesFile(file, {
      currentSign: signText === "-1" ? -1 : 1,
      ...readerFlags(stringOption(values, "columns"), stringOption(values, "decimal")),
    });
    for (const note of series.notes ?? []) ctx.stderr(`note: ${file}: ${note}\n`);
    if (!series.voltage) {
      throw new InputError("the file has no voltage column", {
        file,
        field: "voltage",
        expected: 'a voltage column such as "Ewe/V"',
      });
    }
    const result = analyzeGitt(series.time, series.voltage, series.current, {
      radius,
      geometry,
      molarVolume,
      initialX,
      threshold,
      irMethod,
    });
    if (result.pulses.length === 0) {
      throw new InputError("no pulse with a rest before and after it was found", {
        file,
        field: "current",
        expected: "alternating current pulses and rests (adjust --threshold?)",
      });
    }
    const rows: Record<string, string | number>[] = result.pulses.map(row);
    if (values["full-model"] === true) {
      const materialName = stringOption(values, "material");
      if (materialName === undefined || geometry !== "sphere") {
        throw new InputError("--full-model needs --material (for U(x)) and a sphere", {
          field: "--full-model",
          expected: "--material NAME with --geometry sphere",
        });
      }
      const material = getMaterial(materialName);
      const segs = result.segments;
      result.pulses.forEach((p, k) => {
        // the pulse segment starting at its switch-on and the rest that follows it
        const pulseSeg = segs.find(
          (g) => g.kind === "pulse" && series.time[Math.max(0, g.start - 1)] === p.tStart,
        );
        const restSeg = pulseSeg ? segs[segs.indexOf(pulseSeg) + 1] : undefined;
        if (!pulseSeg || !restSeg) return;
        const i0 = Math.max(0, pulseSeg.start - 1);
        const i1 = restSeg.end;
        const t = new Float64Array(i1 - i0);
        const c = new Float64Array(i1 - i0);
        const v = new Float64Array(i1 - i0);
        for (let j = i0; j < i1; j++) {
          t[j - i0] = series.time[j] - series.time[i0];
          c[j - i0] = j < pulseSeg.end ? pulseSeg.meanCurrent : 0;
          v[j - i0] = (series.voltage as Float64Array)[j];
        }
        c[0] = pulseSeg.meanCurrent;
        const fit = fitGittPulseFullModel(t, c, v, p.restVoltageBefore, { material, radius });
        rows[k].D_full_m2_s = fit.diffusivity;
        rows[k].D_full_ci95_low = fit.diffusivityCi[0];
        rows[k].D_full_ci95_high = Number.isFinite(fit.diffusivityCi[1]) ? fit.diffusivityCi[1] : "";
        rows[k].R_series_full_ohm = fit.seriesResistance;
        rows[k].full_rms_V = fit.rmsResidual;
      });
    }
    const summary = {
      file,
      geometry,
      radius_m: radius,
      molarVolume_m3_per_mol: molarVolume ?? null,
      pulses: rows,
    };
    const outDir = stringOption(values, "out");
    if (outDir !== undefined) {
      await OutputDir.with(outDir, { force: values.force === true, inputs: positionals }, (out) => {
        const columns =
          values["full-model"] === true
            ? [
                ...COLUMNS,
                "D_full_m2_s",
                "D_full_ci95_low",
                "D_full_ci95_high",
                "R_series_full_ohm",
                "full_rms_V",
              ]
            : COLUMNS;
        out.write("gitt.csv", toCsv(columns, rows, { allowMissing: true }));
        out.write("gitt.json", toJson(summary));
        out.write("gitt.svg", gittFigure(result.pulses, basename(file)));
      });
    }
    if (values.json === true) ctx.stdout(toJson(summary));
    else {
      const lines = [
        `${basename(file)}: ${result.pulses.length} GITT pulses (Weppner-Huggins, ${geometry}, R = ${(radius * 1e6).toPrecision(4)} um)`,
      ];
      const full = values["full-model"] === true;
      lines.push(
        `  pulse  x_after   tau/s     dEs/mV    dEt/mV    D_WH/(cm2/s)  D_sqrt/(cm2/s)${full ? "  D_full/(cm2/s)" : ""}`,
      );
      result.pulses.forEach((p, k) => {
        // the full-model D (single-particle fit of pulse + rest) beside the closed forms
        const dFull = rows[k]?.D_full_m2_s;
        const fullCell = full
          ? `  ${(typeof dFull === "number" ? (dFull * 1e4).toExponential(3) : "n/a").padStart(14)}`
          : "";
        lines.push(
          `  ${String(p.index + 1).padStart(5)}  ${p.xAfter === undefined ? "    -   " : p.xAfter.toFixed(4).padStart(8)}  ${p.duration.toPrecision(4).padStart(8)}  ${(p.deltaEs * 1e3).toPrecision(4).padStart(8)}  ${(p.deltaEt * 1e3).toPrecision(4).padStart(8)}  ${(p.diffusivity * 1e4).toExponential(3).padStart(12)}  ${(p.diffusivitySqrt * 1e4).toExponential(3).padStart(12)}${fullCell}${p.notes.length ? `  ! ${p.notes.join("; ")}` : ""}`,
        );
      });
      if (outDir) lines.push(`wrote ${outDir}/ (gitt.csv, gitt.json, gitt.svg)`);
      ctx.stdout(`${lines.join("\n")}\n`);
    }
    return 0;
  },
};

/** D (both variants) against x when known, else against the pulse number; log y. */
function gittFigure(pulses: GittPulse[], title: string): string {
  const useX = pulses.every((p) => p.xAfter !== undefined);
  const xs = pulses.map((p) => (useX ? 0.5 * ((p.xBefore ?? 0) + (p.xAfter ?? 0)) : p.index + 1));
  const pos = (v: number[]) => {
    const x: number[] = [];
    const y: number[] = [];
    v.forEach((d, i) => {
      if (d > 0 && Number.isFinite(d)) {
        x.push(xs[i]);
        y.push(d);
      }
    });
    return { x, y };
  };
  return renderPlot(
    [
      { label: "Weppner-Huggins", style: "both", ...pos(pulses.map((p) => p.diffusivity)) },
      { label: "sqrt(t) slope", style: "both", dash: "4 2", ...pos(pulses.map((p) => p.diffusivitySqrt)) },
    ],
    {
      title: `${title}: GITT diffusivity`,
      xLabel: useX ? "x (Li fraction)" : "pulse",
      yLabel: "D / (m2/s)",
      yScale: "log",
    },
  );
}
