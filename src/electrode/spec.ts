/**
 * A plain-data (structured-clone / JSON friendly) description of an electrode study, so a
 * study can be sent to a worker thread and rebuilt there. The CLI builds specs from options;
 * `studyOptionsFromSpec` turns one into ElectrodeStudyOptions.
 */
import { getMaterial } from "../materials/index.js";
import type { Protocol } from "../protocol/steps.js";
import { microstructureFromParticles, type ParticleList } from "./import.js";
import type { GeneratorOptions, NetworkOptions } from "./microstructure.js";
import type { ElectrodeParameters } from "./model.js";
import type { ElectrodeRunOptions } from "./run.js";
import type { ElectrodeStudyOptions } from "./simulate.js";

export interface ElectrodeModelSpec
  extends Omit<
    ElectrodeParameters,
    "material" | "microstructure" | "conductivity" | "diffusivity" | "exchangeCurrentDensity" | "electrolyte"
  > {
  /** Ablation: uniform κ [S/m] for every particle and composition (replaces κ(x)). */
  uniformConductivity?: number;
  /** Ablation: constant D [m²/s] (replaces D(x)). */
  constantDiffusivity?: number;
}

export interface ElectrodeSpec {
  material: string;
  protocol: Protocol;
  /** Generated microstructure … */
  generator?: GeneratorOptions;
  /** … or an imported particle list with network options. */
  particleList?: ParticleList;
  network?: NetworkOptions & { dimension?: 2 | 3 };
  model?: ElectrodeModelSpec;
  run?: Omit<ElectrodeRunOptions, "onProgress">;
}

/**
 * The seed-003 scenario (Sharma et al., Nano Lett. 2022), default of `cathodelab electrode`:
 * NMC532 (κ(x) of Amin & Chiang 2016, D(x) of Colclasure 2020, src/materials/nmc532.ts),
 * carbon binder 1e4 S/m, coverage DEFAULT_COVERAGE, two C/20 cycles between 4.3 and 2.5 V with
 * a constant-voltage hold at 4.3 V to C/50 (the seed holds at the end of every half-cycle; a
 * 2.5 V hold cannot be run here, 2.5 V is below U(x = 1) = 2.99 V of the material's OCV).
 */
export const SEED003_SCENARIO = {
  material: "NMC532",
  protocol:
    "Repeat 2 times: Charge at C/20 until 4.3 V; Hold at 4.3 V until C/50; Discharge at C/20 until 2.5 V",
  /** Particles of the CLI default (docs/electrode.md: the statistics at 100 … 2000). */
  particles: 300,
} as const;

const constantFunctions = new Map<string, (x: number) => number>();
/** A memoised constant function (so the lookup-table cache keyed on it is reused). */
function constant(kind: string, value: number): (x: number) => number {
  const key = `${kind}|${value}`;
  let f = constantFunctions.get(key);
  if (!f) {
    f = () => value;
    constantFunctions.set(key, f);
  }
  return f;
}

/** Rebuild study options from a spec. Throws InputError on bad values. */
export function studyOptionsFromSpec(spec: ElectrodeSpec): ElectrodeStudyOptions {
  const material = getMaterial(spec.material);
  const { uniformConductivity, constantDiffusivity, ...model } = spec.model ?? {};
  const params: ElectrodeStudyOptions["model"] = { ...model };
  if (uniformConductivity !== undefined) params.conductivity = constant("kappa", uniformConductivity);
  if (constantDiffusivity !== undefined) params.diffusivity = constant("D", constantDiffusivity);
  const microstructure = spec.particleList
    ? microstructureFromParticles(spec.particleList, spec.network ?? {})
    : (spec.generator ?? { particles: 100 });
  return { material, protocol: spec.protocol, microstructure, model: params, run: spec.run };
}
