/**
 * Small DOM helpers for the lab pages: element builder, figure panels with download buttons
 * (SVG, PNG drawn from the SVG on a canvas, and the data behind the figure as CSV/JSON), the
 * "reproduce with the CLI" box and file reading with the size limit.
 */
import { MAX_UPLOAD_BYTES } from "./jobs.js";

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | ((e: Event) => void)> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, ""), v as EventListener);
    else if (v === false) continue;
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** Save bytes or text as a file. */
export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Rasterise an SVG string to PNG (2× scale) through an <img> and a canvas. */
export async function svgToPng(svg: string): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error("cannot draw the SVG"));
      img.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = (img.naturalWidth || 640) * 2;
    canvas.height = (img.naturalHeight || 400) * 2;
    const ctx = canvas.getContext("2d")!;
    ctx.fillStyle = "white";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG encoding failed"))), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Columns → CSV text (numbers at full precision). */
export function columnsCsv(columns: Record<string, ArrayLike<number | string>>): string {
  const names = Object.keys(columns);
  const n = Math.max(0, ...names.map((k) => columns[k].length));
  const lines = [names.join(",")];
  for (let i = 0; i < n; i++) lines.push(names.map((k) => String(columns[k][i] ?? "")).join(","));
  return `${lines.join("\n")}\n`;
}

/**
 * A figure panel: the SVG plus download buttons. `data` (columns) becomes a CSV download and is
 * also stored as JSON in the panel's `data-series` attribute (the data behind the plot).
 */
export function figurePanel(
  id: string,
  svg: string,
  data?: Record<string, ArrayLike<number | string>>,
): HTMLElement {
  const holder = h("div", { class: "svg" });
  holder.innerHTML = svg;
  const panel = h("figure", { class: "figure", id });
  if (data) {
    const plain: Record<string, (number | string)[]> = {};
    for (const [k, v] of Object.entries(data)) plain[k] = Array.from(v);
    panel.dataset.series = JSON.stringify(plain);
  }
  const buttons = h(
    "div",
    { class: "downloads" },
    h("button", { type: "button", onclick: () => download(`${id}.svg`, svg, "image/svg+xml") }, "SVG"),
    h(
      "button",
      {
        type: "button",
        onclick: async () => download(`${id}.png`, await svgToPng(svg), "image/png"),
      },
      "PNG",
    ),
    data
      ? h(
          "button",
          { type: "button", onclick: () => download(`${id}.csv`, columnsCsv(data), "text/csv") },
          "CSV",
        )
      : null,
  );
  panel.append(holder, buttons);
  return panel;
}

/** Replace a panel's SVG in place (live updates), keeping its buttons. */
export function updateSvg(panel: HTMLElement, svg: string): void {
  const holder = panel.querySelector(".svg");
  if (holder) holder.innerHTML = svg;
}

/** The "reproduce this with the CLI" box. */
export function cliBox(command: string): HTMLElement {
  const code = h("code", { class: "cli-command" }, command);
  return h(
    "div",
    { class: "cli" },
    h("span", {}, "Reproduce with the CLI: "),
    code,
    h("button", { type: "button", onclick: () => navigator.clipboard?.writeText(command) }, "copy"),
  );
}

/** Quote an argument for a POSIX shell when needed. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Read an uploaded file's bytes, refusing files above the lab's limit. */
export async function readUpload(file: File): Promise<Uint8Array> {
  if (file.size > MAX_UPLOAD_BYTES) {
    throw new Error(
      `${file.name}: the file is too large (${(file.size / 2 ** 20).toFixed(1)} MiB; the lab reads at most ${MAX_UPLOAD_BYTES / 2 ** 20} MiB)`,
    );
  }
  return new Uint8Array(await file.arrayBuffer());
}

/** A message line (status or error) that the page updates. */
export function statusLine(id: string): HTMLElement {
  return h("p", { class: "status", id, role: "status" });
}

export function setStatus(el: HTMLElement, text: string, kind: "info" | "error" | "ok" = "info"): void {
  el.textContent = text;
  el.className = `status ${kind}`;
}

/** Format a number with `digits` significant digits. */
export function sig(v: number, digits = 4): string {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : String(v);
}
