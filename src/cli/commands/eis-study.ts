/**
 * `cathodelab eis-study SPECTRA --ocv ALIGNMENT.json --radius R …`: the seed-000 kinetic study on
 * measured impedance spectra (analysis/study/measured.ts): j0, D and the Biot number versus OCV
 * with 95 % intervals, lin-KK per spectrum, figures, an HTML report and a BPX export.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import {
  electrodeFromGeometry,
  MEASURED_CIRCUIT,
  type MeasuredElectrode,
  type MeasuredPoint,
  type MeasuredStudyResult,
  parseIndexedSpectraCsv,
  parseOcvAlignment,
  runMeasuredStudy,
  summarize,
} from "../../analysis/study/measured.js";
import { InputError } from "../../errors.js";
import { bpxPartial } from "../../io/bpx.js";
import { toCsv, toJson } from "../../io/csv.js";
import { OutputDir } from "../../io/output-dir.js";
import { type ReportSection, renderReport } from "../../report/html.js";
import { renderPlot } from "../../report/svg-plot.js";
import {
  AREA_BOUNDS,
  type Command,
  FRACTION_BOUNDS,
  inputPaths,
  parseOptions,
  quantityOption,
  RADIUS_BOUNDS,
  stringOption,
  TEMPERATURE_BOUNDS,
} from "../command.js";
import { ProgressBar } from "../progress.js";
import { inputChecksums, versions } from "../provenance.js";

const OPTIONS = {
  ocv: { type: "string" },
  "alignment-key": { type: "string" },
  radius: { type: "string" },
  "active-area": { type: "string" },
  "electrode-area": { type: "string" },
  thickness: { type: "string" },
  "active-fraction": { type: "string" },
  capacity: { type: "string" },
  cmax: { type: "string" },
  temperature: { type: "string" },
  fmin: { type: "string" },
  fmax: { type: "string" },
  charge: { type: "string" },
  out: { type: "string" },
  force: { type: "boolean" },
  json: { type: "boolean" },
} as const;

const HELP = `Usage: cathodelab eis-study SPECTRA.csv --ocv ALIGNMENT.json --radius R (electrode) [options]

Kinetic study from measured impedance spectra (the seed-000 study on real data): each spectrum
is fitted with the single-particle circuit ${MEASURED_CIRCUIT}
(series R; charge transfer R_ct in series with finite spherical diffusion Wsph, R_D and
tau = R^2/D; double layer CPE) and gives, with 95 % intervals from the fit covariance:
j0 = RT/(F A R_ct), D = R^2/tau, D from R_D = |dU/dc| R/(F A D) as a check, the Biot number
B = R j0 |dU/dc|/(D R T), interface/diffusion C-rate limits and a lin-KK test.

SPECTRA.csv: one row per point with columns spectrum_index, frequency_Hz, Z_real_Ohm,
Z_imag_Ohm (similar names accepted; other columns ignored). ALIGNMENT.json: {indices,
"OCV [V]", "Positive electrode SOC [-]"} per spectrum, at the top level or under a key.

Electrode (A = total active surface, c_max for x = c/c_max and dU/dc = (dU/dx)/c_max):
  --radius R             particle radius, e.g. 5.22um (required)
  --active-area A        total active surface, e.g. 6.2cm2; or from the geometry:
  --electrode-area A     current-collector area, e.g. 2.54469cm2
  --thickness L          electrode thickness, e.g. 17um
  --active-fraction F    active-material volume fraction, e.g. 0.25 (A = 3 F L A_cc / R)
  --capacity Q           charge between x = 0 and 1, e.g. 0.7mAh (c_max = Q/(F F L A_cc))
  --cmax C               maximum concentration instead, e.g. 24150mol/m3

Options:
  --ocv FILE             OCV/x alignment JSON (required)
  --alignment-key KEY    which data set of the alignment file (default: the one whose name
                         the spectra file name contains)
  --temperature T        temperature (default 298.15K)
  --fmin F, --fmax F     fit only this frequency window (default: all points)
  --charge odd|even      which spectrum indices are delithiation (default odd)
  --out DIR              write kinetics.csv, linkk.csv, hysteresis.csv, kinetics.json, figures
                         (SVG), parameters.bpx.json (BPX 1.1.1 Partial: j0(x), D(x) tables),
                         report.html
  --force                replace a non-empty --out
  --json                 print the per-spectrum results as JSON

Example (Günther et al. 2025 monolayer NMC electrode, PyBOP Gunther2025 parameters):
  cathodelab eis-study test/data/pybop_gunther2025__monolayer_17_microns.csv \\
    --ocv test/data/pybop_gunther2025__impedance_ocv_alignment.json --radius 5.22um \\
    --electrode-area 2.54469cm2 --thickness 17um --active-fraction 0.25 --capacity 0.7mAh --out gunther`;

const mAcm2 = (a: number) => a / 10;
const cm2s = (d: number) => d * 1e4;

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    throw new InputError(`cannot read the ${what}`, { file: path, expected: "a readable file" });
  }
}

function electrodeOptions(values: Record<string, unknown>): MeasuredElectrode {
  const radius = quantityOption(values, "radius", "length", RADIUS_BOUNDS, { required: true }) as number;
  const temperature = quantityOption(values, "temperature", "temperature", TEMPERATURE_BOUNDS, {
    defaultUnit: "K",
  });
  const activeArea = quantityOption(values, "active-area", "area", AREA_BOUNDS);
  const electrodeArea = quantityOption(values, "electrode-area", "area", AREA_BOUNDS);
  const thickness = quantityOption(values, "thickness", "length", RADIUS_BOUNDS);
  const fraction = quantityOption(values, "active-fraction", "dimensionless", {
    ...FRACTION_BOUNDS,
    min: 0,
    minExclusive: true,
  });
  const capacity = quantityOption(values, "capacity", "charge", { min: 0, minExclusive: true, max: 1e7 });
  const cmax = quantityOption(values, "cmax", "concentration", { min: 0, minExclusive: true, max: 1e6 });
  const geometry = electrodeArea !== undefined && thickness !== undefined && fraction !== undefined;
  if (activeArea === undefined && !geometry)
    throw new InputError("the active surface is needed for j0", {
      field: "--active-area",
      expected: "--active-area A, or --electrode-area, --thickness and --active-fraction",
    });
  if (cmax === undefined && !(geometry && capacity !== undefined))
    throw new InputError("the maximum concentration is needed for dU/dc", {
      field: "--cmax",
      expected: "--cmax C, or --capacity Q with --electrode-area, --thickness and --active-fraction",
    });
  const fromGeometry =
    geometry && capacity !== undefined
      ? electrodeFromGeometry({
          particleRadius: radius,
          electrodeArea: electrodeArea as number,
          thickness: thickness as number,
          activeFraction: fraction as number,
          capacity,
        })
      : undefined;
  const area =
    activeArea ??
    fromGeometry?.activeArea ??
    (3 * (fraction as number) * (thickness as number) * (electrodeArea as number)) / radius;
  return {
    particleRadius: radius,
    activeArea: area,
    maxConcentration: cmax ?? (fromGeometry?.maxConcentration as number),
    temperature,
  };
}

const row = (p: MeasuredPoint) => ({
  index: p.index,
  phase: p.phase,
  ocv_V: p.ocv,
  x: p.x,
  dUdx_V: p.dUdx,
  dUdc_Vm3_per_mol: p.dUdc,
  points: p.points,
  fit_rms_relative: p.fit.rmsRelative,
  R0_Ohm: p.seriesResistance,
  Rct_Ohm: p.chargeTransferResistance.value,
  j0_A_m2: p.exchangeCurrentDensity.value,
  j0_ci_low: p.exchangeCurrentDensity.ci95[0],
  j0_ci_high: p.exchangeCurrentDensity.ci95[1],
  tau_s: p.diffusionTime.value,
  D_m2_s: p.diffusivity.value,
  D_ci_low: p.diffusivity.ci95[0],
  D_ci_high: p.diffusivity.ci95[1],
  D_from_RD_m2_s: p.diffusivityFromRd.value,
  biot: p.biot.value,
  biot_ci_low: p.biot.ci95[0],
  biot_ci_high: p.biot.ci95[1],
  C_j_per_h: p.interfacialCRate,
  C_D_per_h: p.diffusionCRate,
  limited_by: p.limitedBy,
  Cdl_F_m2: p.doubleLayerCapacitance,
  determined: p.determined,
  linkk_pass: p.linkk.pass,
  linkk_max_residual: p.linkk.maxResidual,
  linkk_rms_residual: p.linkk.rmsResidual,
  linkk_max_residual_2M: p.linkk.maxResidualDoubleM ?? "",
  notes: p.notes.join("; "),
});

/** The per-spectrum rows for JSON: non-finite numbers (an unbounded interval) become null. */
function jsonRows(r: MeasuredStudyResult): Record<string, unknown>[] {
  return r.points.map((p) =>
    Object.fromEntries(
      Object.entries(row(p)).map(([k, v]) => [k, typeof v === "number" && !Number.isFinite(v) ? null : v]),
    ),
  );
}

/** The j0(x) and D(x) tables (determined points) as a BPX 1.1.1 Partial document. */
export function measuredBpx(r: MeasuredStudyResult, title: string): Record<string, unknown> {
  const ok = r.points.filter((p) => p.determined);
  if (ok.length === 0)
    throw new InputError("no spectrum determines j0 and D: nothing to export", { field: "spectra" });
  const byPhase = (ph: string) => ok.filter((p) => p.phase === ph);
  const table = (pts: MeasuredPoint[], f: (p: MeasuredPoint) => number) => ({
    x: pts.map((p) => p.x),
    y: pts.map(f),
  });
  const extra: Record<string, { x: number[]; y: number[] }> = {};
  for (const ph of ["charge", "discharge"]) {
    const pts = byPhase(ph);
    if (pts.length === 0) continue;
    const name = ph === "charge" ? "delithiation" : "lithiation";
    extra[`Positive electrode exchange-current density (${name}) [A.m-2]`] = table(
      pts,
      (p) => p.exchangeCurrentDensity.value,
    );
    extra[`Positive electrode diffusivity (${name}) [m2.s-1]`] = table(pts, (p) => p.diffusivity.value);
    extra[`Positive electrode Biot number (${name})`] = table(pts, (p) => p.biot.value);
  }
  return bpxPartial({
    title,
    description: `j0 and D of the positive-electrode particles against x from measured impedance spectra (circuit ${r.circuit}); all spectra of both branches in the main tables, per branch in User-defined`,
    particleRadius: r.electrode.particleRadius,
    maxConcentration: r.electrode.maxConcentration,
    exchangeCurrentDensity: table(ok, (p) => p.exchangeCurrentDensity.value),
    diffusivity: table(ok, (p) => p.diffusivity.value),
    ocp: { x: r.ocv.x, y: r.ocv.u },
    extra,
  }).document;
}

function writeOutputs(out: OutputDir, r: MeasuredStudyResult, command: string[], inputs: string[]): void {
  const rows = r.points.map(row);
  out.write("kinetics.csv", toCsv(Object.keys(rows[0]), rows, { allowMissing: true }));
  out.write(
    "linkk.csv",
    toCsv(
      [
        "index",
        "phase",
        "ocv_V",
        "M",
        "mu",
        "max_residual",
        "rms_residual",
        "max_residual_2M",
        "pass",
        "verdict",
      ],
      r.points.map((p) => ({
        index: p.index,
        phase: p.phase,
        ocv_V: p.ocv,
        M: p.linkk.M,
        mu: p.linkk.mu,
        max_residual: p.linkk.maxResidual,
        rms_residual: p.linkk.rmsResidual,
        max_residual_2M: p.linkk.maxResidualDoubleM ?? "",
        pass: p.linkk.pass,
        verdict: p.linkk.verdict,
      })),
    ),
  );
  out.write(
    "hysteresis.csv",
    toCsv(
      ["x", "ocv_V", "j0_ratio_lith_over_delith", "D_ratio_lith_over_delith"],
      r.hysteresis.map((h) => ({
        x: h.x,
        ocv_V: h.ocv,
        j0_ratio_lith_over_delith: h.j0Ratio,
        D_ratio_lith_over_delith: h.dRatio,
      })),
      { allowMissing: true },
    ),
  );
  out.write(
    "kinetics.json",
    toJson({
      command,
      circuit: r.circuit,
      electrode: r.electrode,
      ocv: r.ocv,
      unmatched: r.unmatched,
      points: jsonRows(r),
    }),
  );
  out.write("parameters.bpx.json", toJson(measuredBpx(r, `cathodelab eis-study: ${basename(inputs[0])}`)));

  const ok = r.points.filter((p) => p.determined);
  const ph = (name: string) => ok.filter((p) => p.phase === name);
  const series = (f: (p: MeasuredPoint) => number, label: string) =>
    ["charge", "discharge"].flatMap((name) => {
      const pts = ph(name);
      return pts.length === 0
        ? []
        : [
            {
              label: `${label}${name === "charge" ? "delithiation" : "lithiation"}`,
              x: pts.map((p) => p.ocv),
              y: pts.map(f),
              style: "both" as const,
            },
          ];
    });
  const ciSeries = (lo: (p: MeasuredPoint) => number, hi: (p: MeasuredPoint) => number) =>
    ["charge", "discharge"].flatMap((name) => {
      const pts = ph(name);
      return pts.length === 0
        ? []
        : [
            { label: `95 % low (${name})`, x: pts.map((p) => p.ocv), y: pts.map(lo), dash: "2 3" },
            { label: `95 % high (${name})`, x: pts.map((p) => p.ocv), y: pts.map(hi), dash: "2 3" },
          ];
    });
  const figs: Record<string, string> = {};
  const pick = [r.points[0], r.points[Math.floor(r.points.length / 2)], r.points[r.points.length - 1]].filter(
    (p, i, a) => p && a.indexOf(p) === i,
  );
  figs["nyquist.svg"] = renderPlot(
    pick.flatMap((p) => [
      {
        label: `#${p.index} ${p.ocv.toFixed(3)} V data`,
        x: p.data.zReal,
        y: Float64Array.from(p.data.zImag, (v) => -v),
        style: "points" as const,
      },
      { label: `#${p.index} fit`, x: p.fit.fitReal, y: Float64Array.from(p.fit.fitImag, (v) => -v) },
    ]),
    {
      title: `Measured spectra and ${MEASURED_CIRCUIT} fits`,
      xLabel: "Re Z [Ω]",
      yLabel: "−Im Z [Ω]",
      equalAspect: true,
    },
  );
  figs["j0_vs_ocv.svg"] = renderPlot(
    [
      ...series((p) => mAcm2(p.exchangeCurrentDensity.value), "j0, "),
      ...ciSeries(
        (p) => mAcm2(p.exchangeCurrentDensity.ci95[0]),
        (p) => mAcm2(p.exchangeCurrentDensity.ci95[1]),
      ),
    ],
    { title: "Exchange current density vs OCV", xLabel: "OCV [V]", yLabel: "j0 [mA/cm²]", yScale: "log" },
  );
  figs["D_vs_ocv.svg"] = renderPlot(
    [
      ...series((p) => cm2s(p.diffusivity.value), "D = R²/τ, "),
      ...series((p) => cm2s(p.diffusivityFromRd.value), "D from R_D, "),
      ...ciSeries(
        (p) => cm2s(p.diffusivity.ci95[0]),
        (p) => cm2s(p.diffusivity.ci95[1]),
      ),
    ],
    { title: "Chemical diffusivity vs OCV", xLabel: "OCV [V]", yLabel: "D [cm²/s]", yScale: "log" },
  );
  figs["biot_vs_ocv.svg"] = renderPlot(
    [
      ...series((p) => p.biot.value, "B, "),
      ...ciSeries(
        (p) => p.biot.ci95[0],
        (p) => p.biot.ci95[1],
      ),
    ],
    { title: "Electrochemical Biot number vs OCV", xLabel: "OCV [V]", yLabel: "B", yScale: "log" },
  );
  figs["crate_vs_ocv.svg"] = renderPlot(
    [
      ...series((p) => p.interfacialCRate, "C_j (interface), "),
      ...series((p) => p.diffusionCRate, "C_D (diffusion), "),
    ],
    {
      title: `C-rate limits of a ${(r.electrode.particleRadius * 1e6).toPrecision(3)} µm radius particle (η = 100 mV)`,
      xLabel: "OCV [V]",
      yLabel: "C-rate [1/h]",
      yScale: "log",
    },
  );
  figs["linkk.svg"] = renderPlot(
    [
      {
        label: "max |Δ|",
        x: r.points.map((p) => p.ocv),
        y: r.points.map((p) => 100 * p.linkk.maxResidual),
        style: "points",
      },
      {
        label: "rms Δ",
        x: r.points.map((p) => p.ocv),
        y: r.points.map((p) => 100 * p.linkk.rmsResidual),
        style: "points",
      },
    ],
    {
      title: "lin-KK residuals per spectrum",
      xLabel: "OCV [V]",
      yLabel: "residual [% of |Z|]",
      yScale: "log",
    },
  );
  for (const [name, svg] of Object.entries(figs)) out.write(name, svg);

  const j0s = summarize(ok.map((p) => p.exchangeCurrentDensity.value));
  const ds = summarize(ok.map((p) => p.diffusivity.value));
  const bs = summarize(ok.map((p) => p.biot.value));
  const passKK = r.points.filter((p) => p.linkk.pass).length;
  const sections: ReportSection[] = [
    {
      heading: "Fits",
      paragraphs: [
        `${r.points.length} spectra fitted with ${r.circuit}; ${ok.length} determine j0 and D (finite 95 % intervals). Active area ${(r.electrode.activeArea * 1e4).toPrecision(4)} cm², particle radius ${(r.electrode.particleRadius * 1e6).toPrecision(4)} µm, c_max ${r.electrode.maxConcentration.toPrecision(4)} mol/m³.`,
      ],
      figures: [{ svg: figs["nyquist.svg"], caption: "Spectra (points) and fits (lines)." }],
    },
    {
      heading: "Kinetics versus OCV",
      figures: [
        { svg: figs["j0_vs_ocv.svg"], caption: "j0 from R_ct with 95 % intervals." },
        { svg: figs["D_vs_ocv.svg"], caption: "D from the diffusion time τ (and from R_D as a check)." },
        { svg: figs["biot_vs_ocv.svg"], caption: "Biot number B = R j0 |dU/dc|/(D R T)." },
        { svg: figs["crate_vs_ocv.svg"], caption: "Interface- and diffusion-limited C-rates (seed 000)." },
      ],
      tables: [
        {
          columns: ["#", "branch", "OCV [V]", "x", "j0 [mA/cm²]", "D [cm²/s]", "B", "lin-KK rms [%]"],
          rows: r.points.map((p) => [
            p.index,
            p.phase,
            p.ocv,
            p.x,
            mAcm2(p.exchangeCurrentDensity.value),
            p.determined ? cm2s(p.diffusivity.value) : "n.d.",
            p.determined ? p.biot.value : "n.d.",
            100 * p.linkk.rmsResidual,
          ]),
        },
      ],
    },
    {
      heading: "Kramers–Kronig (lin-KK)",
      paragraphs: [`${passKK} of ${r.points.length} spectra pass at 0.5 % of |Z|.`],
      figures: [{ svg: figs["linkk.svg"], caption: "lin-KK residuals of each spectrum." }],
    },
  ];
  out.write(
    "report.html",
    renderReport({
      title: "Kinetic study from measured impedance spectra",
      command,
      versions: versions(),
      inputs: inputChecksums(inputs),
      summary: [
        ...(j0s ? [{ label: "j0", value: `${j0s.min.toPrecision(2)}–${j0s.max.toPrecision(2)} A/m²` }] : []),
        ...(ds ? [{ label: "D", value: `${ds.min.toPrecision(2)}–${ds.max.toPrecision(2)} m²/s` }] : []),
        ...(bs ? [{ label: "Biot", value: `${bs.min.toPrecision(2)}–${bs.max.toPrecision(2)}` }] : []),
        { label: "lin-KK pass", value: `${passKK}/${r.points.length}` },
      ],
      sections,
      files: ["kinetics.csv", "linkk.csv", "hysteresis.csv", "kinetics.json", "parameters.bpx.json"],
    }),
  );
}

function summaryText(r: MeasuredStudyResult): string {
  const lines = [
    `${r.points.length} spectra, circuit ${r.circuit}; A = ${(r.electrode.activeArea * 1e4).toPrecision(4)} cm², R = ${(r.electrode.particleRadius * 1e6).toPrecision(4)} µm, c_max = ${r.electrode.maxConcentration.toPrecision(4)} mol/m³`,
    "   #  branch      OCV [V]   x      j0 [A/m²] (95 %)           D [m²/s] (95 %)                 D(R_D)     B      KK rms",
  ];
  for (const p of r.points) {
    const e = p.exchangeCurrentDensity;
    const d = p.diffusivity;
    lines.push(
      `  ${String(p.index).padStart(2)}  ${p.phase.padEnd(10)} ${p.ocv.toFixed(3)}  ${p.x.toFixed(3)}  ${e.value.toPrecision(3)} (${e.ci95[0].toPrecision(3)}–${e.ci95[1].toPrecision(3)})   ` +
        (p.determined
          ? `${d.value.toExponential(2)} (${d.ci95[0].toExponential(2)}–${d.ci95[1].toExponential(2)})  ${p.diffusivityFromRd.value.toExponential(2)}  ${p.biot.value.toPrecision(3).padStart(5)}`
          : "not determined".padEnd(58)) +
        `  ${(100 * p.linkk.rmsResidual).toFixed(1)} %`,
    );
  }
  if (r.unmatched.spectra.length > 0)
    lines.push(`  spectra without an OCV (left out): ${r.unmatched.spectra.join(", ")}`);
  return `${lines.join("\n")}\n`;
}

export const command: Command = {
  name: "eis-study",
  summary: "kinetic study from measured EIS: j0, D, Biot vs OCV with intervals, lin-KK, BPX",
  help: HELP,
  options: OPTIONS,
  async run(argv, ctx) {
    const { values, positionals } = parseOptions(argv, OPTIONS, true);
    if (positionals.length !== 1)
      throw new InputError("one spectra file is needed", {
        field: "SPECTRA",
        value: positionals.join(" ") || "(none)",
        expected: "cathodelab eis-study SPECTRA.csv --ocv ALIGNMENT.json --radius R …",
      });
    const file = positionals[0];
    const ocvFile = stringOption(values, "ocv", true, "the OCV/x alignment JSON") as string;
    const electrode = electrodeOptions(values);
    const fmin = quantityOption(
      values,
      "fmin",
      "frequency",
      { min: 0, minExclusive: true, max: 1e9 },
      { defaultUnit: "Hz" },
    );
    const fmax = quantityOption(
      values,
      "fmax",
      "frequency",
      { min: 0, minExclusive: true, max: 1e9 },
      { defaultUnit: "Hz" },
    );
    const charge = stringOption(values, "charge") ?? "odd";
    if (charge !== "odd" && charge !== "even")
      throw new InputError("bad --charge", { field: "--charge", value: charge, expected: "odd or even" });
    const spectra = parseIndexedSpectraCsv(readText(file, "spectra file"), file);
    let json: unknown;
    try {
      json = JSON.parse(readText(ocvFile, "alignment file"));
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError("alignment file is not valid JSON", {
        file: ocvFile,
        value: (e as Error).message,
      });
    }
    const alignment = parseOcvAlignment(json, {
      file: ocvFile,
      key: stringOption(values, "alignment-key"),
      hint: basename(file),
    });
    const outDir = stringOption(values, "out");
    const out = outDir
      ? OutputDir.open(outDir, {
          force: values.force === true,
          inputs: inputPaths(values, positionals, ["ocv"]),
        })
      : undefined;
    try {
      const bar = new ProgressBar("eis-study", ctx.stderr, ctx.isTTY);
      const result = runMeasuredStudy(spectra, alignment.points, electrode, {
        fMin: fmin,
        fMax: fmax,
        isCharge: (i) => (i % 2 === 1) === (charge === "odd"),
        onProgress: (f, label) => bar.update(f, label),
      });
      bar.finish();
      if (out) {
        writeOutputs(out, result, ["cathodelab", "eis-study", ...argv], [file, ocvFile]);
        out.commit();
      }
      if (values.json === true) ctx.stdout(toJson(jsonRows(result)));
      else {
        ctx.stdout(summaryText(result));
        if (out) ctx.stdout(`wrote ${out.files.length} files to ${out.target} (open report.html)\n`);
      }
      return 0;
    } catch (error) {
      out?.abort();
      throw error;
    }
  },
};
