/**
 * The list of `cathodelab` sub-commands. Each entry loads its module lazily so that
 * `cathodelab --help` and small commands start fast. To add a command: create
 * `src/cli/commands/NAME.ts` exporting `command: Command`, and add one line here.
 */
import type { Command } from "./command.js";

export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<Command>;
}

export const COMMANDS: CommandEntry[] = [
  {
    name: "materials",
    summary: "list cathode materials and their properties with sources",
    load: async () => (await import("./commands/materials.js")).command,
  },
  {
    name: "simulate",
    summary: "run a single particle through a protocol",
    load: async () => (await import("./commands/simulate.js")).command,
  },
  {
    name: "study",
    summary: "the virtual seed-000 single-particle study: EIS/PITT → j0, D, Biot, rate limits",
    load: async () => (await import("./commands/study.js")).command,
  },
  {
    name: "eis-study",
    summary: "kinetic study from measured EIS: j0, D, Biot vs OCV with intervals, lin-KK, BPX",
    load: async () => (await import("./commands/eis-study.js")).command,
  },
  {
    name: "demo",
    summary: "the project's main job: the virtual seed-000 study of a 26.5 µm NMC333 particle",
    load: async () => (await import("./commands/demo.js")).command,
  },
  {
    name: "fit",
    summary: "fit EIS, PITT or GITT data (equivalent circuits, sphere series, Weppner-Huggins)",
    load: async () => (await import("./commands/fit.js")).command,
  },
  {
    name: "ratelimit",
    summary: "interface- and diffusion-limited C-rates and Biot numbers of a particle (seed 000)",
    load: async () => (await import("./commands/ratelimit.js")).command,
  },
  {
    name: "kk",
    summary: "Kramers-Kronig (lin-KK) validity test of impedance spectra",
    load: async () => (await import("./commands/kk.js")).command,
  },
  {
    name: "tomo",
    summary: "crack quantification of tomograms: analyze, compare pristine/charged, synth",
    load: async () => (await import("./commands/tomo.js")).command,
  },
  {
    name: "fracture",
    summary: "phase-field fracture of a polycrystalline particle during charge (seed 001)",
    load: async () => (await import("./commands/fracture.js")).command,
  },
  {
    name: "electrode",
    summary: "electrode network model: asynchronous first charge, synchrony, first-cycle loss (seed 003)",
    load: async () => (await import("./commands/electrode.js")).command,
  },
  {
    name: "sweep",
    summary: "run a command over a parameter grid: local worker pool or SLURM job array, resumable",
    load: async () => (await import("./commands/sweep.js")).command,
  },
  {
    name: "serve",
    summary: "serve the browser lab on http://127.0.0.1:8080 (computes in the browser)",
    load: async () => (await import("./commands/serve.js")).command,
  },
  {
    name: "xrdct",
    summary: "XRD-CT lattice maps: cell volume, per-particle distributions, outliers, Li content (seed 004)",
    load: async () => (await import("./commands/xrdct.js")).command,
  },
  {
    name: "optical",
    summary:
      "operando optical sequences: per-particle intensity, onsets, synchrony; virtual microscope (seed 003)",
    load: async () => (await import("./commands/optical.js")).command,
  },
  {
    name: "afm",
    summary:
      "ESM / C-AFM / topography maps: per-particle statistics, edge-core gradients, SOC trends (seed 002)",
    load: async () => (await import("./commands/afm.js")).command,
  },
];
