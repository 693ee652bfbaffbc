/**
 * Synthetic GITT records from the exact constant-flux sphere solution (test helper, shared by
 * the analysis and CLI tests).
 */
import { FARADAY } from "../../../src/constants.js";

/**
 * Exact surface concentration of a sphere under constant outward flux J from t = 0
 * (Crank 1975 ch. 6, constant surface flux): c_s = c0 − (J·R/D)·f(s), s = D·t/R²,
 * f(s) = 3s + 1/5 − 2 Σ exp(−α_n² s)/α_n², tan α_n = α_n (α_n > 0). f(0) = 0 because
 * Σ 1/α_n² = 1/10. The sum is taken over 4000 roots plus the integral of the tail.
 */
export function makeF(): (s: number) => number {
  const N = 4000;
  const alpha = new Float64Array(N);
  for (let n = 1; n <= N; n++) {
    // root of tan α = α in (nπ, nπ + π/2): bisection on sin α − α cos α
    let lo = n * Math.PI + 1e-12;
    let hi = n * Math.PI + Math.PI / 2 - 1e-12;
    const g = (a: number) => Math.sin(a) - a * Math.cos(a);
    const glo = g(lo);
    for (let k = 0; k < 80; k++) {
      const mid = 0.5 * (lo + hi);
      if (g(mid) * glo > 0) lo = mid;
      else hi = mid;
    }
    alpha[n - 1] = 0.5 * (lo + hi);
  }
  return (s: number) => {
    if (s <= 0) return 0;
    let sum = 0;
    for (let n = 0; n < N; n++) sum += Math.exp(-alpha[n] * alpha[n] * s) / (alpha[n] * alpha[n]);
    // tail Σ_{n>N} ≈ (1/π)∫_{a}^{∞} exp(−α²s)/α² dα, a = α_N + π/2 (root spacing π)
    const a = alpha[N - 1] + Math.PI / 2;
    const tail = (Math.exp(-a * a * s) / a - Math.sqrt(Math.PI * s) * erfcApprox(a * Math.sqrt(s))) / Math.PI;
    return 3 * s + 0.2 - 2 * (sum + tail);
  };
}

/** erfc for the tail term only (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7; the tail is ≲1e-5). */
function erfcApprox(x: number): number {
  const t = 1 / (1 + 0.3275911 * x);
  const y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return y * Math.exp(-x * x);
}

export const f = makeF();
export const R = 5e-6; // m
export const D = 1e-14; // m²/s
export const CMAX = 49000; // mol/m³
export const KU = 1.0; // V per unit x: U = U0 + KU·(c0 − c)/c_max (U rises as Li leaves)
export const U0 = 3.8; // V
export const ROHM = 5e6; // Ω
export const I = 1e-9; // A

/** A GITT record: `pulses` pulses of duration tau separated by 3 h rests, exact voltage. */
export function gittRecord(tau: number, pulses = 5, dtPulse = tau / 100) {
  const area = 4 * Math.PI * R * R;
  const J = I / (FARADAY * area); // mol/(m²·s), out of the particle on charge
  const starts: number[] = [];
  const t: number[] = [];
  const cur: number[] = [];
  let now = 0;
  for (let j = 1; j <= 10; j++) {
    t.push(j * 60);
    cur.push(0);
  }
  now = 600;
  const rest = 3 * 3600;
  for (let p = 0; p < pulses; p++) {
    starts.push(now);
    for (let j = 1; j <= Math.round(tau / dtPulse); j++) {
      t.push(now + j * dtPulse);
      cur.push(I);
    }
    now += tau;
    // rest samples: dense after switch-off, then every 60 s
    for (let j = 1; j <= 20; j++) {
      t.push(now + j * 0.5);
      cur.push(0);
    }
    for (let tt = now + 60; tt <= now + rest + 1e-9; tt += 60) {
      t.push(tt);
      cur.push(0);
    }
    now += rest;
  }
  const v = t.map((time, i) => {
    let dc = 0;
    for (const t0 of starts) {
      if (time > t0) dc += f((D * (time - t0)) / (R * R));
      if (time > t0 + tau) dc -= f((D * (time - t0 - tau)) / (R * R));
    }
    const cs = CMAX * 0.9 - ((J * R) / D) * dc;
    return U0 + (KU * (CMAX * 0.9 - cs)) / CMAX + cur[i] * ROHM;
  });
  return { t: Float64Array.from(t), v: Float64Array.from(v), i: Float64Array.from(cur) };
}
