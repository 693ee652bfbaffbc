/**
 * BPX export: every document we write validates against the BPX 1.1.1 JSON schema
 * (test/fixtures/bpx/bpx-1.1.1.schema.json, translated from FaradayInstitution/BPX bpx/schema.py,
 * see SOURCE.md there) with ajv, and our own checker `checkBpx` agrees with ajv.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import Ajv2020 from "ajv/dist/2020.js";
import { FARADAY } from "../../src/constants.js";
import { InputError } from "../../src/errors.js";
import {
  BPX_VERSION,
  type BpxParticleData,
  bpxComplete,
  bpxPartial,
  bpxTemplate,
  checkBpx,
  reactionRateConstantFromJ0,
} from "../../src/io/bpx.js";
import { runCli, tempDir } from "../helpers/cli.js";

const FIX = new URL("../fixtures/bpx/", import.meta.url);
const fixture = (name: string) => JSON.parse(readFileSync(new URL(name, FIX), "utf8"));
const ajv = new Ajv2020.default({ allErrors: true });
const validate = ajv.compile(fixture("bpx-1.1.1.schema.json"));

function schemaErrors(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

function ours(doc: unknown): string | undefined {
  try {
    checkBpx(doc);
    return undefined;
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return e.message;
  }
}

/** Replace each "REQUIRED: …" marker in `target` by the value of the same key in `source`. */
function fillMarkers(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(target)) {
    if (typeof v === "string" && v.startsWith("REQUIRED")) {
      assert.ok(k in source, k);
      target[k] = source[k];
    }
  }
}

const K0 = 3.2e-11; // mol m⁻² s⁻¹
const xs = [0.35, 0.45, 0.55, 0.65, 0.75, 0.85];
const DATA: BpxParticleData = {
  title: "test",
  description: "synthetic particle",
  particleRadius: 5.22e-6,
  maxConcentration: 49_000,
  // j0 = F·k·√(x(1−x)) exactly (BPX definition at c_e = c_e0)
  exchangeCurrentDensity: { x: xs, y: xs.map((x) => FARADAY * K0 * Math.sqrt(x * (1 - x))) },
  diffusivity: { x: [...xs].reverse(), y: xs.map((x) => 1e-14 * (1 + x)) },
  ocp: { x: xs, y: xs.map((x) => 4.3 - x) },
  extra: { "Positive electrode Biot number": { x: xs, y: xs.map(() => 2) } },
};

test("bpx: the schema fixture accepts BPX's own v1 test documents (DFN, SPM) and our checker agrees", () => {
  for (const name of ["upstream-base.json", "upstream-base-spm.json", "upstream-base-non-blended.json"]) {
    const doc = fixture(name);
    assert.deepEqual(schemaErrors(doc), [], name);
    assert.equal(ours(doc), undefined, name);
  }
});

test("bpx: the old study export (BPX 0.4 as a number, SPM without Cell/negative electrode) is rejected", () => {
  const old = {
    Header: { BPX: 0.4, Title: "t", Description: "d", Model: "SPM" },
    Parameterisation: {
      "Positive electrode": {
        "Particle radius [m]": 1e-5,
        "Exchange-current density [A.m-2]": { x: [0.5], y: [1] },
        "Diffusivity [m2.s-1]": { x: [0.5], y: [1e-14] },
      },
    },
  };
  const errs = schemaErrors(old);
  assert.ok(
    errs.some((e) => e.startsWith("/Header/BPX must be string")),
    errs.join("\n"),
  );
  assert.ok(
    errs.some((e) => /must have required property 'Cell'/.test(e)),
    errs.join("\n"),
  );
  assert.match(ours(old) ?? "", /Header\.BPX/);
});

test("bpx: k from j0 tables — exact for j0 = F·k·√(x(1−x)), geometric mean otherwise", () => {
  const r = reactionRateConstantFromJ0(DATA.exchangeCurrentDensity);
  assert.ok(Math.abs(r.k / K0 - 1) < 1e-12, String(r.k));
  assert.equal(r.used, 6);
  assert.ok(Math.abs(r.spreadFactor - 1) < 1e-9);
  // two points with k = 1e-11 and 4e-11 → geometric mean 2e-11; x = 0 and j0 ≤ 0 are not used
  const g = reactionRateConstantFromJ0({
    x: [0.5, 0.5, 0, 0.3],
    y: [FARADAY * 1e-11 * 0.5, FARADAY * 4e-11 * 0.5, 5, -1],
  });
  assert.ok(Math.abs(g.k / 2e-11 - 1) < 1e-12);
  assert.equal(g.used, 2);
  assert.throws(() => reactionRateConstantFromJ0({ x: [0, 1], y: [1, 1] }), InputError);
});

test("bpx: the Partial document validates and holds sorted tables in User-defined", () => {
  const r = bpxPartial(DATA);
  assert.equal(r.model, "Partial");
  assert.deepEqual(schemaErrors(r.document), []);
  const header = r.document.Header as Record<string, unknown>;
  assert.equal(header.BPX, BPX_VERSION);
  const ud = (r.document.Parameterisation as Record<string, Record<string, unknown>>)["User-defined"];
  const D = ud["Positive electrode diffusivity [m2.s-1]"] as { x: number[]; y: number[] };
  assert.deepEqual(D.x, xs); // sorted ascending
  assert.ok(Math.abs(D.y[0] - 1e-14 * (1 + 0.85)) < 1e-26); // y follows its x when sorting
  assert.ok(
    Math.abs((ud["Positive electrode reaction rate constant [mol.m-2.s-1]"] as number) / K0 - 1) < 1e-11,
  );
  assert.equal(ud["Positive electrode particle radius [m]"], 5.22e-6);
  assert.ok(r.notes.some((n) => /template/.test(n)));
});

test("bpx: template → filled in → complete DFN and SPM documents that validate", () => {
  const tpl = bpxTemplate(DATA, "DFN");
  // the template itself is not valid: every REQUIRED marker is a string where a number is needed
  assert.ok(schemaErrors(tpl).length > 0);
  assert.match(ours(tpl) ?? "", /template value not filled in/);
  // fill it with the cell of BPX's own DFN test document
  const base = fixture("upstream-base.json");
  const filled = structuredClone(tpl) as Record<string, Record<string, Record<string, unknown>>>;
  const P = filled.Parameterisation;
  for (const sec of ["Cell", "Electrolyte", "Separator", "Negative electrode"])
    P[sec] = base.Parameterisation[sec];
  // BPX's DFN test document has a blended positive electrode: take the stand-in values for the
  // remaining positive-electrode markers from its (single-material) negative electrode
  fillMarkers(P["Positive electrode"], base.Parameterisation["Negative electrode"]);
  const r = bpxComplete(DATA, filled, "filled.json");
  assert.equal(r.model, "DFN");
  assert.deepEqual(schemaErrors(r.document), []);
  const pos = (r.document.Parameterisation as Record<string, Record<string, unknown>>)["Positive electrode"];
  assert.equal(pos["Particle radius [m]"], 5.22e-6);
  assert.equal(pos["Maximum concentration [mol.m-3]"], 49_000);
  assert.ok(Math.abs((pos["Reaction rate constant [mol.m-2.s-1]"] as number) / K0 - 1) < 1e-11);
  assert.deepEqual((pos["OCP [V]"] as { x: number[] }).x, xs);

  // SPM: no electrolyte/separator, electrodes without porosity/conductivity
  const spmTpl = bpxTemplate(DATA, "SPM") as Record<string, Record<string, Record<string, unknown>>>;
  const spmBase = fixture("upstream-base-non-blended.json");
  spmTpl.Parameterisation.Cell = spmBase.Parameterisation.Cell;
  spmTpl.Parameterisation["Negative electrode"] = spmBase.Parameterisation["Negative electrode"];
  for (const [k, v] of Object.entries(spmTpl.Parameterisation["Positive electrode"])) {
    if (typeof v === "string" && v.startsWith("REQUIRED"))
      spmTpl.Parameterisation["Positive electrode"][k] = spmBase.Parameterisation["Positive electrode"][k];
  }
  const spm = bpxComplete(DATA, spmTpl, "spm.json");
  assert.equal(spm.model, "SPM");
  assert.deepEqual(schemaErrors(spm.document), []);
});

test("bpx: an unfilled marker, a missing field or a bad model is an InputError with file and path", () => {
  const tpl = bpxTemplate(DATA, "SPMe");
  assert.throws(
    () => bpxComplete(DATA, tpl, "t.json"),
    (e: unknown) =>
      e instanceof InputError &&
      e.file === "t.json" &&
      /Parameterisation\.Cell\.Electrode area/.test(e.message),
  );
  assert.throws(
    () => bpxComplete(DATA, { Header: { Model: "Partial" }, Parameterisation: {} }, "p.json"),
    (e: unknown) => e instanceof InputError && /Header\.Model/.test(e.message),
  );
  assert.throws(() => bpxComplete(DATA, [1, 2], "a.json"), /not a BPX template/);
});

test("bpx: checkBpx and the JSON schema agree on mutated documents", () => {
  const base = fixture("upstream-base.json");
  const mutations: [string, (d: Record<string, Record<string, Record<string, unknown>>>) => void][] = [
    ["drop Cell.Electrode area", (d) => delete d.Parameterisation.Cell["Electrode area [m2]"]],
    ["unknown Cell key", (d) => (d.Parameterisation.Cell["Thermal conductivity [W.m-1.K-1]"] = 1)],
    ["version as number", (d) => (d.Header.BPX = 1.0 as unknown as Record<string, unknown>)],
    ["bad model", (d) => (d.Header.Model = "P2D" as unknown as Record<string, unknown>)],
    ["DFN without Separator", (d) => delete d.Parameterisation.Separator],
    ["table value not a number", (d) => (d.Parameterisation.Electrolyte["Conductivity [S.m-1]"] = [1, 2])],
    [
      "non-integer electrode pairs",
      (d) =>
        (d.Parameterisation.Cell["Number of electrode pairs connected in parallel to make a cell"] = 1.5),
    ],
    ["unknown top-level key", (d) => (d.Extra = {})],
  ];
  for (const [name, mutate] of mutations) {
    const doc = structuredClone(base);
    mutate(doc);
    assert.ok(schemaErrors(doc).length > 0, `schema accepted: ${name}`);
    assert.ok(ours(doc) !== undefined, `checkBpx accepted: ${name}`);
  }
});

test("bpx: `study --out` writes a valid Partial BPX and a template; --bpx-template gives a valid DFN", async () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.path, "s");
    const r = await runCli(
      "study",
      "--material",
      "NMC333",
      "--radius",
      "5um",
      "--cutoffs",
      "3.9,4.1",
      "--out",
      out,
    );
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(readFileSync(join(out, "parameters.bpx.json"), "utf8"));
    assert.deepEqual(schemaErrors(doc), []);
    assert.equal(doc.Header.Model, "Partial");
    const tpl = JSON.parse(readFileSync(join(out, "parameters.bpx-template.json"), "utf8"));
    const base = fixture("upstream-base.json");
    for (const sec of ["Cell", "Electrolyte", "Separator", "Negative electrode"])
      tpl.Parameterisation[sec] = base.Parameterisation[sec];
    fillMarkers(tpl.Parameterisation["Positive electrode"], base.Parameterisation["Negative electrode"]);
    const tplFile = join(tmp.path, "filled.json");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(tplFile, JSON.stringify(tpl));
    const out2 = join(tmp.path, "s2");
    const r2 = await runCli(
      "study",
      "--material",
      "NMC333",
      "--radius",
      "5um",
      "--cutoffs",
      "3.9,4.1",
      "--bpx-template",
      tplFile,
      "--out",
      out2,
    );
    assert.equal(r2.code, 0, r2.err);
    const full = JSON.parse(readFileSync(join(out2, "parameters.bpx.json"), "utf8"));
    assert.equal(full.Header.Model, "DFN");
    assert.deepEqual(schemaErrors(full), []);
    // a template with a marker left → exit 2
    const bad = join(tmp.path, "bad.json");
    writeFileSync(bad, readFileSync(join(out, "parameters.bpx-template.json")));
    const r3 = await runCli(
      "study",
      "--material",
      "NMC333",
      "--radius",
      "5um",
      "--cutoffs",
      "3.9,4.1",
      "--bpx-template",
      bad,
      "--out",
      join(tmp.path, "s3"),
    );
    assert.equal(r3.code, 2);
    assert.match(r3.err, /bad\.json.*REQUIRED|REQUIRED.*bad\.json|not filled in/s);
  } finally {
    tmp.cleanup();
  }
});
