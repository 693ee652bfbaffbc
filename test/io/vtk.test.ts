/**
 * VTK writers: every file is read back twice, by an independent JS parse of the XML and the
 * raw appended block written here, and by VTK itself (Debian's python3-vtk9: vtkXMLImageDataReader,
 * vtkXMLPolyDataReader). Without VTK the test fails with instructions; with CI=true as root it
 * installs python3-vtk9 first. No skip.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  electrodeNetworkVtp,
  imageDataVti,
  type NetworkGeometry,
  polyDataVtp,
  volumesVti,
} from "../../src/io/vtk.js";
import { generatePolycrystal } from "../../src/mechanics/polycrystal.js";
import { vtiImage, vtiImageBytes } from "../../src/mechanics/render.js";
import { runCli, tempDir } from "../helpers/cli.js";

// ------------------------------------------------------------------ independent JS reader

interface ParsedArray {
  name: string;
  type: string;
  components: number;
  values: number[];
  section: string;
}

const SIZE: Record<string, number> = {
  Int8: 1,
  UInt8: 1,
  Int16: 2,
  UInt16: 2,
  Int32: 4,
  UInt32: 4,
  Float32: 4,
  Float64: 8,
};

/** Parse a VTK XML file (ascii or raw appended, UInt64 headers) into its attributes and arrays. */
function parseVtk(bytes: Uint8Array): { root: Record<string, string>; arrays: ParsedArray[]; xml: string } {
  const text = Buffer.from(bytes).toString("latin1");
  const app = text.indexOf('<AppendedData encoding="raw">');
  const xml = app < 0 ? text : text.slice(0, app);
  const base = app < 0 ? -1 : text.indexOf("_", app) + 1;
  const attrs = (tag: string) =>
    Object.fromEntries([...tag.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]])) as Record<
      string,
      string
    >;
  const rootTag = xml.match(/<(ImageData|PolyData)[^>]*>/);
  assert.ok(rootTag);
  const arrays: ParsedArray[] = [];
  const re = /<(PointData|CellData|FieldData|Points|Verts|Lines)\b[^>]*>|<DataArray\b([^>]*?)(\/?)>/g;
  let section = "";
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    if (m[1]) {
      section = m[1];
      continue;
    }
    const a = attrs(m[2]);
    const components = Number(a.NumberOfComponents ?? 1);
    let values: number[];
    if (a.format === "appended") {
      const off = base + Number(a.offset);
      const dv = new DataView(bytes.buffer, bytes.byteOffset + off);
      const n = Number(dv.getBigUint64(0, true));
      const size = SIZE[a.type];
      values = [];
      for (let i = 0; i < n / size; i++) {
        const p = 8 + i * size;
        const get = {
          Int8: () => dv.getInt8(p),
          UInt8: () => dv.getUint8(p),
          Int16: () => dv.getInt16(p, true),
          UInt16: () => dv.getUint16(p, true),
          Int32: () => dv.getInt32(p, true),
          UInt32: () => dv.getUint32(p, true),
          Float32: () => dv.getFloat32(p, true),
          Float64: () => dv.getFloat64(p, true),
        }[a.type];
        assert.ok(get, a.type);
        values.push(get());
      }
    } else {
      const end = xml.indexOf("</DataArray>", re.lastIndex);
      values = xml.slice(re.lastIndex, end).trim().split(/\s+/).filter(Boolean).map(Number);
    }
    arrays.push({ name: a.Name, type: a.type, components, values, section });
  }
  return { root: attrs(rootTag[0]), arrays, xml };
}

// ------------------------------------------------------------------ VTK (python3-vtk9)

const PY = ["/usr/bin/python3", "python3"];

function findVtkPython(): string | undefined {
  for (const py of PY) {
    const r = spawnSync(py, ["-c", "import vtk"], { encoding: "utf8" });
    if (r.status === 0) return py;
  }
  return undefined;
}

function vtkPython(): string {
  let py = findVtkPython();
  if (!py && process.env.CI === "true" && process.getuid?.() === 0) {
    spawnSync("apt-get", ["update", "-qq"], { stdio: "ignore" });
    spawnSync("apt-get", ["install", "-y", "-qq", "python3-vtk9"], {
      stdio: "ignore",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    py = findVtkPython();
  }
  assert.ok(
    py,
    "VTK's Python bindings are needed to check the .vti/.vtp files with a real VTK reader: " +
      "install Debian's python3-vtk9 (apt-get install -y python3-vtk9; CI=true as root installs it itself)",
  );
  return py;
}

const READER = `
import json, sys, vtk
from vtk.util.numpy_support import vtk_to_numpy
out = {}
for path in sys.argv[1:]:
    r = vtk.vtkXMLImageDataReader() if path.endswith(".vti") else vtk.vtkXMLPolyDataReader()
    r.SetFileName(path)
    r.Update()
    if r.GetErrorCode() != 0:
        raise SystemExit("VTK error code %d for %s" % (r.GetErrorCode(), path))
    d = r.GetOutput()
    info = {"points": d.GetNumberOfPoints(), "cells": d.GetNumberOfCells(), "arrays": {}}
    if path.endswith(".vti"):
        info["dims"] = list(d.GetDimensions()); info["spacing"] = list(d.GetSpacing()); info["origin"] = list(d.GetOrigin())
    else:
        info["lines"] = d.GetNumberOfLines(); info["verts"] = d.GetNumberOfVerts()
        info["pointsXYZ"] = vtk_to_numpy(d.GetPoints().GetData()).ravel().tolist()
        lines = d.GetLines(); ids = vtk.vtkIdList(); lines.InitTraversal(); conn = []
        while lines.GetNextCell(ids):
            conn += [ids.GetId(k) for k in range(ids.GetNumberOfIds())]
        info["lineConn"] = conn
    for kind, data in (("point", d.GetPointData()), ("cell", d.GetCellData())):
        for i in range(data.GetNumberOfArrays()):
            a = data.GetArray(i)
            v = vtk_to_numpy(a).ravel()
            info["arrays"][a.GetName()] = {"kind": kind, "type": a.GetDataTypeAsString(), "n": int(v.size), "sum": float(v.astype("float64").sum()), "first": float(v[0]), "last": float(v[-1])}
    f = d.GetFieldData()
    for i in range(f.GetNumberOfArrays()):
        a = f.GetAbstractArray(i)
        info["arrays"][a.GetName()] = {"kind": "field", "value": a.GetValue(0) if a.IsA("vtkStringArray") else float(a.GetTuple1(0))}
    out[path] = info
print(json.dumps(out))
`;

function readWithVtk(paths: string[]): Record<string, Record<string, unknown>> {
  const py = vtkPython();
  const r = spawnSync(py, ["-c", READER, ...paths], { encoding: "utf8", maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// ------------------------------------------------------------------ fixtures

function labelledVolume() {
  const shape = [4, 5, 6] as const;
  const n = 4 * 5 * 6;
  const labels = new Int32Array(n);
  const cracks = new Uint8Array(n);
  const dist = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 7 === 0 ? 0 : 1 + (i % 3);
    cracks[i] = i % 11 === 0 ? 1 : 0;
    dist[i] = 0.25 * i;
  }
  const spacing = [0.5e-6, 0.25e-6, 0.125e-6] as const;
  return {
    shape,
    spacing,
    volumes: [
      { name: "labels", volume: { data: labels, shape, spacing } },
      { name: "cracks", volume: { data: cracks, shape, spacing } },
      { name: "distance_to_surface_m", volume: { data: dist, shape, spacing } },
    ],
  };
}

const sum = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0);

function network(): NetworkGeometry {
  // 3 particles, 1 carbon junction, edges: p0–p1, p1–c0 (node 3), c0–collector, p2–collector
  return {
    particles: {
      count: 3,
      x: [0, 2e-6, 4e-6],
      y: [0, 0, 1e-6],
      z: [1e-6, 3e-6, 2e-6],
      radius: [1e-6, 1.5e-6, 0.5e-6],
    },
    carbon: { count: 1, x: [3e-6], y: [0], z: [5e-6] },
    edges: {
      count: 4,
      a: [0, 1, 3, 2],
      b: [1, 3, -1, -1],
      kind: [2, 3, 1, 4],
      size: [1e-7, 2e-7, 5e-6, 3e-7],
    },
  };
}

// ------------------------------------------------------------------ tests

test("vtk: labelled volume, crack mask and distance field as one .vti, raw appended and ASCII", () => {
  const { shape, spacing, volumes } = labelledVolume();
  for (const encoding of ["appended", "ascii"] as const) {
    const bytes = volumesVti(volumes, { encoding, origin: [1e-6, 2e-6, 3e-6] });
    const p = parseVtk(bytes);
    // x y z order in the file; extent counts points of the cell grid
    assert.equal(p.root.WholeExtent, `0 ${shape[2]} 0 ${shape[1]} 0 ${shape[0]}`);
    assert.deepEqual(p.root.Spacing.split(" ").map(Number), [spacing[2], spacing[1], spacing[0]]);
    assert.deepEqual(p.root.Origin.split(" ").map(Number), [3e-6, 2e-6, 1e-6]);
    for (const v of volumes) {
      const a = p.arrays.find((x) => x.name === v.name);
      assert.ok(a && a.section === "CellData", v.name);
      assert.deepEqual(a.values, Array.from(v.volume.data), `${encoding} ${v.name}`);
    }
    assert.equal(p.arrays.find((x) => x.name === "labels")?.type, "Int32");
    assert.equal(p.arrays.find((x) => x.name === "cracks")?.type, "UInt8");
  }
  assert.throws(
    () => volumesVti([volumes[0], { name: "bad", volume: { ...volumes[1].volume, shape: [1, 1, 1] } }]),
    RangeError,
  );
  const nan = new Float32Array(120);
  nan[7] = Number.NaN;
  assert.throws(
    () => volumesVti([{ name: "d", volume: { data: nan, shape, spacing } }]),
    /non-finite.*index 7/,
  );
});

test("vtk: electrode network .vtp — particles with radius and per-step Li fraction, contacts as lines", () => {
  const g = network();
  const snaps = { time: [0, 10, 20], meanX: [0.9, 0.8, 0.7, 0.95, 0.9, 0.85, 0.99, 0.98, 0.97], samples: 3 };
  const p = parseVtk(electrodeNetworkVtp(g, snaps));
  // 3 particles + 1 carbon + 2 collector feet
  const pts = p.arrays.find((a) => a.name === "Points");
  assert.ok(pts);
  assert.equal(pts.values.length, 18);
  assert.deepEqual(pts.values.slice(15), [4e-6, 1e-6, 0]); // foot below particle 2
  const conn = p.arrays.filter((a) => a.name === "connectivity");
  assert.deepEqual(conn[0].values, [0, 1, 2]); // verts
  assert.deepEqual(conn[1].values, [0, 1, 1, 3, 3, 4, 2, 5]); // lines
  const radius = p.arrays.find((a) => a.name === "radius_m");
  assert.deepEqual(radius?.values, [1e-6, 1.5e-6, 0.5e-6, 0, 0, 0]);
  const x1 = p.arrays.find((a) => a.name === "li_fraction_step_0001");
  assert.deepEqual(
    x1?.values.map((v) => Number(v.toFixed(6))),
    [0.8, 0.9, 0.98, -1, -1, -1],
  );
  const time = p.arrays.find((a) => a.name === "step_time_s");
  assert.deepEqual(time?.values, [0, 10, 20]);
  assert.deepEqual(p.arrays.find((a) => a.name === "edge_kind")?.values, [-1, -1, -1, 2, 3, 1, 4]);
  assert.throws(() => electrodeNetworkVtp({ ...g, edges: { ...g.edges, a: [0, 1, 9, 2] } }), /edge 2/);
  assert.throws(() => polyDataVtp({ points: [0, 0, 0], lines: [0, 1] }), /outside/);
});

test("vtk: fracture fields — vtiImage (ASCII) and vtiImageBytes (raw appended) hold the same values", () => {
  const poly = generatePolycrystal({
    dim: 2,
    cells: 24,
    particleRadius: 5e-6,
    grains: 8,
    boundaryWidth: 0.5e-6,
    seed: 3,
  });
  const field = Float64Array.from({ length: poly.phase.length }, (_, i) => Math.sin(i / 7));
  const ascii = parseVtk(new TextEncoder().encode(vtiImage(poly, { damage: field })));
  const bin = parseVtk(vtiImageBytes(poly, { damage: field }));
  assert.equal(ascii.root.WholeExtent, bin.root.WholeExtent);
  assert.equal(ascii.root.Spacing, bin.root.Spacing);
  for (const name of ["phase", "grain", "damage"]) {
    // ASCII Float32 is written with 9 significant digits: parse back to the same float32
    const a = (ascii.arrays.find((x) => x.name === name)?.values ?? []).map(Math.fround);
    const b = bin.arrays.find((x) => x.name === name)?.values ?? [];
    assert.equal(a.length, poly.phase.length, name);
    assert.deepEqual(a, b, name);
  }
  const d = bin.arrays.find((x) => x.name === "damage")?.values ?? [];
  assert.ok(Math.abs(d[5] - Math.sin(5 / 7)) < 1e-7); // Float32
  const big = vtiImageBytes(poly, { damage: field }).length;
  const small = new TextEncoder().encode(vtiImage(poly, { damage: field })).length;
  assert.ok(big < small, `binary ${big} B vs ASCII ${small} B`);
});

test("vtk: VTK's own XML readers load every file with the written grid, points, lines and arrays", async () => {
  const tmp = tempDir();
  try {
    const { volumes } = labelledVolume();
    const files: Record<string, Uint8Array> = {
      "vol.vti": volumesVti(volumes, { origin: [1e-6, 2e-6, 3e-6] }),
      "vol_ascii.vti": volumesVti(volumes, { encoding: "ascii" }),
      "net.vtp": electrodeNetworkVtp(network(), {
        time: [0, 10],
        meanX: [0.9, 0.8, 0.95, 0.9, 0.99, 0.98],
        samples: 2,
      }),
      "point.vti": imageDataVti({
        shape: [1, 3, 4],
        spacing: [1, 2e-3, 1e-3],
        association: "point",
        arrays: [{ name: "v", values: Float64Array.from({ length: 12 }, (_, i) => i) }],
        lengthScale: 1e3,
      }),
    };
    const poly = generatePolycrystal({
      dim: 3,
      cells: 10,
      particleRadius: 5e-6,
      grains: 6,
      boundaryWidth: 1e-6,
      seed: 2,
    });
    const damage = Float32Array.from({ length: poly.phase.length }, (_, i) => (i % 13) / 13);
    files["fracture.vti"] = vtiImageBytes(poly, { damage });
    const paths = Object.keys(files).map((f) => {
      const p = join(tmp.path, f);
      writeFileSync(p, files[f]);
      return p;
    });
    // the electrode command's network.vtp (30 particles, one C/20 charge)
    const run = await runCli(
      "electrode",
      "--material",
      "NMC532",
      "--particles",
      "30",
      "--coverage",
      "0.6",
      "--protocol",
      "Charge at C/20 until 4.3 V",
      "--seed",
      "2",
      "--out",
      join(tmp.path, "electrode"),
    );
    assert.equal(run.code, 0, run.err);
    const cliNet = join(tmp.path, "electrode", "network.vtp");
    paths.push(cliNet);
    const r = readWithVtk(paths);
    const e = r[cliNet] as {
      verts: number;
      lines: number;
      arrays: Record<string, { n: number; first: number }>;
    };
    assert.equal(e.verts, 30);
    assert.ok(e.lines >= 30, String(e.lines));
    assert.ok(e.arrays.li_fraction.first > 0 && e.arrays.li_fraction.first < 1);
    assert.ok(Object.keys(e.arrays).filter((k) => k.startsWith("li_fraction_step_")).length >= 2);
    type A = {
      kind: string;
      type: string;
      n: number;
      sum: number;
      first: number;
      last: number;
      value?: string;
    };
    const info = (f: string) =>
      r[join(tmp.path, f)] as { arrays: Record<string, A> } & Record<string, unknown>;
    for (const f of ["vol.vti", "vol_ascii.vti"]) {
      const v = info(f);
      assert.deepEqual(v.dims, [7, 6, 5], f); // points = cells + 1 per axis
      assert.deepEqual(v.spacing, [0.125e-6, 0.25e-6, 0.5e-6]);
      assert.equal(v.cells, 120);
      for (const vol of volumes) {
        const a = v.arrays[vol.name];
        assert.equal(a.kind, "cell");
        assert.equal(a.n, 120);
        assert.ok(
          Math.abs(a.sum - sum(vol.volume.data)) < 1e-6 * Math.max(1, sum(vol.volume.data)),
          vol.name,
        );
      }
      assert.equal(v.arrays.labels.type, "int");
      assert.equal(v.arrays.cracks.type, "unsigned char");
      assert.equal(v.arrays.length_unit.value, "m");
    }
    assert.deepEqual(info("vol.vti").origin, [3e-6, 2e-6, 1e-6]);
    const net = info("net.vtp");
    assert.equal(net.points, 6);
    assert.equal(net.verts, 3);
    assert.equal(net.lines, 4);
    assert.deepEqual(net.lineConn, [0, 1, 1, 3, 3, 4, 2, 5]);
    assert.ok(Math.abs(net.arrays.radius_m.sum - 3e-6) < 1e-18);
    assert.ok(Math.abs(net.arrays.li_fraction.sum - (0.8 + 0.9 + 0.98 - 3)) < 1e-6);
    assert.equal(net.arrays.edge_kind.n, 7);
    const pt = info("point.vti");
    assert.deepEqual(pt.dims, [4, 3, 1]);
    assert.deepEqual(pt.spacing, [1, 2, 1000]);
    assert.equal(pt.arrays.v.kind, "point");
    assert.equal(pt.arrays.v.sum, 66);
    assert.equal(pt.arrays.length_unit.value, "mm");
    const fr = info("fracture.vti");
    assert.equal(fr.cells, poly.phase.length);
    assert.ok(Math.abs(fr.arrays.damage.sum - sum(damage)) < 1e-3);
    assert.equal(fr.arrays.length_unit.value, "um");
  } finally {
    tmp.cleanup();
  }
});
