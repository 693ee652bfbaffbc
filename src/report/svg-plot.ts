/**
 * Small, dependency-free SVG charts (line and scatter series, linear or log axes, legend),
 * deterministic output so figures can be snapshot-tested. Runs in Node and the browser.
 */

export interface PlotSeries {
  /** Legend label. */
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** "line" (default) or "points". */
  style?: "line" | "points" | "both";
  /** CSS colour; a palette colour by default. */
  color?: string;
  /** Dash pattern for lines, e.g. "4 2". */
  dash?: string;
}

export interface PlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  xScale?: "linear" | "log";
  yScale?: "linear" | "log";
  /** Force equal units per pixel on both axes (Nyquist plots). */
  equalAspect?: boolean;
  width?: number;
  height?: number;
  xDomain?: [number, number];
  yDomain?: [number, number];
}

const PALETTE = [
  "#4269d0",
  "#efb118",
  "#ff725c",
  "#6cc5b0",
  "#3ca951",
  "#ff8ab7",
  "#a463f2",
  "#97bbf5",
  "#9c6b4e",
  "#9498a0",
];

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** "Nice" tick values for a linear axis. */
export function linearTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const span = hi - lo;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const norm = step0 / mag;
  const step = (norm >= 5 ? 10 : norm >= 2 ? 5 : norm >= 1 ? 2 : 1) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function tickLabel(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1).replace("e+", "e");
  return String(Number(v.toPrecision(4)));
}

function extent(series: PlotSeries[], key: "x" | "y", log: boolean): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    const a = s[key];
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (!Number.isFinite(v) || (log && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!Number.isFinite(lo)) return log ? [1, 10] : [0, 1];
  if (lo === hi) {
    if (log) return [lo / 2, hi * 2];
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - d, hi + d];
  }
  if (log) {
    const f = (hi / lo) ** 0.04;
    return [lo / f, hi * f];
  }
  const pad = (hi - lo) * 0.04;
  return [lo - pad, hi + pad];
}

/** Render the series as a standalone SVG string. */
export function renderPlot(series: PlotSeries[], options: PlotOptions = {}): string {
  const width = options.width ?? 760;
  const height = options.height ?? 400;
  const hasLegend = series.length > 1 || (series.length === 1 && series[0].label !== "");
  const legendWidth = hasLegend
    ? Math.min(220, 40 + 6.5 * Math.max(...series.map((s) => s.label.length)))
    : 0;
  const m = { left: 72, right: 16 + legendWidth, top: options.title ? 34 : 14, bottom: 48 };
  const xlog = options.xScale === "log";
  const ylog = options.yScale === "log";
  let [x0, x1] = options.xDomain ?? extent(series, "x", xlog);
  let [y0, y1] = options.yDomain ?? extent(series, "y", ylog);
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  if (options.equalAspect && !xlog && !ylog) {
    const sx = (x1 - x0) / pw;
    const sy = (y1 - y0) / ph;
    if (sx > sy) {
      const c = (y0 + y1) / 2;
      y0 = c - (sx * ph) / 2;
      y1 = c + (sx * ph) / 2;
    } else {
      const c = (x0 + x1) / 2;
      x0 = c - (sy * pw) / 2;
      x1 = c + (sy * pw) / 2;
    }
  }
  const tx = (v: number) =>
    m.left + (xlog ? Math.log10(v / x0) / Math.log10(x1 / x0) : (v - x0) / (x1 - x0)) * pw;
  const ty = (v: number) =>
    m.top + ph - (ylog ? Math.log10(v / y0) / Math.log10(y1 / y0) : (v - y0) / (y1 - y0)) * ph;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
  );
  parts.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  if (options.title) {
    parts.push(
      `<text x="${width / 2}" y="20" text-anchor="middle" font-size="13" font-weight="600">${escapeXml(options.title)}</text>`,
    );
  }
  // ticks and grid
  const xt = xlog ? logTicks(x0, x1) : linearTicks(x0, x1);
  const yt = ylog ? logTicks(y0, y1) : linearTicks(y0, y1);
  for (const v of xt) {
    const px = tx(v);
    if (px < m.left - 0.5 || px > m.left + pw + 0.5) continue;
    parts.push(`<line x1="${fmt(px)}" y1="${m.top}" x2="${fmt(px)}" y2="${m.top + ph}" stroke="#eee"/>`);
    parts.push(`<text x="${fmt(px)}" y="${m.top + ph + 16}" text-anchor="middle">${tickLabel(v)}</text>`);
  }
  for (const v of yt) {
    const py = ty(v);
    if (py < m.top - 0.5 || py > m.top + ph + 0.5) continue;
    parts.push(`<line x1="${m.left}" y1="${fmt(py)}" x2="${m.left + pw}" y2="${fmt(py)}" stroke="#eee"/>`);
    parts.push(`<text x="${m.left - 6}" y="${fmt(py + 4)}" text-anchor="end">${tickLabel(v)}</text>`);
  }
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  if (options.xLabel) {
    parts.push(
      `<text x="${m.left + pw / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    );
  }
  if (options.yLabel) {
    parts.push(
      `<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
    );
  }
  parts.push(
    `<defs><clipPath id="plot-area"><rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}"/></clipPath></defs>`,
  );
  parts.push(`<g clip-path="url(#plot-area)">`);
  series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length];
    const style = s.style ?? "line";
    const n = Math.min(s.x.length, s.y.length);
    if (style === "line" || style === "both") {
      let d = "";
      let pen = false;
      for (let i = 0; i < n; i++) {
        const x = s.x[i];
        const y = s.y[i];
        if (!Number.isFinite(x) || !Number.isFinite(y) || (xlog && x <= 0) || (ylog && y <= 0)) {
          pen = false;
          continue;
        }
        d += `${pen ? "L" : "M"}${fmt(tx(x))},${fmt(ty(y))}`;
        pen = true;
      }
      if (d) {
        parts.push(
          `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`,
        );
      }
    }
    if (style === "points" || style === "both") {
      for (let i = 0; i < n; i++) {
        const x = s.x[i];
        const y = s.y[i];
        if (!Number.isFinite(x) || !Number.isFinite(y) || (xlog && x <= 0) || (ylog && y <= 0)) continue;
        parts.push(`<circle cx="${fmt(tx(x))}" cy="${fmt(ty(y))}" r="2.5" fill="${color}"/>`);
      }
    }
  });
  parts.push(`</g>`);
  // legend, right of the plot area
  if (hasLegend) {
    const x0 = m.left + pw + 12;
    series.forEach((s, k) => {
      const color = s.color ?? PALETTE[k % PALETTE.length];
      const y = m.top + 12 + k * 15;
      const style = s.style ?? "line";
      if (style === "points") parts.push(`<circle cx="${x0 + 9}" cy="${y - 4}" r="2.5" fill="${color}"/>`);
      else {
        parts.push(
          `<line x1="${x0}" y1="${y - 4}" x2="${x0 + 18}" y2="${y - 4}" stroke="${color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`,
        );
      }
      parts.push(`<text x="${x0 + 24}" y="${y}">${escapeXml(s.label)}</text>`);
    });
  }
  parts.push(`</svg>`);
  return `${parts.join("\n")}\n`;
}

function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const step = Math.max(1, Math.ceil((b - a) / 8));
  for (let e = a; e <= b; e += step) out.push(10 ** e);
  return out;
}
