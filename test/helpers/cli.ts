/** Run the CLI in-process and capture its output (no child process, no TTY). */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandContext } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function runCli(...argv: string[]): Promise<CliResult> {
  let out = "";
  let err = "";
  const ctx: CommandContext = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    isTTY: false,
    cwd: process.cwd(),
  };
  const code = await main(argv, ctx);
  return { code, out, err };
}

/** A fresh temporary directory, removed by the returned cleanup function. */
export function tempDir(prefix = "cathodelab-test-"): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
