/**
 * Equivalent-circuit strings in impedance.py syntax (ECSHackWeek/impedance.py, docs
 * "Getting started"): elements in series are joined by `-`, elements in parallel are written
 * `p(a,b,...)`, and these nest: `R0-p(R1,C1)-p(R2-Wo1,C2)`. An element is its type prefix
 * (see elements.ts) followed by an index (`R0`, `CPE1`, `Wsph2`; impedance.py's `R_0` style is
 * accepted too); names must be unique.
 *
 * Parameters are ordered as impedance.py orders them: elements left to right, each element's
 * parameters in its own order (Wo: Z0, τ; CPE: Q, α). `compileCircuit` parses once and returns an
 * evaluator of Z(f) and of ∂Z/∂p over a frequency array that allocates nothing per call.
 *
 * Combination rules: series Z = Σ Z_i, ∂Z/∂p = ∂Z_i/∂p; parallel Z = 1/Σ(1/Z_i),
 * ∂Z/∂p = (Z/Z_i)²·∂Z_i/∂p for p inside branch i.
 */
import { InputError } from "../../errors.js";
import { ELEMENT_TYPES, type ElementType } from "./elements.js";

/** Parsed circuit tree. */
export type CircuitNode =
  | { kind: "element"; name: string; type: ElementType; column: number }
  | { kind: "series"; children: CircuitNode[] }
  | { kind: "parallel"; children: CircuitNode[]; column: number };

/** Parse a circuit string; throws InputError naming the 1-based column of a syntax error. */
export function parseCircuit(text: string, field = "--circuit"): CircuitNode {
  let pos = 0;
  const fail = (message: string, expected: string, at = pos): never => {
    throw new InputError(`circuit "${text}": ${message}`, { field, column: at + 1, expected });
  };
  const skip = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const names = new Set<string>();

  function parseSeries(): CircuitNode {
    const children: CircuitNode[] = [parseTerm()];
    skip();
    while (text[pos] === "-") {
      pos++;
      children.push(parseTerm());
      skip();
    }
    return children.length === 1 ? children[0] : { kind: "series", children };
  }

  function parseTerm(): CircuitNode {
    skip();
    const start = pos;
    if (text[pos] === "p" && /^p\s*\(/.test(text.slice(pos))) {
      pos++;
      skip();
      pos++; // "("
      const children: CircuitNode[] = [parseSeries()];
      skip();
      while (text[pos] === ",") {
        pos++;
        children.push(parseSeries());
        skip();
      }
      if (text[pos] !== ")") fail(`expected "," or ")"`, `"," or ")" closing p( at column ${start + 1}`);
      pos++;
      if (children.length < 2) fail("p(...) needs at least two branches", "p(a,b,...)", start);
      return { kind: "parallel", children, column: start + 1 };
    }
    const m = /^([A-Za-z]+)_?(\d+)/.exec(text.slice(pos));
    if (!m) {
      if (pos >= text.length) fail("unexpected end of circuit", "an element such as R0 or p(...)");
      fail(`unexpected "${text[pos]}"`, "an element such as R0, CPE1, Wo1 or p(...)");
    }
    const [whole, prefix] = m!;
    const type = ELEMENT_TYPES[prefix];
    if (!type) {
      fail(
        `unknown element type "${prefix}"`,
        `one of ${Object.keys(ELEMENT_TYPES).join(", ")} followed by an index`,
      );
    }
    if (names.has(whole)) fail(`element "${whole}" appears twice`, "unique element names");
    names.add(whole);
    pos += whole.length;
    return { kind: "element", name: whole, type, column: start + 1 };
  }

  skip();
  if (pos >= text.length) fail("empty circuit", "a circuit such as R0-p(R1,C1)");
  const root = parseSeries();
  skip();
  if (pos < text.length) fail(`unexpected "${text[pos]}"`, `"-" or the end of the circuit`);
  return root;
}

/** Description of one circuit parameter. */
export interface CircuitParameter {
  /** Label: the element name for one-parameter elements (`R0`), else `Wo1_Z0`, `CPE1_alpha`. */
  name: string;
  /** impedance.py's label (`R0`, `Wo1_0`, `Wo1_1`). */
  alias: string;
  element: string;
  elementType: string;
  unit: string;
  lower: number;
  upper: number;
  description: string;
}

/** A compiled circuit: a parameter list and allocation-free evaluators. */
export interface CompiledCircuit {
  text: string;
  tree: CircuitNode;
  parameters: readonly CircuitParameter[];
  nParameters: number;
  /** Index of a parameter by `name` or `alias`, or −1. */
  indexOf(name: string): number;
  /**
   * Z at each frequency [Hz] for params (SI, circuit order) into zRe, zIm [Ω].
   */
  impedance(
    frequency: ArrayLike<number>,
    params: ArrayLike<number>,
    zRe: Float64Array,
    zIm: Float64Array,
  ): void;
  /**
   * Z and its Jacobian: dRe[i·n + k] = ∂Re Z(f_i)/∂p_k, dIm likewise (row-major, n = nParameters).
   */
  impedanceJacobian(
    frequency: ArrayLike<number>,
    params: ArrayLike<number>,
    zRe: Float64Array,
    zIm: Float64Array,
    dRe: Float64Array,
    dIm: Float64Array,
  ): void;
}

/** Evaluation node with its own preallocated buffers. */
interface EvalNode {
  /** First parameter index and number of parameters of the subtree. */
  offset: number;
  count: number;
  /** Z of the subtree [re, im]. */
  z: Float64Array;
  /** ∂Z/∂p for the subtree's parameters, interleaved re/im (2·count). */
  g: Float64Array;
  run(omega: number, p: ArrayLike<number>, withGrad: boolean): void;
}

function buildEval(node: CircuitNode, offset: number): EvalNode {
  if (node.kind === "element") {
    const type = node.type;
    const count = type.parameters.length;
    const z = new Float64Array(2);
    const g = new Float64Array(2 * count);
    return {
      offset,
      count,
      z,
      g,
      run(omega, p, withGrad) {
        type.evaluate(omega, p, offset, z, withGrad ? g : null);
      },
    };
  }
  const children: EvalNode[] = [];
  let o = offset;
  for (const c of node.children) {
    const e = buildEval(c, o);
    children.push(e);
    o += e.count;
  }
  const count = o - offset;
  const z = new Float64Array(2);
  const g = new Float64Array(2 * count);
  if (node.kind === "series") {
    return {
      offset,
      count,
      z,
      g,
      run(omega, p, withGrad) {
        let re = 0;
        let im = 0;
        for (const c of children) {
          c.run(omega, p, withGrad);
          re += c.z[0];
          im += c.z[1];
          if (withGrad) g.set(c.g, 2 * (c.offset - offset));
        }
        z[0] = re;
        z[1] = im;
      },
    };
  }
  return {
    offset,
    count,
    z,
    g,
    run(omega, p, withGrad) {
      let yRe = 0;
      let yIm = 0;
      let shorted = -1;
      for (let k = 0; k < children.length; k++) {
        const c = children[k];
        c.run(omega, p, withGrad);
        const a = c.z[0];
        const b = c.z[1];
        const m2 = a * a + b * b;
        if (m2 === 0) {
          shorted = k;
          continue;
        }
        yRe += a / m2;
        yIm -= b / m2;
      }
      if (shorted >= 0) {
        // A zero-impedance branch shorts the parallel block: Z = 0 and ∂Z/∂p is that branch's.
        z[0] = 0;
        z[1] = 0;
        if (withGrad) {
          g.fill(0);
          const c = children[shorted];
          g.set(c.g, 2 * (c.offset - offset));
        }
        return;
      }
      const yy = yRe * yRe + yIm * yIm;
      const zr = yRe / yy;
      const zi = -yIm / yy;
      z[0] = zr;
      z[1] = zi;
      if (!withGrad) return;
      for (const c of children) {
        // factor F = (Z/Z_c)²
        const a = c.z[0];
        const b = c.z[1];
        const m2 = a * a + b * b;
        const qRe = (zr * a + zi * b) / m2;
        const qIm = (zi * a - zr * b) / m2;
        const fRe = qRe * qRe - qIm * qIm;
        const fIm = 2 * qRe * qIm;
        const base = 2 * (c.offset - offset);
        for (let k = 0; k < c.count; k++) {
          const gr = c.g[2 * k];
          const gi = c.g[2 * k + 1];
          g[base + 2 * k] = fRe * gr - fIm * gi;
          g[base + 2 * k + 1] = fRe * gi + fIm * gr;
        }
      }
    },
  };
}

function collectParameters(node: CircuitNode, out: CircuitParameter[]): void {
  if (node.kind !== "element") {
    for (const c of node.children) collectParameters(c, out);
    return;
  }
  const ps = node.type.parameters;
  ps.forEach((p, k) => {
    out.push({
      name: ps.length === 1 ? node.name : `${node.name}_${p.name}`,
      alias: ps.length === 1 ? node.name : `${node.name}_${k}`,
      element: node.name,
      elementType: node.type.type,
      unit: p.unit,
      lower: p.lower,
      upper: p.upper,
      description: p.description,
    });
  });
}

/** Parse and compile a circuit string (InputError on bad syntax). */
export function compileCircuit(text: string, field = "--circuit"): CompiledCircuit {
  const tree = parseCircuit(text, field);
  const parameters: CircuitParameter[] = [];
  collectParameters(tree, parameters);
  const root = buildEval(tree, 0);
  const n = parameters.length;
  return {
    text,
    tree,
    parameters,
    nParameters: n,
    indexOf(name) {
      return parameters.findIndex((p) => p.name === name || p.alias === name);
    },
    impedance(frequency, params, zRe, zIm) {
      for (let i = 0; i < frequency.length; i++) {
        root.run(2 * Math.PI * frequency[i], params, false);
        zRe[i] = root.z[0];
        zIm[i] = root.z[1];
      }
    },
    impedanceJacobian(frequency, params, zRe, zIm, dRe, dIm) {
      const g = root.g;
      for (let i = 0; i < frequency.length; i++) {
        root.run(2 * Math.PI * frequency[i], params, true);
        zRe[i] = root.z[0];
        zIm[i] = root.z[1];
        const row = i * n;
        for (let k = 0; k < n; k++) {
          dRe[row + k] = g[2 * k];
          dIm[row + k] = g[2 * k + 1];
        }
      }
    },
  };
}

/** Convenience: Z(f) of a circuit (allocates). frequency [Hz], params SI → Re, Im [Ω]. */
export function circuitImpedance(
  circuit: string | CompiledCircuit,
  frequency: ArrayLike<number>,
  params: ArrayLike<number>,
): { re: Float64Array; im: Float64Array } {
  const c = typeof circuit === "string" ? compileCircuit(circuit) : circuit;
  if (params.length !== c.nParameters) {
    throw new InputError(`circuit ${c.text} has ${c.nParameters} parameters, got ${params.length}`, {
      field: "parameters",
      expected: c.parameters.map((p) => p.name).join(", "),
    });
  }
  const re = new Float64Array(frequency.length);
  const im = new Float64Array(frequency.length);
  c.impedance(frequency, params, re, im);
  return { re, im };
}
