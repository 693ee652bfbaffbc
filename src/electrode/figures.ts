/**
 * Figures of an electrode run (deterministic SVG strings, no I/O): cell voltage, per-particle
 * x(t) traces, the activation map (particles drawn as circles on the microstructure's x–z
 * cross-section, coloured by first-charge onset SOC, seed 003 Fig. 2) and the virtual optical
 * intensity heat map (particles × time, seed 003 Fig. 1c).
 */
import { viridisRgb } from "../report/colormap.js";
import { linearTicks, renderPlot, tickLabels } from "../report/svg-plot.js";
import type { Microstructure } from "./microstructure.js";
import { type OpticalCalibration, opticalIntensity } from "./optical.js";
import type { ElectrodeRunResult } from "./run.js";

/** Viridis (the project's one colour map, report/colormap) at t ∈ [0, 1] as "rgb(r,g,b)". */
export function viridis(t: number): string {
  const [r, g, b] = viridisRgb(t);
  return `rgb(${r},${g},${b})`;
}

const f2 = (v: number) => (Math.round(v * 100) / 100).toString();

/** Cell voltage vs time. */
export function voltageFigure(r: ElectrodeRunResult): string {
  const t = Array.from(r.series.time, (v) => v / 3600);
  return renderPlot([{ label: "", x: t, y: r.series.voltage }], {
    title: "Cell voltage",
    xLabel: "time [h]",
    yLabel: "V vs Li/Li+ [V]",
  });
}

/** Mean x of up to `max` particles vs time (chosen evenly across first-charge onset order). */
export function tracesFigure(r: ElectrodeRunResult, max = 24): string {
  const S = r.snapshots.samples;
  const P = r.snapshots.meanX.length / Math.max(S, 1);
  const order = particlesByOnset(r);
  const pick: number[] = [];
  const k = Math.min(max, order.length);
  for (let i = 0; i < k; i++) pick.push(order[Math.floor((i * order.length) / k)]);
  const t = Array.from(r.snapshots.time, (v) => v / 3600);
  const series = pick.map((p) => ({
    label: `p${p}`,
    x: t,
    y: Array.from(r.snapshots.meanX.subarray(p * S, (p + 1) * S)),
  }));
  return renderPlot(series.length > 0 ? series : [{ label: "", x: [0], y: [0] }], {
    title: `Particle Li fraction (${pick.length} of ${P})`,
    xLabel: "time [h]",
    yLabel: "mean x [-]",
    width: 860,
  });
}

/** Particle indices sorted by first-charge onset (no onset last). */
export function particlesByOnset(r: ElectrodeRunResult): number[] {
  const S = r.snapshots.samples;
  const P = S > 0 ? r.snapshots.meanX.length / S : 0;
  const hc = r.halfCycles.find((h) => h.direction === "charge");
  const idx = Array.from({ length: P }, (_, i) => i);
  if (!hc) return idx;
  const key = (p: number) => (Number.isFinite(hc.onsetSoc[p]) ? hc.onsetSoc[p] : Number.POSITIVE_INFINITY);
  return idx.sort((a, b) => key(a) - key(b) || a - b);
}

/**
 * Activation map: particles on the x–z cross-section (3D: those whose centre lies within one
 * median radius of the mid-plane y), fill colour = onset SOC of the first charge (viridis,
 * 0 → 1), grey = no onset; uncovered particles (no direct carbon contact) get a dashed outline.
 */
export function activationMap(
  ms: Microstructure,
  r: ElectrodeRunResult,
  options: { width?: number } = {},
): string {
  const hc = r.halfCycles.find((h) => h.direction === "charge");
  const P = ms.particles.count;
  const { x, y, z, radius, covered } = ms.particles;
  const sorted = Float64Array.from(radius).sort();
  const median = sorted[Math.floor(P / 2)];
  const midY = ms.box[1] / 2;
  const width = options.width ?? 900;
  const margin = 30;
  const boxW = Math.max(ms.box[0], 1e-12);
  const boxH = Math.max(ms.box[2], 1e-12);
  // long thin 2D strips are cut to an aspect ratio of at most 8:1
  const shownW = Math.min(boxW, 8 * boxH);
  const scale = (width - 2 * margin) / shownW;
  const height = Math.ceil(boxH * scale + 2 * margin + 40);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="13" font-weight="600">Activation map: first-charge onset SOC${ms.dimension === 3 ? " (mid-plane slab)" : ""}</text>`,
    `<line x1="${margin}" y1="${f2(margin + 20 + boxH * scale)}" x2="${f2(margin + shownW * scale)}" y2="${f2(margin + 20 + boxH * scale)}" stroke="#333" stroke-width="3"/>`,
  ];
  for (let p = 0; p < P; p++) {
    if (ms.dimension === 3 && Math.abs(y[p] - midY) > median) continue;
    if (x[p] > shownW) continue;
    const soc = hc ? hc.onsetSoc[p] : Number.NaN;
    const fill = Number.isFinite(soc) ? viridis(soc) : "#bbb";
    const cx = margin + x[p] * scale;
    const cy = margin + 20 + (boxH - z[p]) * scale;
    const dash = covered[p] ? "" : ` stroke-dasharray="2 2"`;
    parts.push(
      `<circle cx="${f2(cx)}" cy="${f2(cy)}" r="${f2(Math.max(radius[p] * scale, 0.5))}" fill="${fill}" stroke="#222" stroke-width="0.6"${dash}/>`,
    );
  }
  // colour bar
  const by = height - 14;
  for (let i = 0; i < 50; i++)
    parts.push(`<rect x="${margin + i * 4}" y="${by - 8}" width="4" height="8" fill="${viridis(i / 49)}"/>`);
  parts.push(
    `<text x="${margin}" y="${by + 10}">SOC 0</text><text x="${margin + 200}" y="${by + 10}" text-anchor="end">1</text>`,
  );
  parts.push(
    `<text x="${margin + 220}" y="${by}">grey: no onset · dashed: no direct carbon contact · bar: current collector</text>`,
  );
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

/**
 * Heat map of the virtual optical intensity (surface x → I(x)), particles (rows, sorted by
 * first-charge onset, at most `maxRows` evenly chosen) × snapshots (columns).
 */
export function intensityHeatMap(
  r: ElectrodeRunResult,
  calibration: OpticalCalibration = {},
  maxRows = 200,
): string {
  const S = r.snapshots.samples;
  const order = particlesByOnset(r);
  const rows: number[] = [];
  const k = Math.min(maxRows, order.length);
  for (let i = 0; i < k; i++) rows.push(order[Math.floor((i * order.length) / k)]);
  const width = 900;
  const left = 60;
  const top = 30;
  const plotW = width - left - 20;
  const cellH = Math.max(1, Math.min(6, Math.floor(400 / Math.max(rows.length, 1))));
  const height = top + rows.length * cellH + 56;
  const iLo = opticalIntensity(calibration.xPristine ?? 1, calibration);
  const iHi = opticalIntensity(calibration.xCharged ?? 0.335, calibration);
  const t0 = S > 0 ? r.snapshots.time[0] : 0;
  const t1 = S > 0 ? r.snapshots.time[S - 1] : 1;
  const span = t1 > t0 ? t1 - t0 : 1;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="13" font-weight="600">Virtual optical intensity (rows: particles by first-charge onset)</text>`,
  ];
  // at most ~240 columns: every `stride`-th snapshot
  const stride = Math.max(1, Math.ceil(S / 240));
  rows.forEach((p, row) => {
    for (let k2 = 0; k2 + 1 < S; k2 += stride) {
      const k3 = Math.min(S - 1, k2 + stride);
      const xa = left + ((r.snapshots.time[k2] - t0) / span) * plotW;
      const xb = left + ((r.snapshots.time[k3] - t0) / span) * plotW;
      const v = opticalIntensity(r.snapshots.surfaceX[p * S + k2], calibration);
      // (+0.4 px overlap hides anti-aliasing seams between neighbouring cells)
      parts.push(
        `<rect x="${f2(xa)}" y="${top + row * cellH}" width="${f2(Math.max(xb - xa, 0.5) + 0.4)}" height="${cellH}" fill="${viridis((v - iLo) / (iHi - iLo))}"/>`,
      );
    }
  });
  const axisY = top + rows.length * cellH + 14;
  // time ticks in h (≥ 3 labelled, also for runs shorter than an hour)
  const hours = linearTicks(t0 / 3600, t1 / 3600, 8).filter((h) => h * 3600 >= t0 && h * 3600 <= t1);
  const labels = tickLabels(hours);
  hours.forEach((h, i) => {
    const px = left + ((h * 3600 - t0) / span) * plotW;
    parts.push(`<text x="${f2(px)}" y="${axisY}" text-anchor="middle">${labels[i]} h</text>`);
  });
  // colour bar (the same viridis scale as the cells)
  const by = axisY + 10;
  for (let i = 0; i < 50; i++)
    parts.push(`<rect x="${left + i * 4}" y="${by}" width="4" height="8" fill="${viridis(i / 49)}"/>`);
  parts.push(
    `<text x="${left}" y="${by + 20}">${iLo.toFixed(2)}</text><text x="${left + 200}" y="${by + 20}" text-anchor="end">${iHi.toFixed(2)}</text>`,
  );
  parts.push(`<text x="${left + 210}" y="${by + 8}">intensity: pristine → charged</text>`);
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
