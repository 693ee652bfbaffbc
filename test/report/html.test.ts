import assert from "node:assert/strict";
import { test } from "node:test";
import { renderReport } from "../../src/report/html.js";
import { renderPlot } from "../../src/report/svg-plot.js";

test("report: self-contained HTML with escaped text, inline SVG, tables and provenance", () => {
  const svg = renderPlot([{ label: "a<b", x: [1, 2, 3], y: [1, 4, 9] }], { title: "squares" });
  const html = renderReport({
    title: "Test <report>",
    command: ["cathodelab", "simulate", "--protocol", "Charge at C/20 until 4.3 V"],
    versions: { cathodelab: "0.1.0", node: "v20" },
    inputs: [{ name: "data.mpt", bytes: 10, sha256: "ab12" }],
    summary: [{ label: "j0", value: "1.2e-3 A/m²" }],
    sections: [
      {
        heading: "Fit",
        paragraphs: ["x < y"],
        figures: [{ svg, caption: "c" }],
        tables: [
          {
            columns: ["p", "v"],
            rows: [
              ["R0", 0.0123456789],
              ["bad", Number.NaN],
            ],
          },
        ],
      },
    ],
  });
  assert.match(html, /^<!DOCTYPE html>/);
  assert.ok(!/<script|<link|src="http/.test(html), "no external resources or scripts");
  assert.match(html, /Test &lt;report&gt;/);
  assert.match(html, /x &lt; y/);
  assert.match(html, /<svg xmlns/);
  assert.match(html, /<td>0\.012346<\/td>/);
  assert.match(html, /<td>—<\/td>/, "non-finite numbers shown as a dash, never NaN");
  assert.match(html, /&quot;Charge at C\/20 until 4\.3 V&quot;/);
  assert.match(html, /ab12/);
});

test("SVG plots are deterministic (same input, same bytes) and skip non-finite points", () => {
  const a = renderPlot([{ label: "s", x: [1, 2, Number.NaN, 4], y: [1, 2, 3, 4] }], { xScale: "log" });
  const b = renderPlot([{ label: "s", x: [1, 2, Number.NaN, 4], y: [1, 2, 3, 4] }], { xScale: "log" });
  assert.equal(a, b);
  assert.ok(!a.includes("NaN"));
});
