/**
 * Figures and reports: SVG line/scatter plots with linear or log axes (`renderPlot`) and
 * self-contained HTML reports with figures and tables (`renderReport`). Pure string output; write
 * the strings with your own I/O (Node: `cathodelab/node`).
 */
export * from "./html.js";
export * from "./svg-plot.js";
