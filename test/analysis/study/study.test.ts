/**
 * The virtual seed-000 study on every material (issue 16): EIS j0, PITT j0 and D recovered
 * within SELF_CHECK_TOLERANCES, and the seed's size convention (10/5/2 µm are DIAMETERS).
 * The full default protocol is run (C/20 steps, 3 h relaxations, EIS 200 kHz → 10 mHz,
 * +15 mV PITT for 2 h): each study takes about 1–2 s on one core, so no coarse settings.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { diffusionLimitedCRate, interfacialLimitedCRate } from "../../../src/analysis/ratelimit/index.js";
import {
  chargeTransferArcIndex,
  runVirtualStudy,
  SELF_CHECK_TOLERANCES,
} from "../../../src/analysis/study/index.js";
import { getMaterial } from "../../../src/materials/index.js";

// NMC622 at 25 µm: τ = R²/D ≈ 21 h ≫ the 2 h PITT step, so no D is determined there (the
// table says so); at 10 µm diameter D is determined and compared
const CASES: [string, number][] = [
  ["NMC333", 25e-6],
  ["NMC532", 25e-6],
  ["NMC622", 10e-6],
  ["NMC811", 25e-6],
  ["NCA", 25e-6],
];

for (const [name, diameter] of CASES) {
  test(`study on ${name} (${diameter * 1e6} µm diameter): self-check inside the stated tolerances`, () => {
    const r = runVirtualStudy({ material: getMaterial(name), radius: diameter / 2 });
    assert.equal(r.selfCheck.length, SELF_CHECK_TOLERANCES.length);
    for (const c of r.selfCheck) {
      assert.ok(c.pass, `${name} ${c.label}: median ${c.median}, max ${c.max} (n = ${c.n})`);
      if (c.n > 0) {
        assert.ok(c.median <= c.tolMedian && c.max <= c.tolMax);
      }
    }
    // every EIS point is compared; j0 from EIS within 5 % median / 10 % max
    const eis = r.selfCheck.find((c) => c.key === "eisExchangeCurrent");
    assert.ok(eis && eis.n === r.eis.length && eis.n >= 15, `${name}: ${eis?.n} EIS points`);
    // D is compared somewhere for every case except bare NCA: after the contact loss (φ ≈ 0.93)
    // the connected remainder carries a few % of the PITT charge and D is not determined
    // (the table says why); its D check is in the coated run below
    const d = r.selfCheck.find((c) => c.key === "pittDiffusivity");
    if (name !== "NCA") assert.ok(d && d.n >= 2, `${name}: D compared at ${d?.n} steps`);
    // no NaN or infinity in what the tables print
    for (const p of r.rateLimits) {
      for (const v of [p.biot, p.interfacialCRate, p.diffusionCRate, p.exchangeCurrentDensity]) {
        assert.ok(Number.isFinite(v) && v > 0);
      }
    }
    if (name === "NMC811") {
      // U(x = 0.1) = 4.59 V: the 4.6–4.8 V cut-offs cannot be reached and are dropped, with a note
      assert.ok(r.eis.filter((e) => e.phase === "charge").every((e) => e.stepVoltage < 4.6));
      assert.ok(r.notes.some((n) => /4\.60, 4\.70, 4\.80 V dropped/.test(n)));
    }
  });
}

test("study rate limits use the seed's DIAMETER convention (10 µm diameter → C_D ≈ 2C for NMC333)", () => {
  const R = 13.25e-6; // seed 000's 26.5 µm-diameter particle
  const r = runVirtualStudy({ material: getMaterial("NMC333"), radius: R });
  assert.equal(r.options.rateLimitDiameter, 10e-6);
  assert.equal(r.options.rateLimitRadius, 5e-6);
  for (let k = 0; k < r.pitt.length; k++) {
    const p = r.pitt[k];
    const l = r.rateLimits[k];
    // eqn 8 with r = d/2 = 5 µm, closed form to round-off
    assert.ok(Math.abs(l.diffusionCRate / diffusionLimitedCRate(p.diffusivity, 5e-6) - 1) < 1e-12);
    // eqn 6 with A/V = 3/r = 3/(5 µm)
    const cj = interfacialLimitedCRate(
      l.exchangeCurrentDensity,
      0.1,
      3 / 5e-6,
      getMaterial("NMC333").volumetricCapacity,
    );
    assert.ok(Math.abs(l.interfacialCRate / cj - 1) < 1e-12);
    // B scaled to 10, 5, 2 µm diameter: B·(d/2)/R
    assert.deepEqual(
      l.biotScaled.map((b) => b.diameter),
      [10e-6, 5e-6, 2e-6],
    );
    for (const b of l.biotScaled) assert.ok(Math.abs(b.biot / ((l.biot * b.diameter) / (2 * R)) - 1) < 1e-12);
    // j0 from PITT where determined, from the discharge EIS at the same state otherwise
    assert.equal(l.exchangeCurrentDensitySource, p.exchangeCurrentDensityDetermined ? "PITT" : "EIS");
  }
  // seed 000 Fig. 6b: "C_D … is about 2C" for 10 µm average diameter over 3.8–4.5 V
  const cd = r.rateLimits.filter((l) => l.relaxedOcv <= 4.5).map((l) => l.diffusionCRate);
  assert.ok(Math.min(...cd) > 1.2 && Math.max(...cd) < 3.2, `C_D ${Math.min(...cd)}–${Math.max(...cd)}`);
});

test("chargeTransferArcIndex: R_ct is the larger arc resistance whichever arc the fit put it in", () => {
  // R0 R1 Q1 α1 R2 Wsph_R Wsph_τ Q2 α2
  assert.equal(chargeTransferArcIndex([1e3, 2e3, 2e-10, 0.9, 4e8, 10, 1e-4, 4e-10, 1]), 4);
  assert.equal(chargeTransferArcIndex([0, 6.6e6, 3.9e-10, 1, 3.2e3, 2, 1e-5, 1e-7, 0.4]), 1);
});

test("NCA (seed 000): bare j0 falls > 10× at high SOC with > 10× hysteresis; PVdF coating removes both", () => {
  const nca = getMaterial("NCA");
  const bare = runVirtualStudy({ material: nca, radius: 12.5e-6 });
  const coated = runVirtualStudy({ material: nca, radius: 12.5e-6, coating: "pvdf" });
  const summary = (r: typeof bare) => {
    const charge = r.eis.filter((p) => p.phase === "charge").map((p) => p.exchangeCurrentDensity);
    const ratios = r.hysteresis.map((h) => h.ratio);
    return {
      drop: Math.max(...charge) / charge[charge.length - 1],
      minRatio: Math.min(...ratios),
      maxRatio: Math.max(...ratios),
    };
  };
  const b = summary(bare);
  const c = summary(coated);
  assert.ok(bare.options.contactLoss && !coated.options.contactLoss);
  // measured (docs/study.md): bare drop 30×, discharge/charge down to 0.057 (17×); coated 2.2×, 0.96–1.03
  assert.ok(b.drop > 10, `bare drop ${b.drop}`);
  assert.ok(b.minRatio < 0.1, `bare hysteresis ${b.minRatio}`);
  assert.ok(c.drop < 3, `coated drop ${c.drop}`);
  assert.ok(c.minRatio > 0.8 && c.maxRatio < 1.25, `coated hysteresis ${c.minRatio}–${c.maxRatio}`);
  // the discharge points carry the irreversible isolated fraction of the top of charge
  const top = Math.max(...bare.eis.filter((p) => p.phase === "charge").map((p) => p.isolatedFraction));
  for (const p of bare.eis.filter((e) => e.phase === "discharge")) assert.ok(p.isolatedFraction >= top);
  // the EIS analysis still recovers the apparent j0 (i0 × (1 − φ)) within the self-check
  for (const r of [bare, coated]) assert.ok(r.selfCheck.every((row) => row.pass));
  const d = coated.selfCheck.find((row) => row.key === "pittDiffusivity");
  assert.ok(d && d.n >= 1);
});

test("NMC333 (seed 000): discharge j0 2–5× the charge j0 from the direction-dependent i0; one table without it", () => {
  const m = getMaterial("NMC333");
  const r = runVirtualStudy({ material: m, radius: 13.25e-6, chargeCutoffs: [3.9, 4.1, 4.3, 4.5, 4.7] });
  assert.ok(r.options.directionalExchangeCurrent);
  assert.ok(r.hysteresis.length >= 3);
  for (const h of r.hysteresis)
    assert.ok(h.ratio > 2 && h.ratio < 5, `ratio ${h.ratio} at ${h.relaxedOcv} V`);
  const off = runVirtualStudy({
    material: m,
    radius: 13.25e-6,
    chargeCutoffs: [3.9, 4.1, 4.3, 4.5, 4.7],
    directionalExchangeCurrent: false,
  });
  for (const h of off.hysteresis) assert.ok(h.ratio > 0.8 && h.ratio < 1.25, `ratio ${h.ratio}`);
});
