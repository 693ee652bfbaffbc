/**
 * `cathodelab afm MAP… --soc LIST --out DIR`: AFM maps (ESM amplitude, C-AFM current,
 * topography; seed 002, Jetybayeva et al.; SPEC §5): particle masks, per-particle statistics and
 * histograms, edge-versus-core gradients from the distance map, SOC trend across samples.
 */
import { basename, extname } from "node:path";
import { InputError } from "../../errors.js";
import { type AfmResult, analyseAfmMap, socTrend } from "../../imaging/afm/analyse.js";
import type { Volume } from "../../imaging/volume.js";
import { renderMap } from "../../imaging/xrdct/render-map.js";
import { type Cell, toCsv, toJson } from "../../io/csv.js";
import { OutputDir } from "../../io/output-dir.js";
import { encodeRgbPng } from "../../io/png.js";
import { renderReport } from "../../report/html.js";
import { renderPlot } from "../../report/svg-plot.js";
import { parseQuantity } from "../../units.js";
import { type Command, inputPaths, parseOptions, stringOption } from "../command.js";
import { inputChecksums, versions } from "../provenance.js";
import { jsonSafe, readMap, safeName } from "./xrdct.js";

const OPTIONS = {
  soc: { type: "string" },
  names: { type: "string" },
  mask: { type: "string" },
  "segment-on": { type: "string" },
  threshold: { type: "string" },
  below: { type: "boolean" },
  "min-pixels": { type: "string" },
  pixel: { type: "string" },
  shells: { type: "string" },
  bins: { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
  force: { type: "boolean" },
} as const;

const HELP = `Usage: cathodelab afm MAP... --out DIR [options]

AFM maps (seed 002): ESM amplitude, C-AFM current or topography as Gwyddion ASCII exports
(# Channel:, # Width: 5.000 µm, # Height:, # Value units: headers), CSV matrices or TIFF/NPY.
Particles are the map's pixels above (or --below) a threshold (Otsu by default) or a supplied
mask; holes are filled and small components dropped. Per particle: mean/std/median/min/max,
area, equivalent diameter; histograms of particle and matrix pixels; the edge → core profile
over normalised depth d/d_max from the exact distance map, the least-squares slope of the value
against depth d and the edge-minus-core contrast (outer third minus inner third). Across maps:
an SOC trend table of the particle mean with its least-squares slope.

Options:
  --soc LIST            SOC of each map in order, e.g. 0,50%,100% (fractions or %)
  --names LIST          sample names (default: file names)
  --mask FILE           particle mask (non-zero = particle) used for every map
  --segment-on FILE     threshold this image instead of the map (one map only)
  --threshold T         threshold in map units (default otsu)
  --below               particles are below the threshold (e.g. C-AFM current of a resistive particle)
  --min-pixels N        smallest particle (default 20)
  --pixel L             pixel size, e.g. 39nm (default: from the file header, else 1 µm)
  --shells N            edge → core shells (default 10)
  --bins N              histogram bins (default 50)
  --out DIR             particles.csv, profiles.csv, histograms.csv, trend.csv, summary.json,
                        <sample>/map.png, histograms.svg, profiles.svg, trend.svg, report.html
  --force, --json

Example:
  cathodelab afm examples/issue7/afm/soc0.txt examples/issue7/afm/soc50.txt examples/issue7/afm/soc100.txt --soc 0,50%,100% --out afm-out`;

function listOption(text: string | undefined, n: number, field: string): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(",").map((s) => s.trim());
  if (items.length !== n)
    throw new InputError(`${field} needs one entry per map`, {
      field,
      value: text,
      expected: `${n} comma-separated entries`,
    });
  return items;
}

function intOption(
  values: Record<string, unknown>,
  name: string,
  def: number,
  min: number,
  max: number,
): number {
  const t = stringOption(values, name);
  if (t === undefined) return def;
  const v = Number(t);
  if (!Number.isInteger(v) || v < min || v > max)
    throw new InputError(`--${name} must be an integer from ${min} to ${max}`, {
      field: `--${name}`,
      value: t,
    });
  return v;
}

const f = (v: number, d = 4) => (Number.isFinite(v) ? v.toPrecision(d) : "n/a");

export const command: Command = {
  name: "afm",
  summary:
    "ESM / C-AFM / topography maps: per-particle statistics, edge-core gradients, SOC trends (seed 002)",
  help: HELP,
  options: OPTIONS,
  async run(argv, ctx) {
    const { values, positionals } = parseOptions(argv, OPTIONS);
    if (positionals.length === 0)
      throw new InputError("no maps given", {
        field: "MAP",
        expected: "one or more map files (Gwyddion ASCII, CSV, TIFF, NPY)",
      });
    const outDir = stringOption(values, "out", true, "an output directory");
    const socs = (
      listOption(stringOption(values, "soc"), positionals.length, "--soc") ?? positionals.map(() => "")
    ).map((s) =>
      s === "" ? Number.NaN : parseQuantity(s, "dimensionless", { field: "--soc", defaultUnit: "" }),
    );
    for (const s of socs)
      if (Number.isFinite(s) && (s < 0 || s > 1))
        throw new InputError("SOC outside 0–100 %", {
          field: "--soc",
          value: String(s),
          expected: "fractions 0–1 or percentages 0%–100%",
        });
    const names =
      listOption(stringOption(values, "names"), positionals.length, "--names") ??
      positionals.map((p) => basename(p, extname(p)));
    if (new Set(names).size !== names.length)
      throw new InputError("sample names repeat", {
        field: "--names",
        value: names.join(","),
        expected: "distinct names",
      });
    const pixelText = stringOption(values, "pixel");
    const pixel =
      pixelText !== undefined
        ? parseQuantity(pixelText, "length", { field: "--pixel", positive: true })
        : undefined;
    const thrText = stringOption(values, "threshold") ?? "otsu";
    const threshold = thrText === "otsu" ? "otsu" : Number(thrText);
    if (threshold !== "otsu" && !Number.isFinite(threshold))
      throw new InputError("invalid threshold", {
        field: "--threshold",
        value: thrText,
        expected: "otsu or a number in map units",
      });
    const maskPath = stringOption(values, "mask");
    const segPath = stringOption(values, "segment-on");
    if (segPath && positionals.length > 1)
      throw new InputError("--segment-on works with one map", {
        field: "--segment-on",
        expected: "a single MAP",
      });
    const minPixels = intOption(values, "min-pixels", 20, 1, 1e9);
    const shells = intOption(values, "shells", 10, 1, 100);
    const bins = intOption(values, "bins", 50, 2, 1000);

    const samples: {
      name: string;
      soc: number;
      path: string;
      map: Volume;
      channel?: string;
      unit?: string;
      result: AfmResult;
    }[] = [];
    positionals.forEach((path, i) => {
      const r = readMap(path, pixel);
      let map = r.volume;
      if (!r.spacingKnown) map = { ...map, spacing: [1e-6, 1e-6, 1e-6] };
      if (map.shape[0] !== 1)
        throw new InputError("AFM maps are 2-D", {
          file: path,
          value: map.shape.join("×"),
          expected: "one image",
        });
      const mask = maskPath ? readMap(maskPath).volume : undefined;
      const segmentOn = segPath ? readMap(segPath).volume : undefined;
      for (const [v, p] of [
        [mask, maskPath],
        [segmentOn, segPath],
      ] as const)
        if (v && v.data.length !== map.data.length)
          throw new InputError("image size differs from the map", {
            file: p,
            value: v.shape.join("×"),
            expected: map.shape.join("×"),
          });
      const result = analyseAfmMap(map, {
        mask,
        segmentOn,
        threshold,
        polarity: values.below === true ? "below" : "above",
        minPixels,
        shells,
        bins,
      });
      if (result.particles.length === 0)
        throw new InputError("no particles found", {
          file: path,
          expected: "particles above the threshold (check --threshold, --below, --min-pixels)",
        });
      samples.push({
        name: names[i],
        soc: socs[i],
        path,
        map,
        channel: r.channel,
        unit: r.valueUnit,
        result,
      });
    });
    const trend = socTrend(samples.map((s) => ({ name: s.name, soc: s.soc, result: s.result })));
    const unit = samples[0].unit ?? "map units";
    const particleRows: Record<string, Cell>[] = [];
    const profileRows: Record<string, Cell>[] = [];
    const histRows: Record<string, Cell>[] = [];
    for (const s of samples) {
      for (const p of s.result.particles)
        particleRows.push({
          sample: s.name,
          soc: s.soc,
          label: p.stats.label,
          pixels: p.stats.voxels,
          area_um2: p.area / 1e-12,
          diameter_um: p.diameter / 1e-6,
          centroid_x_px: p.stats.centroid[2],
          centroid_y_px: p.stats.centroid[1],
          mean: p.stats.mean,
          std: p.stats.std,
          median: p.stats.median,
          min: p.stats.min,
          max: p.stats.max,
          edge_minus_core: p.profile.edgeMinusCore,
          slope_per_um: p.profile.slope * 1e-6,
          edge_value: p.profile.intercept,
          max_depth_um: p.profile.maxDepth / 1e-6,
        });
      for (const p of s.result.particles)
        for (let k = 0; k < p.profile.edges.length; k++)
          profileRows.push({
            sample: s.name,
            label: p.stats.label,
            shell: k,
            rho_upper: p.profile.edges[k],
            pixels: p.profile.voxels[k],
            mean: p.profile.mean[k],
          });
      const h = s.result.histogram;
      for (let k = 0; k < h.centers.length; k++)
        histRows.push({
          sample: s.name,
          value: h.centers[k],
          particle_count: h.counts[k],
          particle_density: h.density[k],
          matrix_count: s.result.backgroundHistogram.counts[k],
        });
    }
    const trendRows = trend.rows.map((r) => ({
      sample: r.sample,
      soc: r.soc,
      particles: r.particles,
      mean: r.mean,
      median: r.median,
      std: r.std,
      edge_minus_core: r.edgeMinusCore,
      matrix_mean: r.background,
    }));
    const summary = {
      channel: samples[0].channel ?? null,
      unit,
      trendSlopePerSoc: trend.slope,
      trendIntercept: trend.intercept,
      samples: samples.map((s) => ({
        name: s.name,
        file: s.path,
        soc: s.soc,
        shape: s.map.shape,
        pixel_m: s.map.spacing[2],
        threshold: s.result.segmentation.threshold,
        particles: s.result.particles.length,
        mean: s.result.overall.mean,
        std: s.result.overall.std,
        edgeMinusCore: s.result.edgeMinusCore,
        slopePerMetre: s.result.slope,
        matrixMean: s.result.background.mean,
      })),
    };
    const histSvg = renderPlot(
      samples.map((s) => ({ label: s.name, x: s.result.histogram.centers, y: s.result.histogram.density })),
      {
        title: `histogram of particle pixels (${samples[0].channel ?? "map"})`,
        xLabel: unit,
        yLabel: "density",
      },
    );
    const profSvg = renderPlot(
      samples.map((s) => {
        const keep = Array.from(s.result.profile.mean.keys()).filter((k) =>
          Number.isFinite(s.result.profile.mean[k]),
        );
        const n = s.result.profile.edges.length;
        return {
          label: s.name,
          x: keep.map((k) => (k + 0.5) / n),
          y: keep.map((k) => s.result.profile.mean[k]),
          style: "both" as const,
        };
      }),
      {
        title: "edge (0) → core (1) profile, pixel-weighted over particles",
        xLabel: "normalised depth d/d_max",
        yLabel: unit,
      },
    );
    const withSoc = trend.rows.filter((r) => Number.isFinite(r.soc));
    const trendSvg =
      withSoc.length > 0
        ? renderPlot(
            [
              {
                label: "particle mean",
                x: withSoc.map((r) => r.soc * 100),
                y: withSoc.map((r) => r.mean),
                style: "both",
              },
              {
                label: "edge − core",
                x: withSoc.map((r) => r.soc * 100),
                y: withSoc.map((r) => r.edgeMinusCore),
                style: "both",
                dash: "4 2",
              },
            ],
            { title: "SOC trend (seed 002 Fig. 3a)", xLabel: "SOC / %", yLabel: unit },
          )
        : undefined;
    await OutputDir.with(
      outDir,
      { force: values.force === true, inputs: inputPaths(values, positionals, ["mask", "segment-on"]) },
      (out) => {
        out.write("particles.csv", toCsv(Object.keys(particleRows[0]), particleRows, { allowMissing: true }));
        out.write("profiles.csv", toCsv(Object.keys(profileRows[0]), profileRows, { allowMissing: true }));
        out.write("histograms.csv", toCsv(Object.keys(histRows[0]), histRows, { allowMissing: true }));
        out.write("trend.csv", toCsv(Object.keys(trendRows[0]), trendRows, { allowMissing: true }));
        out.write("summary.json", toJson(jsonSafe(summary)));
        out.write("histograms.svg", histSvg);
        out.write("profiles.svg", profSvg);
        if (trendSvg) out.write("trend.svg", trendSvg);
        const files = [
          "particles.csv",
          "profiles.csv",
          "histograms.csv",
          "trend.csv",
          "summary.json",
          "histograms.svg",
          "profiles.svg",
          ...(trendSvg ? ["trend.svg"] : []),
        ];
        for (const s of samples) {
          const img = renderMap(s.map, { labels: s.result.segmentation.labels });
          out.write(`${safeName(s.name)}/map.png`, encodeRgbPng(img.rgb, img.width, img.height));
          files.push(`${safeName(s.name)}/map.png`);
        }
        out.write(
          "report.html",
          renderReport({
            title: `AFM maps${samples[0].channel ? `: ${samples[0].channel}` : ""}`,
            command: ["cathodelab", "afm", ...argv],
            versions: versions(),
            inputs: inputChecksums([
              ...positionals,
              ...(maskPath ? [maskPath] : []),
              ...(segPath ? [segPath] : []),
            ]),
            summary: [
              { label: "maps", value: String(samples.length) },
              { label: "particles", value: samples.map((s) => s.result.particles.length).join(", ") },
              { label: `trend slope (${unit} per unit SOC)`, value: f(trend.slope) },
            ],
            sections: [
              {
                heading: "SOC trend",
                paragraphs: [
                  "Particle mean over all particle pixels; edge − core = mean over the outer third of normalised depth minus the inner third (seed 002: boundary regions higher than the bulk).",
                ],
                tables: [
                  { columns: Object.keys(trendRows[0]), rows: trendRows.map((r) => Object.values(r)) },
                ],
                figures: [
                  ...(trendSvg
                    ? [{ svg: trendSvg, caption: "Particle mean and edge − core contrast against SOC" }]
                    : []),
                  { svg: histSvg, caption: "Histograms of particle pixels (seed 002 Figs. 1–2 iii)" },
                  { svg: profSvg, caption: "Edge → core profiles" },
                ],
              },
              ...samples.map((s) => ({
                heading: `Map ${s.name}`,
                paragraphs: [
                  `${s.map.shape[2]}×${s.map.shape[1]} px of ${f(s.map.spacing[2] / 1e-9)} nm; threshold ${f(s.result.segmentation.threshold)}; ${s.result.particles.length} particles; map image ${safeName(s.name)}/map.png (viridis, particle outlines red).`,
                ],
                tables: [
                  {
                    columns: [
                      "label",
                      "pixels",
                      "diameter / µm",
                      "mean",
                      "std",
                      "edge − core",
                      `slope / (${unit}/µm)`,
                    ],
                    rows: s.result.particles.map((p) => [
                      p.stats.label,
                      p.stats.voxels,
                      p.diameter / 1e-6,
                      p.stats.mean,
                      p.stats.std,
                      p.profile.edgeMinusCore,
                      p.profile.slope * 1e-6,
                    ]),
                  },
                ],
              })),
            ],
            files: [...files, "report.html"],
          }),
        );
      },
    );
    if (values.json === true) ctx.stdout(toJson(jsonSafe(summary)));
    else {
      const lines = ["sample        SOC   particles  mean       std        edge−core  matrix"];
      for (const r of trend.rows)
        lines.push(
          `${r.sample.padEnd(12)}${(Number.isFinite(r.soc) ? `${(100 * r.soc).toFixed(0)}%` : "?").padStart(5)}  ${String(r.particles).padStart(9)}  ${f(r.mean).padEnd(9)}  ${f(r.std).padEnd(9)}  ${f(r.edgeMinusCore).padEnd(9)}  ${f(r.background)}`,
        );
      if (Number.isFinite(trend.slope))
        lines.push(`trend: particle mean changes by ${f(trend.slope)} ${unit} per unit SOC`);
      lines.push(
        `wrote ${outDir}/ (report.html, particles.csv, profiles.csv, histograms.csv, trend.csv, figures)`,
      );
      ctx.stdout(`${lines.join("\n")}\n`);
    }
    return 0;
  },
};
