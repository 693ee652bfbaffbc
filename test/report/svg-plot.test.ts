/**
 * Properties of every chart that a reader relies on, checked on the SVG geometry (the pictures
 * themselves were looked at as PNGs when these checks were written, see test/report/png.test.ts):
 * - everything lies inside the canvas (Bode panels inside the stacked figure, legend text);
 * - every log axis carries at least 3 labelled ticks, also when it spans less than a decade;
 * - Nyquist plots are linear with equal aspect (1 Ω is the same number of px across and up),
 *   −Im Z pointing up;
 * - clip-path ids differ between the figures of one page and are the same on a rerun.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { eisFigures } from "../../src/cli/commands/fit-eis.js";
import { renderReport } from "../../src/report/html.js";
import {
  contentHash,
  linearTicks,
  logTicks,
  renderPlot,
  stackPanels,
  tickLabels,
} from "../../src/report/svg-plot.js";
import { impedanceFigures, studyFigures } from "../../src/web/app/figures.js";

/** width/height of the outermost <svg>. */
function canvas(svg: string): { width: number; height: number } {
  const m = /^<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"/.exec(svg);
  assert.ok(m, "an <svg> with width and height");
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** Tick labels of the x axis (centred below) and the y axis (right-aligned at the left). */
function tickTexts(svg: string): { x: { pos: number; text: string }[]; y: { pos: number; text: string }[] } {
  const x = [...svg.matchAll(/<text x="([-\d.]+)" y="[-\d.]+" text-anchor="middle">([^<]*)<\/text>/g)]
    .filter((m) => /^[-\d.e]+$/.test(m[2]))
    .map((m) => ({ pos: Number(m[1]), text: m[2] }));
  const y = [...svg.matchAll(/<text x="[-\d.]+" y="([-\d.]+)" text-anchor="end">([^<]*)<\/text>/g)].map(
    (m) => ({
      pos: Number(m[1]) - 4,
      text: m[2],
    }),
  );
  return { x, y };
}

/** Every x/y/cx/cy/x1/x2/y1/y2 coordinate and every path point of a single-panel figure. */
function assertInsideCanvas(svg: string, name: string): void {
  const { width, height } = canvas(svg);
  for (const m of svg.matchAll(/\s(x|x1|x2|cx)="([-\d.]+)"/g)) {
    const v = Number(m[2]);
    assert.ok(v >= 0 && v <= width, `${name}: ${m[1]}=${v} outside 0…${width}`);
  }
  for (const m of svg.matchAll(/\s(y|y1|y2|cy)="([-\d.]+)"/g)) {
    const v = Number(m[2]);
    assert.ok(v >= 0 && v <= height, `${name}: ${m[1]}=${v} outside 0…${height}`);
  }
  // left-anchored text (legend): start + 6.5 px per character must end inside the canvas
  for (const m of svg.matchAll(
    /<text x="([-\d.]+)" y="[-\d.]+">(?:<title>[^<]*<\/title>)?([^<]*)<\/text>/g,
  )) {
    const end = Number(m[1]) + 6.5 * Array.from(m[2]).length;
    assert.ok(end <= width, `${name}: legend text "${m[2]}" ends at ${end} > ${width}`);
  }
}

const spectrum = (() => {
  // a Randles cell, R0 = 10 mΩ, Rct = 20 mΩ, Cdl = 1 F, 1 mHz … 10 kHz
  const frequency = Array.from({ length: 50 }, (_, i) => 1e4 * 1e-7 ** (i / 49));
  const zReal: number[] = [];
  const zImag: number[] = [];
  for (const f of frequency) {
    const w = 2 * Math.PI * f;
    const d = 1 + (w * 0.02) ** 2;
    zReal.push(0.01 + 0.02 / d);
    zImag.push((-0.02 * w * 0.02) / d);
  }
  return { frequency, zReal, zImag };
})();

test("log ticks: at least 3, inside the range, labels read back as the values (property)", () => {
  const cases: [number, number][] = [
    [2e-15, 2.4e-15],
    [3.3, 4.4],
    [0.95, 1.05],
    [1.9e-15, 8.3e-15],
    [45, 310],
    [0.011, 1200],
    [1e-3, 1e9],
  ];
  for (const [lo, hi] of cases) {
    const t = logTicks(lo, hi);
    assert.ok(t.length >= 3, `${lo}…${hi}: ${t}`);
    for (const v of t) assert.ok(v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9), `${v} in ${lo}…${hi}`);
  }
  // less than a decade: 1-2-5 or 1…9 multiples or plain values, never powers of ten only
  assert.deepEqual(logTicks(1.9e-15, 8.3e-15), [2e-15, 3e-15, 4e-15, 5e-15, 6e-15, 7e-15, 8e-15]);
  assert.deepEqual(logTicks(45, 310), [50, 100, 200]);
  assert.deepEqual(logTicks(3.3, 4.4), [3.4, 3.6, 3.8, 4, 4.2, 4.4]);
  assert.deepEqual(tickLabels([1.25, 1.5, 1.75]), ["1.25", "1.5", "1.75"]);
  assert.deepEqual(tickLabels([5.1e-15, 5.15e-15, 5.2e-15]), ["5.1e-15", "5.15e-15", "5.2e-15"]);
  fc.assert(
    fc.property(
      fc.double({ min: -20, max: 20, noNaN: true }),
      fc.double({ min: 0.005, max: 14, noNaN: true }),
      (e, decades) => {
        const lo = 10 ** e;
        const hi = lo * 10 ** decades;
        const t = logTicks(lo, hi);
        if (t.length < 3 || t.length > 12) return false;
        if (t.some((v) => v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9))) return false;
        const labels = tickLabels(t);
        return (
          new Set(labels).size === labels.length &&
          labels.every((l, i) => Math.abs(Number(l) - t[i]) <= 1e-9 * t[i])
        );
      },
    ),
    { numRuns: 500, seed: 13 },
  );
  fc.assert(
    fc.property(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.double({ min: 1e-9, max: 1e6, noNaN: true }),
      (lo, span) => {
        const t = linearTicks(lo, lo + span);
        return t.length >= 3 && t.length <= 14;
      },
    ),
    { numRuns: 300, seed: 5 },
  );
});

test("rendered log axes carry ≥ 3 tick labels, also below a decade (D vs OCV, Bode |Z|)", () => {
  const narrow = renderPlot([{ label: "D", x: [3.85, 3.95, 4.05], y: [2e-15, 5e-15, 8e-15] }], {
    yScale: "log",
    width: 420,
    height: 300,
  });
  const t = tickTexts(narrow);
  assert.ok(t.y.length >= 3, `y labels ${t.y.map((v) => v.text)}`);
  // the labels sit at their log positions: equal ratios → equal pixel steps
  const y2 = t.y.find((v) => v.text === "2e-15");
  const y4 = t.y.find((v) => v.text === "4e-15");
  const y8 = t.y.find((v) => v.text === "8e-15");
  assert.ok(y2 && y4 && y8);
  assert.ok(Math.abs(y2.pos - y4.pos - (y4.pos - y8.pos)) < 0.02, "log spacing");
  const figs = impedanceFigures(spectrum, undefined, {}, "Randles");
  for (const name of ["bodeModulus", "bodePhase"] as const) {
    const tt = tickTexts(figs[name]);
    assert.ok(tt.x.length >= 3, `${name} x labels`);
    assert.ok(tt.y.length >= 3, `${name} y labels`);
  }
  // |Z| of the Randles cell spans 10…30 mΩ (< a decade) on a log axis, still labelled
  assert.ok(tickTexts(figs.bodeModulus).y.length >= 3);
  const study = studyFigures({
    eis: { ocv: [3.8, 3.9, 4.0], j0: [1.1, 1.6, 1.9], j0True: [1.0, 1.5, 2.0] },
    pitt: {
      ocv: [3.85, 3.95],
      diffusivity: [2e-15, 2.3e-15],
      diffusivityTrue: [2.1e-15, 2.2e-15],
      biot: [4, 3],
    },
  });
  for (const svg of Object.values(study)) assert.ok(tickTexts(svg).y.length >= 3);
});

test("Nyquist: linear axes, equal aspect (same px per Ω across and up), −Im Z up", () => {
  const figs = [
    impedanceFigures(spectrum, undefined, {}, "Randles").nyquist,
    eisFigures(spectrum, undefined, "Randles").nyquist,
    // a log request is ignored with equalAspect: Nyquist is linear, always
    renderPlot([{ label: "", x: spectrum.zReal, y: spectrum.zImag.map((v) => -v) }], {
      equalAspect: true,
      xScale: "log",
      yScale: "log",
    }),
  ];
  for (const svg of figs) {
    const t = tickTexts(svg);
    assert.ok(t.x.length >= 3 && t.y.length >= 3);
    const sx =
      (t.x[t.x.length - 1].pos - t.x[0].pos) / (Number(t.x[t.x.length - 1].text) - Number(t.x[0].text));
    const sy =
      (t.y[0].pos - t.y[t.y.length - 1].pos) / (Number(t.y[t.y.length - 1].text) - Number(t.y[0].text));
    // px per Ω: tick positions are rounded to 0.01 px over ≥ 100 px
    assert.ok(Math.abs(sx / sy - 1) < 2e-3, `x ${sx} px/Ω vs y ${sy} px/Ω`);
    // linear: equal value steps are equal pixel steps
    const d = t.x.map((v, i) => (i ? v.pos - t.x[i - 1].pos : 0)).slice(1);
    assert.ok(Math.max(...d) - Math.min(...d) < 0.05, "linear x spacing");
    // −Im up: the apex of the semicircle (largest −Im) is drawn highest (smallest y)
    // the data points (the legend's marker comes after them)
    const pts = [...svg.matchAll(/<circle cx="([-\d.]+)" cy="([-\d.]+)"/g)]
      .map((m) => Number(m[2]))
      .slice(0, spectrum.zImag.length);
    if (pts.length > 0) {
      const mi = spectrum.zImag.indexOf(Math.min(...spectrum.zImag));
      assert.equal(Math.min(...pts), pts[mi]);
    }
  }
});

test("panels and legends fit the canvas (Bode stack, long legend labels, every web figure)", () => {
  const { bode } = eisFigures(
    spectrum,
    { frequency: spectrum.frequency, re: spectrum.zReal, im: spectrum.zImag },
    "Randles",
  );
  const outer = canvas(bode);
  const panels = [
    ...bode.matchAll(/<svg x="([\d.]+)" y="([\d.]+)" xmlns="[^"]*" width="([\d.]+)" height="([\d.]+)"/g),
  ];
  assert.equal(panels.length, 2, "|Z| and phase panels");
  for (const p of panels) {
    assert.ok(Number(p[1]) + Number(p[3]) <= outer.width, `panel ${p[0]} inside width ${outer.width}`);
    assert.ok(Number(p[2]) + Number(p[4]) <= outer.height, `panel inside height ${outer.height}`);
  }
  assert.throws(() => stackPanels(["<g/>"]), /not an <svg>/);
  const long = renderPlot(
    [
      {
        label: "a very long legend label that would run past the right edge of the figure",
        x: [1, 2],
        y: [1, 2],
      },
      { label: "short", x: [1, 2], y: [2, 1] },
    ],
    { width: 420, height: 280, title: "t" },
  );
  assertInsideCanvas(long, "long legend");
  // 40 labelled traces in a 280 px figure: the legend stops at the bottom edge with "+N more";
  // an unlabelled series (a threshold line) has no legend entry
  const many = renderPlot(
    [
      ...Array.from({ length: 40 }, (_, i) => ({ label: `p${i}`, x: [0, 1], y: [i, i + 1] })),
      { label: "", x: [0, 1], y: [0, 0], dash: "4 2" },
    ],
    { height: 280 },
  );
  assertInsideCanvas(many, "many traces");
  const entries = [...many.matchAll(/<text x="[\d.]+" y="[\d.]+">(p\d+)<\/text>/g)].length;
  const more = /<text x="[\d.]+" y="[\d.]+">\+(\d+) more<\/text>/.exec(many);
  assert.ok(more && entries + Number(more[1]) === 40, `${entries} shown + ${more?.[1]} more`);
  const swatches = many.match(/<line [^>]*stroke-width="2"/g) ?? [];
  assert.equal(swatches.length, entries, "one legend swatch per shown entry, none for the unlabelled line");
  assert.match(
    long,
    /<title>a very long legend label that would run past the right edge of the figure<\/title>/,
  );
  const figs = {
    ...impedanceFigures(
      spectrum,
      { frequency: spectrum.frequency, zReal: spectrum.zReal, zImag: spectrum.zImag },
      { fitReal: spectrum.zReal.map(() => 0.01), fitImag: spectrum.zReal.map(() => -0.01) },
      "Randles",
    ),
    ...studyFigures({
      eis: { ocv: [3.8, 3.9], j0: [1, 2], j0True: [1, 2] },
      pitt: { ocv: [3.8, 3.9], diffusivity: [1e-15, 3e-14], diffusivityTrue: [1e-15, 3e-14], biot: [1, 20] },
    }),
  };
  for (const [k, svg] of Object.entries(figs)) assertInsideCanvas(svg, k);
});

test("clip-path ids: unique across the figures of one report, identical on a rerun", () => {
  const make = () => {
    const a = impedanceFigures(
      spectrum,
      { frequency: spectrum.frequency, zReal: spectrum.zReal, zImag: spectrum.zImag },
      {},
      "Randles",
    );
    const b = studyFigures({
      eis: { ocv: [3.8, 3.9], j0: [1, 2], j0True: [1, 2] },
      pitt: { ocv: [3.8, 3.9], diffusivity: [1e-15, 3e-14], diffusivityTrue: [1e-15, 3e-14], biot: [1, 20] },
    });
    const bode = eisFigures(spectrum, undefined, "Randles").bode;
    return renderReport({
      title: "all figures on one page",
      sections: [
        {
          heading: "figures",
          figures: [...Object.values(a), ...Object.values(b), bode].map((svg) => ({ svg })),
        },
      ],
    });
  };
  const html = make();
  const ids = [...html.matchAll(/<clipPath id="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(ids.length, 4 + 3 + 2, "one clip path per chart (the Bode stack has two)");
  assert.equal(new Set(ids).size, ids.length, `duplicate clip ids: ${ids}`);
  // every reference points at a clip path of the same chart (defined just before it)
  const refs = [...html.matchAll(/clip-path="url\(#([^)]+)\)"/g)].map((m) => m[1]);
  assert.deepEqual(refs, ids);
  assert.ok(!ids.includes("plot-area"));
  assert.equal(make(), html, "a rerun gives the same bytes");
  assert.equal(contentHash("abc"), contentHash("abc"));
  assert.notEqual(contentHash("abc"), contentHash("abd"));
  assert.match(contentHash(""), /^[0-9a-f]{16}$/);
});
