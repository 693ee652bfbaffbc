/**
 * `cathodelab electrode`: the seed-003 electrode network model — generate (or import) a
 * microstructure, run it through a protocol, write per-particle onsets, synchrony indices,
 * virtual optical intensities, cell V(t), capacities and figures; `--sweep key=v1,v2,…` runs
 * variants on a pool of worker threads and tabulates them.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { activationMap, intensityHeatMap, tracesFigure, voltageFigure } from "../../electrode/figures.js";
import {
  type ParticleList,
  parseContactCsv,
  parseParticleCsv,
  parseParticleJson,
} from "../../electrode/import.js";
import { opticalIntensity } from "../../electrode/optical.js";
import { type ElectrodeStudy, type ElectrodeSummary, simulateElectrode } from "../../electrode/simulate.js";
import { type ElectrodeSpec, SEED003_SCENARIO, studyOptionsFromSpec } from "../../electrode/spec.js";
import type { SweepReply } from "../../electrode/sweep-worker.js";
import { InputError } from "../../errors.js";
import { columnsToCsv, toCsv, toJson } from "../../io/csv.js";
import { OutputDir } from "../../io/output-dir.js";
import { electrodeNetworkVtp } from "../../io/vtk.js";
import { parseProtocol, parseProtocolJson, parseProtocolYaml } from "../../protocol/parse.js";
import type { Protocol } from "../../protocol/steps.js";
import { parseQuantity } from "../../units.js";
import { type Command, inputPaths, parseOptions, stringOption } from "../command.js";
import { ProgressBar } from "../progress.js";

const OPTIONS = {
  material: { type: "string" },
  particles: { type: "string" },
  "particles-file": { type: "string" },
  "contacts-file": { type: "string" },
  coverage: { type: "string" },
  protocol: { type: "string" },
  "protocol-file": { type: "string" },
  seed: { type: "string" },
  dim: { type: "string" },
  out: { type: "string" },
  force: { type: "boolean" },
  json: { type: "boolean" },
  sweep: { type: "string" },
  workers: { type: "string" },
  radius: { type: "string" },
  "radius-sigma": { type: "string" },
  thickness: { type: "string" },
  cracked: { type: "string" },
  "carbon-degree": { type: "string" },
  "carbon-per-particle": { type: "string" },
  "carbon-conductivity": { type: "string" },
  "contact-gap": { type: "string" },
  "conductivity-scale": { type: "string" },
  "uniform-conductivity": { type: "string" },
  "constant-diffusivity": { type: "string" },
  "kappa-composition": { type: "string" },
  "body-contacts": { type: "boolean" },
  "direct-contacts": { type: "boolean" },
  shells: { type: "string" },
  refinement: { type: "string" },
  "onset-threshold": { type: "string" },
  "snapshot-interval": { type: "string" },
} as const;

/** Options a sweep may vary. */
const SWEEP_KEYS = [
  "particles",
  "coverage",
  "seed",
  "dim",
  "radius",
  "radius-sigma",
  "cracked",
  "carbon-degree",
  "carbon-per-particle",
  "carbon-conductivity",
  "contact-gap",
  "conductivity-scale",
  "uniform-conductivity",
  "constant-diffusivity",
  "kappa-composition",
  "shells",
  "refinement",
  "onset-threshold",
] as const;

const HELP = `Usage: cathodelab electrode [--material NAME] [--particles N] [--protocol TEXT] [options]

Electrode network model (seed 003, Sharma et al., Nano Lett. 2022): N spherical particles
(diffusion with D(x), Butler-Volmer with i0(x)) joined by a carbon-binder network and by
particle contacts whose conductance follows each particle's own kappa(x). Reports each
particle's reaction onset per half-cycle, synchrony indices, a virtual optical intensity,
cell V(t), capacity per cycle and the first-cycle capacity loss.

Default: the seed-003 scenario, NMC532, 300 particles, coverage 0.3, two C/20 cycles
4.3-2.5 V with a 4.3 V hold to C/50 (first charge asynchronous, later half-cycles
synchronous, first-cycle loss about 9 %; docs/electrode.md).

Scenario:
  --material NAME            NMC111, NMC532 (seed 003, default), NMC622, NMC811 or NCA
  --particles N              number of particles (10 ... 100000, default 300), or instead:
  --particles-file FILE      particle list (.csv: x,y,z,radius [m] or x_um,...; .json)
  --contacts-file FILE       with a .csv particle list: contacts i,j (0-based rows), replacing
                             the gap rule (e.g. a tomography label adjacency)
  --protocol TEXT            default "Repeat 2 times: Charge at C/20 until 4.3 V; Hold at 4.3 V
                             until C/50; Discharge at C/20 until 2.5 V" (C-rate of the electrode)
  --protocol-file FILE       instead of --protocol: .txt, .json or .yaml

Microstructure:
  --coverage F               share of particles with a direct carbon contact, 0...1 (default 0.3)
  --seed N                   random seed (default 1)
  --dim 2|3                  2 = cross-section monolayer, 3 = volume (default 3)
  --radius R                 median particle radius, e.g. 5um (default 5 um)
  --radius-sigma S           lognormal log-standard deviation (default 0.3)
  --thickness T              electrode thickness, e.g. 60um (default 12 median radii)
  --cracked F                fraction of particles split into two fragments (default 0)
  --carbon-degree K          mean carbon strands per junction (connectivity, default 4)
  --carbon-per-particle C    carbon junctions per particle (default 1)
  --contact-gap G            particle contact if gap < G x mean radius (default 0.25; 2D: 0.5)

Model:
  --carbon-conductivity K    carbon-binder conductivity, e.g. 1e4S/m (default 1e4 S/m)
  --conductivity-scale F     factor on the material's kappa(x) (default 1)
  --uniform-conductivity K   ablation: the same kappa for every particle, e.g. 100S/m
  --constant-diffusivity D   ablation: constant D, e.g. 1e-14m2/s
  --kappa-composition M      mean (default), shell or surface: which x sets kappa
  --direct-contacts          carbon contacts feed the particle surface directly (default:
                             their current crosses the particle body; --body-contacts)
  --shells N                 radial intervals per particle (default 10)
  --refinement F             innermost/outermost spacing ratio (default 30)
  --onset-threshold DX       x change that marks a particle's onset (default 0.05)
  --snapshot-interval T      per-particle snapshot interval, e.g. 10min (default 10 min)

Output:
  --out DIR                  write summary.json, cell.csv, particles.csv, particle_x.csv,
                             intensity.csv, halfcycles.csv, cycles.csv, steps.csv and
                             voltage.svg, traces.svg, activation.svg, intensity.svg
  --force                    replace a non-empty --out directory
  --json                     print the summary (or the sweep table) as JSON on stdout
  --sweep KEY=V1,V2,...      run one variant per value on a worker pool and tabulate them
                             (KEY: ${SWEEP_KEYS.join(", ")})
  --workers N                worker threads for --sweep (default: all cores)

Note: kappa(x) is the NMC532 table (1e-5 S/m pristine, Amin & Chiang 2016); ablations
--uniform-conductivity 1S/m (synchronous) and --constant-diffusivity 1e-14m2/s (no loss).

Examples:
  cathodelab electrode --out run1                       # the seed-003 scenario
  cathodelab electrode --particles 2000 --seed 1 --out run2000 --uniform-conductivity 1S/m   # (slow: ~1 min)
  cathodelab electrode --particles 200 --seed 1 --out run200 --uniform-conductivity 1S/m    # ≈ 8 s
  cathodelab electrode --material NMC532 --particles 500 --protocol "Charge at C/20 until 4.3 V" \\
    --sweep coverage=0.3,0.6,0.9 --out sweep1`;

type Values = Record<string, unknown>;

function readProtocol(values: Values): Protocol {
  const text = stringOption(values, "protocol");
  const file = stringOption(values, "protocol-file");
  if (text !== undefined && file !== undefined)
    throw new InputError("give either --protocol or --protocol-file, not both", { field: "--protocol" });
  if (text !== undefined) return parseProtocol(text, { file: "--protocol" });
  if (file === undefined)
    return parseProtocol(SEED003_SCENARIO.protocol, { file: "seed-003 default protocol" });
  let content: string;
  try {
    content = readFileSync(file, "utf8");
  } catch {
    throw new InputError("cannot read protocol file", {
      file,
      field: "--protocol-file",
      expected: "a readable file",
    });
  }
  const ext = extname(file).toLowerCase();
  if (ext === ".json") {
    try {
      return parseProtocolJson(JSON.parse(content), { file });
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`invalid JSON: ${(error as Error).message}`, { file });
    }
  }
  if (ext === ".yaml" || ext === ".yml") return parseProtocolYaml(content, { file });
  return parseProtocol(content, { file });
}

function readParticleFile(file: string): ParticleList {
  let content: string;
  try {
    content = readFileSync(file, "utf8");
  } catch {
    throw new InputError("cannot read particle file", {
      file,
      field: "--particles-file",
      expected: "a readable .csv or .json file",
    });
  }
  if (extname(file).toLowerCase() === ".json") {
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      throw new InputError(`invalid JSON: ${(error as Error).message}`, { file });
    }
    return parseParticleJson(value, { file });
  }
  return parseParticleCsv(content, { file });
}

function numberOption(
  values: Values,
  name: string,
  dimension: Parameters<typeof parseQuantity>[1],
  check?: (v: number) => boolean,
  expected?: string,
): number | undefined {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  const q = parseQuantity(v, dimension, { field: `--${name}` });
  if (check && !check(q))
    throw new InputError(`--${name} is out of range`, { field: `--${name}`, value: v, expected });
  return q;
}

function integerOption(values: Values, name: string, lo: number, hi: number): number | undefined {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < lo || n > hi)
    throw new InputError(`--${name} must be an integer from ${lo} to ${hi}`, {
      field: `--${name}`,
      value: v,
    });
  return n;
}

/** --direct-contacts / --body-contacts (the default) → directCarbonContacts. */
function directContacts(values: Values): boolean | undefined {
  if (values["direct-contacts"] === true && values["body-contacts"] === true)
    throw new InputError("give either --direct-contacts or --body-contacts, not both", {
      field: "--direct-contacts",
    });
  if (values["direct-contacts"] === true) return true;
  return values["body-contacts"] === true ? false : undefined;
}

/** Build the study spec from parsed options (pure apart from reading the named files). */
export function specFromValues(
  values: Values,
  protocol: Protocol,
  particleList?: ParticleList,
): ElectrodeSpec {
  const material = stringOption(values, "material") ?? SEED003_SCENARIO.material;
  const frac = (v: number) => v >= 0 && v <= 1;
  const pos = (v: number) => v > 0;
  const dimText = stringOption(values, "dim");
  if (dimText !== undefined && dimText !== "2" && dimText !== "3")
    throw new InputError("--dim must be 2 or 3", { field: "--dim", value: dimText });
  const dimension = dimText === "2" ? 2 : 3;
  const coverage = numberOption(values, "coverage", "dimensionless", frac, "a fraction between 0 and 1");
  const seed = integerOption(values, "seed", 0, 2 ** 31 - 1);
  const network = {
    seed,
    coverage,
    carbonDegree: numberOption(
      values,
      "carbon-degree",
      "dimensionless",
      (v) => v >= 0.5 && v <= 50,
      "0.5 ... 50",
    ),
    carbonPerParticle: numberOption(
      values,
      "carbon-per-particle",
      "dimensionless",
      (v) => v >= 0 && v <= 100,
      "0 ... 100",
    ),
    contactGap: numberOption(values, "contact-gap", "dimensionless", (v) => v >= 0 && v <= 5, "0 ... 5"),
  };
  const kc = stringOption(values, "kappa-composition");
  if (kc !== undefined && kc !== "surface" && kc !== "shell" && kc !== "mean") {
    throw new InputError("--kappa-composition must be surface, shell or mean", {
      field: "--kappa-composition",
      value: kc,
    });
  }
  const spec: ElectrodeSpec = {
    material,
    protocol,
    model: {
      shells: integerOption(values, "shells", 2, 200),
      refinement: numberOption(
        values,
        "refinement",
        "dimensionless",
        (v) => v >= 1 && v <= 1000,
        "1 ... 1000",
      ),
      carbonConductivity: numberOption(values, "carbon-conductivity", "conductivity", pos, "> 0 S/m"),
      conductivityScale: numberOption(values, "conductivity-scale", "dimensionless", pos, "> 0"),
      uniformConductivity: numberOption(values, "uniform-conductivity", "conductivity", pos, "> 0 S/m"),
      constantDiffusivity: numberOption(values, "constant-diffusivity", "diffusivity", pos, "> 0 m2/s"),
      conductivityComposition: kc as "surface" | "shell" | "mean" | undefined,
      directCarbonContacts: directContacts(values),
    },
    run: {
      onsetThreshold: numberOption(
        values,
        "onset-threshold",
        "dimensionless",
        (v) => v > 0 && v < 1,
        "0 < dx < 1",
      ),
      snapshotInterval: numberOption(values, "snapshot-interval", "time", pos, "> 0 s") ?? 600,
    },
  };
  if (particleList) {
    if (stringOption(values, "particles") !== undefined)
      throw new InputError("give either --particles or --particles-file, not both", { field: "--particles" });
    spec.particleList = particleList;
    spec.network = { ...network, dimension: dimText === undefined ? undefined : dimension };
  } else {
    const particles = integerOption(values, "particles", 1, 200000) ?? SEED003_SCENARIO.particles;
    spec.generator = {
      ...network,
      particles,
      dimension,
      medianRadius: numberOption(values, "radius", "length", pos, "> 0 m"),
      radiusSigma: numberOption(
        values,
        "radius-sigma",
        "dimensionless",
        (v) => v >= 0 && v <= 1.5,
        "0 ... 1.5",
      ),
      thickness: numberOption(values, "thickness", "length", pos, "> 0 m"),
      crackedFraction: numberOption(values, "cracked", "dimensionless", frac, "a fraction between 0 and 1"),
    };
  }
  return spec;
}

/** Write the standard outputs of one study. */
export function writeElectrodeOutputs(
  out: OutputDir,
  study: ElectrodeStudy,
  extra: Record<string, unknown> = {},
): void {
  const { result: r, microstructure: ms, summary } = study;
  const P = ms.particles.count;
  const S = r.snapshots.samples;
  // per-particle tables keep every `stride`-th particle so that they stay below ~5e6 cells
  const stride = Math.max(1, Math.ceil((P * S) / 5e6));
  out.write("summary.json", toJson({ ...extra, particleTableStride: stride, ...summary }));
  out.write(
    "cell.csv",
    columnsToCsv({
      time_s: r.series.time,
      voltage_V: r.series.voltage,
      current_A: r.series.current,
      soc: r.series.stateOfCharge,
      step: r.series.step,
    }),
  );
  const cols: Record<string, ArrayLike<number>> = {
    id: Int32Array.from({ length: P }, (_, i) => i),
    x_m: ms.particles.x,
    y_m: ms.particles.y,
    z_m: ms.particles.z,
    radius_m: ms.particles.radius,
    covered: ms.particles.covered,
    parent: ms.particles.parent,
  };
  for (const hc of r.halfCycles) {
    cols[`onset_time_s_${hc.index}_${hc.direction}`] = hc.onsetTime;
    cols[`onset_soc_${hc.index}_${hc.direction}`] = hc.onsetSoc;
  }
  out.write("particles.csv", columnsToCsv(cols, { allowMissing: true }));
  // per-particle x(t) and intensity: rows = particles, columns = snapshots (decimated so that
  // the tables stay below ~5e6 cells)
  const header = ["particle", ...Array.from(r.snapshots.time, (t) => `t_${Math.round(t)}s`)];
  const xRows: string[] = [header.join(",")];
  const iRows: string[] = [header.join(",")];
  for (let p = 0; p < P; p += stride) {
    const xs: string[] = [String(p)];
    const is: string[] = [String(p)];
    for (let k = 0; k < S; k++) {
      xs.push(Number(r.snapshots.meanX[p * S + k].toPrecision(6)).toString());
      is.push(Number(opticalIntensity(r.snapshots.surfaceX[p * S + k]).toPrecision(6)).toString());
    }
    xRows.push(xs.join(","));
    iRows.push(is.join(","));
  }
  out.write("particle_x.csv", `${xRows.join("\n")}\n`);
  out.write("intensity.csv", `${iRows.join("\n")}\n`);
  out.write(
    "halfcycles.csv",
    toCsv(
      [
        "halfCycle",
        "direction",
        "reactedFraction",
        "onsetSocIqr",
        "onsetSocStd",
        "onsetTimeIqr_h",
        "medianOnsetSoc",
        "dispersion",
      ],
      summary.synchrony.map((s) => ({ ...s })),
      { allowMissing: true },
    ),
  );
  out.write(
    "cycles.csv",
    toCsv(["cycle", "chargeCapacity_mAh", "dischargeCapacity_mAh", "coulombicEfficiency"], summary.cycles, {
      allowMissing: true,
    }),
  );
  out.write(
    "steps.csv",
    toCsv(
      ["type", "text", "cycle", "reason", "start_h", "end_h", "charge_mAh", "endVoltage", "endSoc"],
      summary.steps,
    ),
  );
  out.write("voltage.svg", voltageFigure(r));
  out.write("traces.svg", tracesFigure(r));
  out.write("activation.svg", activationMap(ms, r));
  out.write("intensity.svg", intensityHeatMap(r));
  // ParaView: particles (radius, Li fraction per step) and contacts as lines, raw binary
  out.write("network.vtp", electrodeNetworkVtp(ms, r.snapshots));
}

function summaryText(s: ElectrodeSummary, wall: number): string {
  const pct = (v: number | null) => (v === null ? "n/a" : `${(100 * v).toFixed(1)} %`);
  const lines = [
    `${s.material}: ${s.microstructure.particles} particles (${s.microstructure.particleContacts} contacts, coverage ${pct(s.microstructure.coveredFraction)}), ${s.microstructure.carbonJunctions} carbon junctions`,
    `  nominal capacity:   ${s.nominalCapacity.mAh.toPrecision(5)} mAh`,
    ...s.cycles.map(
      (c) =>
        `  cycle ${c.cycle + 1}:            charge ${c.chargeCapacity_mAh.toPrecision(5)} mAh, discharge ${c.dischargeCapacity_mAh.toPrecision(5)} mAh`,
    ),
    `  first-cycle loss:   ${pct(s.firstCycleLoss)}`,
    "  half-cycle  reacted  onset-SOC IQR  dispersion",
    ...s.synchrony.map(
      (h) =>
        `  ${String(h.halfCycle + 1).padStart(2)} ${h.direction.padEnd(9)} ${pct(h.reactedFraction).padStart(7)}  ${h.onsetSocIqr === null ? "n/a" : h.onsetSocIqr.toFixed(4)}         ${h.dispersion === null ? "n/a" : h.dispersion.toFixed(4)}`,
    ),
    `  synchrony ratio (first charge IQR / later charges): ${s.synchronyRatio === null ? "n/a" : s.synchronyRatio.toFixed(2)}`,
    `  conservation:       |ΣI_p − I|/I ≤ ${s.conservation.maxCurrentMismatch.toExponential(1)}, Li balance ${s.conservation.lithiumBalanceRelative.toExponential(1)}`,
    `  solver:             ${s.solver.acceptedSteps} steps (${s.solver.rejectedSteps} rejected), ${s.solver.newtonIterations} Newton, ${s.solver.pcgIterations} PCG iterations, ${wall.toFixed(1)} s`,
  ];
  return `${lines.join("\n")}\n`;
}

interface SweepRow {
  key: string;
  value: string;
  ok: boolean;
  error?: string;
  wallSeconds?: number;
  summary?: ElectrodeSummary;
}

async function runSweep(
  specs: { value: string; spec: ElectrodeSpec }[],
  key: string,
  workers: number,
  onDone: (n: number) => void,
): Promise<SweepRow[]> {
  const rows: SweepRow[] = new Array(specs.length);
  // a piscina pool of worker threads; from TypeScript sources (tsx) through a shim that
  // registers tsx in each worker (the same arrangement as src/sweep)
  const here = fileURLToPath(import.meta.url);
  const filename = here.endsWith(".ts")
    ? fileURLToPath(new URL("../../electrode/sweep-worker-source.mjs", import.meta.url))
    : fileURLToPath(new URL("../../electrode/sweep-worker.js", import.meta.url));
  const n = Math.max(1, Math.min(workers, specs.length));
  const pool = new Piscina<ElectrodeSpec, SweepReply>({ filename, minThreads: n, maxThreads: n });
  let done = 0;
  try {
    await Promise.all(
      specs.map(async ({ value, spec }, id) => {
        // a crashed worker fails its own variant only
        const failed = (e: unknown): SweepReply => ({
          ok: false,
          message: `worker failed: ${(e as Error).message}`,
        });
        const reply = await pool.run(spec).catch(failed);
        rows[id] = reply.ok
          ? { key, value, ok: true, summary: reply.summary, wallSeconds: reply.wallSeconds }
          : { key, value, ok: false, error: reply.message };
        onDone(++done);
      }),
    );
  } finally {
    await pool.destroy();
  }
  return rows;
}

function sweepTable(rows: SweepRow[]) {
  return rows.map((r) => {
    const s = r.summary;
    const charges = s?.synchrony.filter((h) => h.direction === "charge") ?? [];
    return {
      [r.key]: r.value,
      ok: r.ok,
      error: r.error ?? "",
      firstCycleLoss: s?.firstCycleLoss ?? null,
      firstChargeOnsetSocIqr: charges[0]?.onsetSocIqr ?? null,
      firstChargeDispersion: charges[0]?.dispersion ?? null,
      firstChargeReacted: charges[0]?.reactedFraction ?? null,
      secondChargeOnsetSocIqr: charges[1]?.onsetSocIqr ?? null,
      synchronyRatio: s?.synchronyRatio ?? null,
      chargeCapacity1_mAh: s?.cycles[0]?.chargeCapacity_mAh ?? null,
      dischargeCapacity1_mAh: s?.cycles[0]?.dischargeCapacity_mAh ?? null,
      steps: s?.solver.acceptedSteps ?? null,
    };
  });
}

export const command: Command = {
  name: "electrode",
  summary: "electrode network model: asynchronous first charge, synchrony, first-cycle loss (seed 003)",
  help: HELP,
  options: OPTIONS,
  async run(argv, ctx) {
    const { values } = parseOptions(argv, OPTIONS, false);
    const protocol = readProtocol(values);
    const file = stringOption(values, "particles-file");
    const list = file !== undefined ? readParticleFile(file) : undefined;
    const contactsFile = stringOption(values, "contacts-file");
    if (contactsFile !== undefined) {
      if (!list) throw new InputError("--contacts-file needs --particles-file", { field: "--contacts-file" });
      let text: string;
      try {
        text = readFileSync(contactsFile, "utf8");
      } catch {
        throw new InputError("cannot read contact file", {
          file: contactsFile,
          field: "--contacts-file",
          expected: "a readable .csv file",
        });
      }
      list.contacts = parseContactCsv(text, list.x.length, { file: contactsFile });
    }
    const baseSpec = specFromValues(values, protocol, list);
    const sweepText = stringOption(values, "sweep");
    const outDir = stringOption(values, "out");
    const out = outDir
      ? OutputDir.open(outDir, {
          force: values.force === true,
          inputs: inputPaths(values, [], ["particles-file", "contacts-file", "protocol-file"]),
        })
      : undefined;
    try {
      if (sweepText !== undefined) {
        const m = /^([a-z-]+)=(.+)$/.exec(sweepText.trim());
        if (!m || !(SWEEP_KEYS as readonly string[]).includes(m[1])) {
          throw new InputError("bad --sweep", {
            field: "--sweep",
            value: sweepText,
            expected: `KEY=V1,V2,... with KEY one of ${SWEEP_KEYS.join(", ")}`,
          });
        }
        const key = m[1];
        const vals = m[2].split(",").map((v) => v.trim());
        if (vals.length === 0 || vals.some((v) => v === ""))
          throw new InputError("empty value in --sweep", { field: "--sweep", value: sweepText });
        // validate every variant before starting the pool
        const specs = vals.map((value) => {
          const spec = specFromValues({ ...values, [key]: value }, protocol, list);
          studyOptionsFromSpec(spec);
          return { value, spec };
        });
        const workers = integerOption(values, "workers", 1, 256) ?? availableParallelism();
        const bar = new ProgressBar("electrode sweep", ctx.stderr, ctx.isTTY);
        const rows = await runSweep(specs, key, workers, (n) =>
          bar.update(n / specs.length, `${n}/${specs.length} variants`),
        );
        bar.finish();
        const table = sweepTable(rows);
        if (out) {
          // wall times only in timing.json: sweep.csv/sweep.json are byte-identical on a rerun
          out.write("sweep.csv", toCsv(Object.keys(table[0]), table, { allowMissing: true }));
          out.write(
            "sweep.json",
            toJson({
              command: ["cathodelab", "electrode", ...argv],
              key,
              rows: rows.map(({ wallSeconds: _, ...r }) => r),
            }),
          );
          out.write(
            "timing.json",
            toJson({ key, wall_s: rows.map((r) => [r.value, r.wallSeconds ?? null]) }),
          );
          out.commit();
        }
        if (values.json === true) ctx.stdout(toJson({ key, rows: table }));
        else {
          ctx.stdout(`${key.padEnd(22)} loss     IQR(1st)  IQR(2nd)  ratio   wall\n`);
          for (const [i, t] of table.entries()) {
            const f = (v: unknown, d = 4) => (typeof v === "number" ? v.toFixed(d) : "n/a");
            ctx.stdout(
              `${String(t[key]).padEnd(22)} ${f(t.firstCycleLoss, 3)}    ${f(t.firstChargeOnsetSocIqr)}    ${f(t.secondChargeOnsetSocIqr)}    ${f(t.synchronyRatio, 2)}    ${f(rows[i].wallSeconds, 1)} s${t.ok ? "" : `  error: ${t.error}`}\n`,
            );
          }
          if (out) ctx.stdout(`wrote ${out.files.length} files to ${out.target}\n`);
        }
        return rows.every((r) => r.ok) ? 0 : 1;
      }
      const options = studyOptionsFromSpec(baseSpec);
      const bar = new ProgressBar("electrode", ctx.stderr, ctx.isTTY);
      const t0 = performance.now();
      const study = simulateElectrode({
        ...options,
        run: { ...options.run, onProgress: (f, t) => bar.update(f, `t = ${(t / 3600).toFixed(2)} h`) },
      });
      const wall = (performance.now() - t0) / 1000;
      bar.finish();
      if (out) {
        writeElectrodeOutputs(out, study, { command: ["cathodelab", "electrode", ...argv] });
        // the wall time only here: summary.json is byte-identical on a rerun
        out.write("timing.json", toJson({ wall_s: wall }));
        out.commit();
      }
      if (values.json === true) ctx.stdout(toJson({ ...study.summary, wallSeconds: wall }));
      else {
        ctx.stdout(summaryText(study.summary, wall));
        if (out) ctx.stdout(`wrote ${out.files.length} files to ${out.target}\n`);
      }
      return 0;
    } catch (error) {
      out?.abort();
      throw error;
    }
  },
};
