/**
 * Ball morphology against scikit-image 0.19.3 / scipy 1.10.1 on an integer image and a mask
 * (fixture: scripts/fixtures/imaging_b.py → test/fixtures/imaging/b_morphology.json). Integer
 * images: results must be identical (no tolerance).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import {
  ball,
  ballChords,
  binaryClosing,
  binaryDilation,
  binaryErosion,
  binaryOpening,
  blackTophat,
  greyClosing,
  greyDilation,
  greyErosion,
  greyOpening,
  whiteTophat,
} from "../../src/imaging/morphology.js";
import type { Volume } from "../../src/imaging/volume.js";

const fx = JSON.parse(
  readFileSync(new URL("../fixtures/imaging/b_morphology.json", import.meta.url), "utf8"),
);
const shape = fx.shape as [number, number, number];
const n = shape[0] * shape[1] * shape[2];
const grey: Volume<Uint8Array> = { data: Uint8Array.from(fx.grey), shape, spacing: [1, 1, 1] };
const fromIdx = (idx: number[]) => {
  const a = new Uint8Array(n);
  for (const i of idx) a[i] = 1;
  return a;
};
const mask: Volume<Uint8Array> = { data: fromIdx(fx.mask), shape, spacing: [1, 1, 1] };
const mismatches = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
  return d;
};

for (const c of fx.cases) {
  const r = c.radius as number;
  test(`ball(${r}) has skimage's voxel count and x²+y²+z² ≤ r²`, () => {
    assert.equal(ballChords(r).count, c.ball_count);
    const b = ball(r);
    let s = 0;
    for (const v of b.data) s += v;
    assert.equal(s, c.ball_count);
    assert.equal(b.data[0], 0); // corner (r, r, r) is outside
  });
  test(`grey morphology r=${r} equals skimage (reflect border)`, () => {
    assert.equal(mismatches(greyErosion(grey, r).data, c.erosion), 0);
    assert.equal(mismatches(greyDilation(grey, r).data, c.dilation), 0);
    assert.equal(mismatches(greyOpening(grey, r).data, c.opening), 0);
    assert.equal(mismatches(greyClosing(grey, r).data, c.closing), 0);
    assert.equal(mismatches(whiteTophat(grey, r).data, c.white_tophat), 0);
    assert.equal(mismatches(blackTophat(grey, r).data, c.black_tophat), 0);
  });
  test(`grey morphology r=${r}: explicit scipy border modes`, () => {
    assert.equal(mismatches(greyErosion(grey, r, { mode: "nearest" }).data, c.erosion_nearest), 0);
    assert.equal(mismatches(greyErosion(grey, r, { mode: "mirror" }).data, c.erosion_mirror), 0);
    assert.equal(
      mismatches(greyDilation(grey, r, { mode: "constant", cval: 7 }).data, c.dilation_constant_7),
      0,
    );
  });
  test(`binary morphology r=${r} (EDT thresholding) equals skimage and scipy`, () => {
    assert.equal(mismatches(binaryErosion(mask, r).data, fromIdx(c.binary_erosion)), 0);
    assert.equal(mismatches(binaryDilation(mask, r).data, fromIdx(c.binary_dilation)), 0);
    assert.equal(mismatches(binaryOpening(mask, r).data, fromIdx(c.binary_opening)), 0);
    assert.equal(mismatches(binaryClosing(mask, r).data, fromIdx(c.binary_closing)), 0);
    assert.equal(
      mismatches(binaryErosion(mask, r, { border: "background" }).data, fromIdx(c.scipy_binary_erosion)),
      0,
    );
  });
}

test("grey erosion of a 0/1 mask equals the EDT-based binary erosion (larger radius, two algorithms)", () => {
  // Independent algorithms (chord min-filter vs distance thresholding) must agree exactly.
  for (const r of [4, 5]) {
    const g = greyErosion(mask, r, { mode: "constant", cval: 1 });
    assert.equal(mismatches(g.data, binaryErosion(mask, r).data), 0);
    const d = greyDilation(mask, r, { mode: "constant", cval: 0 });
    assert.equal(mismatches(d.data, binaryDilation(mask, r).data), 0);
  }
});

test("anisotropic spacing turns a physical ball into a voxel ellipsoid", () => {
  // R = 2 m with spacing (dz, dy, dx) = (2, 1, 0.5) m → semi-axes 1, 2, 4 voxels.
  const b = ballChords(0, [2, 1, 0.5], 2);
  assert.deepEqual([b.rz, b.ry, b.rx], [1, 2, 4]);
  const v = ball(0, [2, 1, 0.5], 2);
  assert.deepEqual(v.shape, [3, 5, 9]);
  // Binary dilation of a single voxel with the same physical ball reproduces the footprint.
  const one: Volume<Uint8Array> = {
    data: new Uint8Array(7 * 9 * 13),
    shape: [7, 9, 13],
    spacing: [2, 1, 0.5],
  };
  one.data[6 + 13 * (4 + 9 * 3)] = 1;
  const dil = binaryDilation(one, 0, { physicalRadius: 2 });
  const grey2 = greyDilation(one, 0, { physicalRadius: 2 });
  let s = 0;
  for (const x of dil.data) s += x;
  assert.equal(s, b.count);
  assert.equal(mismatches(dil.data, grey2.data), 0);
});

test("invalid radius is rejected", () => {
  assert.throws(() => greyErosion(grey, -1), /radius/);
  assert.throws(() => binaryErosion(mask, Number.NaN), /radius/);
});

test("2-D images use the disc x² + y² ≤ r² (skimage disk(4)) for grey and binary operations", () => {
  const f2 = JSON.parse(
    readFileSync(new URL("../fixtures/imaging/b_morphology2d.json", import.meta.url), "utf8"),
  );
  const s2 = f2.shape as [number, number, number];
  const m = s2[0] * s2[1] * s2[2];
  const img: Volume<Uint8Array> = { data: Uint8Array.from(f2.grey), shape: s2, spacing: [1, 1, 1] };
  const msk: Volume<Uint8Array> = { data: new Uint8Array(m), shape: s2, spacing: [1, 1, 1] };
  for (const i of f2.mask) msk.data[i] = 1;
  const idx = (a: number[]) => {
    const o = new Uint8Array(m);
    for (const i of a) o[i] = 1;
    return o;
  };
  assert.equal(mismatches(blackTophat(img, f2.radius).data, f2.black_tophat), 0);
  assert.equal(mismatches(binaryErosion(msk, f2.radius).data, idx(f2.binary_erosion)), 0);
  assert.equal(
    mismatches(binaryErosion(msk, f2.radius, { border: "background" }).data, idx(f2.scipy_binary_erosion)),
    0,
  );
  assert.equal(mismatches(binaryDilation(msk, f2.radius).data, idx(f2.binary_dilation)), 0);
});

/** Brute-force flat min/max over the ellipsoid (dz·sz)² + (dy·sy)² + (dx·sx)² ≤ R², outside ignored. */
function bruteForce(v: Volume<Float64Array>, R: number, isMax: boolean): Float64Array {
  const [nz, ny, nx] = v.shape;
  const [sz, sy, sx] = v.spacing;
  const out = new Float64Array(v.data.length);
  const rz = Math.floor(R / sz + 1e-9);
  const ry = Math.floor(R / sy + 1e-9);
  const rx = Math.floor(R / sx + 1e-9);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        let m = isMax ? -Infinity : Infinity;
        for (let dz = -rz; dz <= rz; dz++)
          for (let dy = -ry; dy <= ry; dy++)
            for (let dx = -rx; dx <= rx; dx++) {
              if ((dz * sz) ** 2 + (dy * sy) ** 2 + (dx * sx) ** 2 > R * R * (1 + 1e-12)) continue;
              const Z = z + dz;
              const Y = y + dy;
              const X = x + dx;
              if (Z < 0 || Y < 0 || X < 0 || Z >= nz || Y >= ny || X >= nx) continue;
              const w = v.data[X + nx * (Y + ny * Z)];
              m = isMax ? Math.max(m, w) : Math.min(m, w);
            }
        out[x + nx * (y + ny * z)] = m;
      }
  return out;
}

test("property: chord/van Herk filters equal brute force for random volumes, ellipsoids and mode 'ignore'", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 7 }),
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 11 }),
      fc.constantFrom<[number, number, number]>([1, 1, 1], [2, 1, 0.5], [0.7, 1.3, 1]),
      fc.double({ min: 0.5, max: 3.5, noNaN: true }),
      fc.integer({ min: 0, max: 1000 }),
      (nz, ny, nx, spacing, R, seed) => {
        const n = nz * ny * nx;
        const data = new Float64Array(n);
        let s = seed + 1;
        for (let i = 0; i < n; i++) {
          s = (s * 1103515245 + 12345) % 2147483648;
          data[i] = s % 97;
        }
        const v: Volume<Float64Array> = { data, shape: [nz, ny, nx], spacing };
        const e = greyErosion(v, 0, { physicalRadius: R, mode: "ignore" });
        const d = greyDilation(v, 0, { physicalRadius: R, mode: "ignore" });
        return (
          mismatches(e.data, bruteForce(v, R, false)) === 0 &&
          mismatches(d.data, bruteForce(v, R, true)) === 0
        );
      },
    ),
    { numRuns: 60, seed: 4 },
  );
});

/** Brute-force binary erosion/dilation by the physical ball, outside per border (reflect: scipy 'reflect'). */
function bruteBinary(
  m: Volume<Uint8Array>,
  R: number,
  dilate: boolean,
  outside: 0 | 1 | "reflect",
): Uint8Array {
  const [nz, ny, nx] = m.shape;
  const b = ballChords(0, m.spacing, R);
  const rz = nz === 1 ? 0 : b.rz;
  const refl = (i: number, n: number) => {
    const p = 2 * n;
    let j = ((i % p) + p) % p;
    if (j >= n) j = p - 1 - j;
    return j;
  };
  const out = new Uint8Array(m.data.length);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        let acc = dilate ? 0 : 1;
        for (let k = 0; k < b.chords.length; k += 3) {
          const dz = b.chords[k];
          if (Math.abs(dz) > rz) continue;
          const dy = b.chords[k + 1];
          for (let dx = -b.chords[k + 2]; dx <= b.chords[k + 2]; dx++) {
            let zz = z + dz;
            let yy = y + dy;
            let xx = x + dx;
            let v: number;
            const inside = zz >= 0 && zz < nz && yy >= 0 && yy < ny && xx >= 0 && xx < nx;
            if (inside) v = m.data[xx + nx * (yy + ny * zz)];
            else if (outside === "reflect") {
              zz = refl(zz, nz);
              yy = refl(yy, ny);
              xx = refl(xx, nx);
              v = m.data[xx + nx * (yy + ny * zz)];
            } else v = outside;
            if (dilate) acc |= v;
            else acc &= v;
          }
        }
        out[x + nx * (y + ny * z)] = acc;
      }
  return out;
}

test("property: bit-parallel binary erosion/dilation equal brute force (foreground, background, reflect borders; ellipsoids; 2-D)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 70 }),
      fc.constantFrom<[number, number, number]>([1, 1, 1], [2, 1, 0.5], [0.7, 1.3, 1]),
      fc.double({ min: 0.5, max: 3.5, noNaN: true }),
      fc.constantFrom("foreground", "background", "reflect"),
      fc.integer({ min: 0, max: 1000 }),
      (nz, ny, nx, spacing, R, border, seed) => {
        const n = nz * ny * nx;
        const data = new Uint8Array(n);
        let s = seed + 1;
        for (let i = 0; i < n; i++) {
          s = (s * 1103515245 + 12345) % 2147483648;
          data[i] = s % 7 < 5 ? 1 : 0;
        }
        const m: Volume<Uint8Array> = { data, shape: [nz, ny, nx], spacing };
        const opt = { physicalRadius: R, border: border as "foreground" | "background" | "reflect" };
        const eOut = border === "reflect" ? "reflect" : border === "background" ? 0 : 1;
        const dOut = border === "reflect" ? "reflect" : 0;
        return (
          mismatches(binaryErosion(m, 0, opt).data, bruteBinary(m, R, false, eOut)) === 0 &&
          mismatches(binaryDilation(m, 0, opt).data, bruteBinary(m, R, true, dOut)) === 0
        );
      },
    ),
    { numRuns: 80, seed: 5 },
  );
});

test("balls wider than one word (r = 33, EDT path) give the brute-force erosion and dilation", () => {
  const shape: [number, number, number] = [1, 5, 90];
  const data = new Uint8Array(450);
  for (let i = 0; i < 450; i++) data[i] = i % 90 > 3 && i % 90 < 80 ? 1 : 0;
  const m: Volume<Uint8Array> = { data, shape, spacing: [1, 1, 1] };
  for (const border of ["foreground", "background", "reflect"] as const) {
    const eOut = border === "reflect" ? "reflect" : border === "background" ? 0 : 1;
    assert.equal(mismatches(binaryErosion(m, 33, { border }).data, bruteBinary(m, 33, false, eOut)), 0);
  }
  assert.equal(mismatches(binaryDilation(m, 33).data, bruteBinary(m, 33, true, 0)), 0);
});

test("closing with border 'reflect' keeps a particle cut by the array edge intact; scipy's border erodes it", () => {
  // a ball of radius 9 centred on the x = 0 face: convex, so its closing is itself
  const shape: [number, number, number] = [24, 24, 20];
  const data = new Uint8Array(24 * 24 * 20);
  for (let z = 0; z < 24; z++)
    for (let y = 0; y < 24; y++)
      for (let x = 0; x < 20; x++)
        if ((z - 12) ** 2 + (y - 12) ** 2 + x * x <= 81) data[x + 20 * (y + 24 * z)] = 1;
  const m: Volume<Uint8Array> = { data, shape, spacing: [1, 1, 1] };
  assert.equal(mismatches(binaryClosing(m, 2, { border: "reflect" }).data, data), 0);
  const scipyLike = binaryClosing(m, 2, { border: "background" }).data;
  let face = 0;
  let lost = 0;
  for (let z = 0; z < 24; z++)
    for (let y = 0; y < 24; y++) {
      face += data[20 * (y + 24 * z)];
      if (data[20 * (y + 24 * z)] && !scipyLike[20 * (y + 24 * z)]) lost++;
    }
  // scipy's border_value = 0 erases the cut face: every voxel of x = 0 becomes background
  assert.equal(lost, face);
});
