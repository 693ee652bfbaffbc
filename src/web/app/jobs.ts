/**
 * The jobs the browser lab runs in its Web Worker: particle simulation, the virtual seed-000
 * study, EIS file fitting (with lin-KK), GITT/PITT record analysis, tomography of a TIFF stack,
 * the seed-003 electrode network and seed-001 phase-field fracture. Pure computation over plain
 * data (bytes in, typed arrays out) so the worker stays a thin dispatcher and node tests can run
 * the same code. Units: SI throughout (s, A, V, m, Ω, m²/s, A/m², Pa).
 */
import { circuitImpedance, compileCircuit } from "../../analysis/eis/circuit.js";
import { fitCircuit } from "../../analysis/eis/fit.js";
import { linKK } from "../../analysis/eis/linkk.js";
import { analyzeGitt } from "../../analysis/gitt/index.js";
import { fitPittRecord } from "../../analysis/pitt/record.js";
import { runVirtualStudy } from "../../analysis/study/virtual-study.js";
import {
  activationMap,
  voltageFigure as electrodeVoltageFigure,
  intensityHeatMap,
  tracesFigure,
} from "../../electrode/figures.js";
import { generateMicrostructure } from "../../electrode/microstructure.js";
import { ElectrodeSimulator } from "../../electrode/model.js";
import { runElectrodeProtocol } from "../../electrode/run.js";
import { summarizeElectrode } from "../../electrode/simulate.js";
import { InputError } from "../../errors.js";
import { analyzeTomogram } from "../../imaging/tomography.js";
import { parseImpedance, parseTimeSeries } from "../../io/instruments/index.js";
import { readTiff } from "../../io/tiff.js";
import { getMaterial } from "../../materials/index.js";
import { runFracture } from "../../mechanics/fracture-run.js";
import { fieldSlice } from "../../mechanics/render.js";
import { logFrequencies, particleImpedance } from "../../particle/impedance.js";
import { ParticleSimulator } from "../../particle/simulator.js";
import { parseProtocol } from "../../protocol/parse.js";
import { runProtocol } from "../../protocol/runner.js";

/** Largest upload the lab parses [bytes] (256 MiB). */
export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

export interface SimulateRequest {
  type: "simulate";
  material: string;
  /** Particle radius [m]. */
  radius: number;
  protocol: string;
  shells?: number;
  initialLithiumFraction?: number;
}

export interface StudyRequest {
  type: "study";
  material: string;
  /** Particle radius [m]. */
  radius: number;
  /** Charge cut-off voltages [V]. */
  chargeCutoffs?: number[];
}

export interface FitEisRequest {
  type: "fit-eis";
  name: string;
  bytes: Uint8Array;
  circuit: string;
  /** Initial values in circuit order (SI). */
  guess?: number[];
  /** 1-based spectrum index in a multi-spectrum file. */
  spectrum?: number;
  /** Fit only the points with Im Z < 0 (drop the inductive high-frequency tail). */
  dropInductive?: boolean;
}

/** Smallest particle kept by the tomography pipeline [voxels] (the CLI's --min-voxels default). */
export const TOMO_MIN_VOXELS = 200;

export interface TomographyRequest {
  type: "tomography";
  name: string;
  bytes: Uint8Array;
  /** Particles smaller than this are dropped [voxels] (default TOMO_MIN_VOXELS). */
  minVoxels?: number;
  /** Voxel edge length [m] (isotropic); replaces the file's voxel size, as the CLI's --voxel. */
  voxelSize?: number;
}

export interface ElectrodeRequest {
  type: "electrode";
  material: string;
  particles: number;
  /** Share of particles with a direct carbon contact (0…1). */
  coverage: number;
  seed: number;
  dimension: 2 | 3;
  protocol: string;
}

export interface FractureRequest {
  type: "fracture";
  material: string;
  /** Secondary-particle diameter [m]. */
  diameter: number;
  grains: number;
  cells: number;
  steps: number;
  /** Cut-off voltage [V]. */
  cutoff: number;
  seed: number;
  /** Outer diameter of a binder shell [m] (optional). */
  binderShell?: number;
}

export interface TitrationRequest {
  type: "fit-titration";
  method: "gitt" | "pitt";
  name: string;
  bytes: Uint8Array;
  /** Particle radius [m]. */
  radius: number;
  /** Material for x (1/c_max as molar volume / host moles); optional. */
  material?: string;
  /** Li fraction before the first pulse/step (default 1 with a material). */
  initialX?: number;
}

export type JobRequest =
  | TitrationRequest
  | SimulateRequest
  | StudyRequest
  | FitEisRequest
  | TomographyRequest
  | ElectrodeRequest
  | FractureRequest;

/** Progress posted while a job runs. */
export interface JobProgress {
  fraction: number;
  message: string;
  /** Simulation only: new points since the last progress message and the current profile. */
  series?: { time: number[]; current: number[]; voltage: number[] };
  profile?: { time: number; values: number[] };
  /** Fracture only: the load step just finished. */
  fractureStep?: { voltage: number; meanDamage: number; crackedFraction: number; maxPrincipalStress: number };
  /** Electrode only: the particle layout (first message) and each particle's mean x now. */
  layout?: ElectrodeResult["layout"];
  xRange?: [number, number];
  particleX?: number[];
  soc?: number;
  time?: number;
}

/** Check an uploaded file's size and that it is not empty. */
export function checkUpload(bytes: Uint8Array, name: string): void {
  if (bytes.length === 0)
    throw new InputError("the file is empty", { file: name, expected: "a non-empty file" });
  if (bytes.length > MAX_UPLOAD_BYTES) {
    throw new InputError(`the file is too large (${(bytes.length / 2 ** 20).toFixed(1)} MiB)`, {
      file: name,
      expected: `at most ${MAX_UPLOAD_BYTES / 2 ** 20} MiB`,
    });
  }
}

export interface SimulateResult {
  type: "simulate";
  material: string;
  radius: number;
  time: Float64Array;
  current: Float64Array;
  voltage: Float64Array;
  xSurface: Float64Array;
  xMean: Float64Array;
  /** Profiles x(r) at `profileTimes` [s] on node radii `radii` [m], row-major. */
  profileTimes: Float64Array;
  radii: Float64Array;
  profiles: Float32Array;
  steps: {
    index: number;
    type: string;
    text: string;
    reason: string;
    startTime: number;
    endTime: number;
    charge: number;
    endVoltage: number;
  }[];
  chargeCapacity: number;
  dischargeCapacity: number;
  impedance: {
    step: number;
    voltage: number;
    frequency: Float64Array;
    zReal: Float64Array;
    zImag: Float64Array;
  }[];
}

/**
 * Simulate a particle: the same computation as `simulateParticle` (library), with the
 * simulator exposed so progress can stream V, I and x(r). Profiles are kept at every accepted
 * step, thinned to at most 400 for the result.
 */
export function runSimulate(
  req: SimulateRequest,
  post: (p: JobProgress) => void = () => {},
  now = () => Date.now(),
): SimulateResult {
  const material = getMaterial(req.material);
  const protocol = parseProtocol(req.protocol, { file: "protocol" });
  const sim = new ParticleSimulator({
    material,
    radius: req.radius,
    shells: req.shells,
    initialLithiumFraction: req.initialLithiumFraction,
  });
  const radii = Float64Array.from(sim.grid.nodes.slice(0, sim.size - 1));
  const profileTimes: number[] = [sim.time];
  const profiles: Float32Array[] = [Float32Array.from(sim.profile())];
  const pending = { time: [] as number[], current: [] as number[], voltage: [] as number[] };
  let last = now();
  const impedance: SimulateResult["impedance"] = [];
  const run = runProtocol(sim, protocol, {
    eis: (s, step, index) => {
      const z = particleImpedance(s, logFrequencies(step.fMax, step.fMin, step.perDecade));
      impedance.push({
        step: index,
        voltage: s.voltage,
        frequency: Float64Array.from(z.frequency),
        zReal: Float64Array.from(z.zReal),
        zImag: Float64Array.from(z.zImag),
      });
      return z;
    },
    onProgress: (fraction, stepIndex, time) => {
      pending.time.push(time);
      pending.current.push(sim.current);
      pending.voltage.push(sim.voltage);
      profileTimes.push(time);
      profiles.push(Float32Array.from(sim.profile()));
      const t = now();
      if (t - last >= 80) {
        last = t;
        post({
          fraction,
          message: `step ${stepIndex + 1}, t = ${(time / 3600).toFixed(3)} h`,
          series: {
            time: pending.time.splice(0),
            current: pending.current.splice(0),
            voltage: pending.voltage.splice(0),
          },
          profile: { time, values: Array.from(profiles[profiles.length - 1]) },
        });
      }
    },
  });
  const keep = thin(profileTimes.length, 400);
  const nr = radii.length;
  const flat = new Float32Array(keep.length * nr);
  for (let k = 0; k < keep.length; k++) flat.set(profiles[keep[k]], k * nr);
  const s = run.series;
  return {
    type: "simulate",
    material: material.name,
    radius: req.radius,
    time: s.time,
    current: s.current,
    voltage: s.voltage,
    xSurface: s.surfaceLithiumFraction,
    xMean: s.meanLithiumFraction,
    profileTimes: Float64Array.from(keep, (i) => profileTimes[i]),
    radii,
    profiles: flat,
    steps: run.steps.map((st) => ({
      index: st.index,
      type: st.type,
      text: st.text,
      reason: st.reason,
      startTime: st.startTime,
      endTime: st.endTime,
      charge: st.charge,
      endVoltage: st.endVoltage,
    })),
    chargeCapacity: run.chargeCapacity,
    dischargeCapacity: run.dischargeCapacity,
    impedance,
  };
}

/** Indices of at most `max` of `n` items, evenly spread, first and last kept. */
function thin(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < max; k++) {
    const i = Math.round((k * (n - 1)) / (max - 1));
    if (out.length === 0 || out[out.length - 1] !== i) out.push(i);
  }
  return out;
}

export interface StudyResult {
  type: "study";
  material: string;
  radius: number;
  eis: {
    ocv: number[];
    soc: number[];
    j0: number[];
    j0Low: number[];
    j0High: number[];
    j0True: number[];
    phase: string[];
  };
  pitt: {
    ocv: number[];
    soc: number[];
    diffusivity: number[];
    diffusivityTrue: number[];
    biot: number[];
    regime: string[];
  };
  rateLimits: {
    ocv: number[];
    interfacialCRate: number[];
    diffusionCRate: number[];
    limitedBy: string[];
    biot: number[];
  };
  rateLimitRadius: number;
  /** Relative errors of the recovered j0 and D against the material's own functions. */
  errors: {
    eisExchangeCurrent: { median: number; max: number; n: number };
    pittExchangeCurrent: { median: number; max: number; n: number };
    pittDiffusivity: { median: number; max: number; n: number };
  };
}

/** The virtual seed-000 study (charge-phase EIS → j0, PITT → D, B; C-rate limits). */
export function runStudy(req: StudyRequest, post: (p: JobProgress) => void = () => {}): StudyResult {
  const material = getMaterial(req.material);
  const r = runVirtualStudy({
    material,
    radius: req.radius,
    chargeCutoffs: req.chargeCutoffs,
    onProgress: (fraction, stage) => post({ fraction, message: stage }),
  });
  const eis = r.eis.filter((e) => e.phase === "charge");
  return {
    type: "study",
    material: r.material,
    radius: r.radius,
    eis: {
      ocv: eis.map((e) => e.relaxedOcv),
      soc: eis.map((e) => e.soc),
      j0: eis.map((e) => e.exchangeCurrentDensity),
      j0Low: eis.map((e) => e.exchangeCurrentDensityCi[0]),
      j0High: eis.map((e) => e.exchangeCurrentDensityCi[1]),
      j0True: eis.map((e) => e.exchangeCurrentDensityTrue),
      phase: eis.map((e) => e.phase),
    },
    pitt: {
      ocv: r.pitt.map((p) => p.relaxedOcv),
      soc: r.pitt.map((p) => p.soc),
      diffusivity: r.pitt.map((p) => p.diffusivity),
      diffusivityTrue: r.pitt.map((p) => p.diffusivityTrue),
      biot: r.pitt.map((p) => p.biot),
      regime: r.pitt.map((p) => p.regime),
    },
    rateLimits: {
      ocv: r.rateLimits.map((p) => p.relaxedOcv),
      interfacialCRate: r.rateLimits.map((p) => p.interfacialCRate),
      diffusionCRate: r.rateLimits.map((p) => p.diffusionCRate),
      limitedBy: r.rateLimits.map((p) => p.limitedBy),
      biot: r.rateLimits.map((p) => p.biot),
    },
    rateLimitRadius: r.options.rateLimitRadius,
    errors: r.errors,
  };
}

export interface FitEisResult {
  type: "fit-eis";
  name: string;
  label: string;
  /** Number of spectra in the file and the 1-based index of the one fitted. */
  spectra: number;
  spectrum: number;
  circuit: string;
  frequency: Float64Array;
  zReal: Float64Array;
  zImag: Float64Array;
  parameters: {
    name: string;
    unit: string;
    value: number;
    ci95: number;
    fixed: boolean;
    identifiable: boolean;
  }[];
  converged: boolean;
  message: string;
  chiSquare: number;
  rmsRelative: number;
  residualReal: Float64Array;
  residualImag: Float64Array;
  /** Fitted model on a dense 200-point log grid over the data's range. */
  curve: { frequency: Float64Array; zReal: Float64Array; zImag: Float64Array };
  linkk: {
    M: number;
    pass: boolean;
    verdict: string;
    maxResidual: number;
    residualReal: Float64Array;
    residualImag: Float64Array;
  };
}

/** Parse an impedance file (any supported format) and fit `circuit` to one of its spectra. */
export function runFitEis(req: FitEisRequest): FitEisResult {
  checkUpload(req.bytes, req.name);
  const circuit = compileCircuit(req.circuit, "circuit");
  if (req.guess && req.guess.length !== circuit.nParameters) {
    throw new InputError(
      `the initial guess has ${req.guess.length} values but the circuit has ${circuit.nParameters} parameters`,
      {
        field: "initial guess",
        expected: circuit.parameters.map((p) => p.name).join(", "),
      },
    );
  }
  const all = parseImpedance(req.bytes, req.name);
  if (all.length === 0) throw new InputError("no impedance spectrum in the file", { file: req.name });
  const k = (req.spectrum ?? 1) - 1;
  if (!(Number.isInteger(k) && k >= 0 && k < all.length)) {
    throw new InputError(`no spectrum ${k + 1}`, { file: req.name, expected: `1…${all.length}` });
  }
  let s = all[k];
  if (req.dropInductive) {
    const keep: number[] = [];
    for (let i = 0; i < s.frequency.length; i++) if (s.zImag[i] < 0) keep.push(i);
    const pick = (a: ArrayLike<number>) => Float64Array.from(keep, (i) => a[i]);
    s = { ...s, frequency: pick(s.frequency), zReal: pick(s.zReal), zImag: pick(s.zImag) };
  }
  if (s.frequency.length < circuit.nParameters + 1) {
    throw new InputError(`only ${s.frequency.length} points`, {
      file: req.name,
      expected: `more than ${circuit.nParameters} points`,
    });
  }
  const r = fitCircuit(circuit, s, { initialGuess: req.guess });
  let fMin = Number.POSITIVE_INFINITY;
  let fMax = 0;
  for (const f of s.frequency) {
    fMin = Math.min(fMin, f);
    fMax = Math.max(fMax, f);
  }
  const dense = Float64Array.from({ length: 200 }, (_, i) => fMax * (fMin / fMax) ** (i / 199));
  const z = circuitImpedance(circuit, dense, r.params);
  const kk = linKK(s.frequency, s.zReal, s.zImag);
  return {
    type: "fit-eis",
    name: req.name,
    label: s.label ?? req.name,
    spectra: all.length,
    spectrum: k + 1,
    circuit: r.circuit,
    frequency: Float64Array.from(s.frequency),
    zReal: Float64Array.from(s.zReal),
    zImag: Float64Array.from(s.zImag),
    parameters: r.parameters.map((p, i) => ({
      name: p.name,
      unit: p.unit,
      value: r.params[i],
      ci95: r.confidenceInterval95[i],
      fixed: r.fixed[i],
      identifiable: r.identifiable[i],
    })),
    converged: r.converged,
    message: r.message,
    chiSquare: r.chiSquare,
    rmsRelative: r.rmsRelative,
    residualReal: r.residualReal,
    residualImag: r.residualImag,
    curve: { frequency: dense, zReal: Float64Array.from(z.re), zImag: Float64Array.from(z.im) },
    linkk: {
      M: kk.M,
      pass: kk.pass,
      verdict: kk.verdict,
      maxResidual: kk.maxResidual,
      residualReal: kk.residualReal,
      residualImag: kk.residualImag,
    },
  };
}

export interface TomographyParticle {
  label: number;
  voxels: number;
  /** Volume [m³], equivalent diameter [m], centroid [z, y, x] [m]. */
  volume: number;
  equivalentDiameter: number;
  centroid: [number, number, number];
  meanIntensity: number;
  crackVoxels: number;
  crackVolumeFraction: number;
  /** Crack fraction per shell, normalised depth (0 surface → 1 centre). */
  radialDepth: number[];
  radialCrackFraction: number[];
}

export interface TomographyResult {
  type: "tomography";
  name: string;
  shape: [number, number, number];
  /** Voxel size [dz, dy, dx] in m and whether it came from the file. */
  spacing: [number, number, number];
  spacingFromFile: boolean;
  /** Where `spacing` came from: the request's voxelSize, the file, or nowhere (1 m assumed). */
  spacingSource: "request" | "file" | "none";
  threshold: number;
  /** Grey values scaled to 0…255 for display. */
  grey: Uint8Array;
  /** Particle labels (0 = background), and the crack mask (0/1). */
  labels: Int32Array;
  cracks: Uint8Array;
  particles: TomographyParticle[];
}

/**
 * Open a TIFF stack and analyse it with the library's tomography pipeline (the one behind
 * `cathodelab tomo analyze`, seed 001): Otsu threshold, closing, hole filling, labelling with
 * a watershed split of touching particles, specks < `minVoxels` dropped, then cracks as dark
 * voxels inside each particle with their radial profile and skeleton statistics.
 */
export function runTomography(
  req: TomographyRequest,
  post: (p: JobProgress) => void = () => {},
): TomographyResult {
  checkUpload(req.bytes, req.name);
  post({ fraction: 0.05, message: "reading TIFF" });
  const read = readTiff(req.bytes, { file: req.name });
  const info = read.info;
  const v = req.voxelSize;
  if (v !== undefined && !(v > 0 && v < 1 && Number.isFinite(v)))
    throw new InputError("invalid voxel size", {
      field: "voxel size",
      value: String(v),
      expected: "a length between 0 and 1 m, e.g. 0.124 um",
    });
  const volume = v === undefined ? read.volume : { ...read.volume, spacing: [v, v, v] as const };
  const n = volume.data.length;
  post({ fraction: 0.2, message: "segmenting (threshold, closing, fill, watershed, cracks)" });
  const a = analyzeTomogram(volume, { minVoxels: req.minVoxels ?? TOMO_MIN_VOXELS });
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = volume.data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const grey = new Uint8Array(n);
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  for (let i = 0; i < n; i++) grey[i] = Math.round((volume.data[i] - lo) * scale);
  const particles: TomographyParticle[] = a.particles.map((c) => {
    const edges = Array.from(c.radialProfile.edges);
    return {
      label: c.label,
      voxels: c.voxels,
      volume: c.volume,
      equivalentDiameter: c.equivalentDiameter,
      centroid: c.centroid,
      meanIntensity: c.meanGrey,
      crackVoxels: c.crackVoxels,
      crackVolumeFraction: c.crackVolumeFraction,
      radialDepth: edges.map((e, i) => (i === 0 ? e / 2 : (e + edges[i - 1]) / 2)),
      radialCrackFraction: Array.from(c.radialProfile.mean, (v) => (Number.isFinite(v) ? v : 0)),
    };
  });
  post({ fraction: 1, message: "done" });
  return {
    type: "tomography",
    name: req.name,
    shape: [volume.shape[0], volume.shape[1], volume.shape[2]],
    spacing: [volume.spacing[0], volume.spacing[1], volume.spacing[2]],
    spacingFromFile: info.spacingFromFile,
    spacingSource: v !== undefined ? "request" : info.spacingFromFile ? "file" : "none",
    threshold: a.threshold,
    grey,
    labels: a.labels.data,
    cracks: a.cracks.data,
    particles,
  };
}

export interface ElectrodeResult {
  type: "electrode";
  material: string;
  layout: {
    dimension: 2 | 3;
    box: [number, number, number];
    x: Float64Array;
    y: Float64Array;
    z: Float64Array;
    radius: Float64Array;
    covered: Uint8Array;
  };
  /** Snapshots: times [s], cell SOC, particle-major mean x (p·S + s). */
  snapshots: { time: Float64Array; soc: Float64Array; meanX: Float32Array; samples: number };
  series: { time: Float64Array; voltage: Float64Array; current: Float64Array };
  /** Material window, for the colour scale. */
  xRange: [number, number];
  summary: unknown;
  cycles: {
    cycle: number;
    chargeCapacity_mAh: number;
    dischargeCapacity_mAh: number;
    coulombicEfficiency: number | null;
  }[];
  synchrony: {
    halfCycle: number;
    direction: string;
    reactedFraction: number;
    onsetSocIqr: number | null;
    dispersion: number | null;
  }[];
  synchronyRatio: number | null;
  firstCycleLoss: number | null;
  figures: { voltage: string; traces: string; activation: string; intensity: string };
}

/** The seed-003 electrode network model on a generated microstructure (src/electrode). */
export function runElectrode(
  req: ElectrodeRequest,
  post: (p: JobProgress) => void = () => {},
  now: () => number = () => Date.now(),
): ElectrodeResult {
  const material = getMaterial(req.material);
  if (!Number.isInteger(req.particles) || req.particles < 10 || req.particles > 5000) {
    throw new InputError("particles must be an integer from 10 to 5000 in the browser", {
      field: "particles",
      value: String(req.particles),
    });
  }
  const protocol = parseProtocol(req.protocol, { file: "protocol" });
  // the steps of simulateElectrode (src/electrode/simulate.ts), with the simulator in reach so
  // that every particle's x can stream to the page while the protocol runs
  const ms = generateMicrostructure({
    particles: req.particles,
    coverage: req.coverage,
    seed: req.seed,
    dimension: req.dimension,
  });
  const sim = new ElectrodeSimulator({ material, microstructure: ms });
  const lithium0 = sim.lithiumContent;
  const layout: ElectrodeResult["layout"] = {
    dimension: ms.dimension,
    box: [ms.box[0], ms.box[1], ms.box[2]],
    x: Float64Array.from(ms.particles.x),
    y: Float64Array.from(ms.particles.y),
    z: Float64Array.from(ms.particles.z),
    radius: Float64Array.from(ms.particles.radius),
    covered: Uint8Array.from(ms.particles.covered),
  };
  const xRange: [number, number] = [material.nominalWindow.xMin, material.nominalWindow.xMax];
  const xs = new Float64Array(ms.particles.count);
  sim.meanLithiumFractions(xs);
  post({
    fraction: 0,
    message: "starting",
    layout,
    xRange,
    particleX: Array.from(xs),
    soc: sim.stateOfCharge,
    time: 0,
  });
  let last = now();
  const r = runElectrodeProtocol(sim, protocol, {
    onProgress: (fraction, time) => {
      const t = now();
      if (t - last < 100 && fraction < 1) return;
      last = t;
      sim.meanLithiumFractions(xs);
      post({
        fraction,
        message: `t = ${(time / 3600).toFixed(2)} h`,
        particleX: Array.from(xs),
        soc: sim.stateOfCharge,
        time,
      });
    },
  });
  const sum = summarizeElectrode(sim, r, ms, lithium0);
  return {
    type: "electrode",
    material: material.name,
    layout,
    snapshots: {
      time: Float64Array.from(r.snapshots.time),
      soc: Float64Array.from(r.snapshots.stateOfCharge),
      meanX: Float32Array.from(r.snapshots.meanX),
      samples: r.snapshots.samples,
    },
    series: {
      time: Float64Array.from(r.series.time),
      voltage: Float64Array.from(r.series.voltage),
      current: Float64Array.from(r.series.current),
    },
    xRange: [material.nominalWindow.xMin, material.nominalWindow.xMax],
    summary: sum,
    cycles: sum.cycles,
    synchrony: sum.synchrony.map((row) => ({
      halfCycle: row.halfCycle,
      direction: row.direction,
      reactedFraction: row.reactedFraction,
      onsetSocIqr: row.onsetSocIqr,
      dispersion: row.dispersion,
    })),
    synchronyRatio: sum.synchronyRatio,
    firstCycleLoss: sum.firstCycleLoss,
    figures: {
      voltage: electrodeVoltageFigure(r),
      traces: tracesFigure(r),
      activation: activationMap(ms, r),
      intensity: intensityHeatMap(r),
    },
  };
}

export interface FractureResult {
  type: "fracture";
  material: string;
  steps: {
    x: number;
    voltage: number;
    meanDamage: number;
    crackedFraction: number;
    maxPrincipalStress: number;
    crackAreaRatio: number;
    disconnectedGrains: number;
  }[];
  initiation: { x: number; voltage: number; strainC: number; normalisedRadius: number } | null;
  /** Mid-plane RGBA images (side × side) of the final damage (0…1) and max principal stress (0…max). */
  side: number;
  damageImage: Uint8Array;
  stressImage: Uint8Array;
  stressMax: number;
  length: number;
}

/** Phase-field fracture of a polycrystalline particle charged slowly (seed 001, src/mechanics). */
export function runFractureJob(
  req: FractureRequest,
  post: (p: JobProgress) => void = () => {},
): FractureResult {
  const material = getMaterial(req.material);
  const int = (v: number, field: string, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new InputError(`${field} must be an integer from ${lo} to ${hi}`, { field, value: String(v) });
    return v;
  };
  const cells = int(req.cells, "cells", 16, 256);
  const r = runFracture({
    material,
    dim: 2,
    cells,
    particleRadius: req.diameter / 2,
    grains: int(req.grains, "grains", 2, 2000),
    steps: int(req.steps, "steps", 2, 1000),
    cutoffVoltage: req.cutoff,
    seed: req.seed,
    binderShellRadius: req.binderShell === undefined ? undefined : req.binderShell / 2,
    onStep: (st, i, total) =>
      post({
        fraction: (i + 1) / total,
        message: `step ${i + 1}/${total}, U = ${st.voltage.toFixed(3)} V`,
        fractureStep: {
          voltage: st.voltage,
          meanDamage: st.meanDamage,
          crackedFraction: st.crackedFraction,
          maxPrincipalStress: st.maxPrincipalStress,
        },
      }),
  });
  let smax = 0;
  for (let i = 0; i < r.maxPrincipal.length; i++)
    if (Number.isFinite(r.maxPrincipal[i]) && r.maxPrincipal[i] > smax) smax = r.maxPrincipal[i];
  const dmg = fieldSlice(r.polycrystal, r.damage, 0, 1);
  const str = fieldSlice(r.polycrystal, r.maxPrincipal, 0, smax || 1);
  return {
    type: "fracture",
    material: material.name,
    steps: r.steps.map((st) => ({
      x: st.x,
      voltage: st.voltage,
      meanDamage: st.meanDamage,
      crackedFraction: st.crackedFraction,
      maxPrincipalStress: st.maxPrincipalStress,
      crackAreaRatio: st.crackAreaRatio,
      disconnectedGrains: st.disconnectedGrains,
    })),
    initiation: r.initiation,
    side: dmg.width,
    damageImage: dmg.data,
    stressImage: str.data,
    stressMax: smax,
    length: r.length,
  };
}

export interface TitrationRow {
  index: number;
  /** Relaxed voltage after the pulse (GITT) or step voltage (PITT) [V]. */
  voltage: number;
  x: number | null;
  /** D [m²/s] and its 95 % interval (PITT) or the √t variant (GITT). */
  diffusivity: number;
  diffusivityLow: number | null;
  diffusivityHigh: number | null;
  diffusivitySqrt: number | null;
  biot: number | null;
  exchangeCurrentDensity: number | null;
  resistance: number | null;
  regime: string;
  notes: string;
}

export interface TitrationResult {
  type: "fit-titration";
  method: "gitt" | "pitt";
  name: string;
  record: { time: Float64Array; current: Float64Array; voltage: Float64Array };
  rows: TitrationRow[];
}

/**
 * GITT (Weppner–Huggins, src/analysis/gitt) or PITT (sphere series with finite kinetics per
 * potential step, src/analysis/pitt) analysis of a time-series file (time, current, voltage).
 */
export function runTitration(req: TitrationRequest): TitrationResult {
  checkUpload(req.bytes, req.name);
  if (!(req.radius > 0))
    throw new InputError("radius must be positive", { field: "radius", value: String(req.radius) });
  const series = parseTimeSeries(req.bytes, req.name);
  if (!series.voltage) {
    throw new InputError("the file has no voltage column", {
      file: req.name,
      field: "voltage",
      expected: 'a voltage column such as "Ewe/V"',
    });
  }
  const material = req.material ? getMaterial(req.material) : undefined;
  const x0 = req.initialX ?? (material ? 1 : undefined);
  const rows: TitrationRow[] = [];
  if (req.method === "gitt") {
    const r = analyzeGitt(series.time, series.voltage, series.current, {
      radius: req.radius,
      molarVolume: material ? 1 / material.maxConcentration : undefined,
      initialX: x0,
    });
    if (r.pulses.length === 0) {
      throw new InputError("no pulse with a rest before and after it was found", {
        file: req.name,
        field: "current",
        expected: "alternating current pulses and rests",
      });
    }
    for (const p of r.pulses) {
      rows.push({
        index: p.index,
        voltage: p.restVoltageAfter,
        x: p.xAfter ?? null,
        diffusivity: p.diffusivity,
        diffusivityLow: null,
        diffusivityHigh: null,
        diffusivitySqrt: p.diffusivitySqrt,
        biot: null,
        exchangeCurrentDensity: null,
        resistance: p.resistance,
        regime: p.dimensionlessDuration > 0.1 ? "long pulse (τD/L² > 0.1)" : "",
        notes: p.notes.join("; "),
      });
    }
  } else {
    const r = fitPittRecord(series.time, series.current, series.voltage, {
      radius: req.radius,
      hostMoles: material ? (4 / 3) * Math.PI * req.radius ** 3 * material.maxConcentration : undefined,
      initialX: x0,
    });
    for (const st of r) {
      const f = st.fit;
      rows.push({
        index: st.index,
        voltage: st.voltage,
        x: st.x ?? null,
        diffusivity: f ? f.D.value : Number.NaN,
        diffusivityLow: f ? f.D.ci95[0] : null,
        diffusivityHigh: f ? f.D.ci95[1] : null,
        diffusivitySqrt: null,
        biot: f ? f.B.value : null,
        exchangeCurrentDensity: f?.i0 ? f.i0.value : null,
        resistance: null,
        regime: f ? f.regime : "",
        notes: f ? f.notes.join("; ") : (st.error ?? "no fit"),
      });
    }
  }
  return {
    type: "fit-titration",
    method: req.method,
    name: req.name,
    record: {
      time: Float64Array.from(series.time),
      current: Float64Array.from(series.current),
      voltage: Float64Array.from(series.voltage),
    },
    rows,
  };
}

/** Run any job. Throws InputError for bad input (the worker turns it into a message). */
export function runJob(req: JobRequest, post: (p: JobProgress) => void = () => {}): unknown {
  switch (req.type) {
    case "simulate":
      return runSimulate(req, post);
    case "study":
      return runStudy(req, post);
    case "fit-eis":
      return runFitEis(req);
    case "fit-titration":
      return runTitration(req);
    case "tomography":
      return runTomography(req, post);
    case "electrode":
      return runElectrode(req, post);
    case "fracture":
      return runFractureJob(req, post);
    default:
      throw new InputError(`unknown job "${(req as { type: string }).type}"`, { field: "type" });
  }
}

/** Error → a readable line for the page (InputError messages already name file/line/field). */
export function describeError(error: unknown): {
  message: string;
  kind: string;
  line?: number;
  column?: number;
} {
  if (error instanceof InputError) {
    return { message: error.message, kind: "input", line: error.line, column: error.column };
  }
  if (error instanceof RangeError && /allocation|memory|Array buffer/i.test(error.message)) {
    return { message: `out of memory: ${error.message}`, kind: "memory" };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { message, kind: "internal" };
}
