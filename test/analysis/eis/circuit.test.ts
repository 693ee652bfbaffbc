import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { circuitImpedance, compileCircuit, parseCircuit } from "../../../src/analysis/eis/circuit.js";
import { InputError } from "../../../src/errors.js";

describe("circuit strings (impedance.py syntax)", () => {
  it("orders parameters left to right, each element in its own order", () => {
    const c = compileCircuit("R0-p(R1,C1)-p(R2-Wo1,C2)");
    assert.deepEqual(
      c.parameters.map((p) => p.name),
      ["R0", "R1", "C1", "R2", "Wo1_Z0", "Wo1_tau", "C2"],
    );
    // impedance.py's labels (get_param_names) are accepted as aliases
    assert.deepEqual(
      c.parameters.map((p) => p.alias),
      ["R0", "R1", "C1", "R2", "Wo1_0", "Wo1_1", "C2"],
    );
    assert.deepEqual(
      c.parameters.map((p) => p.unit),
      ["Ohm", "Ohm", "F", "Ohm", "Ohm", "s", "F"],
    );
    assert.equal(c.indexOf("Wo1_1"), 5);
    assert.equal(c.indexOf("CPE1_alpha"), -1);
    const d = compileCircuit(" R0 - p( R1 , CPE1 ) - p(R2-Wsph1, CPE2) - L1 ");
    assert.deepEqual(
      d.parameters.map((p) => p.name),
      ["R0", "R1", "CPE1_Q", "CPE1_alpha", "R2", "Wsph1_RD", "Wsph1_tau", "CPE2_Q", "CPE2_alpha", "L1"],
    );
  });

  it("accepts impedance.py's underscore names (R_0-p(R_1,C_1)-Wo_1)", () => {
    const c = compileCircuit("R_0-p(R_1,C_1)-Wo_1");
    assert.deepEqual(
      c.parameters.map((p) => p.alias),
      ["R_0", "R_1", "C_1", "Wo_1_0", "Wo_1_1"],
    );
  });

  it("parses nesting into a tree", () => {
    const t = parseCircuit("R0-p(R1-p(R2,C2),C1)");
    assert.equal(t.kind, "series");
    if (t.kind !== "series") return;
    const par = t.children[1];
    assert.equal(par.kind, "parallel");
    if (par.kind !== "parallel") return;
    assert.equal(par.children[0].kind, "series");
  });

  const bad: [string, number, RegExp][] = [
    ["R0-p(R1,C1", 11, /expected "," or "\)"/],
    ["R0--C1", 4, /unexpected "-"/],
    ["R0-X1", 4, /unknown element type "X"/],
    ["R0-p(R1)", 4, /at least two branches/],
    ["R0-R0", 4, /appears twice/],
    ["R0 C1", 4, /unexpected "C"/],
    ["", 1, /empty circuit/],
    ["R-C1", 1, /unexpected "R"/],
  ];
  for (const [text, column, message] of bad) {
    it(`rejects "${text}" with the column (${column})`, () => {
      assert.throws(
        () => compileCircuit(text),
        (e: unknown) => e instanceof InputError && e.column === column && message.test(e.message),
      );
    });
  }
});

describe("circuit evaluation", () => {
  it("R0-p(R1-Wo1,C1) equals the hand-combined closed form", () => {
    const [R0, R1, Z0, tau, C1] = [0.0186, 0.0117, 0.0627, 221.2, 1.172];
    const f = [1e-3, 0.1, 10, 100]; // cosh(2a) overflows above ~1 kHz for τ = 221 s
    const z = circuitImpedance("R0-p(R1-Wo1,C1)", f, [R0, R1, Z0, tau, C1]);
    f.forEach((fi, i) => {
      const w = 2 * Math.PI * fi;
      // Wo = Z0·coth(s)/s with complex arithmetic written out independently here
      const a = Math.sqrt((w * tau) / 2); // s = a(1 + j)
      // coth(s) = (sinh 2a − j sin 2a)/(cosh 2a − cos 2a)
      const den = Math.cosh(2 * a) - Math.cos(2 * a);
      const cRe = Math.sinh(2 * a) / den;
      const cIm = -Math.sin(2 * a) / den;
      // coth(s)/s = (cRe + j cIm)·(1 − j)/(2a)
      const woRe = (Z0 * (cRe + cIm)) / (2 * a);
      const woIm = (Z0 * (cIm - cRe)) / (2 * a);
      const bRe = R1 + woRe;
      const bIm = woIm;
      const bb = bRe * bRe + bIm * bIm;
      const yRe = bRe / bb;
      const yIm = -bIm / bb + w * C1;
      const yy = yRe * yRe + yIm * yIm;
      const re = R0 + yRe / yy;
      const im = -yIm / yy;
      // Same formula, different arithmetic path: agreement to ~1e-14 relative.
      assert.ok(Math.abs(z.re[i] - re) < 1e-13 * Math.hypot(re, im), `Re at ${fi}`);
      assert.ok(Math.abs(z.im[i] - im) < 1e-13 * Math.hypot(re, im), `Im at ${fi}`);
    });
  });

  it("high-frequency limit of R0-p(R1,C1)-p(R2,C2)-Wo1 is R0 (impedance.py test_CustomCircuit)", () => {
    const z = circuitImpedance("R0-p(R1,C1)-p(R2,C2)-Wo1", [1e9], [0.01, 0.005, 0.1, 0.005, 0.1, 0.001, 200]);
    // Remaining terms at 1 GHz: 1/(ωC) ~ 1.6e-9 Ω and the Wo tail ~ 1e-9 Ω.
    assert.ok(Math.abs(z.re[0] - 0.01) < 1e-8);
  });

  it("a zero resistance shorts its parallel block", () => {
    const z = circuitImpedance("R0-p(R1,C1)", [1, 10], [2, 0, 1e-3]);
    assert.equal(z.re[0], 2);
    assert.equal(z.im[0], 0);
  });

  it("Jacobian of a nested circuit matches central differences", () => {
    const c = compileCircuit("R0-p(R1,CPE1)-p(R2-p(Wsph1,C3),CPE2)-Ws1-G1-W1-L1");
    const p = Float64Array.from(c.parameters, (q, i) => (q.name.endsWith("alpha") ? 0.8 : 0.3 + 0.1 * i));
    const f = [1e-4, 0.01, 0.3, 1, 10, 1e3, 1e5];
    const n = c.nParameters;
    const m = f.length;
    const zr = new Float64Array(m);
    const zi = new Float64Array(m);
    const dr = new Float64Array(m * n);
    const di = new Float64Array(m * n);
    c.impedanceJacobian(f, p, zr, zi, dr, di);
    for (let k = 0; k < n; k++) {
      const h = 1e-6 * p[k];
      const pp = Float64Array.from(p);
      const pm = Float64Array.from(p);
      pp[k] += h;
      pm[k] -= h;
      const a = circuitImpedance(c, f, pp);
      const b = circuitImpedance(c, f, pm);
      for (let i = 0; i < m; i++) {
        // Central differences: O(h²) truncation + ε|Z|/h round-off ≈ 1e-10 of |Z|/p.
        const tol = 1e-7 * (Math.hypot(zr[i], zi[i]) / p[k]);
        assert.ok(
          Math.abs((a.re[i] - b.re[i]) / (2 * h) - dr[i * n + k]) < tol,
          `dRe/d${c.parameters[k].name} at ${f[i]}`,
        );
        assert.ok(
          Math.abs((a.im[i] - b.im[i]) / (2 * h) - di[i * n + k]) < tol,
          `dIm/d${c.parameters[k].name} at ${f[i]}`,
        );
      }
    }
  });

  it("checks the parameter count", () => {
    assert.throws(() => circuitImpedance("R0-p(R1,C1)", [1], [1, 2]), InputError);
  });
});

describe("circuit algebra (property tests)", () => {
  const positive = fc.double({ min: 1e-3, max: 1e3, noNaN: true });
  it("p(R1,R2) = R1·R2/(R1+R2), series and parallel are commutative", () => {
    fc.assert(
      fc.property(positive, positive, positive, positive, (r1, r2, c1, f) => {
        const a = circuitImpedance("p(R1,R2)", [f], [r1, r2]);
        assert.ok(Math.abs(a.re[0] - (r1 * r2) / (r1 + r2)) <= 1e-14 * a.re[0] && a.im[0] === 0);
        const x = circuitImpedance("R1-p(R2,C1)", [f], [r1, r2, c1]);
        const y = circuitImpedance("p(C1,R2)-R1", [f], [c1, r2, r1]);
        // floating-point sums in another order: a few ulps
        const m = Math.hypot(x.re[0], x.im[0]);
        assert.ok(Math.abs(x.re[0] - y.re[0]) <= 1e-14 * m && Math.abs(x.im[0] - y.im[0]) <= 1e-14 * m);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
  it("a passive circuit has Re Z ≥ 0 and |Z| of p(a,b) ≤ min(|a|, |b|) for RC branches", () => {
    fc.assert(
      fc.property(positive, positive, positive, positive, positive, (r1, r2, c1, c2, f) => {
        const z = circuitImpedance("p(R1-C1,R2-C2)", [f], [r1, c1, r2, c2]);
        const a = circuitImpedance("R1-C1", [f], [r1, c1]);
        const b = circuitImpedance("R2-C2", [f], [r2, c2]);
        assert.ok(z.re[0] >= 0);
        // two branches with phases in [−90°, 0°] add admittances of the same quadrant
        const mz = Math.hypot(z.re[0], z.im[0]);
        assert.ok(mz <= Math.min(Math.hypot(a.re[0], a.im[0]), Math.hypot(b.re[0], b.im[0])) * (1 + 1e-12));
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
