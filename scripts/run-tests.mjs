// Runs every test file under test/ with node:test through tsx (Node 20 does not expand globs).
// Usage: node scripts/run-tests.mjs [--unit | --browser] [substring-filter ...]
//   --unit     everything except the browser tests (test/e2e/)
//   --browser  only the browser tests (test/e2e/; Chromium from @sparticuz/chromium, see test/e2e/browser.ts)
// Without a flag every test runs, the browser tests included.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, sep } from "node:path";

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const unknown = args.filter((a) => a.startsWith("--") && a !== "--unit" && a !== "--browser");
if (unknown.length > 0 || (args.includes("--unit") && args.includes("--browser"))) {
  console.error(
    `usage: node scripts/run-tests.mjs [--unit | --browser] [substring-filter ...] (got ${args.join(" ")})`,
  );
  process.exit(2);
}
const filters = args.filter((a) => !a.startsWith("--"));
const isBrowser = (f) => f.startsWith(join("test", "e2e") + sep);
const files = collect("test")
  .filter((f) => (args.includes("--unit") ? !isBrowser(f) : args.includes("--browser") ? isBrowser(f) : true))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-reporter=spec", "--test-concurrency=2", ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
