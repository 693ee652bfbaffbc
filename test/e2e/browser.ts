/**
 * Shared set-up of the Chromium end-to-end tests: build the web bundle into a temporary
 * directory (scripts/build-web.mjs, called directly), serve it with the lab's own server on a
 * free loopback port, and launch a headless Chromium through playwright-core.
 *
 * The browser comes from, in order: the CATHODELAB_CHROMIUM environment variable (a path);
 * else the npm devDependency @sparticuz/chromium, which ships a brotli-compressed Chromium
 * headless shell inside the package (no download at install; `executablePath()` inflates it to
 * the temp directory) together with the NSS/expat libraries and a font it needs, so a fresh
 * Debian machine with only Node runs it; else Debian's /usr/bin/chromium.
 * A missing Chromium is a test failure with instructions, never a skip.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { brotliDecompressSync } from "node:zlib";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { type StartedServer, startServer } from "../../src/web/server.js";

export const SYSTEM_CHROMIUM = "/usr/bin/chromium";
export const ARTIFACTS = resolve(process.cwd(), "test/artifacts");

export interface ChromiumChoice {
  /** Path of the executable. */
  path: string;
  /** Where it came from (printed in failures). */
  source: "CATHODELAB_CHROMIUM" | "@sparticuz/chromium" | "system";
  /** Extra environment for the browser process (bundled libraries and fonts). */
  env: Record<string, string>;
}

/**
 * Unpack the regular files of a ustar archive (the package's al2023.tar.br holds only lib/*.so
 * files) into `dir`; a file already there with the same size is kept.
 */
function untar(tar: Uint8Array, dir: string): void {
  const text = (a: number, n: number) => {
    let s = "";
    for (let i = a; i < a + n && tar[i] !== 0; i++) s += String.fromCharCode(tar[i]);
    return s;
  };
  for (let off = 0; off + 512 <= tar.length && tar[off] !== 0; ) {
    const name = text(off + 345, 155) ? `${text(off + 345, 155)}/${text(off, 100)}` : text(off, 100);
    const size = Number.parseInt(text(off + 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(tar[off + 156]);
    const body = off + 512;
    if ((type === "0" || type === "\0") && !name.includes("..")) {
      const out = join(dir, name);
      mkdirSync(dirname(out), { recursive: true });
      if (!existsSync(out) || readFileSync(out).length !== size) {
        writeFileSync(out, tar.subarray(body, body + size), { mode: 0o755 });
      }
    }
    off = body + Math.ceil(size / 512) * 512;
  }
}

/** The npm-shipped Chromium (linux x64 only), with its bundled NSS/expat libraries and fonts. */
async function sparticuzChromium(): Promise<ChromiumChoice> {
  if (platform() !== "linux" || arch() !== "x64") {
    throw new Error(`@sparticuz/chromium ships a linux-x64 binary; this is ${platform()}-${arch()}`);
  }
  const mod = (await import("@sparticuz/chromium")) as unknown as {
    default: { executablePath(input?: string): Promise<string> };
  };
  const path = await mod.default.executablePath();
  // The binary links libnss3/libnspr4/libexpat, which a minimal Debian lacks; the package ships
  // them for Amazon Linux in bin/al2023.tar.br. Always use those copies, so every machine runs
  // the same browser with the same libraries (needs only libc6 and libgcc-s1 from the system).
  const bin = join(dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "../../bin");
  const libRoot = join(tmpdir(), "cathodelab-chromium-libs");
  untar(brotliDecompressSync(readFileSync(join(bin, "al2023.tar.br"))), libRoot);
  const lib = join(libRoot, "lib");
  const ld = process.env.LD_LIBRARY_PATH;
  // Fonts: Open Sans, which executablePath() inflates to <tmp>/fonts, always; the system's fonts
  // too where there are any (glyphs such as → that Open Sans lacks). The binary carries its own
  // fontconfig, which reads this file instead of /etc/fonts.
  const fontDirs = [join(tmpdir(), "fonts"), "/usr/share/fonts", "/usr/local/share/fonts"];
  writeFileSync(
    join(libRoot, "fonts.conf"),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n${fontDirs
      .map((d) => `  <dir>${d}</dir>\n`)
      .join("")}  <cachedir>${join(libRoot, "fonts-cache")}</cachedir>\n</fontconfig>\n`,
  );
  return {
    path,
    source: "@sparticuz/chromium",
    env: { LD_LIBRARY_PATH: ld ? `${lib}:${ld}` : lib, FONTCONFIG_PATH: libRoot },
  };
}

/** CATHODELAB_CHROMIUM, else @sparticuz/chromium, else /usr/bin/chromium (see the file comment). */
export async function findChromium(): Promise<ChromiumChoice> {
  const fromEnv = process.env.CATHODELAB_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CATHODELAB_CHROMIUM=${fromEnv}: no such file`);
    return { path: fromEnv, source: "CATHODELAB_CHROMIUM", env: {} };
  }
  let why = "";
  try {
    return await sparticuzChromium();
  } catch (e) {
    why = e instanceof Error ? e.message : String(e);
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { path: SYSTEM_CHROMIUM, source: "system", env: {} };
  throw new Error(
    `No Chromium for the e2e tests: @sparticuz/chromium failed (${why}) and ${SYSTEM_CHROMIUM} does not exist. ` +
      "Run `npm ci` (it installs @sparticuz/chromium), or `apt-get install -y chromium` (Debian), " +
      "or set CATHODELAB_CHROMIUM to a Chromium executable.",
  );
}

export interface Lab {
  browser: BrowserContext;
  server: StartedServer;
  /** A new page with the app loaded at `#route`; console errors are collected in `errors`. */
  open(route: string): Promise<{ page: Page; errors: string[] }>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startLab(): Promise<Lab> {
  const found = await findChromium();
  const outDir = mkdtempSync(join(tmpdir(), "cathodelab-web-"));
  const script = pathToFileURL(resolve(process.cwd(), "scripts/build-web.mjs")).href;
  const { buildWeb } = (await import(script)) as { buildWeb: (o: { outDir: string }) => Promise<unknown> };
  await buildWeb({ outDir });
  const server = await startServer({ root: outDir, port: 0 });
  const profile = mkdtempSync(join(tmpdir(), "cathodelab-chromium-"));
  // a fresh profile directory per run (playwright passes it as --user-data-dir)
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: found.path,
    env: { ...process.env, ...found.env } as Record<string, string>,
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
