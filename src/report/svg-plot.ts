/**
 * Small, dependency-free SVG charts (line and scatter series, linear or log axes, legend),
 * deterministic output so figures can be snapshot-tested. Runs in Node and the browser.
 *
 * Guarantees a reader can rely on (tested in test/report/svg-plot.test.ts):
 * - everything is drawn inside the declared width × height (legend labels too long for the
 *   legend column are shortened with "…", the full text stays in a <title>);
 * - every axis carries at least 3 labelled ticks, a log axis too when it spans less than a
 *   decade (1-2-5 or 1…9 multiples, else plain linear values at their log positions);
 * - with `equalAspect` one data unit is the same number of pixels on both axes;
 * - the clip-path id is derived from a hash of the figure's own content, so two different
 *   figures inlined in one HTML document never share an id (the browser resolves `url(#id)`
 *   document-wide) and a rerun produces the same bytes.
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
  /**
   * Equal data units per pixel on both axes (Nyquist plots: 1 Ω is the same length across and
   * up). Implies linear axes: xScale/yScale are ignored.
   */
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

/**
 * "Nice" tick values (1, 2 or 5 × 10^k steps) for a linear axis over [lo, hi], about `count`
 * of them and never fewer than 3 when hi > lo (the step is halved until 3 fit).
 */
export function linearTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  for (let c = count; c < 64 * count; c *= 2) {
    const t = niceTicks(lo, hi, c);
    if (t.length >= 3) return t;
  }
  return [lo, (lo + hi) / 2, hi];
}

function niceTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const norm = step0 / mag;
  const step = (norm >= 5 ? 10 : norm >= 2 ? 5 : norm >= 1 ? 2 : 1) * mag;
  const out: number[] = [];
  // k · step, rounded to 12 significant digits: 3.4, not 3.4000000000000004
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++)
    out.push(k === 0 ? 0 : Number((k * step).toPrecision(12)));
  return out;
}

function tickLabel(v: number, digits: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) {
    // mantissa without trailing zeros: 5.1e-15, not 5.10e-15
    const [mantissa, exponent] = v.toExponential(Math.max(0, digits - 1)).split("e");
    return `${Number(mantissa)}e${Number(exponent)}`;
  }
  return String(Number(v.toPrecision(Math.max(digits, 1))));
}

/**
 * Labels of a set of tick values: the fewest significant digits (1…12) with which every label
 * reads back as its value (relative 1e-9) — a tick at 1.25 never reads "1.3" — so neighbouring
 * labels are distinct too.
 */
export function tickLabels(values: readonly number[]): string[] {
  for (let digits = 1; digits <= 12; digits++) {
    const labels = values.map((v) => tickLabel(v, digits));
    if (labels.every((l, i) => Math.abs(Number(l) - values[i]) <= 1e-9 * Math.abs(values[i]))) return labels;
  }
  return values.map((v) => tickLabel(v, 12));
}

/**
 * Tick values of a log axis over [lo, hi] (lo > 0), at least 3 whenever the axis has any
 * width: powers of ten when at least 3 fall inside (every k-th one for many decades), else
 * 1-2-5 multiples, else 1…9 multiples of powers of ten, else plain linear ticks (spans below a
 * factor of about 2.5, drawn at their log positions).
 */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi > lo)) return lo > 0 ? [lo] : [];
  const eps = 1e-9;
  const inside = (v: number) => v >= lo * (1 - eps) && v <= hi * (1 + eps);
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  // exact decimal values (10 ** -15 is not 1e-15 in binary; Number("1e-15") is the nearest double)
  const pow = (m: number, e: number) => Number(`${m}e${e}`);
  const decades: number[] = [];
  for (let e = a; e <= b; e++) if (inside(pow(1, e))) decades.push(e);
  if (decades.length >= 3) {
    const step = Math.max(1, Math.ceil(decades.length / 8));
    return decades.filter((e) => (e - decades[0]) % step === 0).map((e) => pow(1, e));
  }
  for (const mantissas of [
    [1, 2, 5],
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  ]) {
    const out: number[] = [];
    for (let e = a; e <= b; e++) for (const m of mantissas) if (inside(pow(m, e))) out.push(pow(m, e));
    if (out.length >= 3) return out;
  }
  return linearTicks(lo, hi, 5).filter((v) => v > 0);
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
  // legend entries: the labelled series (an empty label keeps a series out of the legend)
  const legend = series.map((s, k) => ({ s, k })).filter(({ s }) => s.label !== "");
  const hasLegend = legend.length > 0;
  const legendWidth = hasLegend
    ? Math.min(LEGEND_MAX, 40 + CHAR_WIDTH * Math.max(...legend.map(({ s }) => s.label.length)))
    : 0;
  const m = { left: 72, right: 16 + legendWidth, top: options.title ? 34 : 14, bottom: 48 };
  const xlog = options.xScale === "log" && !options.equalAspect;
  const ylog = options.yScale === "log" && !options.equalAspect;
  let [x0, x1] = options.xDomain ?? extent(series, "x", xlog);
  let [y0, y1] = options.yDomain ?? extent(series, "y", ylog);
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  if (options.equalAspect) {
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
  const xShown = xt.filter((v) => Math.abs(tx(v) - (m.left + pw / 2)) <= pw / 2 + 0.5);
  const yShown = yt.filter((v) => Math.abs(ty(v) - (m.top + ph / 2)) <= ph / 2 + 0.5);
  const xLabels = tickLabels(xShown);
  const yLabels = tickLabels(yShown);
  xShown.forEach((v, i) => {
    const px = fmt(tx(v));
    parts.push(`<line x1="${px}" y1="${m.top}" x2="${px}" y2="${m.top + ph}" stroke="#eee"/>`);
    parts.push(`<text x="${px}" y="${m.top + ph + 16}" text-anchor="middle">${xLabels[i]}</text>`);
  });
  yShown.forEach((v, i) => {
    const py = ty(v);
    parts.push(`<line x1="${m.left}" y1="${fmt(py)}" x2="${m.left + pw}" y2="${fmt(py)}" stroke="#eee"/>`);
    parts.push(`<text x="${m.left - 6}" y="${fmt(py + 4)}" text-anchor="end">${yLabels[i]}</text>`);
  });
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
    `<defs><clipPath id="${CLIP_PLACEHOLDER}"><rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}"/></clipPath></defs>`,
  );
  parts.push(`<g clip-path="url(#${CLIP_PLACEHOLDER})">`);
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
    // as many 15 px rows as fit above the bottom edge; the rest summarised as "+N more"
    const fit = Math.max(1, Math.floor((height - 4 - (m.top + 12)) / 15) + 1);
    const shown = legend.length <= fit ? legend : legend.slice(0, fit - 1);
    if (shown.length < legend.length) {
      const y = m.top + 12 + shown.length * 15;
      parts.push(`<text x="${x0}" y="${y}">+${legend.length - shown.length} more</text>`);
    }
    shown.forEach(({ s, k }, row) => {
      const color = s.color ?? PALETTE[k % PALETTE.length];
      const y = m.top + 12 + row * 15;
      const style = s.style ?? "line";
      if (style === "points") parts.push(`<circle cx="${x0 + 9}" cy="${y - 4}" r="2.5" fill="${color}"/>`);
      else {
        parts.push(
          `<line x1="${x0}" y1="${y - 4}" x2="${x0 + 18}" y2="${y - 4}" stroke="${color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`,
        );
      }
      parts.push(`<text x="${x0 + 24}" y="${y}">${legendText(s.label, width - (x0 + 24) - 4)}</text>`);
    });
  }
  parts.push(`</svg>`);
  return withUniqueClipId(`${parts.join("\n")}\n`);
}

/** Widest legend column [px] and the width assumed per character of the 11 px font [px]. */
const LEGEND_MAX = 220;
const CHAR_WIDTH = 6.5;

/** A legend label that fits `room` px: shortened with "…" (full text in a <title>) if needed. */
function legendText(label: string, room: number): string {
  const max = Math.max(4, Math.floor(room / CHAR_WIDTH));
  if (label.length <= max) return escapeXml(label);
  return `<title>${escapeXml(label)}</title>${escapeXml(`${label.slice(0, max - 1)}…`)}`;
}

const CLIP_PLACEHOLDER = "__clip__";

/**
 * 64-bit FNV-1a hash (two 32-bit lanes with different offset bases) of a string's UTF-16 code
 * units, as 16 hex digits. Not cryptographic: it only has to make ids of different figures differ.
 */
export function contentHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
    b = (b ^ (b >>> 15)) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

/**
 * Replace the clip-path placeholder by `clip-<hash of the figure>`: unique across different
 * figures of one HTML page (identical figures share the id harmlessly: same clip rectangle),
 * and the same bytes on every rerun.
 */
function withUniqueClipId(svg: string): string {
  return svg.split(CLIP_PLACEHOLDER).join(`clip-${contentHash(svg)}`);
}

/**
 * Stack complete SVG figures (e.g. from renderPlot) vertically in one SVG whose width is the
 * widest panel and whose height is the sum of the panel heights, so every panel lies inside the
 * canvas (Bode |Z| above phase). Each panel keeps its own size and clip id.
 */
export function stackPanels(panels: readonly string[]): string {
  const sizes = panels.map((p) => {
    const w = /^<svg[^>]*\swidth="([\d.]+)"/.exec(p);
    const h = /^<svg[^>]*\sheight="([\d.]+)"/.exec(p);
    if (!w || !h) throw new Error("stackPanels: a panel is not an <svg> with width and height");
    return { width: Number(w[1]), height: Number(h[1]) };
  });
  const width = Math.max(...sizes.map((s) => s.width));
  const height = sizes.reduce((t, s) => t + s.height, 0);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  let y = 0;
  panels.forEach((p, i) => {
    out.push(p.trim().replace(/^<svg /, `<svg x="0" y="${y}" `));
    y += sizes[i].height;
  });
  out.push("</svg>", "");
  return out.join("\n");
}
