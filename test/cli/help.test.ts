/**
 * Every command's help: walks the registry (commands and nested sub-commands), checks that each
 * help text has a usage line and documents every option the command parses, that
 * `cathodelab <words> --help` prints that command's own help, and RUNS every example printed
 * in a help text and in the README's shell blocks with the built CLI (bin/cathodelab.js, rebuilt
 * first when dist/ is older than src/), in a temporary directory that sees examples/ and test/.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { before, test } from "node:test";
import { runCli } from "../helpers/cli.js";
import { commandsToRun, type Example, helpExamples, markdownExamples } from "./examples.js";
import { walkCommands } from "./help-walk.js";

const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin", "cathodelab.js");
const walked = await walkCommands();

test("every command and sub-command has a usage line and documents each of its options", () => {
  assert.ok(walked.length >= 20, `only ${walked.length} commands found`);
  const names = walked.map((w) => w.path.join(" "));
  for (const nested of [
    "fit eis",
    "fit pitt",
    "fit gitt",
    "tomo analyze",
    "tomo compare",
    "tomo synth",
    "optical render",
  ])
    assert.ok(names.includes(nested), `${nested} is not reachable from the registry`);
  for (const { path, command } of walked) {
    const name = path.join(" ");
    assert.match(command.help, /^Usage: cathodelab /m, `${name}: no usage line`);
    assert.ok(command.help.includes(`cathodelab ${name}`), `${name}: the usage does not name the command`);
    if (!command.subcommands) assert.ok(command.options, `${name}: declares no options`);
    for (const option of Object.keys(command.options ?? {}))
      assert.ok(command.help.includes(`--${option}`), `${name}: help does not mention --${option}`);
  }
});

test("`cathodelab <command> [<sub-command>] --help` prints that command's own help", async () => {
  for (const { path, command } of walked) {
    for (const flag of ["--help", "-h"]) {
      const r = await runCli(...path, flag);
      assert.equal(r.code, 0, `${path.join(" ")} ${flag}: ${r.err}`);
      assert.equal(r.out, `${command.help.trim()}\n`, `${path.join(" ")} ${flag} printed another help`);
    }
  }
  // the help of a sub-command is not the parent's
  const eis = await runCli("fit", "eis", "--help");
  assert.match(eis.out, /--circuit/);
  const synth = await runCli("tomo", "synth", "--help");
  assert.match(synth.out, /--shape/);
  assert.doesNotMatch(synth.out, /--crack-threshold/);
  // unknown sub-commands are input errors
  const bad = await runCli("tomo", "analyse", "x.tif");
  assert.equal(bad.code, 2);
  assert.match(bad.err, /analyze, compare or synth/);
});

// ---- the examples ----------------------------------------------------------------------

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) {
      if (p !== join(ROOT, "src", "web", "app")) newest = Math.max(newest, newestMtime(p));
    } else if (name.endsWith(".ts")) newest = Math.max(newest, s.mtimeMs);
  }
  return newest;
}

before(() => {
  const main = join(ROOT, "dist", "cli", "main.js");
  if (existsSync(main) && statSync(main).mtimeMs >= newestMtime(join(ROOT, "src"))) return;
  const r = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 600_000,
    },
  );
  assert.equal(r.status, 0, `npm run build failed:\n${r.stdout}${r.stderr}`);
});

/** A scratch directory that sees the repository's examples/ and test/ (for test/data). */
function scratch(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "cathodelab-examples-"));
  symlinkSync(join(ROOT, "examples"), join(dir, "examples"));
  symlinkSync(join(ROOT, "test"), join(dir, "test"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function runBin(argv: string[], cwd: string): Run {
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, encoding: "utf8", timeout: 300_000 });
  return { code: r.status, out: r.stdout ?? "", err: `${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

/** `serve` runs until stopped: start it, wait for its URL, stop it. */
function runServe(argv: string[], cwd: string): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd });
    let out = "";
    let err = "";
    const timer = setTimeout(() => child.kill("SIGTERM"), 120_000);
    child.stdout.on("data", (d) => {
      out += d;
      if (/http:\/\/\S+/.test(out)) child.kill("SIGTERM");
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("close", () => {
      clearTimeout(timer);
      done({ code: /http:\/\/127\.0\.0\.1:\d+/.test(out) ? 0 : 1, out, err });
    });
  });
}

async function runExamples(examples: Example[]): Promise<void> {
  assert.ok(examples.length > 0, "no examples found");
  const { dir, cleanup } = scratch();
  try {
    for (const { example, argv } of commandsToRun(examples)) {
      const label = `${example.source}: cathodelab ${argv.join(" ")}`;
      const r = argv[0] === "serve" ? await runServe(argv, dir) : runBin(argv, dir);
      assert.equal(r.code, 0, `${label} exited ${r.code}\n${r.out}${r.err}`);
      const text = `${r.out}${r.err}`;
      assert.doesNotMatch(
        text,
        /\bNaN\b|^\s+at .*\(.*:\d+:\d+\)$/m,
        `${label}: NaN or a stack trace in the output`,
      );
    }
  } finally {
    cleanup();
  }
}

for (const { path, command } of walked) {
  const examples = helpExamples(command.help, path.join(" "));
  if (examples.length === 0) continue;
  test(`the examples of "cathodelab ${path.join(" ")} --help" run`, { timeout: 900_000 }, () =>
    runExamples(examples),
  );
}

test("every command with options prints at least one example", () => {
  for (const { path, command } of walked) {
    if (command.subcommands) continue;
    assert.ok(
      helpExamples(command.help, path.join(" ")).length > 0,
      `${path.join(" ")}: no example in its help`,
    );
  }
});

test("the README's shell examples run", { timeout: 1_800_000 }, () =>
  runExamples(markdownExamples(readFileSync(join(ROOT, "README.md"), "utf8"), "README.md")),
);
