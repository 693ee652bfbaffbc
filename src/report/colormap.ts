/**
 * The one colour map of the project: viridis (van der Walt & Smith, matplotlib 2015), a
 * perceptually uniform, colour-blind-safe sequential map, as 9 stops (matplotlib's viridis
 * sampled at t = 0, 1/8, …, 1; the same hex values as R viridisLite's `viridis(9)`) with linear
 * interpolation between them. Every heat map, slice image and colour bar (browser lab, CLI
 * PNG maps, fracture slices, electrode maps) takes its colours from here, and `colorBarSvg`
 * draws the matching legend. Pure: no DOM, no I/O.
 */

const STOPS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84], // #440154
  [71, 44, 122], // #472c7a
  [59, 81, 139], // #3b518b
  [44, 113, 142], // #2c718e
  [33, 144, 141], // #21908d
  [39, 173, 129], // #27ad81
  [92, 200, 99], // #5cc863
  [170, 220, 50], // #aadc32
  [253, 231, 37], // #fde725
];

/** RGB (0…255 each) of viridis at t ∈ [0, 1]; t is clamped, a non-finite t gives the t = 0 colour. */
export function viridisRgb(t: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(v));
  const f = v - i;
  const a = STOPS[i];
  const b = STOPS[i + 1];
  return [
    Math.round(a[0] + f * (b[0] - a[0])),
    Math.round(a[1] + f * (b[1] - a[1])),
    Math.round(a[2] + f * (b[2] - a[2])),
  ];
}

/** Viridis at t ∈ [0, 1] as "#rrggbb". */
export function viridisHex(t: number): string {
  return `#${viridisRgb(t)
    .map((c) => c.toString(16).padStart(2, "0"))
    .join("")}`;
}

/** Write viridis at t into out[o], out[o + 1], out[o + 2] (8-bit RGB(A) pixel buffers). */
export function viridisInto(t: number, out: Uint8Array | Uint8ClampedArray, o: number): void {
  const [r, g, b] = viridisRgb(t);
  out[o] = r;
  out[o + 1] = g;
  out[o + 2] = b;
}

export interface ColorBarOptions {
  /** Value at the bottom (t = 0) and at the top (t = 1) of the bar, in the unit of `label`. */
  lo: number;
  hi: number;
  /** Quantity and unit, e.g. "σ1 [MPa]". */
  label: string;
  /** Height of the bar itself [px] (default 200); the SVG adds room for the label. */
  height?: number;
  /** Number of colour steps drawn (default 64). */
  steps?: number;
}

function tick(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(2).replace("e+", "e");
  return String(Number(v.toPrecision(3)));
}

/**
 * A standalone vertical colour bar (SVG string) for an image coloured with `viridisRgb` over
 * [lo, hi]: colour steps, a frame, 5 labelled ticks (lo, quarter points, hi) and the label on
 * top. 84 px wide, height + 36 px tall.
 */
export function colorBarSvg(options: ColorBarOptions): string {
  const h = options.height ?? 200;
  const steps = options.steps ?? 64;
  const { lo, hi } = options;
  const width = 84;
  const height = h + 36;
  const x = 8;
  const top = 24;
  const bw = 16;
  const esc = options.label.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<text x="${x}" y="14">${esc}</text>`,
  ];
  for (let k = 0; k < steps; k++) {
    const y = top + h - ((k + 1) / steps) * h;
    parts.push(
      `<rect x="${x}" y="${y.toFixed(2)}" width="${bw}" height="${(h / steps + 0.3).toFixed(2)}" fill="${viridisHex((k + 0.5) / steps)}"/>`,
    );
  }
  parts.push(`<rect x="${x}" y="${top}" width="${bw}" height="${h}" fill="none" stroke="#333"/>`);
  for (let k = 0; k <= 4; k++) {
    const y = top + h - (k / 4) * h;
    const v = lo + ((hi - lo) * k) / 4;
    parts.push(`<line x1="${x + bw}" y1="${y}" x2="${x + bw + 4}" y2="${y}" stroke="#333"/>`);
    parts.push(`<text x="${x + bw + 6}" y="${y + 4}">${tick(v)}</text>`);
  }
  parts.push("</svg>", "");
  return parts.join("\n");
}
