/**
 * Merge the tasks of a sweep into one tidy table (one row per task: id, swept parameters, then
 * every scalar of the task's summary) and one figure per swept parameter. Pure: summaries in,
 * rows, CSV text and SVG strings out. Rows are in task order and carry no wall times, so a sweep
 * run on a local pool and the same sweep run as SLURM array tasks merge to identical bytes.
 */
import { type Cell, toCsv } from "../io/csv.js";
import { renderPlot } from "../report/svg-plot.js";
import type { SweepSpec, SweepTask, SweepValue } from "./spec.js";
import { sweptNames } from "./spec.js";

export type TaskStatus = "done" | "failed" | "pending";

export interface TaskOutcome {
  task: SweepTask;
  status: TaskStatus;
  /** The task's summary (its `summary.json`, or its `--json` output), when done. */
  summary?: unknown;
  /** Why the task failed (message of the command or of the worker). */
  error?: string;
}

export interface MergedTable {
  columns: string[];
  rows: Record<string, Cell>[];
}

/**
 * Flatten nested objects into dotted scalar columns (`summary.chargeCapacity.mAh`). Arrays of
 * scalars shorter than 9 become indexed columns (`x.0`, `x.1`); longer arrays and arrays of
 * objects are left to the task's own files (a tidy table holds scalars).
 */
export function flattenSummary(
  value: unknown,
  prefix = "",
  out: Record<string, Cell> = {},
): Record<string, Cell> {
  if (value === null || value === undefined) return out;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") {
    if (prefix) out[prefix] = value;
    return out;
  }
  if (Array.isArray(value)) {
    if (value.length <= 8 && value.every((v) => v === null || typeof v !== "object")) {
      value.forEach((v, i) => {
        flattenSummary(v, `${prefix}.${i}`, out);
      });
    }
    return out;
  }
  if (typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      flattenSummary(v, prefix ? `${prefix}.${k}` : k, out);
    }
  }
  return out;
}

/** The merged table: `task`, `index`, `status`, the swept parameters, then result columns in first-seen order. */
export function mergeOutcomes(spec: SweepSpec, outcomes: readonly TaskOutcome[]): MergedTable {
  const swept = sweptNames(spec);
  const resultColumns: string[] = [];
  const seen = new Set<string>();
  const sorted = [...outcomes].sort((a, b) => a.task.index - b.task.index);
  const flat = sorted.map((o) => (o.status === "done" ? flattenSummary(o.summary) : {}));
  for (const f of flat) {
    for (const k of Object.keys(f)) {
      if (!seen.has(k) && !swept.includes(k)) {
        seen.add(k);
        resultColumns.push(k);
      }
    }
  }
  const columns = ["task", "index", "status", ...swept, "error", ...resultColumns];
  const rows = sorted.map((o, i) => {
    const row: Record<string, Cell> = {
      task: o.task.id,
      index: o.task.index,
      status: o.status,
      error: o.error ?? "",
    };
    for (const n of swept) row[n] = o.task.params[n] as SweepValue;
    for (const k of resultColumns) row[k] = flat[i][k];
    return row;
  });
  return { columns, rows };
}

/** CSV of the merged table (missing and non-finite values as empty cells). */
export function mergedCsv(table: MergedTable): string {
  return toCsv(table.columns, table.rows, { allowMissing: true });
}

/** A value of a swept parameter as a number for plotting: `10um` → 1e-5 is not attempted; the leading number is used. */
function leadingNumber(v: SweepValue): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  const m = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(v);
  return m ? Number(m[0]) : Number.NaN;
}

/** Numeric result columns (finite in at least one done row). */
export function numericColumns(table: MergedTable, swept: readonly string[]): string[] {
  const skip = new Set(["task", "index", "status", "error", ...swept]);
  return table.columns.filter(
    (c) =>
      !skip.has(c) && table.rows.some((r) => typeof r[c] === "number" && Number.isFinite(r[c] as number)),
  );
}

export interface SweepFigure {
  /** File name, e.g. `sweep_diameter.svg`. */
  name: string;
  parameter: string;
  svg: string;
}

/**
 * One figure per swept parameter and metric: the metric against the parameter, one line per
 * combination of the other swept parameters (so `radius` shows one line per material). A
 * parameter whose values are not numbers is plotted at its position in the list, with the values
 * named in the x label. Metrics: the spec's `metrics`, else the first numeric result column.
 * The first metric's figure is `sweep_<param>.svg`, the k-th (k ≥ 2) `sweep_<param>_<k>.svg`.
 */
export function sweepFigures(spec: SweepSpec, table: MergedTable): SweepFigure[] {
  const swept = sweptNames(spec);
  const metrics = spec.metrics ?? numericColumns(table, swept).slice(0, 1);
  const done = table.rows.filter((r) => r.status === "done");
  if (metrics.length === 0 || done.length === 0) return [];
  const figures: SweepFigure[] = [];
  for (const p of swept) {
    const axis = [...spec.grid, ...spec.zip].find((a) => a.name === p);
    if (!axis) continue;
    const numeric = axis.values.every((v) => Number.isFinite(leadingNumber(v)));
    const xOf = (v: SweepValue) => (numeric ? leadingNumber(v) : axis.values.indexOf(v) + 1);
    const others = swept.filter(
      (q) => q !== p && !spec.zip.some((z) => z.name === q && spec.zip.some((y) => y.name === p)),
    );
    metrics.forEach((m, k) => {
      const groups = new Map<string, Record<string, Cell>[]>();
      for (const r of done) {
        if (typeof r[m] !== "number" || !Number.isFinite(r[m] as number)) continue;
        const key = others.map((q) => `${q}=${r[q]}`).join(", ") || m;
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key)?.push(r);
      }
      if (groups.size === 0) return;
      const series = [...groups].map(([label, rows]) => {
        const sorted = rows.sort((a, b) => xOf(a[p] as SweepValue) - xOf(b[p] as SweepValue));
        return {
          label,
          x: sorted.map((r) => xOf(r[p] as SweepValue)),
          y: sorted.map((r) => r[m] as number),
          style: "both" as const,
        };
      });
      const unit = numeric ? String(axis.values[0]).replace(/^\s*[-+]?[\d.]+([eE][-+]?\d+)?\s*/, "") : "";
      const xLabel = numeric
        ? `${p}${unit ? ` [${unit}]` : ""}`
        : `${p}: ${axis.values.map((v, i) => `${i + 1} = ${v}`).join(", ")}`;
      figures.push({
        name: k === 0 ? `sweep_${p}.svg` : `sweep_${p}_${k + 1}.svg`,
        parameter: p,
        svg: renderPlot(series, { title: `${spec.command.join(" ")}: ${m} vs ${p}`, xLabel, yLabel: m }),
      });
    });
  }
  return figures;
}
