/**
 * Static file server for the browser lab (`cathodelab serve`): node:http over the built app
 * (dist-web/). It serves only files inside its root: paths are decoded and normalised, and any
 * `..` segment (plain or percent-encoded), backslash, NUL, absolute or drive path is refused
 * (403); files reached through a symlink that leads out of the root are refused (403); missing
 * files and directories without index.html are 404 (no listings). GET and HEAD only.
 * Binds 127.0.0.1 unless another host is asked for explicitly.
 */
import { createReadStream, existsSync, promises as fs } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** MIME types of the assets the lab ships (others are served as application/octet-stream). */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
};

/** The built app next to the package: <package>/dist-web (from src/web or dist/web). */
export function defaultWebRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "dist-web");
}

/** Default host: loopback only. */
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 8080;

const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  "Cache-Control": "no-cache",
};

/**
 * Resolve a request path to a file path inside `root`, or a status code when it must be refused.
 * Pure string work (no file system access): 400 for undecodable paths, 403 for traversal.
 */
export function resolveRequestPath(root: string, rawUrl: string): { path: string } | { status: 400 | 403 } {
  const q = rawUrl.search(/[?#]/);
  const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
  if (!rawPath.startsWith("/")) return { status: 400 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { status: 400 };
  }
  // a second decoding round must not reveal anything either (%252e%252e)
  let twice = decoded;
  try {
    twice = decodeURIComponent(decoded);
  } catch {
    // not decodable twice: fine, it is checked as decoded once
  }
  for (const p of [decoded, twice]) {
    if (p.includes("\0") || p.includes("\\")) return { status: 403 };
    const segments = p.split("/");
    if (segments.some((s) => s === ".." || s === ".")) return { status: 403 };
    if (/^\/+[A-Za-z]:/.test(p) || p.startsWith("//")) return { status: 403 };
  }
  const relativePath = decoded.replace(/^\/+/, "");
  const full = resolve(root, relativePath);
  const rel = relative(root, full);
  if (rel.startsWith("..") || isAbsolute(rel)) return { status: 403 };
  return { path: full };
}

function send(res: ServerResponse, status: number, text: string, head = false): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(head ? undefined : text);
}

async function handle(
  root: string,
  realRoot: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const head = req.method === "HEAD";
  if (req.method !== "GET" && !head) {
    res.setHeader("Allow", "GET, HEAD");
    send(res, 405, "method not allowed\n");
    return;
  }
  const target = resolveRequestPath(root, req.url ?? "/");
  if ("status" in target) {
    send(res, target.status, target.status === 400 ? "bad request\n" : "forbidden\n", head);
    return;
  }
  let file = target.path;
  let stat = await fs.stat(file).catch(() => null);
  if (stat?.isDirectory()) {
    file = join(file, "index.html");
    stat = await fs.stat(file).catch(() => null);
  }
  if (!stat?.isFile()) {
    send(res, 404, "not found\n", head);
    return;
  }
  // symlinks must not lead out of the root
  const real = await fs.realpath(file).catch(() => null);
  if (real === null || (real !== realRoot && !real.startsWith(realRoot + sep))) {
    send(res, 403, "forbidden\n", head);
    return;
  }
  const type = MIME_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
  res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": type, "Content-Length": stat.size });
  if (head) {
    res.end();
    return;
  }
  const stream = createReadStream(real);
  stream.on("error", () => res.destroy());
  stream.pipe(res);
}

/** An http.Server serving the files under `root` (see the module comment for the rules). */
export function createStaticServer(root: string): Server {
  const absRoot = resolve(root);
  let realRoot: string | null = null;
  return createServer((req, res) => {
    const go = async () => {
      realRoot ??= await fs.realpath(absRoot);
      await handle(absRoot, realRoot, req, res);
    };
    go().catch(() => {
      if (!res.headersSent) send(res, 500, "internal error\n");
      else res.destroy();
    });
  });
}

export interface StartedServer {
  server: Server;
  host: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * Start serving `root` on host:port (port 0 = any free port). Resolves once listening.
 * @throws Error when the root has no index.html
 */
export async function startServer(
  options: { root?: string; host?: string; port?: number } = {},
): Promise<StartedServer> {
  const root = resolve(options.root ?? defaultWebRoot());
  if (!existsSync(join(root, "index.html"))) throw new Error(`no index.html in ${root}`);
  const host = options.host ?? DEFAULT_HOST;
  const server = createStaticServer(root);
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off("error", fail);
      ok();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    server,
    host: address.address,
    port: address.port,
    url: `http://${shownHost}:${address.port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
