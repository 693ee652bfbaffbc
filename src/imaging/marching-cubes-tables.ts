/**
 * Marching-cubes case tables, derived at load time (no table is copied from another project).
 *
 * Cube corners are numbered by their offsets: corner i = (x, y, z) = (i & 1, (i >> 1) & 1,
 * (i >> 2) & 1). Edge e = 4·axis + k joins corner `EDGE_CORNERS[2e]` (the one with coordinate 0
 * along `axis`) to `EDGE_CORNERS[2e + 1]`.
 *
 * Derivation (the classic construction of Lorensen & Cline 1987 with the face-ambiguity
 * resolution of Nielson & Hamann 1991, which is also the face test of Lewiner et al. 2003;
 * ties — saddle exactly at the level — join the inside corners, as scikit-image does):
 * on each of the six faces, the iso-line crosses the face edges whose end corners lie on
 * different sides of the level; a face with two crossings gets one segment; a face with four
 * crossings (inside corners on a diagonal: the ambiguous face) gets two segments that either
 * separate the two inside corners or join them, chosen per cube by the asymptotic decider
 * (`faceBits`). Segments are oriented so that, seen from outside the cube, the inside corners
 * lie on their right; each crossed edge then has exactly one outgoing and one incoming segment,
 * so the segments chain into closed loops. Every loop is triangulated as a fan (apex chosen
 * by `fanStart`). Because the choice on a face depends only on the four values of that face, the two
 * cubes sharing the face make the same choice and the surface is closed (watertight).
 *
 * What this does not reproduce from Lewiner's tables: the interior ambiguity tests (cases 4,
 * 6, 7, 10, 12, 13, which may join two loops by a tunnel through the cube centre) and Lewiner's
 * particular triangulation of 7-gons. Measured on single 0/1 cubes (test/imaging/
 * marching-cubes.test.ts, fixture b_mc_cases.json): 198 of the 254 cases give scikit-image's
 * area exactly; 24 cases (one 7-gon) give 1.9877 instead of 1.9508 per unit cube; 32 cases get
 * a tunnel with a centre vertex in skimage (9 triangles) and separate sheets here. These cases
 * are rare on smooth objects (spheres and blobs agree to 1e-5, the area requirement of 0.5 % is
 * met on every non-noise fixture) and common on salt-and-pepper masks (−5 %).
 */

/** Corner pairs of the 12 edges (flattened: [a0, b0, a1, b1, ...]). */
export const EDGE_CORNERS: Int8Array = (() => {
  const out = new Int8Array(24);
  for (let axis = 0; axis < 3; axis++) {
    let k = 0;
    for (let c = 0; c < 8; c++) {
      if ((c >> axis) & 1) continue;
      const e = 4 * axis + k++;
      out[2 * e] = c;
      out[2 * e + 1] = c | (1 << axis);
    }
  }
  return out;
})();

/** Axis (0 = x, 1 = y, 2 = z) of each edge. */
export const EDGE_AXIS: Int8Array = Int8Array.from({ length: 12 }, (_, e) => Math.floor(e / 4));

function edgeBetween(a: number, b: number): number {
  for (let e = 0; e < 12; e++) {
    const p = EDGE_CORNERS[2 * e];
    const q = EDGE_CORNERS[2 * e + 1];
    if ((p === a && q === b) || (p === b && q === a)) return e;
  }
  throw new Error(`corners ${a} and ${b} share no edge`);
}

/**
 * Corners of the six faces (flattened, 4 per face), counter-clockwise seen from outside the
 * cube. Face f = 2·axis + side lies at coordinate `side` along `axis`.
 */
export const FACE_CORNERS: Int8Array = (() => {
  const out = new Int8Array(24);
  for (let axis = 0; axis < 3; axis++) {
    const u = (axis + 1) % 3;
    const v = (axis + 2) % 3;
    for (let side = 0; side < 2; side++) {
      // (u, v) = (0,0), (1,0), (1,1), (0,1) is counter-clockwise about +axis (e_u × e_v = e_axis).
      const uv = [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ];
      if (side === 0) uv.reverse();
      const f = 2 * axis + side;
      for (let k = 0; k < 4; k++) out[4 * f + k] = (side << axis) | (uv[k][0] << u) | (uv[k][1] << v);
    }
  }
  return out;
})();

/** Bit mask of the faces that are ambiguous (inside corners on a diagonal) for each case. */
export const AMBIGUOUS_FACES: Uint8Array = (() => {
  const out = new Uint8Array(256);
  for (let cfg = 0; cfg < 256; cfg++) {
    for (let f = 0; f < 6; f++) {
      const i0 = (cfg >> FACE_CORNERS[4 * f]) & 1;
      const i1 = (cfg >> FACE_CORNERS[4 * f + 1]) & 1;
      const i2 = (cfg >> FACE_CORNERS[4 * f + 2]) & 1;
      const i3 = (cfg >> FACE_CORNERS[4 * f + 3]) & 1;
      if (i0 === i2 && i1 === i3 && i0 !== i1) out[cfg] |= 1 << f;
    }
  }
  return out;
})();

/**
 * Triangles (as edge triples) for a case `cfg` (bit i set ⇔ corner i is inside, value > level)
 * and the face decisions `faceBits` (bit f set ⇔ the inside corners of ambiguous face f are
 * joined). Returns a flat list of edge ids, three per triangle.
 */
export function buildCase(cfg: number, faceBits: number): Int8Array {
  const next = new Int8Array(12).fill(-1);
  for (let f = 0; f < 6; f++) {
    const c = [
      FACE_CORNERS[4 * f],
      FACE_CORNERS[4 * f + 1],
      FACE_CORNERS[4 * f + 2],
      FACE_CORNERS[4 * f + 3],
    ];
    const inside = c.map((k) => (cfg >> k) & 1);
    const edges = [0, 1, 2, 3].map((k) => edgeBetween(c[k], c[(k + 1) & 3]));
    // kind[k]: +1 crossing from outside to inside along the CCW walk (A), −1 inside → outside (B).
    const kind = [0, 1, 2, 3].map((k) => inside[(k + 1) & 3] - inside[k]);
    const joined = ((faceBits >> f) & 1) === 1;
    const ambiguous = ((AMBIGUOUS_FACES[cfg] >> f) & 1) === 1;
    for (let k = 0; k < 4; k++) {
      if (kind[k] !== 1) continue;
      let target: number;
      if (!ambiguous) {
        target = kind.indexOf(-1);
      } else {
        // separated: cut off the inside corner after A (B is the next edge);
        // joined: cut off the outside corner before A (B is the previous edge).
        target = joined ? (k + 3) & 3 : (k + 1) & 3;
      }
      next[edges[k]] = edges[target];
    }
  }
  const tris: number[] = [];
  const seen = new Uint8Array(12);
  for (let e = 0; e < 12; e++) {
    if (next[e] < 0 || seen[e]) continue;
    const loop: number[] = [];
    let cur = e;
    while (!seen[cur]) {
      seen[cur] = 1;
      loop.push(cur);
      cur = next[cur];
    }
    const s0 = fanStart(loop);
    const L = loop.length;
    for (let i = 1; i + 1 < L; i++) tris.push(loop[s0], loop[(s0 + i) % L], loop[(s0 + i + 1) % L]);
  }
  return Int8Array.from(tris);
}

const cache: (Int8Array | undefined)[] = new Array(256 * 64);

/** Cached `buildCase`; `faceBits` is masked to the ambiguous faces of `cfg`. */
export function caseTriangles(cfg: number, faceBits: number): Int8Array {
  const key = cfg | ((faceBits & AMBIGUOUS_FACES[cfg]) << 8);
  let t = cache[key];
  if (t === undefined) {
    t = buildCase(cfg, faceBits & AMBIGUOUS_FACES[cfg]);
    cache[key] = t;
  }
  return t;
}

/** Midpoint of edge e in cube coordinates (x, y, z). */
function mid(e: number): [number, number, number] {
  const a = EDGE_CORNERS[2 * e];
  const b = EDGE_CORNERS[2 * e + 1];
  return [
    ((a & 1) + (b & 1)) / 2,
    (((a >> 1) & 1) + ((b >> 1) & 1)) / 2,
    (((a >> 2) & 1) + ((b >> 2) & 1)) / 2,
  ];
}
function triArea(p: number[], q: number[], r: number[]): number {
  const u = [q[0] - p[0], q[1] - p[1], q[2] - p[2]];
  const w = [r[0] - p[0], r[1] - p[1], r[2] - p[2]];
  const n = [u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]];
  return 0.5 * Math.hypot(n[0], n[1], n[2]);
}
/**
 * Fan apex for a loop: the vertex whose fan has the largest area when the vertices sit at the
 * edge midpoints (the geometry of a 0/1 mask at level 0.5). A 5- or 6-gon of marching cubes is
 * not planar and its area depends on the diagonals chosen; this choice reproduces the areas of
 * scikit-image's Lewiner tables on voxelised spheres to 1e-6 (test/imaging/marching-cubes).
 */
function fanStart(loop: number[]): number {
  if (loop.length <= 3) return 0;
  const L = loop.length;
  let best = 0;
  let bestA = -1;
  for (let s = 0; s < L; s++) {
    let a = 0;
    for (let i = 1; i + 1 < L; i++)
      a += triArea(mid(loop[s]), mid(loop[(s + i) % L]), mid(loop[(s + i + 1) % L]));
    if (a > bestA + 1e-12) {
      bestA = a;
      best = s;
    }
  }
  return best;
}
