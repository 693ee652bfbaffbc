/**
 * Protocol steps (SPEC §3.2): the data model shared by the text/JSON/YAML parser, the runner
 * and the reports. All quantities SI; currents follow the sign convention of SPEC §1
 * (positive = charge = delithiation). C-rates refer to the particle's (or electrode's)
 * capacity over the material's nominal window and are stored in 1/h (C/20 → 0.05).
 */

/** A current given either as a C-rate [1/h] or as an absolute current [A]; magnitude only. */
export type CurrentSpec = { readonly cRate: number } | { readonly current: number };

/** One stop condition; a step ends at the first one met. */
export type StopCondition =
  /** Cell voltage reaches `voltage` [V] (from either side). */
  | { readonly kind: "voltage"; readonly voltage: number }
  /** |current| falls below the given magnitude (CV holds). */
  | { readonly kind: "current"; readonly below: CurrentSpec }
  /** Step time reaches `duration` [s]. */
  | { readonly kind: "time"; readonly duration: number }
  /** |dV/dt| falls below `rate` [V/s] (rests). */
  | { readonly kind: "voltageRate"; readonly rate: number }
  /** Charge passed in the step reaches `charge` [C] (magnitude). */
  | { readonly kind: "charge"; readonly charge: number };

/** Where a step came from in the protocol text (1-based), for error messages and reports. */
export interface SourceSpan {
  readonly line: number;
  readonly column: number;
  readonly text: string;
}

export interface ConstantCurrentStep {
  readonly type: "cc";
  readonly direction: "charge" | "discharge";
  readonly current: CurrentSpec;
  readonly until: readonly StopCondition[];
  readonly source?: SourceSpan;
}

export interface ConstantVoltageStep {
  readonly type: "cv";
  /** Held potential [V]. */
  readonly voltage: number;
  readonly until: readonly StopCondition[];
  readonly source?: SourceSpan;
}

/** Constant current to `voltage`, then hold there until the CV stop conditions. */
export interface ConstantCurrentConstantVoltageStep {
  readonly type: "cccv";
  readonly direction: "charge" | "discharge";
  readonly current: CurrentSpec;
  /** Switch-over and hold voltage [V]. */
  readonly voltage: number;
  readonly until: readonly StopCondition[];
  readonly source?: SourceSpan;
}

export interface RestStep {
  readonly type: "rest";
  readonly until: readonly StopCondition[];
  readonly source?: SourceSpan;
}

/** PITT: step the potential by `deltaV` [V] from the present voltage and hold. */
export interface PotentialStep {
  readonly type: "pitt";
  readonly deltaV: number;
  readonly until: readonly StopCondition[];
  readonly source?: SourceSpan;
}

/** GITT: a current pulse followed by a rest. */
export interface GittStep {
  readonly type: "gitt";
  readonly direction: "charge" | "discharge";
  readonly current: CurrentSpec;
  /** Pulse duration [s]. */
  readonly pulseDuration: number;
  /** Rest stop conditions after the pulse. */
  readonly restUntil: readonly StopCondition[];
  /** Optional voltage limit that ends the pulse early [V]. */
  readonly voltageLimit?: number;
  readonly source?: SourceSpan;
}

/** Small-signal impedance about the present state (kinetics issue). */
export interface EisStep {
  readonly type: "eis";
  /** Highest frequency [Hz]. */
  readonly fMax: number;
  /** Lowest frequency [Hz]. */
  readonly fMin: number;
  /** Points per decade. */
  readonly perDecade: number;
  /** Perturbation amplitude [V] (rms); the response is linear, this is recorded. */
  readonly amplitude: number;
  readonly source?: SourceSpan;
}

export interface RepeatStep {
  readonly type: "repeat";
  readonly count: number;
  readonly steps: readonly Step[];
  readonly source?: SourceSpan;
}

export type Step =
  | ConstantCurrentStep
  | ConstantVoltageStep
  | ConstantCurrentConstantVoltageStep
  | RestStep
  | PotentialStep
  | GittStep
  | EisStep
  | RepeatStep;

export interface Protocol {
  readonly steps: readonly Step[];
}
