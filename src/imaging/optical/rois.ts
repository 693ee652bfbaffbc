/**
 * Particle regions of interest in an optical image sequence: circles and polygons in pixel
 * coordinates, rasterised to a label image; and the text formats they are given in. Pure.
 *
 * Coordinates: pixel (column i, row j) has its centre at (x, y) = (i, j); x to the right, y down
 * (image rows). A pixel belongs to a circle when (i − cx)² + (j − cy)² ≤ r², to a polygon when
 * its centre is inside (even–odd rule). Where ROIs overlap, the later one wins.
 */

import { InputError } from "../../errors.js";

export type Roi =
  | { id: string; kind: "circle"; cx: number; cy: number; r: number }
  | { id: string; kind: "polygon"; points: readonly (readonly [number, number])[] };

/** Even–odd point-in-polygon test (W. R. Franklin's crossing rule). */
function insidePolygon(pts: readonly (readonly [number, number])[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i];
    const [xj, yj] = pts[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Rasterise ROIs to labels 1…n (ROI k → label k + 1), 0 elsewhere; row-major, index x + width·y.
 */
export function rasteriseRois(rois: readonly Roi[], width: number, height: number): Int32Array {
  const out = new Int32Array(width * height);
  rois.forEach((roi, k) => {
    if (roi.kind === "circle") {
      const { cx, cy, r } = roi;
      const y0 = Math.max(0, Math.ceil(cy - r));
      const y1 = Math.min(height - 1, Math.floor(cy + r));
      for (let y = y0; y <= y1; y++) {
        const h = Math.sqrt(Math.max(0, r * r - (y - cy) * (y - cy)));
        const x0 = Math.max(0, Math.ceil(cx - h));
        const x1 = Math.min(width - 1, Math.floor(cx + h));
        for (let x = x0; x <= x1; x++)
          if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) out[x + width * y] = k + 1;
      }
    } else {
      let xa = Number.POSITIVE_INFINITY;
      let xb = Number.NEGATIVE_INFINITY;
      let ya = Number.POSITIVE_INFINITY;
      let yb = Number.NEGATIVE_INFINITY;
      for (const [x, y] of roi.points) {
        xa = Math.min(xa, x);
        xb = Math.max(xb, x);
        ya = Math.min(ya, y);
        yb = Math.max(yb, y);
      }
      for (let y = Math.max(0, Math.ceil(ya)); y <= Math.min(height - 1, Math.floor(yb)); y++)
        for (let x = Math.max(0, Math.ceil(xa)); x <= Math.min(width - 1, Math.floor(xb)); x++)
          if (insidePolygon(roi.points, x, y)) out[x + width * y] = k + 1;
    }
  });
  return out;
}

function num(text: string, file: string | undefined, line: number, field: string, positive = false): number {
  const v = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(v) || (positive && !(v > 0)))
    throw new InputError(`invalid ${field}`, {
      file,
      line,
      field,
      value: text,
      expected: positive ? "a positive number (pixels)" : "a number (pixels)",
    });
  return v;
}

function parsePoints(text: string, file: string | undefined, line: number): [number, number][] {
  const pts = text
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => {
      const parts = s.split(/\s+/);
      if (parts.length !== 2)
        throw new InputError("invalid polygon vertex", {
          file,
          line,
          field: "points",
          value: s,
          expected: '"x y" pairs separated by ";"',
        });
      return [num(parts[0], file, line, "points"), num(parts[1], file, line, "points")] as [number, number];
    });
  if (pts.length < 3)
    throw new InputError("polygon needs at least 3 vertices", {
      file,
      line,
      field: "points",
      value: text,
      expected: '≥ 3 "x y" pairs separated by ";"',
    });
  return pts;
}

/**
 * Parse ROIs from CSV text (header `id,x,y,r` for circles, optionally a `points` column
 * `"x y; x y; …"` for polygons: a row with points and no r is a polygon) or JSON
 * (`[{"id": "p1", "circle": [x, y, r]}, {"id": "p2", "polygon": [[x, y], …]}]` or `{"rois": [...]}`).
 * Coordinates in pixels.
 */
export function parseRois(text: string, file?: string): Roi[] {
  const t = text.trim();
  if (t.startsWith("[") || t.startsWith("{")) return parseRoiJson(t, file);
  const lines = text.split(/\r?\n/);
  let header: string[] | null = null;
  const rois: Roi[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === "" || raw.startsWith("#")) continue;
    const cells = raw.split(",").map((s) => s.trim());
    if (!header) {
      header = cells.map((s) => s.toLowerCase().replace(/_px$/, ""));
      for (const need of ["id"])
        if (!header.includes(need))
          throw new InputError("ROI table header lacks a column", {
            file,
            line: i + 1,
            field: need,
            value: raw,
            expected: "a header id,x,y,r (circles) and/or id,points (polygons)",
          });
      continue;
    }
    const get = (name: string) => {
      const j = header?.indexOf(name) ?? -1;
      return j >= 0 ? (cells[j] ?? "") : "";
    };
    const id = get("id") || `roi${rois.length + 1}`;
    if (get("points") !== "" && get("r") === "")
      rois.push({ id, kind: "polygon", points: parsePoints(get("points"), file, i + 1) });
    else
      rois.push({
        id,
        kind: "circle",
        cx: num(get("x"), file, i + 1, "x"),
        cy: num(get("y"), file, i + 1, "y"),
        r: num(get("r"), file, i + 1, "r", true),
      });
  }
  if (rois.length === 0)
    throw new InputError("no ROIs in file", { file, expected: "at least one ROI row after the header" });
  return rois;
}

function parseRoiJson(text: string, file?: string): Roi[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError(`invalid JSON (${(e as Error).message})`, { file, expected: "a JSON list of ROIs" });
  }
  const list = Array.isArray(v) ? v : (v as { rois?: unknown }).rois;
  if (!Array.isArray(list) || list.length === 0)
    throw new InputError("no ROIs in JSON", { file, field: "rois", expected: "a non-empty list" });
  return list.map((e, k) => {
    const o = e as { id?: unknown; circle?: unknown; polygon?: unknown };
    const id = o.id !== undefined ? String(o.id) : `roi${k + 1}`;
    const field = `rois[${k}]`;
    if (
      Array.isArray(o.circle) &&
      o.circle.length === 3 &&
      o.circle.every((q) => typeof q === "number" && Number.isFinite(q)) &&
      (o.circle[2] as number) > 0
    )
      return { id, kind: "circle", cx: o.circle[0], cy: o.circle[1], r: o.circle[2] } as Roi;
    if (
      Array.isArray(o.polygon) &&
      o.polygon.length >= 3 &&
      o.polygon.every(
        (p) =>
          Array.isArray(p) && p.length === 2 && p.every((q) => typeof q === "number" && Number.isFinite(q)),
      )
    )
      return { id, kind: "polygon", points: o.polygon as [number, number][] } as Roi;
    throw new InputError("invalid ROI", {
      file,
      field,
      value: JSON.stringify(e).slice(0, 80),
      expected: '{"circle": [x, y, r>0]} or {"polygon": [[x, y], …≥3]}',
    });
  });
}
