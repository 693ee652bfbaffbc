/**
 * A small seeded pseudo-random generator for the mechanics module (Voronoi seeds, grain
 * orientations). sfc32 ("small fast chaotic", Chris Doty-Humphrey, PractRand) seeded from a
 * 32-bit integer through splitmix32; period ≥ 2^32, passes PractRand to several TB.
 * Deterministic across platforms (pure 32-bit integer arithmetic).
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** @param seed any integer (only the low 32 bits matter) */
  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      // splitmix32 (Steele, Lea & Flood 2014, 32-bit variant)
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  integer(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal deviate (Box–Muller). */
  normal(): number {
    let u = this.next();
    while (u <= 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
