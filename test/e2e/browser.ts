/**
 * Shared set-up of the Chromium end-to-end tests: build the web bundle into a temporary
 * directory (scripts/build-web.mjs, called directly), serve it with the lab's own server on a
 * free loopback port, and launch Debian's headless Chromium through playwright-core.
 * A missing Chromium is a test failure with instructions, never a skip.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { type StartedServer, startServer } from "../../src/web/server.js";

export const CHROMIUM = process.env.CATHODELAB_CHROMIUM ?? "/usr/bin/chromium";
export const ARTIFACTS = resolve(process.cwd(), "test/artifacts");

export interface Lab {
  browser: BrowserContext;
  server: StartedServer;
  /** A new page with the app loaded at `#route`; console errors are collected in `errors`. */
  open(route: string): Promise<{ page: Page; errors: string[] }>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startLab(): Promise<Lab> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the e2e tests need a real headless Chromium. Install it with ` +
        "`apt-get update && apt-get install -y chromium` (Debian), or set CATHODELAB_CHROMIUM to its path.",
    );
  }
  const outDir = mkdtempSync(join(tmpdir(), "cathodelab-web-"));
  const script = pathToFileURL(resolve(process.cwd(), "scripts/build-web.mjs")).href;
  const { buildWeb } = (await import(script)) as { buildWeb: (o: { outDir: string }) => Promise<unknown> };
  await buildWeb({ outDir });
  const server = await startServer({ root: outDir, port: 0 });
  const profile = mkdtempSync(join(tmpdir(), "cathodelab-chromium-"));
  // a fresh profile directory per run (playwright passes it as --user-data-dir)
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    browser,
    server,
    async open(route) {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      await page.goto(`${server.url}#${route}`);
      await page.waitForSelector("body[data-ready=true]");
      return { page, errors };
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
