/**
 * Seed 003 (Sharma et al., Nano Lett. 22 (2022) 5883) on the default scenario of
 * `cathodelab electrode` (SEED003_SCENARIO): NMC532 with κ(x) of Amin & Chiang 2016 (1e-5 S/m
 * pristine → 1 S/m) and the Colclasure 2020 D(x) (1.4e-19 m²/s at x = 1, 5e-16 at 0.95,
 * ≈3.5e-15 at 0.9–0.7), carbon binder 1e4 S/m, coverage 0.2, κ at each particle's mean x,
 * two C/20 cycles 4.3–2.5 V with a 4.3 V hold to C/50. No scale factor on any input.
 *
 * Test network: 100 particles (3D, seed 1). Why its statistics mean something: the onset IQR
 * is taken over ≈ 96 reacting particles (quartiles of ≈ 24 particles each side); on seeds 1–4
 * the measured first/second-charge IQR ratio is 4.9, 4.7, 4.3, 6.2 and the loss 9.3, 9.0,
 * 9.2, 9.4 %, so the bounds below hold for the network size, not for one draw.
 * Measured here (seed 1): onset-SOC IQR 0.190 (first charge) → 0.039 (second), dispersion
 * 0.060 → 0.012, discharges 0.006; first-cycle loss 9.3 %, second-cycle CE 1.0000.
 * NOT fully reproduced (docs/electrode.md, "What is not reproduced"): the ≥ 5× ratio holds
 * on 1 of these 4 seeds (5.2 at 1000 particles); the carbon-less particles' surfaces step
 * within ≈ 1 h, one after another over the first ≈ 6 h, but only to a third of their swing,
 * then follow the common ramp (median 10 → 90 % time 14 h), not the seed's full steps
 * spread over the whole charge.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EdgeKind, generateMicrostructure } from "../../src/electrode/microstructure.js";
import { type ElectrodeParameters, ElectrodeSimulator } from "../../src/electrode/model.js";
import { runElectrodeProtocol } from "../../src/electrode/run.js";
import { SEED003_SCENARIO } from "../../src/electrode/spec.js";
import { switchDurations } from "../../src/electrode/switching.js";
import { getMaterial } from "../../src/materials/index.js";
import { parseProtocol } from "../../src/protocol/parse.js";

const NMC532 = getMaterial(SEED003_SCENARIO.material);
const TWO_CYCLES = parseProtocol(SEED003_SCENARIO.protocol);
const ms = generateMicrostructure({ particles: 100, seed: 1 });
/** Ablations: κ and D made uniform at their delithiated (x = 0.5) values. */
const uniformKappa = () => NMC532.electronicConductivity(0.5); // 1 S/m
const uniformD = () => NMC532.chemicalDiffusivity(0.5); // 4.7e-15 m²/s

function run(extra: Partial<ElectrodeParameters>) {
  const sim = new ElectrodeSimulator({ material: NMC532, microstructure: ms, ...extra });
  const r = runElectrodeProtocol(sim, TWO_CYCLES);
  const charges = r.synchrony.filter((s) => s.direction === "charge");
  const discharges = r.synchrony.filter((s) => s.direction === "discharge");
  return { r, charges, discharges, ratio: charges[0].onsetSocIqr / charges[1].onsetSocIqr };
}

describe("seed 003 default: asynchronous first charge, synchronous later half-cycles, ≈10 % loss", () => {
  const base = run({});
  const kUniform = run({ conductivity: uniformKappa });
  const dUniform = run({ diffusivity: uniformD });
  const both = run({ conductivity: uniformKappa, diffusivity: uniformD });

  it("the first charge spreads its onsets ≈ 5× wider than the second; discharges synchronous", () => {
    const [c1, c2] = base.charges;
    assert.ok(c1.reactedFraction > 0.9 && c2.reactedFraction > 0.9); // 0.98 (2 particles have no contact)
    assert.ok(c1.onsetSocIqr > 0.15, `first-charge IQR ${c1.onsetSocIqr}`); // 0.190
    assert.ok(base.ratio > 4, `ratio ${base.ratio}`); // 4.92 (seeds 1–4: 4.3–6.2)
    assert.ok(c2.dispersion < c1.dispersion / 3, `dispersion ${c1.dispersion} → ${c2.dispersion}`); // 0.060 → 0.012
    for (const d of base.discharges) assert.ok(d.onsetSocIqr < 0.02, `${d.onsetSocIqr}`); // 0.006, 0.006
  });

  it("carbon-less particles: their 10→90 % surface change takes hours (a ≈1 h step to a third of the swing, then the common ramp)", () => {
    // documents the gap: median 10 → 90 % time of the surface-x change, carbon-less particles
    const hc = base.r.halfCycles[0];
    const s = base.r.snapshots;
    const d = switchDurations(s.time, s.surfaceX, ms.particles.count, {
      start: hc.snapshotStart,
      end: hc.snapshotEnd,
      minSwing: 0.05,
    });
    const uncovered = Array.from(d).filter((v, p) => Number.isFinite(v) && ms.particles.covered[p] === 0);
    uncovered.sort((a, b) => a - b);
    const median = uncovered[uncovered.length >> 1];
    assert.ok(median > 5 * 3600 && median < 20 * 3600, `${median / 3600} h`); // 14.0 h
  });

  it("first-cycle loss 8–12 %, second cycle < 2 %", () => {
    assert.ok(base.r.firstCycleLoss > 0.08 && base.r.firstCycleLoss < 0.12, `${base.r.firstCycleLoss}`); // 0.093
    assert.ok(
      Math.abs(1 - base.r.cycles[1].coulombicEfficiency) < 0.02,
      `${base.r.cycles[1].coulombicEfficiency}`,
    );
  });

  it("uniform κ (ablation): no asynchrony, no transition; the loss (from D) stays", () => {
    const [c1] = kUniform.charges;
    assert.ok(c1.onsetSocIqr < 0.03, `IQR ${c1.onsetSocIqr}`); // 0.018
    assert.ok(kUniform.ratio < 1.5, `ratio ${kUniform.ratio}`); // 1.02
    assert.ok(Math.abs(kUniform.r.firstCycleLoss - base.r.firstCycleLoss) < 0.01); // 9.3 % both
  });

  it("uniform D (ablation): weaker asynchrony and transition; κ(x) alone still leaves 8 % loss", () => {
    const [c1, c2] = dUniform.charges;
    assert.ok(c1.onsetSocIqr < base.charges[0].onsetSocIqr, `${c1.onsetSocIqr}`); // 0.119
    assert.ok(dUniform.ratio < 2.5, `${dUniform.ratio}`); // 1.6 (0.119 / 0.074)
    assert.ok(c2.onsetSocIqr > base.charges[1].onsetSocIqr, `${c2.onsetSocIqr}`);
    // not the seed's "loss from D": refilled particles approach x = 1, κ(mean x) collapses and
    // the poorly connected ones stop short of the 2.5 V cut-off (8.0 % measured)
    assert.ok(
      dUniform.r.firstCycleLoss > 0.05 && dUniform.r.firstCycleLoss < 0.1,
      `${dUniform.r.firstCycleLoss}`,
    );
  });

  it("uniform κ and D: no loss", () => {
    assert.ok(Math.abs(both.r.firstCycleLoss) < 0.01, `${both.r.firstCycleLoss}`);
  });
});

describe("convergence of onset times (first charge, 40 particles, default scenario)", () => {
  const small = generateMicrostructure({ particles: 40, seed: 2 });
  const charge = parseProtocol("Charge at C/20 until 4.3 V");
  const onsets = (extra: Partial<ElectrodeParameters>) => {
    const sim = new ElectrodeSimulator({ material: NMC532, microstructure: small, ...extra });
    return runElectrodeProtocol(sim, charge, { snapshotInterval: 1e9 }).halfCycles[0].onsetTime;
  };
  const maxDiff = (a: Float64Array, b: Float64Array) => {
    let m = 0;
    for (let i = 0; i < a.length; i++) {
      if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return Number.POSITIVE_INFINITY;
      if (!Number.isNaN(a[i])) m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  };

  it("time step: onset errors fall with the tolerance", () => {
    const ref = onsets({ absoluteTolerance: 2.5e-6, relativeTolerance: 2.5e-6 });
    const e1 = maxDiff(onsets({ absoluteTolerance: 4e-4, relativeTolerance: 4e-4 }), ref);
    const e2 = maxDiff(onsets({ absoluteTolerance: 1e-4, relativeTolerance: 1e-4 }), ref);
    // measured 16 s and 13 s of a ≈ 20 h charge: the onsets (gradual in this scenario) are
    // converged to < 0.03 % already at 4e-4 (the earlier low-κ scenario's steps needed 1e-4)
    assert.ok(e2 <= e1 && e1 < 120, `${e1} s, ${e2} s`);
  });

  it("radial mesh: onset errors fall with the number of shells", () => {
    const tol = { absoluteTolerance: 2.5e-5, relativeTolerance: 2.5e-5 };
    const ref = onsets({ shells: 32, ...tol });
    const e8 = maxDiff(onsets({ shells: 8, ...tol }), ref);
    const e16 = maxDiff(onsets({ shells: 16, ...tol }), ref);
    // measured 214 s (8 shells) and 61 s (16 shells) against 32 shells
    assert.ok(e16 < e8 / 2, `${e8} s, ${e16} s`);
    assert.ok(e16 < 0.02 * 72000, `${e16} s`);
  });
});

describe("seed 003 Fig. 2: the smaller fragment of a cracked particle delithiates later", () => {
  it("small fragments (no direct carbon contact, weak fragment contact) have later onsets", () => {
    const cracked = generateMicrostructure({ particles: 80, seed: 4, crackedFraction: 0.4 });
    const sim = new ElectrodeSimulator({ material: NMC532, microstructure: cracked });
    const on = runElectrodeProtocol(sim, parseProtocol("Charge at C/20 until 4.3 V")).halfCycles[0].onsetSoc;
    let pairs = 0;
    let later = 0;
    let sumBig = 0;
    let sumSmall = 0;
    for (let e = 0; e < cracked.edges.count; e++) {
      if (cracked.edges.kind[e] !== EdgeKind.Fragment) continue;
      const a = cracked.edges.a[e];
      const b = cracked.edges.b[e];
      const big = cracked.particles.radius[a] >= cracked.particles.radius[b] ? a : b;
      const small = big === a ? b : a;
      // a fragment that never reacts counts as onset SOC 1 (end of charge)
      const os = Number.isNaN(on[small]) ? 1 : on[small];
      const ob = Number.isNaN(on[big]) ? 1 : on[big];
      pairs++;
      if (os > ob) later++;
      sumBig += ob;
      sumSmall += os;
    }
    // measured: 35 pairs, the small fragment later in 22; mean onset SOC 0.378 (large) vs 0.432
    // (small) — a weak effect at the material's κ (the old κ × 0.003 scenario: 27/35, 0.31 vs 0.89)
    assert.ok(pairs >= 20);
    assert.ok(later / pairs > 0.6, `${later}/${pairs}`);
    assert.ok(sumSmall / pairs > sumBig / pairs + 0.03, `${sumBig / pairs} vs ${sumSmall / pairs}`);
  });
});
