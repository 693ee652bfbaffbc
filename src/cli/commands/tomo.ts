/**
 * `cathodelab tomo analyze|compare|synth`: crack quantification of tomograms (issue 4).
 */
import { extname } from "node:path";
import { InputError } from "../../errors.js";
import { distanceTransform } from "../../imaging/distance.js";
import { syntheticParticles } from "../../imaging/synthetic.js";
import {
  greyHistogramFigure,
  radialProfileFigure,
  radialSummary,
  sliceFigure,
} from "../../imaging/tomo-figures.js";
import {
  analyzeTomogram,
  compareTomograms,
  type TomoAnalysis,
  type TomoAnalysisOptions,
} from "../../imaging/tomography.js";
import type { Volume } from "../../imaging/volume.js";
import { toCsv, toJson } from "../../io/csv.js";
import { hdf5VolumesBytes } from "../../io/hdf5-node.js";
import { OutputDir } from "../../io/output-dir.js";
import { parseVoxelSize, readVolumeFileWithInfo, writeVolumeFile } from "../../io/volume-io.js";
import { volumesVti } from "../../io/vtk.js";
import { type ReportSection, renderReport } from "../../report/html.js";
import { svgToPng } from "../../report/png-node.js";
import { parseQuantity } from "../../units.js";
import {
  type Command,
  type CommandContext,
  integerOption,
  numberOption,
  parseOptions,
  stringOption,
} from "../command.js";
import { ProgressBar } from "../progress.js";
import { inputChecksums, versions } from "../provenance.js";

const ANALYSIS_HELP = `Options:
  --voxel SIZE           voxel size, e.g. 0.124um or dz,dy,dx (default: from the file's metadata)
  --threshold T          particle/background grey level (default: Otsu)
  --otsu MODE            Otsu arithmetic: skimage (default: float32 counts as scikit-image ≥ 0.20,
                         so thresholds match published pipelines) or float64 (exact optimum)
  --channel N, --frame N ImageJ hyperstacks: the channel / time frame to analyse (1-based)
  --closing R            closing radius before hole filling, voxels, 0 to 50 (default 2)
  --no-split             do not split touching particles
  --min-voxels N         discard particles smaller than N voxels (default 200)
  --crack-threshold T    crack grey level, or otsu-global (default) / otsu-particle
  --tophat R             also mark black top-hat responses with a ball of radius R voxels (1 to 50)
  --shells N             shells of the radial crack profile, 1 to 1000 (default 10)
  --min-crack-voxels N   smallest crack piece, voxels (default 8; 4 for 2-D images)
  --min-crack-depth D    depth a crack must reach below the particle surface, voxels (default 3)
  --no-skeleton          skip crack skeletons
  --collector AXIS=POS   current-collector plane, e.g. z=0um (gives each particle's depth)`;

const HELP = `Usage: cathodelab tomo analyze|compare|synth ... [options]

  cathodelab tomo analyze VOLUME [--voxel SIZE] [options] --out DIR
  cathodelab tomo compare PRISTINE CHARGED [--voxel SIZE] [--pairs 1:2,3:4] [options] --out DIR
  cathodelab tomo synth --out DIR [--shape 96,128,128] [--particles 8] [--seed 1] [--voxel 0.124um]

Crack quantification of tomograms (seed 001). Run "cathodelab tomo analyze --help" (etc.) for
the options of each.

Example:
  cathodelab tomo synth --out synth && cathodelab tomo analyze synth/volume.tif --tophat 2 --out synth-analysis`;

const ANALYZE_HELP = `Usage: cathodelab tomo analyze VOLUME [--voxel SIZE] [options] --out DIR

Threshold (Otsu) → closing → hole filling → labelling → watershed split of touching
particles → internal cracks (dark voxels, optional black top-hat) → per-particle table
(volume, diameter, centroid, depth below the collector, crack volume fraction, crack surface
area, skeleton statistics, radial crack profile, surface/volume ratio vs a sphere), slice
PNGs with overlays, report.html. VOLUME: a TIFF stack, a folder of TIFF/PNG slices, .npy, or
.raw with a .json header.

${ANALYSIS_HELP}
  --write-volumes        also write labels.tif and cracks.tif
  --out DIR              particles.csv, radial_profiles.csv, summary.json, slices/, report.html
  --force                replace an earlier cathodelab output folder
  --json                 print the particle table as JSON on stdout

Example:
  cathodelab tomo synth --out synth && cathodelab tomo analyze synth/volume.tif --tophat 2 --out synth-analysis`;

const COMPARE_HELP = `Usage: cathodelab tomo compare PRISTINE CHARGED [--voxel SIZE] [--pairs 1:2,3:4] [options] --out DIR

Analyses both volumes (as tomo analyze), registers them (translation of the particle
centroids) and matches the particles: volume change, crack volume and the share of the volume
change explained by segmentable cracks (seed 001).

${ANALYSIS_HELP}
  --pairs LIST           PRISTINE:CHARGED label pairs instead of matching, e.g. 1:2,3:5
  --out DIR              matches.csv, comparison.json, both analyses, report.html
  --force                replace an earlier cathodelab output folder
  --json                 print the matches as JSON on stdout

Example:
  cathodelab tomo synth --out pristine --seed 1 && cathodelab tomo synth --out charged --seed 1 && cathodelab tomo compare pristine/volume.tif charged/volume.tif --out cmp`;

const SYNTH_HELP = `Usage: cathodelab tomo synth --out DIR [--shape 96,128,128] [--particles 8] [--seed 1] [--voxel 0.124um]

Writes a synthetic volume with planted radial cracks and central voids (volume.tif) and its
ground truth (truth.json, truth_particles.tif, truth_cracks.tif).

Options:
  --shape NZ,NY,NX       volume shape in voxels, each 8 to 1024 (default 96,128,128)
  --particles N          number of particles, 1 to 1000 (default 8)
  --seed N               random seed (default 1)
  --voxel SIZE           voxel size (default 0.124um)
  --out DIR              output folder (required)
  --force                replace an earlier cathodelab output folder

Example:
  cathodelab tomo synth --out synth --shape 48,64,64 --particles 3`;

const ANALYSIS_OPTIONS = {
  voxel: { type: "string" },
  threshold: { type: "string" },
  closing: { type: "string" },
  "no-split": { type: "boolean" },
  "min-voxels": { type: "string" },
  "crack-threshold": { type: "string" },
  otsu: { type: "string" },
  channel: { type: "string" },
  frame: { type: "string" },
  "min-crack-voxels": { type: "string" },
  "min-crack-depth": { type: "string" },
  tophat: { type: "string" },
  shells: { type: "string" },
  "no-skeleton": { type: "boolean" },
  collector: { type: "string" },
  out: { type: "string" },
  force: { type: "boolean" },
  json: { type: "boolean" },
} as const;

const ANALYZE_OPTIONS = { ...ANALYSIS_OPTIONS, "write-volumes": { type: "boolean" } } as const;
const COMPARE_OPTIONS = { ...ANALYSIS_OPTIONS, pairs: { type: "string" } } as const;
const SYNTH_OPTIONS = {
  shape: { type: "string" },
  particles: { type: "string" },
  seed: { type: "string" },
  voxel: { type: "string" },
  out: { type: "string" },
  force: { type: "boolean" },
} as const;

const ANY = { min: -Number.MAX_VALUE, max: Number.MAX_VALUE };

function analysisOptions(values: Record<string, unknown>): TomoAnalysisOptions {
  const crackThreshold = stringOption(values, "crack-threshold");
  let threshold: number | "otsu-global" | "otsu-particle" | undefined;
  if (crackThreshold === "otsu-global" || crackThreshold === "otsu-particle") threshold = crackThreshold;
  else if (crackThreshold !== undefined) {
    threshold = Number(crackThreshold);
    if (!Number.isFinite(threshold)) {
      throw new InputError("invalid crack threshold", {
        field: "--crack-threshold",
        value: crackThreshold,
        expected: "a grey level, otsu-global or otsu-particle",
      });
    }
  }
  const collectorText = stringOption(values, "collector");
  let collector: TomoAnalysisOptions["collector"];
  if (collectorText !== undefined) {
    const m = /^([xyz])\s*=\s*(.+)$/.exec(collectorText);
    if (!m)
      throw new InputError("invalid collector plane", {
        field: "--collector",
        value: collectorText,
        expected: "AXIS=POSITION, e.g. z=0um",
      });
    collector = {
      axis: m[1] as "z" | "y" | "x",
      position: parseQuantity(m[2], "length", { field: "--collector" }),
    };
  }
  const otsu = stringOption(values, "otsu");
  if (otsu !== undefined && otsu !== "skimage" && otsu !== "float64") {
    throw new InputError("invalid Otsu arithmetic", {
      field: "--otsu",
      value: otsu,
      expected: "skimage or float64",
    });
  }
  return {
    threshold: numberOption(values, "threshold", ANY),
    otsu,
    closingRadius: integerOption(values, "closing", 0, 50),
    split: values["no-split"] !== true,
    minVoxels: integerOption(values, "min-voxels", 1, 1e9),
    collector,
    cracks: {
      threshold,
      tophatRadius: integerOption(values, "tophat", 1, 50),
      shells: integerOption(values, "shells", 1, 1000),
      minCrackVoxels: integerOption(values, "min-crack-voxels", 1, 1e9),
      minCrackDepth: numberOption(values, "min-crack-depth", { min: 0, max: 1e6 }),
      skeleton: values["no-skeleton"] !== true,
    },
  };
}

/**
 * Every option of the analysis as used (defaults filled in), for summary.json: a rerun with
 * these values reproduces the result.
 */
function resolvedOptions(o: TomoAnalysisOptions, a: TomoAnalysis, values: Record<string, unknown>) {
  const c = o.cracks ?? {};
  return {
    threshold: a.thresholdMethod === "given" ? a.threshold : "otsu",
    thresholdMethod: a.thresholdMethod,
    otsuArithmetic: o.otsu ?? "skimage",
    closingRadius_voxels: o.closingRadius ?? 2,
    closingBorder: "reflect",
    fillHoles: true,
    split: o.split !== false,
    watershed: {
      minDynamic_voxels: 2,
      relativeDynamic: 0.3,
      minFragmentVoxels: a.ndim === 2 ? 16 : 64,
      minRadius_voxels: 3,
    },
    minVoxels: o.minVoxels ?? 200,
    crackThreshold: c.threshold ?? "otsu-global",
    tophatRadius_voxels: c.tophatRadius ?? 0,
    minCrackVoxels: c.minCrackVoxels ?? (a.ndim === 2 ? 4 : 8),
    minCrackDepth_voxels: c.minCrackDepth ?? 3,
    shells: c.shells ?? 10,
    skeleton: c.skeleton !== false,
    collector: o.collector ? { axis: o.collector.axis, position_um: um(o.collector.position) } : null,
    voxel_m: [...a.labels.spacing],
    channel: integerOption(values, "channel", 1, 1e6) ?? null,
    frame: integerOption(values, "frame", 1, 1e6) ?? null,
    ndim: a.ndim,
  };
}

function readVolume(path: string, values: Record<string, unknown>): Volume {
  const voxel = stringOption(values, "voxel");
  const info = readVolumeFileWithInfo(path, {
    voxelSize: voxel,
    channel: integerOption(values, "channel", 1, 1e6),
    frame: integerOption(values, "frame", 1, 1e6),
  });
  if (info.spacingSource === "default") {
    throw new InputError("the voxel size is not in the file", {
      file: path,
      field: "--voxel",
      expected: "--voxel SIZE, e.g. --voxel 0.124um (or dz,dy,dx)",
    });
  }
  return info.volume;
}

const um = (m: number) => m * 1e6;

/** Per-particle rows; 2-D images get planar names (area, perimeter, circle-equivalent diameter). */
function particleRows(a: TomoAnalysis) {
  const flat = a.ndim === 2;
  return a.particles.map((p) => ({
    label: p.label,
    [flat ? "pixels" : "voxels"]: p.voxels,
    ...(flat
      ? {
          area_um2: p.volume * 1e12,
          circle_equivalent_diameter_um: um(p.equivalentDiameter),
        }
      : { volume_um3: p.volume * 1e18, equivalent_diameter_um: um(p.equivalentDiameter) }),
    ...(flat ? {} : { centroid_z_um: um(p.centroid[0]) }),
    centroid_y_um: um(p.centroid[1]),
    centroid_x_um: um(p.centroid[2]),
    depth_um: Number.isFinite(p.depth) ? um(p.depth) : "",
    [flat ? "crack_pixels" : "crack_voxels"]: p.crackVoxels,
    ...(flat
      ? {
          crack_area_fraction: p.crackVolumeFraction,
          crack_perimeter_um: um(p.crackSurfaceArea),
          solid_perimeter_um: um(p.solidSurfaceArea),
          perimeter_to_area_per_um: p.surfaceToVolume * 1e-6,
          perimeter_ratio_to_circle: p.surfaceRatioToSphere,
        }
      : {
          crack_volume_fraction: p.crackVolumeFraction,
          crack_surface_area_um2: p.crackSurfaceArea * 1e12,
          solid_surface_area_um2: p.solidSurfaceArea * 1e12,
          surface_to_volume_per_um: p.surfaceToVolume * 1e-6,
          surface_ratio_to_sphere: p.surfaceRatioToSphere,
        }),
    skeleton_branches: p.skeleton?.branches ?? "",
    skeleton_junctions: p.skeleton?.junctions ?? "",
    skeleton_total_length_um: p.skeleton ? um(p.skeleton.totalLength) : "",
    mean_grey: p.meanGrey,
  }));
}

/** "Otsu threshold 134 (skimage arithmetic)" or "threshold 120 (given)". */
function thresholdText(a: TomoAnalysis): string {
  if (a.thresholdMethod === "given") return `threshold ${a.threshold} (given with --threshold)`;
  return `Otsu threshold ${a.threshold} (${a.thresholdMethod === "otsu-float64" ? "exact float64" : "scikit-image float32"} arithmetic)`;
}

function writeAnalysis(
  out: OutputDir,
  grey: Volume,
  a: TomoAnalysis,
  prefix: string,
  writeVolumes: boolean,
  options: Record<string, unknown>,
): ReportSection {
  const rows = particleRows(a);
  const columns = Object.keys(rows[0] ?? { label: 0 });
  out.write(`${prefix}particles.csv`, toCsv(columns, rows, { allowMissing: true }));
  const shells = a.particles[0]?.radialProfile.edges.length ?? 0;
  const profileRows = a.particles.map((p) => {
    const row: Record<string, number | string> = { label: p.label, cracked: p.crackVoxels > 0 ? 1 : 0 };
    for (let k = 0; k < shells; k++) {
      const v = p.radialProfile.mean[k];
      row[`shell_${k + 1}`] = Number.isFinite(v) ? v : "";
    }
    return row;
  });
  out.write(
    `${prefix}radial_profiles.csv`,
    toCsv(["label", "cracked", ...Array.from({ length: shells }, (_, k) => `shell_${k + 1}`)], profileRows, {
      allowMissing: true,
    }),
  );
  const radial = radialSummary(a);
  const radialSvg = radialProfileFigure(radial, a.ndim);
  out.write(`${prefix}radial_profile.svg`, radialSvg);
  const histSvg = greyHistogramFigure(grey, a.threshold, thresholdText(a));
  out.write(`${prefix}histogram.svg`, histSvg);
  const [nz, ny, nx] = grey.shape;
  // a 2-D image has one plane; the y and x "slices" would be 1-pixel strips
  const planes: [0 | 1 | 2, number, string][] =
    a.ndim === 2
      ? [[0, 0, "z"]]
      : [
          [0, nz >> 1, "z"],
          [1, ny >> 1, "y"],
          [2, nx >> 1, "x"],
        ];
  const sliceFigures = planes.map(([axis, index, name]) => {
    const f = sliceFigure(a, grey, axis, index);
    const file = `${prefix}slices/${name}${index}`;
    out.write(`${file}.svg`, f.svg);
    out.write(`${file}.png`, svgToPng(f.svg, { scale: 1.5 }));
    return { svg: f.svg, file, labels: f.labels, name, index };
  });
  if (writeVolumes) {
    // uint16 while the labels fit, uint32 beyond 65 535 (never clamped)
    let maxLabel = 0;
    for (let i = 0; i < a.labels.data.length; i++)
      if (a.labels.data[i] > maxLabel) maxLabel = a.labels.data[i];
    const labelData = maxLabel > 65535 ? Uint32Array.from(a.labels.data) : Uint16Array.from(a.labels.data);
    writeVolumeFile(out.path(`${prefix}labels.tif`), {
      data: labelData,
      shape: a.labels.shape,
      spacing: a.labels.spacing,
    });
    writeVolumeFile(out.path(`${prefix}cracks.tif`), a.cracks);
    // ParaView (.vti, raw binary) and HDF5/NeXus copies, with the distance to the particle surface
    const solid = { ...a.labels, data: Uint8Array.from(a.labels.data, (l) => (l > 0 ? 1 : 0)) };
    const dist = distanceTransform(solid, { output: "float32" }).data;
    for (let i = 0; i < dist.length; i++) if (!Number.isFinite(dist[i])) dist[i] = -1; // no background at all
    const grids = [
      { name: "labels", volume: a.labels },
      { name: "cracks", volume: a.cracks },
      { name: "distance_to_surface_m", volume: { ...a.labels, data: dist }, units: "m" },
    ];
    out.write(`${prefix}volumes.vti`, volumesVti(grids));
    out.write(`${prefix}volumes.h5`, hdf5VolumesBytes(grids));
  }
  const flat = a.ndim === 2;
  const finiteOrNull = (v: number[]) => v.map((x) => (Number.isFinite(x) ? x : null));
  out.write(
    `${prefix}summary.json`,
    toJson({
      ndim: a.ndim,
      threshold: a.threshold,
      thresholdMethod: a.thresholdMethod,
      options,
      particles: a.totals.count,
      ...(flat
        ? {
            particleArea_um2: a.totals.particleVolume * 1e12,
            crackArea_um2: a.totals.crackVolume * 1e12,
            crackAreaFraction: a.totals.crackVolumeFraction,
          }
        : {
            particleVolume_um3: a.totals.particleVolume * 1e18,
            crackVolume_um3: a.totals.crackVolume * 1e18,
            crackVolumeFraction: a.totals.crackVolumeFraction,
          }),
      crackedParticles: radial.nCracked,
      intactParticles: radial.nIntact,
      radialProfile: {
        normalisedDepth: radial.depth,
        crackFraction: finiteOrNull(radial.all),
        crackedMean: finiteOrNull(radial.cracked),
        crackedQ25: finiteOrNull(radial.q25),
        crackedQ75: finiteOrNull(radial.q75),
        intactMean: finiteOrNull(radial.intact),
      },
    }),
  );
  const what = flat ? "area" : "volume";
  return {
    heading: `${prefix ? `${prefix.replace(/_$/, "")}: ` : ""}particles and cracks`,
    paragraphs: [
      `${thresholdText(a)}; ${a.totals.count} particles (${radial.nCracked} cracked, ${radial.nIntact} intact); total crack ${what} fraction ${(100 * a.totals.crackVolumeFraction).toFixed(2)} %.`,
      `A crack is solid-enclosed porosity: dark voxels inside a particle's filled envelope forming a connected piece of at least ${String(options.minCrackVoxels)} voxels that reaches ${String(options.minCrackDepth_voxels)} voxels below the envelope surface (docs/tomography.md).${flat ? " This is a 2-D image: areas, perimeters and circle-equivalent diameters." : ""}`,
    ],
    figures: [
      ...sliceFigures.map((f) => ({
        svg: f.svg,
        caption: `${f.file}.png: ${a.ndim === 2 ? "the image" : `plane ${f.name} = ${f.index}`} with particle outlines and cracks; numbers are particle labels (rows of particles.csv).`,
      })),
      {
        svg: histSvg,
        caption: `Grey-level histogram (log scale) with the ${thresholdText(a)} separating particles from background.`,
      },
      {
        svg: radialSvg,
        caption: `Crack ${what} fraction by normalised depth: mean of the cracked particles with its interquartile range (particle-weighted), mean of the intact ones, and the voxel-weighted mean of all (radial_profiles.csv).`,
      },
    ],
    tables: [
      {
        caption: "Per-particle table (all columns in particles.csv)",
        columns: [
          "label",
          flat ? "d_circle [µm]" : "d_eq [µm]",
          `crack ${what} fraction`,
          flat ? "crack perimeter [µm]" : "crack area [µm²]",
          flat ? "P/A ÷ circle" : "S/V ÷ sphere",
          "branches",
        ],
        rows: a.particles.map((p) => [
          p.label,
          um(p.equivalentDiameter),
          p.crackVolumeFraction,
          flat ? um(p.crackSurfaceArea) : p.crackSurfaceArea * 1e12,
          p.surfaceRatioToSphere,
          p.skeleton?.branches ?? "",
        ]),
      },
    ],
  };
}

async function analyze(
  positionals: string[],
  values: Record<string, unknown>,
  ctx: CommandContext,
  argv: string[],
): Promise<number> {
  if (positionals.length !== 1)
    throw new InputError("tomo analyze takes one VOLUME path", {
      field: "VOLUME",
      expected: "cathodelab tomo analyze VOLUME --out DIR",
    });
  const outDir = stringOption(values, "out", true, "an output directory");
  const options = analysisOptions(values);
  const out = OutputDir.open(outDir, { force: values.force === true, inputs: positionals });
  try {
    const bar = new ProgressBar("tomo", ctx.stderr, ctx.isTTY);
    bar.update(0.05, "reading");
    const grey = readVolume(positionals[0], values);
    bar.update(0.2, "segmenting");
    const a = analyzeTomogram(grey, options);
    bar.update(0.9, "writing");
    const section = writeAnalysis(
      out,
      grey,
      a,
      "",
      values["write-volumes"] === true,
      resolvedOptions(options, a, values),
    );
    out.write(
      "report.html",
      renderReport({
        title: `Tomography crack analysis: ${positionals[0]}`,
        command: ["cathodelab", "tomo", ...argv],
        versions: versions(),
        inputs: inputChecksums([positionals[0]].filter((p) => extname(p) !== "")),
        summary: [
          { label: "particles", value: String(a.totals.count) },
          { label: "crack volume fraction", value: `${(100 * a.totals.crackVolumeFraction).toFixed(2)} %` },
          { label: "voxel", value: `${grey.spacing.map((s) => um(s).toPrecision(3)).join(" × ")} µm` },
        ],
        sections: [section],
        files: [
          "particles.csv",
          "radial_profiles.csv",
          "summary.json",
          "histogram.svg",
          "radial_profile.svg",
          "slices/",
        ],
      }),
    );
    out.commit();
    bar.finish();
    if (values.json === true)
      ctx.stdout(
        toJson({
          threshold: a.threshold,
          thresholdMethod: a.thresholdMethod,
          ndim: a.ndim,
          totals: a.totals,
          particles: particleRows(a),
        }),
      );
    else {
      ctx.stdout(
        `${a.totals.count} particles, ${thresholdText(a)}, crack ${a.ndim === 2 ? "area" : "volume"} fraction ${(100 * a.totals.crackVolumeFraction).toFixed(2)} %\n`,
      );
      for (const p of a.particles) {
        ctx.stdout(
          a.ndim === 2
            ? `  particle ${String(p.label).padStart(3)}: d_circle ${um(p.equivalentDiameter).toFixed(2)} µm, cracks ${(100 * p.crackVolumeFraction).toFixed(2)} % of the area, P/A ÷ circle ${p.surfaceRatioToSphere.toFixed(2)}\n`
            : `  particle ${String(p.label).padStart(3)}: d_eq ${um(p.equivalentDiameter).toFixed(2)} µm, cracks ${(100 * p.crackVolumeFraction).toFixed(2)} %, S/V ÷ sphere ${p.surfaceRatioToSphere.toFixed(2)}\n`,
        );
      }
      ctx.stdout(`wrote ${out.files.length} files to ${out.target}\n`);
    }
    return 0;
  } catch (error) {
    out.abort();
    throw error;
  }
}

async function compare(
  positionals: string[],
  values: Record<string, unknown>,
  ctx: CommandContext,
  argv: string[],
): Promise<number> {
  if (positionals.length !== 2) {
    throw new InputError("tomo compare takes two volume paths", {
      field: "PRISTINE CHARGED",
      expected: "cathodelab tomo compare PRISTINE CHARGED --out DIR",
    });
  }
  const outDir = stringOption(values, "out", true, "an output directory");
  const options = analysisOptions(values);
  const pairsText = stringOption(values, "pairs");
  const pairs = pairsText?.split(",").map((s) => {
    const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(s);
    if (!m)
      throw new InputError("invalid particle pair", {
        field: "--pairs",
        value: s,
        expected: "PRISTINE:CHARGED label pairs, e.g. 1:2,3:5",
      });
    return [Number(m[1]), Number(m[2])] as [number, number];
  });
  const out = OutputDir.open(outDir, { force: values.force === true, inputs: positionals });
  try {
    const bar = new ProgressBar("tomo compare", ctx.stderr, ctx.isTTY);
    const g1 = readVolume(positionals[0], values);
    bar.update(0.1, "pristine");
    const a1 = analyzeTomogram(g1, options);
    const g2 = readVolume(positionals[1], values);
    bar.update(0.5, "charged");
    const a2 = analyzeTomogram(g2, options);
    const cmp = compareTomograms(a1, a2, { pairs });
    const s1 = writeAnalysis(out, g1, a1, "pristine_", false, resolvedOptions(options, a1, values));
    const s2 = writeAnalysis(out, g2, a2, "charged_", false, resolvedOptions(options, a2, values));
    const rows = cmp.matches.map((m) => ({
      pristine_label: m.pristine,
      charged_label: m.charged,
      distance_um: um(m.distance),
      pristine_volume_um3: m.pristineVolume * 1e18,
      charged_volume_um3: m.chargedVolume * 1e18,
      volume_change: m.volumeChange,
      pristine_crack_volume_um3: m.pristineCrackVolume * 1e18,
      charged_crack_volume_um3: m.chargedCrackVolume * 1e18,
      charged_crack_fraction: m.chargedCrackFraction,
      explained_by_cracks: Number.isFinite(m.explainedByCracks) ? m.explainedByCracks : "",
    }));
    out.write(
      "matches.csv",
      toCsv(Object.keys(rows[0] ?? { pristine_label: 0 }), rows, { allowMissing: true }),
    );
    out.write(
      "comparison.json",
      toJson({
        translation_um: cmp.translation.map(um),
        unmatchedPristine: cmp.unmatchedPristine,
        unmatchedCharged: cmp.unmatchedCharged,
        matches: rows,
      }),
    );
    out.write(
      "report.html",
      renderReport({
        title: "Pristine vs charged tomograms",
        command: ["cathodelab", "tomo", ...argv],
        versions: versions(),
        inputs: inputChecksums(positionals.filter((p) => extname(p) !== "")),
        summary: [
          { label: "matched particles", value: String(cmp.matches.length) },
          { label: "translation", value: `${cmp.translation.map((v) => um(v).toFixed(2)).join(", ")} µm` },
        ],
        sections: [
          {
            heading: "Matched particles",
            paragraphs: [
              "explained by cracks = (crack volume charged − pristine)/(envelope volume charged − pristine); seed 001 reports ≈70 % at best.",
            ],
            tables: [
              {
                columns: ["pristine", "charged", "ΔV/V", "crack fraction (charged)", "explained by cracks"],
                rows: cmp.matches.map((m) => [
                  m.pristine,
                  m.charged,
                  m.volumeChange,
                  m.chargedCrackFraction,
                  Number.isFinite(m.explainedByCracks) ? m.explainedByCracks : "—",
                ]),
              },
            ],
          },
          s1,
          s2,
        ],
        files: ["matches.csv", "comparison.json"],
      }),
    );
    out.commit();
    bar.finish();
    if (values.json === true) ctx.stdout(toJson({ translation_um: cmp.translation.map(um), matches: rows }));
    else {
      ctx.stdout(
        `matched ${cmp.matches.length} particles (translation ${cmp.translation.map((v) => um(v).toFixed(2)).join(", ")} µm)\n`,
      );
      for (const m of cmp.matches) {
        ctx.stdout(
          `  ${m.pristine} → ${m.charged}: ΔV/V ${(100 * m.volumeChange).toFixed(1)} %, cracks ${(100 * m.chargedCrackFraction).toFixed(1)} %, explained by cracks ${Number.isFinite(m.explainedByCracks) ? `${(100 * m.explainedByCracks).toFixed(0)} %` : "—"}\n`,
        );
      }
      ctx.stdout(`wrote ${out.files.length} files to ${out.target}\n`);
    }
    return 0;
  } catch (error) {
    out.abort();
    throw error;
  }
}

async function synth(values: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const outDir = stringOption(values, "out", true, "an output directory");
  const shapeText = stringOption(values, "shape") ?? "96,128,128";
  const shape = shapeText.split(",").map(Number);
  if (shape.length !== 3 || !shape.every((v) => Number.isInteger(v) && v >= 8 && v <= 1024)) {
    throw new InputError("invalid shape", {
      field: "--shape",
      value: shapeText,
      expected: "nz,ny,nx integers from 8 to 1024",
    });
  }
  const voxel = parseVoxelSize(stringOption(values, "voxel") ?? "0.124um");
  const particles = integerOption(values, "particles", 1, 1000) ?? 8;
  const seed = integerOption(values, "seed", 0, 2 ** 31 - 1) ?? 1;
  // open (and check) the output folder before the computation
  const out = OutputDir.open(outDir, { force: values.force === true });
  try {
    const { volume, truth } = syntheticParticles({
      shape: shape as [number, number, number],
      spacing: voxel,
      particles,
      seed,
      blurSigma: 0.8,
      noiseSigma: 8,
    });
    writeVolumeFile(out.path("volume.tif"), volume);
    const lab16 = new Uint16Array(truth.particles.data.length);
    for (let i = 0; i < lab16.length; i++) lab16[i] = truth.particles.data[i];
    writeVolumeFile(out.path("truth_particles.tif"), {
      data: lab16,
      shape: truth.particles.shape,
      spacing: truth.particles.spacing,
    });
    writeVolumeFile(out.path("truth_cracks.tif"), truth.crackMask);
    out.write("truth.json", toJson({ voxel_m: voxel, particles: truth.list }));
    out.commit();
    ctx.stdout(
      `wrote a ${shape.join("×")} synthetic volume with ${truth.list.length} particles to ${out.target}\n`,
    );
    return 0;
  } catch (error) {
    out.abort();
    throw error;
  }
}

function subcommand(
  name: string,
  help: string,
  options: typeof ANALYZE_OPTIONS | typeof COMPARE_OPTIONS | typeof SYNTH_OPTIONS,
  run: (
    positionals: string[],
    values: Record<string, unknown>,
    ctx: CommandContext,
    argv: string[],
  ) => Promise<number>,
): Command {
  return {
    name,
    summary: `tomo ${name}`,
    help,
    options,
    async run(argv, ctx) {
      const { values, positionals } = parseOptions(argv, options, name !== "synth");
      return run(positionals, values, ctx, [name, ...argv]);
    },
  };
}

const analyzeCommand = subcommand("analyze", ANALYZE_HELP, ANALYZE_OPTIONS, analyze);
const compareCommand = subcommand("compare", COMPARE_HELP, COMPARE_OPTIONS, compare);
const synthCommand = subcommand("synth", SYNTH_HELP, SYNTH_OPTIONS, (_p, values, ctx) => synth(values, ctx));

export const command: Command = {
  name: "tomo",
  summary: "crack quantification of tomograms: analyze, compare pristine/charged, synth",
  help: HELP,
  subcommands: {
    analyze: async () => analyzeCommand,
    compare: async () => compareCommand,
    synth: async () => synthCommand,
  },
  // main dispatches the sub-commands; anything reaching run is unknown
  async run(argv) {
    throw new InputError(`unknown tomo sub-command "${argv[0] ?? ""}"`, {
      field: "tomo",
      value: argv[0] ?? "",
      expected: "analyze, compare or synth",
    });
  },
};
