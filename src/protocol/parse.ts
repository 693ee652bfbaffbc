/**
 * Protocol parsers (SPEC §3.2): the readable text form, JSON values and YAML documents, all
 * returning the step model of ./steps.ts (SI units inside; C-rates in 1/h).
 *
 * Text grammar (case-insensitive keywords; one step per line or several separated by `;`;
 * `#` starts a comment; full reference with examples in docs/protocol.md):
 *
 *   Charge|Discharge at <current> <stops>                 constant current (cc)
 *   CCCV: Charge|Discharge at <current> to <V> <stops>    CC then CV hold (cccv)
 *   Charge|Discharge at <current> to <V> then hold <stops>
 *   Hold at <V> <stops>                                   constant voltage (cv)
 *   Rest <stops>                                          open circuit (rest)
 *   Step ±<V> <stops>                                     PITT potential step (pitt)
 *   Pulse [charge|discharge] [at] <current> for <time> [or [until] <V>] then rest <stops>   (gitt)
 *   EIS from <f> to <f>[,] [<n> [points] per decade][,] [<amplitude V>]                    (eis)
 *   Repeat <n> times: <step>; <step>; ...     (block = rest of the line, or an indented block)
 *
 *   <stops>  := (until <cond> | for <time>) (or [until|for] <cond>)*
 *   <cond>   := <V> | <current> | <time> | <charge mAh> | [|]dV/dt[|] < <rate>
 *   <current>:= C/20 | 2C | 0.5 C | 2 mA | 10 uA ...
 *
 * Every error is an InputError with the 1-based line and column of the offending token and
 * what was expected there.
 */
import { type LineCounter, parseDocument, LineCounter as YamlLineCounter } from "yaml";
import { InputError } from "../errors.js";
import { parseCRate, parseQuantity } from "../units.js";
import type {
  CurrentSpec,
  EisStep,
  GittStep,
  PotentialStep,
  Protocol,
  RepeatStep,
  RestStep,
  SourceSpan,
  Step,
  StopCondition,
} from "./steps.js";

export interface ParseProtocolOptions {
  /** File name (or option name) shown in error messages. */
  file?: string;
}

const STEP_KEYWORDS =
  'a step: "Charge", "Discharge", "CCCV:", "Hold", "Rest", "Step", "Pulse", "EIS" or "Repeat"';
const STOP_EXAMPLE = 'a stop condition such as "until 4.2 V" or "for 2 h"';

type StepKind = "cc" | "cv" | "cccv" | "rest" | "pitt" | "gittPulse" | "gittRest";

/** Stop-condition kinds each step accepts, and those that guarantee the step ends. */
const ALLOWED: Record<StepKind, StopCondition["kind"][]> = {
  cc: ["voltage", "time", "charge"],
  cv: ["current", "time", "charge"],
  cccv: ["current", "time", "charge"],
  rest: ["time", "voltageRate", "voltage"],
  pitt: ["current", "time", "charge"],
  gittPulse: ["time", "voltage"],
  gittRest: ["time", "voltageRate", "voltage"],
};
/**
 * Conditions that always end a step: time always; a voltage cut-off under constant current;
 * a current floor under a held potential (the current decays to zero); |dV/dt| on open
 * circuit (the relaxation decays); passed charge under constant current.
 */
const ENDING: Record<StepKind, StopCondition["kind"][]> = {
  cc: ["voltage", "time", "charge"],
  cv: ["current", "time"],
  cccv: ["current", "time"],
  rest: ["time", "voltageRate"],
  pitt: ["current", "time"],
  gittPulse: ["time"],
  gittRest: ["time", "voltageRate"],
};
const KIND_WORDS: Record<StopCondition["kind"], string> = {
  voltage: "a voltage (4.2 V)",
  current: "a current (C/50, 1 uA)",
  time: "a time (2 h)",
  voltageRate: "a relaxation rate (dV/dt < 1 mV/h)",
  charge: "a charge (0.1 mAh)",
};
const STEP_NAMES: Record<StepKind, string> = {
  cc: "a constant-current step",
  cv: "a voltage hold",
  cccv: "the hold of a CCCV step",
  rest: "a rest",
  pitt: "a potential step",
  gittPulse: "a GITT pulse",
  gittRest: "the rest of a GITT pulse",
};

function allowedText(kind: StepKind): string {
  return ALLOWED[kind].map((k) => KIND_WORDS[k]).join(", ");
}

// ---------------------------------------------------------------------------------------------
// Scanner over one step segment of one line
// ---------------------------------------------------------------------------------------------

const NUMBER_SRC = "[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?";
const UNSIGNED_SRC = "(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?";
const RE_CRATE_DIV = /C\s*\/\s*(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![\w.])/iy;
const RE_CRATE_MUL = new RegExp(`(${UNSIGNED_SRC})\\s*C(?![\\w/])`, "iy");
const RE_QUANTITY = new RegExp(`(${NUMBER_SRC})\\s*([A-Za-zµμΩÅ°%][A-Za-zµμΩÅ0-9/^]*)?`, "y");
const RE_NUMBER = new RegExp(`(${NUMBER_SRC})(?![\\w.])`, "y");
const RE_RATE = /(\|\s*)?dV\s*\/\s*dt(\s*\|)?/iy;
const RE_WORD = /[A-Za-z]+/y;
const KEYWORDS = new Set([
  "until",
  "or",
  "for",
  "then",
  "to",
  "per",
  "points",
  "amplitude",
  "times",
  "time",
  "x",
  "at",
  "hold",
  "rest",
]);

/** Message of an InputError from units.ts without its "(got ...)"/"(expected ...)" suffixes. */
function plainMessage(e: InputError): string {
  return e.baseMessage.replace(/ \(expected .*\)$/s, "").replace(/ \(got ".*"\)$/s, "");
}

class Scanner {
  pos: number;
  /** Raw text and column of the last quantity read by quantity(). */
  lastText = "";
  lastColumn = 0;
  constructor(
    readonly text: string,
    readonly start: number,
    readonly end: number,
    readonly line: number,
    readonly file: string | undefined,
  ) {
    this.pos = start;
  }

  skipSpace(): void {
    while (this.pos < this.end && /\s/.test(this.text[this.pos])) this.pos++;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.end;
  }

  /** 1-based column of the current position (after spaces). */
  column(): number {
    this.skipSpace();
    return this.pos + 1;
  }

  /** The token at the current position, for messages. */
  token(): string {
    this.skipSpace();
    if (this.pos >= this.end) return "end of step";
    const m = /[^\s,;:]+|[,;:]/y;
    m.lastIndex = this.pos;
    const r = m.exec(this.text);
    const t = r ? r[0] : this.text[this.pos];
    return this.text.slice(this.pos, Math.min(this.end, this.pos + t.length));
  }

  private exec(re: RegExp): RegExpExecArray | null {
    this.skipSpace();
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m || m.index + m[0].length > this.end) return null;
    return m;
  }

  /** Accept a keyword (whole word, case-insensitive). */
  word(w: string): boolean {
    const m = this.exec(RE_WORD);
    if (m && m[0].toLowerCase() === w) {
      this.pos += m[0].length;
      return true;
    }
    return false;
  }

  peekWord(): string | undefined {
    const m = this.exec(RE_WORD);
    return m ? m[0].toLowerCase() : undefined;
  }

  symbol(s: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(s, this.pos) && this.pos + s.length <= this.end) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  fail(message: string, expected: string, column = this.column(), value = this.token()): never {
    throw new InputError(message, { file: this.file, line: this.line, column, value, expected });
  }

  expectWord(w: string, expected: string): void {
    if (!this.word(w)) this.fail(`expected "${w}"`, expected);
  }

  /** A C-rate token (C/20, 2C, 0.5 C) if one is here. */
  cRate(): number | undefined {
    const col = this.column();
    const m = this.exec(RE_CRATE_DIV) ?? this.exec(RE_CRATE_MUL);
    if (!m) return undefined;
    try {
      const v = parseCRate(m[0]);
      this.pos += m[0].length;
      return v;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw new InputError(plainMessage(e), {
        file: this.file,
        line: this.line,
        column: col,
        value: m[0],
        expected: 'a C-rate such as "C/20", "1C" or "0.5C"',
      });
    }
  }

  /** A number with an optional unit; undefined if no number starts here. */
  rawQuantity(): { text: string; unit: string; column: number } | undefined {
    const m = this.exec(RE_QUANTITY);
    if (!m) return undefined;
    const column = this.pos + 1;
    // a grammar keyword after a bare number is not its unit ("20 until 4 V" has no unit)
    if (m[2] !== undefined && KEYWORDS.has(m[2].toLowerCase())) {
      this.pos += m[1].length;
      return { text: m[1], unit: "", column };
    }
    this.pos += m[0].length;
    return { text: m[0], unit: m[2] ?? "", column };
  }

  /** True if a number (with or without unit) starts here; does not move. */
  rawQuantityAhead(): boolean {
    const save = this.pos;
    const q = this.rawQuantity();
    this.pos = save;
    return q !== undefined;
  }

  /** A plain number (no unit). */
  number(): { value: number; column: number; text: string } | undefined {
    const m = this.exec(RE_NUMBER);
    if (!m) return undefined;
    const column = this.pos + 1;
    this.pos += m[0].length;
    return { value: Number(m[1]), column, text: m[0] };
  }

  /** A quantity of one dimension, positive unless `signed`. */
  quantity(
    dimension: "voltage" | "time" | "current" | "frequency" | "voltageRate" | "charge",
    expected: string,
    signed = false,
  ): number {
    const q = this.rawQuantity();
    if (!q) this.fail(`expected ${expected}`, expected);
    this.lastText = q.text.trim();
    this.lastColumn = q.column;
    try {
      const v = parseQuantity(q.text, dimension);
      if (!signed && !(v > 0))
        throw new InputError(`"${q.text.trim()}" must be positive`, { value: q.text.trim() });
      return v;
    } catch (e) {
      if (e instanceof InputError) {
        throw new InputError(plainMessage(e), {
          file: this.file,
          line: this.line,
          column: q.column,
          value: q.text.trim(),
          expected,
        });
      }
      throw e;
    }
  }
}

/** Current given as a C-rate or an absolute current; undefined if none is here. */
function currentSpec(s: Scanner, expected: string): CurrentSpec {
  const rate = s.cRate();
  if (rate !== undefined) return { cRate: rate };
  const col = s.column();
  const q = s.rawQuantity();
  if (!q) s.fail(`expected ${expected}`, expected);
  try {
    const v = parseQuantity(q.text, "current", { positive: true });
    return { current: v };
  } catch (e) {
    if (e instanceof InputError) {
      throw new InputError(plainMessage(e), {
        file: s.file,
        line: s.line,
        column: col,
        value: q.text.trim(),
        expected,
      });
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Stop conditions
// ---------------------------------------------------------------------------------------------

/** One condition after "until"/"or"; `forTime` when introduced by "for". */
function stopCondition(s: Scanner, kind: StepKind, forTime: boolean): StopCondition {
  const column = s.column();
  const value = s.token();
  let cond: StopCondition;
  if (forTime) {
    cond = { kind: "time", duration: s.quantity("time", 'a duration such as "2 h" or "30 min"') };
  } else {
    const rateMatch = (() => {
      s.skipSpace();
      RE_RATE.lastIndex = s.pos;
      const m = RE_RATE.exec(s.text);
      return m && m.index + m[0].length <= s.end ? m : null;
    })();
    if (rateMatch) {
      s.pos += rateMatch[0].length;
      if (!(s.symbol("<=") || s.symbol("<") || s.symbol("≤"))) {
        s.fail('expected "<" after dV/dt', 'a comparison such as "dV/dt < 1 mV/h"');
      }
      cond = { kind: "voltageRate", rate: s.quantity("voltageRate", 'a rate such as "1 mV/h"') };
    } else {
      const rate = s.cRate();
      if (rate !== undefined) {
        cond = { kind: "current", below: { cRate: rate } };
      } else {
        const q = s.rawQuantity();
        if (!q)
          s.fail(
            "missing stop condition",
            `${STOP_EXAMPLE}; ${STEP_NAMES[kind]} accepts ${allowedText(kind)}`,
          );
        cond = classifyQuantity(s, q, kind);
      }
    }
  }
  if (!ALLOWED[kind].includes(cond.kind)) {
    s.fail(
      `${KIND_WORDS[cond.kind].replace(/ \(.*\)$/, "")} cannot end ${STEP_NAMES[kind]}`,
      `${allowedText(kind)}${kind === "cc" && cond.kind === "current" ? ' (for a CV hold after CC write "CCCV: Charge at C/2 to 4.2 V until C/20")' : ""}`,
      column,
      value,
    );
  }
  return cond;
}

function classifyQuantity(
  s: Scanner,
  q: { text: string; unit: string; column: number },
  kind: StepKind,
): StopCondition {
  const text = q.text.trim();
  const attempts: [StopCondition["kind"], () => StopCondition][] = [
    ["voltage", () => ({ kind: "voltage", voltage: parseQuantity(text, "voltage", { positive: true }) })],
    [
      "current",
      () => ({ kind: "current", below: { current: parseQuantity(text, "current", { positive: true }) } }),
    ],
    ["time", () => ({ kind: "time", duration: parseQuantity(text, "time", { positive: true }) })],
    ["charge", () => ({ kind: "charge", charge: parseQuantity(text, "charge", { positive: true }) })],
  ];
  let positiveError: InputError | undefined;
  for (const [, attempt] of attempts) {
    try {
      return attempt();
    } catch (e) {
      if (e instanceof InputError && /must be positive/.test(e.message)) positiveError = e;
    }
  }
  if (positiveError) {
    s.fail(
      plainMessage(positiveError),
      `a positive value; ${STEP_NAMES[kind]} accepts ${allowedText(kind)}`,
      q.column,
      text,
    );
  }
  s.fail(
    q.unit === "" ? `"${text}" has no unit` : `unknown unit "${q.unit}" in a stop condition`,
    `${STEP_NAMES[kind]} accepts ${allowedText(kind)}`,
    q.column,
    text,
  );
}

/**
 * Stop conditions: (until <cond> | for <time> | <time> if bareTime) (or [until|for] <cond>)*.
 * Returns [] when none is present (the caller decides whether that is an error).
 */
function stopConditions(s: Scanner, kind: StepKind, options: { bareTime?: boolean } = {}): StopCondition[] {
  const conds: StopCondition[] = [];
  const first = s.peekWord();
  if (first === "until") {
    s.word("until");
    conds.push(stopCondition(s, kind, s.word("for")));
  } else if (first === "for") {
    s.word("for");
    conds.push(stopCondition(s, kind, true));
  } else if (options.bareTime && s.rawQuantityAhead()) {
    conds.push(stopCondition(s, kind, true));
  } else {
    return conds;
  }
  while (s.peekWord() === "or") {
    s.word("or");
    if (s.word("until")) conds.push(stopCondition(s, kind, s.word("for")));
    else if (s.word("for")) conds.push(stopCondition(s, kind, true));
    else conds.push(stopCondition(s, kind, false));
  }
  return conds;
}

/** Require the step to end (no trailing text) and to have an ending condition. */
function finishStops(
  s: Scanner,
  kind: StepKind,
  conds: StopCondition[],
  stepColumn: number,
  stepText: string,
) {
  if (!s.atEnd()) {
    if (conds.length === 0) s.fail("missing stop condition", STOP_EXAMPLE);
    s.fail(
      "unexpected text after the stop conditions",
      'another condition ("or 2 h") or the end of the step',
    );
  }
  if (conds.length === 0) {
    s.fail(`${STEP_NAMES[kind]} without a stop condition can never end`, STOP_EXAMPLE);
  }
  if (!conds.some((c) => ENDING[kind].includes(c.kind))) {
    throw new InputError(`${STEP_NAMES[kind]} can never be sure to end`, {
      file: s.file,
      line: s.line,
      column: stepColumn,
      value: stepText,
      expected: `one of ${ENDING[kind].map((k) => KIND_WORDS[k]).join(", ")} among its stop conditions`,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------

function direction(s: Scanner): "charge" | "discharge" | undefined {
  if (s.word("charge")) return "charge";
  if (s.word("discharge")) return "discharge";
  return undefined;
}

const CURRENT_EXPECTED = 'a current such as "C/20", "1C" or "2 mA"';
const VOLTAGE_EXPECTED = 'a voltage such as "4.2 V"';

function parseStepText(s: Scanner): Step {
  const column = s.column();
  const text = s.text.slice(s.pos, s.end).trim();
  const source: SourceSpan = { line: s.line, column, text };
  const head = s.peekWord();
  if (head === undefined) s.fail("unknown step", STEP_KEYWORDS);

  if (head === "cccv" || head === "cc") {
    s.word(head);
    if (!s.symbol(":"))
      s.fail(`expected ":" after "${head.toUpperCase()}"`, `"${head.toUpperCase()}: Charge at ..."`);
    const dir = direction(s);
    if (!dir) s.fail('expected "Charge" or "Discharge"', '"Charge at C/2 ..." or "Discharge at ..."');
    return head === "cccv" ? cccvRest(s, dir, source, true) : ccRest(s, dir, source);
  }
  if (head === "charge" || head === "discharge") {
    const dir = direction(s)!;
    return ccRest(s, dir, source);
  }
  if (head === "cv" || head === "hold") {
    s.word(head);
    if (head === "cv" && !s.symbol(":")) s.fail('expected ":" after "CV"', '"CV: Hold at 4.2 V until C/50"');
    if (head === "cv") s.expectWord("hold", '"Hold at 4.2 V ..."');
    s.word("at");
    const voltage = s.quantity("voltage", VOLTAGE_EXPECTED);
    const until = stopConditions(s, "cv");
    finishStops(s, "cv", until, column, text);
    return { type: "cv", voltage, until, source };
  }
  if (head === "rest") {
    s.word("rest");
    const until = stopConditions(s, "rest", { bareTime: true });
    if (until.length === 0 && s.atEnd()) {
      s.fail(
        "a rest without a stop condition can never end",
        'a stop condition such as "for 1 h" or "until dV/dt < 1 mV/h"',
      );
    }
    finishStops(s, "rest", until, column, text);
    return { type: "rest", until, source } satisfies RestStep;
  }
  if (head === "step") {
    s.word("step");
    const col = s.column();
    const deltaV = s.quantity("voltage", 'a potential step such as "+15 mV" or "-15 mV"', true);
    if (deltaV === 0)
      s.fail("a potential step of 0 V does nothing", 'a non-zero step such as "+15 mV"', col, s.lastText);
    const until = stopConditions(s, "pitt");
    finishStops(s, "pitt", until, column, text);
    return { type: "pitt", deltaV, until, source } satisfies PotentialStep;
  }
  if (head === "pulse") {
    s.word("pulse");
    const dir = direction(s) ?? "charge";
    s.word("at");
    const current = currentSpec(s, CURRENT_EXPECTED);
    s.expectWord("for", 'the pulse length, e.g. "for 10 min"');
    const pulseDuration = s.quantity("time", 'a duration such as "10 min"');
    let voltageLimit: number | undefined;
    if (s.peekWord() === "or") {
      s.word("or");
      s.word("until");
      voltageLimit = s.quantity("voltage", 'a voltage limit for the pulse, such as "4.4 V"');
    }
    if (!s.word("then"))
      s.fail('expected "then rest ..."', '"then rest 1 h" or "then rest until dV/dt < 1 mV/h"');
    s.expectWord("rest", '"rest 1 h" or "rest until dV/dt < 1 mV/h"');
    const restUntil = stopConditions(s, "gittRest", { bareTime: true });
    if (restUntil.length === 0 && s.atEnd()) {
      s.fail("the rest after a pulse needs a stop condition", '"rest 1 h" or "rest until dV/dt < 1 mV/h"');
    }
    finishStops(s, "gittRest", restUntil, column, text);
    const step: GittStep = { type: "gitt", direction: dir, current, pulseDuration, restUntil, source };
    return voltageLimit === undefined ? step : { ...step, voltageLimit };
  }
  if (head === "eis") {
    s.word("eis");
    s.expectWord("from", '"EIS from 200 kHz to 10 mHz, 10 per decade, 10 mV"');
    const fa = s.quantity("frequency", 'a frequency such as "200 kHz"');
    s.expectWord("to", '"to 10 mHz"');
    const fb = s.quantity("frequency", 'a frequency such as "10 mHz"');
    if (fa === fb) {
      s.fail(
        "EIS needs two different frequencies",
        'a range such as "from 200 kHz to 10 mHz"',
        s.lastColumn,
        s.lastText,
      );
    }
    let perDecade = 10;
    let amplitude = 0.01;
    s.symbol(",");
    const save = s.pos;
    const n = s.number();
    if (n && (s.peekWord() === "per" || s.peekWord() === "points")) {
      s.word("points");
      s.expectWord("per", '"per decade"');
      s.expectWord("decade", '"per decade"');
      if (!(n.value > 0)) s.fail("points per decade must be positive", "a positive number", n.column, n.text);
      perDecade = n.value;
      s.symbol(",");
    } else {
      s.pos = save;
    }
    if (!s.atEnd()) {
      s.word("amplitude");
      amplitude = s.quantity("voltage", 'an amplitude such as "10 mV"');
    }
    if (!s.atEnd()) s.fail("unexpected text after the EIS settings", "the end of the step");
    return {
      type: "eis",
      fMax: Math.max(fa, fb),
      fMin: Math.min(fa, fb),
      perDecade,
      amplitude,
      source,
    } satisfies EisStep;
  }
  s.fail(head === "repeat" ? "Repeat must start a step" : "unknown step", STEP_KEYWORDS);
}

function ccRest(s: Scanner, dir: "charge" | "discharge", source: SourceSpan): Step {
  s.expectWord("at", `"at" and ${CURRENT_EXPECTED}`);
  const current = currentSpec(s, CURRENT_EXPECTED);
  if (s.peekWord() === "to") return cccvRest(s, dir, source, false, current);
  const until = stopConditions(s, "cc");
  finishStops(s, "cc", until, source.column, source.text);
  return { type: "cc", direction: dir, current, until, source };
}

function cccvRest(
  s: Scanner,
  dir: "charge" | "discharge",
  source: SourceSpan,
  prefixed: boolean,
  current?: CurrentSpec,
): Step {
  if (!current) {
    s.expectWord("at", `"at" and ${CURRENT_EXPECTED}`);
    current = currentSpec(s, CURRENT_EXPECTED);
  }
  s.expectWord("to", '"to 4.2 V"');
  const voltage = s.quantity("voltage", VOLTAGE_EXPECTED);
  let hold = false;
  if (s.word("then")) {
    s.expectWord("hold", '"then hold until C/20"');
    hold = true;
  }
  if (!prefixed && !hold) {
    s.fail(
      'a charge "to" a voltage needs "then hold" or the "CCCV:" prefix',
      `"then hold until C/20", or write "until ${sliceNumber(voltage)} V" for a plain constant-current step`,
    );
  }
  const until = stopConditions(s, "cccv");
  finishStops(s, "cccv", until, source.column, source.text);
  return { type: "cccv", direction: dir, current, voltage, until, source };
}

function sliceNumber(v: number): string {
  return String(Number(v.toPrecision(6)));
}

// ---------------------------------------------------------------------------------------------
// Lines, segments and repeat blocks
// ---------------------------------------------------------------------------------------------

interface Segment {
  start: number; // index in the line
  end: number;
}

interface Line {
  number: number; // 1-based
  text: string; // without comment
  indent: number;
  segments: Segment[];
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const raw = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < raw.length; i++) {
    const hash = raw[i].indexOf("#");
    const body = hash >= 0 ? raw[i].slice(0, hash) : raw[i];
    if (body.trim() === "") continue;
    const indent = body.length - body.trimStart().length;
    const segments: Segment[] = [];
    let start = 0;
    for (let j = 0; j <= body.length; j++) {
      if (j === body.length || body[j] === ";") {
        if (body.slice(start, j).trim() !== "") segments.push({ start, end: j });
        start = j + 1;
      }
    }
    lines.push({ number: i + 1, text: body, indent, segments });
  }
  return lines;
}

const RE_REPEAT = /^\s*repeat\b/i;

class TextParser {
  private index = 0;
  constructor(
    private readonly lines: Line[],
    private readonly file: string | undefined,
  ) {}

  parse(): Step[] {
    if (this.lines.length === 0) {
      throw new InputError("the protocol has no steps", { file: this.file, expected: STEP_KEYWORDS });
    }
    const indent = this.lines[0].indent;
    const steps = this.block(indent);
    if (this.index < this.lines.length) {
      const line = this.lines[this.index];
      this.failIndent(line, "inconsistent indentation");
    }
    return steps;
  }

  private failIndent(line: Line, message: string): never {
    throw new InputError(message, {
      file: this.file,
      line: line.number,
      column: line.indent + 1,
      value: line.text.trim(),
      expected: 'the indentation of the enclosing block (indent only the steps of a "Repeat ...:" block)',
    });
  }

  /** Lines at exactly `indent`, until a line with smaller indentation. */
  private block(indent: number): Step[] {
    const steps: Step[] = [];
    while (this.index < this.lines.length) {
      const line = this.lines[this.index];
      if (line.indent < indent) break;
      if (line.indent > indent) this.failIndent(line, "unexpected indentation");
      this.index++;
      steps.push(...this.segments(line, 0));
    }
    return steps;
  }

  /** Steps from line.segments[from...]; a Repeat takes the rest of the line (or a block). */
  private segments(line: Line, from: number): Step[] {
    const steps: Step[] = [];
    for (let k = from; k < line.segments.length; k++) {
      const seg = line.segments[k];
      const segText = line.text.slice(seg.start, seg.end);
      if (RE_REPEAT.test(segText)) {
        steps.push(this.repeat(line, k));
        break;
      }
      const s: Scanner = new Scanner(line.text, seg.start, seg.end, line.number, this.file);
      steps.push(parseStepText(s));
    }
    return steps;
  }

  private repeat(line: Line, k: number): RepeatStep {
    const seg = line.segments[k];
    const s: Scanner = new Scanner(line.text, seg.start, seg.end, line.number, this.file);
    const column = s.column();
    s.word("repeat");
    const n = s.number();
    if (!n) s.fail("expected a repeat count", 'a positive whole number, e.g. "Repeat 3 times: ..."');
    if (!Number.isInteger(n.value) || n.value < 1) {
      s.fail(
        "the repeat count must be a positive whole number",
        "a positive whole number such as 3",
        n.column,
        n.text,
      );
    }
    if (!s.word("times") && !s.word("time") && !s.word("x")) {
      s.fail('expected "times"', '"Repeat 3 times: ..."');
    }
    const colonColumn = s.column();
    if (!s.symbol(":")) s.fail('expected ":"', '":" followed by the steps to repeat');
    const header = line.text.slice(seg.start, s.pos).trim();
    const source: SourceSpan = { line: line.number, column, text: header };
    let steps: Step[];
    if (!s.atEnd()) {
      // inline block: the rest of this segment and all following segments of the line
      const rest: Line = {
        ...line,
        segments: [{ start: s.pos, end: seg.end }, ...line.segments.slice(k + 1)],
      };
      steps = this.segments(rest, 0);
    } else if (k + 1 < line.segments.length) {
      steps = this.segments(line, k + 1);
    } else {
      const next = this.lines[this.index];
      if (!next || next.indent <= line.indent) {
        throw new InputError("Repeat has no steps", {
          file: this.file,
          line: line.number,
          column: colonColumn + 1,
          value: "end of line",
          expected: "steps after the colon, or an indented block of steps on the following lines",
        });
      }
      steps = this.block(next.indent);
    }
    return { type: "repeat", count: n.value, steps, source };
  }
}

/**
 * Parse the text form of a protocol (grammar in the module doc and docs/protocol.md).
 * Throws InputError (with line and column) on the first problem.
 */
export function parseProtocol(text: string, options: ParseProtocolOptions = {}): Protocol {
  return { steps: new TextParser(splitLines(text), options.file).parse() };
}

// ---------------------------------------------------------------------------------------------
// JSON / YAML
// ---------------------------------------------------------------------------------------------

type Path = (string | number)[];

function pathText(path: Path): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out || "protocol";
}

/** InputError carrying the JSON path (used to locate YAML errors). */
class PathError extends InputError {
  constructor(
    message: string,
    readonly path: Path,
    details: { value?: string; expected?: string; file?: string; line?: number; column?: number },
  ) {
    super(message, { ...details, field: pathText(path) });
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  try {
    const t = JSON.stringify(v);
    return t === undefined ? String(v) : t.length > 60 ? `${t.slice(0, 57)}...` : t;
  } catch {
    return String(v);
  }
}

class JsonParser {
  constructor(private readonly file: string | undefined) {}

  fail(path: Path, message: string, value: unknown, expected: string): never {
    throw new PathError(message, path, { file: this.file, value: show(value), expected });
  }

  /** Re-throw a text-parser error from a string inside the JSON with its path. */
  text<T>(path: Path, f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof InputError && !(e instanceof PathError)) {
        throw new PathError(plainMessage(e), path, {
          file: this.file,
          value: e.value,
          expected: e.expected,
          column: e.column,
        });
      }
      throw e;
    }
  }

  protocol(value: unknown): Protocol {
    if (value === null || value === undefined) {
      this.fail([], "the protocol is empty", value, 'an object {"steps": [...]} or an array of steps');
    }
    if (typeof value === "string") return this.text([], () => parseProtocol(value));
    let steps: unknown = value;
    let path: Path = [];
    if (isRecord(value)) {
      steps = value.steps;
      path = ["steps"];
      if (steps === undefined) {
        this.fail([], 'missing "steps"', value, 'an object {"steps": [...]} or an array of steps');
      }
    }
    if (typeof steps === "string") return this.text(path, () => parseProtocol(steps as string));
    if (!Array.isArray(steps)) this.fail(path, "steps must be a list", steps, "an array of steps");
    const out = this.stepList(steps, path);
    if (out.length === 0) this.fail(path, "the protocol has no steps", steps, "at least one step");
    return { steps: out };
  }

  stepList(list: unknown[], path: Path): Step[] {
    const out: Step[] = [];
    list.forEach((item, i) => {
      const p = [...path, i];
      if (typeof item === "string") {
        out.push(...this.text(p, () => parseProtocol(item).steps));
      } else {
        out.push(this.step(item, p));
      }
    });
    return out;
  }

  number(
    v: unknown,
    path: Path,
    dimension: Parameters<typeof parseQuantity>[1],
    expected: string,
    signed = false,
  ) {
    let x: number;
    if (typeof v === "number") x = v;
    else if (typeof v === "string")
      x = this.text(path, () => parseQuantity(v, dimension, { field: pathText(path) }));
    else this.fail(path, "expected a number", v, expected);
    if (!Number.isFinite(x) || (!signed && !(x > 0))) {
      this.fail(path, signed ? "must be finite" : "must be positive", v, expected);
    }
    return x;
  }

  current(v: unknown, path: Path): CurrentSpec {
    const expected = '"C/20", "2 mA", {"cRate": 0.05} [1/h] or {"current": 0.002} [A]';
    if (typeof v === "string") {
      return this.text(path, () => {
        const s: Scanner = new Scanner(v, 0, v.length, 1, undefined);
        const c = currentSpec(s, CURRENT_EXPECTED);
        if (!s.atEnd()) s.fail("unexpected text after the current", CURRENT_EXPECTED);
        return c;
      });
    }
    if (isRecord(v)) {
      if (typeof v.cRate === "number" && v.current === undefined) {
        return {
          cRate: this.number(v.cRate, [...path, "cRate"], "dimensionless", "a positive C-rate in 1/h"),
        };
      }
      if (v.current !== undefined && v.cRate === undefined) {
        return {
          current: this.number(v.current, [...path, "current"], "current", "a positive current in A"),
        };
      }
    }
    this.fail(path, "cannot read the current", v, expected);
  }

  stops(v: unknown, path: Path, kind: StepKind): StopCondition[] {
    const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
    const conds = list.map((c, i) => this.stop(c, Array.isArray(v) ? [...path, i] : path, kind));
    if (conds.length === 0) {
      this.fail(path, `${STEP_NAMES[kind]} without a stop condition can never end`, v, STOP_EXAMPLE);
    }
    if (!conds.some((c) => ENDING[kind].includes(c.kind))) {
      this.fail(
        path,
        `${STEP_NAMES[kind]} can never be sure to end`,
        v,
        `one of ${ENDING[kind].map((k) => KIND_WORDS[k]).join(", ")} among its stop conditions`,
      );
    }
    return conds;
  }

  stop(v: unknown, path: Path, kind: StepKind): StopCondition {
    let cond: StopCondition;
    if (typeof v === "string") {
      cond = this.text(path, () => {
        const s: Scanner = new Scanner(v, 0, v.length, 1, undefined);
        const forTime = s.word("for");
        if (!forTime) s.word("until");
        const c = stopCondition(s, kind, forTime);
        if (!s.atEnd()) s.fail("unexpected text after the stop condition", "one condition per list entry");
        return c;
      });
    } else if (isRecord(v)) {
      switch (v.kind) {
        case "voltage":
          cond = {
            kind: "voltage",
            voltage: this.number(v.voltage, [...path, "voltage"], "voltage", "a voltage in V"),
          };
          break;
        case "current":
          cond = { kind: "current", below: this.current(v.below, [...path, "below"]) };
          break;
        case "time":
          cond = {
            kind: "time",
            duration: this.number(v.duration, [...path, "duration"], "time", "a duration in s"),
          };
          break;
        case "voltageRate":
          cond = {
            kind: "voltageRate",
            rate: this.number(v.rate, [...path, "rate"], "voltageRate", "a rate in V/s"),
          };
          break;
        case "charge":
          cond = {
            kind: "charge",
            charge: this.number(v.charge, [...path, "charge"], "charge", "a charge in C"),
          };
          break;
        default:
          this.fail(
            [...path, "kind"],
            "unknown stop condition kind",
            v.kind,
            '"voltage", "current", "time", "voltageRate" or "charge"',
          );
      }
    } else {
      this.fail(
        path,
        "cannot read the stop condition",
        v,
        `${STOP_EXAMPLE}, or {"kind": "time", "duration": 7200}`,
      );
    }
    if (!ALLOWED[kind].includes(cond.kind)) {
      this.fail(
        path,
        `${KIND_WORDS[cond.kind].replace(/ \(.*\)$/, "")} cannot end ${STEP_NAMES[kind]}`,
        v,
        allowedText(kind),
      );
    }
    return cond;
  }

  direction(v: unknown, path: Path, fallback?: "charge"): "charge" | "discharge" {
    if (v === undefined && fallback) return fallback;
    if (typeof v === "string" && /^(charge|discharge)$/i.test(v))
      return v.toLowerCase() as "charge" | "discharge";
    this.fail(path, "unknown direction", v, '"charge" or "discharge"');
  }

  step(v: unknown, path: Path): Step {
    if (!isRecord(v))
      this.fail(path, "cannot read the step", v, `${STEP_KEYWORDS} as text, or an object with "type"`);
    const at = (k: string): Path => [...path, k];
    switch (v.type) {
      case "cc":
        return {
          type: "cc",
          direction: this.direction(v.direction, at("direction")),
          current: this.current(v.current, at("current")),
          until: this.stops(v.until, at("until"), "cc"),
        };
      case "cv":
        return {
          type: "cv",
          voltage: this.number(v.voltage, at("voltage"), "voltage", "a voltage in V"),
          until: this.stops(v.until, at("until"), "cv"),
        };
      case "cccv":
        return {
          type: "cccv",
          direction: this.direction(v.direction, at("direction")),
          current: this.current(v.current, at("current")),
          voltage: this.number(v.voltage, at("voltage"), "voltage", "a voltage in V"),
          until: this.stops(v.until, at("until"), "cccv"),
        };
      case "rest":
        return { type: "rest", until: this.stops(v.until, at("until"), "rest") };
      case "pitt": {
        const deltaV = this.number(v.deltaV, at("deltaV"), "voltage", "a non-zero potential step in V", true);
        if (deltaV === 0)
          this.fail(at("deltaV"), "a potential step of 0 V does nothing", v.deltaV, "a non-zero step");
        return { type: "pitt", deltaV, until: this.stops(v.until, at("until"), "pitt") };
      }
      case "gitt": {
        const step: GittStep = {
          type: "gitt",
          direction: this.direction(v.direction, at("direction"), "charge"),
          current: this.current(v.current, at("current")),
          pulseDuration: this.number(v.pulseDuration, at("pulseDuration"), "time", "a duration in s"),
          restUntil: this.stops(v.restUntil, at("restUntil"), "gittRest"),
        };
        if (v.voltageLimit === undefined) return step;
        return {
          ...step,
          voltageLimit: this.number(v.voltageLimit, at("voltageLimit"), "voltage", "a voltage in V"),
        };
      }
      case "eis": {
        const fMax = this.number(v.fMax, at("fMax"), "frequency", "a frequency in Hz");
        const fMin = this.number(v.fMin, at("fMin"), "frequency", "a frequency in Hz");
        if (!(fMax > fMin))
          this.fail(at("fMin"), "fMin must be below fMax", v.fMin, `a frequency below ${fMax} Hz`);
        return {
          type: "eis",
          fMax,
          fMin,
          perDecade:
            v.perDecade === undefined
              ? 10
              : this.number(
                  v.perDecade,
                  at("perDecade"),
                  "dimensionless",
                  "a positive number of points per decade",
                ),
          amplitude:
            v.amplitude === undefined
              ? 0.01
              : this.number(v.amplitude, at("amplitude"), "voltage", "an amplitude in V"),
        };
      }
      case "repeat": {
        const count = v.count;
        if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
          this.fail(
            at("count"),
            "the repeat count must be a positive whole number",
            count,
            "a positive whole number",
          );
        }
        if (!Array.isArray(v.steps) || v.steps.length === 0) {
          this.fail(at("steps"), "Repeat has no steps", v.steps, "a non-empty array of steps");
        }
        return { type: "repeat", count, steps: this.stepList(v.steps, at("steps")) };
      }
      default:
        this.fail(
          at("type"),
          "unknown step type",
          v.type,
          '"cc", "cv", "cccv", "rest", "pitt", "gitt", "eis" or "repeat" (or the step as text)',
        );
    }
  }
}

/**
 * Parse a protocol given as a JSON value: `{"steps": [...]}` or `[...]`, where each step is
 * either text in the grammar above (`"Charge at C/20 until 4.6 V"`) or an object in the shape
 * of ./steps.ts (numbers in SI units, or strings with units: `{"type": "cv", "voltage": "4.3 V",
 * "until": ["C/50", "5 h"]}`). A whole text protocol as one string is accepted too. Errors name
 * the JSON path (`steps[2].until[0]`) in `field`.
 */
export function parseProtocolJson(value: unknown, options: ParseProtocolOptions = {}): Protocol {
  return new JsonParser(options.file).protocol(value);
}

/**
 * Parse a YAML document holding the JSON structure of parseProtocolJson (or a text block).
 * Errors carry the line and column of the offending YAML node.
 */
export function parseProtocolYaml(text: string, options: ParseProtocolOptions = {}): Protocol {
  const lineCounter: LineCounter = new YamlLineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lineCounter.linePos(e.pos[0]);
    throw new InputError(`invalid YAML: ${e.message.split("\n")[0]}`, {
      file: options.file,
      line: pos.line,
      column: pos.col,
      expected: "a YAML list of steps or a mapping with a steps list",
    });
  }
  try {
    return parseProtocolJson(doc.toJS(), options);
  } catch (e) {
    if (e instanceof PathError) {
      // locate the deepest node on the path that exists in the document
      for (let n = e.path.length; n >= 0; n--) {
        const node = n === 0 ? doc.contents : doc.getIn(e.path.slice(0, n), true);
        const range = (node as { range?: [number, number, number] } | undefined)?.range;
        if (range) {
          const pos = lineCounter.linePos(range[0]);
          // a column inside a text step is relative to that string: report the node's position
          throw new InputError(plainMessage(e), {
            file: options.file,
            line: pos.line,
            column: pos.col,
            field: e.field,
            value: e.value,
            expected: e.expected,
          });
        }
      }
    }
    throw e;
  }
}
