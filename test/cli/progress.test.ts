/**
 * The CLI progress bar (src/cli/progress.ts): every line it draws fits the terminal (80 columns
 * by default, process.stderr.columns when known, one column kept free), and nothing is drawn
 * when stderr is not a TTY.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { CommandContext } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { DEFAULT_COLUMNS, ProgressBar, progressLine, terminalColumns } from "../../src/cli/progress.js";

/** Lines as a terminal shows them: split at \r and \n, ANSI-free. */
const drawn = (text: string) => text.split(/[\r\n]/).filter((l) => l !== "");
const width = (s: string) => Array.from(s).length;

test("progressLine: at most columns − 1 wide for any label/status, the bar shrinks first", () => {
  const long = "electrode sweep over a rather long parameter name";
  const status = "t = 12.34 h, step 1234/5678, 17 Newton iterations, PCG 230";
  for (const columns of [200, 120, 80, 60, 40, 24, 12, 1]) {
    for (const label of ["simulate", long]) {
      for (const s of ["", "done", status]) {
        for (const f of [0, 0.004, 0.5, 1, Number.NaN, 7]) {
          const line = progressLine(label, f, 3723.4, s, columns);
          assert.ok(width(line) <= Math.max(10, columns - 1), `${columns} cols: "${line}"`);
        }
      }
    }
  }
  // wide terminal: full label, 30-cell bar, percentage, time and status all shown
  const line = progressLine("simulate", 0.5, 12.34, "t = 1.00 h", 120);
  assert.equal(line, `simulate ${"█".repeat(15)}${"░".repeat(15)}  50% 12.3s t = 1.00 h`);
  // 40 columns: the bar shrinks (10…30 cells) before anything else is cut
  const narrow = progressLine("simulate", 1, 1, "", 40);
  assert.match(narrow, /^simulate █+ 100% 1\.0s$/);
  assert.equal(width(narrow), 39);
});

test("ProgressBar: nothing on a pipe; on a TTY every redraw fits the given width", () => {
  let out = "";
  const off = new ProgressBar("simulate", (t) => (out += t), false, 80);
  off.update(0.5, "x");
  off.finish();
  assert.equal(out, "", "not a TTY: no output at all");
  for (const columns of [80, 50, 30]) {
    let text = "";
    const bar = new ProgressBar("electrode sweep", (t) => (text += t), true, columns);
    bar.update(0.25, "a status text that is far longer than any terminal line could hold at all");
    bar.finish("done");
    assert.ok(text.endsWith("\n"));
    const lines = drawn(text);
    assert.ok(lines.length >= 2);
    for (const l of lines) assert.ok(width(l) <= columns - 1, `${columns}: "${l}" is ${width(l)} wide`);
    assert.match(lines[lines.length - 1], /100%/);
  }
});

test("terminal width: process.stderr.columns when known, else 80", () => {
  const saved = Object.getOwnPropertyDescriptor(process.stderr, "columns");
  try {
    Object.defineProperty(process.stderr, "columns", { value: undefined, configurable: true });
    assert.equal(terminalColumns(), DEFAULT_COLUMNS);
    assert.equal(DEFAULT_COLUMNS, 80);
    Object.defineProperty(process.stderr, "columns", { value: 57, configurable: true });
    assert.equal(terminalColumns(), 57);
    let text = "";
    new ProgressBar("simulate", (t) => (text += t), true).finish();
    for (const l of drawn(text)) assert.ok(width(l) <= 56, l);
  } finally {
    if (saved) Object.defineProperty(process.stderr, "columns", saved);
    else delete (process.stderr as { columns?: number }).columns;
  }
});

test("a command run: no progress text when stderr is not a TTY, a fitting bar when it is", async () => {
  const run = async (isTTY: boolean) => {
    let err = "";
    const ctx: CommandContext = { stdout: () => {}, stderr: (t) => (err += t), isTTY, cwd: process.cwd() };
    const code = await main(
      ["simulate", "--material", "NMC811", "--radius", "3um", "--protocol", "Charge at 2C until 4.1 V"],
      ctx,
    );
    assert.equal(code, 0, err);
    return err;
  };
  const piped = await run(false);
  assert.ok(!piped.includes("\r") && !piped.includes("█"), `piped stderr: ${JSON.stringify(piped)}`);
  const tty = await run(true);
  assert.match(tty, /█/);
  for (const l of drawn(tty)) assert.ok(width(l) <= terminalColumns() - 1, `"${l}"`);
});
