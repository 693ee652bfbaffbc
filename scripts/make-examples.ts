/**
 * Writes the example inputs that the README and the `--help` texts name (deterministic; the
 * files are committed, this script is how they were made):
 *   examples/step-charge.txt    a seed-000-style step-charge protocol (simulate --protocol-file)
 *   examples/pitt-transient.csv a +15 mV PITT current transient of a 26.5 µm NMC333 particle
 *                               (simulated; time from the step, current in A; fit pitt)
 *   examples/pitt-steps.csv     three +15 mV steps of 2 h from 3.9 V on the same particle (fit pitt --steps)
 *   examples/gitt.mpt           a GITT record of a 10 µm NMC622 particle (x = 1 at the start) as an EC-Lab
 *                               ASCII export (simulated; fit gitt)
 *   examples/eis.csv            an impedance spectrum of a 26.5 µm NMC333 particle at 3.9 V with
 *                               a contact R‖CPE (simulated; fit eis, kk)
 * Run: npx tsx scripts/make-examples.ts
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getMaterial } from "../src/materials/index.js";
import { simulateParticle } from "../src/particle/simulate.js";
import { parseProtocol } from "../src/protocol/parse.js";

const root = join(process.cwd(), "examples");
mkdirSync(root, { recursive: true });

/** Shortest round-trip text of a number with `digits` significant digits. */
const num = (v: number, digits = 7) => String(Number(v.toPrecision(digits)));

// ---- step-charge protocol (seed 000: C/20 steps, 3 h / 3 mV/h relaxations) ----
const stepCharge = [
  "# Step charge as in seed 000 (Tsai et al. 2018): C/20 to each cut-off, then relax",
  "Charge at C/20 until 3.8 V",
  "Rest for 3 h or until dV/dt < 3 mV/h",
  "Charge at C/20 until 4.0 V",
  "Rest for 3 h or until dV/dt < 3 mV/h",
  "Charge at C/20 until 4.2 V",
  "Rest for 3 h or until dV/dt < 3 mV/h",
  "",
].join("\n");
writeFileSync(join(root, "step-charge.txt"), stepCharge);

const NMC333 = getMaterial("NMC333");

// ---- PITT transient: relax at 3.9 V, then a +15 mV step held for 2 h ----
{
  const protocol = parseProtocol("Hold at 3.9 V for 10 h; Step +15 mV for 2 h");
  const run = simulateParticle({ material: NMC333, radius: 13.25e-6 }, protocol, { maxStep: 60 }).run;
  const { time, current, voltage, step } = run.series;
  const lines = ["time_s,current_A,voltage_V"];
  let t0 = Number.NaN;
  for (let i = 0; i < time.length; i++) {
    if (step[i] !== 1) continue;
    if (Number.isNaN(t0)) t0 = run.steps[1].startTime;
    const t = time[i] - t0;
    if (t <= 0) continue;
    lines.push(`${num(t)},${num(current[i], 6)},${num(voltage[i], 6)}`);
  }
  writeFileSync(join(root, "pitt-transient.csv"), `${lines.join("\n")}\n`);
}

// ---- a PITT record of three steps, time from the start, with the voltage (fit pitt --steps) ----
{
  const protocol = parseProtocol("Hold at 3.9 V for 10 h; Repeat 3 times: Step +15 mV for 2 h");
  const run = simulateParticle({ material: NMC333, radius: 13.25e-6 }, protocol, { maxStep: 120 }).run;
  const { time, current, voltage } = run.series;
  const start = run.steps[1].startTime - 600;
  const lines = ["time_s,current_A,voltage_V"];
  for (let i = 0; i < time.length; i++) {
    if (time[i] < start) continue;
    lines.push(`${num(time[i] - start)},${num(current[i], 6)},${num(voltage[i], 6)}`);
  }
  writeFileSync(join(root, "pitt-steps.csv"), `${lines.join("\n")}\n`);
}

// ---- GITT: 10-min C/10 pulses with 3 h rests on a 10 µm NMC622 particle from x = 1, as EC-Lab .mpt ----
{
  const protocol = parseProtocol(
    "Rest for 10 min; Repeat 4 times: Pulse charge at C/10 for 10 min then rest for 3 h",
  );
  const run = simulateParticle(
    { material: getMaterial("NMC622"), radius: 5e-6, initialLithiumFraction: 1 },
    protocol,
    { maxStep: 60 },
  ).run;
  const { time, current, voltage } = run.series;
  const columns = ["mode", "ox/red", "time/s", "control/mA", "Ewe/V", "I/mA", "cycle number"];
  const header = [
    "EC-Lab ASCII FILE",
    "Nb header lines : 8",
    "",
    "Galvanostatic Intermittent Titration Technique",
    "",
    "Simulated by cathodelab scripts/make-examples.ts: NMC622, R = 5 um, x0 = 1, C/10 pulses of 10 min, 3 h rests",
    "Electrode material : NMC622",
    columns.join("\t"),
  ];
  const rows: string[] = [];
  for (let i = 0; i < time.length; i++) {
    const mA = current[i] * 1e3;
    rows.push([1, mA > 0 ? 1 : 0, num(time[i], 9), num(mA, 6), num(voltage[i], 7), num(mA, 6), 0].join("\t"));
  }
  writeFileSync(join(root, "gitt.mpt"), `${[...header, ...rows].join("\r\n")}\r\n`);
}

// ---- EIS at the relaxed 3.9 V state, with a contact R‖CPE ----
{
  const protocol = parseProtocol("Hold at 3.9 V for 10 h; EIS from 100 kHz to 1 mHz, 8 per decade");
  const out = simulateParticle({ material: NMC333, radius: 13.25e-6, ohmicResistance: 1000 }, protocol, {
    contact: { resistance: 2000, cpeQ: 2e-10, cpeAlpha: 0.9 },
  });
  const z = out.impedance[0];
  const lines = ["freq/Hz,Re(Z)/Ohm,-Im(Z)/Ohm"];
  for (let k = 0; k < z.frequency.length; k++)
    lines.push(`${num(z.frequency[k])},${num(z.zReal[k])},${num(-z.zImag[k])}`);
  writeFileSync(join(root, "eis.csv"), `${lines.join("\n")}\n`);
}
console.log("wrote examples/step-charge.txt, pitt-transient.csv, pitt-steps.csv, gitt.mpt, eis.csv");
