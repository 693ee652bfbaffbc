/**
 * Radial grid for the vertex-centred finite-volume discretisation of a sphere.
 *
 * Nodes r_0 = 0 < r_1 < … < r_N = R (node N sits on the surface, so the surface
 * concentration is a primary unknown). Node i owns the control volume between the faces
 * r_{i−1/2} = (r_{i−1} + r_i)/2 and r_{i+1/2} (with r_{−1/2} = 0 and r_{N+1/2} = R): the
 * centre and surface nodes own half cells. Lithium content Σ V_i c_i is then exactly
 * conserved by the flux form (each face flux leaves one volume and enters its neighbour).
 */

export interface RadialGrid {
  /** Number of intervals (shells) N; there are N + 1 nodes. */
  readonly shells: number;
  /** Particle radius [m]. */
  readonly radius: number;
  /** Node radii r_i [m], length N + 1. */
  readonly nodes: Float64Array;
  /** Control volumes V_i [m³], length N + 1; Σ V_i = 4πR³/3. */
  readonly volumes: Float64Array;
  /** Face areas 4π r_{i+1/2}² [m²] between node i and i + 1, length N. */
  readonly faceAreas: Float64Array;
  /** Node spacings r_{i+1} − r_i [m], length N. */
  readonly spacings: Float64Array;
}

/**
 * Build a grid of `shells` intervals on [0, R].
 * @param radius particle radius [m]
 * @param shells number of intervals (≥ 2)
 * @param refinement ratio of the innermost to the outermost spacing (≥ 1; 1 = uniform).
 *   Spacings shrink geometrically toward the surface, where gradients are steepest.
 */
export function radialGrid(radius: number, shells: number, refinement = 1): RadialGrid {
  if (!(radius > 0) || !Number.isFinite(radius))
    throw new RangeError(`radius must be positive, got ${radius}`);
  if (!Number.isInteger(shells) || shells < 2)
    throw new RangeError(`shells must be an integer ≥ 2, got ${shells}`);
  if (!(refinement >= 1) || !Number.isFinite(refinement))
    throw new RangeError(`refinement must be ≥ 1, got ${refinement}`);
  const n = shells;
  const spacings = new Float64Array(n);
  // geometric spacings h_k = h_0 q^k with h_0/h_{n−1} = refinement.
  const q = n > 1 ? refinement ** (-1 / (n - 1)) : 1;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    spacings[k] = q ** k;
    sum += spacings[k];
  }
  for (let k = 0; k < n; k++) spacings[k] *= radius / sum;
  const nodes = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) nodes[k + 1] = nodes[k] + spacings[k];
  nodes[n] = radius;
  const faceAreas = new Float64Array(n);
  const volumes = new Float64Array(n + 1);
  let inner = 0;
  for (let i = 0; i <= n; i++) {
    const outer = i < n ? 0.5 * (nodes[i] + nodes[i + 1]) : radius;
    if (i < n) faceAreas[i] = 4 * Math.PI * outer * outer;
    volumes[i] = ((4 * Math.PI) / 3) * (outer ** 3 - inner ** 3);
    inner = outer;
  }
  return { shells: n, radius, nodes, volumes, faceAreas, spacings };
}
