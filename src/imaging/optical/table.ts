/**
 * The time / SOC table of an image sequence: CSV text with a header and one row per frame.
 * Columns (case-insensitive): a time column `time_s`, `time_min`, `time_h` or `time` (seconds),
 * optionally `soc` (fraction 0…1) or `soc_pct` / `soc_%` (percent), optionally `frame` (file
 * name, checked against the frames). Pure.
 */

import { InputError } from "../../errors.js";

export interface FrameTable {
  /** Frame times [s]. */
  times: Float64Array;
  /** Cell SOC per frame [-] (undefined when the table has no SOC column). */
  soc?: Float64Array;
  /** Frame names, when given. */
  frames?: string[];
}

const TIME_COLUMNS: Record<string, number> = { time_s: 1, time: 1, t_s: 1, time_min: 60, time_h: 3600 };

/** Parse a frame table. @throws InputError naming the file, line and column of a bad cell. */
export function parseFrameTable(text: string, file?: string): FrameTable {
  const lines = text.split(/\r?\n/);
  let header: string[] | null = null;
  let timeCol = -1;
  let timeScale = 1;
  let socCol = -1;
  let socScale = 1;
  let frameCol = -1;
  const times: number[] = [];
  const soc: number[] = [];
  const frames: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === "" || raw.startsWith("#")) continue;
    const cells = raw.split(/\s*[,;\t]\s*/);
    if (!header) {
      header = cells.map((c) => c.toLowerCase().replace(/^"|"$/g, ""));
      header.forEach((h, j) => {
        if (h in TIME_COLUMNS && timeCol < 0) {
          timeCol = j;
          timeScale = TIME_COLUMNS[h];
        }
        if (h === "soc") socCol = j;
        if (h === "soc_pct" || h === "soc_%" || h === "soc_percent") {
          socCol = j;
          socScale = 0.01;
        }
        if (h === "frame" || h === "file") frameCol = j;
      });
      if (timeCol < 0)
        throw new InputError("frame table has no time column", {
          file,
          line: i + 1,
          value: raw,
          expected: "a header with time_s (or time_min, time_h) and optionally soc",
        });
      continue;
    }
    const num = (j: number, field: string, scale: number) => {
      const v = Number(cells[j]);
      if (cells[j] === undefined || cells[j] === "" || !Number.isFinite(v))
        throw new InputError(`invalid ${field}`, {
          file,
          line: i + 1,
          column: j + 1,
          field: header?.[j],
          value: cells[j] ?? "(missing)",
          expected: "a number",
        });
      return v * scale;
    };
    times.push(num(timeCol, "time", timeScale));
    if (socCol >= 0) soc.push(num(socCol, "SOC", socScale));
    if (frameCol >= 0) frames.push(cells[frameCol] ?? "");
    if (times.length > 1 && !(times[times.length - 1] > times[times.length - 2]))
      throw new InputError("frame times must increase", {
        file,
        line: i + 1,
        field: header[timeCol],
        value: cells[timeCol],
        expected: `> ${times[times.length - 2] / timeScale}`,
      });
  }
  if (times.length === 0)
    throw new InputError("frame table has no rows", { file, expected: "one row per frame after the header" });
  return {
    times: Float64Array.from(times),
    soc: socCol >= 0 ? Float64Array.from(soc) : undefined,
    frames: frameCol >= 0 ? frames : undefined,
  };
}

/** A numeric CSV table: header names and rows of numbers (empty cells → NaN). */
export interface NumericTable {
  columns: string[];
  rows: Float64Array[];
}

/**
 * Parse a CSV table of numbers with a header line (comma, semicolon or tab separated).
 * @throws InputError naming file, line and column of a non-numeric cell or a short row
 */
export function parseNumericCsv(text: string, file?: string): NumericTable {
  const lines = text.split(/\r?\n/);
  let columns: string[] | null = null;
  const rows: Float64Array[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === "" || raw.startsWith("#")) continue;
    const cells = raw.split(/\s*[,;\t]\s*/);
    if (!columns) {
      columns = cells.map((c) => c.replace(/^"|"$/g, ""));
      continue;
    }
    if (cells.length !== columns.length)
      throw new InputError("row length differs from the header", {
        file,
        line: i + 1,
        value: `${cells.length} cells`,
        expected: `${columns.length} cells`,
      });
    const row = new Float64Array(cells.length);
    for (let j = 0; j < cells.length; j++) {
      if (cells[j] === "") {
        row[j] = Number.NaN;
        continue;
      }
      const v = Number(cells[j]);
      if (!Number.isFinite(v))
        throw new InputError("cell is not a number", {
          file,
          line: i + 1,
          column: j + 1,
          field: columns[j],
          value: cells[j],
          expected: "a number",
        });
      row[j] = v;
    }
    rows.push(row);
  }
  if (!columns || rows.length === 0)
    throw new InputError("table has no rows", { file, expected: "a header line and at least one row" });
  return { columns, rows };
}

/**
 * The electrode model's per-particle time table (`cathodelab electrode` → intensity.csv or
 * particle_x.csv): one row per particle, header `particle,t_<seconds>s,…`.
 * @returns snapshot times [s], particle ids, and values particle-major values[p·times + k]
 */
export function parseParticleTimeTable(
  text: string,
  file?: string,
): { times: Float64Array; ids: number[]; values: Float64Array } {
  const t = parseNumericCsv(text, file);
  const times = new Float64Array(t.columns.length - 1);
  for (let j = 1; j < t.columns.length; j++) {
    const m = /^t_(-?[\d.eE+-]+)s$/.exec(t.columns[j]);
    if (!m)
      throw new InputError("unexpected column in a particle time table", {
        file,
        line: 1,
        column: j + 1,
        value: t.columns[j],
        expected: "t_<seconds>s columns after the particle column",
      });
    times[j - 1] = Number(m[1]);
  }
  const nf = times.length;
  const values = new Float64Array(t.rows.length * nf);
  const ids = t.rows.map((r, p) => {
    values.set(r.subarray(1), p * nf);
    return r[0];
  });
  return { times, ids, values };
}
