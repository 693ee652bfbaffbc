/**
 * VTK XML writers for ParaView (pure: arrays in, bytes or text out; no file I/O).
 *
 * Formats (Kitware, "VTK File Formats", VTK User's Guide §19 / docs.vtk.org "VTK XML formats"):
 *  - ImageData (.vti): a regular grid with WholeExtent, Origin and Spacing; arrays as CellData
 *    (one value per voxel; voxel (i, j, k) covers [o + i·dx, o + (i+1)·dx] …) or PointData;
 *  - PolyData (.vtp): Points, Verts and Lines cells, PointData and CellData.
 * Encodings: "ascii" (text inside each DataArray) or "appended" raw binary: each DataArray has
 * format="appended" and an offset into the <AppendedData encoding="raw"> block, which starts with
 * "_" and holds for every array a UInt64 byte count followed by the little-endian values
 * (header_type="UInt64", byte_order="LittleEndian"). Raw appended data is what ParaView writes by
 * default without compression; it is ~4–10× smaller than ASCII and read without parsing.
 *
 * Coordinates are written in metres unless `lengthScale` says otherwise (the fracture writer
 * uses 1e6, µm); each file carries a FieldData string array "length_unit".
 * Non-finite values are refused (RangeError): nothing half-written, no NaN in an output.
 */

/** VTK scalar type names (XML attribute `type`). */
export type VtkType = "Int8" | "UInt8" | "Int16" | "UInt16" | "Int32" | "UInt32" | "Float32" | "Float64";

type Typed =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

/** One named data array; `values.length` = tuples × components. */
export interface VtkArray {
  name: string;
  values: ArrayLike<number>;
  /** Storage type; default: that of a typed array, Float64 for plain arrays. */
  type?: VtkType;
  /** Components per tuple (3 for vectors); default 1. */
  components?: number;
}

export type VtkEncoding = "ascii" | "appended";

export interface VtkCommonOptions {
  /** "appended" (raw binary, default) or "ascii". */
  encoding?: VtkEncoding;
  /** Factor from metres to the file's length unit (1 = metres, 1e6 = µm); default 1. */
  lengthScale?: number;
  /** Name of the file's length unit, stored as FieldData "length_unit" (default from lengthScale). */
  lengthUnit?: string;
}

export interface ImageDataOptions extends VtkCommonOptions {
  /** Grid size [nz, ny, nx] in cells (cell data) or points (point data). */
  shape: readonly [number, number, number];
  /** Spacing [dz, dy, dx] in metres. */
  spacing: readonly [number, number, number];
  /** Origin [z, y, x] in metres (default 0). */
  origin?: readonly [number, number, number];
  /** Where the arrays live: "cell" (one value per voxel, default) or "point". */
  association?: "cell" | "point";
  /** Arrays, each with nz·ny·nx tuples in C order (x fastest). */
  arrays: VtkArray[];
}

const TYPE_OF: [new (n: number) => Typed, VtkType][] = [
  [Int8Array, "Int8"],
  [Uint8Array, "UInt8"],
  [Int16Array, "Int16"],
  [Uint16Array, "UInt16"],
  [Int32Array, "Int32"],
  [Uint32Array, "UInt32"],
  [Float32Array, "Float32"],
  [Float64Array, "Float64"],
];
const CTOR: Record<VtkType, new (n: number) => Typed> = Object.fromEntries(
  TYPE_OF.map(([c, t]) => [t, c]),
) as Record<VtkType, new (n: number) => Typed>;

function vtkTypeOf(a: VtkArray): VtkType {
  if (a.type) return a.type;
  for (const [c, t] of TYPE_OF) if (a.values instanceof c) return t;
  return "Float64";
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The values as a little-endian typed array of `type` (no copy when already so). */
function asTyped(a: VtkArray, type: VtkType): Typed {
  const C = CTOR[type];
  const v = a.values;
  if (v instanceof C && LITTLE_ENDIAN) return v as Typed;
  const out = new C(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i];
  if (!LITTLE_ENDIAN) {
    const bytes = new Uint8Array(out.buffer);
    const w = out.BYTES_PER_ELEMENT;
    for (let i = 0; i < bytes.length; i += w) bytes.subarray(i, i + w).reverse();
  }
  return out;
}

function checkFinite(a: VtkArray): void {
  const v = a.values;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]))
      throw new RangeError(`VTK array "${a.name}" has a non-finite value at index ${i}`);
  }
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function num(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(12)));
}

/** Collects the XML text and the appended binary blocks of one file. */
class VtkBuilder {
  readonly lines: string[] = [];
  private readonly blocks: Uint8Array[] = [];
  private offset = 0;

  constructor(readonly encoding: VtkEncoding) {}

  dataArray(a: VtkArray, indent: string, expectedTuples?: number): void {
    const type = vtkTypeOf(a);
    const components = a.components ?? 1;
    if (expectedTuples !== undefined && a.values.length !== expectedTuples * components) {
      throw new RangeError(
        `VTK array "${a.name}" has ${a.values.length} values, expected ${expectedTuples * components} (${expectedTuples} tuples × ${components})`,
      );
    }
    checkFinite(a);
    const tuples = a.values.length / components;
    const head = `${indent}<DataArray type="${type}"${components > 1 ? ` NumberOfComponents="${components}"` : ""} NumberOfTuples="${tuples}" Name="${escapeXml(a.name)}"`;
    if (this.encoding === "ascii") {
      this.lines.push(`${head} format="ascii">`);
      const parts: string[] = [];
      const float = type.startsWith("Float");
      for (let i = 0; i < a.values.length; i++) {
        const v = a.values[i];
        // Float32: 9 significant digits round-trip exactly
        parts.push(
          float
            ? type === "Float32"
              ? String(Number(Math.fround(v).toPrecision(9)))
              : String(v)
            : String(Math.trunc(v)),
        );
      }
      for (let s = 0; s < parts.length; s += 12)
        this.lines.push(`${indent}  ${parts.slice(s, s + 12).join(" ")}`);
      this.lines.push(`${indent}</DataArray>`);
      return;
    }
    const t = asTyped(a, type);
    const bytes = new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
    const header = new Uint8Array(8);
    new DataView(header.buffer).setBigUint64(0, BigInt(bytes.length), true);
    this.lines.push(`${head} format="appended" offset="${this.offset}"/>`);
    this.blocks.push(header, bytes);
    this.offset += 8 + bytes.length;
  }

  /** A one-string VTK String array (ASCII format: the bytes, then 0, as integers). */
  stringField(name: string, value: string, indent: string): void {
    this.lines.push(
      `${indent}<DataArray type="String" Name="${escapeXml(name)}" NumberOfTuples="1" format="ascii">`,
    );
    this.lines.push(`${indent}  ${[...new TextEncoder().encode(value), 0].join(" ")}`);
    this.lines.push(`${indent}</DataArray>`);
  }

  /** The whole file: text for ASCII, bytes (XML + raw appended block) otherwise. */
  finish(): Uint8Array {
    const enc = new TextEncoder();
    if (this.encoding === "ascii") return enc.encode(`${this.lines.join("\n")}\n`);
    const xml = enc.encode(`${this.lines.join("\n")}\n  <AppendedData encoding="raw">\n   _`);
    const tail = enc.encode("\n  </AppendedData>\n</VTKFile>\n");
    const total = xml.length + this.offset + tail.length;
    const out = new Uint8Array(total);
    out.set(xml, 0);
    let p = xml.length;
    for (const b of this.blocks) {
      out.set(b, p);
      p += b.length;
    }
    out.set(tail, p);
    return out;
  }
}

function unitName(o: VtkCommonOptions): string {
  if (o.lengthUnit) return o.lengthUnit;
  const s = o.lengthScale ?? 1;
  return s === 1 ? "m" : s === 1e3 ? "mm" : s === 1e6 ? "um" : s === 1e9 ? "nm" : `m*${s}`;
}

function fileHead(b: VtkBuilder, type: "ImageData" | "PolyData"): void {
  b.lines.push('<?xml version="1.0"?>');
  b.lines.push(
    `<VTKFile type="${type}" version="1.0" byte_order="LittleEndian"${b.encoding === "appended" ? ' header_type="UInt64"' : ""}>`,
  );
}

function fileTail(b: VtkBuilder): void {
  if (b.encoding === "ascii") b.lines.push("</VTKFile>");
}

/**
 * A .vti (ImageData) file with arrays on cells (voxels) or points.
 * @returns the file bytes (ASCII text when encoding is "ascii")
 */
export function imageDataVti(o: ImageDataOptions): Uint8Array {
  const [nz, ny, nx] = o.shape;
  if (![nz, ny, nx].every((n) => Number.isInteger(n) && n >= 1))
    throw new RangeError(`VTK ImageData shape must be positive integers, got ${o.shape.join("×")}`);
  if (!o.spacing.every((d) => Number.isFinite(d) && d > 0))
    throw new RangeError(`VTK ImageData spacing must be positive, got ${o.spacing.join(", ")}`);
  const s = o.lengthScale ?? 1;
  const origin = o.origin ?? [0, 0, 0];
  const cell = (o.association ?? "cell") === "cell";
  // cell data: extent counts points (n + 1 per axis), except a flat axis (n = 1) stays 0 0
  const ext = (n: number) => (cell ? (n === 1 ? 0 : n) : n - 1);
  const extent = `0 ${ext(nx)} 0 ${ext(ny)} 0 ${ext(nz)}`;
  const b = new VtkBuilder(o.encoding ?? "appended");
  fileHead(b, "ImageData");
  b.lines.push(
    `  <ImageData WholeExtent="${extent}" Origin="${num(origin[2] * s)} ${num(origin[1] * s)} ${num(origin[0] * s)}" Spacing="${num(o.spacing[2] * s)} ${num(o.spacing[1] * s)} ${num(o.spacing[0] * s)}">`,
  );
  b.lines.push("    <FieldData>");
  b.stringField("length_unit", unitName(o), "      ");
  b.lines.push("    </FieldData>");
  b.lines.push(`    <Piece Extent="${extent}">`);
  const tag = cell ? "CellData" : "PointData";
  b.lines.push(`      <${tag}${o.arrays[0] ? ` Scalars="${escapeXml(o.arrays[0].name)}"` : ""}>`);
  for (const a of o.arrays) b.dataArray(a, "        ", nz * ny * nx);
  b.lines.push(`      </${tag}>`);
  b.lines.push("    </Piece>");
  b.lines.push("  </ImageData>");
  fileTail(b);
  return b.finish();
}

export interface PolyDataOptions extends VtkCommonOptions {
  /** Point coordinates [m], xyz interleaved (length 3·N). */
  points: ArrayLike<number>;
  /** Indices of points that get a vertex cell (rendered as points); default none. */
  verts?: ArrayLike<number>;
  /** Line cells as index pairs [a0, b0, a1, b1, …]. */
  lines?: ArrayLike<number>;
  pointData?: VtkArray[];
  /** Cell arrays: one tuple per vertex cell then one per line cell (VTK's cell order). */
  cellData?: VtkArray[];
  /** Extra FieldData arrays (any length), e.g. the time of each step. */
  fieldData?: VtkArray[];
}

/** A .vtp (PolyData) file: points, vertex and line cells, point/cell/field data. */
export function polyDataVtp(o: PolyDataOptions): Uint8Array {
  if (o.points.length % 3 !== 0) throw new RangeError("VTK points must be xyz triples");
  const n = o.points.length / 3;
  const verts = o.verts ?? [];
  const lines = o.lines ?? [];
  if (lines.length % 2 !== 0) throw new RangeError("VTK lines must be index pairs");
  for (const list of [verts, lines]) {
    for (let i = 0; i < list.length; i++)
      if (!Number.isInteger(list[i]) || list[i] < 0 || list[i] >= n)
        throw new RangeError(`VTK cell refers to point ${list[i]}, outside 0…${n - 1}`);
  }
  const nv = verts.length;
  const nl = lines.length / 2;
  const s = o.lengthScale ?? 1;
  const pts = new Float64Array(o.points.length);
  for (let i = 0; i < pts.length; i++) pts[i] = o.points[i] * s;
  const b = new VtkBuilder(o.encoding ?? "appended");
  fileHead(b, "PolyData");
  b.lines.push("  <PolyData>");
  b.lines.push("    <FieldData>");
  b.stringField("length_unit", unitName(o), "      ");
  for (const f of o.fieldData ?? []) b.dataArray(f, "      ");
  b.lines.push("    </FieldData>");
  b.lines.push(
    `    <Piece NumberOfPoints="${n}" NumberOfVerts="${nv}" NumberOfLines="${nl}" NumberOfStrips="0" NumberOfPolys="0">`,
  );
  b.lines.push("      <PointData>");
  for (const a of o.pointData ?? []) b.dataArray(a, "        ", n);
  b.lines.push("      </PointData>");
  b.lines.push("      <CellData>");
  for (const a of o.cellData ?? []) b.dataArray(a, "        ", nv + nl);
  b.lines.push("      </CellData>");
  b.lines.push("      <Points>");
  b.dataArray({ name: "Points", values: pts, type: "Float64", components: 3 }, "        ");
  b.lines.push("      </Points>");
  const cells = (name: string, conn: ArrayLike<number>, per: number): void => {
    b.lines.push(`      <${name}>`);
    b.dataArray({ name: "connectivity", values: Int32Array.from(conn), type: "Int32" }, "        ");
    const off = new Int32Array(conn.length / per);
    for (let i = 0; i < off.length; i++) off[i] = (i + 1) * per;
    b.dataArray({ name: "offsets", values: off, type: "Int32" }, "        ");
    b.lines.push(`      </${name}>`);
  };
  cells("Verts", verts, 1);
  cells("Lines", lines, 2);
  b.lines.push("    </Piece>");
  b.lines.push("  </PolyData>");
  fileTail(b);
  return b.finish();
}

/** Named volumes of one grid, e.g. labels, crack mask and a distance field. */
export interface NamedVolume {
  name: string;
  volume: {
    data: ArrayLike<number>;
    shape: readonly [number, number, number];
    spacing: readonly [number, number, number];
  };
}

/**
 * Several volumes of the same grid as cell arrays of one .vti (voxel = cell, origin at the
 * corner of voxel (0,0,0) unless given). Shapes and spacings must agree.
 */
export function volumesVti(
  volumes: NamedVolume[],
  options: VtkCommonOptions & { origin?: readonly [number, number, number] } = {},
): Uint8Array {
  if (volumes.length === 0) throw new RangeError("volumesVti needs at least one volume");
  const { shape, spacing } = volumes[0].volume;
  for (const v of volumes) {
    if (v.volume.shape.some((n, i) => n !== shape[i]))
      throw new RangeError(`volume "${v.name}" is ${v.volume.shape.join("×")}, expected ${shape.join("×")}`);
    if (v.volume.spacing.some((d, i) => Math.abs(d - spacing[i]) > 1e-9 * spacing[i]))
      throw new RangeError(`volume "${v.name}" has another voxel size than "${volumes[0].name}"`);
  }
  return imageDataVti({
    ...options,
    shape,
    spacing,
    association: "cell",
    arrays: volumes.map((v) => ({ name: v.name, values: v.volume.data })),
  });
}

/** The parts of an electrode microstructure the network file needs (src/electrode). */
export interface NetworkGeometry {
  particles: {
    count: number;
    x: ArrayLike<number>;
    y: ArrayLike<number>;
    z: ArrayLike<number>;
    radius: ArrayLike<number>;
  };
  carbon: { count: number; x: ArrayLike<number>; y: ArrayLike<number>; z: ArrayLike<number> };
  edges: {
    count: number;
    a: ArrayLike<number>;
    b: ArrayLike<number>;
    kind: ArrayLike<number>;
    size: ArrayLike<number>;
  };
}

/** Per-particle Li fraction snapshots (particle-major: value of particle p at step k is x[p·S + k]). */
export interface NetworkSnapshots {
  time: ArrayLike<number>;
  meanX: ArrayLike<number>;
  samples: number;
}

/**
 * The electrode network as PolyData: points = particles (node_kind 0, with radius_m), carbon
 * junctions (1) and, for every edge to the current collector (node index −1), a foot point on
 * the collector plane z = 0 below the other end (2); one vertex cell per particle; one line
 * cell per contact (cell arrays edge_kind, edge_size_m; vertex cells carry edge_kind −1).
 * With snapshots: point arrays li_fraction_step_0000 … (particles; −1 on other nodes) and
 * li_fraction (last step), FieldData step_time_s. At most `maxSteps` evenly chosen steps
 * are written (default 200, fewer above ~30 000 nodes so the step arrays stay near 25 MB).
 */
export function electrodeNetworkVtp(
  g: NetworkGeometry,
  snapshots?: NetworkSnapshots,
  options: VtkCommonOptions & { maxSteps?: number } = {},
): Uint8Array {
  const P = g.particles.count;
  const C = g.carbon.count;
  const feet: number[] = [];
  const lines: number[] = [];
  const edgeKind: number[] = [];
  const edgeSize: number[] = [];
  const nodePos = (i: number): [number, number, number] =>
    i < P
      ? [g.particles.x[i], g.particles.y[i], g.particles.z[i]]
      : [g.carbon.x[i - P], g.carbon.y[i - P], g.carbon.z[i - P]];
  for (let e = 0; e < g.edges.count; e++) {
    const a = g.edges.a[e];
    const b = g.edges.b[e];
    if (a < 0 || a >= P + C || b < -1 || b >= P + C)
      throw new RangeError(
        `edge ${e} joins nodes ${a} and ${b}, outside 0…${P + C - 1} (or −1 for the collector)`,
      );
    let bi = b;
    if (b === -1) {
      const [x, y] = nodePos(a);
      bi = P + C + feet.length / 3;
      feet.push(x, y, 0);
    }
    lines.push(a, bi);
    edgeKind.push(g.edges.kind[e]);
    edgeSize.push(g.edges.size[e]);
  }
  const N = P + C + feet.length / 3;
  const points = new Float64Array(3 * N);
  for (let i = 0; i < P + C; i++) points.set(nodePos(i), 3 * i);
  points.set(feet, 3 * (P + C));
  const kind = new Uint8Array(N);
  const radius = new Float64Array(N);
  for (let i = 0; i < N; i++) kind[i] = i < P ? 0 : i < P + C ? 1 : 2;
  for (let i = 0; i < P; i++) radius[i] = g.particles.radius[i];
  const pointData: VtkArray[] = [
    { name: "node_kind", values: kind },
    { name: "radius_m", values: radius },
  ];
  const fieldData: VtkArray[] = [];
  if (snapshots && snapshots.samples > 0) {
    const S = snapshots.samples;
    if (snapshots.meanX.length !== P * S)
      throw new RangeError(
        `snapshots hold ${snapshots.meanX.length} values, expected ${P} particles × ${S} steps`,
      );
    // default: up to 200 steps, fewer for large networks (≈ 25 MB of Float32 step arrays)
    const maxSteps = Math.max(1, options.maxSteps ?? Math.max(2, Math.min(200, Math.floor(25e6 / (4 * N)))));
    const pick =
      S <= maxSteps
        ? Array.from({ length: S }, (_, k) => k)
        : Array.from({ length: maxSteps }, (_, j) => Math.round((j * (S - 1)) / (maxSteps - 1)));
    const xAt = (k: number): Float32Array => {
      const v = new Float32Array(N).fill(-1);
      for (let p = 0; p < P; p++) v[p] = snapshots.meanX[p * S + k];
      return v;
    };
    pointData.push({ name: "li_fraction", values: xAt(S - 1) });
    const width = Math.max(4, String(S - 1).length);
    for (const k of pick)
      pointData.push({ name: `li_fraction_step_${String(k).padStart(width, "0")}`, values: xAt(k) });
    fieldData.push({ name: "step_time_s", values: Float64Array.from(pick, (k) => snapshots.time[k]) });
  }
  const verts = Int32Array.from({ length: P }, (_, i) => i);
  return polyDataVtp({
    ...options,
    points,
    verts,
    lines,
    pointData,
    cellData: [
      { name: "edge_kind", values: Int16Array.from([...new Array(P).fill(-1), ...edgeKind]) },
      { name: "edge_size_m", values: Float64Array.from([...new Array(P).fill(0), ...edgeSize]) },
    ],
    fieldData,
  });
}
