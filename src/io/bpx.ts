/**
 * BPX 1.x export of fitted positive-electrode functions (pure: objects in, objects out).
 *
 * BPX (Battery Parameter eXchange, FaradayInstitution/BPX, MIT) is a JSON format whose
 * validator is a set of pydantic models (`bpx/schema.py`, v1.1.1). Every object there forbids
 * unknown keys; `Header.BPX` is a version string; `Header.Model` is "SPM", "SPMe", "DFN" or
 * "Partial" and selects which `Parameterisation` class must validate:
 *  - SPMe/DFN: Cell, Electrolyte, Negative electrode, Positive electrode, Separator (all required);
 *  - SPM: Cell, Negative electrode, Positive electrode (electrodes without porosity/conductivity);
 *  - Partial: every section optional, but a section that is present must be complete.
 * A single-particle study determines only the particle-level functions of the positive electrode
 * (radius, D(x), j0(x), OCP(x)); the cell-level values (electrode area, thicknesses, negative
 * electrode, electrolyte, …) are not measured. Hence two documents:
 *  - without user input: a valid "Partial" document holding our values in its "User-defined"
 *    section (tables {x, y} against the Li fraction x);
 *  - with a template (from `bpxTemplate`, the missing values marked "REQUIRED: …" and filled in
 *    by the user): a complete SPM/SPMe/DFN document with our positive-electrode values put in.
 *
 * BPX has no exchange-current-density field: it stores a reaction rate constant k
 * [mol m⁻² s⁻¹] with j0 = F·k·√((c_e/c_e0)·x·(1 − x)), x = c_s/c_s,max (the definition stated in
 * PyBaMM's BPX importer, pybamm/parameters/bpx.py). At c_e = c_e0, k(x) = j0(x)/(F·√(x(1−x)));
 * we export the geometric mean of k over the table (a least-squares fit of ln k) and keep the
 * measured j0(x) table in "User-defined".
 *
 * `checkBpx` re-checks a document against the same rules (required keys per model, no unknown
 * keys, tables with x and y of equal length, no "REQUIRED" marker left, finite numbers); the
 * test suite validates the output with a JSON-schema validator against the schema fixture.
 */
import { FARADAY } from "../constants.js";
import { InputError } from "../errors.js";

/** BPX version written into `Header.BPX`. */
export const BPX_VERSION = "1.1.1";
/** Prefix of the placeholder strings in a template that the user must replace. */
export const BPX_REQUIRED_MARK = "REQUIRED";

/** A BPX interpolated table: y(x), equal lengths. */
export interface BpxTable {
  x: number[];
  y: number[];
}

export type BpxModel = "SPM" | "SPMe" | "DFN" | "Partial";

/** Positive-electrode results of a study (SI units; x is the Li fraction). */
export interface BpxParticleData {
  title: string;
  description: string;
  references?: string;
  /** Particle radius [m]. */
  particleRadius: number;
  /** Maximum Li concentration in the active material [mol/m³], when known. */
  maxConcentration?: number;
  /** Exchange-current density j0(x) [A/m²]. */
  exchangeCurrentDensity: BpxTable;
  /** Solid diffusivity D(x) [m²/s]. */
  diffusivity: BpxTable;
  /** Open-circuit potential U(x) [V] (relaxed OCVs). */
  ocp?: BpxTable;
  /** Further User-defined entries (numbers or tables), e.g. Biot numbers. */
  extra?: Record<string, number | BpxTable>;
}

export interface BpxExport {
  document: Record<string, unknown>;
  model: BpxModel;
  /** What was filled from where, and what a user should know. */
  notes: string[];
}

type Json = Record<string, unknown>;

// ---------------------------------------------------------------- schema knowledge (BPX 1.1.1)

const CELL_REQ = [
  "Electrode area [m2]",
  "Number of electrode pairs connected in parallel to make a cell",
  "Lower voltage cut-off [V]",
  "Upper voltage cut-off [V]",
  "Nominal cell capacity [A.h]",
];
const CELL_OPT = [
  "External surface area [m2]",
  "Volume [m3]",
  "Reference temperature [K]",
  "Density [kg.m-3]",
  "Specific heat capacity [J.K-1.kg-1]",
];
const ELECTROLYTE_REQ = ["Cation transference number", "Diffusivity [m2.s-1]", "Conductivity [S.m-1]"];
const ELECTROLYTE_OPT = [
  "Diffusivity activation energy [J.mol-1]",
  "Conductivity activation energy [J.mol-1]",
];
const PARTICLE_REQ = [
  "Minimum stoichiometry",
  "Maximum stoichiometry",
  "Maximum concentration [mol.m-3]",
  "Particle radius [m]",
  "Surface area per unit volume [m-1]",
  "Diffusivity [m2.s-1]",
  "OCP [V]",
  "Reaction rate constant [mol.m-2.s-1]",
];
const PARTICLE_OPT = [
  "Diffusivity activation energy [J.mol-1]",
  "OCP (delithiation) [V]",
  "OCP (lithiation) [V]",
  "OCP hysteresis decay constant",
  "Entropic change coefficient [V.K-1]",
  "Reaction rate constant activation energy [J.mol-1]",
];
const CONTACT_REQ = ["Thickness [m]", "Porosity", "Transport efficiency"];
const ELECTRODE_FULL_REQ = [...CONTACT_REQ, "Conductivity [S.m-1]"];
/** Keys whose value may be a number, an expression string or a table (FloatFunctionTable). */
const FUNCTION_KEYS = new Set([
  "Diffusivity [m2.s-1]",
  "Conductivity [S.m-1]",
  "OCP [V]",
  "OCP (delithiation) [V]",
  "OCP (lithiation) [V]",
  "Entropic change coefficient [V.K-1]",
]);
const INTEGER_KEYS = new Set(["Number of electrode pairs connected in parallel to make a cell"]);

const SECTIONS_BY_MODEL: Record<Exclude<BpxModel, "Partial">, string[]> = {
  SPM: ["Cell", "Negative electrode", "Positive electrode"],
  SPMe: ["Cell", "Electrolyte", "Negative electrode", "Positive electrode", "Separator"],
  DFN: ["Cell", "Electrolyte", "Negative electrode", "Positive electrode", "Separator"],
};

// ---------------------------------------------------------------- helpers

function checkTable(t: BpxTable, field: string): void {
  if (t.x.length !== t.y.length || t.x.length < 1) {
    throw new InputError("BPX table needs x and y of the same non-zero length", {
      field,
      value: `x: ${t.x.length}, y: ${t.y.length}`,
      expected: "equal lengths ≥ 1",
    });
  }
  for (let i = 0; i < t.x.length; i++) {
    if (!Number.isFinite(t.x[i]) || !Number.isFinite(t.y[i])) {
      throw new InputError("BPX table holds a non-finite value", {
        field: `${field}[${i}]`,
        value: `x ${t.x[i]}, y ${t.y[i]}`,
        expected: "finite numbers",
      });
    }
  }
}

/** Table sorted by x with plain arrays (BPX tables are interpolated in x). */
function sortedTable(t: BpxTable, field: string): BpxTable {
  checkTable(t, field);
  const idx = t.x.map((_, i) => i).sort((a, b) => t.x[a] - t.x[b]);
  return { x: idx.map((i) => t.x[i]), y: idx.map((i) => t.y[i]) };
}

/**
 * BPX reaction rate constant from a j0(x) table: k = geometric mean over the table of
 * j0/(F·√(x(1−x))) [mol m⁻² s⁻¹] (BPX/PyBaMM: j0 = F·k·√((c_e/c_e0)·x(1−x)), c_e = c_e0).
 * Entries with x outside (0, 1) or j0 ≤ 0 are not used; none left → InputError.
 */
export function reactionRateConstantFromJ0(j0: BpxTable): { k: number; used: number; spreadFactor: number } {
  checkTable(j0, "exchange-current density");
  const logs: number[] = [];
  for (let i = 0; i < j0.x.length; i++) {
    const x = j0.x[i];
    if (x > 0 && x < 1 && j0.y[i] > 0) logs.push(Math.log(j0.y[i] / (FARADAY * Math.sqrt(x * (1 - x)))));
  }
  if (logs.length === 0) {
    throw new InputError("no j0 value with 0 < x < 1 and j0 > 0 to derive a BPX reaction rate constant", {
      field: "exchange-current density",
      expected: "at least one positive j0 at a Li fraction strictly between 0 and 1",
    });
  }
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, logs.length - 1));
  return { k: Math.exp(mean), used: logs.length, spreadFactor: Math.exp(sd) };
}

function isPlainObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function round(x: number): number {
  return Number(x.toPrecision(12));
}

function tableJson(t: BpxTable): BpxTable {
  return { x: t.x.map(round), y: t.y.map(round) };
}

/** The positive-electrode values a study determines, under their BPX particle keys. */
function particleValues(d: BpxParticleData): { values: Json; notes: string[] } {
  const notes: string[] = [];
  const D = sortedTable(d.diffusivity, "diffusivity");
  const j0 = sortedTable(d.exchangeCurrentDensity, "exchange-current density");
  const k = reactionRateConstantFromJ0(j0);
  notes.push(
    `Reaction rate constant k = ${k.k.toExponential(4)} mol/m²/s: geometric mean of j0/(F·√(x(1−x))) over ${k.used} points (spread ×${k.spreadFactor.toPrecision(3)}); the measured j0(x) table is in User-defined`,
  );
  const values: Json = {
    "Particle radius [m]": round(d.particleRadius),
    "Diffusivity [m2.s-1]": tableJson(D),
    "Reaction rate constant [mol.m-2.s-1]": round(k.k),
  };
  if (d.ocp) values["OCP [V]"] = tableJson(sortedTable(d.ocp, "OCP"));
  if (d.maxConcentration !== undefined) values["Maximum concentration [mol.m-3]"] = round(d.maxConcentration);
  return { values, notes };
}

function userDefined(d: BpxParticleData, partialValues?: Json): Json {
  const u: Json = {
    description:
      "cathodelab: positive-electrode particle functions against the Li fraction x (tables {x, y}); j0 is the exchange-current density from the charge-transfer resistance",
    "Positive electrode exchange-current density [A.m-2]": tableJson(
      sortedTable(d.exchangeCurrentDensity, "exchange-current density"),
    ),
  };
  if (partialValues) {
    for (const [key, v] of Object.entries(partialValues)) u[`Positive electrode ${lowerFirst(key)}`] = v;
  }
  for (const [key, v] of Object.entries(d.extra ?? {})) {
    u[key] = typeof v === "number" ? round(v) : tableJson(sortedTable(v, key));
  }
  return u;
}

function lowerFirst(key: string): string {
  return key.startsWith("OCP") ? key : key[0].toLowerCase() + key.slice(1);
}

function header(d: BpxParticleData, model: BpxModel, base?: Json): Json {
  const h: Json = {
    BPX: BPX_VERSION,
    Title: typeof base?.Title === "string" ? base.Title : d.title,
    Description: typeof base?.Description === "string" ? base.Description : d.description,
  };
  const refs = typeof base?.References === "string" ? base.References : d.references;
  if (refs) h.References = refs;
  h.Model = model;
  return h;
}

// ---------------------------------------------------------------- public API

/**
 * A valid BPX "Partial" document: Header + Parameterisation.User-defined with our tables and
 * values ("Positive electrode diffusivity [m2.s-1]", "… exchange-current density [A.m-2]",
 * "… OCP [V]", "… particle radius [m]", "… reaction rate constant [mol.m-2.s-1]").
 */
export function bpxPartial(d: BpxParticleData): BpxExport {
  const { values, notes } = particleValues(d);
  const document: Json = {
    Header: header(d, "Partial"),
    Parameterisation: { "User-defined": userDefined(d, values) },
  };
  notes.push(
    "Partial document: the cell-level values (electrode thickness, surface area per volume, negative electrode, electrolyte, separator, cell) are not determined by a particle study; fill in the template and pass it back for a complete SPMe/DFN document",
  );
  checkBpx(document);
  return { document, model: "Partial", notes };
}

function marker(what: string): string {
  return `${BPX_REQUIRED_MARK}: ${what}`;
}

function particleTemplate(side: "negative" | "positive", full: boolean): Json {
  const p: Json = {};
  for (const key of full ? ELECTRODE_FULL_REQ : ["Thickness [m]"])
    p[key] = marker(`${side} electrode ${key}`);
  for (const key of PARTICLE_REQ) p[key] = marker(`${side} electrode ${key}`);
  return p;
}

/**
 * A template for a complete document of `model` ("SPMe"/"DFN" need Electrolyte and Separator,
 * "SPM" not): every value a particle study cannot supply is a string "REQUIRED: …"; the
 * positive-electrode values the study determines are filled in. Replace each marker (numbers,
 * expression strings in x, or tables {x, y}) and pass the file back to `bpxComplete`.
 */
export function bpxTemplate(d: BpxParticleData, model: Exclude<BpxModel, "Partial"> = "DFN"): Json {
  const full = model !== "SPM";
  const { values } = particleValues(d);
  const param: Json = { Cell: Object.fromEntries(CELL_REQ.map((k) => [k, marker(`cell ${k}`)])) };
  if (full)
    param.Electrolyte = Object.fromEntries(ELECTROLYTE_REQ.map((k) => [k, marker(`electrolyte ${k}`)]));
  param["Negative electrode"] = particleTemplate("negative", full);
  param["Positive electrode"] = { ...particleTemplate("positive", full), ...values };
  if (full) param.Separator = Object.fromEntries(CONTACT_REQ.map((k) => [k, marker(`separator ${k}`)]));
  param["User-defined"] = userDefined(d);
  return { Header: header(d, model), Parameterisation: param };
}

/**
 * Complete SPM/SPMe/DFN document: the user's filled-in template (`template`, read from `file`)
 * with our positive-electrode values put in (they replace what the template holds for radius,
 * D, k, OCP and c_max, and the User-defined j0 table). Any "REQUIRED" marker left, a missing
 * or unknown key, or a bad table → InputError naming the file and the JSON path.
 */
export function bpxComplete(d: BpxParticleData, template: unknown, file = "BPX template"): BpxExport {
  if (
    !isPlainObject(template) ||
    !isPlainObject(template.Header) ||
    !isPlainObject(template.Parameterisation)
  ) {
    throw new InputError("not a BPX template", {
      file,
      expected: 'a JSON object with "Header" and "Parameterisation" (see parameters.bpx-template.json)',
    });
  }
  const model = template.Header.Model;
  if (model !== "SPM" && model !== "SPMe" && model !== "DFN") {
    throw new InputError("BPX template model must be a complete model", {
      file,
      field: "Header.Model",
      value: String(model),
      expected: '"SPM", "SPMe" or "DFN"',
    });
  }
  const { values, notes } = particleValues(d);
  const param = structuredClone(template.Parameterisation) as Json;
  const pos = param["Positive electrode"];
  if (!isPlainObject(pos)) {
    throw new InputError("BPX template has no positive electrode", {
      file,
      field: "Parameterisation.Positive electrode",
      expected: "an object",
    });
  }
  if (isPlainObject(pos.Particle)) {
    throw new InputError("blended positive electrodes are not supported by this export", {
      file,
      field: "Parameterisation.Positive electrode.Particle",
      expected: "a single-material positive electrode",
    });
  }
  for (const [key, v] of Object.entries(values)) {
    if (key === "Maximum concentration [mol.m-3]" && typeof pos[key] === "number") continue;
    pos[key] = v;
  }
  const ud = isPlainObject(param["User-defined"]) ? param["User-defined"] : {};
  param["User-defined"] = { ...ud, ...userDefined(d) };
  const document: Json = { Header: header(d, model, template.Header), Parameterisation: param };
  for (const extraKey of ["State", "Validation"]) {
    if (template[extraKey] !== undefined) document[extraKey] = structuredClone(template[extraKey]);
  }
  checkBpx(document, file);
  notes.push(`Complete ${model} document from the template ${file}`);
  return { document, model, notes };
}

// ---------------------------------------------------------------- checker

function fail(
  file: string | undefined,
  path: string,
  message: string,
  expected: string,
  value?: string,
): never {
  throw new InputError(message, { file, field: path, expected, value });
}

function checkValue(v: unknown, key: string, path: string, file?: string): void {
  if (typeof v === "string" && v.startsWith(BPX_REQUIRED_MARK)) {
    fail(
      file,
      path,
      "template value not filled in",
      "a number (or an expression / table where BPX allows one)",
      v,
    );
  }
  if (typeof v === "number") {
    if (!Number.isFinite(v)) fail(file, path, "non-finite number", "a finite number");
    if (INTEGER_KEYS.has(key) && !Number.isInteger(v))
      fail(file, path, "not an integer", "an integer", String(v));
    return;
  }
  if (FUNCTION_KEYS.has(key)) {
    if (typeof v === "string" && v.trim().length > 0) return;
    if (isPlainObject(v) && Array.isArray(v.x) && Array.isArray(v.y)) {
      checkTable({ x: v.x as number[], y: v.y as number[] }, path);
      return;
    }
    fail(file, path, "bad BPX function value", "a number, an expression in x, or a table {x, y}");
  }
  fail(file, path, "bad BPX value", "a number", typeof v === "string" ? v : JSON.stringify(v));
}

function checkObject(o: unknown, req: string[], opt: string[], path: string, file?: string): Json {
  if (!isPlainObject(o)) fail(file, path, "missing or not an object", "a JSON object");
  for (const k of req) if (!(k in o)) fail(file, `${path}.${k}`, "required BPX field missing", "a value");
  const allowed = new Set([...req, ...opt]);
  for (const [k, v] of Object.entries(o)) {
    if (!allowed.has(k))
      fail(file, `${path}.${k}`, "field not in the BPX schema", `one of: ${[...allowed].join(", ")}`);
    checkValue(v, k, `${path}.${k}`, file);
  }
  return o;
}

function checkElectrode(o: unknown, full: boolean, path: string, file?: string): void {
  if (!isPlainObject(o)) fail(file, path, "missing or not an object", "a JSON object");
  const contact = full ? ELECTRODE_FULL_REQ : ["Thickness [m]"];
  if (isPlainObject(o.Particle)) {
    const { Particle, ...rest } = o;
    checkObject(rest, contact, [], path, file);
    for (const [name, p] of Object.entries(Particle)) {
      checkObject(p, PARTICLE_REQ, PARTICLE_OPT, `${path}.Particle.${name}`, file);
    }
    return;
  }
  checkObject(o, [...contact, ...PARTICLE_REQ], PARTICLE_OPT, path, file);
}

function checkUserDefined(o: unknown, path: string, file?: string): void {
  if (!isPlainObject(o)) fail(file, path, "not an object", "a JSON object");
  for (const [k, v] of Object.entries(o)) {
    const p = `${path}.${k}`;
    if (k === "description") {
      if (typeof v !== "string") fail(file, p, "description must be text", "a string");
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) fail(file, p, "non-finite number", "a finite number");
    } else if (typeof v === "string") {
      if (v.startsWith(BPX_REQUIRED_MARK))
        fail(file, p, "template value not filled in", "a number or expression", v);
    } else if (isPlainObject(v) && Array.isArray(v.x) && Array.isArray(v.y)) {
      checkTable({ x: v.x as number[], y: v.y as number[] }, p);
    } else if (isPlainObject(v)) {
      checkUserDefined(v, p, file);
    } else {
      fail(file, p, "bad User-defined value", "a number, an expression string, a table {x, y} or an object");
    }
  }
}

/**
 * Check a BPX 1.1.1 document (the rules of the pydantic models in FaradayInstitution/BPX
 * bpx/schema.py, except the optional State/Validation contents, which are only checked for
 * being objects). Throws InputError naming `file` and the JSON path of the first problem.
 */
export function checkBpx(doc: unknown, file?: string): void {
  if (!isPlainObject(doc)) fail(file, "(document)", "not a JSON object", "a BPX document");
  for (const k of Object.keys(doc)) {
    if (!["Header", "Parameterisation", "State", "Validation"].includes(k))
      fail(file, k, "top-level key not in the BPX schema", "Header, Parameterisation, State, Validation");
  }
  const h = doc.Header;
  if (!isPlainObject(h)) fail(file, "Header", "missing or not an object", "a JSON object");
  for (const k of Object.keys(h)) {
    if (!["BPX", "Title", "Description", "References", "Model"].includes(k))
      fail(file, `Header.${k}`, "field not in the BPX schema", "BPX, Title, Description, References, Model");
  }
  if (typeof h.BPX !== "string" || !/^\d+\.\d+(?:\.\d+)?$/.test(h.BPX))
    fail(file, "Header.BPX", "bad BPX version", 'a version string such as "1.1.1"', String(h.BPX));
  for (const k of ["Title", "Description", "References"]) {
    if (h[k] !== undefined && typeof h[k] !== "string") fail(file, `Header.${k}`, "must be text", "a string");
  }
  const model = h.Model;
  if (model !== "SPM" && model !== "SPMe" && model !== "DFN" && model !== "Partial")
    fail(file, "Header.Model", "bad BPX model", '"SPM", "SPMe", "DFN" or "Partial"', String(model));
  const p = doc.Parameterisation;
  if (!isPlainObject(p)) fail(file, "Parameterisation", "missing or not an object", "a JSON object");
  const all = [
    "Cell",
    "Electrolyte",
    "Negative electrode",
    "Positive electrode",
    "Separator",
    "User-defined",
  ];
  const allowed = model === "Partial" ? all : [...SECTIONS_BY_MODEL[model], "User-defined"];
  for (const k of Object.keys(p)) {
    if (!allowed.includes(k))
      fail(file, `Parameterisation.${k}`, `section not allowed for Model "${model}"`, allowed.join(", "));
  }
  if (model !== "Partial") {
    for (const k of SECTIONS_BY_MODEL[model])
      if (!(k in p))
        fail(file, `Parameterisation.${k}`, `section required for Model "${model}"`, "a JSON object");
  }
  const full = model === "SPMe" || model === "DFN";
  if (p.Cell !== undefined) checkObject(p.Cell, CELL_REQ, CELL_OPT, "Parameterisation.Cell", file);
  if (p.Electrolyte !== undefined)
    checkObject(p.Electrolyte, ELECTROLYTE_REQ, ELECTROLYTE_OPT, "Parameterisation.Electrolyte", file);
  if (p.Separator !== undefined)
    checkObject(p.Separator, CONTACT_REQ, [], "Parameterisation.Separator", file);
  for (const side of ["Negative electrode", "Positive electrode"]) {
    const e = p[side];
    if (e === undefined) continue;
    // Partial: BPX picks the full electrode class when a conductivity is given, else the SPM one
    const isFull = model === "Partial" ? isPlainObject(e) && "Conductivity [S.m-1]" in e : full;
    checkElectrode(e, isFull, `Parameterisation.${side}`, file);
  }
  if (p["User-defined"] !== undefined)
    checkUserDefined(p["User-defined"], "Parameterisation.User-defined", file);
  if (doc.State !== undefined && !isPlainObject(doc.State))
    fail(file, "State", "not an object", "a JSON object");
  if (doc.Validation !== undefined && !isPlainObject(doc.Validation))
    fail(file, "Validation", "not an object", "a JSON object");
}
