/**
 * HDF5/NeXus volumes through h5wasm: our writer → our reader; files written by h5py (HDF5 1.10,
 * test/fixtures/hdf5/make_fixtures.py) → our reader; bad input → InputError; volume-io and
 * `tomo analyze` outputs.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../../src/errors.js";
import {
  hdf5Ready,
  listHdf5DatasetsSync,
  readHdf5Volume,
  readHdf5VolumeSync,
  writeHdf5Volumes,
} from "../../src/io/hdf5.js";
import { readVolumeFileWithInfo, writeVolumeFile } from "../../src/io/volume-io.js";
import { runCli, tempDir } from "../helpers/cli.js";

const FIX = new URL("../fixtures/hdf5/", import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, FIX)));

/** The fixture values v[z, y, x] = (700 z + 30 y + x) mod 997 (make_fixtures.py). */
function expected(nz: number, ny: number, nx: number): number[] {
  const out: number[] = [];
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) out.push((700 * z + 30 * y + x) % 997);
  return out;
}

const close = (a: readonly number[], b: readonly number[], rel = 1e-12) =>
  a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= rel * Math.abs(b[i]));

test("hdf5: our writer → our reader, every voxel type, spacing and NeXus default", async () => {
  const shape = [3, 4, 5] as const;
  const spacing = [0.5e-6, 0.25e-6, 0.125e-6] as const;
  const n = 60;
  const vols = [
    { name: "u8", volume: { data: Uint8Array.from({ length: n }, (_, i) => i * 4), shape, spacing } },
    { name: "u16", volume: { data: Uint16Array.from({ length: n }, (_, i) => 1000 * i), shape, spacing } },
    { name: "i32", volume: { data: Int32Array.from({ length: n }, (_, i) => -7 * i), shape, spacing } },
    { name: "f32", volume: { data: Float32Array.from({ length: n }, (_, i) => i / 3), shape, spacing } },
    {
      name: "f64",
      volume: { data: Float64Array.from({ length: n }, (_, i) => Math.PI * i), shape, spacing },
    },
  ];
  for (const compression of [0, 4]) {
    const bytes = await writeHdf5Volumes(vols, { title: "roundtrip", compression });
    // default dataset = NeXus signal = the first volume
    const first = await readHdf5Volume(bytes);
    assert.equal(first.dataset, "/entry/data/u8");
    for (const v of vols) {
      const r = readHdf5VolumeSync(bytes, { dataset: `/entry/data/${v.name}` });
      assert.equal(r.volume.data.constructor, v.volume.data.constructor, v.name);
      assert.deepEqual(Array.from(r.volume.data), Array.from(v.volume.data), v.name);
      assert.deepEqual(r.volume.shape, shape);
      assert.deepEqual(r.volume.spacing, spacing);
      assert.equal(r.spacingSource, `/entry/data/${v.name}@voxel_size [m]`);
    }
  }
  const list = listHdf5DatasetsSync(await writeHdf5Volumes(vols));
  assert.deepEqual(
    list.filter((d) => ["x", "y", "z"].some((a) => d.path.endsWith(`/${a}`))).map((d) => d.shape[0]),
    [5, 4, 3],
  );
  await assert.rejects(
    writeHdf5Volumes([
      { name: "bad", volume: { data: new Float32Array([Number.NaN]), shape: [1, 1, 1], spacing } },
    ]),
    /non-finite/,
  );
});

test("hdf5: files written by h5py — NeXus axes in µm, element_size_um, int8, big-endian float64, 2-D", async () => {
  await hdf5Ready();
  const nexus = readHdf5VolumeSync(fixture("h5py_nexus.h5"), { file: "h5py_nexus.h5" });
  assert.equal(nexus.dataset, "/entry/tomo/data"); // NeXus default chain, not /processing/other
  assert.deepEqual(nexus.volume.shape, [6, 10, 12]);
  assert.ok(
    close([...nexus.volume.spacing], [0.5e-6, 0.25e-6, 0.125e-6], 1e-9),
    String(nexus.volume.spacing),
  );
  assert.match(nexus.spacingSource, /@axes \(z, y, x\)/);
  assert.ok(nexus.volume.data instanceof Uint16Array);
  assert.deepEqual(Array.from(nexus.volume.data), expected(6, 10, 12));

  const es = fixture("h5py_element_size.h5");
  const i8 = readHdf5VolumeSync(es, { dataset: "/volume/int8" });
  assert.ok(i8.volume.data instanceof Int16Array); // int8 widened
  assert.deepEqual(
    Array.from(i8.volume.data),
    expected(6, 10, 12).map((v) => (v % 100) - 50),
  );
  assert.ok(close([...i8.volume.spacing], [2e-6, 1e-6, 0.5e-6], 1e-12));
  assert.equal(i8.spacingSource, "/volume/int8@element_size_um");
  const be = readHdf5VolumeSync(es, { dataset: "/volume/f64be" });
  assert.ok(be.volume.data instanceof Float64Array);
  assert.deepEqual(Array.from(be.volume.data), expected(6, 10, 12));
  assert.deepEqual(be.volume.spacing, [3e-7, 3e-7, 3e-7]);
  const img = readHdf5VolumeSync(es, { dataset: "/image2d" });
  assert.deepEqual(img.volume.shape, [1, 10, 12]);
  assert.equal(img.spacingSource, "default");
  assert.deepEqual(Array.from(img.volume.data), expected(1, 10, 12));
});

test("hdf5: bad input is an InputError naming the file and what was expected", async () => {
  await hdf5Ready();
  const es = fixture("h5py_element_size.h5");
  const isInput = (re: RegExp) => (e: unknown) => e instanceof InputError && re.test(e.message);
  assert.throws(
    () => readHdf5VolumeSync(new Uint8Array([1, 2, 3]), { file: "x.h5" }),
    isInput(/x\.h5.*not an HDF5/),
  );
  // no default and several volumes → the list of datasets
  assert.throws(() => readHdf5VolumeSync(es, { file: "e.h5" }), isInput(/several volumes.*\/volume\/int8/s));
  assert.throws(
    () => readHdf5VolumeSync(es, { dataset: "/nope", file: "e.h5" }),
    isInput(/no such dataset.*\/nope/),
  );
  assert.throws(
    () => readHdf5VolumeSync(es, { dataset: "/line", file: "e.h5" }),
    isInput(/not a 2-D or 3-D/),
  );
  // truncations at many lengths: an InputError (never a crash, never garbage)
  const good = fixture("h5py_nexus.h5");
  for (const len of [8, 100, 512, 2048, 4096, 8000, good.length - 100]) {
    try {
      const r = readHdf5VolumeSync(good.slice(0, len), { file: "cut.h5" });
      // a cut that keeps the data intact must give the right values
      assert.deepEqual(Array.from(r.volume.data), expected(6, 10, 12), `length ${len}`);
    } catch (e) {
      assert.ok(e instanceof InputError, `length ${len}: ${e}`);
      assert.match(e.message, /cut\.h5/);
    }
  }
  // random byte flips in the body (seeded): InputError or correct shape, nothing else
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let k = 0; k < 20; k++) {
    const b = good.slice();
    for (let j = 0; j < 8; j++) b[8 + Math.floor(rand() * (b.length - 8))] = Math.floor(rand() * 256);
    try {
      const r = readHdf5VolumeSync(b, { file: "flip.h5" });
      assert.equal(r.volume.data.length, r.volume.shape[0] * r.volume.shape[1] * r.volume.shape[2]);
    } catch (e) {
      assert.ok(e instanceof InputError, `flip ${k}: ${e}`);
    }
  }
});

test("hdf5: volume-io reads FILE.h5:/dataset and writes .h5; tomo analyze writes volumes.h5 and volumes.vti", async () => {
  const tmp = tempDir();
  try {
    const nexusPath = join(tmp.path, "scan.nxs");
    writeFileSync(nexusPath, fixture("h5py_nexus.h5"));
    const r = readVolumeFileWithInfo(nexusPath);
    assert.equal(r.format, "hdf5");
    assert.equal(r.spacingSource, "file");
    const es = join(tmp.path, "e.h5");
    writeFileSync(es, fixture("h5py_element_size.h5"));
    const r2 = readVolumeFileWithInfo(`${es}:/volume/int8`, { voxelSize: "1um" });
    assert.deepEqual(r2.volume.spacing, [1e-6, 1e-6, 1e-6]);
    assert.equal(r2.spacingSource, "option");
    assert.throws(() => readVolumeFileWithInfo(join(tmp.path, "missing.h5")), /not found/);
    const out = join(tmp.path, "w.h5");
    writeVolumeFile(out, r.volume);
    const back = readVolumeFileWithInfo(out);
    assert.deepEqual(Array.from(back.volume.data), expected(6, 10, 12));
    assert.ok(close([...back.volume.spacing], [...r.volume.spacing]));

    // tomo analyze on a synthetic volume: labels/cracks/distance in volumes.h5 equal the TIFFs
    const synth = await runCli(
      "tomo",
      "synth",
      "--out",
      join(tmp.path, "s"),
      "--shape",
      "32,48,48",
      "--particles",
      "2",
    );
    assert.equal(synth.code, 0, synth.err);
    // the synthetic volume as HDF5 input (voxel size from the attributes)
    const synthH5 = join(tmp.path, "synth.h5");
    writeVolumeFile(synthH5, readVolumeFileWithInfo(join(tmp.path, "s", "volume.tif")).volume);
    const a = await runCli(
      "tomo",
      "analyze",
      synthH5,
      "--out",
      join(tmp.path, "a"),
      "--no-skeleton",
      "--write-volumes",
    );
    assert.equal(a.code, 0, a.err);
    const h5 = join(tmp.path, "a", "volumes.h5");
    const labels = readVolumeFileWithInfo(`${h5}:/entry/data/labels`).volume;
    const tifLabels = readVolumeFileWithInfo(join(tmp.path, "a", "labels.tif")).volume;
    assert.deepEqual(Array.from(labels.data), Array.from(tifLabels.data));
    assert.ok(close([...labels.spacing], [...tifLabels.spacing], 1e-6));
    const dist = readVolumeFileWithInfo(`${h5}:/entry/data/distance_to_surface_m`).volume;
    let inside = 0;
    for (let i = 0; i < dist.data.length; i++) {
      if (labels.data[i] > 0) {
        assert.ok(dist.data[i] > 0);
        inside++;
      } else assert.equal(dist.data[i], 0);
    }
    assert.ok(inside > 100);
    const vti = readFileSync(join(tmp.path, "a", "volumes.vti"));
    assert.match(vti.subarray(0, 2000).toString("latin1"), /Name="distance_to_surface_m"/);
  } finally {
    tmp.cleanup();
  }
});

test("hdf5: the reader bundles for the browser (esbuild, platform browser, no Node built-ins)", async () => {
  const { build } = await import("esbuild");
  const r = await build({
    stdin: {
      contents: 'export { readHdf5Volume, writeHdf5Volumes } from "./src/io/hdf5.ts";',
      resolveDir: process.cwd(),
      loader: "ts",
    },
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    logLevel: "silent",
  });
  assert.equal(r.errors.length, 0);
  const js = r.outputFiles[0].text;
  assert.ok(js.length > 1e6, "the WebAssembly module is inlined");
  assert.ok(!/from\s*["']node:/.test(js), "no node: import in the browser bundle");
});
