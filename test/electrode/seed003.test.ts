/**
 * Seed 003 (Sharma et al., Nano Lett. 2022) reproduced qualitatively with the numbers stated
 * here, ablations, and the convergence of onset times. Scenario: 100 NMC532 particles (3D,
 * seed 1, lognormal radii with median 5 µm, 60 % carbon coverage), two C/20 cycles
 * 4.3–2.5 V with a C/50 hold, κ(x) = 0.003 × the material's κ(x) — pristine 3e-8 S/m, 3e-6 S/m
 * at x = 0.95, 3e-3 S/m for x ≤ 0.6 (our assumption: the NMC532 table of src/materials is
 * 1e-5 S/m pristine, at which the first charge is already synchronous in this network), the
 * material's D(x) (Colclasure 2020 with the seed-003 low-D deepening). Measured (this code,
 * seed 1): first-charge onset-SOC IQR 0.48, second-charge 0.15 (3.2× smaller), discharges
 * 0.01; dispersion index 0.21 → 0.07; first-cycle loss 27 % (15 % with high κ: D(x) alone).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EdgeKind, generateMicrostructure } from "../../src/electrode/microstructure.js";
import { type ElectrodeParameters, ElectrodeSimulator } from "../../src/electrode/model.js";
import { runElectrodeProtocol } from "../../src/electrode/run.js";
import { getMaterial } from "../../src/materials/index.js";
import { parseProtocol } from "../../src/protocol/parse.js";

const NMC532 = getMaterial("NMC532");
const TWO_CYCLES = parseProtocol(
  "Repeat 2 times: Charge at C/20 until 4.3 V; Hold at 4.3 V until C/50; Discharge at C/20 until 2.5 V",
);
const ms = generateMicrostructure({ particles: 100, seed: 1, coverage: 0.6 });
const constantD = () => 1e-14; // m²/s, a typical mid-SOC NMC value (ablation)
const highKappa = () => 100; // S/m, uniform (ablation)

function run(extra: Partial<ElectrodeParameters>) {
  const sim = new ElectrodeSimulator({ material: NMC532, microstructure: ms, ...extra });
  const r = runElectrodeProtocol(sim, TWO_CYCLES);
  const charges = r.synchrony.filter((s) => s.direction === "charge");
  const discharges = r.synchrony.filter((s) => s.direction === "discharge");
  return { r, charges, discharges };
}

describe("seed 003: asynchronous first charge, synchronous later cycles, first-cycle loss", () => {
  const lowKappa = run({ conductivityScale: 0.003 });
  const high = run({ conductivity: highKappa });

  it("low pristine κ + partial coverage: the first charge is asynchronous, the second several times less", () => {
    const [c1, c2] = lowKappa.charges;
    // nearly all particles react in the first charge (the rest have no contact at all) …
    assert.ok(c1.reactedFraction > 0.9);
    // … but their onsets spread over almost half of the SOC range (0.48 measured)
    assert.ok(c1.onsetSocIqr > 0.35, `first-charge IQR ${c1.onsetSocIqr}`);
    // second charge: ≥ 2.5× narrower (3.2× measured) and the dispersion index too (2.9×)
    assert.ok(c2.onsetSocIqr < c1.onsetSocIqr / 2.5, `IQR ${c1.onsetSocIqr} → ${c2.onsetSocIqr}`);
    assert.ok(c2.dispersion < c1.dispersion / 2.5, `dispersion ${c1.dispersion} → ${c2.dispersion}`);
    // discharges are synchronous (IQR ≈ 0.01)
    for (const d of lowKappa.discharges) assert.ok(d.onsetSocIqr < 0.03);
  });

  it("uniform high κ (ablation): the first charge is synchronous", () => {
    const [c1] = high.charges;
    assert.ok(c1.onsetSocIqr < 0.05, `IQR ${c1.onsetSocIqr}`); // 0.020 measured
    assert.ok(c1.onsetSocIqr < lowKappa.charges[0].onsetSocIqr / 10);
  });

  it("first-cycle loss of order 10 % from the low D near x = 1, negligible afterwards", () => {
    // D(x) alone (high κ): 15 % measured; the low-κ network strands poorly connected particles
    // on discharge as well (27 % measured). Second-cycle coulombic efficiency ≈ 1.
    assert.ok(high.r.firstCycleLoss > 0.08 && high.r.firstCycleLoss < 0.2, `${high.r.firstCycleLoss}`);
    assert.ok(lowKappa.r.firstCycleLoss > high.r.firstCycleLoss && lowKappa.r.firstCycleLoss < 0.35);
    for (const x of [high, lowKappa]) assert.ok(Math.abs(x.r.cycles[1].coulombicEfficiency - 1) < 0.01);
  });

  it("constant D (ablation): no first-cycle loss", () => {
    const constant = run({ conductivity: highKappa, diffusivity: constantD });
    // −0.15 % measured (the CV hold of the first charge is returned within the window)
    assert.ok(Math.abs(constant.r.firstCycleLoss) < 0.01, `${constant.r.firstCycleLoss}`);
  });
});

describe("convergence of onset times (first charge, 40 particles, low κ)", () => {
  const small = generateMicrostructure({ particles: 40, seed: 2, coverage: 0.6 });
  const charge = parseProtocol("Charge at C/20 until 4.3 V");
  const onsets = (extra: Partial<ElectrodeParameters>) => {
    const sim = new ElectrodeSimulator({
      material: NMC532,
      microstructure: small,
      conductivityScale: 0.003,
      ...extra,
    });
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
    // measured: 152 s and 46 s of a ≈20 h charge (17 s at 2.5e-5)
    assert.ok(e2 < e1 / 2 && e2 < 120, `${e1} s, ${e2} s`);
  });

  it("radial mesh: onset errors fall with the number of shells", () => {
    const tol = { absoluteTolerance: 2.5e-5, relativeTolerance: 2.5e-5 };
    const ref = onsets({ shells: 32, ...tol });
    const e8 = maxDiff(onsets({ shells: 8, ...tol }), ref);
    const e16 = maxDiff(onsets({ shells: 16, ...tol }), ref);
    // second order in the surface spacing: measured 2.3e3 s → 6e2 s (vs 96 shells)
    assert.ok(e16 < e8 / 2, `${e8} s, ${e16} s`);
    assert.ok(e16 < 0.02 * 72000, `${e16} s`);
  });
});

describe("seed 003 Fig. 2: the smaller fragment of a cracked particle delithiates later", () => {
  it("small fragments (no direct carbon contact, weak fragment contact) have later onsets", () => {
    const cracked = generateMicrostructure({ particles: 80, seed: 4, coverage: 0.6, crackedFraction: 0.4 });
    const sim = new ElectrodeSimulator({
      material: NMC532,
      microstructure: cracked,
      conductivityScale: 0.003,
    });
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
    // measured: 35 pairs, the small fragment later in 27; mean onset SOC 0.31 (large) vs 0.89 (small)
    assert.ok(pairs >= 20);
    assert.ok(later / pairs > 0.6, `${later}/${pairs}`);
    assert.ok(sumSmall / pairs > sumBig / pairs + 0.2);
  });
});
