/**
 * Figures of a tomography crack analysis (issue 19): annotated slices, the grey-level histogram
 * with the threshold, and the radial crack profile with its spread, cracked vs intact particles.
 *
 * Slices are SVG documents holding the overlay raster (grey, particle outlines, cracks) as an
 * embedded PNG plus vector annotations: each particle's label (the `label` column of
 * particles.csv) at its centroid in the plane, a scale bar in µm, the in-plane axes and a legend.
 * The same SVG is inlined in report.html and rasterised to PNG by the CLI. Pure (no Node APIs).
 */
import { encodeRgbPng } from "../io/png.js";
import { viridisRgb } from "../report/colormap.js";
import { renderPlot } from "../report/svg-plot.js";
import type { TomoAnalysis } from "./tomography.js";
import type { Volume } from "./volume.js";

/** Crack colour of the overlays (sRGB). */
export const CRACK_RGB: [number, number, number] = [230, 30, 30];

/** Outline colour of a label: viridis at the golden-ratio sequence, kept off its pale-yellow end. */
export function outlineRgb(label: number): [number, number, number] {
  const t = (label * 0.6180339887) % 1;
  return viridisRgb(0.05 + 0.7 * t);
}

interface PlaneGeometry {
  h: number;
  w: number;
  at: (r: number, c: number) => number;
  /** Pixel size down and across [m]. */
  dr: number;
  dc: number;
  /** Axis names down and across. */
  down: string;
  across: string;
}

function plane(
  shape: readonly number[],
  spacing: readonly number[],
  axis: 0 | 1 | 2,
  index: number,
): PlaneGeometry {
  const [, ny, nx] = shape;
  if (axis === 0)
    return {
      h: ny,
      w: nx,
      at: (r, c) => c + nx * (r + ny * index),
      dr: spacing[1],
      dc: spacing[2],
      down: "y",
      across: "x",
    };
  if (axis === 1)
    return {
      h: shape[0],
      w: nx,
      at: (r, c) => c + nx * (index + ny * r),
      dr: spacing[0],
      dc: spacing[2],
      down: "z",
      across: "x",
    };
  return {
    h: shape[0],
    w: ny,
    at: (r, c) => index + nx * (c + ny * r),
    dr: spacing[0],
    dc: spacing[1],
    down: "z",
    across: "y",
  };
}

/**
 * RGB overlay of one plane: grey (stretched between the 0.5 and 99.5 percentiles), particle
 * outlines one pixel wide in a per-label colour with a darkened pixel ring inside them (so they
 * stay visible on bright particles), cracks in red.
 */
export function overlaySlice(
  grey: Volume,
  labels: Volume,
  cracks: Volume,
  axis: 0 | 1 | 2,
  index: number,
): { rgb: Uint8Array; width: number; height: number } {
  const g = plane(grey.shape, grey.spacing, axis, index);
  const { h, w, at } = g;
  const values = new Float64Array(h * w);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) values[c + w * r] = grey.data[at(r, c)];
  const sorted = Float64Array.from(values).sort();
  const lo = sorted[Math.floor(0.005 * (sorted.length - 1))];
  const hi = sorted[Math.ceil(0.995 * (sorted.length - 1))];
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const lab = new Float64Array(h * w);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) lab[c + w * r] = labels.data[at(r, c)];
  const edge = new Uint8Array(h * w);
  for (let r = 0; r < h; r++)
    for (let c = 0; c < w; c++) {
      const l = lab[c + w * r];
      if (l === 0) continue;
      if (
        (r > 0 && lab[c + w * (r - 1)] !== l) ||
        (r < h - 1 && lab[c + w * (r + 1)] !== l) ||
        (c > 0 && lab[c - 1 + w * r] !== l) ||
        (c < w - 1 && lab[c + 1 + w * r] !== l)
      )
        edge[c + w * r] = 1;
    }
  const rgb = new Uint8Array(3 * w * h);
  for (let r = 0; r < h; r++)
    for (let c = 0; c < w; c++) {
      const k = c + w * r;
      const i = at(r, c);
      const v = Math.max(0, Math.min(255, Math.round((values[k] - lo) * scale)));
      let px: [number, number, number] = [v, v, v];
      const l = lab[k];
      if (cracks.data[i]) px = CRACK_RGB;
      else if (edge[k]) px = outlineRgb(l);
      else if (
        l !== 0 &&
        ((r > 0 && edge[k - w]) ||
          (r < h - 1 && edge[k + w]) ||
          (c > 0 && edge[k - 1]) ||
          (c < w - 1 && edge[k + 1]))
      ) {
        const d = Math.round(v * 0.35);
        px = [d, d, d];
      }
      rgb[3 * k] = px[0];
      rgb[3 * k + 1] = px[1];
      rgb[3 * k + 2] = px[2];
    }
  return { rgb, width: w, height: h };
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + 0x8000)));
  return btoa(s);
}

/** A "nice" scale-bar length (1, 2 or 5 × 10^k m) close to `target` metres. */
export function niceLength(target: number): number {
  const mag = 10 ** Math.floor(Math.log10(target));
  const n = target / mag;
  return (n >= 5 ? 5 : n >= 2 ? 2 : 1) * mag;
}

function lengthText(m: number): string {
  const um = m * 1e6;
  if (um >= 1000) return `${Number((um / 1000).toPrecision(3))} mm`;
  if (um >= 1) return `${Number(um.toPrecision(3))} µm`;
  return `${Number((um * 1000).toPrecision(3))} nm`;
}

export interface SliceFigure {
  /** Complete SVG document (overlay embedded as PNG, annotations as vectors). */
  svg: string;
  /** Labels drawn in this plane. */
  labels: number[];
}

/**
 * Annotated slice: overlay raster + particle labels at their in-plane centroids (regions of at
 * least `minPixels` pixels), scale bar, in-plane axes, legend and title.
 */
export function sliceFigure(
  a: TomoAnalysis,
  grey: Volume,
  axis: 0 | 1 | 2,
  index: number,
  options: { maxWidth?: number; minPixels?: number } = {},
): SliceFigure {
  const o = overlaySlice(grey, a.labels, a.cracks, axis, index);
  const g = plane(grey.shape, grey.spacing, axis, index);
  const png = encodeRgbPng(o.rgb, o.width, o.height);
  // display size: pixels keep their physical aspect ratio; at most maxWidth wide
  const maxWidth = options.maxWidth ?? 760;
  const physW = g.w * g.dc;
  const physH = g.h * g.dr;
  const imgW = Math.min(maxWidth - 20, Math.max(360, g.w * 2));
  const imgH = (imgW * physH) / physW;
  const left = 10;
  const top = 30;
  const width = Math.max(imgW + 20, 520); // room for the legend
  const height = top + imgH + 58;
  const sx = imgW / g.w;
  const sy = imgH / g.h;
  // in-plane centroids of every label
  const sum = new Map<number, [number, number, number]>();
  for (let r = 0; r < g.h; r++)
    for (let c = 0; c < g.w; c++) {
      const l = a.labels.data[g.at(r, c)];
      if (l === 0) continue;
      const s = sum.get(l);
      if (s) {
        s[0] += r;
        s[1] += c;
        s[2]++;
      } else sum.set(l, [r, c, 1]);
    }
  const minPixels = options.minPixels ?? 20;
  const drawn = [...sum.entries()].filter(([, s]) => s[2] >= minPixels).sort((p, q) => p[0] - q[0]);
  const font = 'font-family="DejaVu Sans, system-ui, sans-serif"';
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width.toFixed(0)}" height="${height.toFixed(0)}" viewBox="0 0 ${width.toFixed(2)} ${height.toFixed(2)}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  );
  const axisName = ["z", "y", "x"][axis];
  const pos = lengthText((index + 0.5) * grey.spacing[axis]);
  const title = a.ndim === 2 ? "image plane" : `${axisName} = ${index} plane (${axisName} ≈ ${pos})`;
  parts.push(`<text x="${left}" y="20" font-size="14" ${font} fill="#222">${title}</text>`);
  parts.push(
    `<image x="${left}" y="${top}" width="${imgW.toFixed(2)}" height="${imgH.toFixed(2)}" preserveAspectRatio="none" style="image-rendering:pixelated" href="data:image/png;base64,${base64(png)}"/>`,
  );
  const fs = Math.max(9, Math.min(13, imgW / 40));
  for (const [l, s] of drawn) {
    const x = left + (s[1] / s[2] + 0.5) * sx;
    const y = top + (s[0] / s[2] + 0.5) * sy;
    parts.push(
      `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${fs.toFixed(1)}" ${font} font-weight="bold" text-anchor="middle" dominant-baseline="central" fill="white" stroke="black" stroke-width="2.5" paint-order="stroke">${l}</text>`,
    );
  }
  // scale bar (bottom right inside the image)
  const bar = niceLength(physW / 5);
  const barPx = (bar / g.dc) * sx;
  const bx = left + imgW - barPx - 10;
  const by = top + imgH - 14;
  parts.push(
    `<rect x="${(bx - 4).toFixed(1)}" y="${(by - 16).toFixed(1)}" width="${(barPx + 8).toFixed(1)}" height="26" fill="black" fill-opacity="0.55"/>`,
    `<rect x="${bx.toFixed(1)}" y="${by.toFixed(1)}" width="${barPx.toFixed(1)}" height="5" fill="white"/>`,
    `<text x="${(bx + barPx / 2).toFixed(1)}" y="${(by - 4).toFixed(1)}" font-size="11" ${font} text-anchor="middle" fill="white">${lengthText(bar)}</text>`,
  );
  // axes glyph and legend below the image
  const ly = top + imgH + 14;
  parts.push(
    `<g stroke="#222" stroke-width="1.5" fill="none"><path d="M${left + 6} ${ly} h28 m-5 -4 l5 4 l-5 4"/><path d="M${left + 6} ${ly} v28 m-4 -5 l4 5 l4 -5"/></g>`,
    `<text x="${left + 40}" y="${ly + 4}" font-size="11" ${font} fill="#222">${g.across}</text>`,
    `<text x="${left + 2}" y="${ly + 42}" font-size="11" ${font} fill="#222">${g.down}</text>`,
  );
  const lx = left + 70;
  const [r1, g1, b1] = outlineRgb(1);
  const [r2, g2, b2] = outlineRgb(2);
  parts.push(
    `<rect x="${lx}" y="${ly - 6}" width="10" height="10" fill="none" stroke="rgb(${r1},${g1},${b1})" stroke-width="2"/>`,
    `<rect x="${lx + 13}" y="${ly - 6}" width="10" height="10" fill="none" stroke="rgb(${r2},${g2},${b2})" stroke-width="2"/>`,
    `<text x="${lx + 30}" y="${ly + 3}" font-size="11" ${font} fill="#222">particle outline; the number is its label in particles.csv</text>`,
    `<rect x="${lx}" y="${ly + 12}" width="10" height="10" fill="rgb(${CRACK_RGB.join(",")})"/>`,
    `<text x="${lx + 30}" y="${ly + 21}" font-size="11" ${font} fill="#222">crack voxels (solid-enclosed porosity)</text>`,
    `<text x="${lx}" y="${ly + 38}" font-size="10" ${font} fill="#555">pixel ${lengthText(g.dc)} × ${lengthText(g.dr)}; grey stretched 0.5–99.5 %</text>`,
  );
  parts.push("</svg>");
  return { svg: parts.join(""), labels: drawn.map(([l]) => l) };
}

/** Grey-level histogram (256 bins over the data range, log counts) with the threshold marked. */
export function greyHistogramFigure(grey: Volume, threshold: number, method: string): string {
  const d = grey.data;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < d.length; i++) {
    if (d[i] < lo) lo = d[i];
    if (d[i] > hi) hi = d[i];
  }
  const bins = 256;
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Float64Array(bins);
  for (let i = 0; i < d.length; i++) counts[Math.min(bins - 1, Math.floor((d[i] - lo) / width))]++;
  const x: number[] = [];
  const y: number[] = [];
  for (let k = 0; k < bins; k++) {
    if (counts[k] === 0) continue;
    x.push(lo + (k + 0.5) * width);
    y.push(counts[k] / d.length);
  }
  const ymin = Math.min(...y);
  const ymax = Math.max(...y);
  return renderPlot(
    [
      { label: "histogram", x, y, style: "line", color: "#333" },
      {
        label: `${method.startsWith("Otsu") ? "Otsu" : "given"} threshold ${threshold}`,
        x: [threshold, threshold],
        y: [ymin, ymax],
        color: "#d62728",
        dash: "6 3",
      },
    ],
    {
      title: "Grey-level histogram",
      xLabel: "grey level",
      yLabel: "fraction of voxels",
      yScale: "log",
    },
  );
}

/** Per-shell quantile of the particles' crack fractions (linear interpolation). */
function quantile(values: number[], q: number): number {
  const s = [...values].sort((p, r) => p - r);
  if (s.length === 0) return Number.NaN;
  const pos = q * (s.length - 1);
  const i = Math.floor(pos);
  return i + 1 < s.length ? s[i] + (pos - i) * (s[i + 1] - s[i]) : s[i];
}

export interface RadialSummary {
  depth: number[];
  /** Voxel-weighted mean over all particles, over cracked and over intact particles. */
  all: number[];
  cracked: number[];
  intact: number[];
  /** Quartiles over the cracked particles (particle-weighted). */
  q25: number[];
  q75: number[];
  nCracked: number;
  nIntact: number;
}

/** Radial crack profile statistics: means (all / cracked / intact) and quartiles of the cracked. */
export function radialSummary(a: TomoAnalysis): RadialSummary {
  const shells = a.particles[0]?.radialProfile.edges.length ?? 0;
  const depth = Array.from({ length: shells }, (_, k) => (k + 0.5) / shells);
  const groups = {
    all: a.particles,
    cracked: a.particles.filter((p) => p.crackVoxels > 0),
    intact: a.particles.filter((p) => p.crackVoxels === 0),
  };
  const weighted = (list: typeof a.particles) =>
    depth.map((_, k) => {
      let s = 0;
      let n = 0;
      for (const p of list) {
        const v = p.radialProfile.mean[k];
        if (Number.isFinite(v)) {
          s += v * p.radialProfile.voxels[k];
          n += p.radialProfile.voxels[k];
        }
      }
      return n > 0 ? s / n : Number.NaN;
    });
  const per = (q: number) =>
    depth.map((_, k) =>
      quantile(
        groups.cracked.map((p) => p.radialProfile.mean[k]).filter((v) => Number.isFinite(v)),
        q,
      ),
    );
  return {
    depth,
    all: weighted(groups.all),
    cracked: weighted(groups.cracked),
    intact: weighted(groups.intact),
    q25: per(0.25),
    q75: per(0.75),
    nCracked: groups.cracked.length,
    nIntact: groups.intact.length,
  };
}

/** Radial crack profile figure: cracked-particle mean with its interquartile range, intact mean. */
export function radialProfileFigure(r: RadialSummary, ndim: 2 | 3): string {
  const finite = (ys: number[]) => {
    const x: number[] = [];
    const y: number[] = [];
    ys.forEach((v, k) => {
      if (Number.isFinite(v)) {
        x.push(r.depth[k]);
        y.push(v);
      }
    });
    return { x, y };
  };
  const series = [];
  if (r.nCracked > 0) {
    series.push({
      label: `cracked (n = ${r.nCracked}): mean`,
      ...finite(r.cracked),
      style: "both" as const,
      color: "#d62728",
    });
    if (r.nCracked > 1) {
      series.push({ label: "cracked: 25th pct", ...finite(r.q25), color: "#d62728", dash: "3 3" });
      series.push({ label: "cracked: 75th pct", ...finite(r.q75), color: "#d62728", dash: "3 3" });
    }
  }
  if (r.nIntact > 0)
    series.push({
      label: `intact (n = ${r.nIntact}): mean`,
      ...finite(r.intact),
      style: "both" as const,
      color: "#1f77b4",
    });
  series.push({ label: "all: voxel mean", ...finite(r.all), color: "#555", dash: "8 3" });
  return renderPlot(series, {
    title: "Radial crack distribution",
    xLabel: "normalised depth below the surface (0 surface, 1 centre)",
    yLabel: ndim === 2 ? "crack area fraction" : "crack volume fraction",
  });
}
