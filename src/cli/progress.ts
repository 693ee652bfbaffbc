/**
 * A small progress bar on stderr, drawn only when stderr is a TTY (piped and redirected runs,
 * and the tests' in-process runs, stay clean) and at most ~10 times a second. Every line fits
 * the terminal: `columns` wide (process.stderr.columns when the terminal reports it, else 80),
 * one column kept free so the cursor never wraps onto the next line.
 */

/** Terminal width assumed when the terminal does not report one. */
export const DEFAULT_COLUMNS = 80;

/** Columns of the terminal on stderr (process.stderr.columns), or DEFAULT_COLUMNS. */
export function terminalColumns(): number {
  const c = process.stderr.columns;
  return typeof c === "number" && Number.isFinite(c) && c > 0 ? Math.floor(c) : DEFAULT_COLUMNS;
}

/** Display width of a string: one column per code point (the bar uses no wide characters). */
function displayWidth(s: string): number {
  return Array.from(s).length;
}

/** Cut `s` to at most `n` columns, marking a cut with "…". */
function clip(s: string, n: number): string {
  const chars = Array.from(s);
  if (chars.length <= n) return s;
  return n <= 0 ? "" : `${chars.slice(0, n - 1).join("")}…`;
}

/**
 * One progress line for a terminal `columns` wide: "label [bar] pct% time status", at most
 * columns − 1 characters. The bar takes what is left after label, percentage and time (10 to 30
 * cells); status and then the label are shortened when the terminal is narrow.
 */
export function progressLine(
  label: string,
  fraction: number,
  seconds: number,
  status: string,
  columns: number,
): string {
  const room = Math.max(10, Math.floor(columns) - 1);
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const pct = `${(f * 100).toFixed(0).padStart(3)}%`;
  const time = `${seconds.toFixed(1)}s`;
  const fixed = `${pct} ${time}`;
  // label, bar, fixed part, separated by single spaces
  let name = label;
  let cells = Math.min(30, room - displayWidth(name) - displayWidth(fixed) - 2);
  if (cells < 10) {
    cells = Math.max(0, Math.min(10, room - displayWidth(fixed) - 1));
    name = clip(label, Math.max(0, room - cells - displayWidth(fixed) - 2));
  }
  const filled = Math.round(f * cells);
  const bar = "█".repeat(filled) + "░".repeat(cells - filled);
  const head = [name, bar, fixed].filter((s) => s !== "").join(" ");
  const rest = room - displayWidth(head) - 1;
  const tail = status && rest > 1 ? ` ${clip(status, rest)}` : "";
  return clip(`${head}${tail}`, room);
}

export class ProgressBar {
  private last = 0;
  private readonly start = Date.now();
  private done = false;
  /** Width of the previous line, so a shorter one can blank its remainder. */
  private drawn = 0;

  /**
   * @param label shown before the bar
   * @param write writes to stderr
   * @param enabled draw at all (pass the context's isTTY: nothing is written to a pipe or file)
   * @param columns terminal width (default: process.stderr.columns, else 80)
   */
  constructor(
    private readonly label: string,
    private readonly write: (text: string) => void,
    private readonly enabled: boolean,
    private readonly columns = terminalColumns(),
  ) {}

  /** Report progress as a fraction 0…1 and an optional status text. */
  update(fraction: number, status = ""): void {
    if (!this.enabled || this.done) return;
    const now = Date.now();
    if (now - this.last < 100 && fraction < 1) return;
    this.last = now;
    const line = progressLine(this.label, fraction, (now - this.start) / 1000, status, this.columns);
    const w = displayWidth(line);
    this.write(`\r${line}${" ".repeat(Math.max(0, this.drawn - w))}`);
    this.drawn = w;
  }

  finish(status = "done"): void {
    if (!this.enabled || this.done) return;
    this.update(1, status);
    this.done = true;
    this.write("\n");
  }
}
