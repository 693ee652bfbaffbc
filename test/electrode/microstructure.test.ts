import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  microstructureFromParticles,
  parseParticleCsv,
  parseParticleJson,
} from "../../src/electrode/import.js";
import {
  COLLECTOR,
  describeMicrostructure,
  EdgeKind,
  generateMicrostructure,
  type Microstructure,
} from "../../src/electrode/microstructure.js";
import { Xoshiro128 } from "../../src/electrode/random.js";
import { InputError } from "../../src/errors.js";

/** Nodes that reach the collector through carbon strands only. */
function carbonReachable(ms: Microstructure): Uint8Array {
  const P = ms.particles.count;
  const C = ms.carbon.count;
  const adj: number[][] = Array.from({ length: C }, () => []);
  const seen = new Uint8Array(C);
  const queue: number[] = [];
  for (let e = 0; e < ms.edges.count; e++) {
    const k = ms.edges.kind[e];
    if (k === EdgeKind.CarbonCollector) {
      const c = ms.edges.a[e] - P;
      if (!seen[c]) {
        seen[c] = 1;
        queue.push(c);
      }
    } else if (k === EdgeKind.CarbonCarbon) {
      adj[ms.edges.a[e] - P].push(ms.edges.b[e] - P);
      adj[ms.edges.b[e] - P].push(ms.edges.a[e] - P);
    }
  }
  while (queue.length > 0) {
    const c = queue.pop() as number;
    for (const d of adj[c])
      if (!seen[d]) {
        seen[d] = 1;
        queue.push(d);
      }
  }
  return seen;
}

describe("Xoshiro128", () => {
  it("is reproducible and has the moments of U(0,1) and N(0,1)", () => {
    const a = new Xoshiro128(42);
    const b = new Xoshiro128(42);
    for (let i = 0; i < 10; i++) assert.equal(a.nextUint32(), b.nextUint32());
    assert.notEqual(new Xoshiro128(1).nextUint32(), new Xoshiro128(2).nextUint32());
    const r = new Xoshiro128(7);
    const n = 200000;
    let s = 0;
    let s2 = 0;
    let g = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      assert.ok(u >= 0 && u < 1);
      s += u;
      s2 += u * u;
      const z = r.normal();
      g += z;
      g2 += z * z;
    }
    // 5 standard errors: mean of U has sd sqrt(1/12/n) = 6.5e-4; N mean sd 2.2e-3, var sd 3.2e-3
    assert.ok(Math.abs(s / n - 0.5) < 3.3e-3);
    assert.ok(Math.abs(s2 / n - 1 / 3) < 3.3e-3);
    assert.ok(Math.abs(g / n) < 1.2e-2);
    assert.ok(Math.abs(g2 / n - 1) < 1.6e-2);
  });
});

describe("generateMicrostructure", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const a = generateMicrostructure({ particles: 300, seed: 3 });
    const b = generateMicrostructure({ particles: 300, seed: 3 });
    const c = generateMicrostructure({ particles: 300, seed: 4 });
    assert.deepEqual(a.particles.x, b.particles.x);
    assert.deepEqual(a.edges.a, b.edges.a);
    assert.notDeepEqual(a.particles.x, c.particles.x);
  });

  for (const dimension of [2, 3] as const) {
    it(`${dimension}D: no overlaps, particles inside the box, connected carbon, coverage`, () => {
      const n = 800;
      const coverage = 0.6;
      const ms = generateMicrostructure({
        particles: n,
        dimension,
        seed: 11,
        coverage,
        packingFraction: dimension === 3 ? 0.33 : 0.45,
      });
      const { x, y, z, radius } = ms.particles;
      assert.equal(ms.particles.count, n);
      for (let i = 0; i < n; i++) {
        assert.ok(z[i] - radius[i] >= -1e-15 && z[i] + radius[i] <= ms.box[2] + 1e-15);
        assert.ok(x[i] - radius[i] >= -1e-15 && x[i] + radius[i] <= ms.box[0] + 1e-15);
        if (dimension === 2) assert.equal(y[i], 0);
      }
      // no two particles overlap (O(n²) check, n small)
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const d = Math.hypot(x[i] - x[j], y[i] - y[j], z[i] - z[j]);
          assert.ok(d >= radius[i] + radius[j] - 1e-15, `overlap ${i} ${j}`);
        }
      }
      // every kept carbon junction reaches the collector through carbon
      const reach = carbonReachable(ms);
      assert.ok(reach.every((v) => v === 1));
      // covered share: binomial, sd sqrt(0.24/800) = 0.017; 4 sd (a few drawn covered particles
      // may find no junction and are then uncovered)
      const d = describeMicrostructure(ms);
      assert.ok(Math.abs(d.coveredFraction - coverage) < 0.07, `coverage ${d.coveredFraction}`);
      // every covered particle has a carbon or collector edge, no uncovered one has
      const hasCarbon = new Uint8Array(n);
      for (let e = 0; e < ms.edges.count; e++) {
        const k = ms.edges.kind[e];
        if (k === EdgeKind.ParticleCarbon || k === EdgeKind.ParticleCollector) hasCarbon[ms.edges.a[e]] = 1;
        if (k === EdgeKind.ParticleCollector) assert.equal(ms.edges.b[e], COLLECTOR);
      }
      assert.deepEqual(hasCarbon, ms.particles.covered);
      // lognormal radii: median near 5 µm (sd of the log median ≈ 1.25·0.3/sqrt(800) = 0.013)
      const sorted = Float64Array.from(radius).sort();
      assert.ok(Math.abs(Math.log(sorted[n >> 1] / 5e-6)) < 0.06);
    });
  }

  it("cracked particles: two fragments inside the parent, a fragment contact, the small one uncovered", () => {
    const ms = generateMicrostructure({ particles: 200, seed: 5, crackedFraction: 0.5, coverage: 1 });
    const P = ms.particles.count;
    assert.ok(P > 230 && P < 370, `${P} fragments+particles`);
    let fragments = 0;
    for (let e = 0; e < ms.edges.count; e++) {
      if (ms.edges.kind[e] !== EdgeKind.Fragment) continue;
      fragments++;
      const a = ms.edges.a[e];
      const b = ms.edges.b[e];
      const big = ms.particles.radius[a] >= ms.particles.radius[b] ? a : b;
      const small = big === a ? b : a;
      assert.equal(ms.particles.parent[a], ms.particles.parent[b]);
      assert.equal(ms.particles.covered[small], 0);
      // volumes add up to the parent's: r_big³ + r_small³ = R³ with the fragments inside
      assert.ok(ms.particles.radius[big] > ms.particles.radius[small]);
    }
    assert.equal(fragments, P - 200);
  });

  it("rejects bad options with InputError", () => {
    assert.throws(() => generateMicrostructure({ particles: 0 }), InputError);
    assert.throws(() => generateMicrostructure({ particles: 10, coverage: 1.5 }), InputError);
    assert.throws(() => generateMicrostructure({ particles: 10, dimension: 4 as 3 }), InputError);
  });
});

describe("particle-list import", () => {
  it("round-trips a generated microstructure through CSV in micrometres", () => {
    const ms = generateMicrostructure({ particles: 120, seed: 9 });
    const p = ms.particles;
    const rows = ["# exported", "x_um,y_um,z_um,radius_um,covered"];
    for (let i = 0; i < p.count; i++)
      rows.push(`${p.x[i] * 1e6},${p.y[i] * 1e6},${p.z[i] * 1e6},${p.radius[i] * 1e6},${p.covered[i]}`);
    const list = parseParticleCsv(rows.join("\n"));
    assert.equal(list.x.length, p.count);
    for (let i = 0; i < p.count; i++) {
      // µm → m conversion: relative round-off ~1e-16
      assert.ok(Math.abs(list.radius[i] - p.radius[i]) < 1e-20);
    }
    const back = microstructureFromParticles(list, { seed: 9 });
    assert.deepEqual(back.particles.covered, p.covered);
    // the same gap rule gives the same particle–particle contacts
    const contacts = (m: Microstructure) => {
      const s: string[] = [];
      for (let e = 0; e < m.edges.count; e++)
        if (m.edges.kind[e] === EdgeKind.ParticleParticle) s.push(`${m.edges.a[e]}-${m.edges.b[e]}`);
      return s.sort();
    };
    assert.deepEqual(contacts(back), contacts(ms));
  });

  it("reads JSON with explicit contacts and reports bad rows with their line", () => {
    const list = parseParticleJson({
      unit: "um",
      particles: [
        { x: 5, y: 5, z: 5, radius: 5, covered: true },
        { x: 14.9, y: 5, z: 5, radius: 5 },
        { x: 40, y: 5, z: 5, radius: 5 },
      ],
      contacts: [[1, 2]],
    });
    const ms = microstructureFromParticles(list);
    const pp = [];
    for (let e = 0; e < ms.edges.count; e++)
      if (ms.edges.kind[e] === EdgeKind.ParticleParticle) pp.push([ms.edges.a[e], ms.edges.b[e]]);
    // overlapping pair 0–1 found by the gap rule (gap 0 with explicit contacts), 1–2 from the list
    assert.deepEqual(pp, [
      [0, 1],
      [1, 2],
    ]);
    assert.equal(ms.particles.covered[0], 1);
    assert.throws(
      () => parseParticleCsv("x,y,z,radius\n1,2,3,4\n1,2,oops,4\n"),
      (e: unknown) => e instanceof InputError && e.line === 3 && e.field === "z",
    );
    assert.throws(
      () => parseParticleCsv("x,y,radius\n1,2,3\n"),
      (e: unknown) => e instanceof InputError && e.field === "z",
    );
    assert.throws(() => parseParticleJson({ particles: [{ x: 1, y: 1, z: 1, radius: -1 }] }), InputError);
    assert.throws(
      () => parseParticleJson({ particles: [{ x: 1, y: 1, z: 1, radius: 1 }], contacts: [[0, 5]] }),
      InputError,
    );
  });
});
