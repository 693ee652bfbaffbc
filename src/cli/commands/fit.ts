/**
 * `cathodelab fit eis|pitt|gitt FILE ...`: the fit sub-commands, each in its own module
 * (fit-eis.ts, fit-pitt.ts, fit-gitt.ts), dispatched by main (resolveSubcommand).
 */
import { InputError } from "../../errors.js";
import type { Command } from "../command.js";

const SUBCOMMANDS: Record<string, () => Promise<Command>> = {
  eis: async () => (await import("./fit-eis.js")).command,
  pitt: async () => (await import("./fit-pitt.js")).command,
  gitt: async () => (await import("./fit-gitt.js")).command,
};

export const command: Command = {
  name: "fit",
  summary: "fit EIS, PITT or GITT data",
  subcommands: SUBCOMMANDS,
  help: `Usage: cathodelab fit eis|pitt|gitt FILE [options]

  fit eis FILE --circuit "R0-p(R1,CPE1)-p(R2-Wsph1,CPE2)" ...   equivalent-circuit fit
  fit pitt FILE --radius 13.25um --dUdc ...                    PITT current-transient fit (D, B, i0)
  fit gitt FILE --radius ...                                    GITT (Weppner-Huggins and full model)

Run "cathodelab fit eis --help" (etc.) for the options of each.`,
  // main dispatches "fit eis|pitt|gitt" to SUBCOMMANDS; anything reaching run is unknown
  async run(argv) {
    const sub = argv[0];
    throw new InputError(`unknown fit type "${sub ?? ""}"`, {
      field: "fit",
      value: sub ?? "",
      expected: "eis, pitt or gitt",
    });
  },
};
