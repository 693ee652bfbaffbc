/**
 * The materials library: NMC111 (= NMC333), NMC532, NMC622, NMC811 and NCA, each a `Material`
 * whose every property carries its unit, source and validity range (SPEC §1, §3).
 *
 *   import { getMaterial } from "./materials/index.js";
 *   const m = getMaterial("NMC333");           // → NMC111
 *   m.openCircuitPotential(0.5);                // V
 */
import { InputError } from "../errors.js";
import type { Material, MaterialName } from "./material.js";
import { NCA } from "./nca.js";
import { NMC111 } from "./nmc111.js";
import { NMC532 } from "./nmc532.js";
import { NMC622 } from "./nmc622.js";
import { NMC811 } from "./nmc811.js";

export * from "./material.js";
export { NCA, NMC111, NMC532, NMC622, NMC811 };

/** All materials by canonical name. */
export const MATERIALS: Readonly<Record<MaterialName, Material>> = Object.freeze({
  NMC111,
  NMC532,
  NMC622,
  NMC811,
  NCA,
});

/** Canonical names and aliases, for messages. */
export function materialNames(): string[] {
  return Object.values(MATERIALS).map(
    (m) => `${m.name} (${m.aliases.filter((a) => !a.startsWith("Li")).join(", ")})`,
  );
}

function normalise(name: string): string {
  return name
    .trim()
    .toUpperCase()
    .replace(/[\s_-]/g, "");
}

/**
 * Look a material up by name or alias, case-insensitively ("nmc333", "NCM811", "NMC523" …).
 * @throws InputError listing the valid names when nothing matches
 */
export function getMaterial(name: string): Material {
  const key = normalise(name);
  for (const material of Object.values(MATERIALS)) {
    if (normalise(material.name) === key) return material;
    for (const alias of material.aliases) if (normalise(alias) === key) return material;
  }
  throw new InputError(`unknown material "${name}"`, {
    field: "material",
    value: name,
    expected: `one of ${materialNames().join("; ")}`,
  });
}
