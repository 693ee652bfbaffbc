/**
 * Graph of a curve skeleton: end points, junctions and the segments (branches) between them,
 * with lengths and radii — the quantities of Fiji's AnalyzeSkeleton (Arganda-Carreras et al.
 * 2010, Microsc. Res. Tech. 73:1019) that seed 001 reports for crack networks.
 *
 * Skeleton voxels are classified by their number of 26-neighbours in the skeleton: 0 isolated,
 * 1 end point, 2 slab, > 2 junction. 26-connected clusters of junction voxels are merged into one
 * junction node. A segment runs from a node voxel through slab voxels to the next node voxel;
 * its length is the sum of the Euclidean steps between consecutive voxels in physical units
 * (REFERENCE §5), its radius the mean distance-map value over its voxels. Closed loops of slab
 * voxels without any node count as one segment each.
 */

import type { Volume } from "./volume.js";

/** One branch of the skeleton. Lengths in m. */
export interface SkeletonSegment {
  /** Node ids at the two ends (equal for a closed loop). */
  from: number;
  to: number;
  /** Sum of Euclidean steps between consecutive voxels, node voxels included [m]. */
  length: number;
  /** Number of voxels along the segment, both end voxels included. */
  voxelCount: number;
  /** Mean of the distance map over the segment's voxels [m] (NaN without a distance map). */
  meanRadius: number;
}

/** Node kinds. */
export type SkeletonNodeKind = "end" | "junction" | "isolated";

/** A node: an end point, a merged junction cluster or an isolated voxel. */
export interface SkeletonNode {
  kind: SkeletonNodeKind;
  /** Number of voxels (junction clusters may hold several). */
  voxelCount: number;
  /** Centroid [z, y, x] in m. */
  position: [number, number, number];
}

/** Skeleton graph and its summary statistics. */
export interface SkeletonGraph {
  nodes: SkeletonNode[];
  segments: SkeletonSegment[];
  summary: SkeletonSummary;
}

/** Summary statistics (lengths in m). */
export interface SkeletonSummary {
  skeletonVoxels: number;
  branches: number;
  junctions: number;
  endPoints: number;
  totalLength: number;
  meanBranchLength: number;
  /** Voxel-weighted mean radius over all segments [m] (NaN without a distance map). */
  meanRadius: number;
}

/**
 * Analyse a skeleton (e.g. from `skeletonize`).
 * @param skeleton 0/1 volume (non-zero = skeleton), spacing [m]
 * @param distance optional distance map of the same shape (e.g. EDT of the object) [m]
 */
export function skeletonGraph(skeleton: Volume, distance?: Volume): SkeletonGraph {
  const [nz, ny, nx] = skeleton.shape;
  const [sz, sy, sx] = skeleton.spacing;
  const s = skeleton.data;
  const n = s.length;
  const dist = distance?.data;
  // Neighbour offsets with bounds handled by coordinates.
  const offs: [number, number, number, number][] = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        if (dx === 0 && dy === 0 && dz === 0) continue;
        offs.push([dz, dy, dx, Math.sqrt((dz * sz) ** 2 + (dy * sy) ** 2 + (dx * sx) ** 2)]);
      }
  const step = (i: number, k: number): number => {
    const x = i % nx;
    const y = Math.floor(i / nx) % ny;
    const z = Math.floor(i / (nx * ny));
    const [dz, dy, dx] = offs[k];
    const X = x + dx;
    const Y = y + dy;
    const Z = z + dz;
    if (X < 0 || Y < 0 || Z < 0 || X >= nx || Y >= ny || Z >= nz) return -1;
    return X + nx * (Y + ny * Z);
  };
  const degree = new Uint8Array(n);
  const voxels: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!s[i]) continue;
    voxels.push(i);
    let d = 0;
    for (let k = 0; k < 26; k++) {
      const j = step(i, k);
      if (j >= 0 && s[j]) d++;
    }
    degree[i] = d;
  }
  // Nodes: junction clusters (26-connected), end points, isolated voxels.
  const nodeOf = new Int32Array(n).fill(-1);
  const nodes: SkeletonNode[] = [];
  const addNode = (kind: SkeletonNodeKind, members: number[]) => {
    let cz = 0;
    let cy = 0;
    let cx = 0;
    for (const i of members) {
      nodeOf[i] = nodes.length;
      cx += (i % nx) * sx;
      cy += (Math.floor(i / nx) % ny) * sy;
      cz += Math.floor(i / (nx * ny)) * sz;
    }
    const m = members.length;
    nodes.push({ kind, voxelCount: m, position: [cz / m, cy / m, cx / m] });
  };
  for (const i of voxels) {
    if (nodeOf[i] >= 0) continue;
    const d = degree[i];
    if (d === 0) addNode("isolated", [i]);
    else if (d === 1) addNode("end", [i]);
    else if (d > 2) {
      const members = [i];
      nodeOf[i] = -2;
      for (let q = 0; q < members.length; q++) {
        for (let k = 0; k < 26; k++) {
          const j = step(members[q], k);
          if (j >= 0 && s[j] && degree[j] > 2 && nodeOf[j] === -1) {
            nodeOf[j] = -2;
            members.push(j);
          }
        }
      }
      addNode("junction", members);
    }
  }
  const visited = new Uint8Array(n);
  const segments: SkeletonSegment[] = [];
  const r = (i: number) => (dist ? dist[i] : Number.NaN);
  // Trace from node voxel `a` through neighbour `first`.
  const trace = (a: number, firstK: number): void => {
    let prev = a;
    let cur = step(a, firstK);
    let length = offs[firstK][3];
    let count = 2;
    let rsum = r(a) + r(cur);
    while (nodeOf[cur] < 0) {
      visited[cur] = 1;
      let next = -1;
      let nk = -1;
      // prefer an unvisited slab voxel or a node voxel, never the previous voxel
      for (let k = 0; k < 26; k++) {
        const j = step(cur, k);
        if (j < 0 || !s[j] || j === prev) continue;
        if (nodeOf[j] >= 0 && nodeOf[j] !== nodeOf[a]) {
          next = j;
          nk = k;
          break;
        }
        if (nodeOf[j] >= 0 && next < 0 && j !== a) {
          next = j;
          nk = k;
        } else if (nodeOf[j] < 0 && !visited[j] && next < 0) {
          next = j;
          nk = k;
        }
      }
      if (next < 0) {
        // ran back into its own start (a loop from a node to itself)
        for (let k = 0; k < 26; k++) {
          const j = step(cur, k);
          if (j === a || (j >= 0 && s[j] && nodeOf[j] === nodeOf[a] && j !== prev)) {
            next = j;
            nk = k;
            break;
          }
        }
        if (next < 0) return;
      }
      prev = cur;
      cur = next;
      length += offs[nk][3];
      count++;
      rsum += r(cur);
    }
    segments.push({ from: nodeOf[a], to: nodeOf[cur], length, voxelCount: count, meanRadius: rsum / count });
  };
  for (const a of voxels) {
    if (nodeOf[a] < 0) continue;
    for (let k = 0; k < 26; k++) {
      const j = step(a, k);
      if (j < 0 || !s[j]) continue;
      if (nodeOf[j] >= 0) {
        // direct node–node contact between different nodes: a zero-slab segment, counted once
        if (nodeOf[j] !== nodeOf[a] && a < j) {
          segments.push({
            from: nodeOf[a],
            to: nodeOf[j],
            length: offs[k][3],
            voxelCount: 2,
            meanRadius: (r(a) + r(j)) / 2,
          });
        }
        continue;
      }
      if (!visited[j]) trace(a, k);
    }
  }
  // Closed loops without nodes.
  for (const i of voxels) {
    if (nodeOf[i] >= 0 || visited[i]) continue;
    const id = nodes.length;
    nodes.push({
      kind: "junction",
      voxelCount: 0,
      position: [Math.floor(i / (nx * ny)) * sz, (Math.floor(i / nx) % ny) * sy, (i % nx) * sx],
    });
    let prev = -1;
    let cur = i;
    let length = 0;
    let count = 0;
    let rsum = 0;
    for (;;) {
      visited[cur] = 1;
      count++;
      rsum += r(cur);
      let moved = false;
      for (let k = 0; k < 26; k++) {
        const j = step(cur, k);
        if (j < 0 || !s[j] || j === prev) continue;
        if (j === i && count > 2) {
          length += offs[k][3];
          moved = false;
          break;
        }
        if (!visited[j]) {
          length += offs[k][3];
          prev = cur;
          cur = j;
          moved = true;
          break;
        }
      }
      if (!moved) break;
    }
    segments.push({ from: id, to: id, length, voxelCount: count, meanRadius: rsum / count });
  }
  let total = 0;
  let rw = 0;
  let vw = 0;
  for (const g of segments) {
    total += g.length;
    rw += g.meanRadius * g.voxelCount;
    vw += g.voxelCount;
  }
  const summary: SkeletonSummary = {
    skeletonVoxels: voxels.length,
    branches: segments.length,
    junctions: nodes.filter((d) => d.kind === "junction").length,
    endPoints: nodes.filter((d) => d.kind === "end").length,
    totalLength: total,
    meanBranchLength: segments.length > 0 ? total / segments.length : 0,
    meanRadius: vw > 0 && dist ? rw / vw : Number.NaN,
  };
  return { nodes, segments, summary };
}
