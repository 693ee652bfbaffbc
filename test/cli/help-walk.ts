/** Walks the command registry: every command and nested sub-command, with its word path. */
import type { Command } from "../../src/cli/command.js";
import { COMMANDS } from "../../src/cli/registry.js";

export interface WalkedCommand {
  /** Words after `cathodelab`, e.g. ["fit", "eis"]. */
  path: string[];
  command: Command;
}

export async function walkCommands(): Promise<WalkedCommand[]> {
  const out: WalkedCommand[] = [];
  async function visit(command: Command, path: string[]): Promise<void> {
    out.push({ path, command });
    for (const [name, load] of Object.entries(command.subcommands ?? {}))
      await visit(await load(), [...path, name]);
  }
  for (const entry of COMMANDS) await visit(await entry.load(), [entry.name]);
  return out;
}
