import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { encode } from "fast-png";
import { InputError } from "../../src/errors.js";
import { createVolume, volumeFrom } from "../../src/imaging/volume.js";
import { encodePngSlice, encodeRgbPng, readPng } from "../../src/io/png.js";
import { encodeTiff } from "../../src/io/tiff.js";
import { readVolumeFile, readVolumeFileWithInfo, writeVolumeFile } from "../../src/io/volume-io.js";
import { tempDir } from "../helpers/cli.js";

test("PNG slices: 8- and 16-bit grey round trip, windowing of float images, RGB conversion", () => {
  const v8 = volumeFrom(
    Uint8Array.from({ length: 12 }, (_, i) => i * 20),
    [3, 4],
  );
  assert.deepEqual(Array.from(readPng(encodePngSlice(v8)).data), Array.from(v8.data));
  const v16 = volumeFrom(
    Uint16Array.from({ length: 12 }, (_, i) => i * 5000),
    [3, 4],
  );
  const r16 = readPng(encodePngSlice(v16));
  assert.ok(r16.data instanceof Uint16Array);
  assert.deepEqual(Array.from(r16.data), Array.from(v16.data));
  const vf = volumeFrom(Float32Array.from([0, 0.5, 1, 2]), [2, 2]);
  assert.deepEqual(Array.from(readPng(encodePngSlice(vf)).data), [0, 64, 128, 255]); // (v−0)/2·255 rounded
  const rgb = encodeRgbPng(new Uint8Array([30, 60, 90, 0, 0, 255]), 2, 1);
  assert.throws(
    () => readPng(rgb, { file: "c.png" }),
    (e: unknown) => e instanceof InputError && /c\.png/.test(e.message),
  );
  assert.deepEqual(Array.from(readPng(rgb, { rgb: "mean" }).data), [60, 85]);
  assert.throws(() => encodePngSlice(createVolume([2, 2, 2])), InputError);
});

test("volume files: TIFF stack, folder of TIFF/PNG slices, NPY, raw+JSON read in one call; --voxel parsing; errors", () => {
  const tmp = tempDir();
  try {
    const v = createVolume([3, 4, 5], "uint16", [0.5e-6, 0.124e-6, 0.124e-6]);
    for (let i = 0; i < v.data.length; i++) v.data[i] = i * 777;
    for (const name of ["v.tif", "v.npy", "v.raw"]) {
      const p = join(tmp.path, name);
      writeVolumeFile(p, v);
      const r = readVolumeFileWithInfo(p);
      assert.deepEqual(Array.from(r.volume.data), Array.from(v.data), name);
      assert.deepEqual(r.volume.shape, v.shape);
      // TIFF stores 1/dx as a 32-bit rational (≈1e-9 relative), raw JSON as decimal µm
      if (name !== "v.npy")
        for (let k = 0; k < 3; k++)
          assert.ok(Math.abs(r.volume.spacing[k] - v.spacing[k]) < 1e-8 * v.spacing[k], name);
    }
    const npy = readVolumeFileWithInfo(join(tmp.path, "v.npy"), { voxelSize: "0.124um" });
    assert.equal(npy.spacingSource, "option");
    assert.deepEqual(npy.volume.spacing, [0.124e-6, 0.124e-6, 0.124e-6]);
    assert.deepEqual(
      readVolumeFile(join(tmp.path, "v.npy"), { voxelSize: "0.5um, 0.2um, 0.2um" }).spacing,
      [0.5e-6, 0.2e-6, 0.2e-6],
    );
    assert.throws(
      () => readVolumeFile(join(tmp.path, "v.npy"), { voxelSize: "0.124 parsec-ish" }),
      InputError,
    );
    assert.throws(() => readVolumeFile(join(tmp.path, "v.npy"), { voxelSize: "0.124" }), /no unit/);
    // PNG folder written by writeVolumeFile, read back as a stack
    const dir = join(tmp.path, "pngs");
    writeVolumeFile(dir, v);
    const back = readVolumeFileWithInfo(dir);
    assert.equal(back.format, "png-folder");
    assert.equal(back.files.length, 3);
    assert.deepEqual(Array.from(back.volume.data), Array.from(v.data));
    // TIFF folder with natural order (s2 before s10) and one inconsistent slice
    const tdir = join(tmp.path, "tifs");
    mkdirSync(tdir);
    for (const k of [1, 2, 10])
      writeFileSync(join(tdir, `s${k}.tif`), encodeTiff(volumeFrom(new Uint8Array(6).fill(k), [2, 3])));
    assert.deepEqual(Array.from(readVolumeFile(tdir).data.filter((_, i) => i % 6 === 0)), [1, 2, 10]);
    writeFileSync(join(tdir, "s11.tif"), encodeTiff(volumeFrom(new Uint8Array(8), [2, 4])));
    assert.throws(
      () => readVolumeFile(tdir),
      (e: unknown) => e instanceof InputError && /s11\.tif/.test(e.message) && /inconsistent/.test(e.message),
    );
    writeFileSync(
      join(tdir, "s12.png"),
      encode({ width: 3, height: 2, data: new Uint8Array(6), depth: 8, channels: 1 }),
    );
    assert.throws(() => readVolumeFile(tdir), /mixes/);
    assert.throws(() => readVolumeFile(join(tmp.path, "missing.tif")), /not found/);
    writeFileSync(join(tmp.path, "x.vol"), "");
    assert.throws(() => readVolumeFile(join(tmp.path, "x.vol")), /unknown volume file type/);
  } finally {
    tmp.cleanup();
  }
});
