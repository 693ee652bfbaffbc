/**
 * Parsing of unit-bearing quantities at the edges (CLI options, protocol text, file headers).
 * Everything returned is SI. The library itself never sees a unit string.
 *
 *   parseQuantity("13.25um", "length")      → 1.325e-5  [m]
 *   parseQuantity("3 mV/h", "voltageRate")  → 8.333e-7  [V/s]
 *   parseQuantity("22.06e-6cm2", "area")    → 2.206e-9  [m²]
 */
import { InputError } from "./errors.js";

export type Dimension =
  | "length"
  | "area"
  | "volume"
  | "time"
  | "voltage"
  | "current"
  | "currentDensity"
  | "voltageRate"
  | "concentration"
  | "diffusivity"
  | "capacitance"
  | "resistance"
  | "frequency"
  | "temperature"
  | "conductivity"
  | "pressure"
  | "energyPerArea"
  | "charge"
  | "dimensionless";

/** unit symbol → SI factor, per dimension. Symbols are matched case-sensitively first. */
const UNITS: Record<Dimension, Record<string, number>> = {
  length: {
    m: 1,
    cm: 1e-2,
    mm: 1e-3,
    um: 1e-6,
    µm: 1e-6,
    μm: 1e-6,
    micron: 1e-6,
    nm: 1e-9,
    A: 1e-10,
    Å: 1e-10,
  },
  area: {
    m2: 1,
    "m^2": 1,
    cm2: 1e-4,
    "cm^2": 1e-4,
    mm2: 1e-6,
    "mm^2": 1e-6,
    um2: 1e-12,
    "um^2": 1e-12,
    µm2: 1e-12,
    "µm^2": 1e-12,
  },
  volume: { m3: 1, "m^3": 1, cm3: 1e-6, "cm^3": 1e-6, L: 1e-3, mL: 1e-6, um3: 1e-18, µm3: 1e-18 },
  time: {
    s: 1,
    sec: 1,
    ms: 1e-3,
    us: 1e-6,
    min: 60,
    h: 3600,
    hr: 3600,
    hour: 3600,
    hours: 3600,
    d: 86400,
    day: 86400,
    days: 86400,
    mins: 60,
    minute: 60,
    minutes: 60,
    seconds: 1,
    second: 1,
  },
  voltage: { V: 1, mV: 1e-3, uV: 1e-6, µV: 1e-6 },
  current: { A: 1, mA: 1e-3, uA: 1e-6, µA: 1e-6, nA: 1e-9, pA: 1e-12 },
  currentDensity: {
    "A/m2": 1,
    "A/m^2": 1,
    "mA/cm2": 10,
    "mA/cm^2": 10,
    "A/cm2": 1e4,
    "A/cm^2": 1e4,
    "uA/cm2": 1e-2,
    "µA/cm2": 1e-2,
  },
  voltageRate: {
    "V/s": 1,
    "mV/s": 1e-3,
    "mV/h": 1e-3 / 3600,
    "V/h": 1 / 3600,
    "mV/min": 1e-3 / 60,
    "uV/s": 1e-6,
    "µV/s": 1e-6,
  },
  concentration: { "mol/m3": 1, "mol/m^3": 1, M: 1000, mM: 1, "mol/L": 1000, "mol/cm3": 1e6 },
  diffusivity: { "m2/s": 1, "m^2/s": 1, "cm2/s": 1e-4, "cm^2/s": 1e-4, "um2/s": 1e-12, "nm2/s": 1e-18 },
  capacitance: { F: 1, mF: 1e-3, uF: 1e-6, µF: 1e-6, nF: 1e-9, pF: 1e-12 },
  resistance: { Ohm: 1, ohm: 1, Ω: 1, kOhm: 1e3, kohm: 1e3, kΩ: 1e3, MOhm: 1e6, mOhm: 1e-3, mΩ: 1e-3 },
  frequency: { Hz: 1, kHz: 1e3, MHz: 1e6, mHz: 1e-3, uHz: 1e-6, µHz: 1e-6 },
  temperature: { K: 1 },
  conductivity: { "S/m": 1, "S/cm": 100, "mS/cm": 0.1 },
  pressure: { Pa: 1, kPa: 1e3, MPa: 1e6, GPa: 1e9 },
  energyPerArea: { "J/m2": 1, "J/m^2": 1, "N/m": 1, "N/mm": 1e3 },
  charge: { C: 1, mAh: 3.6, Ah: 3600, uAh: 3.6e-3, µAh: 3.6e-3 },
  dimensionless: { "": 1, "%": 0.01 },
};

const NUMBER = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*?)\s*$/;

export interface ParseQuantityOptions {
  /** Unit assumed when none is written; if absent, a bare number is an error. */
  defaultUnit?: string;
  /** Name shown in errors (e.g. `--radius`). */
  field?: string;
  /** Accept only values > 0. */
  positive?: boolean;
}

/** Parse `text` as a quantity of `dimension`; returns the SI value. Throws InputError. */
export function parseQuantity(
  text: string,
  dimension: Dimension,
  options: ParseQuantityOptions = {},
): number {
  const field = options.field;
  const m = NUMBER.exec(text);
  if (!m) {
    throw new InputError(`cannot read a number from "${text}"`, {
      field,
      value: text,
      expected: unitHint(dimension),
    });
  }
  const number = Number(m[1]);
  let unit = m[2];
  if (dimension === "temperature" && /^(°C|C|degC)$/.test(unit)) {
    return check(number + 273.15, text, options, dimension);
  }
  if (unit === "") {
    if (options.defaultUnit === undefined && dimension !== "dimensionless") {
      throw new InputError(`"${text}" has no unit`, { field, value: text, expected: unitHint(dimension) });
    }
    unit = options.defaultUnit ?? "";
  }
  const table = UNITS[dimension];
  let factor = table[unit];
  if (factor === undefined) {
    const lower = unit.toLowerCase();
    const key = Object.keys(table).find((k) => k.toLowerCase() === lower);
    if (key !== undefined && isUnambiguous(table, lower)) factor = table[key];
  }
  if (factor === undefined) {
    throw new InputError(`unknown unit "${unit}"`, { field, value: text, expected: unitHint(dimension) });
  }
  return check(number * factor, text, options, dimension);
}

function isUnambiguous(table: Record<string, number>, lower: string): boolean {
  return Object.keys(table).filter((k) => k.toLowerCase() === lower).length === 1;
}

function check(value: number, text: string, options: ParseQuantityOptions, dimension: Dimension): number {
  if (!Number.isFinite(value)) {
    throw new InputError(`"${text}" is not finite`, {
      field: options.field,
      value: text,
      expected: unitHint(dimension),
    });
  }
  if (options.positive && !(value > 0)) {
    throw new InputError(`"${text}" must be positive`, {
      field: options.field,
      value: text,
      expected: `a positive ${dimension} ${unitHint(dimension)}`,
    });
  }
  return value;
}

/** Human hint listing the units accepted for a dimension. */
export function unitHint(dimension: Dimension): string {
  const names = Object.keys(UNITS[dimension]).filter((k) => k !== "");
  return `a number with a unit, one of ${names.slice(0, 8).join(", ")}`;
}

/**
 * Parse a C-rate: `C/20`, `2C`, `0.5 C`, `1C`. Returns the rate in 1/h (C/20 → 0.05).
 */
export function parseCRate(text: string, field?: string): number {
  const t = text.trim();
  let m = /^C\s*\/\s*(\d+(?:\.\d+)?)$/i.exec(t);
  if (m) {
    const d = Number(m[1]);
    if (d > 0) return 1 / d;
  }
  m = /^(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*C$/i.exec(t);
  if (m && Number(m[1]) > 0) return Number(m[1]);
  throw new InputError(`cannot read C-rate "${text}"`, {
    field,
    value: text,
    expected: 'a C-rate such as "C/20", "1C" or "0.5C"',
  });
}

/** Format an SI value with a chosen display unit, e.g. formatQuantity(1.325e-5, "um") → "13.25 um". */
export function formatQuantity(valueSI: number, unit: string, dimension: Dimension, digits = 4): string {
  const factor = UNITS[dimension][unit];
  if (factor === undefined) throw new Error(`unknown unit ${unit} for ${dimension}`);
  return `${Number((valueSI / factor).toPrecision(digits))} ${unit}`;
}
