import assert from "node:assert/strict";
import { test } from "node:test";
import {
  criticalGrainSizeElectrochemicalShock,
  cylinderEigenstrainStress,
  eshelbyGrainStress,
  parabolicProfileMaxStress,
  sphereDiffusionStress,
  sphereEigenstrainStress,
} from "../../src/mechanics/analytic-stress.js";

const elastic = { youngsModulus: 150e9, poissonRatio: 0.3 };

function grid(n: number, R: number): Float64Array {
  return Float64Array.from({ length: n + 1 }, (_, i) => (R * i) / n);
}

test("uniform concentration in a sphere is stress-free", () => {
  const r = grid(20, 5e-6);
  const s = sphereDiffusionStress(r, new Float64Array(21).fill(20000), elastic, 1.3e-6, 0);
  for (let i = 0; i <= 20; i++) {
    assert.ok(Math.abs(s.radial[i]) < 1e-6 * 150e9 * 1.3e-6 * 20000, `σr[${i}] = ${s.radial[i]}`);
    assert.ok(Math.abs(s.hoop[i]) < 1e-6 * 150e9 * 1.3e-6 * 20000);
  }
});

test("parabolic profile: σ_r = (2kB/5)(1 − r²/R²), σ_θ = (2kB/5)(1 − 2r²/R²), |σ|max closed form", () => {
  const R = 5e-6;
  const D = 1e-14;
  const J = 1e-5; // mol/(m² s)
  const omega = 1.3e-6;
  const B = (J * R) / (2 * D);
  const k = (omega * elastic.youngsModulus) / (3 * (1 - elastic.poissonRatio));
  const peak = parabolicProfileMaxStress(elastic, omega, J, R, D);
  assert.ok(Math.abs(peak - (2 * k * B) / 5) / peak < 1e-14);
  // discretisation error of the piecewise-linear profile is O(h²): error(n)/error(2n) → 4
  const errors: number[] = [];
  for (const n of [20, 40, 80]) {
    const r = grid(n, R);
    const c = r.map((ri) => 30000 + (B * ri * ri) / (R * R));
    const s = sphereDiffusionStress(r, c, elastic, omega, 30000);
    let e = 0;
    for (let i = 0; i <= n; i++) {
      const x2 = (r[i] / R) ** 2;
      e = Math.max(e, Math.abs(s.radial[i] - peak * (1 - x2)), Math.abs(s.hoop[i] - peak * (1 - 2 * x2)));
    }
    errors.push(e / peak);
  }
  assert.ok(errors[2] < 1e-3, `relative error ${errors[2]}`);
  assert.ok(errors[0] / errors[1] > 3.5 && errors[1] / errors[2] > 3.5, `order: ${errors}`);
});

test("surface hoop stress σ_θ(R) = k(c̄ − c_s) for an arbitrary profile", () => {
  const R = 7e-6;
  const r = grid(400, R);
  const c = r.map((ri) => 20000 + 8000 * Math.sin((3 * ri) / R) ** 2);
  const omega = 1.0e-6;
  const s = sphereDiffusionStress(r, c, elastic, omega, 0);
  // volume average c̄ = 3∫c r² dr / R³ with the same piecewise-linear interpolant (trapezoid of the exact
  // moment is what the routine does; use a fine Simpson sum as an independent reference: 1e-5 rel.)
  let integral = 0;
  const n = 20000;
  for (let i = 0; i <= n; i++) {
    const ri = (R * i) / n;
    const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
    integral += w * (20000 + 8000 * Math.sin((3 * ri) / R) ** 2) * ri * ri;
  }
  const cbar = (3 * (integral * (R / n / 3))) / R ** 3;
  const k = (omega * elastic.youngsModulus) / (3 * (1 - elastic.poissonRatio));
  const expected = k * (cbar - c[400]);
  assert.ok(Math.abs(s.hoop[400] - expected) / Math.abs(expected) < 1e-4, `${s.hoop[400]} vs ${expected}`);
  assert.ok(Math.abs(s.radial[400]) < 1e-9 * Math.abs(expected), "traction-free surface");
});

test("sphere: centre is hydrostatic, σ_r(0) = σ_θ(0)", () => {
  const r = grid(50, 1);
  const e = r.map((ri) => 0.01 * ri ** 3);
  const s = sphereEigenstrainStress(r, e, elastic);
  assert.ok(Math.abs(s.radial[0] - s.hoop[0]) < 1e-9 * Math.abs(s.radial[0]));
});

test("plane-strain cylinder: uniform eigenstrain gives zero in-plane stress and σ_z = −E e", () => {
  const r = grid(10, 1e-6);
  const s = cylinderEigenstrainStress(r, new Float64Array(11).fill(0.01), elastic);
  for (let i = 0; i <= 10; i++) {
    assert.ok(Math.abs(s.radial[i]) < 1e-3);
    assert.ok(Math.abs(s.hoop[i]) < 1e-3);
    assert.ok(Math.abs(s.axial[i] + 150e9 * 0.01) < 1);
  }
  // parabolic e = e0 r²/b²: σ_r = E e0/(4(1−ν)) (1 − r²/b²) (Timoshenko & Goodier §150), exact for
  // the quadratic moment up to the linear interpolation O(h²) — 200 nodes give < 1e-4 rel.
  const b = 1e-6;
  const rr = grid(200, b);
  const e = rr.map((ri) => 0.02 * (ri / b) ** 2);
  const q = cylinderEigenstrainStress(rr, e, elastic);
  const scale = (150e9 * 0.02) / (4 * 0.7);
  for (let i = 0; i <= 200; i += 20) {
    const x2 = (rr[i] / b) ** 2;
    assert.ok(Math.abs(q.radial[i] - scale * (1 - x2)) / scale < 1e-4);
    assert.ok(Math.abs(q.hoop[i] - scale * (1 - 3 * x2)) / scale < 1e-4);
  }
});

test("Eshelby grain: misfit σ_cc = −40.3 GPa·(εc − εa), σ_aa = −σ_cc/2 at E = 150 GPa, ν = 0.3", () => {
  const s = eshelbyGrainStress(-0.005, 0.015, elastic);
  // (4/3)·μ·(1−β) = (4/3)·57.692 GPa·(1 − 10/21) = 40.293 GPa (REFERENCE §4 quotes 40.3)
  assert.ok(Math.abs(s.misfitCC / 0.02 + 40.293e9) < 0.01e9, `σcc/Δε = ${s.misfitCC / 0.02}`);
  assert.ok(Math.abs(s.misfitAA + s.misfitCC / 2) < 1e-6);
  // pure dilatation e·I: σ = −2E e/(3(1−ν)) (classical misfitting sphere)
  const iso = eshelbyGrainStress(0.01, 0.01, elastic);
  assert.ok(Math.abs(iso.cc - (-2 * 150e9 * 0.01) / (3 * 0.7)) < 1);
  assert.ok(Math.abs(iso.misfitCC) === 0);
});

test("electrochemical-shock critical grain size scales as Γ/Δε² (Clarke 1980 form)", () => {
  const d1 = criticalGrainSizeElectrochemicalShock(1, 0.02, elastic);
  const d2 = criticalGrainSizeElectrochemicalShock(2, 0.04, elastic);
  assert.ok(Math.abs(d2 / d1 - 0.5) < 1e-12);
  // 1 J/m², Δε = 0.02: w = (2/3)·57.69e9·(11/21)·4e-4 = 8.059e6 J/m³ → d_c = 3/w = 372 nm
  assert.ok(Math.abs(d1 - 3.7225e-7) / 3.7225e-7 < 1e-3, `d_c = ${d1}`);
});

test("sphere stresses match a SciPy quadrature reference for a non-polynomial profile", async () => {
  const { readFileSync } = await import("node:fs");
  const ref = JSON.parse(
    readFileSync(new URL("../fixtures/mechanics/sphere_stress.json", import.meta.url), "utf8"),
  );
  const { R_m: R, c0, A, B } = ref;
  const n = 4000;
  const r = grid(n, R);
  const c = r.map((ri) => c0 + A * Math.exp((-3 * ri * ri) / (R * R)) + B * (ri / R) ** 3);
  const s = sphereDiffusionStress(
    r,
    c,
    { youngsModulus: ref.E_Pa, poissonRatio: ref.nu },
    ref.Omega_m3_per_mol,
    c0,
  );
  const scale = (ref.Omega_m3_per_mol * ref.E_Pa * A) / (3 * (1 - ref.nu));
  for (const p of ref.points) {
    const i = Math.round((p.r_m / R) * n);
    // piecewise-linear profile on 4000 intervals: O(h²) ≈ 1e-7 of the stress scale
    assert.ok(Math.abs(s.radial[i] - p.radial_Pa) < 1e-6 * scale, `σr at ${p.r_m}`);
    assert.ok(Math.abs(s.hoop[i] - p.hoop_Pa) < 1e-6 * scale, `σθ at ${p.r_m}`);
  }
});
