/**
 * `cathodelab xrdct SAMPLE_DIR… --out DIR`: XRD-CT lattice-map analysis (seed 004, Daemi et al.;
 * SPEC §5): cell-volume maps, particle masks, per-particle distributions, edge → core profiles,
 * outlier particles, Li content from the material's a(x), c(x), comparison across samples, and
 * the R-3m peak table of each sample's mean lattice. Also exports the 2-D map reader shared by
 * the `optical` and `afm` commands (TIFF/NPY/PNG through src/io, CSV/Gwyddion text through the
 * pure matrix parser).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { InputError } from "../../errors.js";
import { parseMatrixText } from "../../imaging/afm/matrix-text.js";
import { cOverA, peakPositions } from "../../imaging/crystallography.js";
import type { Volume } from "../../imaging/volume.js";
import { analyseLatticeMaps, compareSamples, type LatticeMapResult } from "../../imaging/xrdct/analyse.js";
import { pooledProfile } from "../../imaging/xrdct/edge-core.js";
import { LI_CONTENT_CAVEAT } from "../../imaging/xrdct/li-content.js";
import { renderMap } from "../../imaging/xrdct/render-map.js";
import { type Cell, toCsv, toJson } from "../../io/csv.js";
import { encodeNpy } from "../../io/npy.js";
import { OutputDir } from "../../io/output-dir.js";
import { encodeRgbPng } from "../../io/png.js";
import { readVolumeFile } from "../../io/volume-io.js";
import { getMaterial } from "../../materials/index.js";
import type { Material } from "../../materials/material.js";
import { type ReportSection, renderReport } from "../../report/html.js";
import { renderPlot } from "../../report/svg-plot.js";
import { parseQuantity } from "../../units.js";
import { type Command, inputPaths, parseOptions, stringOption } from "../command.js";
import { inputChecksums, versions } from "../provenance.js";

const TEXT_EXT = new Set([".csv", ".txt", ".asc", ".dat", ".tsv"]);
const MAP_EXT = new Set([...TEXT_EXT, ".tif", ".tiff", ".npy", ".png"]);

/** Read a 2-D or 3-D map: text matrices (CSV, Gwyddion ASCII) or TIFF/NPY/PNG. Pixel size override [m]. */
export function readMap(
  path: string,
  pixel?: number,
): { volume: Volume; channel?: string; valueUnit?: string; spacingKnown: boolean } {
  if (!existsSync(path) || statSync(path).isDirectory())
    throw new InputError("map file not found", {
      file: path,
      expected: "an existing .tif, .npy, .png, .csv or .txt (Gwyddion ASCII) file",
    });
  const ext = extname(path).toLowerCase();
  let volume: Volume;
  let channel: string | undefined;
  let valueUnit: string | undefined;
  let known = false;
  if (TEXT_EXT.has(ext)) {
    const m = parseMatrixText(readFileSync(path, "utf8"), path);
    volume = m.image;
    channel = m.channel;
    valueUnit = m.valueUnit;
    known = m.spacingFromHeader;
  } else if (ext === ".png" || ext === ".tif" || ext === ".tiff" || ext === ".npy") {
    volume = readVolumeFile(path, ext === ".png" ? { rgb: "mean" } : {});
    known = volume.spacing[2] !== 1;
  } else {
    throw new InputError("unknown map file type", {
      file: path,
      value: ext || "(none)",
      expected: [...MAP_EXT].join(", "),
    });
  }
  if (pixel !== undefined) {
    volume = { ...volume, spacing: [pixel, pixel, pixel] };
    known = true;
  }
  return { volume, channel, valueUnit, spacingKnown: known };
}

/** A float64 copy of a volume's values multiplied by `scale`. */
function scaled(v: Volume, scale: number): Volume<Float64Array> {
  const d = new Float64Array(v.data.length);
  for (let i = 0; i < d.length; i++) d[i] = v.data[i] * scale;
  return { data: d, shape: v.shape, spacing: v.spacing };
}

/** JSON-safe copy: non-finite numbers → null (= not available). */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>, (v) => (Number.isFinite(v) ? v : null));
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  return value;
}

/** File-system-safe name. */
export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, "_") || "sample";
}

const OPTIONS = {
  a: { type: "string" },
  c: { type: "string" },
  intensity: { type: "string" },
  mask: { type: "string" },
  name: { type: "string" },
  "lattice-unit": { type: "string" },
  pixel: { type: "string" },
  material: { type: "string" },
  threshold: { type: "string" },
  "min-voxels": { type: "string" },
  "outlier-z": { type: "string" },
  shells: { type: "string" },
  bins: { type: "string" },
  wavelength: { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
  force: { type: "boolean" },
} as const;

const HELP = `Usage: cathodelab xrdct SAMPLE_DIR... --out DIR [options]
       cathodelab xrdct --a A_MAP --c C_MAP (--intensity IMG | --mask IMG) --out DIR [options]

XRD-CT lattice maps (seed 004, Daemi et al.): per-voxel a and c (2-D slice or 3-D) with a mean
intensity image (particles by Otsu) or a particle mask →
  cell volume V = (√3/2)·a²·c per voxel,
  per-particle mean/std/median of a, c, V and normalised distributions (value / particle mean),
  edge → core profiles over normalised depth from the exact distance map,
  outlier particles: modified z-score 0.6745·(m − median)/MAD of the particle means of a, c or
  V beyond --outlier-z (default 3.5, Iglewicz & Hoaglin 1993),
  Li content x per voxel by least squares on both a(x) and c(x) of --material (residual map),
  a comparison table across samples (changes vs the first), and the (003), (101), (104), (108),
  (110) d-spacings, Q and 2θ of each sample's mean lattice, with c/a.

A SAMPLE_DIR holds a.EXT, c.EXT and intensity.EXT or mask.EXT (EXT: tif, tiff, npy, csv, txt).
Map values are lattice parameters in --lattice-unit (default A = Å). CSV/TXT maps are plain
numeric matrices or Gwyddion ASCII exports (# Width: … headers give the pixel size).

Options:
  --a FILE, --c FILE    lattice maps of one sample (instead of SAMPLE_DIRs)
  --intensity FILE      mean-intensity image (particles = Otsu foreground), or
  --mask FILE           particle mask (non-zero = particle)
  --name NAME           sample name with --a/--c (default "sample")
  --lattice-unit U      A (default), nm or m
  --pixel L             pixel size, e.g. 1um (default: from the file, else 1 µm as in seed 004)
  --material M          NMC111 (= NMC333), NMC532, NMC622, NMC811, NCA: Li-content maps
  --threshold T         intensity threshold (default otsu)
  --min-voxels N        smallest particle kept (default 10)
  --outlier-z Z         modified z-score threshold (default 3.5)
  --shells N            edge → core shells (default 10)
  --bins N              histogram bins over ±1 % of the particle mean (default 41)
  --wavelength L        X-ray wavelength for 2θ (default 0.2480A, 50 keV as in seed 004)
  --out DIR             tables, figures and report.html (required)
  --force               replace a non-empty --out
  --json                print the summary as JSON

Example:
  cathodelab xrdct examples/issue7/xrdct/pristine examples/issue7/xrdct/cycled --material NMC111 --out xrdct-out`;

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

function findMap(dir: string, stem: string): string | undefined {
  const names = readdirSync(dir).filter(
    (n) => basename(n, extname(n)).toLowerCase() === stem && MAP_EXT.has(extname(n).toLowerCase()),
  );
  if (names.length > 1)
    throw new InputError(`several ${stem} maps in sample folder`, {
      file: dir,
      value: names.join(", "),
      expected: `one ${stem}.EXT`,
    });
  return names.length === 1 ? join(dir, names[0]) : undefined;
}

interface SampleInput {
  name: string;
  a: string;
  c: string;
  intensity?: string;
  mask?: string;
}

function sampleInputs(positionals: string[], values: Record<string, unknown>): SampleInput[] {
  const aPath = stringOption(values, "a");
  const cPath = stringOption(values, "c");
  if (aPath !== undefined || cPath !== undefined) {
    if (positionals.length > 0)
      throw new InputError("give SAMPLE_DIRs or --a/--c, not both", {
        field: "arguments",
        value: positionals[0],
      });
    if (!aPath || !cPath)
      throw new InputError("--a and --c go together", {
        field: aPath ? "--c" : "--a",
        expected: "a lattice map file",
      });
    const intensity = stringOption(values, "intensity");
    const mask = stringOption(values, "mask");
    if (!intensity && !mask)
      throw new InputError("missing --intensity or --mask", {
        field: "--intensity",
        expected: "a mean-intensity image or a particle mask",
      });
    return [{ name: stringOption(values, "name") ?? "sample", a: aPath, c: cPath, intensity, mask }];
  }
  if (positionals.length === 0)
    throw new InputError("no samples given", {
      field: "SAMPLE_DIR",
      expected: "one or more sample folders, or --a/--c maps",
    });
  return positionals.map((dir) => {
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new InputError("sample folder not found", {
        file: dir,
        expected: "a folder with a.*, c.* and intensity.* or mask.*",
      });
    const a = findMap(dir, "a");
    const c = findMap(dir, "c");
    const mask = findMap(dir, "mask");
    const intensity = findMap(dir, "intensity");
    if (!a || !c)
      throw new InputError("sample folder lacks a lattice map", {
        file: dir,
        field: a ? "c" : "a",
        expected: "files a.EXT and c.EXT (tif, npy, csv, txt)",
      });
    if (!mask && !intensity)
      throw new InputError("sample folder lacks an intensity image or mask", {
        file: dir,
        expected: "intensity.EXT or mask.EXT",
      });
    return { name: basename(dir.replace(/[/\\]+$/, "")), a, c, intensity, mask };
  });
}

const A = 1e-10;
const f = (v: number, d = 4) => (Number.isFinite(v) ? v.toFixed(d) : "n/a");

export const command: Command = {
  name: "xrdct",
  summary: "XRD-CT lattice maps: cell volume, per-particle distributions, outliers, Li content (seed 004)",
  help: HELP,
  options: OPTIONS,
  async run(argv, ctx) {
    const { values, positionals } = parseOptions(argv, OPTIONS);
    const outDir = stringOption(values, "out", true, "an output directory");
    const unitText = stringOption(values, "lattice-unit") ?? "A";
    const unit = ({ A: 1e-10, Å: 1e-10, nm: 1e-9, m: 1 } as Record<string, number>)[unitText];
    if (unit === undefined)
      throw new InputError("unknown lattice unit", {
        field: "--lattice-unit",
        value: unitText,
        expected: "A, nm or m",
      });
    const pixelText = stringOption(values, "pixel");
    const pixel =
      pixelText !== undefined
        ? parseQuantity(pixelText, "length", { field: "--pixel", positive: true })
        : undefined;
    const materialName = stringOption(values, "material");
    const material: Material | undefined = materialName !== undefined ? getMaterial(materialName) : undefined;
    const thresholdText = stringOption(values, "threshold") ?? "otsu";
    const threshold = thresholdText === "otsu" ? "otsu" : Number(thresholdText);
    if (threshold !== "otsu" && !Number.isFinite(threshold))
      throw new InputError("invalid threshold", {
        field: "--threshold",
        value: thresholdText,
        expected: "otsu or a number",
      });
    const zText = stringOption(values, "outlier-z") ?? "3.5";
    const outlierZ = Number(zText);
    if (!(outlierZ > 0))
      throw new InputError("invalid outlier threshold", {
        field: "--outlier-z",
        value: zText,
        expected: "a positive number",
      });
    const wavelength = parseQuantity(stringOption(values, "wavelength") ?? "0.2480A", "length", {
      field: "--wavelength",
      positive: true,
    });
    const minVoxels = intOption(values, "min-voxels", 10, 1, 1e9);
    const shells = intOption(values, "shells", 10, 1, 100);
    const bins = intOption(values, "bins", 41, 2, 1000);
    const inputs = sampleInputs(positionals, values);
    const names = new Set<string>();
    for (const s of inputs) {
      if (names.has(s.name))
        throw new InputError("two samples with the same name", {
          field: "SAMPLE_DIR",
          value: s.name,
          expected: "distinct folder names",
        });
      names.add(s.name);
    }

    const results: { name: string; result: LatticeMapResult; input: SampleInput; a: Volume; c: Volume }[] =
      [];
    for (const s of inputs) {
      const ar = readMap(s.a, pixel);
      const a = scaled(ar.volume, unit);
      const c = scaled(readMap(s.c, pixel).volume, unit);
      if (!ar.spacingKnown) {
        a.spacing = [1e-6, 1e-6, 1e-6];
        c.spacing = a.spacing;
      }
      c.spacing = a.spacing;
      // sanity: lattice parameters of layered oxides are a ≈ 2.8 Å, c ≈ 14 Å
      let am = 0;
      let n = 0;
      for (let i = 0; i < a.data.length && n < 1000; i++)
        if (Number.isFinite(a.data[i]) && a.data[i] > 0) {
          am += a.data[i];
          n++;
        }
      am /= n;
      if (!(am > 1e-10 && am < 1e-9))
        throw new InputError("a-map values are not lattice parameters in the given unit", {
          file: s.a,
          value: `${(am / unit).toPrecision(4)} ${unitText}`,
          expected: `a ≈ 2.8 Å; set --lattice-unit (A, nm, m)`,
        });
      const intensity = s.intensity ? { ...readMap(s.intensity).volume, spacing: a.spacing } : undefined;
      const mask = s.mask ? { ...readMap(s.mask).volume, spacing: a.spacing } : undefined;
      const result = analyseLatticeMaps(
        { a, c, intensity, mask },
        { threshold, minVoxels, outlierThreshold: outlierZ, shells, bins, material },
      );
      if (result.particles.length === 0)
        throw new InputError("no particles found", {
          file: s.intensity ?? s.mask,
          expected:
            "an intensity image with bright particles or a non-empty mask (check --threshold, --min-voxels)",
        });
      results.push({ name: s.name, result, input: s, a, c });
    }
    const comparison = compareSamples(results.map((r) => ({ name: r.name, result: r.result })));

    const particleRows: Record<string, Cell>[] = [];
    const profileRows: Record<string, Cell>[] = [];
    const histRows: Record<string, Cell>[] = [];
    const peakRows: Record<string, Cell>[] = [];
    for (const { name, result } of results) {
      const is2D = result.volumeMap.shape[0] === 1;
      for (const p of result.particles) {
        particleRows.push({
          sample: name,
          label: p.label,
          voxels: p.voxels,
          [is2D ? "area_um2" : "volume_um3"]: p.size / (is2D ? 1e-12 : 1e-18),
          centroid_x_px: p.centroid[2],
          centroid_y_px: p.centroid[1],
          centroid_z_px: p.centroid[0],
          a_mean_A: p.a.mean / A,
          a_std_A: p.a.std / A,
          a_median_A: p.a.median / A,
          c_mean_A: p.c.mean / A,
          c_std_A: p.c.std / A,
          c_median_A: p.c.median / A,
          V_mean_A3: p.volume.mean / A ** 3,
          V_std_A3: p.volume.std / A ** 3,
          x_mean: p.x?.mean,
          x_std: p.x?.std,
          z_a: p.z[0],
          z_c: p.z[1],
          z_V: p.z[2],
          outlier: p.outlier,
        });
      }
      for (const [q, profs, scale] of [
        ["a_A", result.profiles.a, A],
        ["c_A", result.profiles.c, A],
        ["V_A3", result.profiles.volume, A ** 3],
      ] as const) {
        for (const pr of profs)
          for (let k = 0; k < pr.edges.length; k++)
            profileRows.push({
              sample: name,
              label: pr.label,
              quantity: q,
              shell: k,
              rho_upper: pr.edges[k],
              voxels: pr.voxels[k],
              mean: pr.mean[k] / scale,
            });
      }
      for (const [q, h] of [
        ["a", result.distributions.a],
        ["c", result.distributions.c],
        ["V", result.distributions.volume],
      ] as const)
        for (let k = 0; k < h.centers.length; k++)
          histRows.push({
            sample: name,
            quantity: q,
            value_over_mean: h.centers[k],
            count: h.counts[k],
            density: h.density[k],
          });
      for (const pk of peakPositions(result.inliers.a, result.inliers.c, wavelength))
        peakRows.push({
          sample: name,
          hkl: pk.label,
          d_A: pk.d / A,
          Q_per_A: pk.q * A,
          two_theta_deg: (pk.twoTheta * 180) / Math.PI,
          c_over_a: cOverA(result.inliers.a, result.inliers.c),
        });
    }
    const comparisonRows = comparison.map((r) => ({
      sample: r.sample,
      particles: r.particles,
      outliers: r.outliers,
      a_A: r.a / A,
      c_A: r.c / A,
      V_A3: r.volume / A ** 3,
      c_over_a: r.c / r.a,
      a_std_within_A: r.aStdWithin / A,
      c_std_within_A: r.cStdWithin / A,
      x_mean: r.x,
      a_change_pct: r.aChange,
      c_change_pct: r.cChange,
      V_change_pct: r.volumeChange,
    }));
    const summary = {
      wavelength_m: wavelength,
      material: material?.name ?? null,
      outlierThreshold: outlierZ,
      definitions: {
        V: "(sqrt(3)/2)·a²·c (REFERENCE §2)",
        outlier:
          "|0.6745·(m − median)/MAD| > threshold for the particle mean of a, c or V (Iglewicz & Hoaglin 1993)",
        liContent:
          "argmin_x [(a(x)−a)/a]² + [(c(x)−c)/c]² over the material's valid range; residual = RMS strain misfit; mismatch = |x from a alone − x from c alone|. NOT a measurement of Li loss (seed 004)",
        normalisedDistribution: "histogram of value / particle mean, density (integral 1) over ±1 %",
      },
      samples: results.map(({ name, result, input }) => ({
        name,
        inputs: input,
        shape: result.volumeMap.shape,
        spacing_m: result.volumeMap.spacing,
        threshold: result.segmentation.threshold,
        particles: result.particles.length,
        outlierLabels: result.particles.filter((p) => p.outlier).map((p) => p.label),
        all: { a_A: result.overall.a / A, c_A: result.overall.c / A, V_A3: result.overall.volume / A ** 3 },
        inliers: {
          a_A: result.inliers.a / A,
          c_A: result.inliers.c / A,
          V_A3: result.inliers.volume / A ** 3,
        },
        outliers: result.particles
          .filter((p) => p.outlier)
          .map((p) => ({
            label: p.label,
            a_A: p.a.mean / A,
            c_A: p.c.mean / A,
            V_A3: p.volume.mean / A ** 3,
            z: p.z,
          })),
        liContent: result.liContent
          ? {
              atBound: result.liContent.atBound,
              medianX: median(result.liContent.x),
              medianResidual: median(result.liContent.residual),
              medianMismatch_x_a_vs_x_c: median(result.liContent.mismatch),
              caveat: result.liContent.caveat,
            }
          : null,
      })),
      comparison: comparisonRows,
    };

    const out = OutputDir.open(outDir, {
      force: values.force === true,
      inputs: inputPaths(values, positionals, ["a", "c", "intensity", "mask"]),
    });
    try {
      const files = [
        "particles.csv",
        "samples.csv",
        "profiles.csv",
        "histograms.csv",
        "peaks.csv",
        "summary.json",
        "histogram-a.svg",
        "histogram-c.svg",
        "histogram-V.svg",
        "profile-a.svg",
        "profile-c.svg",
      ];
      out.write("particles.csv", toCsv(Object.keys(particleRows[0]), particleRows, { allowMissing: true }));
      out.write("samples.csv", toCsv(Object.keys(comparisonRows[0]), comparisonRows, { allowMissing: true }));
      out.write(
        "profiles.csv",
        toCsv(["sample", "label", "quantity", "shell", "rho_upper", "voxels", "mean"], profileRows, {
          allowMissing: true,
        }),
      );
      out.write(
        "histograms.csv",
        toCsv(["sample", "quantity", "value_over_mean", "count", "density"], histRows, {
          allowMissing: true,
        }),
      );
      out.write(
        "peaks.csv",
        toCsv(["sample", "hkl", "d_A", "Q_per_A", "two_theta_deg", "c_over_a"], peakRows, {
          allowMissing: true,
        }),
      );
      out.write("summary.json", toJson(jsonSafe(summary)));
      const histSvg = (["a", "c", "volume"] as const).map((q) =>
        renderPlot(
          results.map(({ name, result }) => ({
            label: name,
            x: result.distributions[q].centers,
            y: result.distributions[q].density,
          })),
          {
            title: `normalised distribution of ${q === "volume" ? "V" : q} (value / particle mean)`,
            xLabel: `${q === "volume" ? "V" : q} / particle mean`,
            yLabel: "density",
          },
        ),
      );
      histSvg.forEach((svg, i) => {
        out.write(`histogram-${["a", "c", "V"][i]}.svg`, svg);
      });
      const profSvg = (["a", "c"] as const).map((q) =>
        renderPlot(
          results.map(({ name, result }) => {
            const pp = pooledProfile(result.profiles[q].filter((_, i) => !result.particles[i].outlier));
            const keep = Array.from(pp.mean.keys()).filter((k) => Number.isFinite(pp.mean[k]));
            return {
              label: name,
              x: keep.map((k) => pp.edges[k] - 0.5 / pp.edges.length),
              y: keep.map((k) => pp.mean[k] / A),
              style: "both" as const,
            };
          }),
          {
            title: `${q} from particle edge (0) to core (1)`,
            xLabel: "normalised depth d/d_max",
            yLabel: `${q} / Å`,
          },
        ),
      );
      profSvg.forEach((svg, i) => {
        out.write(`profile-${["a", "c"][i]}.svg`, svg);
      });
      const sections: ReportSection[] = [];
      for (const { name, result, a, c } of results) {
        const dir = safeName(name);
        const maps: [string, Volume, number][] = [
          ["a", a, A],
          ["c", c, A],
          ["V", result.volumeMap, A ** 3],
        ];
        if (result.liContent) {
          maps.push(["x", result.liContent.map, 1]);
          maps.push(["residual", { ...result.liContent.map, data: result.liContent.residual }, 1]);
          out.write(`${dir}/x.npy`, encodeNpy(result.liContent.map));
          out.write(
            `${dir}/residual.npy`,
            encodeNpy({ ...result.liContent.map, data: result.liContent.residual }),
          );
          files.push(`${dir}/x.npy`, `${dir}/residual.npy`);
        }
        out.write(`${dir}/V.npy`, encodeNpy(result.volumeMap));
        files.push(`${dir}/V.npy`);
        const captions: string[] = [];
        for (const [q, vol] of maps) {
          const img = renderMap(vol, { labels: result.segmentation.labels });
          out.write(`${dir}/${q}-map.png`, encodeRgbPng(img.rgb, img.width, img.height));
          files.push(`${dir}/${q}-map.png`);
          const scale = q === "a" || q === "c" ? A : q === "V" ? A ** 3 : 1;
          captions.push(`${q}-map.png: ${f(img.range[0] / scale)} … ${f(img.range[1] / scale)}`);
        }
        const outl = result.particles.filter((p) => p.outlier);
        sections.push({
          heading: `Sample ${name}`,
          paragraphs: [
            `${result.particles.length} particles (${result.segmentation.labels.shape.join("×")} voxels, threshold ${f(result.segmentation.threshold, 3)}), ${outl.length} outlier(s) at |z| > ${outlierZ}.`,
            `Mean over inlier particles: a = ${f(result.inliers.a / A)} Å, c = ${f(result.inliers.c / A)} Å, V = ${f(result.inliers.volume / A ** 3, 3)} Å³.`,
            ...outl.map(
              (p) =>
                `Outlier particle ${p.label}: a = ${f(p.a.mean / A)} Å, c = ${f(p.c.mean / A)} Å, V = ${f(p.volume.mean / A ** 3, 3)} Å³ (z = ${p.z.map((z) => f(z, 1)).join(", ")}).`,
            ),
            `Maps (viridis, particle outlines red, PNG in ${dir}/): ${captions.join("; ")}.`,
          ],
          tables: [
            {
              caption: "particles",
              columns: [
                "label",
                "voxels",
                "a / Å",
                "c / Å",
                "V / Å³",
                ...(material ? ["x"] : []),
                "z_a",
                "z_c",
                "z_V",
                "outlier",
              ],
              rows: result.particles.map((p) => [
                p.label,
                p.voxels,
                p.a.mean / A,
                p.c.mean / A,
                p.volume.mean / A ** 3,
                ...(material ? [p.x?.mean ?? null] : []),
                p.z[0],
                p.z[1],
                p.z[2],
                p.outlier,
              ]),
            },
          ],
        });
      }
      out.write(
        "report.html",
        renderReport({
          title: "XRD-CT lattice maps",
          command: ["cathodelab", "xrdct", ...argv],
          versions: versions(),
          inputs: inputChecksums(
            inputs.flatMap((s) =>
              [s.a, s.c, s.intensity, s.mask].filter((p): p is string => p !== undefined),
            ),
          ),
          summary: [
            { label: "samples", value: String(results.length) },
            { label: "particles", value: results.map((r) => r.result.particles.length).join(", ") },
            { label: "outliers", value: results.map((r) => r.result.outliers.indices.length).join(", ") },
            ...(material ? [{ label: "material", value: material.name }] : []),
          ],
          sections: [
            {
              heading: "Comparison across samples",
              paragraphs: [
                "Means over inlier particles; changes relative to the first sample (seed 004 reports a −0.5 %, c +0.6 %, V −0.4 % after 100 cycles to 4.2 V).",
              ],
              tables: [
                {
                  columns: Object.keys(comparisonRows[0]),
                  rows: comparisonRows.map((r) => Object.values(r)),
                },
              ],
              figures: [
                ...histSvg.map((svg, i) => ({
                  svg,
                  caption: `Normalised distribution of ${["a", "c", "V"][i]} (value / particle mean, seed 004 Fig. 8)`,
                })),
                ...profSvg.map((svg, i) => ({
                  svg,
                  caption: `${["a", "c"][i]} from edge to core (voxel-weighted over the inlier particles)`,
                })),
              ],
            },
            {
              heading: "Peak positions of the mean lattice",
              tables: [
                {
                  columns: ["sample", "hkl", "d / Å", "Q / Å⁻¹", "2θ / °", "c/a"],
                  rows: peakRows.map((r) => Object.values(r)),
                },
              ],
            },
            ...sections,
          ],
          files: [...files, "report.html"],
        }),
      );
      out.commit();
    } catch (error) {
      out.abort();
      throw error;
    }
    if (values.json === true) ctx.stdout(toJson(jsonSafe(summary)));
    else {
      const lines = ["sample        particles outliers   a/Å      c/Å       V/Å³     Δa%     Δc%     ΔV%"];
      for (const r of comparison)
        lines.push(
          `${r.sample.padEnd(14)}${String(r.particles).padStart(6)}${String(r.outliers).padStart(9)}  ${f(r.a / A)}  ${f(r.c / A)}  ${f(r.volume / A ** 3, 3)}  ${f(r.aChange, 3).padStart(6)}  ${f(r.cChange, 3).padStart(6)}  ${f(r.volumeChange, 3).padStart(6)}`,
        );
      for (const { name, result } of results)
        for (const p of result.particles.filter((q) => q.outlier))
          lines.push(
            `  outlier in ${name}: particle ${p.label} a = ${f(p.a.mean / A)} Å, c = ${f(p.c.mean / A)} Å, V = ${f(p.volume.mean / A ** 3, 3)} Å³`,
          );
      for (const { name, result } of results) {
        const li = result.liContent;
        if (li)
          lines.push(
            `  ${name}: Li content from a and c (median) x = ${f(median(li.x), 3)}, x from a alone vs c alone differ by ${f(median(li.mismatch), 3)} (median), strain residual ${f(median(li.residual) * 100, 3)} %`,
          );
      }
      if (results.some(({ result }) => result.liContent)) lines.push(`  caveat: ${LI_CONTENT_CAVEAT}`);
      lines.push(
        `wrote ${outDir}/ (report.html, particles.csv, samples.csv, profiles.csv, histograms.csv, peaks.csv, maps)`,
      );
      ctx.stdout(`${lines.join("\n")}\n`);
    }
    return 0;
  },
};

function median(v: ArrayLike<number>): number {
  const a = Array.from(v).filter((x) => Number.isFinite(x));
  if (a.length === 0) return Number.NaN;
  a.sort((p, q) => p - q);
  return a.length % 2 ? a[(a.length - 1) / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
}
