/**
 * Small-signal impedance of the discretised particle about its present state (SPEC §3.3,
 * issue 3 item 1): linearise M du/dt = f(u, i_tot) and solve (jωM − ∂f/∂u) δu = ∂f/∂i_tot
 * for each angular frequency ω with a complex Thomas algorithm (the system is
 * tridiagonal). Valid for non-uniform (relaxing or loaded) states, because the Jacobian is
 * taken at the actual profile. Then
 *   Z_particle(ω) = (δE/δi_tot + R_film)/S,  Z(ω) = R_ohm + Z_contact + Z_particle,
 * with an optional contact R_c ‖ CPE (Q, α): Z_contact = R_c / (1 + R_c Q (jω)^α).
 */
import type { ParticleSimulator } from "./simulator.js";

export interface ContactElement {
  /** Contact resistance R_c [Ω]. */
  resistance: number;
  /** CPE coefficient Q [F·s^(α−1)]. */
  cpeQ: number;
  /** CPE exponent α (0 < α ≤ 1). */
  cpeAlpha: number;
}

export interface ImpedanceResult {
  /** Frequencies [Hz]. */
  frequency: Float64Array;
  /** Re Z [Ω]. */
  zReal: Float64Array;
  /** Im Z [Ω] (negative = capacitive). */
  zImag: Float64Array;
}

/** Log-spaced frequencies from fMax down to fMin with `perDecade` points per decade [Hz]. */
export function logFrequencies(fMax: number, fMin: number, perDecade: number): Float64Array {
  if (!(fMax > fMin && fMin > 0 && perDecade > 0))
    throw new RangeError("need fMax > fMin > 0 and perDecade > 0");
  const decades = Math.log10(fMax / fMin);
  const n = Math.round(decades * perDecade) + 1;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = fMax * 10 ** (-k / perDecade);
  out[n - 1] = fMin;
  return out;
}

/**
 * Impedance of the particle at the given frequencies [Hz] about its present state.
 * Cost: one Jacobian evaluation plus O(N) complex operations per frequency.
 */
export function particleImpedance(
  sim: ParticleSimulator,
  frequencies: ArrayLike<number>,
  contact?: ContactElement,
): ImpedanceResult {
  const { lower, diag, upper, mass } = sim.linearize();
  const n = diag.length;
  const m = frequencies.length;
  const zr = new Float64Array(m);
  const zi = new Float64Array(m);
  const cpr = new Float64Array(n);
  const cpi = new Float64Array(n);
  const dr = new Float64Array(n);
  const di = new Float64Array(n);
  const area = sim.reactingArea;
  const rFilm = sim.params.filmResistance;
  const rOhm = sim.params.ohmicResistance;
  for (let k = 0; k < m; k++) {
    const w = 2 * Math.PI * frequencies[k];
    // complex Thomas on A = jωM + J, rhs e_{n−1}
    let br = diag[0];
    let bi = w * mass[0];
    let inv = 1 / (br * br + bi * bi);
    // c'_0 = c_0 / b_0
    cpr[0] = upper[0] * br * inv;
    cpi[0] = -upper[0] * bi * inv;
    dr[0] = 0;
    di[0] = 0;
    for (let i = 1; i < n; i++) {
      // denom = b_i − a_i c'_{i−1}
      br = diag[i] - lower[i] * cpr[i - 1];
      bi = w * mass[i] - lower[i] * cpi[i - 1];
      inv = 1 / (br * br + bi * bi);
      cpr[i] = upper[i] * br * inv;
      cpi[i] = -upper[i] * bi * inv;
      const rr = (i === n - 1 ? 1 : 0) - lower[i] * dr[i - 1];
      const ri = -lower[i] * di[i - 1];
      dr[i] = (rr * br + ri * bi) * inv;
      di[i] = (ri * br - rr * bi) * inv;
    }
    // back substitution only needed for the last unknown (δE), which is d_{n−1}
    let re = (dr[n - 1] + rFilm) / area + rOhm;
    let im = di[n - 1] / area;
    if (contact) {
      // Z_c = R/(1 + R Q (jω)^α)
      const wa = w ** contact.cpeAlpha;
      const phase = (contact.cpeAlpha * Math.PI) / 2;
      const yr = 1 + contact.resistance * contact.cpeQ * wa * Math.cos(phase);
      const yi = contact.resistance * contact.cpeQ * wa * Math.sin(phase);
      const d = yr * yr + yi * yi;
      re += (contact.resistance * yr) / d;
      im += (-contact.resistance * yi) / d;
    }
    zr[k] = re;
    zi[k] = im;
  }
  return { frequency: Float64Array.from(frequencies), zReal: zr, zImag: zi };
}
