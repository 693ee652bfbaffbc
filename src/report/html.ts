/**
 * Self-contained HTML reports (SPEC §6, issue 8 item 2): inline SVG figures, tables, the
 * command and versions that produced the report and the checksums of its inputs. One module
 * used by every command that writes HTML. Pure: builds a string; the caller writes it.
 */

export interface ReportTable {
  caption?: string;
  columns: string[];
  rows: (string | number | boolean | null | undefined)[][];
  /** Significant digits for numbers (default 5). */
  precision?: number;
}

export interface ReportFigure {
  caption?: string;
  /** A complete `<svg …>…</svg>` string. */
  svg: string;
}

export interface ReportSection {
  heading: string;
  /** Plain paragraphs (escaped). */
  paragraphs?: string[];
  figures?: ReportFigure[];
  tables?: ReportTable[];
}

export interface ReportInput {
  /** File name or description. */
  name: string;
  /** Hex SHA-256 of the input bytes. */
  sha256?: string;
  bytes?: number;
}

export interface Report {
  title: string;
  /** The command line that produced the report. */
  command?: string[];
  /** Versions, e.g. { cathodelab: "0.1.0", node: "v20.20.2" }. */
  versions?: Record<string, string>;
  inputs?: ReportInput[];
  /** Short key figures shown at the top. */
  summary?: { label: string; value: string }[];
  sections: ReportSection[];
  /** Files written beside the report (CSV/JSON behind the figures). */
  files?: string[];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function cell(value: string | number | boolean | null | undefined, precision: number): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "—";
    if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
    return String(Number(value.toPrecision(precision)));
  }
  return escapeHtml(String(value));
}

function quoteArg(a: string): string {
  return /^[\w./=:+,-]+$/.test(a) ? a : `"${a.replace(/(["\\$`])/g, "\\$1")}"`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:13px}th,td{border:1px solid #ccc;padding:2px 6px;text-align:right}
th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}caption{text-align:left;font-weight:600;padding:4px 0}
figure{display:inline-block;margin:0 1rem 1rem 0;vertical-align:top}figcaption{font-size:12px;color:#555;max-width:640px}
code,pre{background:#f6f6f6;padding:2px 4px;border-radius:3px}pre{white-space:pre-wrap;padding:.5rem}
.summary{display:flex;flex-wrap:wrap;gap:.5rem 2rem;margin:1rem 0}.summary div{min-width:10rem}.summary b{display:block;font-size:1.1rem}`;

/** Render a report as one HTML document (no external resources). */
export function renderReport(report: Report): string {
  const out: string[] = [];
  out.push("<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">');
  out.push(`<title>${escapeHtml(report.title)}</title><style>${STYLE}</style></head><body>`);
  out.push(`<h1>${escapeHtml(report.title)}</h1>`);
  if (report.summary && report.summary.length > 0) {
    out.push('<div class="summary">');
    for (const s of report.summary)
      out.push(`<div>${escapeHtml(s.label)}<b>${escapeHtml(s.value)}</b></div>`);
    out.push("</div>");
  }
  for (const section of report.sections) {
    out.push(`<section><h2>${escapeHtml(section.heading)}</h2>`);
    for (const p of section.paragraphs ?? []) out.push(`<p>${escapeHtml(p)}</p>`);
    for (const f of section.figures ?? []) {
      out.push(
        `<figure>${f.svg.trim()}${f.caption ? `<figcaption>${escapeHtml(f.caption)}</figcaption>` : ""}</figure>`,
      );
    }
    for (const t of section.tables ?? []) {
      const precision = t.precision ?? 5;
      out.push("<table>");
      if (t.caption) out.push(`<caption>${escapeHtml(t.caption)}</caption>`);
      out.push(`<tr>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr>`);
      for (const row of t.rows)
        out.push(`<tr>${row.map((v) => `<td>${cell(v, precision)}</td>`).join("")}</tr>`);
      out.push("</table>");
    }
    out.push("</section>");
  }
  out.push("<section><h2>Provenance</h2>");
  if (report.command)
    out.push(`<p>Command:</p><pre>${escapeHtml(report.command.map(quoteArg).join(" "))}</pre>`);
  if (report.versions) {
    out.push(
      `<p>Versions: ${Object.entries(report.versions)
        .map(([k, v]) => `${escapeHtml(k)} ${escapeHtml(v)}`)
        .join(", ")}</p>`,
    );
  }
  if (report.inputs && report.inputs.length > 0) {
    out.push("<table><caption>Inputs</caption><tr><th>input</th><th>bytes</th><th>SHA-256</th></tr>");
    for (const i of report.inputs) {
      out.push(
        `<tr><td>${escapeHtml(i.name)}</td><td>${i.bytes ?? ""}</td><td><code>${escapeHtml(i.sha256 ?? "")}</code></td></tr>`,
      );
    }
    out.push("</table>");
  }
  if (report.files && report.files.length > 0) {
    out.push(
      `<p>Data behind the figures: ${report.files.map((f) => `<code>${escapeHtml(f)}</code>`).join(", ")}</p>`,
    );
  }
  out.push("</section></body></html>");
  return `${out.join("\n")}\n`;
}
