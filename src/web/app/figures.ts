/**
 * The figures of the browser lab, as deterministic SVG strings. The pages and the node snapshot
 * tests (test/web/figures.test.ts) call the same functions, so what the page draws is what the
 * snapshots pin. Line/scatter charts go through report/svg-plot (renderPlot); the c(r, t) heat
 * map is drawn here. Pure: no DOM, no I/O.
 */
import type { Material } from "../../materials/material.js";
import { viridisHex } from "../../report/colormap.js";
import { linearTicks, renderPlot, tickLabels } from "../../report/svg-plot.js";

/** Time series of a particle run: time [s], current [A], voltage [V]. */
export interface SeriesData {
  time: ArrayLike<number>;
  current: ArrayLike<number>;
  voltage: ArrayLike<number>;
}

const hours = (t: ArrayLike<number>) => Array.from(t, (v) => v / 3600);

/** V(t) of a run (t in h). */
export function voltageFigure(s: SeriesData): string {
  return renderPlot([{ label: "V", x: hours(s.time), y: s.voltage }], {
    title: "Cell voltage",
    xLabel: "time [h]",
    yLabel: "V vs Li/Li⁺ [V]",
    height: 300,
  });
}

/** I(t) of a run in nA (t in h); positive = charge. */
export function currentFigure(s: SeriesData): string {
  return renderPlot(
    [{ label: "I", x: hours(s.time), y: Array.from(s.current, (i) => i * 1e9), color: "#ff725c" }],
    {
      title: "Current (positive = charge)",
      xLabel: "time [h]",
      yLabel: "I [nA]",
      height: 300,
    },
  );
}

/** Concentration profiles recorded during a run. */
export interface ProfileData {
  /** Times of the profiles [s], ascending. */
  times: ArrayLike<number>;
  /** Node radii [m] (ascending, centre first). */
  radii: ArrayLike<number>;
  /** Li fraction x, row-major [time][radius]. */
  values: ArrayLike<number>;
  /** Particle radius [m]. */
  radius: number;
}

/** Colour of a value in [0, 1] as "#rrggbb": viridis, the project's one colour map (report/colormap). */
export function rampColor(u: number): string {
  return viridisHex(u);
}

/** Indices of at most `max` rows spread evenly over `n` (first and last kept). */
export function pickRows(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
}

function fmtTick(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/**
 * Heat map of x(r, t): time [h] across, radius [µm] up, colour = Li fraction. At most 160
 * time columns are drawn (evenly picked), each spanning to the next profile's time.
 */
export function concentrationHeatmap(p: ProfileData, title = "Li fraction x(r, t)"): string {
  const W = 640;
  const H = 300;
  const left = 60;
  const right = 90;
  const top = 30;
  const bottom = 42;
  const pw = W - left - right;
  const ph = H - top - bottom;
  const nr = p.radii.length;
  const nt = p.times.length;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="600">${title}</text>`,
  ];
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < p.values.length; i++) {
    const v = p.values[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!(hi > lo)) {
    lo = Number.isFinite(lo) ? lo - 0.01 : 0;
    hi = lo + 0.02;
  }
  const t0 = nt > 0 ? p.times[0] : 0;
  const t1 = nt > 1 ? p.times[nt - 1] : t0 + 1;
  const span = t1 > t0 ? t1 - t0 : 1;
  const rows = pickRows(nt, 160);
  const xOf = (t: number) => left + ((t - t0) / span) * pw;
  // radial cells: from the midpoint below to the midpoint above each node
  const edges: number[] = [0];
  for (let j = 0; j + 1 < nr; j++) edges.push(0.5 * (p.radii[j] + p.radii[j + 1]));
  edges.push(p.radius);
  const yOf = (r: number) => top + ph - (r / p.radius) * ph;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const xa = xOf(p.times[i]);
    const xb = k + 1 < rows.length ? xOf(p.times[rows[k + 1]]) : left + pw;
    const w = Math.max(xb - xa, 0.5);
    for (let j = 0; j < nr; j++) {
      const ya = yOf(edges[j + 1]);
      const h = yOf(edges[j]) - ya;
      const c = rampColor((p.values[i * nr + j] - lo) / (hi - lo));
      parts.push(
        `<rect x="${xa.toFixed(2)}" y="${ya.toFixed(2)}" width="${(w + 0.3).toFixed(2)}" height="${(h + 0.3).toFixed(2)}" fill="${c}"/>`,
      );
    }
  }
  // axes
  parts.push(`<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  // nice ticks (1, 2, 5 × 10^k steps, ≥ 3 of them) on both axes
  const hoursTicks = linearTicks(t0 / 3600, (t0 + span) / 3600, 5).filter(
    (h) => h * 3600 >= t0 - 1e-9 * span && h * 3600 <= t0 + span * (1 + 1e-9),
  );
  const hoursLabels = tickLabels(hoursTicks);
  hoursTicks.forEach((h, k) => {
    const x = xOf(h * 3600);
    parts.push(
      `<line x1="${x.toFixed(2)}" x2="${x.toFixed(2)}" y1="${top + ph}" y2="${top + ph + 4}" stroke="#333"/>`,
    );
    parts.push(
      `<text x="${x.toFixed(2)}" y="${top + ph + 16}" text-anchor="middle">${hoursLabels[k]}</text>`,
    );
  });
  const microns = linearTicks(0, p.radius * 1e6, 5).filter((r) => r >= 0 && r <= p.radius * 1e6 * (1 + 1e-9));
  const micronLabels = tickLabels(microns);
  microns.forEach((r, k) => {
    const y = yOf(r * 1e-6);
    parts.push(
      `<line x1="${left - 4}" x2="${left}" y1="${y.toFixed(2)}" y2="${y.toFixed(2)}" stroke="#333"/>`,
    );
    parts.push(`<text x="${left - 6}" y="${(y + 4).toFixed(2)}" text-anchor="end">${micronLabels[k]}</text>`);
  });
  parts.push(`<text x="${left + pw / 2}" y="${H - 6}" text-anchor="middle">time [h]</text>`);
  parts.push(
    `<text transform="translate(14 ${top + ph / 2}) rotate(-90)" text-anchor="middle">radius r [µm]</text>`,
  );
  // colour bar
  const bx = left + pw + 20;
  for (let k = 0; k < 50; k++) {
    const y = top + ph - ((k + 1) / 50) * ph;
    parts.push(
      `<rect x="${bx}" y="${y.toFixed(2)}" width="14" height="${(ph / 50 + 0.3).toFixed(2)}" fill="${rampColor((k + 0.5) / 50)}"/>`,
    );
  }
  parts.push(`<rect x="${bx}" y="${top}" width="14" height="${ph}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${bx + 18}" y="${top + 8}">${fmtTick(hi)}</text>`);
  parts.push(`<text x="${bx + 18}" y="${top + ph}">${fmtTick(lo)}</text>`);
  parts.push(`<text x="${bx + 18}" y="${top + ph / 2}">x</text>`);
  parts.push("</svg>", "");
  return parts.join("\n");
}

/**
 * "log" when the positive values span more than a decade, else "linear": a quantity that
 * varies by less than a factor 10 reads better on a linear axis (renderPlot labels either).
 */
export function scaleFor(...arrays: ArrayLike<number>[]): "log" | "linear" {
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const a of arrays)
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v > 0 && Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  return hi > 0 && hi / lo > 10 ? "log" : "linear";
}

/** Sampled material functions over the valid range, with the sources of each. */
export interface MaterialCurves {
  x: number[];
  ocv: number[];
  diffusivity: number[];
  exchangeCurrentDensity: number[];
  conductivity: number[];
  sources: { property: string; unit: string; source: string; seed?: string; assumption?: boolean }[];
}

/**
 * U(x) [V], D(x) [m²/s] at T, i0(x) [A/m²] at the reference electrolyte concentration and T,
 * κ(x) [S/m] on `n` points spanning the material's valid range.
 */
export function materialCurves(m: Material, n = 81, temperature = 298.15): MaterialCurves {
  const [lo, hi] = m.validRange;
  const x = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const keys = [
    "openCircuitPotential",
    "chemicalDiffusivity",
    "exchangeCurrentDensity",
    "electronicConductivity",
  ];
  return {
    x,
    ocv: x.map((v) => m.openCircuitPotential(v)),
    diffusivity: x.map((v) => m.chemicalDiffusivity(v, temperature)),
    exchangeCurrentDensity: x.map((v) =>
      m.exchangeCurrentDensity(v, m.referenceElectrolyteConcentration, temperature),
    ),
    conductivity: x.map((v) => m.electronicConductivity(v)),
    sources: keys.map((k) => {
      const p = m.properties[k];
      return {
        property: p?.name ?? k,
        unit: p?.unit ?? "",
        source: p?.source ?? "unknown",
        seed: p?.seed,
        assumption: p?.assumption,
      };
    }),
  };
}

/** The four material-function figures (U, D, i0, κ vs x). */
export function materialFigures(m: Material, c: MaterialCurves = materialCurves(m)): Record<string, string> {
  const opts = { xLabel: "Li fraction x", width: 420, height: 280 };
  return {
    ocv: renderPlot([{ label: "U", x: c.x, y: c.ocv }], {
      ...opts,
      title: `${m.name}: U(x)`,
      yLabel: "U [V]",
    }),
    diffusivity: renderPlot([{ label: "D", x: c.x, y: c.diffusivity }], {
      ...opts,
      title: `${m.name}: D(x)`,
      yLabel: "D [m²/s]",
      yScale: scaleFor(c.diffusivity),
    }),
    exchange: renderPlot([{ label: "i0", x: c.x, y: c.exchangeCurrentDensity }], {
      ...opts,
      title: `${m.name}: i0(x)`,
      yLabel: "i0 [A/m²]",
      yScale: scaleFor(c.exchangeCurrentDensity),
    }),
    conductivity: renderPlot([{ label: "κ", x: c.x, y: c.conductivity }], {
      ...opts,
      title: `${m.name}: κ(x)`,
      yLabel: "κ [S/m]",
      yScale: scaleFor(c.conductivity),
    }),
  };
}

/** An impedance spectrum (Hz, Ω; Im Z negative = capacitive). */
export interface SpectrumData {
  frequency: ArrayLike<number>;
  zReal: ArrayLike<number>;
  zImag: ArrayLike<number>;
}

const neg = (a: ArrayLike<number>) => Array.from(a, (v) => -v);
const modulus = (s: SpectrumData) => Array.from(s.zReal, (v, i) => Math.hypot(v, s.zImag[i]));
const phase = (s: SpectrumData) =>
  Array.from(s.zReal, (v, i) => (-Math.atan2(s.zImag[i], v) * 180) / Math.PI);

/**
 * Nyquist (equal aspect), Bode |Z| and phase, and residual figures of a fitted spectrum.
 * @param fit the fitted model on a dense frequency grid (optional)
 * @param residuals relative residuals of the fit and of lin-KK at the data frequencies
 */
export function impedanceFigures(
  data: SpectrumData,
  fit: SpectrumData | undefined,
  residuals: {
    fitReal?: ArrayLike<number>;
    fitImag?: ArrayLike<number>;
    kkReal?: ArrayLike<number>;
    kkImag?: ArrayLike<number>;
  },
  title: string,
): { nyquist: string; bodeModulus: string; bodePhase: string; residuals: string } {
  const pts = { style: "points" as const };
  const nyquist = renderPlot(
    [
      { ...pts, label: "data", x: data.zReal, y: neg(data.zImag) },
      ...(fit ? [{ label: "fit", x: fit.zReal, y: neg(fit.zImag) }] : []),
    ],
    { title: `${title}: Nyquist`, xLabel: "Re Z [Ω]", yLabel: "−Im Z [Ω]", equalAspect: true },
  );
  // Bode: log f and log |Z| always (renderPlot labels a log axis spanning less than a decade too)
  const bodeModulus = renderPlot(
    [
      { ...pts, label: "data", x: data.frequency, y: modulus(data) },
      ...(fit ? [{ label: "fit", x: fit.frequency, y: modulus(fit) }] : []),
    ],
    {
      title: `${title}: Bode |Z|`,
      xLabel: "f [Hz]",
      yLabel: "|Z| [Ω]",
      xScale: "log",
      yScale: "log",
      height: 280,
    },
  );
  const bodePhase = renderPlot(
    [
      { ...pts, label: "data", x: data.frequency, y: phase(data) },
      ...(fit ? [{ label: "fit", x: fit.frequency, y: phase(fit) }] : []),
    ],
    { title: `${title}: Bode phase`, xLabel: "f [Hz]", yLabel: "−phase [°]", xScale: "log", height: 280 },
  );
  const pct = (a: ArrayLike<number>) => Array.from(a, (v) => 100 * v);
  const series = [];
  if (residuals.fitReal && residuals.fitImag) {
    series.push({ label: "fit Re", x: data.frequency, y: pct(residuals.fitReal), style: "both" as const });
    series.push({ label: "fit Im", x: data.frequency, y: pct(residuals.fitImag), style: "both" as const });
  }
  if (residuals.kkReal && residuals.kkImag) {
    series.push({ label: "lin-KK Re", x: data.frequency, y: pct(residuals.kkReal), dash: "4 2" });
    series.push({ label: "lin-KK Im", x: data.frequency, y: pct(residuals.kkImag), dash: "4 2" });
  }
  const residualFigure = renderPlot(series, {
    title: `${title}: relative residuals`,
    xLabel: "f [Hz]",
    yLabel: "Δ / |Z| [%]",
    xScale: "log",
    height: 280,
  });
  return { nyquist, bodeModulus, bodePhase, residuals: residualFigure };
}

/** Kinetic parameters against relaxed OCV from the virtual study. */
export interface StudyCurves {
  eis: { ocv: number[]; j0: number[]; j0True: number[] };
  pitt: { ocv: number[]; diffusivity: number[]; diffusivityTrue: number[]; biot: number[] };
}

/** j0 vs OCV, D vs OCV and Biot number vs OCV. */
export function studyFigures(s: StudyCurves): { j0: string; diffusivity: string; biot: string } {
  const opts = { xLabel: "relaxed OCV [V]", width: 420, height: 300 };
  return {
    j0: renderPlot(
      [
        { label: "EIS fit", x: s.eis.ocv, y: s.eis.j0, style: "both" },
        { label: "material i0", x: s.eis.ocv, y: s.eis.j0True, dash: "4 2" },
      ],
      { ...opts, title: "j0 vs OCV", yLabel: "j0 [A/m²]", yScale: scaleFor(s.eis.j0, s.eis.j0True) },
    ),
    diffusivity: renderPlot(
      [
        { label: "PITT fit", x: s.pitt.ocv, y: s.pitt.diffusivity, style: "both" },
        { label: "material D", x: s.pitt.ocv, y: s.pitt.diffusivityTrue, dash: "4 2" },
      ],
      {
        ...opts,
        title: "D vs OCV",
        yLabel: "D [m²/s]",
        yScale: scaleFor(s.pitt.diffusivity, s.pitt.diffusivityTrue),
      },
    ),
    biot: renderPlot([{ label: "B", x: s.pitt.ocv, y: s.pitt.biot, style: "both" }], {
      ...opts,
      title: "Biot number vs OCV",
      yLabel: "Biot number B [-]",
      yScale: scaleFor(s.pitt.biot),
    }),
  };
}

/** Per-shell crack fraction of each particle (normalised depth 0 = surface → 1 = centre). */
export function crackProfileFigure(
  profiles: { label: number; depth: number[]; fraction: number[] }[],
): string {
  return renderPlot(
    profiles
      .slice(0, 10)
      .map((p) => ({ label: `particle ${p.label}`, x: p.depth, y: p.fraction, style: "both" as const })),
    {
      title: "Radial crack profile",
      xLabel: "depth / max depth (0 = surface)",
      yLabel: "crack fraction",
      height: 280,
    },
  );
}

/** Particle positions of an electrode microstructure (as generated by src/electrode). */
export interface ElectrodeLayout {
  dimension: 2 | 3;
  /** Box extent [m] along x, y, z (z = height above the current collector). */
  box: readonly [number, number, number];
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  z: ArrayLike<number>;
  radius: ArrayLike<number>;
  covered: ArrayLike<number>;
}

/**
 * Electrode cross-section (x–z; in 3D the slab within one median radius of the mid-plane y)
 * with each particle filled by its Li fraction on the ramp over [lo, hi] (yellow = lithiated),
 * collector at the bottom; dashed outline = no direct carbon contact.
 */
export function particleStateMap(
  layout: ElectrodeLayout,
  x: ArrayLike<number>,
  lo: number,
  hi: number,
  title: string,
): string {
  const P = layout.x.length;
  const sorted = Array.from(layout.radius).sort((a, b) => a - b);
  const median = sorted[Math.floor(P / 2)] ?? 0;
  const midY = layout.box[1] / 2;
  const width = 760;
  const margin = 30;
  const boxW = Math.max(layout.box[0], 1e-12);
  const boxH = Math.max(layout.box[2], 1e-12);
  const shownW = Math.min(boxW, 8 * boxH);
  const scale = (width - 2 * margin - 60) / shownW;
  const height = Math.ceil(boxH * scale + 2 * margin + 30);
  const base = margin + 20 + boxH * scale;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="13" font-weight="600">${title}</text>`,
    `<line x1="${margin}" y1="${base.toFixed(2)}" x2="${(margin + shownW * scale).toFixed(2)}" y2="${base.toFixed(2)}" stroke="#333" stroke-width="3"/>`,
  ];
  for (let p = 0; p < P; p++) {
    if (layout.dimension === 3 && Math.abs(layout.y[p] - midY) > median) continue;
    if (layout.x[p] > shownW) continue;
    const cx = margin + layout.x[p] * scale;
    const cy = base - layout.z[p] * scale;
    const dash = layout.covered[p] ? "" : ' stroke-dasharray="2 2"';
    parts.push(
      `<circle cx="${cx.toFixed(2)}" cy="${cy.toFixed(2)}" r="${Math.max(layout.radius[p] * scale, 0.5).toFixed(2)}" fill="${rampColor((x[p] - lo) / (hi - lo || 1))}" stroke="#222" stroke-width="0.6"${dash}/>`,
    );
  }
  const bx = width - margin - 30;
  const top = margin + 20;
  const ph = Math.max(base - top, 20);
  for (let k = 0; k < 20; k++) {
    parts.push(
      `<rect x="${bx}" y="${(top + ph - ((k + 1) / 20) * ph).toFixed(2)}" width="12" height="${(ph / 20 + 0.3).toFixed(2)}" fill="${rampColor((k + 0.5) / 20)}"/>`,
    );
  }
  parts.push(`<text x="${bx - 2}" y="${top - 4}">x ${fmtTick(hi)}</text>`);
  parts.push(`<text x="${bx - 2}" y="${(top + ph + 12).toFixed(2)}">${fmtTick(lo)}</text>`);
  parts.push("</svg>", "");
  return parts.join("\n");
}

/** One load step of a fracture run. */
export interface FractureCurves {
  voltage: ArrayLike<number>;
  meanDamage: ArrayLike<number>;
  crackedFraction: ArrayLike<number>;
  /** Largest principal stress in intact grains [Pa]. */
  maxPrincipalStress: ArrayLike<number>;
}

/** Damage vs voltage and peak stress vs voltage of a fracture run. */
export function fractureFigures(c: FractureCurves): { damage: string; stress: string } {
  return {
    damage: renderPlot(
      [
        { label: "mean damage", x: c.voltage, y: c.meanDamage },
        { label: "cracked fraction", x: c.voltage, y: c.crackedFraction, dash: "4 2" },
      ],
      {
        title: "Damage vs voltage",
        xLabel: "U(x) [V]",
        yLabel: "fraction of grain volume [-]",
        width: 480,
        height: 300,
      },
    ),
    stress: renderPlot(
      [
        {
          label: "σ1 max",
          x: c.voltage,
          y: Array.from(c.maxPrincipalStress, (s) => s / 1e6),
          color: "#ff725c",
        },
      ],
      {
        title: "Peak principal stress vs voltage",
        xLabel: "U(x) [V]",
        yLabel: "σ1 [MPa]",
        width: 480,
        height: 300,
      },
    ),
  };
}

/** D vs voltage of a GITT/PITT analysis (log D when it spans more than a decade). */
export function titrationFigure(rows: { voltage: number; diffusivity: number }[], method: string): string {
  const ok = rows.filter((r) => r.diffusivity > 0 && Number.isFinite(r.diffusivity));
  return renderPlot(
    [{ label: `${method} D`, x: ok.map((r) => r.voltage), y: ok.map((r) => r.diffusivity), style: "both" }],
    {
      title: `${method}: chemical diffusivity`,
      xLabel: "voltage [V]",
      yLabel: "D [m²/s]",
      yScale: scaleFor(ok.map((r) => r.diffusivity)),
      width: 480,
      height: 300,
    },
  );
}
