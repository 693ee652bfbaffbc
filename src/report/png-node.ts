/**
 * SVG → PNG for the figures the commands write (Node only: @resvg/resvg-js is a native addon).
 * The pure plotting code (svg-plot.ts) stays free of it; the browser lab rasterises through its
 * own canvas. resvg renders the SVG 1.1 / SVG 2 subset our figures use (rect, line, path,
 * circle, text, clipPath, nested svg) without a browser, deterministically for a given set of
 * fonts: reruns on one machine give identical bytes.
 */
import { Resvg } from "@resvg/resvg-js";

export interface PngOptions {
  /** Pixels per SVG user unit (default 2: a 760 × 400 figure becomes 1520 × 800 px). */
  scale?: number;
}

/** Family used for `font-family="system-ui, sans-serif"` text; any installed font is the fallback. */
const FONT = "DejaVu Sans";

/**
 * Rasterise a complete `<svg …>` string to PNG bytes on a white background. Text needs a
 * system font (fonts are found through the usual font directories; without any installed font
 * the text is left out, the lines and points are still drawn).
 */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const scale = options.scale ?? 2;
  if (!(scale > 0 && scale <= 8)) throw new RangeError(`PNG scale must be in (0, 8], got ${scale}`);
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: FONT, sansSerifFamily: FONT },
  });
  return new Uint8Array(resvg.render().asPng());
}

/** The PNG file name written beside an SVG figure: `dir/figure.svg` → `dir/figure.png`. */
export function pngNameFor(svgName: string): string {
  return svgName.replace(/\.svg$/i, ".png");
}
