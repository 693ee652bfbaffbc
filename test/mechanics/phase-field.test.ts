import assert from "node:assert/strict";
import { test } from "node:test";
import { ElasticitySolver } from "../../src/mechanics/elasticity.js";
import { PhaseField, staggeredLoadStep } from "../../src/mechanics/phase-field.js";

const E = 210e9; // Pa
const Gc = 2.7e3; // J/m² (Miehe et al. 2010 SENT values)
const ell = 1.5e-5; // m

for (const discretisation of ["cell", "node"] as const)
  test(`homogeneous AT2 bar (${discretisation} damage): peak stress √(27EGc/(256ℓ)) at strain √(Gc/(3Eℓ)), d = 1/4 there`, () => {
    const n = 4;
    const h = 1e-5;
    const m = n + 1;
    const fixed = new Uint8Array(2 * m * m);
    for (let i = 0; i < m; i++) {
      fixed[2 * i + 1] = 1; // bottom roller
      fixed[2 * (i + m * n) + 1] = 1; // top: prescribed u_y
    }
    fixed[0] = 1;
    // ν = 0 so that the plane-strain bar is uniaxial: σ = g(d)·E·ε, ψ = Eε²/2
    const elastic = new ElasticitySolver({ dim: 2, n, spacing: h }, 0);
    // replace the default box mask by the bar's supports
    elastic.fixed.set(fixed);
    const field = new PhaseField(
      { dim: 2, n, spacing: h },
      { length: ell, split: "none", residualStiffness: 0, discretisation },
    );
    field.damageable.fill(1);
    field.fractureEnergy.fill(Gc);
    const base = new Float64Array(n * n).fill(E);
    const eig = new Float64Array(6 * n * n);
    const u = new Float64Array(elastic.dofCount);
    const strainPeak = Math.sqrt(Gc / (3 * E * ell));
    const stressPeak = Math.sqrt((27 * E * Gc) / (256 * ell));
    let best = 0;
    let bestStrain = 0;
    let dAtPeak = 0;
    for (let k = 0; k <= 80; k++) {
      const strain = strainPeak * (0.8 + 0.005 * k);
      for (let i = 0; i < m; i++) u[2 * (i + m * n) + 1] = strain * n * h;
      const step = staggeredLoadStep(elastic, field, base, eig, u, {
        damageTolerance: 1e-12,
        elasticTolerance: 1e-12,
      });
      assert.ok(step.staggeredIterations <= 3);
      const stress = field.degradation(field.damage[5]) * E * strain;
      // homogeneous local solution d = Eε²/(Eε² + Gc/ℓ) in every cell (CG tolerance 1e-10)
      const dLocal = (E * strain * strain) / (E * strain * strain + Gc / ell);
      for (let c = 0; c < n * n; c++) assert.ok(Math.abs(field.damage[c] - dLocal) < 1e-9);
      if (stress > best) {
        best = stress;
        bestStrain = strain;
        dAtPeak = field.damage[0];
      }
    }
    // sampling every 0.5 % of ε_c: the peak value is flat to O(0.005²), hence 1e-3 bounds
    assert.ok(Math.abs(best / stressPeak - 1) < 1e-3, `peak ${best} vs ${stressPeak}`);
    assert.ok(Math.abs(bestStrain / strainPeak - 1) < 6e-3, `strain ${bestStrain} vs ${strainPeak}`);
    assert.ok(Math.abs(dAtPeak - 0.25) < 5e-3);
  });

test("developed crack band dissipates Gc per unit length; discrete mesh bias in closed form", () => {
  for (const ratio of [2, 4, 8]) {
    const h = ell / ratio;
    const n = 2 * Math.ceil(10 * ratio) + 2; // half-width ≥ 10ℓ so that e^{-10} tails vanish
    const field = new PhaseField({ dim: 2, n, spacing: h }, { length: ell });
    field.damageable.fill(1);
    field.fractureEnergy.fill(Gc);
    const mid = n / 2;
    // a crack along y through column `mid`: H huge there, zero elsewhere
    for (let j = 0; j < n; j++) field.history[mid + n * j] = (1e12 * Gc) / ell;
    field.solveDamage(1e-12);
    const bias = field.fractureDissipation() / (n * h) / Gc - 1;
    assert.ok(field.damage[mid] > 0.999999);
    // The cell-centred scheme gives d_i = ρ^|i| with ρ + 1/ρ = 2 + s², s = h/ℓ, and energy per
    // length Gc·[(s/2)(1+ρ²)/(1−ρ²) + (1/s)(1−ρ)/(1+ρ)] = Gc(1 + s²/8 + O(s⁴)): second order,
    // smaller than the Gc(1 + h/2ℓ) of nodal Q1 elements. Tolerance 1e-6: solver + e^{-20} tails.
    const s2 = 1 / ratio;
    const rho = (2 + s2 * s2 - Math.sqrt((2 + s2 * s2) ** 2 - 4)) / 2;
    const exact = (s2 / 2) * ((1 + rho * rho) / (1 - rho * rho)) + (1 / s2) * ((1 - rho) / (1 + rho)) - 1;
    assert.ok(Math.abs(bias - exact) < 1e-6, `ℓ/h = ${ratio}: bias ${bias} vs ${exact}`);
    assert.ok(Math.abs(bias / ((s2 * s2) / 8) - 1) < 0.05);
    // continuum profile exp(−|x|/ℓ) at x = 2ℓ (discrete decay rate agrees to O(h²/ℓ²))
    const i = mid + 2 * ratio;
    assert.ok(Math.abs(field.damage[i] - Math.exp(-2)) < 0.01);
  }
});

test("nodal (Q1) damage: developed crack band carries the finite-element mesh bias Gc(1 + h/2ℓ)", () => {
  for (const ratio of [2, 4, 8]) {
    const h = ell / ratio;
    const n = 2 * Math.ceil(10 * ratio) + 1; // odd: one band column in the middle, ≥ 10ℓ each side
    const field = new PhaseField({ dim: 2, n, spacing: h }, { length: ell, discretisation: "node" });
    field.damageable.fill(1);
    field.fractureEnergy.fill(Gc);
    const mid = (n - 1) / 2;
    // H huge in one column of cells: both node lines of that column go to d = 1 (a band of width h)
    for (let j = 0; j < n; j++) field.history[mid + n * j] = (1e12 * Gc) / ell;
    field.solveDamage(1e-12);
    const bias = field.fractureDissipation() / (n * h) / Gc - 1;
    assert.ok(field.nodalDamage[mid] > 0.999999 && field.nodalDamage[mid + 1] > 0.999999);
    assert.ok(Math.abs(field.damage[mid] - 1) < 1e-6);
    // Exact discrete value: the band element holds h/(2ℓ) (mass term at d = 1); on each side
    // d_i = ρ^i with t = ρ + 1/ρ = (2 + 2s²/3)/(1 − s²/6), s = h/ℓ (consistent-mass three-point
    // equation), energy [(s/6)(1+ρ+ρ²) + (1−ρ)²/(2s)]/(1−ρ²) per side, = 1/2 + O(s²).
    const s = 1 / ratio;
    const t = (2 + (2 * s * s) / 3) / (1 - (s * s) / 6);
    const rho = (t - Math.sqrt(t * t - 4)) / 2;
    const tail = ((s / 6) * (1 + rho + rho * rho) + (1 - rho) ** 2 / (2 * s)) / (1 - rho * rho);
    const exact = s / 2 + 2 * tail - 1;
    // tolerance 1e-6: CG tolerance 1e-12 on d and e^{-20} tails at the domain edges
    assert.ok(Math.abs(bias - exact) < 1e-6, `ℓ/h = ${ratio}: bias ${bias} vs ${exact}`);
    // first order: within 5 % of h/2ℓ (the O(s²) remainder is 4 % of it at h = ℓ/2)
    assert.ok(Math.abs(bias / (s / 2) - 1) < 0.05, `bias ${bias} vs h/2ℓ = ${s / 2}`);
    // same regularised crack area as the dissipation / Gc for uniform Gc
    assert.ok(
      Math.abs(field.crackArea() * Gc - field.fractureDissipation()) < 1e-9 * field.fractureDissipation(),
    );
  }
});

test("history keeps damage irreversible after unloading", () => {
  const n = 4;
  const h = 1e-5;
  const field = new PhaseField({ dim: 2, n, spacing: h }, { length: ell, split: "amor" });
  field.damageable.fill(1);
  field.fractureEnergy.fill(Gc);
  const strain = new Float64Array(6 * n * n);
  const eig = new Float64Array(6 * n * n);
  const base = new Float64Array(n * n).fill(E);
  for (let c = 0; c < n * n; c++) strain[6 * c + 1] = 2e-3;
  field.updateHistory(strain, eig, base, 0.3);
  field.solveDamage();
  field.commit();
  const d1 = field.damage[0];
  strain.fill(0);
  field.updateHistory(strain, eig, base, 0.3);
  field.solveDamage();
  assert.ok(field.damage[0] >= d1 - 1e-12 && d1 > 0);
  // pure compression does not drive damage under the Amor split
  const f2 = new PhaseField({ dim: 2, n, spacing: h }, { length: ell, split: "amor" });
  f2.damageable.fill(1);
  f2.fractureEnergy.fill(Gc);
  for (let c = 0; c < n * n; c++) strain[6 * c] = strain[6 * c + 1] = strain[6 * c + 2] = -1e-3;
  f2.updateHistory(strain, eig, base, 0.3);
  assert.equal(f2.history[0], 0);
});
