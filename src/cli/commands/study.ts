/**
 * `cathodelab study`: the virtual seed-000 single-particle kinetics study on any material
 * and radius, with tables, figures, a BPX-style parameter export and an HTML report.
 */
import { readFileSync } from "node:fs";
import { runVirtualStudy, STUDY_CIRCUIT, type VirtualStudyResult } from "../../analysis/study/index.js";
import { InputError } from "../../errors.js";
import { type BpxParticleData, bpxComplete, bpxPartial, bpxTemplate } from "../../io/bpx.js";
import { columnsToCsv, toCsv, toJson } from "../../io/csv.js";
import { OutputDir } from "../../io/output-dir.js";
import { getMaterial } from "../../materials/index.js";
import { type ReportSection, renderReport } from "../../report/html.js";
import { renderPlot } from "../../report/svg-plot.js";
import { parseQuantity } from "../../units.js";
import { type Command, parseOptions, stringOption } from "../command.js";
import { ProgressBar } from "../progress.js";
import { versions } from "../provenance.js";

const HELP = `Usage: cathodelab study --material NAME --radius R [--out DIR] [options]

The virtual single-particle study of seed 000 (Tsai et al. 2018) on any material and size:
C/20 step charge with 3 h / 3 mV/h relaxations and EIS at every relaxed OCV (fit of
${STUDY_CIRCUIT} → j0), discharge steps with relaxation, EIS and a +15 mV PITT step
(sphere-series fit → D, B, j0), Biot number vs OCV scaled to 10, 5 and 2 µm, C-rate limits
C_j and C_D for a 10 µm particle, charge/discharge hysteresis of j0. The recovered j0 and D
are compared with the material's own functions and the errors reported.

Options:
  --material NAME        NMC111 (NMC333), NMC532, NMC622, NMC811 or NCA (required)
  --radius R             particle RADIUS with unit, e.g. 13.25um (or --diameter; one is required)
  --diameter D           particle DIAMETER with unit, e.g. 26.5um (seed 000 quotes diameters)
  --out DIR              write tables (CSV/JSON), figures (SVG), parameters.bpx.json, report.html
  --force                replace a non-empty --out
  --json                 print the summary as JSON
  --cutoffs LIST         charge cut-offs in V, e.g. 3.8,3.9,4.0 (default 3.8 … 4.8 by 0.1)
  --pitt-step V          PITT step (default 15mV)
  --pitt-duration T      PITT step length (default 2h)
  --pitt-rest-rate R     |dV/dt| ending the rest before each PITT step (default 0.1 mV/h;
                         seed 000 used 3 mV/h, which biases D at low SOC, see docs)
  --noise F              relative Gaussian noise on the simulated EIS and PITT data (default 0)
  --seed N               noise seed (default 1)
  --area-ratio F         measured/sphere surface area for the fracture correction of j0 (default 1)
  --coating none|pvdf    binder coating (default none). Bare NCA loses electrical contact to
                         fractured grains at high SOC (seed 000): j0 falls > 10x and stays low
                         on discharge; pvdf holds the grains together and switches that off
  --bpx-template FILE    complete SPM/SPMe/DFN BPX from a filled-in parameters.bpx-template.json
                         (default: a valid BPX "Partial" document)

Example:
  cathodelab study --material NMC333 --radius 13.25um --out study-nmc333`;

export const STUDY_OPTIONS = {
  material: { type: "string" },
  radius: { type: "string" },
  diameter: { type: "string" },
  out: { type: "string" },
  force: { type: "boolean" },
  json: { type: "boolean" },
  cutoffs: { type: "string" },
  "pitt-step": { type: "string" },
  "pitt-duration": { type: "string" },
  "pitt-rest-rate": { type: "string" },
  noise: { type: "string" },
  seed: { type: "string" },
  "area-ratio": { type: "string" },
  coating: { type: "string" },
  "bpx-template": { type: "string" },
} as const;

/** --coating: none (default) or pvdf. */
function coatingOption(text: string | undefined): "none" | "pvdf" | undefined {
  if (text === undefined) return undefined;
  const t = text.toLowerCase();
  if (t === "none" || t === "pvdf") return t;
  throw new InputError(`unknown coating "${text}"`, { field: "--coating", value: text, expected: "none or pvdf" });
}

/** An unbounded confidence limit (+∞: the data bound the quantity from one side) as an empty CSV cell. */
const finiteOrBlank = (v: number): number | string => (Number.isFinite(v) ? v : "");

/** Customary-unit helpers for tables: A/m² → mA/cm², m²/s → cm²/s. */
const mAcm2 = (a: number) => a / 10;
const cm2s = (d: number) => d * 1e4;

/** Text summary printed by `study` and the demo. */
export function studySummaryText(r: VirtualStudyResult): string {
  const lines: string[] = [];
  lines.push(`${r.material}, ${(2 * r.radius * 1e6).toPrecision(4)} µm diameter`);
  lines.push("\n  EIS at relaxed OCVs (charge):      OCV      x      j0 fit [mA/cm²]   j0 true    error");
  for (const p of r.eis.filter((e) => e.phase === "charge")) {
    lines.push(
      `  ${" ".repeat(34)}${p.relaxedOcv.toFixed(3)}  ${p.xMean.toFixed(3)}  ${mAcm2(p.exchangeCurrentDensity).toExponential(3).padStart(12)}   ${mAcm2(p.exchangeCurrentDensityTrue).toExponential(3)}  ${(100 * p.exchangeCurrentDensityError).toFixed(1).padStart(5)} %`,
    );
  }
  lines.push(
    "\n  PITT +15 mV (discharge):   OCV     D fit [cm²/s]  D true     B       regime             j0 fit [mA/cm²]  j0 true",
  );
  for (const p of r.pitt) {
    lines.push(
      `  ${" ".repeat(26)}${p.relaxedOcv.toFixed(3)}  ${cm2s(p.diffusivity).toExponential(2)}   ${cm2s(p.diffusivityTrue).toExponential(2)}  ${p.biot.toPrecision(3).padStart(6)}  ${p.regime.padEnd(18)} ${mAcm2(p.exchangeCurrentDensity).toExponential(2)}${p.exchangeCurrentDensityDetermined ? " " : "*"}       ${mAcm2(p.exchangeCurrentDensityTrue).toExponential(2)}`,
    );
  }
  lines.push("  (* j0 not determined: diffusion-limited, B > 10)");
  const e = r.errors;
  lines.push(
    `\n  recovered vs true: j0 (EIS) median ${(100 * e.eisExchangeCurrent.median).toFixed(1)} %, max ${(100 * e.eisExchangeCurrent.max).toFixed(1)} % (n = ${e.eisExchangeCurrent.n});` +
      ` j0 (PITT) median ${(100 * e.pittExchangeCurrent.median).toFixed(1)} %, max ${(100 * e.pittExchangeCurrent.max).toFixed(1)} % (n = ${e.pittExchangeCurrent.n});` +
      ` D (PITT, 0.1 < B < 10) median ${(100 * e.pittDiffusivity.median).toFixed(1)} %, max ${(100 * e.pittDiffusivity.max).toFixed(1)} % (n = ${e.pittDiffusivity.n})`,
  );
  lines.push("\n  self-check (recovered vs the material's functions):");
  lines.push("    quantity                             n   median     max   tolerance (median/max)");
  for (const c of r.selfCheck) {
    const verdict = c.n === 0 ? `not checked: ${c.reason}` : c.pass ? "pass" : "FAIL";
    lines.push(
      `    ${c.label.padEnd(34)} ${String(c.n).padStart(3)} ${(100 * c.median).toFixed(1).padStart(6)} % ${(100 * c.max).toFixed(1).padStart(6)} %   ${(100 * c.tolMedian).toFixed(0)} %/${(100 * c.tolMax).toFixed(0)} %  ${verdict}`,
    );
  }
  for (const note of r.notes) lines.push(`  note: ${note}`);
  if (r.hysteresis.length > 0) {
    const ratios = r.hysteresis.map((h) => h.ratio);
    const charge = r.eis.filter((p) => p.phase === "charge").map((p) => p.exchangeCurrentDensity);
    const phi = Math.max(...r.eis.map((p) => p.isolatedFraction));
    lines.push(
      `  j0 hysteresis (discharge/charge at the same OCV): ${Math.min(...ratios).toPrecision(2)}–${Math.max(...ratios).toPrecision(2)}; charge j0 max/last ${(Math.max(...charge) / charge[charge.length - 1]).toPrecision(3)}; coating ${r.options.coating}${r.options.contactLoss ? `, contact loss on (isolated fraction up to ${phi.toFixed(3)})` : ""}${r.options.directionalExchangeCurrent ? ", direction-dependent i0" : ""}`,
    );
  }
  const rl = r.rateLimits;
  if (rl.length > 0) {
    const cj = rl.map((p) => p.interfacialCRate);
    const cd = rl.map((p) => p.diffusionCRate);
    lines.push(
      `  ${(r.options.rateLimitDiameter * 1e6).toPrecision(2)} µm-diameter particle at η = ${(r.options.overpotential * 1e3).toFixed(0)} mV: C_j ${Math.min(...cj).toPrecision(2)}–${Math.max(...cj).toPrecision(2)} C, C_D ${Math.min(...cd).toPrecision(2)}–${Math.max(...cd).toPrecision(2)} C`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Write every output of a study into `out`; returns the report sections' file list. */
export function writeStudyOutputs(
  out: OutputDir,
  r: VirtualStudyResult,
  command: string[],
  bpx?: { template: unknown; file: string },
): void {
  const s = r.series;
  out.write(
    "timeseries.csv",
    columnsToCsv({
      time_s: s.time,
      current_A: s.current,
      voltage_V: s.voltage,
      x_surface: s.surfaceLithiumFraction,
      x_mean: s.meanLithiumFraction,
    }),
  );
  out.write(
    "eis.csv",
    toCsv(
      [
        "phase",
        "step_V",
        "relaxed_ocv_V",
        "x_mean",
        "x_surface",
        "soc",
        "Rct_Ohm",
        "Rct_halfwidth95_Ohm",
        "j0_A_m2",
        "j0_mA_cm2",
        "j0_ci95_low_A_m2",
        "j0_ci95_high_A_m2",
        "j0_true_A_m2",
        "j0_rel_error",
        "fit_rms_relative",
      ],
      r.eis.map((p) => ({
        phase: p.phase,
        step_V: p.stepVoltage,
        relaxed_ocv_V: p.relaxedOcv,
        x_mean: p.xMean,
        x_surface: p.xSurface,
        soc: p.soc,
        Rct_Ohm: p.chargeTransferResistance,
        Rct_halfwidth95_Ohm: p.chargeTransferResistanceHalfWidth,
        j0_A_m2: p.exchangeCurrentDensity,
        j0_mA_cm2: mAcm2(p.exchangeCurrentDensity),
        j0_ci95_low_A_m2: p.exchangeCurrentDensityCi[0],
        j0_ci95_high_A_m2: Number.isFinite(p.exchangeCurrentDensityCi[1])
          ? p.exchangeCurrentDensityCi[1]
          : "",
        j0_true_A_m2: p.exchangeCurrentDensityTrue,
        j0_rel_error: p.exchangeCurrentDensityError,
        fit_rms_relative: p.fitRmsRelative,
      })),
    ),
  );
  r.eis.forEach((p, k) => {
    out.write(
      `spectra/eis_${String(k + 1).padStart(2, "0")}_${p.phase}_${p.relaxedOcv.toFixed(3)}V.csv`,
      columnsToCsv({
        frequency_Hz: p.frequency,
        z_real_Ohm: p.zReal,
        z_imag_Ohm: p.zImag,
        fit_real_Ohm: p.fitReal,
        fit_imag_Ohm: p.fitImag,
      }),
    );
  });
  out.write(
    "pitt.csv",
    toCsv(
      [
        "step_V",
        "relaxed_ocv_V",
        "x_mean",
        "soc",
        "dUdc_V_m3_mol",
        "D_m2_s",
        "D_cm2_s",
        "D_ci95_low",
        "D_ci95_high",
        "D_determined",
        "B",
        "B_ci95_low",
        "B_ci95_high",
        "regime",
        "j0_A_m2",
        "j0_mA_cm2",
        "j0_ci95_low",
        "j0_ci95_high",
        "j0_determined",
        "D_true_m2_s",
        "j0_true_A_m2",
        "D_rel_error",
        "j0_rel_error",
      ],
      r.pitt.map((p) => ({
        step_V: p.stepVoltage,
        relaxed_ocv_V: p.relaxedOcv,
        x_mean: p.xMean,
        soc: p.soc,
        dUdc_V_m3_mol: p.dUdc,
        D_m2_s: p.diffusivity,
        D_cm2_s: cm2s(p.diffusivity),
        D_ci95_low: finiteOrBlank(p.diffusivityCi[0]),
        D_ci95_high: finiteOrBlank(p.diffusivityCi[1]),
        D_determined: p.diffusivityDetermined,
        B: p.biot,
        B_ci95_low: finiteOrBlank(p.biotCi[0]),
        B_ci95_high: finiteOrBlank(p.biotCi[1]),
        regime: p.regime,
        j0_A_m2: p.exchangeCurrentDensity,
        j0_mA_cm2: mAcm2(p.exchangeCurrentDensity),
        j0_ci95_low: finiteOrBlank(p.exchangeCurrentDensityCi[0]),
        j0_ci95_high: finiteOrBlank(p.exchangeCurrentDensityCi[1]),
        j0_determined: p.exchangeCurrentDensityDetermined,
        D_true_m2_s: p.diffusivityTrue,
        j0_true_A_m2: p.exchangeCurrentDensityTrue,
        D_rel_error: p.diffusivityError,
        j0_rel_error: p.exchangeCurrentDensityError,
      })),
    ),
  );
  r.pitt.forEach((p, k) => {
    out.write(
      `transients/pitt_${String(k + 1).padStart(2, "0")}_${p.relaxedOcv.toFixed(3)}V.csv`,
      columnsToCsv({ time_s: p.time, current_A: p.current, fit_A: p.fitted }),
    );
  });
  const diameters = r.rateLimits[0]?.biotScaled.map((b) => b.diameter) ?? [];
  const dName = (d: number) => `biot_diameter_${(d * 1e6).toPrecision(3)}um`;
  out.write(
    "ratelimits.csv",
    toCsv(
      [
        "relaxed_ocv_V",
        "biot",
        ...diameters.map(dName),
        "j0_A_m2",
        "j0_source",
        "C_j_per_h",
        "C_D_per_h",
        "limited_by",
      ],
      r.rateLimits.map((p) => {
        const row: Record<string, string | number> = {
          relaxed_ocv_V: p.relaxedOcv,
          biot: p.biot,
          j0_A_m2: p.exchangeCurrentDensity,
          j0_source: p.exchangeCurrentDensitySource,
          C_j_per_h: p.interfacialCRate,
          C_D_per_h: p.diffusionCRate,
          limited_by: p.limitedBy,
        };
        p.biotScaled.forEach((b) => {
          row[dName(b.diameter)] = b.biot;
        });
        return row;
      }),
    ),
  );
  out.write(
    "hysteresis.csv",
    toCsv(
      ["relaxed_ocv_V", "j0_charge_A_m2", "j0_discharge_A_m2", "ratio"],
      r.hysteresis.map((h) => ({
        relaxed_ocv_V: h.relaxedOcv,
        j0_charge_A_m2: h.chargeExchangeCurrentDensity,
        j0_discharge_A_m2: h.dischargeExchangeCurrentDensity,
        ratio: h.ratio,
      })),
    ),
  );
  out.write("parameters.bpx.json", toJson(bpxExport(r, bpx)));
  out.write("parameters.bpx-template.json", toJson(bpxTemplate(bpxParticleData(r), "DFN")));
  out.write(
    "summary.json",
    toJson({ command, material: r.material, radius_m: r.radius, errors: r.errors, options: r.options }),
  );

  // figures
  const charge = r.eis.filter((p) => p.phase === "charge");
  const discharge = r.eis.filter((p) => p.phase === "discharge");
  const figs: Record<string, string> = {};
  figs["voltage.svg"] = renderPlot(
    [{ label: "V", x: Float64Array.from(s.time, (t) => t / 3600), y: s.voltage }],
    {
      title: "Study protocol",
      xLabel: "time [h]",
      yLabel: "V vs Li/Li⁺ [V]",
    },
  );
  const pick = [charge[0], charge[Math.floor(charge.length / 2)], charge[charge.length - 1]].filter(Boolean);
  figs["nyquist.svg"] = renderPlot(
    pick.flatMap((p) => [
      {
        label: `${p.relaxedOcv.toFixed(2)} V data`,
        x: p.zReal,
        y: Float64Array.from(p.zImag, (v) => -v),
        style: "points" as const,
      },
      { label: `${p.relaxedOcv.toFixed(2)} V fit`, x: p.fitReal, y: Float64Array.from(p.fitImag, (v) => -v) },
    ]),
    {
      title: "EIS at relaxed OCVs (charge)",
      xLabel: "Re Z [Ω]",
      yLabel: "−Im Z [Ω]",
      equalAspect: true,
    },
  );
  figs["j0_vs_ocv.svg"] = renderPlot(
    [
      {
        label: "EIS, charge",
        x: charge.map((p) => p.relaxedOcv),
        y: charge.map((p) => mAcm2(p.exchangeCurrentDensity)),
        style: "both",
      },
      {
        label: "EIS, discharge",
        x: discharge.map((p) => p.relaxedOcv),
        y: discharge.map((p) => mAcm2(p.exchangeCurrentDensity)),
        style: "both",
      },
      {
        label: "PITT",
        x: r.pitt.map((p) => p.relaxedOcv),
        y: r.pitt.map((p) => mAcm2(p.exchangeCurrentDensity)),
        style: "points",
      },
      {
        label: "material i0(x_s)",
        x: charge.map((p) => p.relaxedOcv),
        y: charge.map((p) => mAcm2(p.exchangeCurrentDensityTrue)),
        dash: "4 3",
      },
    ],
    {
      title: "Exchange current density vs OCV",
      xLabel: "relaxed OCV [V]",
      yLabel: "j0 [mA/cm²]",
      yScale: "log",
    },
  );
  figs["D_vs_ocv.svg"] = renderPlot(
    [
      {
        label: "PITT",
        x: r.pitt.map((p) => p.relaxedOcv),
        y: r.pitt.map((p) => cm2s(p.diffusivity)),
        style: "both",
      },
      {
        label: "material D(x)",
        x: r.pitt.map((p) => p.relaxedOcv),
        y: r.pitt.map((p) => cm2s(p.diffusivityTrue)),
        dash: "4 3",
      },
    ],
    { title: "Chemical diffusivity vs OCV", xLabel: "relaxed OCV [V]", yLabel: "D [cm²/s]", yScale: "log" },
  );
  figs["biot_vs_ocv.svg"] = renderPlot(
    [
      {
        label: `${(2 * r.radius * 1e6).toPrecision(3)} µm diameter (studied)`,
        x: r.rateLimits.map((p) => p.relaxedOcv),
        y: r.rateLimits.map((p) => p.biot),
        style: "both",
      },
      ...diameters.map((d, k) => ({
        label: `${(d * 1e6).toPrecision(2)} µm diameter`,
        x: r.rateLimits.map((p) => p.relaxedOcv),
        y: r.rateLimits.map((p) => p.biotScaled[k].biot),
        style: "both" as const,
      })),
    ],
    {
      title: "Electrochemical Biot number (B ∝ radius)",
      xLabel: "relaxed OCV [V]",
      yLabel: "B",
      yScale: "log",
    },
  );
  figs["crate_vs_ocv.svg"] = renderPlot(
    [
      {
        label: "C_j (interface)",
        x: r.rateLimits.map((p) => p.relaxedOcv),
        y: r.rateLimits.map((p) => p.interfacialCRate),
        style: "both",
      },
      {
        label: "C_D (diffusion)",
        x: r.rateLimits.map((p) => p.relaxedOcv),
        y: r.rateLimits.map((p) => p.diffusionCRate),
        style: "both",
      },
    ],
    {
      title: `C-rate limits, ${(r.options.rateLimitDiameter * 1e6).toPrecision(2)} µm diameter, η = ${(r.options.overpotential * 1e3).toFixed(0)} mV`,
      xLabel: "relaxed OCV [V]",
      yLabel: "C-rate [1/h]",
      yScale: "log",
    },
  );
  const mid = r.pitt[Math.floor(r.pitt.length / 2)];
  if (mid) {
    figs["pitt_transient.svg"] = renderPlot(
      [
        { label: "simulated", x: mid.time, y: mid.current, style: "points" },
        { label: "series fit", x: mid.time, y: mid.fitted },
      ],
      {
        title: `PITT +${(r.options.pittStep * 1e3).toFixed(0)} mV from ${mid.relaxedOcv.toFixed(3)} V`,
        xLabel: "t [s]",
        yLabel: "I [A]",
        xScale: "log",
        yScale: "log",
      },
    );
  }
  for (const [name, svg] of Object.entries(figs)) out.write(name, svg);

  const sections: ReportSection[] = [
    {
      heading: "Protocol",
      paragraphs: [
        `C/20 step charge to each cut-off, relaxation for ${(r.options.restDuration / 3600).toFixed(1)} h or until |dV/dt| < ${(r.options.restRate * 3600 * 1e3).toFixed(1)} mV/h, EIS 200 kHz–10 mHz at each relaxed OCV; discharge steps with relaxation, EIS and a +${(r.options.pittStep * 1e3).toFixed(0)} mV PITT step (seed 000).`,
      ],
      figures: [{ svg: figs["voltage.svg"], caption: "Cell voltage over the whole study." }],
    },
    {
      heading: "Exchange current density",
      paragraphs: [`EIS fitted with ${STUDY_CIRCUIT}; j0 = RT/(F·A·R_ct) with A = 4πR².`],
      figures: [
        { svg: figs["nyquist.svg"], caption: "Spectra and fits (log axes)." },
        {
          svg: figs["j0_vs_ocv.svg"],
          caption: "Recovered j0 vs the material's i0 at the surface composition.",
        },
      ],
      tables: [
        {
          caption: "EIS fits",
          columns: ["phase", "OCV [V]", "x", "R_ct [Ω]", "j0 [mA/cm²]", "true [mA/cm²]", "error [%]"],
          rows: r.eis.map((p) => [
            p.phase,
            p.relaxedOcv,
            p.xMean,
            p.chargeTransferResistance,
            mAcm2(p.exchangeCurrentDensity),
            mAcm2(p.exchangeCurrentDensityTrue),
            100 * p.exchangeCurrentDensityError,
          ]),
        },
      ],
    },
    {
      heading: "PITT: diffusivity, Biot number, j0",
      figures: [
        ...(figs["pitt_transient.svg"]
          ? [{ svg: figs["pitt_transient.svg"], caption: "A PITT transient and its sphere-series fit." }]
          : []),
        { svg: figs["D_vs_ocv.svg"], caption: "Recovered D vs the material's D(x)." },
      ],
      tables: [
        {
          caption: "PITT fits",
          columns: [
            "OCV [V]",
            "D [cm²/s]",
            "true",
            "B",
            "regime",
            "j0 [mA/cm²]",
            "true",
            "D err [%]",
            "j0 err [%]",
          ],
          rows: r.pitt.map((p) => [
            p.relaxedOcv,
            cm2s(p.diffusivity),
            cm2s(p.diffusivityTrue),
            p.biot,
            p.regime,
            mAcm2(p.exchangeCurrentDensity),
            mAcm2(p.exchangeCurrentDensityTrue),
            100 * p.diffusivityError,
            p.exchangeCurrentDensityDetermined ? 100 * p.exchangeCurrentDensityError : "not determined",
          ]),
        },
      ],
    },
    {
      heading: "Rate limits",
      figures: [
        {
          svg: figs["biot_vs_ocv.svg"],
          caption: "Biot number vs OCV for the studied radius and scaled radii.",
        },
        {
          svg: figs["crate_vs_ocv.svg"],
          caption: "Interface- and diffusion-limited C-rates (seed 000 eqns 6–8).",
        },
      ],
    },
    {
      heading: "Charge/discharge hysteresis of j0",
      tables: [
        {
          columns: ["OCV [V]", "j0 charge [mA/cm²]", "j0 discharge [mA/cm²]", "ratio"],
          rows: r.hysteresis.map((h) => [
            h.relaxedOcv,
            mAcm2(h.chargeExchangeCurrentDensity),
            mAcm2(h.dischargeExchangeCurrentDensity),
            h.ratio,
          ]),
        },
      ],
    },
  ];
  const e = r.errors;
  out.write(
    "report.html",
    renderReport({
      title: `Virtual single-particle study: ${r.material}, ${(2 * r.radius * 1e6).toPrecision(4)} µm`,
      command,
      versions: versions(),
      summary: [
        { label: "j0 (EIS) median error", value: `${(100 * e.eisExchangeCurrent.median).toFixed(1)} %` },
        { label: "j0 (PITT) median error", value: `${(100 * e.pittExchangeCurrent.median).toFixed(1)} %` },
        { label: "D (PITT) median error", value: `${(100 * e.pittDiffusivity.median).toFixed(1)} %` },
      ],
      sections,
      files: [
        "eis.csv",
        "pitt.csv",
        "ratelimits.csv",
        "hysteresis.csv",
        "timeseries.csv",
        "parameters.bpx.json",
        "parameters.bpx-template.json",
      ],
    }),
  );
}

/** The study's positive-electrode functions for the BPX export (x = Li fraction, SI). */
export function bpxParticleData(r: VirtualStudyResult): BpxParticleData {
  const eis = r.eis.filter((p) => p.phase === "charge");
  // D only where the PITT transient determines it (all points when none does)
  const determined = r.pitt.filter((p) => p.diffusivityDetermined);
  const pitt = determined.length > 0 ? determined : r.pitt;
  return {
    title: `cathodelab virtual study: ${r.material}`,
    description:
      "Positive-electrode particle functions from the virtual seed-000 study: j0 from EIS (charge, R_ct), D from PITT (sphere-series fit), OCP = relaxed OCV, against the mean Li fraction x",
    particleRadius: r.radius,
    maxConcentration: getMaterial(r.material).maxConcentration,
    exchangeCurrentDensity: { x: eis.map((p) => p.xMean), y: eis.map((p) => p.exchangeCurrentDensity) },
    diffusivity: { x: pitt.map((p) => p.xMean), y: pitt.map((p) => p.diffusivity) },
    ocp: { x: eis.map((p) => p.xMean), y: eis.map((p) => p.relaxedOcv) },
  };
}

/**
 * BPX 1.1.1 export (src/io/bpx.ts): a valid "Partial" document, or with a filled-in template a
 * complete SPM/SPMe/DFN document.
 */
export function bpxExport(
  r: VirtualStudyResult,
  bpx?: { template: unknown; file: string },
): Record<string, unknown> {
  const data = bpxParticleData(r);
  return (bpx ? bpxComplete(data, bpx.template, bpx.file) : bpxPartial(data)).document;
}

export const command: Command = {
  name: "study",
  summary: "the virtual seed-000 single-particle study: EIS/PITT → j0, D, Biot, rate limits",
  help: HELP,
  options: STUDY_OPTIONS,
  async run(argv, ctx) {
    const { values } = parseOptions(argv, STUDY_OPTIONS, false);
    const material = getMaterial(stringOption(values, "material", true, "a material name such as NMC333"));
    const radiusText = stringOption(values, "radius");
    const diameterText = stringOption(values, "diameter");
    if ((radiusText === undefined) === (diameterText === undefined)) {
      throw new InputError("give the particle size as exactly one of --radius or --diameter", {
        field: "--radius/--diameter",
        expected: "e.g. --radius 13.25um or --diameter 26.5um",
      });
    }
    const radius =
      radiusText !== undefined
        ? parseQuantity(radiusText, "length", { field: "--radius", positive: true })
        : parseQuantity(diameterText as string, "length", { field: "--diameter", positive: true }) / 2;
    const cutoffsText = stringOption(values, "cutoffs");
    const chargeCutoffs = cutoffsText
      ?.split(",")
      .map((v) => parseQuantity(v, "voltage", { field: "--cutoffs", defaultUnit: "V" }));
    const num = (name: string, dim: Parameters<typeof parseQuantity>[1], def?: string) => {
      const v = stringOption(values, name);
      return v === undefined
        ? undefined
        : parseQuantity(v, dim, { field: `--${name}`, defaultUnit: def, positive: dim !== "dimensionless" });
    };
    const seedText = stringOption(values, "seed");
    const outDir = stringOption(values, "out");
    const bpxFile = stringOption(values, "bpx-template");
    let bpx: { template: unknown; file: string } | undefined;
    if (bpxFile !== undefined) {
      let text: string;
      try {
        text = readFileSync(bpxFile, "utf8");
      } catch {
        throw new InputError("cannot read the BPX template", { file: bpxFile, field: "--bpx-template" });
      }
      try {
        bpx = { template: JSON.parse(text), file: bpxFile };
      } catch (e) {
        throw new InputError("BPX template is not valid JSON", {
          file: bpxFile,
          value: (e as Error).message,
          expected: "the JSON of parameters.bpx-template.json with every REQUIRED value filled in",
        });
      }
    }
    const out = outDir ? OutputDir.open(outDir, { force: values.force === true }) : undefined;
    try {
      const bar = new ProgressBar("study", ctx.stderr, ctx.isTTY);
      const result = runVirtualStudy({
        material,
        radius,
        chargeCutoffs,
        pittStep: num("pitt-step", "voltage"),
        pittDuration: num("pitt-duration", "time"),
        pittRestRate: num("pitt-rest-rate", "voltageRate"),
        noise: num("noise", "dimensionless"),
        seed: seedText === undefined ? undefined : Number(seedText),
        surfaceAreaRatio: num("area-ratio", "dimensionless"),
        coating: coatingOption(stringOption(values, "coating")),
        onProgress: (f, stage) => bar.update(f, stage),
      });
      bar.finish();
      if (out) {
        writeStudyOutputs(out, result, ["cathodelab", "study", ...argv], bpx);
        out.commit();
      }
      if (values.json === true) {
        ctx.stdout(
          toJson({
            material: result.material,
            radius_m: result.radius,
            errors: result.errors,
            eis: result.eis.length,
            pitt: result.pitt.length,
          }),
        );
      } else {
        ctx.stdout(studySummaryText(result));
        if (out) ctx.stdout(`\nwrote ${out.files.length} files to ${out.target} (open report.html)\n`);
      }
      return 0;
    } catch (error) {
      out?.abort();
      throw error;
    }
  },
};
