/**
 * Equivalent-circuit elements: impedance Z(ω) [Ω] and its analytic derivatives with respect to
 * the element's parameters, on (re, im) pairs with no allocation in the hot path.
 *
 * Definitions follow impedance.py (ECSHackWeek, docs "Circuit elements") so that circuit strings
 * and fitted numbers are interchangeable with it, plus the finite spherical diffusion element
 * `Wsph` of REFERENCE §4 / SPEC §3.3 (Jacobsen & West, Electrochim. Acta 40 (1995) 255):
 *
 *   R    Z = R
 *   C    Z = 1/(jωC)
 *   L    Z = jωL
 *   CPE  Z = 1/(Q·(jω)^α)
 *   W    Z = σ·(1 − j)/√ω                         (semi-infinite Warburg)
 *   Wo   Z = Z0·coth(s)/s,  s = √(jωτ)              (finite-length, reflective boundary)
 *   Ws   Z = Z0·tanh(s)/s                           (finite-length, transmissive boundary)
 *   Wsph Z = R_D·tanh(s)/(s − tanh s)               (finite spherical diffusion)
 *   G    Z = R_G/√(1 + jω·t_G)                      (Gerischer)
 *
 * All three finite diffusion elements are written through f(s) = s·coth(s) and
 * h(s) = s·f'(s) = s·coth(s) − s²·csch²(s), evaluated with e^(−2s) (stable for large |s|) or,
 * for |s|² < 0.04, with the Bernoulli series s·coth(s) = Σ 2^(2n)·B_2n·s^(2n)/(2n)!
 * (Abramowitz & Stegun 4.5.67) which removes the cancellation in f − 1 at small |s|:
 *   Wo = Z0·f/s²,  Ws = Z0/f,  Wsph = R_D/(f − 1).
 */

/** One parameter of an element type. */
export interface ElementParameter {
  /** Short name as used in parameter labels (`R`, `Q`, `alpha`, `Z0`, `tau`). */
  name: string;
  /** SI unit of the parameter, as text. */
  unit: string;
  /** Default lower bound for fits. */
  lower: number;
  /** Default upper bound for fits. */
  upper: number;
  /** What the parameter is. */
  description: string;
}

/** An element type (R, C, CPE, Wo, …). */
export interface ElementType {
  /** Type prefix as written in circuit strings (`R`, `CPE`, `Wsph`). */
  type: string;
  description: string;
  parameters: readonly ElementParameter[];
  /**
   * Impedance at angular frequency `omega` [rad/s] with parameters `p[offset …]` (SI).
   * Writes out[0] = Re Z, out[1] = Im Z [Ω]. If `grad` is not null, writes
   * grad[2k] = ∂Re Z/∂p_k and grad[2k+1] = ∂Im Z/∂p_k for the element's k-th parameter.
   */
  evaluate(
    omega: number,
    p: ArrayLike<number>,
    offset: number,
    out: Float64Array,
    grad: Float64Array | null,
  ): void;
}

// ---------------------------------------------------------------------------------------------
// f(s) = s·coth(s) − 1 = g and h(s) = s·f'(s) for s = √(jωτ), written into a scratch buffer.

/** Bernoulli-series coefficients of s·coth(s) in powers of u = s²: 1, 1/3, −1/45, 2/945, … */
const COTH_SERIES = [
  1,
  1 / 3,
  -1 / 45,
  2 / 945,
  -1 / 4725,
  2 / 93555,
  -1382 / 638512875,
  4 / 18243225,
  -3617 / 162820783125,
];

/** Below this |s|² = ωτ the series is used (next term < 1e-17 relative; direct form loses ≤ 25 ε). */
const SERIES_LIMIT = 0.04;

/** Scratch: [gRe, gIm, hRe, hIm] where g = s·coth(s) − 1, h = s·d(s·coth s)/ds. */
const diffusionScratch = new Float64Array(4);

/**
 * g(s) = s·coth(s) − 1 and h(s) = s·coth(s) − s²·csch²(s) for s = √(j·x), x = ωτ ≥ 0,
 * into `diffusionScratch`.
 */
function diffusionFunctions(x: number): void {
  if (x < SERIES_LIMIT) {
    // u = j·x; u^n cycles through 1, j, −1, −j times x^n.
    let gRe = 0;
    let gIm = 0;
    let hRe = 0;
    let hIm = 0;
    let xn = 1;
    for (let n = 1; n < COTH_SERIES.length; n++) {
      xn *= x;
      const c = COTH_SERIES[n] * xn;
      let re = 0;
      let im = 0;
      switch (n & 3) {
        case 0:
          re = c;
          break;
        case 1:
          im = c;
          break;
        case 2:
          re = -c;
          break;
        default:
          im = -c;
      }
      gRe += re;
      gIm += im;
      hRe += 2 * n * re;
      hIm += 2 * n * im;
    }
    diffusionScratch[0] = gRe;
    diffusionScratch[1] = gIm;
    diffusionScratch[2] = hRe;
    diffusionScratch[3] = hIm;
    return;
  }
  // s = a(1 + j), a = √(x/2); e = exp(−2s) = exp(−2a)·(cos 2a − j sin 2a).
  const a = Math.sqrt(x / 2);
  const m = Math.exp(-2 * a);
  const eRe = m * Math.cos(2 * a);
  const eIm = -m * Math.sin(2 * a);
  // coth(s) = (1 + e)/(1 − e)
  const dRe = 1 - eRe;
  const dIm = -eIm;
  const dd = dRe * dRe + dIm * dIm;
  const nRe = 1 + eRe;
  const nIm = eIm;
  const cothRe = (nRe * dRe + nIm * dIm) / dd;
  const cothIm = (nIm * dRe - nRe * dIm) / dd;
  // f = s·coth(s), s = a + ja
  const fRe = a * (cothRe - cothIm);
  const fIm = a * (cothRe + cothIm);
  // csch²(s) = 4e/(1 − e)²; (1 − e)² = (dRe + j dIm)²
  const d2Re = dRe * dRe - dIm * dIm;
  const d2Im = 2 * dRe * dIm;
  const d2 = d2Re * d2Re + d2Im * d2Im;
  const cschRe = (4 * (eRe * d2Re + eIm * d2Im)) / d2;
  const cschIm = (4 * (eIm * d2Re - eRe * d2Im)) / d2;
  // s² = j·x → s²·csch² = j x (cRe + j cIm) = −x cIm + j x cRe
  diffusionScratch[0] = fRe - 1;
  diffusionScratch[1] = fIm;
  diffusionScratch[2] = fRe + x * cschIm;
  diffusionScratch[3] = fIm - x * cschRe;
}

// ---------------------------------------------------------------------------------------------

const POS = { lower: 0, upper: Number.POSITIVE_INFINITY };

export const RESISTOR: ElementType = {
  type: "R",
  description: "resistor, Z = R",
  parameters: [{ name: "R", unit: "Ohm", ...POS, description: "resistance" }],
  evaluate(_omega, p, o, out, grad) {
    out[0] = p[o];
    out[1] = 0;
    if (grad) {
      grad[0] = 1;
      grad[1] = 0;
    }
  },
};

export const CAPACITOR: ElementType = {
  type: "C",
  description: "capacitor, Z = 1/(jωC)",
  parameters: [{ name: "C", unit: "F", ...POS, description: "capacitance" }],
  evaluate(omega, p, o, out, grad) {
    const c = p[o];
    out[0] = 0;
    out[1] = -1 / (omega * c);
    if (grad) {
      grad[0] = 0;
      grad[1] = 1 / (omega * c * c);
    }
  },
};

export const INDUCTOR: ElementType = {
  type: "L",
  description: "inductor, Z = jωL",
  parameters: [{ name: "L", unit: "H", ...POS, description: "inductance" }],
  evaluate(omega, p, o, out, grad) {
    out[0] = 0;
    out[1] = omega * p[o];
    if (grad) {
      grad[0] = 0;
      grad[1] = omega;
    }
  },
};

export const CPE: ElementType = {
  type: "CPE",
  description: "constant-phase element, Z = 1/(Q·(jω)^α)",
  parameters: [
    { name: "Q", unit: "F*s^(alpha-1)", ...POS, description: "CPE coefficient" },
    { name: "alpha", unit: "1", lower: 0, upper: 1, description: "CPE exponent" },
  ],
  evaluate(omega, p, o, out, grad) {
    const q = p[o];
    const alpha = p[o + 1];
    // Z = ω^(−α)/Q · exp(−jαπ/2)
    const mag = Math.exp(-alpha * Math.log(omega)) / q;
    const phi = (alpha * Math.PI) / 2;
    const re = mag * Math.cos(phi);
    const im = -mag * Math.sin(phi);
    out[0] = re;
    out[1] = im;
    if (grad) {
      grad[0] = -re / q;
      grad[1] = -im / q;
      // ∂Z/∂α = Z·(−ln ω − jπ/2)
      const lw = Math.log(omega);
      const h = Math.PI / 2;
      grad[2] = -re * lw + im * h;
      grad[3] = -im * lw - re * h;
    }
  },
};

export const WARBURG: ElementType = {
  type: "W",
  description: "semi-infinite Warburg, Z = σ·(1 − j)/√ω",
  parameters: [{ name: "sigma", unit: "Ohm*s^-0.5", ...POS, description: "Warburg coefficient" }],
  evaluate(omega, p, o, out, grad) {
    const k = 1 / Math.sqrt(omega);
    out[0] = p[o] * k;
    out[1] = -p[o] * k;
    if (grad) {
      grad[0] = k;
      grad[1] = -k;
    }
  },
};

export const WARBURG_OPEN: ElementType = {
  type: "Wo",
  description: "finite-length Warburg, reflective boundary, Z = Z0·coth(√(jωτ))/√(jωτ)",
  parameters: [
    { name: "Z0", unit: "Ohm", ...POS, description: "diffusion resistance" },
    { name: "tau", unit: "s", ...POS, description: "diffusion time constant L²/D" },
  ],
  evaluate(omega, p, o, out, grad) {
    const z0 = p[o];
    const tau = p[o + 1];
    const x = omega * tau;
    diffusionFunctions(x);
    // Z = Z0·f/u with u = jx: f/(jx) = (fIm − j fRe)/x
    const fRe = 1 + diffusionScratch[0];
    const fIm = diffusionScratch[1];
    const bRe = fIm / x;
    const bIm = -fRe / x;
    out[0] = z0 * bRe;
    out[1] = z0 * bIm;
    if (grad) {
      grad[0] = bRe;
      grad[1] = bIm;
      // ∂Z/∂τ = Z0·(h − 2f)/(2τ·u)
      const nRe = diffusionScratch[2] - 2 * fRe;
      const nIm = diffusionScratch[3] - 2 * fIm;
      const k = z0 / (2 * tau * x);
      grad[2] = k * nIm;
      grad[3] = -k * nRe;
    }
  },
};

export const WARBURG_SHORT: ElementType = {
  type: "Ws",
  description: "finite-length Warburg, transmissive boundary, Z = Z0·tanh(√(jωτ))/√(jωτ)",
  parameters: [
    { name: "Z0", unit: "Ohm", ...POS, description: "diffusion resistance" },
    { name: "tau", unit: "s", ...POS, description: "diffusion time constant L²/D" },
  ],
  evaluate(omega, p, o, out, grad) {
    // Z = Z0·tanh(s)/s = Z0/(s·coth s) = Z0/(1 + g), g = s·coth(s) − 1
    reciprocalDiffusion(p[o], p[o + 1], omega, 1, out, grad);
  },
};

/**
 * Z = A/(shift + g) and its parameter gradient, with g and h from `diffusionFunctions(ωτ)`
 * (∂g/∂τ = h/(2τ)): the common form of the transmissive (shift 1) and spherical (shift 0)
 * finite-diffusion elements. ∂Z/∂A = 1/f, ∂Z/∂τ = −A·h/(2τ f²).
 */
function reciprocalDiffusion(
  amplitude: number,
  tau: number,
  omega: number,
  shift: number,
  out: Float64Array,
  grad: Float64Array | null,
): void {
  diffusionFunctions(omega * tau);
  const fRe = shift + diffusionScratch[0];
  const fIm = diffusionScratch[1];
  const ff = fRe * fRe + fIm * fIm;
  const bRe = fRe / ff;
  const bIm = -fIm / ff;
  out[0] = amplitude * bRe;
  out[1] = amplitude * bIm;
  if (grad) {
    grad[0] = bRe;
    grad[1] = bIm;
    const b2Re = bRe * bRe - bIm * bIm;
    const b2Im = 2 * bRe * bIm;
    const hRe = diffusionScratch[2];
    const hIm = diffusionScratch[3];
    const k = -amplitude / (2 * tau);
    grad[2] = k * (hRe * b2Re - hIm * b2Im);
    grad[3] = k * (hRe * b2Im + hIm * b2Re);
  }
}

export const WARBURG_SPHERE: ElementType = {
  type: "Wsph",
  description: "finite spherical diffusion, Z = R_D·tanh(s)/(s − tanh s), s = √(jωτ), τ = Rp²/D",
  parameters: [
    { name: "RD", unit: "Ohm", ...POS, description: "diffusion resistance |dU/dc|·Rp/(F·A·D)" },
    { name: "tau", unit: "s", ...POS, description: "diffusion time Rp²/D" },
  ],
  evaluate(omega, p, o, out, grad) {
    // Z = R_D/g with g = s·coth(s) − 1 = (s − tanh s)/tanh s
    reciprocalDiffusion(p[o], p[o + 1], omega, 0, out, grad);
  },
};

export const GERISCHER: ElementType = {
  type: "G",
  description: "Gerischer, Z = R_G/√(1 + jω·t_G)",
  parameters: [
    { name: "RG", unit: "Ohm", ...POS, description: "Gerischer resistance" },
    { name: "tG", unit: "s", ...POS, description: "Gerischer time constant" },
  ],
  evaluate(omega, p, o, out, grad) {
    const rg = p[o];
    const t = p[o + 1];
    const y = omega * t;
    // w = √(1 + jy), principal branch (Re w > 0)
    const r = Math.hypot(1, y);
    const wRe = Math.sqrt((r + 1) / 2);
    const wIm = y / (2 * wRe);
    // 1/w
    const ww = wRe * wRe + wIm * wIm;
    const bRe = wRe / ww;
    const bIm = -wIm / ww;
    out[0] = rg * bRe;
    out[1] = rg * bIm;
    if (grad) {
      grad[0] = bRe;
      grad[1] = bIm;
      // ∂Z/∂t = −R_G·jω/(2 w³) = (−R_G ω/2)·j·(1/w)³
      const b2Re = bRe * bRe - bIm * bIm;
      const b2Im = 2 * bRe * bIm;
      const b3Re = b2Re * bRe - b2Im * bIm;
      const b3Im = b2Re * bIm + b2Im * bRe;
      const k = (-rg * omega) / 2;
      grad[2] = -k * b3Im;
      grad[3] = k * b3Re;
    }
  },
};

/** All element types by their circuit-string prefix. */
export const ELEMENT_TYPES: Readonly<Record<string, ElementType>> = {
  R: RESISTOR,
  C: CAPACITOR,
  L: INDUCTOR,
  CPE,
  W: WARBURG,
  Wo: WARBURG_OPEN,
  Ws: WARBURG_SHORT,
  Wsph: WARBURG_SPHERE,
  G: GERISCHER,
};

/**
 * Impedance of one element over a frequency array (convenience for tests and reports; allocates
 * its outputs).
 * @param frequency [Hz]
 * @param params element parameters (SI, the element's order)
 * @returns Re and Im of Z [Ω]
 */
export function elementImpedance(
  element: ElementType,
  frequency: ArrayLike<number>,
  params: ArrayLike<number>,
): { re: Float64Array; im: Float64Array } {
  const n = frequency.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const z = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    element.evaluate(2 * Math.PI * frequency[i], params, 0, z, null);
    re[i] = z[0];
    im[i] = z[1];
  }
  return { re, im };
}
