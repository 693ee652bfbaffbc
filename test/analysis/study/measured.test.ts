/**
 * Measured kinetic study (eis-study): closed-form recovery on synthetic particle spectra, the
 * electrode geometry of PyBOP's Gunther2025 parameters, parsers and bad input, and the whole
 * command on the measured Günther et al. 2025 spectra (test/data, BSD-3 via PyBOP).
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import Ajv2020 from "ajv/dist/2020.js";
import { sphericalParticleImpedance } from "../../../src/analysis/eis/particle.js";
import { biotNumber } from "../../../src/analysis/ratelimit/index.js";
import {
  type AlignmentPoint,
  electrodeFromGeometry,
  type IndexedSpectrum,
  mergeCloseOcvPoints,
  parseIndexedSpectraCsv,
  parseOcvAlignment,
  runMeasuredStudy,
} from "../../../src/analysis/study/measured.js";
import { FARADAY, GAS_CONSTANT, T_REF } from "../../../src/constants.js";
import { InputError } from "../../../src/errors.js";
import { runCli, tempDir } from "../../helpers/cli.js";

const DATA = new URL("../../data/", import.meta.url);
const SPECTRA = new URL("pybop_gunther2025__monolayer_17_microns.csv", DATA).pathname;
const ALIGN = new URL("pybop_gunther2025__impedance_ocv_alignment.json", DATA).pathname;

test("measured: electrode geometry — A = 3·ε_s·L·A_cc/R and c_max = Q/(F·ε_s·L·A_cc) (PyBOP Gunther2025)", () => {
  const e = electrodeFromGeometry({
    particleRadius: 5.22e-6,
    electrodeArea: 2.54469e-4,
    thickness: 17e-6,
    activeFraction: 0.25,
    capacity: 0.7e-3 * 3600,
  });
  // hand values: 3·0.25·17e-6·2.54469e-4/5.22e-6 = 6.21548e-4 m²; 2.52 C/(F·1.08149e-9 m³) = 24149.9 mol/m³
  assert.ok(Math.abs(e.activeArea / 6.215478e-4 - 1) < 1e-6, String(e.activeArea));
  assert.ok(Math.abs(e.maxConcentration / 24149.905 - 1) < 1e-6, String(e.maxConcentration));
  assert.throws(
    () =>
      electrodeFromGeometry({
        particleRadius: 1e-6,
        electrodeArea: 1e-4,
        thickness: 1e-5,
        activeFraction: 2,
        capacity: 1,
      }),
    InputError,
  );
});

test("measured: synthetic particle spectra → j0, D (from τ and from R_D) and B to closed form", () => {
  const R = 5e-6;
  const A = 5e-4; // total active surface [m²]
  const cmax = 30000;
  const dUdx = 0.5; // linear OCV: U = 4.2 − 0.5·x → dU/dc = 0.5/c_max
  const truth = [
    { index: 1, x: 0.8, j0: 0.2, D: 2e-15 },
    { index: 3, x: 0.6, j0: 0.5, D: 1e-14 },
    { index: 5, x: 0.4, j0: 0.8, D: 4e-14 },
  ];
  const frequency = Float64Array.from({ length: 70 }, (_, i) => 10 ** (-4 + (6 * i) / 69));
  const spectra: IndexedSpectrum[] = truth.map((t) => {
    const rct = (GAS_CONSTANT * T_REF) / (FARADAY * A * t.j0);
    const z = sphericalParticleImpedance(frequency, {
      seriesResistance: 12,
      chargeTransferResistance: rct,
      doubleLayerCapacitance: 3e-4,
      doubleLayerAlpha: 0.92,
      dUdc: dUdx / cmax,
      radius: R,
      area: A,
      diffusivity: t.D,
    });
    return { index: t.index, frequency, zReal: z.re, zImag: z.im };
  });
  const alignment: AlignmentPoint[] = [0.2, 0.4, 0.6, 0.8, 0.9].map((x, i) => ({
    index: [9, 5, 3, 1, 7][i],
    soc: x,
    ocv: 4.2 - dUdx * x,
  }));
  const r = runMeasuredStudy(spectra, alignment, {
    particleRadius: R,
    activeArea: A,
    maxConcentration: cmax,
  });
  assert.equal(r.points.length, 3);
  assert.deepEqual(r.unmatched.alignment, [9, 7]);
  for (const [k, t] of truth.entries()) {
    const p = r.points[k];
    const rel = (a: number, b: number) => Math.abs(a / b - 1);
    assert.ok(p.fit.rmsRelative < 1e-6, `fit rms ${p.fit.rmsRelative}`);
    assert.ok(rel(p.dUdx, dUdx) < 1e-9, `dU/dx ${p.dUdx}`);
    assert.ok(rel(p.exchangeCurrentDensity.value, t.j0) < 1e-5, `j0 ${p.exchangeCurrentDensity.value}`);
    assert.ok(rel(p.diffusivity.value, t.D) < 1e-4, `D ${p.diffusivity.value} vs ${t.D}`);
    assert.ok(rel(p.diffusivityFromRd.value, t.D) < 1e-4, `D(R_D) ${p.diffusivityFromRd.value}`);
    const B = biotNumber(R, t.j0, dUdx / cmax, t.D, T_REF);
    assert.ok(rel(p.biot.value, B) < 1e-4, `B ${p.biot.value} vs ${B}`);
    for (const e of [p.exchangeCurrentDensity, p.diffusivity, p.biot])
      assert.ok(e.ci95[0] <= e.value && e.value <= e.ci95[1]);
    assert.ok(p.determined);
    assert.equal(p.phase, "charge"); // odd indices
    // a model spectrum is KK-compliant: lin-KK passes, or (its μ criterion stops at too few RC
    // elements on a developed capacitive diffusion tail) the same test with 2M elements does
    assert.ok(
      p.linkk.pass || (p.linkk.maxResidualDoubleM ?? 1) < p.linkk.threshold,
      `lin-KK ${p.linkk.maxResidual}, 2M ${p.linkk.maxResidualDoubleM}`,
    );
  }
});

test("measured: close OCV points (one step's charge and discharge spectra) are averaged before dU/dx", () => {
  const m = mergeCloseOcvPoints(
    [
      { index: 1, soc: 0.8837, ocv: 3.6216 },
      { index: 2, soc: 0.8833, ocv: 3.6229 },
      { index: 3, soc: 0.7984, ocv: 3.6657 },
    ],
    0.01,
  );
  assert.deepEqual(
    m.x.map((v) => Number(v.toFixed(5))),
    [0.7984, 0.8835],
  );
  assert.deepEqual(
    m.u.map((v) => Number(v.toFixed(5))),
    [3.6657, 3.62225],
  );
});

test("measured: parsers — columns by name, line numbers in errors, alignment key from the file name", () => {
  const s = parseIndexedSpectraCsv(
    "spectrum_index,frequency_Hz,Z_real_Ohm,Z_imag_Ohm,phase\n2,1,3,-1,0\n1,10,2,-0.5,0\n2,0.1,4,-2,0\n",
  );
  assert.deepEqual(
    s.map((x) => x.index),
    [1, 2],
  );
  assert.deepEqual(Array.from(s[1].frequency), [1, 0.1]);
  assert.throws(
    () =>
      parseIndexedSpectraCsv(
        "spectrum_index,frequency_Hz,Z_real_Ohm,Z_imag_Ohm\n1,1,2,-1\n1,abc,2,-1\n",
        "s.csv",
      ),
    (e: unknown) => e instanceof InputError && e.file === "s.csv" && e.line === 3,
  );
  assert.throws(() => parseIndexedSpectraCsv("a,b,c\n1,2,3\n", "s.csv"), /no spectrum index column/);
  const json = JSON.parse(readFileSync(ALIGN, "utf8"));
  const a = parseOcvAlignment(json, { hint: "pybop_gunther2025__monolayer_17_microns.csv" });
  assert.equal(a.key, "monolayer_17_microns");
  assert.equal(a.points.length, 20);
  assert.deepEqual(a.points[0], { index: 1, ocv: 3.621560018178841, soc: 0.8836622861764264 });
  assert.throws(() => parseOcvAlignment(json, { file: "a.json" }), /which data set.*porous_42_microns/s);
  assert.throws(
    () => parseOcvAlignment({ indices: [1, 2], "OCV [V]": [3.7], "Positive electrode SOC [-]": [0.5, 0.4] }),
    /differ in length/,
  );
});

test("measured: eis-study on the Günther et al. 2025 monolayer spectra — kinetics, lin-KK, figures, valid BPX", async () => {
  const tmp = tempDir();
  try {
    const out = join(tmp.path, "g");
    const args = [
      "eis-study",
      SPECTRA,
      "--ocv",
      ALIGN,
      "--radius",
      "5.22um",
      "--electrode-area",
      "2.54469cm2",
      "--thickness",
      "17um",
      "--active-fraction",
      "0.25",
      "--capacity",
      "0.7mAh",
    ];
    const r = await runCli(...args, "--out", out);
    assert.equal(r.code, 0, r.err);
    const k = JSON.parse(readFileSync(join(out, "kinetics.json"), "utf8"));
    const pts = k.points as Record<string, number | string | boolean | null>[];
    assert.equal(pts.length, 20);
    const ok = pts.filter((p) => p.determined === true);
    // numbers of this run (docs/kinetics-analysis.md): 19 of 20 spectra determine j0 and D
    assert.ok(ok.length >= 18, `${ok.length} determined`);
    for (const p of pts) {
      const j0 = p.j0_A_m2 as number;
      assert.ok(j0 > 0.08 && j0 < 1.2, `j0 ${j0} at ${p.ocv_V} V`);
    }
    // j0 rises with OCV on both branches (0.14 → 0.8 A/m² from 3.62 to 4.18 V)
    const first = pts[0].j0_A_m2 as number;
    const last = pts[19].j0_A_m2 as number;
    assert.ok(last / first > 4, `${first} → ${last}`);
    for (const p of ok) {
      const D = p.D_m2_s as number;
      assert.ok(D > 5e-16 && D < 1e-13, `D ${D}`);
      assert.ok((p.D_ci_low as number) <= D && D <= (p.D_ci_high as number));
    }
    // D from τ (no area, no dU/dc) and D from R_D (area and OCV slope) agree within ×2 for most spectra
    const agree = ok.filter((p) => {
      const q = (p.D_m2_s as number) / (p.D_from_RD_m2_s as number);
      return q > 0.5 && q < 2;
    });
    assert.ok(agree.length >= 14, `${agree.length} of ${ok.length} agree within ×2`);
    for (const f of [
      "j0_vs_ocv.svg",
      "D_vs_ocv.svg",
      "biot_vs_ocv.svg",
      "crate_vs_ocv.svg",
      "nyquist.svg",
      "report.html",
    ]) {
      const text = readFileSync(join(out, f), "utf8");
      assert.ok(!text.includes("NaN"), f);
    }
    const lk = readFileSync(join(out, "linkk.csv"), "utf8").trim().split("\n");
    assert.equal(lk.length, 21);
    // the BPX export validates against the BPX 1.1.1 schema
    const schema = JSON.parse(
      readFileSync(new URL("../../fixtures/bpx/bpx-1.1.1.schema.json", import.meta.url), "utf8"),
    );
    const validate = new Ajv2020.default({ allErrors: true }).compile(schema);
    const bpx = JSON.parse(readFileSync(join(out, "parameters.bpx.json"), "utf8"));
    assert.ok(validate(bpx), JSON.stringify(validate.errors));
    const ud = bpx.Parameterisation["User-defined"];
    assert.equal(ud["Positive electrode particle radius [m]"], 5.22e-6);
    assert.equal(ud["Positive electrode diffusivity [m2.s-1]"].x.length, ok.length);

    // bad input: exit 2 naming what is wrong, nothing written
    const noOcv = await runCli(
      "eis-study",
      SPECTRA,
      "--radius",
      "5.22um",
      "--active-area",
      "6cm2",
      "--cmax",
      "24000mol/m3",
    );
    assert.equal(noOcv.code, 2);
    assert.match(noOcv.err, /--ocv/);
    const noArea = await runCli("eis-study", SPECTRA, "--ocv", ALIGN, "--radius", "5.22um");
    assert.equal(noArea.code, 2);
    assert.match(noArea.err, /active surface/);
    const bad = join(tmp.path, "bad.csv");
    writeFileSync(bad, "spectrum_index,frequency_Hz,Z_real_Ohm,Z_imag_Ohm\n1,1,2,-1\n1,-5,2,-1\n");
    const b = await runCli(
      "eis-study",
      bad,
      "--ocv",
      ALIGN,
      "--radius",
      "5.22um",
      "--active-area",
      "6cm2",
      "--cmax",
      "24000mol/m3",
      "--out",
      join(tmp.path, "b"),
    );
    assert.equal(b.code, 2);
    assert.match(b.err, /bad\.csv, line 3/);
  } finally {
    tmp.cleanup();
  }
});

test("measured: seeded mutations of the spectra CSV and the alignment JSON give InputError or a consistent result", () => {
  const text = readFileSync(SPECTRA, "utf8").split("\n").slice(0, 400).join("\n");
  let seed = 7;
  const rand = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  const junk = ["", "x", ",", "NaN", "-", "1e999", "\n", ";", '"'];
  for (let k = 0; k < 200; k++) {
    const chars = text.split("");
    for (let j = 0; j < 3; j++) {
      const at = Math.floor(rand() * chars.length);
      chars.splice(at, Math.floor(rand() * 4), junk[Math.floor(rand() * junk.length)]);
    }
    try {
      const s = parseIndexedSpectraCsv(chars.join(""), "m.csv");
      for (const sp of s) {
        assert.equal(sp.frequency.length, sp.zReal.length);
        assert.ok(sp.frequency.every((f) => f > 0 && Number.isFinite(f)));
        assert.ok(sp.zReal.every(Number.isFinite) && sp.zImag.every(Number.isFinite));
      }
    } catch (e) {
      assert.ok(e instanceof InputError, `mutation ${k}: ${e}`);
      assert.equal(e.file, "m.csv");
    }
  }
  const json = JSON.parse(readFileSync(ALIGN, "utf8")).monolayer_17_microns;
  for (const bad of [
    { ...json, indices: "1,2" },
    { ...json, "OCV [V]": [...json["OCV [V]"].slice(0, 19), null] },
    { ...json, "Positive electrode SOC [-]": undefined },
    [],
    null,
  ]) {
    assert.throws(() => parseOcvAlignment(bad, { file: "a.json" }), InputError);
  }
});
