import assert from "node:assert/strict";
import { test } from "node:test";
import {
  areaCorrectedExchangeCurrentDensity,
  biotNumber,
  diffusionLimitedCRate,
  dUdcFromdUdx,
  exchangeCurrentFromBiot,
  interfacialLimitedCRate,
  kineticRegime,
  normalisedSurfaceToVolume,
  rateLimitMap,
  rateLimitTable,
  scaleBiotToRadius,
} from "../../../src/analysis/ratelimit/index.js";
import { FARADAY, GAS_CONSTANT, T_REF } from "../../../src/constants.js";
import { getMaterial } from "../../../src/materials/index.js";

// Seed 000 numbers, used directly (not through the material library):
const D_SEED = 1e-10 * 1e-4; // 1e-10 cm²/s → m²/s
const CP_SEED = 1097 * 3.6 * 1e6; // 1097 mAh/cm³ → C/m³
const RADIUS = 5e-6; // "spherical particles of 10 µm average diameter"
const ETA = 0.1; // V

test("seed 000: C_D ≈ 2C for 10 µm NMC333 particles (eqn 8)", () => {
  const cd = diffusionLimitedCRate(D_SEED, RADIUS);
  // 3600·1e-14/(5e-6)² = 1.44 /h exactly
  assert.ok(Math.abs(cd - 1.44) < 1e-12);
  // "about 2C": same order, within the reading of the figure
  assert.ok(cd > 1 && cd < 3);
});

test("seed 000 eqn 6 in the paper's own units (mA, cm, mAh) equals the SI implementation", () => {
  for (const j0mAcm2 of [3e-3, 0.03, 0.3]) {
    const i0 = j0mAcm2 * 10; // A/m²
    const si = interfacialLimitedCRate(i0, ETA, 3 / RADIUS, CP_SEED);
    const rCm = RADIUS * 100;
    const f = FARADAY / (2 * GAS_CONSTANT * T_REF);
    // I[mA] / Q[mAh] = (A[cm²]·j0[mA/cm²]·2 sinh) / (V[cm³]·Cp[mAh/cm³]) → 1/h
    const paper = ((3 / rCm) * j0mAcm2 * (Math.exp(f * ETA) - Math.exp(-f * ETA))) / 1097;
    assert.ok(Math.abs(si / paper - 1) < 1e-12);
  }
  // over the seed's measured j0 range 3e-3 → 0.3 mA/cm², C_j runs from 0.1125C to 11.25C
  // (6e5 m⁻¹ · i0 · 2 sinh(1.9468) / 3.949e9 C/m³ · 3600 s/h) …
  const low = interfacialLimitedCRate(0.03, ETA, 3 / RADIUS, CP_SEED);
  const high = interfacialLimitedCRate(3, ETA, 3 / RADIUS, CP_SEED);
  assert.ok(Math.abs(low - 0.11254) < 1e-4 && Math.abs(high - 11.254) < 1e-2);
  // … and the seed's "C_j 0.5C to 2C" (Fig. 6b, from PITT j0 on discharge) corresponds to
  // j0 = 0.013–0.053 mA/cm², inside that measured range: the numbers are consistent.
  const j0For = (c: number) => (c / high) * 0.3; // C_j is linear in j0
  assert.ok(j0For(0.5) > 3e-3 && j0For(2) < 0.3);
  assert.ok(Math.abs(j0For(0.5) - 0.0133) < 1e-3 && Math.abs(j0For(2) - 0.0533) < 1e-3);
});

test("Biot number: eqn 4, inverse, linear radius scaling, regimes", () => {
  const dUdc = 1e-5;
  const B = biotNumber(13.25e-6, 1, dUdc, 1e-14);
  assert.ok(Math.abs(B - (13.25e-6 * 1 * 1e-5) / (1e-14 * GAS_CONSTANT * T_REF)) < 1e-12 * B);
  assert.ok(Math.abs(exchangeCurrentFromBiot(B, 1e-14, 13.25e-6, dUdc) - 1) < 1e-14);
  assert.ok(Math.abs(scaleBiotToRadius(B, 13.25e-6, 5e-6) - biotNumber(5e-6, 1, dUdc, 1e-14)) < 1e-12 * B);
  assert.equal(kineticRegime(0.05), "reaction-limited");
  assert.equal(kineticRegime(1), "mixed");
  assert.equal(kineticRegime(20), "diffusion-limited");
  assert.equal(dUdcFromdUdx(-1.2, 48000), -1.2 / 48000);
});

test("area correction (seed 000 Fig. 3d): j0 divided by the normalised S/V; sphere gives 1", () => {
  const r = 5e-6;
  assert.ok(Math.abs(normalisedSurfaceToVolume(4 * Math.PI * r * r, (4 / 3) * Math.PI * r ** 3) - 1) < 1e-14);
  // a fractured particle with three times the surface: j0 three times lower
  assert.ok(Math.abs(areaCorrectedExchangeCurrentDensity(3, 3) - 1) < 1e-15);
  const s = normalisedSurfaceToVolume(3 * 4 * Math.PI * r * r, (4 / 3) * Math.PI * r ** 3);
  assert.ok(Math.abs(s - 3) < 1e-12);
});

test("material table and radius map (NMC333 from the library): consistent with the closed forms", () => {
  const m = getMaterial("NMC333");
  const rows = rateLimitTable(m, { radius: 5e-6, overpotential: 0.1 });
  assert.equal(rows.length, 21);
  for (const row of rows) {
    for (const v of [
      row.ocv,
      row.diffusivity,
      row.exchangeCurrentDensity,
      row.dUdc,
      row.biot,
      row.cRateInterfacial,
      row.cRateDiffusion,
    ]) {
      assert.ok(Number.isFinite(v) && v > 0);
    }
    assert.ok(
      Math.abs(row.cRateDiffusion - diffusionLimitedCRate(row.diffusivity, 5e-6)) <
        1e-12 * row.cRateDiffusion,
    );
    assert.equal(row.regime, kineticRegime(row.biot));
    assert.equal(row.cRateMax, Math.min(row.cRateInterfacial, row.cRateDiffusion));
  }
  const map = rateLimitMap(m, [1e-6, 2.5e-6, 5e-6], { overpotential: 0.1 });
  for (let i = 0; i < rows.length; i++) {
    // B ∝ r, C_D ∝ 1/r², C_j ∝ 1/r
    assert.ok(Math.abs(map[2].rows[i].biot / map[0].rows[i].biot - 5) < 1e-12);
    assert.ok(Math.abs(map[0].rows[i].cRateDiffusion / map[2].rows[i].cRateDiffusion - 25) < 1e-9);
    assert.ok(Math.abs(map[0].rows[i].cRateInterfacial / map[2].rows[i].cRateInterfacial - 5) < 1e-9);
  }
});
