/**
 * Canonical text for protocol steps (the inverse of ./parse.ts: parseProtocol(describe(s))
 * gives back s, number for number) and expansion of repeats into a flat, labelled sequence.
 *
 * Numbers are written with the display unit that represents the SI value *exactly* under
 * units.ts's conversion (e.g. 7200 s → "2 h", 8.333…e-7 V/s → "3 mV/h"), falling back to a
 * smaller unit, so that the round trip is exact.
 */
import type { CurrentSpec, Protocol, RepeatStep, Step, StopCondition } from "./steps.js";

type UnitTable = readonly (readonly [string, number])[];

// Factors must be the very same doubles as in src/units.ts for the round trip to be exact.
const TIME: UnitTable = [
  ["h", 3600],
  ["min", 60],
  ["s", 1],
  ["ms", 1e-3],
];
const VOLTAGE: UnitTable = [
  ["V", 1],
  ["mV", 1e-3],
  ["uV", 1e-6],
];
const CURRENT: UnitTable = [
  ["A", 1],
  ["mA", 1e-3],
  ["uA", 1e-6],
  ["nA", 1e-9],
  ["pA", 1e-12],
];
const VOLTAGE_RATE: UnitTable = [
  ["mV/h", 1e-3 / 3600],
  ["mV/min", 1e-3 / 60],
  ["mV/s", 1e-3],
  ["uV/s", 1e-6],
  ["V/s", 1],
];
const FREQUENCY: UnitTable = [
  ["MHz", 1e6],
  ["kHz", 1e3],
  ["Hz", 1],
  ["mHz", 1e-3],
  ["uHz", 1e-6],
];
const CHARGE: UnitTable = [
  ["Ah", 3600],
  ["mAh", 3.6],
  ["uAh", 3.6e-3],
];

/** Neighbouring doubles of q, for finding a decimal that multiplies back exactly. */
function neighbours(q: number): number[] {
  const buf = new Float64Array(1);
  const bits = new BigInt64Array(buf.buffer);
  buf[0] = q;
  const b = bits[0];
  const out = [q];
  for (const d of [1n, -1n, 2n, -2n]) {
    bits[0] = b + d;
    out.push(buf[0]);
  }
  return out;
}

/**
 * Format an SI value with the unit of `table` that reproduces it exactly when parsed
 * (number × factor === value), preferring a magnitude in [1, 1000) and the shortest text.
 */
export function formatExact(value: number, table: UnitTable, signed = false): string {
  let best: { text: string; score: number } | undefined;
  for (const [unit, factor] of table) {
    for (const q of neighbours(value / factor)) {
      if (!Number.isFinite(q)) continue;
      const num = String(q);
      if (Number(num) * factor !== value) continue;
      const mag = Math.abs(q);
      const score = (mag >= 1 && mag < 1000 ? 0 : 100) + num.length;
      const sign = signed && q >= 0 ? "+" : "";
      if (!best || score < best.score) best = { text: `${sign}${num} ${unit}`, score };
      break;
    }
  }
  if (best) return best.text;
  // no exact representation (should not happen for the base unit, factor 1)
  const [unit, factor] = table.find(([, f]) => f === 1) ?? table[0];
  return `${signed && value >= 0 ? "+" : ""}${String(value / factor)} ${unit}`;
}

/** C-rate [1/h] as "C/20" when that is exact, else "0.3C". */
export function formatCRate(rate: number): string {
  const d = 1 / rate;
  if (Number.isInteger(d) && d > 1 && 1 / d === rate) return `C/${d}`;
  return `${String(rate)}C`;
}

export function formatCurrent(c: CurrentSpec): string {
  return "cRate" in c ? formatCRate(c.cRate) : formatExact(c.current, CURRENT);
}

function formatCondition(c: StopCondition): string {
  switch (c.kind) {
    case "voltage":
      return formatExact(c.voltage, VOLTAGE);
    case "current":
      return formatCurrent(c.below);
    case "time":
      return formatExact(c.duration, TIME);
    case "voltageRate":
      return `|dV/dt| < ${formatExact(c.rate, VOLTAGE_RATE)}`;
    case "charge":
      return formatExact(c.charge, CHARGE);
  }
}

/** "until 4.2 V or 2 h", "for 3 h or until |dV/dt| < 3 mV/h". */
export function describeStopConditions(conds: readonly StopCondition[]): string {
  const parts: string[] = [];
  let clause: "for" | "until" = "until";
  conds.forEach((c, i) => {
    const text = formatCondition(c);
    if (i === 0) {
      clause = c.kind === "time" ? "for" : "until";
      parts.push(`${clause} ${text}`);
    } else if (clause === "for" && c.kind !== "time") {
      parts.push(`or until ${text}`);
      clause = "until";
    } else {
      parts.push(`or ${text}`);
    }
  });
  return parts.join(" ");
}

function capital(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

/**
 * Canonical text of one step. A repeat whose block contains another repeat is written as an
 * indented multi-line block (the inline form would be ambiguous); otherwise on one line.
 */
export function describeStep(step: Step): string {
  switch (step.type) {
    case "cc":
      return `${capital(step.direction)} at ${formatCurrent(step.current)} ${describeStopConditions(step.until)}`;
    case "cccv":
      return `CCCV: ${capital(step.direction)} at ${formatCurrent(step.current)} to ${formatExact(step.voltage, VOLTAGE)} ${describeStopConditions(step.until)}`;
    case "cv":
      return `Hold at ${formatExact(step.voltage, VOLTAGE)} ${describeStopConditions(step.until)}`;
    case "rest":
      return `Rest ${describeStopConditions(step.until)}`;
    case "pitt":
      return `Step ${formatExact(step.deltaV, VOLTAGE, true)} ${describeStopConditions(step.until)}`;
    case "gitt": {
      const limit =
        step.voltageLimit === undefined ? "" : ` or until ${formatExact(step.voltageLimit, VOLTAGE)}`;
      return `Pulse ${step.direction} ${formatCurrent(step.current)} for ${formatExact(step.pulseDuration, TIME)}${limit} then rest ${describeStopConditions(step.restUntil)}`;
    }
    case "eis":
      return `EIS from ${formatExact(step.fMax, FREQUENCY)} to ${formatExact(step.fMin, FREQUENCY)}, ${String(step.perDecade)} per decade, ${formatExact(step.amplitude, VOLTAGE)}`;
    case "repeat":
      return describeRepeat(step, "");
  }
}

function describeRepeat(step: RepeatStep, indent: string): string {
  const header = `Repeat ${step.count} times:`;
  if (!step.steps.some((s) => s.type === "repeat")) {
    return `${header} ${step.steps.map(describeStep).join("; ")}`;
  }
  const inner = `${indent}  `;
  const lines = step.steps.map((s) =>
    s.type === "repeat" ? describeRepeat(s, inner) : `${inner}${describeStep(s)}`,
  );
  return `${header}\n${lines.map((l) => (l.startsWith(inner) ? l : `${inner}${l}`)).join("\n")}`;
}

/** Canonical text of a whole protocol, one step per line. */
export function describeProtocol(protocol: Protocol): string {
  return `${protocol.steps.map(describeStep).join("\n")}\n`;
}

/** A non-repeat step with its position in the expanded protocol. */
export interface FlatStep {
  readonly step: Exclude<Step, RepeatStep>;
  /** 0-based position in the flattened sequence. */
  readonly index: number;
  /** 0-based index of the step within its innermost block (protocol or repeat). */
  readonly stepIndex: number;
  /** 1-based iteration of the innermost enclosing repeat; 0 outside any repeat. */
  readonly cycle: number;
  /** 1-based iteration of every enclosing repeat, outermost first ([] outside repeats). */
  readonly cycles: readonly number[];
  /** Indices into protocol.steps / repeat.steps leading to the step. */
  readonly path: readonly number[];
  /** Human label: "step 3", "cycle 2, step 1", "cycle 2.3, step 1" for nested repeats. */
  readonly label: string;
}

/**
 * Expand repeats into the sequence of steps actually run, each labelled with its cycle and
 * step index. Throws a plain Error beyond `maxSteps` (default 1e6) to guard against runaway
 * nested counts.
 */
export function flattenProtocol(protocol: Protocol, maxSteps = 1_000_000): FlatStep[] {
  const out: FlatStep[] = [];
  const walk = (steps: readonly Step[], cycles: number[], path: number[]): void => {
    steps.forEach((step, i) => {
      const p = [...path, i];
      if (step.type === "repeat") {
        for (let c = 1; c <= step.count; c++) walk(step.steps, [...cycles, c], p);
        return;
      }
      if (out.length >= maxSteps) throw new Error(`flattenProtocol: more than ${maxSteps} steps`);
      const cycle = cycles.length > 0 ? cycles[cycles.length - 1] : 0;
      const label = cycles.length > 0 ? `cycle ${cycles.join(".")}, step ${i + 1}` : `step ${i + 1}`;
      out.push({ step, index: out.length, stepIndex: i, cycle, cycles: [...cycles], path: p, label });
    });
  };
  walk(protocol.steps, [], []);
  return out;
}
