import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli, tempDir } from "../../helpers/cli.js";
import { dataPath } from "./data.js";

// The reader options on the command line: --columns, --decimal, and the readers' notes on stderr.

describe("CLI reader options and notes", () => {
  it("kk on a Modulo Bat .mpt: zero-frequency rows dropped with a note on stderr, exit 0", async () => {
    const r = await runCli("kk", dataPath("eclab/cheminfo__mb.mpt"), "--spectrum", "1");
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /note: .*dropped 1028 rows with frequency 0/);
    assert.match(r.out, /spectrum 0/);
  });

  it("fit gitt on a GCPL .mpr of EC-Lab < 11.50: current derived from dq, said on stderr", async () => {
    const r = await runCli(
      "fit",
      "gitt",
      dataPath("eclab/aurora__250116_kigr_gen6_01_01_GCPL_CD8.mpr"),
      "--radius",
      "5um",
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /note: .*the file stores no current: "I \(from dq\)\/mA"/);
    assert.match(r.out, /1 GITT pulses/);
  });

  it("kk on a ';'-separated decimal-comma table with --columns in kHz: same verdict as the original CSV", async () => {
    const { path, cleanup } = tempDir();
    try {
      const original = await runCli("kk", dataPath("impedancepy__exampleData.csv"));
      // impedancepy exampleData.csv rewritten with a header, kHz frequencies and decimal commas
      const { readFileSync } = await import("node:fs");
      const rows = readFileSync(dataPath("impedancepy__exampleData.csv"), "utf8")
        .split(/\r?\n/)
        .filter((l) => l.trim() !== "")
        .map((l) => {
          const [f, re, im] = l.split(",").map(Number);
          return [String(f / 1000), String(re), String(im)].map((c) => c.replace(".", ",")).join(";");
        });
      const file = join(path, "eu.csv");
      writeFileSync(file, `Frequenz;Realteil;Imaginaerteil\n${rows.join("\n")}\n`);
      const r = await runCli(
        "kk",
        file,
        "--columns",
        "frequency=Frequenz(kHz),zreal=Realteil(Ohm),zimag=Imaginaerteil(Ohm)",
        "--decimal",
        ",",
      );
      assert.equal(r.code, 0, r.err);
      const verdict = (s: string) =>
        s
          .split("\n")
          .find((l) => /PASS|FAIL/.test(l))
          ?.replace(/^\S+/, "");
      assert.equal(verdict(r.out), verdict(original.out));
      const bad = await runCli("kk", file, "--decimal", ";");
      assert.equal(bad.code, 2);
      assert.match(bad.err, /--decimal/);
      const badMap = await runCli("kk", file, "--columns", "speed=Frequenz");
      assert.equal(badMap.code, 2);
      assert.match(badMap.err, /unknown role "speed"/);
    } finally {
      cleanup();
    }
  });

  it('fit eis on a ","-separated decimal-comma CSV → exit 2 naming the line, no fit', async () => {
    const { path, cleanup } = tempDir();
    try {
      const file = join(path, "eu.csv");
      writeFileSync(file, "1000,5,0,01,-0,002\n100,5,1,0,02,-0,01\n");
      const r = await runCli("fit", "eis", file, "--circuit", "R0-p(R1,C1)");
      assert.equal(r.code, 2, r.out);
      assert.match(r.err, /decimal comma/);
    } finally {
      cleanup();
    }
  });
});
