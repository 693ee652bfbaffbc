/**
 * `cathodelab ratelimit --material NMC333 --radius 5um --overpotential 100mV`: interfacial and
 * diffusion-limited C-rates and the Biot number over composition, and B for other particle
 * sizes (seed 000 eqns 4, 6–8, Fig. 6; SPEC §3.5).
 */
import { type RateLimitRow, rateLimitMap, rateLimitTable } from "../../analysis/ratelimit/index.js";
import { T_REF } from "../../constants.js";
import { InputError } from "../../errors.js";
import { toCsv, toJson } from "../../io/csv.js";
import { OutputDir } from "../../io/output-dir.js";
import { getMaterial } from "../../materials/index.js";
import { renderPlot } from "../../report/svg-plot.js";
import { parseQuantity } from "../../units.js";
import {
  type Command,
  DIAMETER_BOUNDS,
  parseOptions,
  quantityOption,
  RADIUS_BOUNDS,
  stringOption,
  TEMPERATURE_BOUNDS,
} from "../command.js";

const OPTIONS = {
  material: { type: "string" },
  radius: { type: "string" },
  diameter: { type: "string" },
  overpotential: { type: "string" },
  temperature: { type: "string" },
  points: { type: "string" },
  radii: { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
  force: { type: "boolean" },
} as const;

const HELP = `Usage: cathodelab ratelimit --material M --radius R [options]

Maximum C-rates of a spherical particle limited by interfacial kinetics and by solid diffusion,
and the electrochemical Biot number, over the material's nominal composition window:
  C_j = (3/r)·i0·2 sinh(Fη/2RT)/C_p · 3600 s/h     (seed 000 eqn 6)
  C_D = 3600·D/r²                                  (seed 000 eqn 8)
  B   = r·i0·|dU/dc|/(D·R·T)                       (seed 000 eqn 4; B ∝ r)
with D(x), i0(x), U(x) and C_p from the material library.

Options:
  --material M          NMC333/NMC111, NMC532, NMC622, NMC811, NCA (required)
  --radius R            particle radius, 1 nm to 1 mm, e.g. 5um (or --diameter 10um)
  --overpotential E     acceptable interfacial overpotential, up to 2 V (default 100mV)
  --temperature T       150 K to 600 K (default 298.15K)
  --points N            compositions over the nominal window (default 21)
  --radii LIST          radii for the B scaling table (default 1um,2.5um,5um = 2, 5, 10 um diameter)
  --out DIR             write ratelimit.csv, biot-scaling.csv, ratelimit.json, crate.svg, biot.svg
  --force               replace a non-empty --out directory
  --json                print the tables as JSON on stdout

Example:
  cathodelab ratelimit --material NMC333 --diameter 10um --overpotential 100mV --out rl`;

const COLUMNS = [
  "x",
  "soc",
  "ocv_V",
  "D_m2_per_s",
  "D_cm2_per_s",
  "i0_A_per_m2",
  "i0_mA_per_cm2",
  "dUdc_V_m3_per_mol",
  "biot",
  "regime",
  "C_j_per_h",
  "C_D_per_h",
  "C_max_per_h",
  "limited_by",
] as const;

function csvRow(r: RateLimitRow): Record<string, string | number> {
  return {
    x: r.x,
    soc: r.soc,
    ocv_V: r.ocv,
    D_m2_per_s: r.diffusivity,
    D_cm2_per_s: r.diffusivity * 1e4,
    i0_A_per_m2: r.exchangeCurrentDensity,
    i0_mA_per_cm2: r.exchangeCurrentDensity / 10,
    dUdc_V_m3_per_mol: r.dUdc,
    biot: r.biot,
    regime: r.regime,
    C_j_per_h: r.cRateInterfacial,
    C_D_per_h: r.cRateDiffusion,
    C_max_per_h: r.cRateMax,
    limited_by: r.limitedBy,
  };
}

export const command: Command = {
  name: "ratelimit",
  summary: "interface- and diffusion-limited C-rates and Biot numbers of a particle (seed 000)",
  help: HELP,
  options: OPTIONS,
  async run(argv, ctx) {
    const { values, positionals } = parseOptions(argv, OPTIONS, false);
    if (positionals.length > 0)
      throw new InputError("unexpected argument", { field: "arguments", value: positionals[0] });
    const material = getMaterial(stringOption(values, "material", true, "a material name such as NMC333"));
    const radiusText = stringOption(values, "radius");
    const diameterText = stringOption(values, "diameter");
    if ((radiusText === undefined) === (diameterText === undefined)) {
      throw new InputError("give exactly one of --radius or --diameter", {
        field: "--radius",
        expected: "a length such as 5um",
      });
    }
    const radius =
      radiusText !== undefined
        ? (quantityOption(values, "radius", "length", RADIUS_BOUNDS) as number)
        : (quantityOption(values, "diameter", "length", DIAMETER_BOUNDS) as number) / 2;
    const overpotential =
      quantityOption(values, "overpotential", "voltage", {
        min: 0,
        max: 2,
        minExclusive: true,
        describe: "above 0 and at most 2 V",
      }) ?? 0.1;
    const temperature = quantityOption(values, "temperature", "temperature", TEMPERATURE_BOUNDS) ?? T_REF;
    const pointsText = stringOption(values, "points") ?? "21";
    const points = Number(pointsText);
    if (!Number.isInteger(points) || points < 2 || points > 10000) {
      throw new InputError("--points must be an integer from 2 to 10000", {
        field: "--points",
        value: pointsText,
      });
    }
    const radii = (stringOption(values, "radii") ?? "1um,2.5um,5um")
      .split(",")
      .map((s) => parseQuantity(s.trim(), "length", { field: "--radii", positive: true }));
    const { xMin, xMax } = material.nominalWindow;
    const x = Array.from({ length: points }, (_, i) => xMax - ((xMax - xMin) * i) / (points - 1));
    const rows = rateLimitTable(material, { radius, overpotential, temperature, x });
    const map = rateLimitMap(material, radii, { overpotential, temperature, x });
    const scaling = x.map((xi, i) => {
      const r: Record<string, number> = { x: xi, ocv_V: rows[i].ocv };
      for (const m of map) r[`biot_r${(m.radius * 1e6).toPrecision(3)}um`] = m.rows[i].biot;
      return r;
    });
    const scalingColumns = ["x", "ocv_V", ...map.map((m) => `biot_r${(m.radius * 1e6).toPrecision(3)}um`)];
    const summary = {
      material: material.name,
      radius_m: radius,
      overpotential_V: overpotential,
      temperature_K: temperature,
      volumetricCapacity_C_per_m3: material.volumetricCapacity,
      rows: rows.map(csvRow),
      biotScaling: scaling,
      sources: {
        C_j: "seed 000 eqn 6",
        C_D: "seed 000 eqn 8",
        B: "seed 000 eqn 4",
        material: "src/materials (see `cathodelab materials`)",
      },
    };
    const outDir = stringOption(values, "out");
    if (outDir !== undefined) {
      await OutputDir.with(outDir, { force: values.force === true }, (out) => {
        out.write("ratelimit.csv", toCsv(COLUMNS, rows.map(csvRow)));
        out.write("biot-scaling.csv", toCsv(scalingColumns, scaling));
        out.write("ratelimit.json", toJson(summary));
        const ocv = rows.map((r) => r.ocv);
        out.write(
          "crate.svg",
          renderPlot(
            [
              { label: "C_j (interface)", x: ocv, y: rows.map((r) => r.cRateInterfacial), style: "both" },
              {
                label: "C_D (diffusion)",
                x: ocv,
                y: rows.map((r) => r.cRateDiffusion),
                style: "both",
                dash: "4 2",
              },
            ],
            {
              title: `${material.name}, r = ${(radius * 1e6).toPrecision(3)} um, eta = ${(overpotential * 1e3).toPrecision(3)} mV`,
              xLabel: "OCV / V",
              yLabel: "max C-rate / (1/h)",
              yScale: "log",
            },
          ),
        );
        out.write(
          "biot.svg",
          renderPlot(
            map.map((m) => ({
              label: `r = ${(m.radius * 1e6).toPrecision(3)} um`,
              x: ocv,
              y: m.rows.map((r) => r.biot),
              style: "both" as const,
            })),
            {
              title: `${material.name}: Biot number (B < 0.1 reaction-, > 10 diffusion-limited)`,
              xLabel: "OCV / V",
              yLabel: "B",
              yScale: "log",
            },
          ),
        );
      });
    }
    if (values.json === true) ctx.stdout(toJson(summary));
    else {
      const lines = [
        `${material.name}: r = ${(radius * 1e6).toPrecision(4)} um, eta = ${(overpotential * 1e3).toPrecision(3)} mV, T = ${temperature} K, C_p = ${(material.volumetricCapacity / 3.6e6).toPrecision(4)} mAh/cm3`,
        "      x   OCV/V   D/(cm2/s)  i0/(mA/cm2)         B  regime              C_j/h     C_D/h  limit",
      ];
      for (const r of rows) {
        lines.push(
          `  ${r.x.toFixed(3)}  ${r.ocv.toFixed(3)}  ${(r.diffusivity * 1e4).toExponential(2).padStart(9)}  ${(r.exchangeCurrentDensity / 10).toExponential(2).padStart(11)}  ${r.biot.toPrecision(3).padStart(8)}  ${r.regime.padEnd(18)}  ${r.cRateInterfacial.toPrecision(3).padStart(8)}  ${r.cRateDiffusion.toPrecision(3).padStart(8)}  ${r.limitedBy}`,
        );
      }
      lines.push(
        `  B scales with r: at ${map.map((m) => `${(m.radius * 1e6).toPrecision(3)} um`).join(", ")} the B column is multiplied by ${map.map((m) => (m.radius / radius).toPrecision(3)).join(", ")}`,
      );
      if (outDir)
        lines.push(`wrote ${outDir}/ (ratelimit.csv, biot-scaling.csv, ratelimit.json, crate.svg, biot.svg)`);
      ctx.stdout(`${lines.join("\n")}\n`);
    }
    return 0;
  },
};
