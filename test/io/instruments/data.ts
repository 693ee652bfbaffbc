/** Paths and bytes of the real instrument files in test/data/ (sources and licences: test/data/README.md). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function dataPath(name: string): string {
  return fileURLToPath(new URL(`../../data/${name}`, import.meta.url));
}

/** A plain Uint8Array copy (a Node Buffer's slice() would share memory, not copy). */
export function dataBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(dataPath(name)));
}

/** Latin-1 bytes of a synthetic text file written in a test. */
export function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}
