// Builds the browser lab (src/web/app) into dist-web/: app.js (the pages), worker.js (the
// library in a Web Worker), index.html and style.css. Usage: node scripts/build-web.mjs [outDir]
// Also importable: `const { buildWeb } = await import("./scripts/build-web.mjs")`.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Bundle the web app. Returns the output directory and the files written.
 * @param {{ outDir?: string, minify?: boolean }} [options]
 */
export async function buildWeb(options = {}) {
  const outDir = resolve(options.outDir ?? join(ROOT, "dist-web"));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const app = join(ROOT, "src/web/app");
  await build({
    entryPoints: { app: join(app, "main.ts"), worker: join(app, "worker.ts") },
    outdir: outDir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
  });
  const statics = join(app, "static");
  for (const name of readdirSync(statics)) copyFileSync(join(statics, name), join(outDir, name));
  return { outDir, files: readdirSync(outDir).sort() };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outDir, files } = await buildWeb({ outDir: process.argv[2] });
  console.log(`built ${files.join(", ")} in ${outDir}`);
}
