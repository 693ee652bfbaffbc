/**
 * `cathodelab fracture`: chemo-mechanical phase-field fracture of a polycrystalline secondary
 * particle along a slow charge (seed 001). Thin over src/mechanics.
 */
import { readFileSync } from "node:fs";
import { InputError } from "../../errors.js";
import { columnsToCsv, toJson } from "../../io/csv.js";
import { OutputDir } from "../../io/output-dir.js";
import { getMaterial } from "../../materials/index.js";
import { type FractureRunResult, radialDamageProfile, runFracture } from "../../mechanics/fracture-run.js";
import { type LatticeParameters, latticeFromTable } from "../../mechanics/lattice-strain.js";
import { fieldSlice, slicePng, vtiImageBytes } from "../../mechanics/render.js";
import { chargeLithiumHistory, type LithiumHistory } from "../../mechanics/transport.js";
import { parseProtocol } from "../../protocol/parse.js";
import type { Step } from "../../protocol/steps.js";
import { renderPlot } from "../../report/svg-plot.js";
import { parseQuantity } from "../../units.js";
import { type Command, parseOptions, stringOption } from "../command.js";
import { ProgressBar } from "../progress.js";

const OPTIONS = {
  material: { type: "string" },
  dim: { type: "string" },
  grains: { type: "string" },
  diameter: { type: "string" },
  "binder-shell": { type: "string" },
  "binder-modulus": { type: "string" },
  protocol: { type: "string" },
  cutoff: { type: "string" },
  cells: { type: "string" },
  steps: { type: "string" },
  length: { type: "string" },
  "fracture-energy": { type: "string" },
  "gb-ratio": { type: "string" },
  split: { type: "string" },
  "shell-outer": { type: "string" },
  "max-staggered": { type: "string" },
  "damage-on": { type: "string" },
  "lattice-table": { type: "string" },
  seed: { type: "string" },
  out: { type: "string" },
  force: { type: "boolean" },
  json: { type: "boolean" },
} as const;

const HELP = `Usage: cathodelab fracture --material NAME --diameter D [options] --out DIR

Phase-field (AT2) fracture of a polycrystalline secondary particle charged slowly (seed 001,
Parks et al. 2023): Voronoi grains with random c axes, transversely isotropic lattice strain
from the material's a(x), c(x), lower toughness on grain boundaries, optional binder shell.
At slow rates x is uniform and the voltage is U(x).

Required:
  --material NAME         NMC111 (NMC333), NMC532, NMC622, NMC811 or NCA
  --diameter D            secondary-particle diameter, e.g. 14um
  --protocol TEXT         e.g. "Charge at C/10 until 4.5 V": the whole protocol runs on the
                          spherical particle model and its x(r, t) drives the eigenstrain
                          (charge, CC-CV and hold steps; rests and discharges are refused)
  or --cutoff V           cut-off voltage, e.g. 4.5V (uniform x, voltage U(x): the C/50 limit)

Options:
  --dim 2|3               plane-strain slice (default) or 3D
  --grains N              number of primary grains (default 400)
  --binder-shell D|none   outer diameter of the binder shell (default: seed 001's 20 µm around
                          14 µm, i.e. 10/7 × --diameter); none = bare particle
  --binder-modulus E      binder Young's modulus (default 0.3GPa)
  --cells N               grid cells per side (default 256 in 2D, 64 in 3D)
  --steps N               load steps in x to the cut-off (default 200)
  --length L              phase-field length ℓ (default 50nm); if the grid cannot resolve it,
                          ℓ = 2 cells and G_c scaled to keep the strength √(27EG_c/256ℓ)
  --fracture-energy G     bulk G_c in J/m2 (default 5)
  --gb-ratio R            grain-boundary / bulk toughness ratio (default 0.2)
  --split amor|none       energy split driving damage (default amor)
  --shell-outer free|clamped  outer surface of the binder shell (default free)
  --max-staggered N       cap on staggered iterations per load step (default 4; see docs)
  --damage-on cells|nodes damage on cell centres (default) or nodes (Q1 elements as in
                          published finite-element results)
  --lattice-table FILE    a(x), c(x) replacing the material's: CSV with a '# source: …' line
                          and columns x,a_angstrom,c_angstrom (x increasing)
  --seed N                random seed (default 1)
  --out DIR               write steps.csv, summary.json, damage_vs_voltage.svg,
                          damage.png, stress.png, fields.vti
  --force                 replace a non-empty --out directory
  --json                  print the summary as JSON on stdout

Examples:
  cathodelab fracture --material NMC811 --dim 2 --grains 400 --diameter 14um \\
    --binder-shell 20um --protocol "Charge at C/50 until 4.5 V" --seed 1 --out frac811   # (slow: ~30 s)
  cathodelab fracture --material NMC811 --dim 2 --grains 100 --diameter 14um \\
    --binder-shell 20um --cells 64 --steps 40 --protocol "Charge at C/50 until 4.5 V" --seed 1 --out frac   # ≈ 5 s`;

function integerOption(
  values: Record<string, unknown>,
  name: string,
  fallback: number,
  lo: number,
  hi: number,
): number {
  const text = stringOption(values, name);
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new InputError(`--${name} must be an integer from ${lo} to ${hi}`, {
      field: `--${name}`,
      value: text,
      expected: `an integer ${lo}…${hi}`,
    });
  }
  return v;
}

/** First charge step of a protocol: its C-rate (if given) and cut-off voltage. */
export function chargeFromProtocol(text: string): { cRate?: number; cutoff: number } {
  const protocol = parseProtocol(text, { file: "--protocol" });
  const flat: Step[] = [];
  const walk = (steps: readonly Step[]): void => {
    for (const s of steps) {
      if (s.type === "repeat") walk(s.steps);
      else flat.push(s);
    }
  };
  walk(protocol.steps);
  for (const s of flat) {
    if ((s.type === "cc" || s.type === "cccv") && s.direction === "charge") {
      const cRate = "cRate" in s.current ? s.current.cRate : undefined;
      const cutoff = s.type === "cccv" ? s.voltage : s.until.find((u) => u.kind === "voltage");
      const v =
        typeof cutoff === "number"
          ? cutoff
          : cutoff && cutoff.kind === "voltage"
            ? cutoff.voltage
            : undefined;
      if (v === undefined)
        throw new InputError("the charge step has no voltage cut-off", {
          field: "--protocol",
          value: text,
          expected: '"Charge at C/50 until 4.5 V"',
        });
      return { cRate, cutoff: v };
    }
  }
  throw new InputError("the protocol has no charge step", {
    field: "--protocol",
    value: text,
    expected: 'a charge step such as "Charge at C/50 until 4.5 V"',
  });
}

/**
 * Read a lattice table CSV: '# source: TEXT' (required), a header x,a_angstrom,c_angstrom, rows
 * of numbers. InputError naming the file and line otherwise.
 */
export function readLatticeTable(path: string): LatticeParameters & { source: string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new InputError("cannot read the lattice table", { file: path, field: "--lattice-table" });
  }
  let source = "";
  const x: number[] = [];
  const a: number[] = [];
  const c: number[] = [];
  let header = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const src = /^#\s*source:\s*(.+)$/i.exec(line);
    if (src) {
      source = src[1];
      return;
    }
    if (line.startsWith("#")) return;
    const cells = line.split(",").map((v) => v.trim());
    if (!header) {
      if (cells.join(",").toLowerCase() !== "x,a_angstrom,c_angstrom")
        throw new InputError("the lattice table header must be x,a_angstrom,c_angstrom", {
          file: path,
          line: i + 1,
          value: line,
          expected: "x,a_angstrom,c_angstrom",
        });
      header = true;
      return;
    }
    const v = cells.map(Number);
    if (cells.length !== 3 || v.some((q) => !Number.isFinite(q)))
      throw new InputError("a lattice table row must hold three numbers", {
        file: path,
        line: i + 1,
        value: line,
        expected: "x, a [Å], c [Å]",
      });
    x.push(v[0]);
    a.push(v[1]);
    c.push(v[2]);
  });
  if (!source)
    throw new InputError("the lattice table has no '# source: …' line", {
      file: path,
      expected: "a citation of the strain data",
    });
  try {
    return latticeFromTable({ x, aAngstrom: a, cAngstrom: c, source });
  } catch (error) {
    throw new InputError((error as Error).message, { file: path, field: "--lattice-table" });
  }
}

function summaryOf(result: FractureRunResult, meta: Record<string, unknown>): Record<string, unknown> {
  const last = result.steps[result.steps.length - 1];
  return {
    ...meta,
    phaseFieldLength_m: result.length,
    fractureEnergyUsed_J_per_m2: result.fractureEnergy,
    gridSpacing_m: result.polycrystal.spacing,
    xEnd: result.xEnd,
    initiation: result.initiation,
    final: last,
    // kinetics (seed 000): both crack faces react, so the reacting area grows by 2Γ/S; grains
    // cut off from the surface are the isolated fraction of the particle model
    activeAreaFactor: 1 + 2 * last.crackAreaRatio,
    isolatedFraction: last.disconnectedFraction,
  };
}

export const command: Command = {
  name: "fracture",
  summary: "phase-field fracture of a polycrystalline particle during charge (seed 001)",
  help: HELP,
  options: OPTIONS,
  async run(argv, ctx) {
    const { values, help } = parseOptions(argv, OPTIONS, false);
    if (help) {
      ctx.stdout(`${HELP}\n`);
      return 0;
    }
    const material = getMaterial(stringOption(values, "material", true, "a material name such as NMC811"));
    const dimText = stringOption(values, "dim") ?? "2";
    if (dimText !== "2" && dimText !== "3")
      throw new InputError("--dim must be 2 or 3", { field: "--dim", value: dimText, expected: "2 or 3" });
    const dim = dimText === "3" ? 3 : 2;
    const diameter = parseQuantity(
      stringOption(values, "diameter", true, "a diameter with unit, e.g. 14um"),
      "length",
      { field: "--diameter", positive: true },
    );
    const shellText = stringOption(values, "binder-shell");
    // seed 001: a 20 µm binder shell around the 14 µm particle (E = 0.3 GPa, ν = 0.3)
    const shell =
      shellText === undefined
        ? (diameter * 20) / 14
        : shellText === "none"
          ? undefined
          : parseQuantity(shellText, "length", { field: "--binder-shell", positive: true });
    if (shell !== undefined && shell <= diameter) {
      throw new InputError("--binder-shell must be larger than --diameter", {
        field: "--binder-shell",
        value: shellText,
        expected: `an outer diameter > ${diameter * 1e6} µm`,
      });
    }
    const protocolText = stringOption(values, "protocol");
    const cutoffText = stringOption(values, "cutoff");
    let cutoff: number;
    let cRate: number | undefined;
    if (protocolText !== undefined) {
      if (cutoffText !== undefined)
        throw new InputError("give --protocol or --cutoff, not both", { field: "--cutoff" });
      ({ cutoff, cRate } = chargeFromProtocol(protocolText));
    } else if (cutoffText !== undefined)
      cutoff = parseQuantity(cutoffText, "voltage", { field: "--cutoff", positive: true });
    else
      throw new InputError("missing --protocol or --cutoff", {
        field: "--protocol",
        expected: '"Charge at C/50 until 4.5 V" or --cutoff 4.5V',
      });
    const u0 = material.openCircuitPotential(1);
    if (!(cutoff > u0) || material.openCircuitPotential(material.validRange[0]) < cutoff) {
      throw new InputError(`cut-off ${cutoff} V is outside the material's charge range`, {
        field: protocolText !== undefined ? "--protocol" : "--cutoff",
        value: String(cutoff),
        expected: `a voltage between ${u0.toFixed(2)} and ${material.openCircuitPotential(material.validRange[0]).toFixed(2)} V`,
      });
    }
    const grains = integerOption(values, "grains", 400, 1, 100000);
    const cells = integerOption(values, "cells", dim === 2 ? 256 : 64, 16, dim === 2 ? 4096 : 256);
    const steps = integerOption(values, "steps", 200, 1, 100000);
    const seed = integerOption(values, "seed", 1, 0, 2 ** 31 - 1);
    const lengthText = stringOption(values, "length");
    const length =
      lengthText === undefined
        ? 50e-9
        : parseQuantity(lengthText, "length", { field: "--length", positive: true });
    const gcText = stringOption(values, "fracture-energy");
    const gc =
      gcText === undefined
        ? 5
        : parseQuantity(gcText, "energyPerArea", {
            field: "--fracture-energy",
            positive: true,
            defaultUnit: "J/m2",
          });
    const ratioText = stringOption(values, "gb-ratio");
    const ratio =
      ratioText === undefined
        ? 0.2
        : parseQuantity(ratioText, "dimensionless", { field: "--gb-ratio", positive: true });
    if (ratio > 1)
      throw new InputError("--gb-ratio must be in (0, 1]", {
        field: "--gb-ratio",
        value: ratioText,
        expected: "0 < ratio ≤ 1",
      });
    const binderText = stringOption(values, "binder-modulus");
    const binderModulus =
      binderText === undefined
        ? 0.3e9
        : parseQuantity(binderText, "pressure", { field: "--binder-modulus", positive: true });
    const split = stringOption(values, "split") ?? "amor";
    if (split !== "amor" && split !== "none")
      throw new InputError("--split must be amor or none", {
        field: "--split",
        value: split,
        expected: "amor or none",
      });
    const shellOuter = stringOption(values, "shell-outer") ?? "free";
    if (shellOuter !== "free" && shellOuter !== "clamped")
      throw new InputError("--shell-outer must be free or clamped", {
        field: "--shell-outer",
        value: shellOuter,
        expected: "free or clamped",
      });
    if (shellOuter === "clamped" && shell === undefined)
      throw new InputError("--shell-outer clamped needs --binder-shell", {
        field: "--shell-outer",
        value: shellOuter,
        expected: "a binder shell (--binder-shell DIAMETER)",
      });
    const maxStaggered = integerOption(values, "max-staggered", 4, 1, 1000);
    const damageOn = stringOption(values, "damage-on") ?? "cells";
    if (damageOn !== "cells" && damageOn !== "nodes")
      throw new InputError("--damage-on must be cells or nodes", {
        field: "--damage-on",
        value: damageOn,
        expected: "cells or nodes",
      });
    const latticePath = stringOption(values, "lattice-table");
    const lattice = latticePath !== undefined ? readLatticeTable(latticePath) : undefined;
    const outPath = stringOption(values, "out");
    const out = outPath !== undefined ? OutputDir.open(outPath, { force: values.force === true }) : undefined;

    const bar = new ProgressBar("fracture", ctx.stderr, ctx.isTTY);
    let history: LithiumHistory | undefined;
    if (protocolText !== undefined)
      history = chargeLithiumHistory(
        material,
        diameter / 2,
        parseProtocol(protocolText, { file: "--protocol" }),
      );
    let result: FractureRunResult;
    try {
      result = runFracture({
        material,
        dim,
        cells,
        particleRadius: diameter / 2,
        grains,
        binderShellRadius: shell === undefined ? undefined : shell / 2,
        binderModulus,
        shellOuter,
        length,
        fractureEnergy: gc,
        boundaryToughnessRatio: ratio,
        split,
        maxStaggered,
        damageDiscretisation: damageOn === "nodes" ? "node" : "cell",
        cutoffVoltage: cutoff,
        lithiumHistory: history,
        snapshotVoltages: [4.0, 4.2, 4.5],
        lattice,
        steps,
        seed,
        onStep: (s, i, total) =>
          bar.update(i / total, `${s.voltage.toFixed(3)} V  d̄ ${s.meanDamage.toFixed(3)}`),
      });
    } catch (error) {
      out?.abort();
      throw error;
    }
    bar.finish();
    const meta = {
      material: material.name,
      dim,
      grains,
      diameter_m: diameter,
      binderShellDiameter_m: shell ?? null,
      binderModulus_Pa: binderModulus,
      cRate: cRate ?? null,
      cutoff_V: cutoff,
      cells,
      steps,
      fractureEnergy_J_per_m2: gc,
      boundaryToughnessRatio: ratio,
      split,
      shellOuter,
      maxStaggered,
      damageOn,
      latticeSource: lattice ? lattice.source : "material table",
      seed,
      note: history
        ? "x(r, t) from the spherical particle model along the whole protocol; voltage = its terminal voltage"
        : "x uniform, voltage = U(x) (slow-charge limit)",
    };
    const summary = summaryOf(result, meta);
    if (out) {
      try {
        const s = result.steps;
        const col = (f: (r: (typeof s)[number]) => number): Float64Array => Float64Array.from(s, f);
        out.write(
          "steps.csv",
          columnsToCsv({
            x: col((r) => r.x),
            centre_x: col((r) => r.centreX),
            surface_x: col((r) => r.surfaceX),
            ...(history ? { time_s: col((r) => r.time ?? 0) } : {}),
            voltage_V: col((r) => r.voltage),
            strain_a: col((r) => r.strainA),
            strain_c: col((r) => r.strainC),
            mean_damage: col((r) => r.meanDamage),
            cracked_fraction: col((r) => r.crackedFraction),
            boundary_damage_share: col((r) => r.boundaryDamageShare),
            cracked_boundary_share: col((r) => r.crackedBoundaryShare),
            boundary_cell_fraction: col((r) => r.boundaryCellFraction),
            crack_area: col((r) => r.crackArea),
            crack_area_per_surface: col((r) => r.crackAreaRatio),
            max_principal_stress_Pa: col((r) => r.maxPrincipalStress),
            disconnected_fraction: col((r) => r.disconnectedFraction),
            disconnected_grains: col((r) => r.disconnectedGrains),
            staggered_iterations: col((r) => r.staggeredIterations),
          }),
        );
        out.write("summary.json", toJson(summary));
        out.write(
          "damage_vs_voltage.svg",
          renderPlot(
            [
              { label: "mean damage", x: col((r) => r.voltage), y: col((r) => r.meanDamage) },
              {
                label: "cracked fraction (d ≥ 0.95)",
                x: col((r) => r.voltage),
                y: col((r) => r.crackedFraction),
              },
            ],
            { title: `${material.name}: damage during charge`, xLabel: "U(x) [V]", yLabel: "fraction [-]" },
          ),
        );
        const poly = result.polycrystal;
        const scale = Math.max(1, Math.floor(512 / poly.n));
        out.write("damage.png", slicePng(fieldSlice(poly, result.damage, 0, 1, scale)));
        let pMax = 0;
        let pMin = 0;
        for (let c = 0; c < result.maxPrincipal.length; c++) {
          pMax = Math.max(pMax, result.maxPrincipal[c]);
          pMin = Math.min(pMin, result.maxPrincipal[c]);
        }
        out.write("stress.png", slicePng(fieldSlice(poly, result.maxPrincipal, pMin, pMax, scale)));
        // seed 001 Fig. 5e: damage (0…1) and σ1 (0…its maximum at 4.5 V) mid-slices along the charge
        for (const snap of result.snapshots) {
          const tag = snap.requestedVoltage.toFixed(1);
          out.write(`damage_${tag}V.png`, slicePng(fieldSlice(poly, snap.damage, 0, 1, scale)));
          let sMax = 0;
          for (const v of snap.maxPrincipal) sMax = Math.max(sMax, v);
          out.write(`stress_${tag}V.png`, slicePng(fieldSlice(poly, snap.maxPrincipal, 0, sMax || 1, scale)));
        }
        const radial = radialDamageProfile(poly, result.damage, 10);
        out.write(
          "radial_damage.csv",
          columnsToCsv({
            r_over_R: radial.rho,
            mean_damage: radial.meanDamage,
            cracked_fraction: radial.crackedFraction,
          }),
        );
        out.write(
          "radial_damage.svg",
          renderPlot(
            [
              { label: "mean damage", x: radial.rho, y: radial.meanDamage },
              { label: "cracked fraction (d ≥ 0.95)", x: radial.rho, y: radial.crackedFraction },
            ],
            {
              title: `${material.name}: radial damage at the end`,
              xLabel: "r/R [-]",
              yLabel: "fraction [-]",
            },
          ),
        );
        out.write(
          "fields.vti",
          vtiImageBytes(poly, {
            damage: result.damage,
            max_principal_stress_Pa: result.maxPrincipal,
            boundary: poly.boundary,
          }),
        );
        out.commit();
      } catch (error) {
        out.abort();
        throw error;
      }
    }
    if (values.json === true) ctx.stdout(`${toJson(summary)}\n`);
    else {
      const last = result.steps[result.steps.length - 1];
      const init = result.initiation;
      ctx.stdout(
        [
          `${material.name}: ${dim}D, ${grains} grains, ${(diameter * 1e6).toPrecision(3)} µm${shell ? `, binder shell ${(shell * 1e6).toPrecision(3)} µm` : ""}, to ${cutoff} V (x = ${result.xEnd.toFixed(3)})`,
          init
            ? `  crack initiation: ${init.voltage.toFixed(3)} V (x = ${init.x.toFixed(3)}, ε_c = ${init.strainC.toFixed(4)}), at r/R = ${init.normalisedRadius.toFixed(2)}`
            : "  no crack (d ≥ 0.95) formed",
          `  final mean damage ${last.meanDamage.toFixed(4)}, cracked fraction ${last.crackedFraction.toFixed(4)}, on boundary cells ${(100 * last.boundaryDamageShare).toFixed(0)} % (they are ${(100 * last.boundaryCellFraction).toFixed(0)} % of the volume; ${(100 * last.crackedBoundaryShare).toFixed(0)} % of the cracked cells)`,
          `  crack area / particle surface ${last.crackAreaRatio.toFixed(3)}, disconnected ${(100 * last.disconnectedFraction).toFixed(1)} % (${last.disconnectedGrains} grains)`,
          `  max principal stress in intact grains ${(last.maxPrincipalStress / 1e6).toFixed(0)} MPa`,
          out ? `  written to ${out.target}` : "",
        ]
          .filter((l) => l !== "")
          .join("\n") + "\n",
      );
    }
    return 0;
  },
};
