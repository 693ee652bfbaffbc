/**
 * `cathodelab optical FRAMES --rois ROIS --table TABLE --out DIR`: operando optical microscopy
 * sequences (seed 003, Sharma et al.; SPEC §5): per-particle normalised intensity (R+G+B)/765 vs
 * time and SOC, dI/dSOC, onset and step per half-cycle, and the synchrony indices computed by
 * src/analysis/synchrony — the same definitions the electrode model uses.
 * `cathodelab optical render --rois ROIS --intensities CSV --size WxH --out DIR` is the virtual
 * microscope: per-particle intensities (e.g. from the electrode model) → PNG frames + table.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { interpolateAt } from "../../analysis/synchrony/index.js";
import { InputError } from "../../errors.js";
import { type Frame, roiIntensities } from "../../imaging/optical/intensity.js";
import { renderVirtualMicroscope } from "../../imaging/optical/render.js";
import { parseRois, type Roi, rasteriseRois } from "../../imaging/optical/rois.js";
import { analyseSequence } from "../../imaging/optical/sequence.js";
import { parseFrameTable, parseNumericCsv, parseParticleTimeTable } from "../../imaging/optical/table.js";
import { renderMap } from "../../imaging/xrdct/render-map.js";
import { type Cell, toCsv, toJson } from "../../io/csv.js";
import { OutputDir } from "../../io/output-dir.js";
import { encodeRgbPng, readPngChannels } from "../../io/png.js";
import { readTiff } from "../../io/tiff.js";
import { readVolumeFile } from "../../io/volume-io.js";
import { renderReport } from "../../report/html.js";
import { renderPlot } from "../../report/svg-plot.js";
import { type Command, parseOptions, stringOption } from "../command.js";
import { inputChecksums, versions } from "../provenance.js";
import { jsonSafe } from "./xrdct.js";

const OPTIONS = {
  rois: { type: "string" },
  table: { type: "string" },
  threshold: { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
  force: { type: "boolean" },
} as const;

const RENDER_OPTIONS = {
  rois: { type: "string" },
  intensities: { type: "string" },
  size: { type: "string" },
  background: { type: "string" },
  electrode: { type: "string" },
  layout: { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
  force: { type: "boolean" },
} as const;

const HELP = `Usage: cathodelab optical FRAMES --rois ROIS --table TABLE --out DIR [options]
       cathodelab optical render --rois ROIS.csv --intensities I.csv --size WxH --out DIR
       cathodelab optical render --electrode RUN_DIR [--layout grid|plan] --out DIR

Operando optical microscopy (seed 003): FRAMES is a folder of PNG (RGB or grey, 8/16-bit) or
grey TIFF images (natural order = frame order) or one multi-page grey TIFF. Per particle ROI the
normalised intensity I = (R+G+B)/765 (grey: v/255; 16-bit: /65535) is averaged per frame, then
per half-cycle (split where the table's SOC turns): onset (first |I − I(start)| ≥ --threshold,
linearly interpolated; src/analysis/synchrony, the electrode model's definition), onset SOC,
step (largest frame-to-frame change), swing, least-squares dI/dSOC, and the synchrony indices:
IQR/std of onset SOC, IQR of onset times and the progress dispersion (0 = synchronous).

ROIS: CSV "id,x,y,r" circles and/or "id,points" polygons ("x y; x y; …"), JSON
[{"id","circle":[x,y,r]} | {"id","polygon":[[x,y],…]}] (pixels, origin at the top-left pixel
centre), or a label image (PNG/TIFF; a 0/1 mask is split into connected components).
TABLE: CSV with time_s (or time_min, time_h) and optionally soc (0–1) or soc_pct, one row per
frame; an optional frame column is checked against the file names of a folder.

Options:
  --threshold D         intensity change marking an onset (default 0.02)
  --out DIR             intensity.csv, onsets.csv, synchrony.csv, didsoc.csv, summary.json,
                        traces.svg, traces-soc.svg, onsets.svg, rois.png, report.html
  --force               replace an earlier cathodelab output folder
  --json                print the summary as JSON on stdout

"cathodelab optical render --help" describes the virtual microscope.

Example:
  cathodelab optical examples/issue7/optical/frames --rois examples/issue7/optical/rois.csv --table examples/issue7/optical/table.csv --out optical-out`;

const RENDER_HELP = `Usage: cathodelab optical render --rois ROIS.csv --intensities I.csv --size WxH --out DIR
       cathodelab optical render --electrode RUN_DIR [--layout grid|plan] --out DIR

The virtual optical microscope: renders one PNG frame per row of an intensity table (or of an
electrode run's virtual optical intensity), with table.csv and rois.csv beside the frames, so
that "cathodelab optical" can analyse them.

Options:
  --rois CSV            circles "id,x,y,r" in pixels (with --intensities)
  --intensities CSV     time_s (or time_min/time_h), soc, then one column per ROI id (values 0–1)
  --size WxH            frame size in pixels, e.g. 160x120
  --background I        background intensity, 0 to 1 (default 0.15)
  --electrode RUN_DIR   instead: the folder written by cathodelab electrode --out (intensity.csv,
                        particles.csv, cell.csv): its virtual optical intensity per particle
  --layout L            grid (default; particles on a grid, radius ∝ size) or plan (x, y from above)
  --out DIR             frames/frame_NNNN.png, table.csv, rois.csv
  --force               replace an earlier cathodelab output folder
  --json                print the summary as JSON on stdout

Example:
  cathodelab electrode --material NMC532 --particles 20 --protocol "Charge at C/2 until 4.3 V" --out run-small && cathodelab optical render --electrode run-small --out run-small-frames`;

const NATURAL = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

/** Decode the frames of a folder (PNG/TIFF) or a multi-page TIFF. */
function readFrames(path: string): { frames: Frame[]; names: string[]; files: string[] } {
  if (!existsSync(path))
    throw new InputError("frames not found", {
      file: path,
      expected: "a folder of PNG/TIFF frames or a multi-page TIFF",
    });
  if (statSync(path).isDirectory()) {
    const names = readdirSync(path)
      .filter((n) => !n.startsWith(".") && [".png", ".tif", ".tiff"].includes(extname(n).toLowerCase()))
      .sort(NATURAL);
    if (names.length === 0)
      throw new InputError("no frames in folder", {
        file: path,
        expected: "files ending in .png, .tif or .tiff",
      });
    const files = names.map((n) => join(path, n));
    const frames = files.map((f) => {
      const bytes = readFileSync(f);
      if (extname(f).toLowerCase() === ".png") {
        const p = readPngChannels(bytes, f);
        return { width: p.width, height: p.height, channels: p.channels, depth: p.depth, data: p.data };
      }
      const v = readTiff(bytes, { file: f }).volume;
      if (v.shape[0] !== 1)
        throw new InputError("TIFF frame has several pages", {
          file: f,
          expected: "one image per file (or give the stack itself)",
        });
      return tiffFrame(v.data, v.shape[2], v.shape[1], f);
    });
    return { frames, names, files };
  }
  const ext = extname(path).toLowerCase();
  if (ext !== ".tif" && ext !== ".tiff")
    throw new InputError("frames must be a folder or a TIFF stack", {
      file: path,
      expected: "a folder of PNG/TIFF frames or a multi-page .tif",
    });
  const v = readTiff(readFileSync(path), { file: path }).volume;
  const [nz, ny, nx] = v.shape;
  const frames: Frame[] = [];
  for (let k = 0; k < nz; k++)
    frames.push(tiffFrame(v.data.subarray(k * nx * ny, (k + 1) * nx * ny), nx, ny, path));
  return { frames, names: frames.map((_, k) => `${basename(path)}[${k}]`), files: [path] };
}

function tiffFrame(data: ArrayLike<number>, width: number, height: number, file: string): Frame {
  const depth = data instanceof Uint8Array ? 8 : data instanceof Uint16Array ? 16 : 0;
  if (depth === 0)
    throw new InputError("TIFF frames must be 8- or 16-bit unsigned", {
      file,
      expected: "uint8 or uint16 grey frames",
    });
  return { width, height, channels: 1, depth, data };
}

/** ROI labels from a text ROI file or a label/mask image. */
function readRois(
  path: string,
  width: number,
  height: number,
): { labels: Int32Array; ids: string[]; rois?: Roi[] } {
  if (!existsSync(path))
    throw new InputError("ROI file not found", {
      file: path,
      expected: "a CSV/JSON ROI list or a label image",
    });
  const ext = extname(path).toLowerCase();
  if (ext === ".png" || ext === ".tif" || ext === ".tiff" || ext === ".npy") {
    const v = readVolumeFile(path);
    if (v.shape[0] !== 1 || v.shape[1] !== height || v.shape[2] !== width)
      throw new InputError("label image size differs from the frames", {
        file: path,
        value: v.shape.slice(1).join("×"),
        expected: `${height}×${width}`,
      });
    const values = [...new Set(Array.from(v.data as ArrayLike<number>).filter((x) => x !== 0))].sort(
      (p, q) => p - q,
    );
    const labels = new Int32Array(width * height);
    if (values.length === 1) {
      // a 0/1 mask: connected components (4-connectivity), raster order
      const parent = new Int32Array(width * height + 1);
      let next = 0;
      const find = (x: number): number => {
        while (parent[x] !== x) {
          parent[x] = parent[parent[x]];
          x = parent[x];
        }
        return x;
      };
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const i = x + width * y;
          if (!v.data[i]) continue;
          const up = y > 0 && v.data[i - width] ? labels[i - width] : 0;
          const left = x > 0 && v.data[i - 1] ? labels[i - 1] : 0;
          if (!up && !left) {
            labels[i] = ++next;
            parent[next] = next;
          } else if (up && left) {
            const a = find(up);
            const b = find(left);
            labels[i] = Math.min(a, b);
            parent[Math.max(a, b)] = Math.min(a, b);
          } else labels[i] = up || left;
        }
      const map = new Int32Array(next + 1);
      let count = 0;
      for (let l = 1; l <= next; l++) if (find(l) === l) map[l] = ++count;
      for (let i = 0; i < labels.length; i++) if (labels[i]) labels[i] = map[find(labels[i])];
      return { labels, ids: Array.from({ length: count }, (_, k) => `p${k + 1}`) };
    }
    const index = new Map(values.map((val, k) => [val, k + 1]));
    for (let i = 0; i < labels.length; i++) labels[i] = index.get(v.data[i] as number) ?? 0;
    return { labels, ids: values.map((val) => `label${val}`) };
  }
  const rois = parseRois(readFileSync(path, "utf8"), path);
  return { labels: rasteriseRois(rois, width, height), ids: rois.map((r) => r.id), rois };
}

const f = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : "n/a");

interface RenderInput {
  circles: { id: string; cx: number; cy: number; r: number }[];
  times: Float64Array;
  soc?: Float64Array;
  intensities: Float64Array;
  width: number;
  height: number;
  inputs: string[];
}

function parseSize(text: string | undefined): [number, number] | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)x(\d+)$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1 || Number(m[1]) * Number(m[2]) > 1 << 26)
    throw new InputError("invalid frame size", {
      field: "--size",
      value: text,
      expected: "WxH in pixels, e.g. 160x120",
    });
  return [Number(m[1]), Number(m[2])];
}

function readText(path: string, what: string): string {
  if (!existsSync(path) || statSync(path).isDirectory())
    throw new InputError(`${what} not found`, { file: path });
  return readFileSync(path, "utf8");
}

/** ROIs + a wide intensity table (time_s, soc, one column per ROI id). */
function renderInputFromTables(values: Record<string, unknown>): RenderInput {
  const roiPath = stringOption(values, "rois", true, "a CSV of circles id,x,y,r");
  const intPath = stringOption(values, "intensities", true, "a CSV time_s,soc,<id>…");
  const size = parseSize(stringOption(values, "size", true, "WxH in pixels, e.g. 160x120")) as [
    number,
    number,
  ];
  const rois = parseRois(readText(roiPath, "ROI file"), roiPath);
  const circles = rois.map((r) => {
    if (r.kind !== "circle")
      throw new InputError("the virtual microscope renders circles", {
        file: roiPath,
        field: r.id,
        expected: "id,x,y,r rows",
      });
    return { id: r.id, cx: r.cx, cy: r.cy, r: r.r };
  });
  const text = readText(intPath, "intensity file");
  const table = parseFrameTable(text, intPath);
  const t = parseNumericCsvLoose(text);
  const nf = table.times.length;
  const intensities = new Float64Array(circles.length * nf);
  circles.forEach((c, p) => {
    const j = t.header.indexOf(c.id);
    if (j < 0)
      throw new InputError("no intensity column for a particle", {
        file: intPath,
        line: 1,
        field: c.id,
        expected: `a column named ${c.id}`,
      });
    for (let k = 0; k < nf; k++) {
      const cell = t.cells[k]?.[j];
      const v = Number(cell);
      if (cell === undefined || cell === "" || !(v >= 0 && v <= 1))
        throw new InputError("invalid intensity", {
          file: intPath,
          line: t.lines[k],
          column: j + 1,
          field: c.id,
          value: cell ?? "(missing)",
          expected: "a number in [0, 1]",
        });
      intensities[p * nf + k] = v;
    }
  });
  return {
    circles,
    times: table.times,
    soc: table.soc,
    intensities,
    width: size[0],
    height: size[1],
    inputs: [roiPath, intPath],
  };
}

function parseNumericCsvLoose(text: string): { header: string[]; cells: string[][]; lines: number[] } {
  const all = text.split(/\r?\n/);
  let header: string[] | null = null;
  const cells: string[][] = [];
  const lines: number[] = [];
  all.forEach((l, i) => {
    const raw = l.trim();
    if (raw === "" || raw.startsWith("#")) return;
    const c = raw.split(/\s*[,;\t]\s*/);
    if (!header) header = c;
    else {
      cells.push(c);
      lines.push(i + 1);
    }
  });
  return { header: header ?? [], cells, lines };
}

/**
 * A `cathodelab electrode --out RUN` folder: intensity.csv (particles × t_<s>s), particles.csv
 * (id, x_m, y_m, radius_m) and cell.csv (time_s, soc). Layout "grid" (default): particles on a
 * square grid of 24-px cells, radius ∝ particle radius (largest 10 px); "plan": the particles'
 * x, y positions seen from above (discs may overlap; the later one is drawn).
 */
function renderInputFromElectrode(dir: string, values: Record<string, unknown>): RenderInput {
  const iPath = join(dir, "intensity.csv");
  const pPath = join(dir, "particles.csv");
  const cPath = join(dir, "cell.csv");
  const tbl = parseParticleTimeTable(readText(iPath, "electrode intensity table"), iPath);
  const parts = parseNumericCsv(readText(pPath, "electrode particle table"), pPath);
  const cell = parseNumericCsv(readText(cPath, "electrode cell table"), cPath);
  const col = (t: { columns: string[] }, name: string, file: string) => {
    const j = t.columns.indexOf(name);
    if (j < 0)
      throw new InputError("column missing", { file, line: 1, field: name, expected: `a column ${name}` });
    return j;
  };
  const [jid, jx, jy, jr] = ["id", "x_m", "y_m", "radius_m"].map((n) => col(parts, n, pPath));
  const byId = new Map(parts.rows.map((r) => [r[jid], r]));
  const rows = tbl.ids.map((id) => {
    const r = byId.get(id);
    if (!r)
      throw new InputError("particle of the intensity table missing from particles.csv", {
        file: pPath,
        field: "id",
        value: String(id),
      });
    return r;
  });
  const rMax = Math.max(...rows.map((r) => r[jr]));
  const layout = stringOption(values, "layout") ?? "grid";
  const size = parseSize(stringOption(values, "size"));
  let circles: RenderInput["circles"];
  let width: number;
  let height: number;
  if (layout === "grid") {
    const cols = Math.ceil(Math.sqrt(rows.length * 1.5));
    const nrows = Math.ceil(rows.length / cols);
    circles = rows.map((r, p) => ({
      id: `p${tbl.ids[p]}`,
      cx: 12 + 24 * (p % cols),
      cy: 12 + 24 * Math.floor(p / cols),
      r: Math.max(2, (10 * r[jr]) / rMax),
    }));
    [width, height] = size ?? [24 * cols, 24 * nrows];
  } else if (layout === "plan") {
    const xs = rows.map((r) => r[jx]);
    const ys = rows.map((r) => r[jy]);
    const x0 = Math.min(...xs) - rMax;
    const y0 = Math.min(...ys) - rMax;
    const spanX = Math.max(...xs) + rMax - x0;
    const spanY = Math.max(...ys) + rMax - y0;
    [width, height] =
      size ??
      (spanX >= spanY
        ? [400, Math.max(1, Math.round((400 * spanY) / spanX))]
        : [Math.max(1, Math.round((400 * spanX) / spanY)), 400]);
    const scale = Math.min(width / spanX, height / spanY);
    circles = rows.map((r, p) => ({
      id: `p${tbl.ids[p]}`,
      cx: (r[jx] - x0) * scale,
      cy: (r[jy] - y0) * scale,
      r: Math.max(1, r[jr] * scale),
    }));
  } else
    throw new InputError("unknown layout", { field: "--layout", value: layout, expected: "grid or plan" });
  const jt = col(cell, "time_s", cPath);
  const js = col(cell, "soc", cPath);
  const soc = interpolateAt(
    cell.rows.map((r) => r[jt]),
    cell.rows.map((r) => r[js]),
    tbl.times,
  );
  const intensities = Float64Array.from(tbl.values, (v) => Math.min(1, Math.max(0, v)));
  return { circles, times: tbl.times, soc, intensities, width, height, inputs: [iPath, pPath, cPath] };
}

async function render(values: Record<string, unknown>, ctx: Parameters<Command["run"]>[1]): Promise<number> {
  const outDir = stringOption(values, "out", true, "an output directory");
  const bgText = stringOption(values, "background") ?? "0.15";
  const background = Number(bgText);
  if (!(background >= 0 && background <= 1))
    throw new InputError("invalid background", {
      field: "--background",
      value: bgText,
      expected: "a number in [0, 1]",
    });
  const electrode = stringOption(values, "electrode");
  const input =
    electrode !== undefined ? renderInputFromElectrode(electrode, values) : renderInputFromTables(values);
  const { circles, times, soc, intensities, width, height } = input;
  const nf = times.length;
  const frames = renderVirtualMicroscope({
    width,
    height,
    x: circles.map((r) => r.cx),
    y: circles.map((r) => r.cy),
    radius: circles.map((r) => r.r),
    intensities,
    frames: nf,
    background,
  });
  await OutputDir.with(outDir, { force: values.force === true, inputs: input.inputs }, (out) => {
    for (const [k, rgb] of frames.entries())
      out.write(`frames/frame_${String(k).padStart(4, "0")}.png`, encodeRgbPng(rgb, width, height));
    const rows: Record<string, Cell>[] = Array.from(times, (t, k) => ({
      frame: `frame_${String(k).padStart(4, "0")}.png`,
      time_s: t,
      soc: soc?.[k],
    }));
    out.write("table.csv", toCsv(["frame", "time_s", "soc"], rows, { allowMissing: true }));
    out.write("rois.csv", `id,x,y,r\n${circles.map((r) => `${r.id},${r.cx},${r.cy},${r.r}`).join("\n")}\n`);
  });
  const summary = { frames: nf, particles: circles.length, width, height, out: outDir };
  ctx.stdout(
    values.json === true
      ? toJson(summary)
      : `rendered ${nf} frames of ${circles.length} particles (${width}×${height}) to ${outDir}/frames; table.csv and rois.csv beside them\n`,
  );
  return 0;
}

export const command: Command = {
  name: "optical",
  summary:
    "operando optical sequences: per-particle intensity, onsets, synchrony; virtual microscope (seed 003)",
  help: HELP,
  options: OPTIONS,
  subcommands: {
    render: async () => ({
      name: "render",
      summary: "the virtual optical microscope",
      help: RENDER_HELP,
      options: RENDER_OPTIONS,
      async run(argv, ctx) {
        const { values, positionals } = parseOptions(argv, RENDER_OPTIONS, false);
        if (positionals.length > 0)
          throw new InputError("unexpected argument", { field: "arguments", value: positionals[0] });
        return render(values, ctx);
      },
    }),
  },
  async run(argv, ctx) {
    const { values, positionals } = parseOptions(argv, OPTIONS);
    if (positionals.length !== 1)
      throw new InputError("optical takes one FRAMES path", {
        field: "FRAMES",
        value: positionals.join(" ") || "(none)",
        expected: "cathodelab optical FRAMES --rois ROIS --table TABLE --out DIR",
      });
    const outDir = stringOption(values, "out", true, "an output directory");
    const roiPath = stringOption(values, "rois", true, "a CSV/JSON ROI list or a label image");
    const tablePath = stringOption(values, "table", true, "a CSV with time_s and soc per frame");
    const thrText = stringOption(values, "threshold") ?? "0.02";
    const threshold = Number(thrText);
    if (!(threshold > 0 && threshold < 1))
      throw new InputError("invalid onset threshold", {
        field: "--threshold",
        value: thrText,
        expected: "a number in (0, 1) (normalised intensity)",
      });
    const { frames, names, files: frameFiles } = readFrames(positionals[0]);
    if (!existsSync(tablePath))
      throw new InputError("table file not found", {
        file: tablePath,
        expected: "a CSV with time_s and soc per frame",
      });
    const table = parseFrameTable(readFileSync(tablePath, "utf8"), tablePath);
    if (table.times.length !== frames.length)
      throw new InputError("table rows do not match the frames", {
        file: tablePath,
        value: `${table.times.length} rows`,
        expected: `${frames.length} rows, one per frame`,
      });
    if (table.frames && statSync(positionals[0]).isDirectory())
      table.frames.forEach((n, k) => {
        if (n !== "" && n !== names[k])
          throw new InputError("frame name in table differs from the file order", {
            file: tablePath,
            line: k + 2,
            field: "frame",
            value: n,
            expected: names[k],
          });
      });
    const { width, height } = frames[0];
    const { labels, ids } = readRois(roiPath, width, height);
    const np = ids.length;
    const { values: I, pixels } = roiIntensities(frames, labels, np);
    pixels.forEach((n, p) => {
      if (n === 0)
        throw new InputError("ROI has no pixel inside the frames", {
          file: roiPath,
          field: ids[p],
          expected: "ROIs inside the image",
        });
    });
    const nf = frames.length;
    const res = analyseSequence(table.times, table.soc, I, np, { threshold });

    const intensityRows: Record<string, Cell>[] = Array.from(table.times, (t, k) => {
      const r: Record<string, Cell> = { frame: names[k], time_s: t, soc: table.soc?.[k] };
      ids.forEach((id, p) => {
        r[id] = I[p * nf + k];
      });
      return r;
    });
    const didsocRows: Record<string, Cell>[] = Array.from(table.times, (t, k) => {
      const r: Record<string, Cell> = { time_s: t, soc: table.soc?.[k] };
      ids.forEach((id, p) => {
        r[id] = res.dIdSoc[p * nf + k];
      });
      return r;
    });
    const onsetRows: Record<string, Cell>[] = [];
    for (const hc of res.halfCycles)
      for (const [i, p] of hc.particles.entries())
        onsetRows.push({
          half_cycle: hc.span.index,
          direction: hc.span.direction,
          particle: ids[i],
          pixels: pixels[i],
          onset_time_s: p.onsetTime,
          onset_soc: p.onsetSoc,
          step_time_s: p.stepTime,
          swing: p.swing,
          dI_dSOC: p.slope,
        });
    const syncRows = res.halfCycles.map((h) => ({
      half_cycle: h.span.index,
      direction: h.span.direction,
      first_frame: h.span.start,
      last_frame: h.span.end - 1,
      reacted_fraction: h.reactedFraction,
      onset_soc_iqr: h.onsetSocIqr,
      onset_soc_std: h.onsetSocStd,
      onset_time_iqr_s: h.onsetTimeIqr,
      median_onset_soc: h.medianOnsetSoc,
      dispersion: h.dispersion,
    }));
    const summary = {
      frames: nf,
      particles: np,
      threshold,
      definitions: {
        intensity: "(R+G+B)/765 averaged over the ROI (seed 003)",
        onset:
          "first |I − I(half-cycle start)| ≥ threshold, linearly interpolated (src/analysis/synchrony detectOnsets)",
        dispersion:
          "time-averaged across-particle std of normalised progress (src/analysis/synchrony progressDispersion)",
      },
      synchrony: syncRows,
    };
    const time = (t: number) => t / 3600;
    const traces = renderPlot(
      ids.map((id, p) => ({
        label: id,
        x: Array.from(table.times, time),
        y: I.subarray(p * nf, (p + 1) * nf),
      })),
      { title: "normalised intensity (R+G+B)/765 per particle", xLabel: "time / h", yLabel: "I" },
    );
    const figures = [{ svg: traces, caption: "Per-particle normalised intensity against time" }];
    const files = [
      "intensity.csv",
      "onsets.csv",
      "synchrony.csv",
      "didsoc.csv",
      "summary.json",
      "traces.svg",
      "rois.png",
    ];
    let tracesSoc: string | undefined;
    let onsetSvg: string | undefined;
    if (table.soc) {
      tracesSoc = renderPlot(
        ids.map((id, p) => ({
          label: id,
          x: table.soc as Float64Array,
          y: I.subarray(p * nf, (p + 1) * nf),
        })),
        { title: "normalised intensity against cell SOC", xLabel: "SOC", yLabel: "I" },
      );
      onsetSvg = renderPlot(
        res.halfCycles.map((h) => {
          const keep = h.particles.map((p, i) => [i + 1, p.onsetSoc]).filter(([, s]) => Number.isFinite(s));
          return {
            label: `half-cycle ${h.span.index} (${h.span.direction})`,
            x: keep.map((q) => q[0]),
            y: keep.map((q) => q[1]),
            style: "points" as const,
          };
        }),
        { title: "onset SOC per particle", xLabel: "particle", yLabel: "SOC at onset" },
      );
      figures.push(
        { svg: tracesSoc, caption: "Intensity against SOC" },
        { svg: onsetSvg, caption: "Onset SOC per particle and half-cycle (spread = asynchrony)" },
      );
      files.push("traces-soc.svg", "onsets.svg");
    }
    // first frame as grey with ROI outlines
    const first = frames[0];
    const grey = new Float64Array(width * height);
    const full = (first.channels >= 3 ? 3 : 1) * (2 ** first.depth - 1);
    for (let i = 0; i < grey.length; i++) {
      const o = i * first.channels;
      grey[i] =
        first.channels >= 3
          ? (first.data[o] + first.data[o + 1] + first.data[o + 2]) / full
          : first.data[o] / full;
    }
    const roiImg = renderMap(
      { data: grey, shape: [1, height, width], spacing: [1, 1, 1] },
      { labels: { data: labels, shape: [1, height, width], spacing: [1, 1, 1] }, range: [0, 1] },
    );

    await OutputDir.with(
      outDir,
      { force: values.force === true, inputs: [positionals[0], roiPath, tablePath] },
      (out) => {
        out.write(
          "intensity.csv",
          toCsv(Object.keys(intensityRows[0]), intensityRows, { allowMissing: true }),
        );
        out.write("didsoc.csv", toCsv(Object.keys(didsocRows[0]), didsocRows, { allowMissing: true }));
        out.write("onsets.csv", toCsv(Object.keys(onsetRows[0]), onsetRows, { allowMissing: true }));
        out.write("synchrony.csv", toCsv(Object.keys(syncRows[0]), syncRows, { allowMissing: true }));
        out.write("summary.json", toJson(jsonSafe(summary)));
        out.write("traces.svg", traces);
        if (tracesSoc) out.write("traces-soc.svg", tracesSoc);
        if (onsetSvg) out.write("onsets.svg", onsetSvg);
        out.write("rois.png", encodeRgbPng(roiImg.rgb, roiImg.width, roiImg.height));
        out.write(
          "report.html",
          renderReport({
            title: "Operando optical sequence",
            command: ["cathodelab", "optical", ...argv],
            versions: versions(),
            inputs: inputChecksums([roiPath, tablePath, ...frameFiles]),
            summary: [
              { label: "frames", value: String(nf) },
              { label: "particles", value: String(np) },
              { label: "half-cycles", value: String(res.halfCycles.length) },
              ...res.halfCycles.map((h) => ({
                label: `dispersion, half-cycle ${h.span.index} (${h.span.direction})`,
                value: f(h.dispersion),
              })),
            ],
            sections: [
              {
                heading: "Synchrony per half-cycle",
                paragraphs: [
                  `Onset: first |I − I(start)| ≥ ${threshold} of full scale, linearly interpolated; dispersion: time-averaged across-particle standard deviation of normalised progress (0 = synchronous, ≈0.4 = one after another) — the electrode model's definitions (src/analysis/synchrony).`,
                ],
                tables: [{ columns: Object.keys(syncRows[0]), rows: syncRows.map((r) => Object.values(r)) }],
                figures,
              },
              {
                heading: "Per particle and half-cycle",
                tables: [
                  { columns: Object.keys(onsetRows[0]), rows: onsetRows.map((r) => Object.values(r)) },
                ],
              },
            ],
            files: [...files, "report.html"],
          }),
        );
      },
    );
    if (values.json === true) ctx.stdout(toJson(jsonSafe(summary)));
    else {
      const lines = [
        `${nf} frames, ${np} particles, onset threshold ${threshold}`,
        "half-cycle  direction  reacted  onset-SOC IQR  onset-time IQR/h  dispersion",
      ];
      for (const h of res.halfCycles)
        lines.push(
          `${String(h.span.index).padStart(10)}  ${h.span.direction.padEnd(9)}  ${f(h.reactedFraction, 2).padStart(7)}  ${f(h.onsetSocIqr).padStart(13)}  ${f(h.onsetTimeIqr / 3600, 2).padStart(16)}  ${f(h.dispersion).padStart(10)}`,
        );
      lines.push(`wrote ${outDir}/ (report.html, intensity.csv, onsets.csv, synchrony.csv, figures)`);
      ctx.stdout(`${lines.join("\n")}\n`);
    }
    return 0;
  },
};
