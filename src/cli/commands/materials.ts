/**
 * `cathodelab materials [NAME] [--json] [--x LIST] [--temperature T] [--electrolyte C]`
 *
 * Without NAME: a table of the materials (name, formula, window, c_max, capacity, E).
 * With NAME: every property with its value, or samples over x in SI and customary units
 * (D in cm²/s, i0 in mA/cm², κ in S/cm, a/c in Å), unit, source and validity range.
 * `--json` prints the same as JSON. Unknown material → exit 2 with the list of valid names.
 */
import { InputError } from "../../errors.js";
import { toJson } from "../../io/csv.js";
import { getMaterial, MATERIALS } from "../../materials/index.js";
import {
  DEFAULT_SAMPLE_X,
  describeMaterial,
  type MaterialSummary,
  materialRow,
  type PropertySummary,
} from "../../materials/summary.js";
import { parseQuantity } from "../../units.js";
import { type Command, parseOptions, stringOption } from "../command.js";

const HELP = `Usage: cathodelab materials [NAME] [options]

List the cathode materials, or every property of one material with its source.

  NAME                 NMC111 (NMC333, NCM111), NMC532 (NCM523), NMC622, NMC811, NCA
                       (case-insensitive)

Options:
  --json               machine-readable output on stdout
  --x LIST             Li fractions to sample functions at (default ${DEFAULT_SAMPLE_X.join(",")})
  --temperature T      temperature for D and i0, e.g. 298.15K or 45C (default 298.15 K)
  --electrolyte C      electrolyte concentration for i0, e.g. 1M or 1000mol/m3
                       (default: the material's reference concentration)

Examples:
  cathodelab materials
  cathodelab materials nmc333 --x 1,0.8,0.6,0.4,0.3,0.2
  cathodelab materials NMC811 --json --temperature 45C`;

function parseXList(text: string): number[] {
  const parts = text.split(",").map((s) => s.trim());
  const xs = parts.map((p) => Number(p));
  const bad = parts.findIndex((p, i) => p === "" || !Number.isFinite(xs[i]));
  if (bad >= 0)
    throw new InputError(`cannot read Li fraction "${parts[bad]}"`, {
      field: "--x",
      value: text,
      expected: "comma-separated Li fractions such as 1,0.8,0.6",
    });
  return xs;
}

function fmt(v: number, digits = 4): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(digits))) : v.toExponential(digits - 1);
}

function overviewTable(): string {
  const header = [
    "name",
    "formula",
    "window x",
    "U window (V)",
    "c_max (mol/m3)",
    "Q (mAh/g)",
    "Q_th (mAh/g)",
    "E (GPa)",
  ];
  const rows = Object.values(MATERIALS).map((m) => {
    const r = materialRow(m);
    return [
      `${r.name}`,
      r.formula,
      `${fmt(r.xMin, 3)}-${fmt(r.xMax, 3)}`,
      `${r.voltageMin.toFixed(2)}-${r.voltageMax.toFixed(2)}`,
      r.maxConcentration.toFixed(0),
      r.practicalCapacity_mAh_g.toFixed(1),
      r.theoreticalCapacity_mAh_g.toFixed(1),
      r.youngsModulus_GPa.toFixed(0),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const aliases = Object.values(MATERIALS)
    .map((m) => `${m.name}: ${m.aliases.join(", ")}`)
    .join("\n  ");
  return `${[line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")}\n\nAliases:\n  ${aliases}\n\nRun "cathodelab materials NAME" for every property with its source.\n`;
}

function provenanceLine(p: PropertySummary): string {
  const parts = [`source: ${p.source}`];
  if (p.seed) parts.push(`seed ${p.seed}`);
  if (p.assumption) parts.push("ASSUMPTION");
  return parts.join("; ");
}

function detailText(s: MaterialSummary): string {
  const out: string[] = [];
  out.push(`${s.name}  ${s.formula}   (aliases: ${s.aliases.join(", ")})`);
  out.push(
    `nominal window x = ${fmt(s.nominalWindow.xMax)} (SOC 0) … ${fmt(s.nominalWindow.xMin)} (SOC 1); functions valid for x in [${s.validRange[0]}, ${s.validRange[1]}]`,
  );
  out.push(
    `D and i0 at T = ${fmt(s.temperature, 5)} K, i0 at c_l = ${fmt(s.electrolyteConcentration)} mol/m^3`,
  );
  out.push("");
  for (const p of s.properties) {
    if (p.samples) {
      const custom = p.customaryUnit !== p.unit ? ` [${p.customaryUnit}]` : "";
      out.push(`${p.key} — ${p.name} [${p.unit}]${custom}`);
      for (const sample of p.samples) {
        const c = p.customaryUnit !== p.unit ? `   = ${fmt(sample.customary, 5)} ${p.customaryUnit}` : "";
        out.push(`    x = ${sample.x.toFixed(3)}: ${fmt(sample.value, 5)} ${p.unit}${c}`);
      }
    } else if (p.value !== undefined) {
      const c =
        p.customaryUnit !== p.unit && p.customaryValue !== undefined
          ? ` = ${fmt(p.customaryValue)} ${p.customaryUnit}`
          : "";
      out.push(`${p.key} — ${p.name}: ${fmt(p.value, 5)} ${p.unit}${c}`);
    } else {
      out.push(`${p.key} — ${p.name}`);
    }
    if (p.validRange) out.push(`    valid for x in [${p.validRange[0]}, ${p.validRange[1]}]`);
    out.push(`    ${provenanceLine(p)}`);
    if (p.note) out.push(`    note: ${p.note}`);
  }
  return `${out.join("\n")}\n`;
}

const OPTIONS = {
  json: { type: "boolean" },
  x: { type: "string" },
  temperature: { type: "string" },
  electrolyte: { type: "string" },
} as const;

export const command: Command = {
  name: "materials",
  summary: "list cathode materials and their properties with sources",
  help: HELP,
  options: OPTIONS,
  async run(argv, ctx) {
    const { values, positionals } = parseOptions(argv, OPTIONS);
    if (positionals.length > 1)
      throw new InputError("too many arguments", {
        field: "NAME",
        value: positionals.join(" "),
        expected: "at most one material name",
      });
    const json = values.json === true;
    const name = positionals[0];
    if (name === undefined) {
      for (const opt of ["x", "temperature", "electrolyte"])
        if (values[opt] !== undefined)
          throw new InputError(`--${opt} needs a material NAME`, {
            field: `--${opt}`,
            expected: "cathodelab materials NAME --" + opt,
          });
      if (json) {
        ctx.stdout(toJson({ materials: Object.values(MATERIALS).map(materialRow) }));
      } else {
        ctx.stdout(overviewTable());
      }
      return 0;
    }
    const material = getMaterial(name);
    const xText = stringOption(values, "x");
    const tText = stringOption(values, "temperature");
    const cText = stringOption(values, "electrolyte");
    const temperature =
      tText === undefined
        ? undefined
        : parseQuantity(tText, "temperature", { field: "--temperature", positive: true, defaultUnit: "K" });
    if (temperature !== undefined && (temperature < 233.15 || temperature > 373.15))
      throw new InputError(`temperature ${temperature} K is outside the range the kinetics are meant for`, {
        field: "--temperature",
        value: tText,
        expected: "233.15 K … 373.15 K (−40 °C … 100 °C), e.g. 298.15K or 25C",
      });
    const summary = describeMaterial(material, {
      xs: xText === undefined ? undefined : parseXList(xText),
      temperature,
      electrolyteConcentration:
        cText === undefined
          ? undefined
          : parseQuantity(cText, "concentration", { field: "--electrolyte", positive: true }),
    });
    ctx.stdout(json ? toJson(summary) : detailText(summary));
    return 0;
  },
};
