/**
 * What a user of the published package does (issue 13 §1): pack the package from the current
 * sources, install the tarball into a fresh consumer project, run every TypeScript example of the
 * README there (Node ESM), type-check them with tsc against the installed types, import every
 * entry of the `exports` map, bundle the browser entry with esbuild `--platform=browser`, and
 * start `cathodelab serve` from the installed package.
 *
 * The package is built in a staging copy (not in this checkout's dist/) so that the test sees
 * exactly the sources on disk and never races another test over dist/. Installing the tarball
 * fetches its runtime dependencies through npm (from its cache when present).
 */
import assert from "node:assert/strict";
import { type SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { build, transform } from "esbuild";

const ROOT = resolve(import.meta.dirname, "../..");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

let work = "";
let consumer = "";
let examples: { name: string; code: string }[] = [];

function run(command: string, args: string[], cwd: string, timeoutMs = 240_000): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    timeout: timeoutMs,
    env: { ...process.env, CI: "true" },
  });
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

/** The ```ts blocks of the README, in order. */
export function readmeTypeScriptBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const fence = /^```(ts|typescript)\s*\n([\s\S]*?)^```\s*$/gm;
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) blocks.push(m[2]);
  return blocks;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "cathodelab-pack-"));
  const staging = join(work, "staging");
  mkdirSync(staging);
  for (const f of ["package.json", "README.md", "LICENSE", "tsconfig.json", "tsconfig.build.json"]) {
    copyFileSync(join(ROOT, f), join(staging, f));
  }
  for (const d of ["bin", "src"]) cpSync(join(ROOT, d), join(staging, d), { recursive: true });
  mkdirSync(join(staging, "scripts"));
  copyFileSync(join(ROOT, "scripts/build-web.mjs"), join(staging, "scripts/build-web.mjs"));
  symlinkSync(join(ROOT, "node_modules"), join(staging, "node_modules"), "dir");
  // what `prepare` does, in the staging copy
  run(process.execPath, [TSC, "-p", "tsconfig.build.json"], staging);
  run(process.execPath, ["scripts/build-web.mjs"], staging);
  rmSync(join(staging, "node_modules"));
  run(NPM, ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], staging);
  const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
  assert.ok(tarball, "npm pack wrote no tarball");

  consumer = join(work, "consumer");
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", type: "module", private: true }),
  );
  run(
    NPM,
    ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline", join(work, tarball)],
    consumer,
  );
  // the data file the README's EIS examples read (impedance.py's exampleData.csv, MIT; test/data/README.md)
  copyFileSync(join(ROOT, "test/data/impedancepy__exampleData.csv"), join(consumer, "exampleData.csv"));

  examples = readmeTypeScriptBlocks(readFileSync(join(ROOT, "README.md"), "utf8")).map((code, i) => ({
    name: `readme-${i + 1}`,
    code,
  }));
  for (const { name, code } of examples) writeFileSync(join(consumer, `${name}.ts`), code);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the README has TypeScript examples, and none reaches into dist/", () => {
  assert.ok(examples.length >= 3, `found ${examples.length} ts blocks in README.md`);
  for (const { name, code } of examples) {
    assert.doesNotMatch(code, /cathodelab\/dist/, `${name} imports a private path`);
    assert.match(code, /from "cathodelab(\/[a-z]+)?"/, `${name} imports nothing from the package`);
  }
});

test("every README example type-checks against the installed package's types", () => {
  const files = examples.map((e) => `${e.name}.ts`);
  writeFileSync(
    join(consumer, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ["node"],
        typeRoots: [join(ROOT, "node_modules/@types")],
      },
      files,
    }),
  );
  run(process.execPath, [TSC, "-p", "tsconfig.json"], consumer);
});

test("every README example runs in the consumer project (Node ESM) and prints no NaN", async () => {
  for (const { name, code } of examples) {
    const js = await transform(code, { loader: "ts", format: "esm", target: "es2022" });
    writeFileSync(join(consumer, `${name}.mjs`), js.code);
    const r = run(process.execPath, [`${name}.mjs`], consumer, 120_000);
    assert.ok(r.stdout.trim().length > 0, `${name} printed nothing`);
    assert.doesNotMatch(r.stdout, /NaN|undefined/, `${name} printed:\n${r.stdout}`);
  }
});

test("every entry of the exports map imports, and the top level is the union of the areas", () => {
  const pkg = JSON.parse(readFileSync(join(consumer, "node_modules/cathodelab/package.json"), "utf8")) as {
    exports: Record<string, unknown>;
  };
  const entries = Object.keys(pkg.exports).filter((k) => k !== "./package.json");
  const script = `
    const entries = ${JSON.stringify(entries)};
    const top = await import("cathodelab");
    const out = {};
    for (const e of entries) {
      const m = await import("cathodelab" + e.slice(1));
      out[e] = Object.keys(m).length;
      if (e !== "." && e !== "./node" && e !== "./numerics")
        for (const k of Object.keys(m)) if (!(k in top)) throw new Error(e + " exports " + k + " but the top level does not");
    }
    console.log(JSON.stringify(out));`;
  const r = run(process.execPath, ["--input-type=module", "-e", script], consumer);
  const counts = JSON.parse(r.stdout) as Record<string, number>;
  for (const e of entries) assert.ok(counts[e] > 0, `${e} exports nothing`);
  assert.ok(counts["."] > 200, `top level exports only ${counts["."]} names`);
});

test("the browser entry bundles with esbuild --platform=browser and pulls in no node: module", async () => {
  writeFileSync(
    join(consumer, "browser.ts"),
    `import * as lab from "cathodelab";
import * as imaging from "cathodelab/imaging";
import * as io from "cathodelab/io";
import * as analysis from "cathodelab/analysis";
(globalThis as Record<string, unknown>).lab = { lab, imaging, io, analysis };
`,
  );
  const result = await build({
    entryPoints: [join(consumer, "browser.ts")],
    absWorkingDir: consumer,
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    logLevel: "silent",
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(
    !inputs.some((p) => p.startsWith("node:")),
    inputs.filter((p) => p.startsWith("node:")).join(", "),
  );
  assert.ok(result.outputFiles[0].contents.length > 100_000, "bundle is implausibly small");
});

test("`cathodelab serve` works from the installed package (the built web app ships in `files`)", async () => {
  const bin = join(consumer, "node_modules/.bin/cathodelab");
  const child = spawn(bin, ["serve", "--port", "0", "--json"], { cwd: consumer });
  try {
    const url = await new Promise<string>((ok, fail) => {
      let text = "";
      const timer = setTimeout(() => fail(new Error(`serve printed no URL: ${text}`)), 30_000);
      child.stdout.on("data", (d: Buffer) => {
        text += d.toString();
        const line = text.split("\n").find((l) => l.trim().startsWith("{"));
        if (line) {
          clearTimeout(timer);
          ok((JSON.parse(line) as { url: string }).url);
        }
      });
      child.stderr.on("data", (d: Buffer) => {
        text += d.toString();
      });
      child.on("exit", (code) => fail(new Error(`serve exited ${code}: ${text}`)));
    });
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    const app = await fetch(new URL("app.js", url));
    assert.equal(app.status, 200);
    assert.ok((await app.text()).length > 10_000);
  } finally {
    child.kill();
  }
});
