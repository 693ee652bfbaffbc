/** Node-side provenance for reports: versions and SHA-256 checksums of input files. */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import type { ReportInput } from "../report/html.js";
import { version } from "./main.js";

export function versions(): Record<string, string> {
  return { cathodelab: version(), node: process.version };
}

/** Checksum of a file (or of every file in a list). Unreadable files are reported by name only. */
export function inputChecksums(paths: string[]): ReportInput[] {
  return paths.map((p) => {
    try {
      const data = readFileSync(p);
      return {
        name: basename(p),
        bytes: statSync(p).size,
        sha256: createHash("sha256").update(data).digest("hex"),
      };
    } catch {
      return { name: basename(p) };
    }
  });
}

/** Checksum of in-memory bytes. */
export function checksum(name: string, data: Uint8Array | string): ReportInput {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  return { name, bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
}
