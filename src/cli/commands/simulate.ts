/**
 * `cathodelab simulate`: run one particle through a protocol and write its time series,
 * step table and summary.
 */
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { InputError } from "../../errors.js";
import { columnsToCsv, toCsv, toJson } from "../../io/csv.js";
import { OutputDir } from "../../io/output-dir.js";
import { getMaterial } from "../../materials/index.js";
import type { ParticleParameters } from "../../particle/parameters.js";
import { type SimulationOutput, simulateParticle } from "../../particle/simulate.js";
import { parseProtocol, parseProtocolJson, parseProtocolYaml } from "../../protocol/parse.js";
import type { Protocol } from "../../protocol/steps.js";
import { renderPlot } from "../../report/svg-plot.js";
import {
  type Command,
  FRACTION_BOUNDS,
  inputPaths,
  integerOption,
  MAX_STEP_BOUNDS,
  numberOption,
  parseOptions,
  quantityOption,
  RADIUS_BOUNDS,
  stringOption,
  TEMPERATURE_BOUNDS,
} from "../command.js";
import { ProgressBar } from "../progress.js";

export const SIMULATE_OPTIONS = {
  material: { type: "string" },
  radius: { type: "string" },
  protocol: { type: "string" },
  "protocol-file": { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
  force: { type: "boolean" },
  shells: { type: "string" },
  refinement: { type: "string" },
  "initial-x": { type: "string" },
  temperature: { type: "string" },
  "film-resistance": { type: "string" },
  "ohmic-resistance": { type: "string" },
  "dl-capacitance": { type: "string" },
  "area-factor": { type: "string" },
  "isolated-fraction": { type: "string" },
  "max-step": { type: "string" },
} as const;

const HELP = `Usage: cathodelab simulate --material NAME --radius R --protocol TEXT [options]

Simulate one spherical particle (finite-volume diffusion with D(x), Butler-Volmer with
i0(x), double layer) through a measurement protocol.

Required:
  --material NAME         NMC111 (NMC333), NMC532, NMC622, NMC811 or NCA
  --radius R              particle radius with unit, 1 nm to 1 mm, e.g. 13.25um
  --protocol TEXT         protocol text, steps separated by ";" or newlines, e.g.
                          "Charge at C/20 until 4.3 V; Rest for 3 h or until dV/dt < 3 mV/h"
  --protocol-file FILE    instead of --protocol: a .txt, .json or .yaml protocol file

Options:
  --out DIR               write timeseries.csv, steps.csv, summary.json, voltage.svg (and eis_N.csv)
  --force                 replace a non-empty --out directory
  --json                  print the summary as JSON on stdout
  --shells N              radial intervals, 2 to 2000 (default 20)
  --refinement F          innermost/outermost spacing ratio, refines toward the surface (default 1)
  --initial-x X           initial uniform Li fraction (default: the material's nominal maximum)
  --temperature T         150 K to 600 K, e.g. 298.15K or 25C (default 298.15 K)
  --film-resistance R     area-specific film resistance, e.g. 0.001 Ohm*m2 given as 1e-3 (Ω·m²)
  --ohmic-resistance R    series resistance, e.g. 100Ohm
  --dl-capacitance C      double-layer capacitance per area in F/m2 (default: the material's)
  --area-factor F         reacting area / 4πR² (default 1)
  --isolated-fraction F   electrically isolated volume fraction 0…1 (default 0)
  --max-step T            largest solver step, 1 ms to 1 year, e.g. 60s (for smoother recorded curves)

Examples:
  cathodelab simulate --material NMC811 --radius 5.22um --protocol "Discharge at 1C until 3.0 V" --initial-x 0.27 --out run1
  cathodelab simulate --material NMC333 --radius 13.25um --protocol-file examples/step-charge.txt --out run2`;

/** Read the protocol from --protocol or --protocol-file. */
export function readProtocolOption(values: Record<string, unknown>): Protocol {
  const text = stringOption(values, "protocol");
  const file = stringOption(values, "protocol-file");
  if (text !== undefined && file !== undefined) {
    throw new InputError("give either --protocol or --protocol-file, not both", { field: "--protocol" });
  }
  if (text !== undefined) return parseProtocol(text, { file: "--protocol" });
  if (file === undefined) {
    throw new InputError("missing protocol", {
      field: "--protocol",
      expected: 'a protocol text such as "Charge at C/20 until 4.3 V" or --protocol-file FILE',
    });
  }
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
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      throw new InputError(`invalid JSON: ${(error as Error).message}`, { file });
    }
    return parseProtocolJson(value, { file });
  }
  if (ext === ".yaml" || ext === ".yml") return parseProtocolYaml(content, { file });
  return parseProtocol(content, { file });
}

/** Build particle parameters from CLI options (each range-checked with physical bounds). */
export function particleParametersFromOptions(values: Record<string, unknown>): ParticleParameters {
  const material = getMaterial(stringOption(values, "material", true, "a material name such as NMC811"));
  const radius = quantityOption(values, "radius", "length", RADIUS_BOUNDS, {
    required: true,
    expected: "a radius with unit, e.g. 13.25um",
  }) as number;
  return {
    material,
    radius,
    shells: integerOption(values, "shells", 2, 2000),
    refinement: numberOption(values, "refinement", { min: 0.01, max: 1000, describe: "from 0.01 to 1000" }),
    initialLithiumFraction: numberOption(values, "initial-x", FRACTION_BOUNDS),
    temperature: quantityOption(values, "temperature", "temperature", TEMPERATURE_BOUNDS),
    filmResistance: numberOption(values, "film-resistance", { min: 0, max: 1, describe: "from 0 to 1 Ω·m²" }),
    ohmicResistance: quantityOption(values, "ohmic-resistance", "resistance", {
      min: 0,
      max: 1e12,
      describe: "from 0 to 1 TΩ",
    }),
    doubleLayerCapacitance: numberOption(values, "dl-capacitance", {
      min: 0,
      max: 100,
      describe: "from 0 to 100 F/m2",
    }),
    activeAreaFactor: numberOption(values, "area-factor", {
      min: 0,
      max: 1000,
      minExclusive: true,
      describe: "above 0 and at most 1000",
    }),
    isolatedFraction: numberOption(values, "isolated-fraction", {
      min: 0,
      max: 1,
      describe: "from 0 to below 1",
    }),
  };
}

/** Write the standard outputs of a simulation into `out`. */
export function writeSimulationOutputs(
  out: OutputDir,
  result: SimulationOutput,
  extra: Record<string, unknown> = {},
): void {
  const s = result.run.series;
  out.write(
    "timeseries.csv",
    columnsToCsv({
      time_s: s.time,
      current_A: s.current,
      voltage_V: s.voltage,
      x_surface: s.surfaceLithiumFraction,
      x_mean: s.meanLithiumFraction,
      step: s.step,
    }),
  );
  out.write(
    "steps.csv",
    toCsv(
      [
        "index",
        "type",
        "cycle",
        "text",
        "start_s",
        "end_s",
        "reason",
        "charge_C",
        "start_V",
        "end_V",
        "end_current_A",
        "end_x_mean",
      ],
      result.run.steps.map((st) => ({
        index: st.index,
        type: st.type,
        cycle: st.cycle,
        text: st.text,
        start_s: st.startTime,
        end_s: st.endTime,
        reason: st.reason,
        charge_C: st.charge,
        start_V: st.startVoltage,
        end_V: st.endVoltage,
        end_current_A: st.endCurrent,
        end_x_mean: st.endMeanLithiumFraction,
      })),
    ),
  );
  result.impedance.forEach((z, k) => {
    out.write(
      `eis_${k + 1}.csv`,
      columnsToCsv({ frequency_Hz: z.frequency, z_real_Ohm: z.zReal, z_imag_Ohm: z.zImag }),
    );
  });
  out.write("summary.json", toJson({ ...extra, ...result.summary }));
  const hours = Float64Array.from(s.time, (t) => t / 3600);
  out.write(
    "voltage.svg",
    renderPlot([{ label: "V", x: hours, y: s.voltage }], {
      title: "Cell voltage",
      xLabel: "time [h]",
      yLabel: "V vs Li/Li⁺ [V]",
    }),
  );
}

/** Format a charge [C] in Ah with an engineering prefix (nAh, µAh, mAh, Ah). */
export function formatCharge(coulomb: number): string {
  const ah = coulomb / 3600;
  const a = Math.abs(ah);
  const [f, u] =
    a >= 1
      ? [1, "Ah"]
      : a >= 1e-3
        ? [1e3, "mAh"]
        : a >= 1e-6
          ? [1e6, "µAh"]
          : a >= 1e-9 || a === 0
            ? [1e9, "nAh"]
            : [1e12, "pAh"];
  return `${(ah * f).toPrecision(5)} ${u}`;
}

export function summaryText(result: SimulationOutput): string {
  const s = result.summary;
  const lines = [
    `${s.material}, R = ${(s.radius * 1e6).toPrecision(4)} µm, ${s.shells} shells`,
    `  steps run:          ${s.steps.length}`,
    `  simulated time:     ${(s.finalState.time / 3600).toFixed(3)} h`,
    `  charge capacity:    ${formatCharge(s.chargeCapacity.C)}  (nominal ${formatCharge(s.nominalCapacity.C)})`,
    `  discharge capacity: ${formatCharge(s.dischargeCapacity.C)}`,
    `  final state:        V = ${s.finalState.voltage.toFixed(4)} V, x_mean = ${s.finalState.meanLithiumFraction.toFixed(4)}, x_surface = ${s.finalState.surfaceLithiumFraction.toFixed(4)}`,
    `  solver:             ${s.solver.acceptedSteps} steps (${s.solver.rejectedSteps} rejected), ${s.solver.newtonIterations} Newton iterations`,
  ];
  return `${lines.join("\n")}\n`;
}

export const command: Command = {
  name: "simulate",
  summary: "run a single particle through a protocol",
  help: HELP,
  options: SIMULATE_OPTIONS,
  async run(argv, ctx) {
    const { values } = parseOptions(argv, SIMULATE_OPTIONS, false);
    const params = particleParametersFromOptions(values);
    const protocol = readProtocolOption(values);
    const maxStep = quantityOption(values, "max-step", "time", MAX_STEP_BOUNDS);
    const outDir = stringOption(values, "out");
    // open (and check) the output directory before the long computation
    const out = outDir
      ? OutputDir.open(outDir, {
          force: values.force === true,
          inputs: inputPaths(values, [], ["protocol-file"]),
        })
      : undefined;
    try {
      const bar = new ProgressBar("simulate", ctx.stderr, ctx.isTTY);
      const result = simulateParticle(params, protocol, {
        maxStep,
        onProgress: (f, _i, t) => bar.update(f, `t = ${(t / 3600).toFixed(2)} h`),
      });
      bar.finish();
      if (out) {
        writeSimulationOutputs(out, result, { command: ["cathodelab", "simulate", ...argv] });
        out.commit();
      }
      if (values.json === true) ctx.stdout(toJson(result.summary));
      else {
        ctx.stdout(summaryText(result));
        for (const st of result.summary.steps) {
          if (st.reason === "compositionLimit") {
            ctx.stderr(
              `warning: step ${st.index + 1} (${st.text}) stopped at the composition limit of the material\n`,
            );
          }
        }
        if (out) ctx.stdout(`wrote ${out.files.length} files to ${out.target}\n`);
      }
      return 0;
    } catch (error) {
      out?.abort();
      throw error;
    }
  },
};
