/**
 * Electrode microstructures for the network model (SPEC §3.6, seed 003 Fig. 4a): spherical
 * active particles above a current collector (z = 0), a carbon-binder network that touches
 * only part of them, particle–particle contacts, and optionally cracked particles split into
 * fragments with a weak internal contact (seed 003 Fig. 2: the smaller fragment of a split
 * particle delithiates later, "likely having a worse electrical connection").
 *
 * Nodes of the conduction graph: particles 0…P−1, carbon junctions P…P+C−1, and the current
 * collector (index COLLECTOR = −1). Edges carry their geometry only; conductances, which depend
 * on each particle's Li fraction through κ(x), are computed by the network model.
 *
 * 2D microstructures are a monolayer cross-section: sphere centres in the x–z plane (y = 0),
 * as in the 2D model of seed 003 Fig. 4a; the particles are still spheres for diffusion.
 */
import { InputError } from "../errors.js";
import { Xoshiro128 } from "./random.js";

/** Index of the current-collector node in edge endpoint arrays. */
export const COLLECTOR = -1;

/** Edge kinds. */
export const EdgeKind = {
  /** Carbon junction – carbon junction strand. */
  CarbonCarbon: 0,
  /** Carbon junction – current collector strand. */
  CarbonCollector: 1,
  /** Particle – carbon junction contact. */
  ParticleCarbon: 2,
  /** Particle – particle contact (current passes through both bodies). */
  ParticleParticle: 3,
  /** Particle – current collector contact. */
  ParticleCollector: 4,
  /** Contact between two fragments of one cracked particle. */
  Fragment: 5,
} as const;

export interface ParticleSet {
  readonly count: number;
  /** Centre coordinates [m]; z is the height above the current collector. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  /** Radius [m]. */
  readonly radius: Float64Array;
  /** Index of the parent particle for fragments of a cracked particle, else −1. */
  readonly parent: Int32Array;
  /** 1 if the particle has a direct carbon-binder (or collector) contact. */
  readonly covered: Uint8Array;
}

export interface EdgeSet {
  readonly count: number;
  /** Endpoints (node indices; COLLECTOR = −1 for the collector, only ever in `b`). */
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly kind: Uint8Array;
  /**
   * Contact-spot radius [m] for contacts that pass through a particle body (kinds 2–5), or
   * the strand length [m] for carbon strands (kinds 0–1).
   */
  readonly size: Float64Array;
}

export interface Microstructure {
  readonly dimension: 2 | 3;
  /** Box extent [m] along x, y, z (y extent 0 in 2D). */
  readonly box: readonly [number, number, number];
  readonly particles: ParticleSet;
  /** Carbon junction positions [m]. */
  readonly carbon: {
    readonly count: number;
    readonly x: Float64Array;
    readonly y: Float64Array;
    readonly z: Float64Array;
  };
  readonly edges: EdgeSet;
}

/**
 * Default carbon coverage of the seed-003 scenario: the share of particles with a direct
 * carbon-binder contact. Seed 003 gives no number; in its 2D model (Fig. 4a) one of the five
 * imaged top particles "has a direct carbon binder connection", the others sit behind one to
 * four NMC particles — 0.2, taken as is. The synchrony results depend on it (seed 003:
 * coverage "determines the intensity of reaction heterogeneity"); docs/electrode.md gives
 * the sweep.
 */
export const DEFAULT_COVERAGE = 0.2;

export interface NetworkOptions {
  /** Seed of the random generator (default 1). */
  seed?: number;
  /**
   * Coverage: share of particles with a direct carbon-binder contact, 0…1 (default
   * DEFAULT_COVERAGE = 0.3, the seed-003 scenario).
   * Ignored for particles whose coverage is given explicitly (imported lists).
   */
  coverage?: number;
  /** Carbon junctions per particle (default 1). */
  carbonPerParticle?: number;
  /** Connectivity: mean number of carbon–carbon strands per junction (default 4). */
  carbonDegree?: number;
  /**
   * Particle–particle contact when the gap between surfaces is below this fraction of the
   * pair's mean radius (default 0.25 in 3D, 0.5 in 2D; a binder bridge or near touch).
   */
  contactGap?: number;
  /** Contact-spot radius as a fraction of the smaller particle's radius (default 0.2). */
  contactRadiusFraction?: number;
}

export interface GeneratorOptions extends NetworkOptions {
  /** Number of particles before cracking (1 … 2·10⁵). */
  particles: number;
  /** 2 (cross-section monolayer) or 3 (default 3). */
  dimension?: 2 | 3;
  /** Median particle radius [m] (default 5 µm, NMC532 secondary particles of seed 003). */
  medianRadius?: number;
  /** Log-standard deviation of the lognormal radius distribution (default 0.3). */
  radiusSigma?: number;
  /** Target solid volume (3D) or area (2D) fraction of the random packing (default 0.35 / 0.45). */
  packingFraction?: number;
  /** Electrode thickness [m] (default 6 median diameters, or less for small N). */
  thickness?: number;
  /** Fraction of particles that are cracked into two fragments (default 0). */
  crackedFraction?: number;
  /** Fragment contact radius relative to an ordinary contact (default 0.2). */
  fragmentContactFactor?: number;
}

function checkFraction(v: number, field: string, lo = 0, hi = 1): number {
  if (!(v >= lo && v <= hi))
    throw new InputError(`${field} must be between ${lo} and ${hi}`, { field, value: String(v) });
  return v;
}

function checkPositive(v: number, field: string, unit: string): number {
  if (!(v > 0) || !Number.isFinite(v))
    throw new InputError(`${field} must be positive`, { field, value: String(v), expected: `> 0 ${unit}` });
  return v;
}

/** Uniform bucket grid over points for neighbour queries. */
class BucketGrid {
  readonly cell: number;
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  private readonly head: Int32Array;
  private next: Int32Array;
  constructor(
    readonly box: readonly [number, number, number],
    cell: number,
    capacity: number,
  ) {
    this.cell = cell;
    this.nx = Math.max(1, Math.ceil(box[0] / cell));
    this.ny = Math.max(1, Math.ceil(box[1] / cell));
    this.nz = Math.max(1, Math.ceil(box[2] / cell));
    if (this.nx * this.ny * this.nz > 5e7)
      throw new InputError("microstructure too large for the neighbour grid", { field: "particles" });
    this.head = new Int32Array(this.nx * this.ny * this.nz).fill(-1);
    this.next = new Int32Array(Math.max(capacity, 1));
  }
  private clampIdx(v: number, n: number): number {
    const i = Math.floor(v / this.cell);
    return i < 0 ? 0 : i >= n ? n - 1 : i;
  }
  insert(id: number, x: number, y: number, z: number): void {
    if (id >= this.next.length) {
      const g = new Int32Array(this.next.length * 2 + id + 1);
      g.set(this.next);
      this.next = g;
    }
    const c =
      this.clampIdx(x, this.nx) + this.nx * (this.clampIdx(y, this.ny) + this.ny * this.clampIdx(z, this.nz));
    this.next[id] = this.head[c];
    this.head[c] = id;
  }
  /** Visit ids in cells overlapping the cube of half-width r around (x, y, z). Stop if fn returns true. */
  query(x: number, y: number, z: number, r: number, fn: (id: number) => boolean | undefined): boolean {
    const i0 = this.clampIdx(x - r, this.nx);
    const i1 = this.clampIdx(x + r, this.nx);
    const j0 = this.clampIdx(y - r, this.ny);
    const j1 = this.clampIdx(y + r, this.ny);
    const k0 = this.clampIdx(z - r, this.nz);
    const k1 = this.clampIdx(z + r, this.nz);
    for (let k = k0; k <= k1; k++)
      for (let j = j0; j <= j1; j++)
        for (let i = i0; i <= i1; i++) {
          for (let id = this.head[i + this.nx * (j + this.ny * k)]; id >= 0; id = this.next[id])
            if (fn(id)) return true;
        }
    return false;
  }
}

/** Growable edge list. */
class EdgeBuilder {
  a: number[] = [];
  b: number[] = [];
  kind: number[] = [];
  size: number[] = [];
  add(a: number, b: number, kind: number, size: number): void {
    this.a.push(a);
    this.b.push(b);
    this.kind.push(kind);
    this.size.push(size);
  }
  build(): EdgeSet {
    return {
      count: this.a.length,
      a: Int32Array.from(this.a),
      b: Int32Array.from(this.b),
      kind: Uint8Array.from(this.kind),
      size: Float64Array.from(this.size),
    };
  }
}

/**
 * Generate a seeded random microstructure: lognormal radii packed by random sequential
 * addition (largest first) in a box above the collector, optional cracking, then the contact
 * and carbon networks (see `buildNetwork`).
 */
export function generateMicrostructure(options: GeneratorOptions): Microstructure {
  const n = options.particles;
  if (!Number.isInteger(n) || n < 1 || n > 200000) {
    throw new InputError("number of particles must be an integer from 1 to 200000", {
      field: "particles",
      value: String(n),
    });
  }
  const dim = options.dimension ?? 3;
  if (dim !== 2 && dim !== 3)
    throw new InputError("dimension must be 2 or 3", { field: "dimension", value: String(dim) });
  const seed = options.seed ?? 1;
  const rng = new Xoshiro128(seed);
  const median = checkPositive(options.medianRadius ?? 5e-6, "medianRadius", "m");
  const sigma = checkFraction(options.radiusSigma ?? 0.3, "radiusSigma", 0, 1.5);
  const phi = checkFraction(
    options.packingFraction ?? (dim === 3 ? 0.35 : 0.45),
    "packingFraction",
    0.01,
    dim === 3 ? 0.38 : 0.54,
  );
  const cracked = checkFraction(options.crackedFraction ?? 0, "crackedFraction");
  const radii = new Float64Array(n);
  let solid = 0;
  for (let i = 0; i < n; i++) {
    // clamp to [0.4, 2.5]× median so that one outlier does not set the bucket size
    const r = Math.min(2.5 * median, Math.max(0.4 * median, rng.lognormal(median, sigma)));
    radii[i] = r;
    solid += dim === 3 ? (4 / 3) * Math.PI * r ** 3 : Math.PI * r * r;
  }
  radii.sort().reverse();
  const rMax = radii[0];
  const total = solid / phi;
  let thickness = options.thickness ?? 12 * median;
  checkPositive(thickness, "thickness", "m");
  let width: number;
  if (dim === 3) {
    width = Math.sqrt(total / thickness);
    if (width < thickness) {
      width = Math.cbrt(total);
      thickness = width;
    }
  } else {
    width = total / thickness;
    if (width < thickness) {
      width = Math.sqrt(total);
      thickness = width;
    }
  }
  thickness = Math.max(thickness, 2.2 * rMax);
  width = Math.max(width, 2.2 * rMax);
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  const pz = new Float64Array(n);
  let box: [number, number, number] = [width, dim === 3 ? width : 0, thickness];
  // random sequential addition; walls make small boxes hard to fill, so widen and retry
  for (let round = 0; ; round++) {
    box = [width, dim === 3 ? width : 0, thickness];
    const grid = new BucketGrid(box, 2 * rMax, n);
    let placed = 0;
    for (let i = 0; i < n; i++) {
      const r = radii[i];
      let ok = false;
      for (let attempt = 0; attempt < 500 && !ok; attempt++) {
        const x = rng.range(r, width - r);
        const y = dim === 3 ? rng.range(r, width - r) : 0;
        const z = rng.range(r, thickness - r);
        const overlap = grid.query(x, y, z, r + rMax, (j) => {
          const d2 = (px[j] - x) ** 2 + (py[j] - y) ** 2 + (pz[j] - z) ** 2;
          return d2 < (radii[j] + r) ** 2;
        });
        if (!overlap) {
          px[i] = x;
          py[i] = y;
          pz[i] = z;
          grid.insert(i, x, y, z);
          ok = true;
        }
      }
      if (!ok) break;
      placed++;
    }
    if (placed === n) break;
    if (round >= 20) {
      throw new InputError(`could not pack ${n} particles at packing fraction ${phi} (placed ${placed})`, {
        field: "packingFraction",
        expected: "a lower packing fraction",
      });
    }
    width *= 1.08;
  }
  // cracking: split into a large and a small fragment inside the original sphere
  const fx: number[] = [];
  const fy: number[] = [];
  const fz: number[] = [];
  const fr: number[] = [];
  const parent: number[] = [];
  const fragmentPairs: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (cracked > 0 && rng.uniform() < cracked) {
      const small = rng.range(0.2, 0.45); // volume fraction of the small fragment
      let dx = rng.normal();
      let dy = dim === 3 ? rng.normal() : 0;
      let dz = rng.normal();
      const dn = Math.hypot(dx, dy, dz) || 1;
      dx /= dn;
      dy /= dn;
      dz /= dn;
      const R = radii[i];
      const rl = R * Math.cbrt(1 - small);
      const rs = R * Math.cbrt(small);
      const il = fr.length;
      fx.push(px[i] - (R - rl) * dx, px[i] + (R - rs) * dx);
      fy.push(py[i] - (R - rl) * dy, py[i] + (R - rs) * dy);
      fz.push(pz[i] - (R - rl) * dz, pz[i] + (R - rs) * dz);
      fr.push(rl, rs);
      parent.push(i, i);
      fragmentPairs.push([il, il + 1]);
    } else {
      fx.push(px[i]);
      fy.push(py[i]);
      fz.push(pz[i]);
      fr.push(radii[i]);
      parent.push(-1);
    }
  }
  const m = fr.length;
  // spatial ordering (height layers, then y, then x) for cache locality of the network solve
  const cell = 2 * median;
  const key = new Float64Array(m);
  const ncx = Math.ceil(width / cell) + 1;
  const ncy = Math.ceil(Math.max(box[1], 1e-30) / cell) + 1;
  for (let i = 0; i < m; i++) {
    key[i] = Math.floor(fx[i] / cell) + ncx * (Math.floor(fy[i] / cell) + ncy * Math.floor(fz[i] / cell));
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((p, q) => key[p] - key[q] || p - q);
  const rank = new Int32Array(m);
  order.forEach((o, i) => {
    rank[o] = i;
  });
  const particles = {
    count: m,
    x: Float64Array.from(order, (o) => fx[o]),
    y: Float64Array.from(order, (o) => fy[o]),
    z: Float64Array.from(order, (o) => fz[o]),
    radius: Float64Array.from(order, (o) => fr[o]),
    parent: Int32Array.from(order, (o) => parent[o]),
    covered: new Uint8Array(m),
  };
  const fragments = fragmentPairs.map(([p, q]) => {
    // the larger fragment first
    const a = rank[p];
    const b = rank[q];
    return particles.radius[a] >= particles.radius[b]
      ? ([a, b] as [number, number])
      : ([b, a] as [number, number]);
  });
  return buildNetwork(
    dim,
    box,
    particles,
    { ...options, seed },
    rng,
    fragments,
    options.fragmentContactFactor ?? 0.2,
  );
}

/**
 * Contacts and carbon network around given particles.
 * - particle–particle contacts where the surface gap < contactGap·(R_i + R_j)/2;
 * - carbon junctions uniformly in the box, linked to neighbours within the distance that
 *   gives `carbonDegree` links on average (random geometric graph), and to the collector
 *   when within that distance of z = 0; junctions not connected to the collector are dropped
 *   (they could carry no current);
 * - each covered particle contacts its nearest collector-connected junction(s) (two when
 *   available within reach), and the collector when it lies within the contact gap of it;
 * - for fragment pairs: a weak fragment contact, and the small fragment is never covered.
 * @param covered per-particle coverage flags to use as given (imported lists); when absent
 *   each particle is covered with probability `coverage`.
 */
export function buildNetwork(
  dim: 2 | 3,
  box: readonly [number, number, number],
  particles: ParticleSet,
  options: NetworkOptions,
  rng: Xoshiro128 = new Xoshiro128(options.seed ?? 1),
  fragments: readonly [number, number][] = [],
  fragmentContactFactor = 0.2,
  coveredGiven?: Uint8Array,
): Microstructure {
  const coverage = checkFraction(options.coverage ?? DEFAULT_COVERAGE, "coverage");
  const carbonPer = checkFraction(options.carbonPerParticle ?? 1, "carbonPerParticle", 0, 100);
  const degree = checkFraction(options.carbonDegree ?? 4, "carbonDegree", 0.5, 50);
  // a 2D cross-section loses the out-of-plane neighbours: a wider gap keeps a comparable
  // coordination (≈2 instead of ≈1 at 0.25)
  const gapFrac = checkFraction(options.contactGap ?? (dim === 2 ? 0.5 : 0.25), "contactGap", 0, 5);
  const aFrac = checkFraction(options.contactRadiusFraction ?? 0.2, "contactRadiusFraction", 1e-4, 1);
  const P = particles.count;
  let rMax = 0;
  for (let i = 0; i < P; i++) rMax = Math.max(rMax, particles.radius[i]);
  const edges = new EdgeBuilder();
  const bx: [number, number, number] = [
    Math.max(box[0], 1e-12),
    dim === 3 ? Math.max(box[1], 1e-12) : 0,
    Math.max(box[2], 1e-12),
  ];
  const grid = new BucketGrid(bx, Math.max(2 * rMax * (1 + gapFrac), 1e-12), P);
  for (let i = 0; i < P; i++) grid.insert(i, particles.x[i], particles.y[i], particles.z[i]);
  const isFragmentPair = new Set<string>();
  for (const [p, q] of fragments) {
    isFragmentPair.add(`${Math.min(p, q)},${Math.max(p, q)}`);
    edges.add(
      p,
      q,
      EdgeKind.Fragment,
      fragmentContactFactor * aFrac * Math.min(particles.radius[p], particles.radius[q]),
    );
  }
  const nbr: number[] = [];
  for (let i = 0; i < P; i++) {
    const ri = particles.radius[i];
    nbr.length = 0;
    grid.query(
      particles.x[i],
      particles.y[i],
      particles.z[i],
      ri + rMax * (1 + gapFrac) + rMax * gapFrac,
      (j) => {
        if (j > i) nbr.push(j);
        return false;
      },
    );
    nbr.sort((p, q) => p - q);
    for (const j of nbr) {
      const rj = particles.radius[j];
      const d = Math.hypot(
        particles.x[i] - particles.x[j],
        particles.y[i] - particles.y[j],
        particles.z[i] - particles.z[j],
      );
      if (d - ri - rj < gapFrac * 0.5 * (ri + rj) && !isFragmentPair.has(`${i},${j}`)) {
        if (particles.parent[i] >= 0 && particles.parent[i] === particles.parent[j]) continue;
        edges.add(i, j, EdgeKind.ParticleParticle, aFrac * Math.min(ri, rj));
      }
    }
  }
  // carbon junctions
  const volume = dim === 3 ? bx[0] * bx[1] * bx[2] : bx[0] * bx[2];
  const C0 = Math.round(carbonPer * P);
  const density = C0 / volume;
  const linkLength =
    dim === 3 ? Math.cbrt((3 * degree) / (4 * Math.PI * density)) : Math.sqrt(degree / (Math.PI * density));
  const cx = new Float64Array(C0);
  const cy = new Float64Array(C0);
  const cz = new Float64Array(C0);
  for (let c = 0; c < C0; c++) {
    cx[c] = rng.range(0, bx[0]);
    cy[c] = dim === 3 ? rng.range(0, bx[1]) : 0;
    cz[c] = rng.range(0, bx[2]);
  }
  // union-find over junctions; component of the collector = C0
  const uf = new Int32Array(C0 + 1);
  for (let i = 0; i <= C0; i++) uf[i] = i;
  const find = (i: number): number => {
    while (uf[i] !== i) {
      uf[i] = uf[uf[i]];
      i = uf[i];
    }
    return i;
  };
  const union = (i: number, j: number) => {
    const a = find(i);
    const b = find(j);
    if (a < b) uf[b] = a;
    else if (b < a) uf[a] = b;
  };
  const cgrid = C0 > 0 ? new BucketGrid(bx, Math.max(linkLength, 1e-12), C0) : null;
  for (let c = 0; c < C0; c++) cgrid?.insert(c, cx[c], cy[c], cz[c]);
  const carbonLinks: [number, number, number][] = [];
  const cn: number[] = [];
  for (let c = 0; c < C0; c++) {
    cn.length = 0;
    cgrid?.query(cx[c], cy[c], cz[c], linkLength, (d) => {
      if (d > c) cn.push(d);
      return false;
    });
    cn.sort((p, q) => p - q);
    for (const d of cn) {
      const L = Math.hypot(cx[c] - cx[d], cy[c] - cy[d], cz[c] - cz[d]);
      if (L <= linkLength) {
        carbonLinks.push([c, d, L]);
        union(c, d);
      }
    }
    if (cz[c] <= linkLength) {
      carbonLinks.push([c, COLLECTOR, Math.max(cz[c], 0.05 * linkLength)]);
      union(c, C0);
    }
  }
  // keep junctions connected to the collector, numbered in spatial order (height layers, then
  // y, then x) so that the network matrix has good cache locality
  const keep = new Int32Array(C0).fill(-1);
  let C = 0;
  const root = find(C0);
  const cellSize = Math.max(linkLength, 1e-12);
  const ncx = Math.ceil(bx[0] / cellSize) + 1;
  const ncy = Math.ceil(Math.max(bx[1], 1e-30) / cellSize) + 1;
  const cellOf = (c: number) =>
    Math.floor(cx[c] / cellSize) + ncx * (Math.floor(cy[c] / cellSize) + ncy * Math.floor(cz[c] / cellSize));
  const kept: number[] = [];
  for (let c = 0; c < C0; c++) if (find(c) === root) kept.push(c);
  kept.sort((p, q) => cellOf(p) - cellOf(q) || p - q);
  for (const c of kept) keep[c] = C++;
  const carbon = { count: C, x: new Float64Array(C), y: new Float64Array(C), z: new Float64Array(C) };
  for (let c = 0; c < C0; c++) {
    const k = keep[c];
    if (k >= 0) {
      carbon.x[k] = cx[c];
      carbon.y[k] = cy[c];
      carbon.z[k] = cz[c];
    }
  }
  for (const [c, d, L] of carbonLinks) {
    if (keep[c] < 0) continue;
    if (d === COLLECTOR) edges.add(P + keep[c], COLLECTOR, EdgeKind.CarbonCollector, L);
    else if (keep[d] >= 0) edges.add(P + keep[c], P + keep[d], EdgeKind.CarbonCarbon, L);
  }
  // coverage
  const smallFragment = new Uint8Array(P);
  for (const [, q] of fragments) smallFragment[q] = 1;
  const kgrid = C > 0 ? new BucketGrid(bx, Math.max(linkLength, 1e-12), C) : null;
  for (let k = 0; k < C; k++) kgrid?.insert(k, carbon.x[k], carbon.y[k], carbon.z[k]);
  const covered = particles.covered;
  for (let i = 0; i < P; i++) {
    const isCovered = coveredGiven ? coveredGiven[i] === 1 : !smallFragment[i] && rng.uniform() < coverage;
    covered[i] = isCovered ? 1 : 0;
    if (!isCovered) continue;
    const ri = particles.radius[i];
    const a = aFrac * ri;
    let connected = false;
    if (particles.z[i] - ri < gapFrac * ri) {
      edges.add(i, COLLECTOR, EdgeKind.ParticleCollector, a);
      connected = true;
    }
    if (C > 0 && kgrid) {
      // the two nearest junctions within R + linkLength; else the nearest one anywhere
      let best1 = -1;
      let best2 = -1;
      let d1 = Number.POSITIVE_INFINITY;
      let d2 = Number.POSITIVE_INFINITY;
      let reach = ri + linkLength;
      for (let pass = 0; pass < 40 && best1 < 0; pass++) {
        kgrid.query(particles.x[i], particles.y[i], particles.z[i], reach, (k) => {
          const d = Math.hypot(
            particles.x[i] - carbon.x[k],
            particles.y[i] - carbon.y[k],
            particles.z[i] - carbon.z[k],
          );
          if (d < d1 || (d === d1 && k < best1)) {
            d2 = d1;
            best2 = best1;
            d1 = d;
            best1 = k;
          } else if (d < d2) {
            d2 = d;
            best2 = k;
          }
          return false;
        });
        reach *= 2;
      }
      if (best1 >= 0) {
        edges.add(i, P + best1, EdgeKind.ParticleCarbon, a);
        connected = true;
      }
      if (best2 >= 0 && d2 <= ri + linkLength) edges.add(i, P + best2, EdgeKind.ParticleCarbon, a);
    }
    if (!connected) covered[i] = 0;
  }
  return { dimension: dim, box: bx, particles, carbon, edges: edges.build() };
}

/** Summary numbers of a microstructure (for reports and tests). */
export function describeMicrostructure(m: Microstructure) {
  const P = m.particles.count;
  const degree = new Int32Array(P);
  let pp = 0;
  let pc = 0;
  let cc = 0;
  let fragments = 0;
  for (let e = 0; e < m.edges.count; e++) {
    const k = m.edges.kind[e];
    if (k === EdgeKind.ParticleParticle || k === EdgeKind.Fragment) {
      degree[m.edges.a[e]]++;
      degree[m.edges.b[e]]++;
      if (k === EdgeKind.Fragment) fragments++;
      else pp++;
    } else if (k === EdgeKind.ParticleCarbon || k === EdgeKind.ParticleCollector) pc++;
    else cc++;
  }
  let covered = 0;
  let solid = 0;
  for (let i = 0; i < P; i++) {
    covered += m.particles.covered[i];
    solid += (4 / 3) * Math.PI * m.particles.radius[i] ** 3;
  }
  let meanDegree = 0;
  for (let i = 0; i < P; i++) meanDegree += degree[i] / Math.max(P, 1);
  return {
    particles: P,
    carbonJunctions: m.carbon.count,
    particleContacts: pp,
    fragmentContacts: fragments,
    carbonContacts: pc,
    carbonStrands: cc,
    coveredFraction: P > 0 ? covered / P : 0,
    meanParticleCoordination: meanDegree,
    /** Active material volume [m³]. */
    solidVolume: solid,
    box: [...m.box] as [number, number, number],
  };
}
