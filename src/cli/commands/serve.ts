/**
 * `cathodelab serve [--port N] [--host H] [--root DIR]`: serve the browser lab (dist-web/) on
 * http://127.0.0.1:8080/ until interrupted. Everything is computed in the browser; the server
 * only hands out the app's own files (see src/web/server.ts for the path rules).
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { InputError } from "../../errors.js";
import { DEFAULT_HOST, DEFAULT_PORT, defaultWebRoot, startServer } from "../../web/server.js";
import { type Command, parseOptions, stringOption } from "../command.js";

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  root: { type: "string" },
  json: { type: "boolean" },
} as const;

const HELP = `Usage: cathodelab serve [--port N] [--host H]

Serve the browser lab: the particle model, kinetics fits, tomography and more, computed in
your browser (Web Workers). Open the printed URL; stop with Ctrl-C.

Options:
  --port N      TCP port (default ${DEFAULT_PORT}; 0 picks a free port and prints it)
  --host H      address to bind (default ${DEFAULT_HOST}, this computer only). Anything else,
                e.g. 0.0.0.0, exposes the lab to your network: only when you ask for it.
  --root DIR    serve another build of the app (default: the package's dist-web/)
  --json        print {"url", "host", "port", "root"} as JSON once listening

The app is built by \`npm run build:web\` (into dist-web/). In a source checkout, serve builds
it on first use when dist-web/ is missing.

Example:
  cathodelab serve --port 0`;

/** Build dist-web/ with scripts/build-web.mjs when it is missing (source checkouts only). */
async function ensureBuilt(root: string, explicitRoot: boolean, stderr: (t: string) => void): Promise<void> {
  if (existsSync(join(root, "index.html"))) return;
  const script = resolve(dirname(root), "scripts", "build-web.mjs");
  if (!explicitRoot && existsSync(script)) {
    stderr("building the web app (dist-web/)…\n");
    try {
      const mod = (await import(pathToFileURL(script).href)) as {
        buildWeb: (o: { outDir: string }) => Promise<unknown>;
      };
      await mod.buildWeb({ outDir: root });
      if (existsSync(join(root, "index.html"))) return;
    } catch (error) {
      stderr(`build failed: ${(error as Error).message}\n`);
    }
  }
  throw new InputError(`the web app is not built (no index.html in ${root})`, {
    field: explicitRoot ? "--root" : "dist-web",
    expected: explicitRoot ? "a directory holding a built app" : "run `npm run build:web` first",
  });
}

export const command: Command = {
  name: "serve",
  summary: "serve the browser lab on http://127.0.0.1:8080 (computes in the browser)",
  help: HELP,
  options: OPTIONS,
  async run(argv, ctx) {
    const { values } = parseOptions(argv, OPTIONS, false);
    const portText = stringOption(values, "port") ?? String(DEFAULT_PORT);
    const port = Number(portText);
    if (!/^\d+$/.test(portText.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
      throw new InputError("--port must be an integer from 0 to 65535", {
        field: "--port",
        value: portText,
        expected: "e.g. 8080, or 0 for any free port",
      });
    }
    const hostText = stringOption(values, "host");
    if (hostText !== undefined && !/^[A-Za-z0-9.:[\]-]+$/.test(hostText)) {
      throw new InputError("--host is not a host name or address", {
        field: "--host",
        value: hostText,
        expected: "e.g. 127.0.0.1, ::1 or 0.0.0.0",
      });
    }
    const host = hostText?.replace(/^\[(.*)\]$/, "$1") ?? DEFAULT_HOST;
    const rootText = stringOption(values, "root");
    const root = rootText === undefined ? defaultWebRoot() : resolve(ctx.cwd, rootText);
    await ensureBuilt(root, rootText !== undefined, ctx.stderr);
    let started: Awaited<ReturnType<typeof startServer>>;
    try {
      started = await startServer({ root, host, port });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE")
        throw new InputError(`port ${port} is in use`, {
          field: "--port",
          value: portText,
          expected: "a free port, or 0 for any free port",
        });
      if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN")
        throw new InputError(`cannot bind ${host}`, {
          field: "--host",
          value: host,
          expected: "an address of this computer",
        });
      if (code === "EACCES")
        throw new InputError(`no permission to bind port ${port}`, {
          field: "--port",
          value: portText,
          expected: "a port ≥ 1024",
        });
      throw error;
    }
    if (values.json === true)
      ctx.stdout(`${JSON.stringify({ url: started.url, host: started.host, port: started.port, root })}\n`);
    else ctx.stdout(`cathodelab lab at ${started.url}  (Ctrl-C to stop)\n`);
    if (host !== "127.0.0.1" && host !== "::1" && host !== "localhost") {
      ctx.stderr(`warning: bound to ${host}: other computers on your network can open the lab\n`);
    }
    await new Promise<void>((done) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        started.close().then(done);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    return 0;
  },
};
