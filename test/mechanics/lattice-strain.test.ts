import assert from "node:assert/strict";
import { test } from "node:test";
import {
  latticeStrain,
  randomCAxes3D,
  randomCAxesInPlane,
  rotatedEigenstrain,
  rotateSymmetricTensor,
  unitCellVolume,
  unitCellVolumeChange,
} from "../../src/mechanics/lattice-strain.js";
import { SeededRandom } from "../../src/mechanics/random.js";

// A linear toy lattice (a falls 2 %, c rises 1 % from x = 1 to x = 0) [m].
const toy = {
  latticeA: (x: number) => 2.87e-10 * (1 - 0.02 * (1 - x)),
  latticeC: (x: number) => 14.2e-10 * (1 + 0.01 * (1 - x)),
};

test("unit-cell volume of NMC111 from seed 004 lattice parameters", () => {
  // seed 004: a = 2.856 Å, c = 14.221 Å, V = 100.442 Å³; a is rounded to ±0.0005 Å, i.e. ±3.5e-4 in V
  const v = unitCellVolume(2.856e-10, 14.221e-10) / 1e-30;
  assert.ok(Math.abs(v - 100.442) / 100.442 < 4e-4, `V = ${v}`);
});

test("lattice strains and volume change relative to x0", () => {
  const s = latticeStrain(toy, 0.5);
  assert.ok(Math.abs(s.a - -0.01) < 1e-15);
  assert.ok(Math.abs(s.c - 0.005) < 1e-15);
  // V/V0 − 1 = (1+εa)²(1+εc) − 1 exactly
  assert.ok(Math.abs(unitCellVolumeChange(toy, 0.5) - (0.99 * 0.99 * 1.005 - 1)) < 1e-14);
  assert.equal(latticeStrain(toy, 0.7, 0.7).a, 0);
});

test("rotated eigenstrain equals Q·diag(εa,εa,εc)·Qᵀ and keeps the invariants", () => {
  const rng = new SeededRandom(7);
  const out = new Float64Array(6);
  for (let trial = 0; trial < 50; trial++) {
    // random rotation from a random unit quaternion
    let [w, x, y, z] = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
    const n = Math.hypot(w, x, y, z);
    [w, x, y, z] = [w / n, x / n, y / n, z / n];
    const q = [
      1 - 2 * (y * y + z * z),
      2 * (x * y - w * z),
      2 * (x * z + w * y),
      2 * (x * y + w * z),
      1 - 2 * (x * x + z * z),
      2 * (y * z - w * x),
      2 * (x * z - w * y),
      2 * (y * z + w * x),
      1 - 2 * (x * x + y * y),
    ];
    const ea = -0.01 + 0.02 * rng.next();
    const ec = -0.05 + 0.1 * rng.next();
    const ref = rotateSymmetricTensor([ea, ea, ec, 0, 0, 0], q);
    // c axis = Q·e_z = third column of Q
    rotatedEigenstrain(ea, ec, q[2], q[5], q[8], out);
    for (let k = 0; k < 6; k++) assert.ok(Math.abs(out[k] - ref[k]) < 1e-15, `component ${k}`);
    // invariants: trace and ‖ε‖² preserved (round-off bound 1e-15)
    assert.ok(Math.abs(out[0] + out[1] + out[2] - (2 * ea + ec)) < 1e-15);
    const norm2 = out[0] ** 2 + out[1] ** 2 + out[2] ** 2 + 2 * (out[3] ** 2 + out[4] ** 2 + out[5] ** 2);
    assert.ok(Math.abs(norm2 - (2 * ea * ea + ec * ec)) < 1e-15);
  }
});

test("c axes are uniform on the sphere (seeded moment statistics)", () => {
  const count = 40000;
  const axes = randomCAxes3D(count, new SeededRandom(1));
  // For uniform directions: <n_i> = 0, <n_i n_j> = δ_ij/3, <n_z⁴> = 1/5. Standard errors of
  // the sample means are ≈ sqrt(var/count): 0.0029 for n_i, 0.0015 for n_i², so 5σ bounds.
  const m = new Float64Array(3);
  const m2 = new Float64Array(3);
  let z4 = 0;
  let xy = 0;
  for (let g = 0; g < count; g++) {
    for (let i = 0; i < 3; i++) {
      const v = axes[3 * g + i];
      m[i] += v / count;
      m2[i] += (v * v) / count;
    }
    z4 += axes[3 * g + 2] ** 4 / count;
    xy += (axes[3 * g] * axes[3 * g + 1]) / count;
    assert.ok(Math.abs(Math.hypot(axes[3 * g], axes[3 * g + 1], axes[3 * g + 2]) - 1) < 1e-14);
  }
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(m[i]) < 0.015, `mean ${i} = ${m[i]}`);
    assert.ok(Math.abs(m2[i] - 1 / 3) < 0.0075, `second moment ${i} = ${m2[i]}`);
  }
  assert.ok(Math.abs(z4 - 0.2) < 0.01, `<z^4> = ${z4}`);
  assert.ok(Math.abs(xy) < 0.0075);
  // histogram of z in 10 bins: chi-square with 9 dof below 27.9 (p = 0.001)
  const bins = new Float64Array(10);
  for (let g = 0; g < count; g++) bins[Math.min(9, Math.floor(((axes[3 * g + 2] + 1) / 2) * 10))]++;
  let chi2 = 0;
  for (const b of bins) chi2 += (b - count / 10) ** 2 / (count / 10);
  assert.ok(chi2 < 27.9, `chi2 = ${chi2}`);
  // seeded: same seed → same axes
  assert.deepEqual(randomCAxes3D(5, new SeededRandom(1)), axes.slice(0, 15));
});

test("in-plane c axes lie in the plane and are unit vectors", () => {
  const axes = randomCAxesInPlane(100, new SeededRandom(3));
  for (let g = 0; g < 100; g++) {
    assert.equal(axes[3 * g + 2], 0);
    assert.ok(Math.abs(Math.hypot(axes[3 * g], axes[3 * g + 1]) - 1) < 1e-15);
  }
});

test("latticeFromTable: the material's own table reproduces its a(x), c(x); bad tables refused", async () => {
  const { getMaterial } = await import("../../src/materials/index.js");
  const { latticeFromTable } = await import("../../src/mechanics/lattice-strain.js");
  const m = getMaterial("NMC811");
  // REFERENCE §2 table of src/materials/nmc811.ts
  const table = {
    x: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0],
    aAngstrom: [2.82, 2.817, 2.815, 2.816, 2.822, 2.835, 2.856, 2.872],
    cAngstrom: [13.85, 14.03, 14.25, 14.4, 14.467, 14.4, 14.29, 14.2],
    source: "REFERENCE §2",
  };
  const l = latticeFromTable(table);
  for (let x = 0.1; x <= 1; x += 0.037) {
    assert.ok(Math.abs(l.latticeA(x) / m.latticeA(x) - 1) < 1e-14);
    assert.ok(Math.abs(l.latticeC(x) / m.latticeC(x) - 1) < 1e-14);
  }
  assert.throws(() => latticeFromTable({ ...table, x: [...table.x].reverse() }), /increase/);
  assert.throws(() => latticeFromTable({ ...table, cAngstrom: [1, 2] }), /equal length/);
  assert.throws(() => latticeFromTable({ ...table, source: " " }), /source/);
});
