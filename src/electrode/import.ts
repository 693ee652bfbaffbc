/**
 * Import of a particle list (e.g. a tomography label table: centroid and equivalent radius
 * per particle) to drive the network model. Pure parsers over text; file I/O is the caller's.
 *
 * CSV: a header row naming columns, one particle per row. Required: x, y, z and radius —
 * in metres, or with a unit suffix on every one of them: `x_um`, `y_um`, `z_um`, `radius_um`
 * (also `_nm`, `_mm`, `_m`). Optional: `covered` (1/0, true/false: direct carbon contact;
 * when the column is absent coverage is drawn at random with the given fraction), `parent`
 * (index of the particle a fragment belongs to, −1 or empty for none). Lines starting with
 * `#` and blank lines are skipped. A z below the radius (particle cutting the collector) is
 * accepted; the collector is the plane z = 0.
 *
 * JSON: `{ "unit": "um", "particles": [{ "x": …, "y": …, "z": …, "radius": …, "covered"?: …,
 * "parent"?: … }], "contacts"?: [[i, j], …] }`; explicit contacts replace the gap rule for
 * particle–particle contacts. For CSV lists, contacts (e.g. a tomography label adjacency)
 * come from a second CSV with columns `i,j` (0-based row indices): `parseContactCsv`.
 */
import { InputError } from "../errors.js";
import {
  buildNetwork,
  EdgeKind,
  type Microstructure,
  type NetworkOptions,
  type ParticleSet,
} from "./microstructure.js";
import { Xoshiro128 } from "./random.js";

const UNITS: Record<string, number> = { m: 1, mm: 1e-3, um: 1e-6, µm: 1e-6, nm: 1e-9 };

export interface ParticleList {
  x: number[];
  y: number[];
  z: number[];
  radius: number[];
  covered?: number[];
  parent?: number[];
  contacts?: [number, number][];
}

function num(text: string, file: string | undefined, line: number, field: string): number {
  const v = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(v))
    throw new InputError("not a number", { file, line, field, value: text, expected: "a finite number" });
  return v;
}

function flag(text: string, file: string | undefined, line: number): number {
  const t = text.trim().toLowerCase();
  if (t === "1" || t === "true" || t === "yes") return 1;
  if (t === "0" || t === "false" || t === "no" || t === "") return 0;
  throw new InputError("covered must be 1/0 or true/false", { file, line, field: "covered", value: text });
}

/** Parse a CSV particle list (see the module comment). Lengths in the result are metres. */
export function parseParticleCsv(text: string, options: { file?: string } = {}): ParticleList {
  const file = options.file;
  const lines = text.split(/\r?\n/);
  let header: string[] | null = null;
  let headerLine = 0;
  const out: ParticleList = { x: [], y: [], z: [], radius: [] };
  const idx: Record<string, number> = {};
  const scale: Record<string, number> = {};
  for (let li = 0; li < lines.length; li++) {
    const raw = lines[li].trim();
    if (raw === "" || raw.startsWith("#")) continue;
    const cells = raw.split(/[,;\t]/).map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
    if (!header) {
      header = cells.map((c) => c.toLowerCase());
      headerLine = li + 1;
      for (const key of ["x", "y", "z", "radius"]) {
        let found = -1;
        for (let c = 0; c < header.length; c++) {
          const h = header[c];
          if (h === key) {
            found = c;
            scale[key] = 1;
          } else if (h.startsWith(`${key}_`) && UNITS[h.slice(key.length + 1)] !== undefined) {
            found = c;
            scale[key] = UNITS[h.slice(key.length + 1)];
          } else if (
            h.startsWith(`${key} [`) &&
            h.endsWith("]") &&
            UNITS[h.slice(key.length + 2, -1)] !== undefined
          ) {
            found = c;
            scale[key] = UNITS[h.slice(key.length + 2, -1)];
          }
        }
        if (found < 0) {
          throw new InputError(`missing column "${key}"`, {
            file,
            line: headerLine,
            field: key,
            expected: `a header with x, y, z, radius (metres) or x_um, y_um, z_um, radius_um`,
          });
        }
        idx[key] = found;
      }
      idx.covered = header.indexOf("covered");
      idx.parent = header.indexOf("parent");
      if (idx.covered >= 0) out.covered = [];
      if (idx.parent >= 0) out.parent = [];
      continue;
    }
    const line = li + 1;
    if (cells.length < header.length) {
      throw new InputError(`row has ${cells.length} cells, the header has ${header.length}`, {
        file,
        line,
        expected: `${header.length} cells`,
      });
    }
    out.x.push(num(cells[idx.x], file, line, header[idx.x]) * scale.x);
    out.y.push(num(cells[idx.y], file, line, header[idx.y]) * scale.y);
    out.z.push(num(cells[idx.z], file, line, header[idx.z]) * scale.z);
    const r = num(cells[idx.radius], file, line, header[idx.radius]) * scale.radius;
    if (!(r > 0))
      throw new InputError("radius must be positive", {
        file,
        line,
        field: header[idx.radius],
        value: cells[idx.radius],
      });
    out.radius.push(r);
    if (out.covered) out.covered.push(flag(cells[idx.covered], file, line));
    if (out.parent) {
      const t = cells[idx.parent].trim();
      out.parent.push(t === "" ? -1 : Math.trunc(num(t, file, line, "parent")));
    }
  }
  if (!header)
    throw new InputError("empty particle list", { file, expected: "a header row and one row per particle" });
  if (out.x.length === 0) throw new InputError("no particles in the list", { file, line: headerLine });
  return out;
}

/**
 * Parse a contact list CSV (header `i,j`, 0-based particle indices) for `particles` particles.
 * Returns the pairs; throws InputError naming the line on a bad row.
 */
export function parseContactCsv(
  text: string,
  particles: number,
  options: { file?: string } = {},
): [number, number][] {
  const file = options.file;
  const out: [number, number][] = [];
  let header = false;
  const lines = text.split(/\r?\n/);
  for (let li = 0; li < lines.length; li++) {
    const raw = lines[li].trim();
    if (raw === "" || raw.startsWith("#")) continue;
    const cells = raw.split(/[,;\t]/).map((c) => c.trim());
    if (!header) {
      if (cells[0]?.toLowerCase() !== "i" || cells[1]?.toLowerCase() !== "j") {
        throw new InputError("contact list needs a header i,j", { file, line: li + 1, expected: "i,j" });
      }
      header = true;
      continue;
    }
    const i = Number(cells[0]);
    const j = Number(cells[1]);
    if (
      !Number.isInteger(i) ||
      !Number.isInteger(j) ||
      i < 0 ||
      j < 0 ||
      i >= particles ||
      j >= particles ||
      i === j
    ) {
      throw new InputError("contact must be a pair of distinct particle indices", {
        file,
        line: li + 1,
        value: raw,
        expected: `0 ≤ i, j < ${particles}, i ≠ j`,
      });
    }
    out.push([i, j]);
  }
  if (!header)
    throw new InputError("empty contact list", { file, expected: "a header i,j and one row per contact" });
  return out;
}

/** Parse a JSON particle list (see the module comment). */
export function parseParticleJson(value: unknown, options: { file?: string } = {}): ParticleList {
  const file = options.file;
  if (
    typeof value !== "object" ||
    value === null ||
    !Array.isArray((value as { particles?: unknown }).particles)
  ) {
    throw new InputError("expected an object with a particles array", { file, field: "particles" });
  }
  const v = value as { unit?: unknown; particles: unknown[]; contacts?: unknown };
  const unit = v.unit === undefined ? "m" : String(v.unit);
  const f = UNITS[unit];
  if (f === undefined)
    throw new InputError("unknown length unit", {
      file,
      field: "unit",
      value: unit,
      expected: Object.keys(UNITS).join(", "),
    });
  const out: ParticleList = { x: [], y: [], z: [], radius: [] };
  v.particles.forEach((p, i) => {
    const field = `particles[${i}]`;
    if (typeof p !== "object" || p === null) throw new InputError("expected an object", { file, field });
    const o = p as Record<string, unknown>;
    const get = (k: string) => {
      const n = Number(o[k]);
      if (o[k] === undefined || !Number.isFinite(n))
        throw new InputError(`missing or non-numeric ${k}`, {
          file,
          field: `${field}.${k}`,
          value: String(o[k]),
        });
      return n * f;
    };
    out.x.push(get("x"));
    out.y.push(get("y"));
    out.z.push(get("z"));
    const r = get("radius");
    if (!(r > 0))
      throw new InputError("radius must be positive", {
        file,
        field: `${field}.radius`,
        value: String(o.radius),
      });
    out.radius.push(r);
    if (o.covered !== undefined) {
      out.covered ??= new Array(i).fill(0);
      out.covered.push(o.covered === true || o.covered === 1 ? 1 : 0);
    } else if (out.covered) out.covered.push(0);
    if (o.parent !== undefined) {
      out.parent ??= new Array(i).fill(-1);
      out.parent.push(Math.trunc(Number(o.parent)));
    } else if (out.parent) out.parent.push(-1);
  });
  if (out.x.length === 0) throw new InputError("no particles in the list", { file, field: "particles" });
  if (v.contacts !== undefined) {
    if (!Array.isArray(v.contacts))
      throw new InputError("contacts must be an array of [i, j] pairs", { file, field: "contacts" });
    out.contacts = v.contacts.map((c, k) => {
      const n = out.x.length;
      if (
        !Array.isArray(c) ||
        c.length !== 2 ||
        !c.every((i) => Number.isInteger(i) && i >= 0 && i < n) ||
        c[0] === c[1]
      ) {
        throw new InputError("contact must be a pair of distinct particle indices", {
          file,
          field: `contacts[${k}]`,
          value: JSON.stringify(c),
          expected: `[i, j] with 0 ≤ i, j < ${n}`,
        });
      }
      return [c[0], c[1]] as [number, number];
    });
  }
  return out;
}

/**
 * Build a microstructure from an imported list: contacts by the gap rule (or the explicit
 * list), carbon network and coverage as for generated ones. Fragments of one parent get a
 * weak fragment contact between consecutive members.
 */
export function microstructureFromParticles(
  list: ParticleList,
  options: NetworkOptions & { dimension?: 2 | 3 } = {},
): Microstructure {
  const n = list.x.length;
  for (const k of ["y", "z", "radius"] as const) {
    if (list[k].length !== n)
      throw new InputError(`${k} has ${list[k].length} entries, x has ${n}`, { field: k });
  }
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  let maxZ = 0;
  let flat = true;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, list.x[i] - list.radius[i]);
    maxX = Math.max(maxX, list.x[i] + list.radius[i]);
    minY = Math.min(minY, list.y[i] - list.radius[i]);
    maxY = Math.max(maxY, list.y[i] + list.radius[i]);
    maxZ = Math.max(maxZ, list.z[i] + list.radius[i]);
    if (list.y[i] !== list.y[0]) flat = false;
  }
  const dim = options.dimension ?? (flat ? 2 : 3);
  const particles: ParticleSet = {
    count: n,
    x: Float64Array.from(list.x, (v) => v - minX),
    y: dim === 3 ? Float64Array.from(list.y, (v) => v - minY) : new Float64Array(n),
    z: Float64Array.from(list.z, (v) => Math.max(v, 0)),
    radius: Float64Array.from(list.radius),
    parent: list.parent ? Int32Array.from(list.parent) : new Int32Array(n).fill(-1),
    covered: new Uint8Array(n),
  };
  const fragments: [number, number][] = [];
  const byParent = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const p = particles.parent[i];
    if (p >= 0) {
      if (!byParent.has(p)) byParent.set(p, []);
      byParent.get(p)?.push(i);
    }
  }
  for (const members of byParent.values()) {
    members.sort((a, b) => particles.radius[b] - particles.radius[a] || a - b);
    for (let k = 1; k < members.length; k++) fragments.push([members[0], members[k]]);
  }
  const box: [number, number, number] = [
    Math.max(maxX - minX, 1e-9),
    dim === 3 ? Math.max(maxY - minY, 1e-9) : 0,
    Math.max(maxZ, 1e-9),
  ];
  const rng = new Xoshiro128(options.seed ?? 1);
  const covered = list.covered ? Uint8Array.from(list.covered) : undefined;
  const ms = buildNetwork(
    dim,
    box,
    particles,
    { ...options, contactGap: list.contacts ? 0 : options.contactGap },
    rng,
    fragments,
    0.2,
    covered,
  );
  if (!list.contacts) return ms;
  // explicit contacts: add them (the gap rule ran with gap 0, i.e. only overlapping pairs)
  const a = Array.from(ms.edges.a);
  const b = Array.from(ms.edges.b);
  const kind = Array.from(ms.edges.kind);
  const size = Array.from(ms.edges.size);
  const seen = new Set<string>();
  for (let e = 0; e < a.length; e++)
    if (kind[e] === EdgeKind.ParticleParticle) seen.add(`${Math.min(a[e], b[e])},${Math.max(a[e], b[e])}`);
  const aFrac = options.contactRadiusFraction ?? 0.2;
  for (const [i, j] of list.contacts) {
    const key = `${Math.min(i, j)},${Math.max(i, j)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    a.push(Math.min(i, j));
    b.push(Math.max(i, j));
    kind.push(EdgeKind.ParticleParticle);
    size.push(aFrac * Math.min(particles.radius[i], particles.radius[j]));
  }
  return {
    ...ms,
    edges: {
      count: a.length,
      a: Int32Array.from(a),
      b: Int32Array.from(b),
      kind: Uint8Array.from(kind),
      size: Float64Array.from(size),
    },
  };
}
