import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../../src/errors.js";
import { parseImpedance, parseTimeSeries } from "../../../src/io/instruments/index.js";
import { latin1 } from "./data.js";

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const positive = fc.double({ min: 1e-4, max: 1e6, noNaN: true, noDefaultInfinity: true });

describe("round trips through text", () => {
  it("CSV with header: values written with 17 significant digits read back exactly", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(positive, finite, finite), { minLength: 1, maxLength: 40 }), (rows) => {
        const text = `freq/Hz,Re(Z)/Ohm,Im(Z)/Ohm\n${rows.map((r) => r.map((v) => v.toPrecision(17)).join(",")).join("\n")}\n`;
        const [s] = parseImpedance(latin1(text), "r.csv");
        rows.forEach(([f, re, im], i) => {
          assert.equal(s.frequency[i], f);
          assert.equal(s.zReal[i], re === 0 ? 0 : re); // -0 prints as "0.0000…" and reads as +0
          assert.equal(s.zImag[i], im === 0 ? 0 : im);
        });
      }),
      { seed: 20261122, numRuns: 100 },
    );
  });

  it("EC-Lab text with decimal commas and −Im(Z): Im(Z) = −column, exactly", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(positive, finite, finite), { minLength: 1, maxLength: 30 }), (rows) => {
        const fmt = (v: number) => v.toExponential(16).replace(".", ",");
        const body = rows.map(([f, re, im]) => `${fmt(f)}\t${fmt(re)}\t${fmt(-im)}`);
        const text = [
          "EC-Lab ASCII FILE",
          "Nb header lines : 4",
          "",
          "freq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm",
          ...body,
        ].join("\n");
        const [s] = parseImpedance(latin1(text), "r.mpt");
        rows.forEach(([f, re, im], i) => {
          assert.equal(s.frequency[i], f);
          // "+ 0" folds −0 into +0: text "-0.0…" and negation of 0 give −0, which is the same number.
          assert.equal(s.zReal[i] + 0, re + 0);
          assert.equal(s.zImag[i] + 0, im + 0);
        });
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it("time series in mA and min: converted by exact division / multiplication", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(positive, finite), { minLength: 1, maxLength: 30 }), (rows) => {
        const text = `t [min];I [mA]\n${rows.map(([t, i]) => `${t.toPrecision(17).replace(".", ",")};${i.toPrecision(17).replace(".", ",")}`).join("\n")}\n`;
        const s = parseTimeSeries(latin1(text), "r.csv");
        rows.forEach(([t, i], k) => {
          assert.equal(s.time[k], t * 60);
          assert.equal(s.current[k], (i === 0 ? 0 : i) / 1000);
        });
        assert.equal(s.voltage, undefined);
      }),
      { seed: 11, numRuns: 100 },
    );
  });
});

describe("missing headers", () => {
  it("headerless CSV with a mapping by name → InputError listing the columns", () => {
    assert.throws(
      () => parseImpedance(latin1("1,2,3\n4,5,6\n"), "h.csv", { columns: { frequency: "freq/Hz" } }),
      (e: unknown) => e instanceof InputError && e.field === "frequency" && /column 1/.test(e.message),
    );
  });
  it("Gamry table without names/units lines → InputError at the line after TABLE", () => {
    const text = "EXPLAIN\nTAG\tEISPOT\nZCURVE\tTABLE\n\t0\t1\t2\n";
    assert.throws(
      () => parseImpedance(latin1(text), "z.DTA"),
      (e: unknown) => e instanceof InputError && e.line === 4 && /lacks its names and units/.test(e.message),
    );
  });
  it("EC-Lab header pointing at a data line → InputError", () => {
    const text2 = ["EC-Lab ASCII FILE", "Nb header lines : 4", "", "1\t2\t3", "1\t2\t3"].join("\n");
    assert.throws(
      () => parseImpedance(latin1(text2), "h.mpt"),
      (e: unknown) => e instanceof InputError && e.line === 4 && /column-name line/.test(e.message),
    );
  });
});
