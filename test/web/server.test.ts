/**
 * The lab's static server (src/web/server.ts) in-process on a free loopback port: assets with
 * their MIME types, no directory listing, traversal attempts (plain, percent-encoded, double
 * encoded, backslash, NUL, absolute, symlink out of the root) refused, loopback binding by
 * default; and `cathodelab serve` for real in a child process.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { resolveRequestPath, type StartedServer, startServer } from "../../src/web/server.js";
import { runCli } from "../helpers/cli.js";

let dir: string;
let root: string;
let srv: StartedServer;

/** Raw GET (the path is sent exactly as given: no URL normalisation as fetch would do). */
function get(path: string, method = "GET"): Promise<{ status: number; type: string; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: "127.0.0.1", port: srv.port, path, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () =>
        ok({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body }),
      );
    });
    req.on("error", fail);
    req.end();
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "cathodelab-server-"));
  root = join(dir, "site");
  mkdirSync(join(root, "sub"), { recursive: true });
  mkdirSync(join(root, "empty"));
  writeFileSync(join(root, "index.html"), "<!doctype html><title>lab</title>");
  writeFileSync(join(root, "app.js"), "console.log(1)");
  writeFileSync(join(root, "worker.js"), "self.onmessage = () => {}");
  writeFileSync(join(root, "style.css"), "body{}");
  writeFileSync(join(root, "figure.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  writeFileSync(join(root, "sub", "index.html"), "sub index");
  writeFileSync(join(root, "data.bin"), "raw");
  writeFileSync(join(dir, "secret.txt"), "TOP SECRET");
  symlinkSync(join(dir, "secret.txt"), join(root, "link-out.txt"));
  symlinkSync(join(root, "app.js"), join(root, "link-in.js"));
  srv = await startServer({ root, port: 0 });
});

after(async () => {
  await srv?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("binds 127.0.0.1 by default on the port the OS picked", () => {
  assert.equal(srv.host, "127.0.0.1");
  assert.ok(srv.port > 0);
  assert.equal(srv.url, `http://127.0.0.1:${srv.port}/`);
});

test("serves its assets with the right MIME types", async () => {
  const cases: [string, RegExp][] = [
    ["/", /^text\/html/],
    ["/index.html", /^text\/html/],
    ["/app.js", /^text\/javascript/],
    ["/worker.js?v=1", /^text\/javascript/],
    ["/style.css", /^text\/css/],
    ["/figure.svg", /^image\/svg\+xml$/],
    ["/data.bin", /^application\/octet-stream$/],
    ["/link-in.js", /^text\/javascript/],
  ];
  for (const [path, type] of cases) {
    const r = await get(path);
    assert.equal(r.status, 200, path);
    assert.match(r.type, type, path);
  }
  assert.equal((await get("/")).body, "<!doctype html><title>lab</title>");
  const head = await get("/app.js", "HEAD");
  assert.equal(head.status, 200);
  assert.equal(head.body, "");
});

test("no directory listing: a directory without index.html is 404", async () => {
  assert.equal((await get("/empty/")).status, 404);
  assert.equal((await get("/empty")).status, 404);
  assert.equal((await get("/sub/")).body, "sub index");
  assert.equal((await get("/missing.js")).status, 404);
});

test("path traversal is refused (403/400), never serving files outside the root", async () => {
  const attempts = [
    "/../secret.txt",
    "/sub/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E%2Fsecret.txt",
    "/sub/%2e%2e/%2e%2e/secret.txt",
    "/%252e%252e/secret.txt",
    "/..%5csecret.txt",
    "/%5c..%5csecret.txt",
    "/secret.txt%00.js",
    "//etc/passwd",
    "/C:/Windows/win.ini",
    `/${encodeURIComponent(join(dir, "secret.txt"))}`,
    "/link-out.txt",
    "/%",
    "http://example.com/../secret.txt",
  ];
  for (const path of attempts) {
    const r = await get(path);
    assert.ok([400, 403, 404].includes(r.status), `${path} → ${r.status}`);
    assert.ok(!r.body.includes("TOP SECRET"), `${path} leaked the file`);
  }
  assert.equal((await get("/link-out.txt")).status, 403, "symlink out of the root");
  assert.equal((await get("/../secret.txt")).status, 403);
  assert.equal((await get("/%2e%2e/secret.txt")).status, 403);
});

test("only GET and HEAD", async () => {
  assert.equal((await get("/index.html", "POST")).status, 405);
  assert.equal((await get("/index.html", "PUT")).status, 405);
});

test("resolveRequestPath keeps paths inside the root", () => {
  assert.deepEqual(resolveRequestPath("/srv/app", "/a/b.js"), { path: "/srv/app/a/b.js" });
  assert.deepEqual(resolveRequestPath("/srv/app", "/a%20b.js"), { path: "/srv/app/a b.js" });
  assert.deepEqual(resolveRequestPath("/srv/app", "/../x"), { status: 403 });
  assert.deepEqual(resolveRequestPath("/srv/app", "/a/%2e%2e/%2e%2e/x"), { status: 403 });
  assert.deepEqual(resolveRequestPath("/srv/app", "/%E0%A4%A"), { status: 400 });
  assert.deepEqual(resolveRequestPath("/srv/app", "x"), { status: 400 });
});

test("cathodelab serve: bad options are input errors (exit 2)", async () => {
  for (const argv of [
    ["serve", "--port", "70000"],
    ["serve", "--port", "abc"],
    ["serve", "--host", "a b"],
    ["serve", "--root", join(dir, "nowhere")],
  ]) {
    const r = await runCli(...argv);
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.err}`);
    assert.ok(r.err.length > 10);
  }
  const missing = await runCli("serve", "--root", join(dir, "nowhere"));
  assert.match(missing.err, /not built/);
});

test("cathodelab serve --port 0 prints the URL, serves the app and stops on SIGTERM", async () => {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/cli-dev.ts", "serve", "--port", "0", "--root", root, "--json"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  try {
    const line = await new Promise<string>((ok, fail) => {
      let out = "";
      child.stdout.on("data", (c) => {
        out += c;
        if (out.includes("\n")) ok(out.trim());
      });
      child.on("exit", (code) => fail(new Error(`serve exited with ${code}`)));
      const timer = setTimeout(() => fail(new Error("serve did not print its URL within 20 s")), 20_000);
      timer.unref();
    });
    const info = JSON.parse(line);
    assert.equal(info.host, "127.0.0.1");
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(info.url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    const code = await new Promise<number | null>((ok) => {
      child.on("exit", (c) => ok(c));
      child.kill("SIGTERM");
    });
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
});
