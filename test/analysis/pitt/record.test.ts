import assert from "node:assert/strict";
import { test } from "node:test";
import {
  fitPitt,
  fitPittRecord,
  pittCurrentSeries,
  segmentPittSteps,
} from "../../../src/analysis/pitt/index.js";
import { FARADAY, GAS_CONSTANT, T_REF } from "../../../src/constants.js";
import { DV, pittRecord, R, STEPS, VP } from "./synthetic.js";

test("a multi-step PITT record: steps found, each fitted, |∂U/∂c| and i0 from the step itself", () => {
  const { t, v, c } = pittRecord();
  const seg = segmentPittSteps(t, v);
  assert.equal(seg.length, 3);
  assert.ok(Math.abs(seg[0].voltage - seg[0].voltageBefore - DV) < 1e-12);
  const rows = fitPittRecord(t, c, v, { radius: R, hostMoles: VP * 49000, initialX: 0.6 });
  assert.equal(rows.length, 3);
  let charge = 0;
  rows.forEach((row, k) => {
    const s = STEPS[k];
    const f = row.fit;
    assert.ok(f, row.error);
    // exact data: LM tolerance (1e-5); the step time is the last sample of the previous step
    // (the step's own t = 0), so nothing is lost
    assert.ok(Math.abs(f.D.value / s.D - 1) < 1e-5, `step ${k}: D ${f.D.value}`);
    assert.ok(Math.abs(f.B.value / s.B - 1) < 1e-5, `step ${k}: B ${f.B.value}`);
    assert.ok(Math.abs((f.dUdc ?? 0) / s.dUdc - 1) < 1e-5, `step ${k}: dU/dc ${f.dUdc}`);
    const i0 = (s.B * s.D * GAS_CONSTANT * T_REF) / (R * s.dUdc);
    assert.ok(Math.abs((f.i0?.value ?? 0) / i0 - 1) < 1e-5);
    charge += f.Q.value;
    assert.ok(Math.abs(row.cumulativeCharge / charge - 1) < 1e-12);
    assert.ok(Math.abs((row.x ?? 0) - (0.6 - charge / (FARADAY * VP * 49000))) < 1e-12);
  });
});

test("stepVoltage option: i0 from ΔV and the fitted ΔQ equals i0 from the true |∂U/∂c|", () => {
  const s = STEPS[1];
  const Q = (DV * FARADAY * VP) / s.dUdc;
  const tt = Float64Array.from({ length: 300 }, (_, i) => ((5 * R * R) / s.D) ** (i / 299));
  const exact = pittCurrentSeries(tt, { D: s.D, B: s.B, Q, radius: R });
  const a = fitPitt(tt, exact, { radius: R, stepVoltage: DV });
  const b = fitPitt(tt, exact, { radius: R, dUdc: s.dUdc });
  assert.ok(Math.abs((a.i0?.value ?? 0) / (b.i0?.value ?? 1) - 1) < 1e-5);
  // with a 1 % deterministic perturbation the step-derived interval is the wider one: it also
  // carries the ΔQ uncertainty (ln i0 = ln B + ln D + ln ΔQ + const)
  const noisy = Float64Array.from(exact, (v, i) => v * (1 + 0.01 * Math.sin(1.7 * i)));
  const an = fitPitt(tt, noisy, { radius: R, stepVoltage: DV });
  const bn = fitPitt(tt, noisy, { radius: R, dUdc: s.dUdc });
  assert.ok(Math.abs((an.i0?.value ?? 0) / (bn.i0?.value ?? 1) - 1) < 0.01);
  assert.ok((an.i0?.logStandardError ?? 0) > 0 && (bn.i0?.logStandardError ?? 0) > 0);
});
