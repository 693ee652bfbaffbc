/**
 * Small seeded pseudo-random generator for reproducible synthetic volumes and tests.
 *
 * xoshiro128** (Blackman & Vigna 2018, "Scrambled linear pseudorandom number generators",
 * public-domain reference description) seeded through splitmix32 (Steele, Lea & Flood 2014)
 * so that nearby integer seeds give unrelated streams. Normal deviates by the Box–Muller
 * transform (Box & Muller 1958), one cached value.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Integer uniform in [0, n). */
  int(n: number): number;
  /** Standard normal deviate N(0, 1). */
  normal(): number;
  /** Unit vector uniformly distributed on the sphere, as [z, y, x]. */
  direction(): [number, number, number];
}

/** Create a generator from a 32-bit integer seed (any number; its low 32 bits are used). */
export function createRng(seed = 1): Rng {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  if ((a | b | c | d) === 0) a = 1;
  const nextU32 = () => {
    const r = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r;
  };
  let spare: number | null = null;
  const next = () => nextU32() / 4294967296;
  const rng: Rng = {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (n) => Math.floor(next() * n),
    normal: () => {
      if (spare !== null) {
        const v = spare;
        spare = null;
        return v;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    direction: () => {
      const z = 2 * next() - 1;
      const phi = 2 * Math.PI * next();
      const rho = Math.sqrt(Math.max(0, 1 - z * z));
      return [z, rho * Math.sin(phi), rho * Math.cos(phi)];
    },
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
