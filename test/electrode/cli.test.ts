import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { CommandContext } from "../../src/cli/command.js";
import { specFromValues } from "../../src/cli/commands/electrode.js";
import { main } from "../../src/cli/main.js";
import { DEFAULT_COVERAGE } from "../../src/electrode/microstructure.js";
import { SEED003_SCENARIO } from "../../src/electrode/spec.js";
import { parseProtocol } from "../../src/protocol/parse.js";

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const ctx: CommandContext = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    isTTY: false,
    cwd: process.cwd(),
  };
  const code = await main(["electrode", ...argv], ctx);
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), "cathodelab-electrode-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const PROTOCOL = "Charge at C/20 until 4.3 V; Discharge at C/20 until 2.5 V";

describe("cathodelab electrode", () => {
  it("runs a small electrode and writes every output", async () => {
    const out = join(dir, "run");
    const { code, out: text } = await run(
      "--material",
      "NMC532",
      "--particles",
      "30",
      "--coverage",
      "0.6",
      "--protocol",
      PROTOCOL,
      "--seed",
      "2",
      "--out",
      out,
      "--json",
    );
    assert.equal(code, 0);
    const summary = JSON.parse(text);
    assert.equal(summary.microstructure.particles, 30);
    assert.equal(summary.synchrony.length, 2);
    assert.ok(summary.firstCycleLoss > 0 && summary.firstCycleLoss < 0.5);
    for (const f of [
      "summary.json",
      "cell.csv",
      "particles.csv",
      "particle_x.csv",
      "intensity.csv",
      "halfcycles.csv",
      "cycles.csv",
      "steps.csv",
      "voltage.svg",
      "traces.svg",
      "activation.svg",
      "intensity.svg",
    ]) {
      assert.ok(existsSync(join(out, f)), f);
    }
    const particles = readFileSync(join(out, "particles.csv"), "utf8").trim().split("\n");
    assert.equal(particles.length, 31);
    assert.match(particles[0], /onset_soc_0_charge/);
    assert.match(readFileSync(join(out, "activation.svg"), "utf8"), /<circle/);
    // refuses to overwrite without --force
    const again = await run(
      "--material",
      "NMC532",
      "--particles",
      "30",
      "--protocol",
      PROTOCOL,
      "--out",
      out,
    );
    assert.equal(again.code, 2);
    assert.match(again.err, /not empty/);
  });

  it("runs a 2D cross-section with cracked particles", async () => {
    const { code, out } = await run(
      "--material",
      "NMC532",
      "--particles",
      "25",
      "--dim",
      "2",
      "--cracked",
      "0.3",
      "--protocol",
      "Charge at C/20 until 4.0 V",
      "--json",
    );
    assert.equal(code, 0);
    const s = JSON.parse(out);
    assert.ok(s.microstructure.fragmentContacts > 0);
    assert.equal(s.microstructure.box[1], 0);
  });

  it("imports a particle list", async () => {
    const file = join(dir, "particles.csv");
    writeFileSync(file, "x_um,y_um,z_um,radius_um,covered\n5,5,5,5,1\n14.5,5,5,5,0\n24,5,5,5,0\n");
    const { code, out } = await run(
      "--material",
      "NMC532",
      "--particles-file",
      file,
      "--protocol",
      "Charge at C/20 until 4.0 V",
      "--json",
    );
    assert.equal(code, 0);
    const s = JSON.parse(out);
    assert.equal(s.microstructure.particles, 3);
    assert.equal(s.microstructure.coveredFraction, 1 / 3);
    // explicit contacts from a CSV: 0–1 (also overlapping), 0–2 (9 µm apart: only from the
    // list); the overlapping pair 1–2 is kept by the overlap rule → 3 contacts
    const contacts = join(dir, "contacts.csv");
    writeFileSync(contacts, "i,j\n0,1\n0,2\n");
    const withContacts = await run(
      "--material",
      "NMC532",
      "--particles-file",
      file,
      "--contacts-file",
      contacts,
      "--protocol",
      "Charge at C/20 until 4.0 V",
      "--json",
    );
    assert.equal(withContacts.code, 0);
    assert.equal(JSON.parse(withContacts.out).microstructure.particleContacts, 3);
    writeFileSync(contacts, "i,j\n0,7\n");
    const bad = await run(
      "--material",
      "NMC532",
      "--particles-file",
      file,
      "--contacts-file",
      contacts,
      "--protocol",
      "Charge at C/20 until 4.0 V",
    );
    assert.equal(bad.code, 2);
    assert.match(bad.err, /line 2/);
  });

  it("sweeps a parameter on worker threads", async () => {
    const out = join(dir, "sweep");
    const { code, out: text } = await run(
      "--material",
      "NMC532",
      "--particles",
      "20",
      "--protocol",
      "Charge at C/20 until 4.0 V",
      "--sweep",
      "coverage=0.3,0.9",
      "--workers",
      "2",
      "--out",
      out,
      "--json",
    );
    assert.equal(code, 0);
    const table = JSON.parse(text);
    assert.equal(table.key, "coverage");
    assert.deepEqual(
      table.rows.map((r: { coverage: string; ok: boolean }) => [r.coverage, r.ok]),
      [
        ["0.3", true],
        ["0.9", true],
      ],
    );
    assert.ok(existsSync(join(out, "sweep.csv")));
  });

  it("defaults to the seed-003 scenario (NMC532, 300 particles, two C/20 cycles 4.3–2.5 V)", () => {
    const spec = specFromValues({}, parseProtocol(SEED003_SCENARIO.protocol));
    assert.equal(spec.material, "NMC532");
    assert.equal(spec.generator?.particles, 300);
    assert.equal(spec.generator?.coverage, undefined); // → DEFAULT_COVERAGE in the generator
    assert.equal(DEFAULT_COVERAGE, 0.2);
    assert.equal(spec.model?.directCarbonContacts, undefined); // → current through the particle body
    assert.equal(
      specFromValues({ "direct-contacts": true }, parseProtocol(PROTOCOL)).model?.directCarbonContacts,
      true,
    );
    assert.match(
      SEED003_SCENARIO.protocol,
      /Repeat 2 times: Charge at C\/20 until 4\.3 V.*Discharge at C\/20 until 2\.5 V/,
    );
  });

  it("bad input exits with code 2 and names the option", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["--material", "NMC532", "--particles", "30", "--protocol", PROTOCOL, "--coverage", "1.5"],
        /--coverage/,
      ],
      [["--particles", "many", "--protocol", PROTOCOL], /--particles/],
      [
        ["--particles", "30", "--protocol", PROTOCOL, "--direct-contacts", "--body-contacts"],
        /--direct-contacts/,
      ],
      [["--material", "NMC999", "--particles", "30", "--protocol", PROTOCOL], /NMC999/],
      [["--material", "NMC532", "--particles", "30", "--protocol", "Charge at C/20 until 9 V"], /cut-off/],
      [
        ["--material", "NMC532", "--particles", "30", "--protocol", PROTOCOL, "--sweep", "colour=1,2"],
        /--sweep/,
      ],
      [["--material", "NMC532", "--particles", "30", "--protocol", PROTOCOL, "--dim", "4"], /--dim/],
      [
        ["--material", "NMC532", "--particles-file", join(dir, "missing.csv"), "--protocol", PROTOCOL],
        /particle file/,
      ],
    ];
    for (const [argv, message] of cases) {
      let err = "";
      const ctx: CommandContext = {
        stdout: () => {},
        stderr: (t) => (err += t),
        isTTY: false,
        cwd: process.cwd(),
      };
      const code = await main(["electrode", ...argv], ctx);
      assert.equal(code, 2, argv.join(" "));
      assert.match(err, message);
    }
  });
});
