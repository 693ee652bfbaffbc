/**
 * SVG → PNG (src/report/png-node.ts, resvg): the PNG has the SVG's size times the scale, the
 * pixels are where the SVG puts them (a viridis colour-bar step, the plot frame, a data line),
 * and the rendering is byte-stable. Commands write figure.png beside figure.svg (OutputDir).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { decode } from "fast-png";
import { OutputDir } from "../../src/io/output-dir.js";
import { colorBarSvg, viridisRgb } from "../../src/report/colormap.js";
import { pngNameFor, svgToPng } from "../../src/report/png-node.js";
import { renderPlot } from "../../src/report/svg-plot.js";
import { tempDir } from "../helpers/cli.js";

function pixel(img: ReturnType<typeof decode>, x: number, y: number): number[] {
  const o = (y * img.width + x) * img.channels;
  return Array.from(img.data.slice(o, o + 3));
}

test("svgToPng: size × scale, white background, shapes at their SVG coordinates", () => {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">' +
    '<rect x="10" y="5" width="10" height="10" fill="#ff0000"/></svg>';
  const png = decode(svgToPng(svg, { scale: 2 }));
  assert.deepEqual([png.width, png.height], [80, 40]);
  assert.deepEqual(pixel(png, 2, 2), [255, 255, 255], "background");
  assert.deepEqual(pixel(png, 30, 20), [255, 0, 0], "inside the rect (x 20…40, y 10…30 at 2×)");
  assert.deepEqual(pixel(png, 45, 20), [255, 255, 255], "right of it");
  assert.ok(Buffer.from(svgToPng(svg)).equals(Buffer.from(svgToPng(svg))), "same bytes every time");
  assert.throws(() => svgToPng(svg, { scale: 0 }), /scale/);
  assert.equal(pngNameFor("dir/nyquist.svg"), "dir/nyquist.png");
});

test("a colour bar renders its viridis steps; a plot its frame and line", () => {
  const bar = decode(
    svgToPng(colorBarSvg({ lo: 0, hi: 1, label: "d", height: 200, steps: 4 }), { scale: 1 }),
  );
  // 4 steps over y 24…224; the lowest step (t = 0.125) at y ≈ 200, the highest (t = 0.875) at y ≈ 48
  const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 2);
  assert.ok(near(pixel(bar, 16, 200), viridisRgb(0.125)), `${pixel(bar, 16, 200)}`);
  assert.ok(near(pixel(bar, 16, 48), viridisRgb(0.875)), `${pixel(bar, 16, 48)}`);
  const plot = decode(
    svgToPng(
      renderPlot([{ label: "", x: [0, 1], y: [0, 1], color: "#0000ff" }], { width: 200, height: 150 }),
      {
        scale: 1,
      },
    ),
  );
  assert.deepEqual([plot.width, plot.height], [200, 150]);
  // the diagonal line crosses the plot area (x 72…184): every pixel column there holds a bluish
  // (anti-aliased) line pixel, and the top of the line is right of and above its bottom
  const columns: number[] = [];
  for (let x = 78; x <= 178; x++) {
    const ys: number[] = [];
    for (let y = 0; y < 150; y++) {
      const [r, g, b] = pixel(plot, x, y);
      if (b > 180 && r < 160 && g < 160) ys.push(y);
    }
    assert.ok(ys.length > 0, `no line pixel in column ${x}`);
    columns.push(ys[0]);
  }
  // the frame's left edge (x = 72, #333, 1 px straddling two pixel columns) is dark
  assert.ok(Math.min(pixel(plot, 71, 60)[0], pixel(plot, 72, 60)[0]) < 160, "frame drawn");
  assert.ok(columns[0] > columns[columns.length - 1] + 60, `line rises: ${columns[0]} → ${columns.at(-1)}`);
});

test("OutputDir writes figure.png beside every figure.svg", () => {
  const tmp = tempDir();
  try {
    const target = join(tmp.path, "out");
    const out = OutputDir.open(target);
    out.write("plots/a.svg", renderPlot([{ label: "a", x: [1, 2], y: [3, 4] }]));
    out.write("table.csv", "a,b\n");
    out.commit();
    assert.deepEqual(out.files, ["plots/a.svg", "plots/a.png", "table.csv"]);
    const png = decode(readFileSync(join(target, "plots/a.png")));
    assert.deepEqual([png.width, png.height], [1520, 800], "760 × 400 at the default 2×");
  } finally {
    tmp.cleanup();
  }
});
