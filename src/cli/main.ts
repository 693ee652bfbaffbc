/**
 * `cathodelab` entry point: dispatches to sub-commands, maps errors to exit codes
 * (0 ok, 1 failure, 2 bad input: SPEC §6).
 */
import { readFileSync } from "node:fs";
import { ConvergenceError, InputError } from "../errors.js";
import { type CommandContext, resolveSubcommand } from "./command.js";
import { COMMANDS } from "./registry.js";

export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    return String(pkg.version);
  } catch {
    return "unknown";
  }
}

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `cathodelab ${version()}: particle-scale electrochemistry, chemo-mechanics and imaging of layered-oxide cathodes`,
    "",
    "Usage: cathodelab COMMAND [options]    (cathodelab COMMAND --help for details)",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Exit codes: 0 ok, 1 failure, 2 bad input.",
  ].join("\n");
}

export function defaultContext(): CommandContext {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], ctx: CommandContext = defaultContext()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    ctx.stdout(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-V") {
    ctx.stdout(`${version()}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    ctx.stderr(
      `error: unknown command "${name}" (expected one of ${COMMANDS.map((c) => c.name).join(", ")})\n`,
    );
    return 2;
  }
  try {
    const { command, rest: args } = await resolveSubcommand(await entry.load(), rest);
    if (args.includes("--help") || args.includes("-h")) {
      ctx.stdout(`${command.help.trim()}\n`);
      return 0;
    }
    return await command.run(args, ctx);
  } catch (error) {
    if (error instanceof InputError) {
      ctx.stderr(`error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ConvergenceError) {
      ctx.stderr(`failed: ${convergenceMessage(error)}\n`);
      return 1;
    }
    ctx.stderr(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

/** One line for a solver failure: its message and diagnostics, no stack trace. */
export function convergenceMessage(error: ConvergenceError): string {
  const diag = Object.entries(error.diagnostics)
    .map(([k, v]) => `${k}=${typeof v === "number" ? Number(v.toPrecision(4)) : v}`)
    .join(", ");
  const text = `the solver did not converge: ${error.message.replace(/\s*\n\s*/g, " ")}`;
  return `${text}${diag ? ` (${diag})` : ""}. Check the options (step sizes, tolerances, physical ranges) or report it.`;
}
