/**
 * A small progress bar on stderr, drawn only when stderr is a TTY and at most ~10 times a
 * second, so long runs show progress and piped runs stay clean.
 */
export class ProgressBar {
  private last = 0;
  private readonly start = Date.now();
  private done = false;

  constructor(
    private readonly label: string,
    private readonly write: (text: string) => void,
    private readonly enabled: boolean,
    private readonly width = 30,
  ) {}

  /** Report progress as a fraction 0…1 and an optional status text. */
  update(fraction: number, status = ""): void {
    if (!this.enabled || this.done) return;
    const now = Date.now();
    if (now - this.last < 100 && fraction < 1) return;
    this.last = now;
    const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    const filled = Math.round(f * this.width);
    const bar = "█".repeat(filled) + "░".repeat(this.width - filled);
    const secs = ((now - this.start) / 1000).toFixed(1);
    this.write(
      `\r${this.label} ${bar} ${(f * 100).toFixed(0).padStart(3)}% ${secs}s ${status}`
        .padEnd(100)
        .slice(0, 120),
    );
  }

  finish(status = "done"): void {
    if (!this.enabled || this.done) return;
    this.update(1, status);
    this.done = true;
    this.write("\n");
  }
}
