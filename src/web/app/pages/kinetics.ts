/**
 * Kinetics page: the virtual seed-000 study (EIS → j0, PITT → D and Biot number vs OCV, C-rate
 * limits) and fitting of a measured impedance file (Nyquist/Bode with the fit, residuals and
 * lin-KK, parameter table with 95 % intervals). Everything runs in the worker.
 */
import { MATERIALS } from "../../../materials/index.js";
import { renderPlot } from "../../../report/svg-plot.js";
import { parseQuantity } from "../../../units.js";
import type { WorkerClient } from "../client.js";
import {
  cliBox,
  columnsCsv,
  download,
  figurePanel,
  h,
  readUpload,
  setStatus,
  shellQuote,
  sig,
  statusLine,
} from "../dom.js";
import { impedanceFigures, studyFigures, titrationFigure } from "../figures.js";
import type { FitEisResult, StudyResult, TitrationResult } from "../jobs.js";

export const DEFAULT_CIRCUIT = "R0-p(R1,C1)-p(R2-Wo1,C2)";
export const DEFAULT_GUESS = "0.01,0.01,100,0.01,0.05,100,1";

function parseList(text: string, what: string): number[] | undefined {
  if (text.trim() === "") return undefined;
  return text.split(",").map((s, i) => {
    const v = Number(s.trim());
    if (s.trim() === "" || !Number.isFinite(v))
      throw new Error(`${what}: value ${i + 1} ("${s.trim()}") is not a number`);
    return v;
  });
}

function studySection(client: WorkerClient): HTMLElement {
  const material = h(
    "select",
    { id: "study-material" },
    Object.keys(MATERIALS).map((m) =>
      h("option", { value: m, ...(m === "NMC111" ? { selected: true } : {}) }, m),
    ),
  );
  const radius = h("input", { id: "study-radius", value: "5 um", size: 8 });
  const cutoffs = h("input", { id: "study-cutoffs", value: "3.9,4.1,4.3", size: 24 });
  const run = h("button", { id: "run-study", type: "button" }, "Run virtual study");
  const stop = h("button", { id: "stop-study", type: "button", disabled: true }, "Stop");
  stop.addEventListener("click", () => client.stop());
  const progress = h("progress", { id: "study-progress", max: 1, value: 0 });
  const status = statusLine("study-status");
  const cli = h("div", {});
  const out = h("div", { id: "study-results" });
  const root = h(
    "section",
    { id: "study", "data-state": "idle" },
    h("h3", {}, "Virtual seed-000 study"),
    h(
      "p",
      {},
      "C/20 charge steps with relaxation and EIS at each OCV (R_ct → j0), discharge with +15 mV PITT steps (→ D, Biot number), and the C-rate limits of a 10 µm particle.",
    ),
    h(
      "div",
      { class: "form" },
      h("label", {}, "Material ", material),
      h("label", {}, "Radius ", radius),
      h("label", {}, "Charge cut-offs [V] ", cutoffs),
      h("div", {}, run, " ", stop, " ", progress),
    ),
    status,
    cli,
    out,
  );
  const command = () =>
    [
      "cathodelab",
      "study",
      "--material",
      material.value,
      "--radius",
      shellQuote(radius.value.replace(/\s+/g, "")),
      ...(cutoffs.value.trim() ? ["--cutoffs", shellQuote(cutoffs.value.replace(/\s+/g, ""))] : []),
      "--out",
      "study",
    ].join(" ");
  const refresh = () => cli.replaceChildren(cliBox(command()));
  for (const el of [material, radius, cutoffs]) el.addEventListener("input", refresh);
  refresh();
  run.addEventListener("click", async () => {
    root.dataset.state = "running";
    run.disabled = true;
    stop.disabled = false;
    try {
      const r = parseQuantity(radius.value, "length", { field: "radius", positive: true });
      const c = parseList(cutoffs.value, "charge cut-offs");
      setStatus(status, "running…");
      const res = await client.run<StudyResult>(
        { type: "study", material: material.value, radius: r, chargeCutoffs: c },
        (p) => {
          progress.value = p.fraction;
          setStatus(status, `running… ${p.message}`);
        },
      );
      progress.value = 1;
      const figs = studyFigures({
        eis: { ocv: res.eis.ocv, j0: res.eis.j0, j0True: res.eis.j0True },
        pitt: {
          ocv: res.pitt.ocv,
          diffusivity: res.pitt.diffusivity,
          diffusivityTrue: res.pitt.diffusivityTrue,
          biot: res.pitt.biot,
        },
      });
      const rl = res.rateLimits;
      out.replaceChildren(
        h(
          "div",
          { class: "grid" },
          figurePanel("study-j0", figs.j0, {
            ocv_V: res.eis.ocv,
            j0_A_per_m2: res.eis.j0,
            j0_true_A_per_m2: res.eis.j0True,
          }),
          figurePanel("study-diffusivity", figs.diffusivity, {
            ocv_V: res.pitt.ocv,
            D_m2_per_s: res.pitt.diffusivity,
            D_true_m2_per_s: res.pitt.diffusivityTrue,
          }),
          figurePanel("study-biot", figs.biot, { ocv_V: res.pitt.ocv, biot: res.pitt.biot }),
        ),
        h(
          "h4",
          {},
          `C-rate limits of a ${sig(2 * res.rateLimitRadius * 1e6, 3)} µm-diameter particle (seed 000 eqns 6–8)`,
        ),
        h(
          "table",
          { class: "table", id: "ratelimit-table" },
          h(
            "tr",
            {},
            ["OCV [V]", "C_j (interface) [1/h]", "C_D (diffusion) [1/h]", "limited by", "Biot"].map((t) =>
              h("th", {}, t),
            ),
          ),
          rl.ocv.map((v, i) =>
            h(
              "tr",
              {},
              [
                sig(v, 4),
                sig(rl.interfacialCRate[i], 3),
                sig(rl.diffusionCRate[i], 3),
                rl.limitedBy[i],
                sig(rl.biot[i], 3),
              ].map((c) => h("td", {}, c)),
            ),
          ),
        ),
        h(
          "div",
          { class: "downloads" },
          h(
            "button",
            {
              type: "button",
              onclick: () => download("study.json", JSON.stringify(res, null, 2), "application/json"),
            },
            "study.json",
          ),
          h(
            "button",
            {
              type: "button",
              onclick: () =>
                download(
                  "ratelimits.csv",
                  columnsCsv({
                    ocv_V: rl.ocv,
                    C_j_per_h: rl.interfacialCRate,
                    C_D_per_h: rl.diffusionCRate,
                    limited_by: rl.limitedBy,
                    biot: rl.biot,
                  }),
                  "text/csv",
                ),
            },
            "ratelimits.csv",
          ),
        ),
      );
      const e = res.errors;
      const pct = (v: number) => `${sig(100 * v, 3)} %`;
      out.append(
        h("h4", {}, "Self-check: recovered vs the material's own functions (relative error)"),
        h(
          "table",
          { class: "table", id: "study-errors" },
          h(
            "tr",
            {},
            ["quantity", "median", "max", "points"].map((t) => h("th", {}, t)),
          ),
          (
            [
              ["j0 from EIS (R_ct)", e.eisExchangeCurrent],
              ["j0 from PITT (where determined)", e.pittExchangeCurrent],
              ["D from PITT (0.1 < B < 10)", e.pittDiffusivity],
            ] as const
          ).map(([name, st]) =>
            h(
              "tr",
              {},
              [name, pct(st.median), pct(st.max), String(st.n)].map((c) => h("td", {}, c)),
            ),
          ),
        ),
      );
      setStatus(status, `done: ${res.eis.ocv.length} EIS spectra, ${res.pitt.ocv.length} PITT steps`, "ok");
      root.dataset.state = "done";
    } catch (e) {
      setStatus(status, (e as Error).message, "error");
      root.dataset.state = "error";
    } finally {
      run.disabled = false;
      stop.disabled = true;
    }
  });
  return root;
}

function fitSection(client: WorkerClient): HTMLElement {
  const file = h("input", { id: "eis-file", type: "file", accept: ".mpt,.mpr,.dta,.DTA,.z,.csv,.txt,.tsv" });
  const drop = h(
    "div",
    { class: "dropzone", id: "eis-drop" },
    "Drop an EIS file (.mpt, .mpr, .DTA, .z, CSV) or a GITT/PITT record (time, current, voltage) here, or choose one: ",
    file,
  );
  const circuit = h("input", { id: "eis-circuit", value: DEFAULT_CIRCUIT, size: 34 });
  const guess = h("input", { id: "eis-guess", value: DEFAULT_GUESS, size: 34, placeholder: "automatic" });
  const method = h(
    "select",
    { id: "fit-method" },
    h("option", { value: "eis", selected: true }, "EIS: equivalent circuit + lin-KK"),
    h("option", { value: "gitt" }, "GITT: Weppner–Huggins"),
    h("option", { value: "pitt" }, "PITT: sphere series with kinetics"),
  );
  const dropInductive = h("input", { id: "eis-drop-inductive", type: "checkbox" });
  const spectrum = h("input", { id: "eis-spectrum", type: "number", min: 1, value: 1, style: "width: 4em" });
  const radius = h("input", { id: "fit-radius", value: "5 um", size: 7 });
  const material = h(
    "select",
    { id: "fit-material" },
    h("option", { value: "" }, "(none: no x axis)"),
    Object.keys(MATERIALS).map((m) => h("option", { value: m }, m)),
  );
  const eisFields = h(
    "span",
    { class: "form" },
    h("label", {}, "Circuit ", circuit),
    h("label", {}, "Initial guess (SI, circuit order) ", guess),
    h("label", {}, "Spectrum ", spectrum),
    h("label", {}, dropInductive, " drop inductive points (Im Z > 0)"),
  );
  const titrationFields = h(
    "span",
    { class: "form", hidden: true },
    h("label", {}, "Particle radius ", radius),
    h("label", {}, "Material ", material),
  );
  const fitButton = h("button", { id: "eis-fit", type: "button", disabled: true }, "Fit");
  const status = statusLine("eis-status");
  const cli = h("div", {});
  const out = h("div", { id: "eis-results" });
  let current: { name: string; bytes: Uint8Array } | null = null;
  const root = h(
    "section",
    { id: "eis", "data-state": "idle" },
    h("h3", {}, "Fit an impedance file"),
    drop,
    h("div", { class: "form" }, h("label", {}, "Analysis ", method), eisFields, titrationFields, fitButton),
    status,
    cli,
    out,
  );
  const command = () => {
    if (method.value !== "eis") {
      const args = ["cathodelab", "fit", method.value, shellQuote(current?.name ?? "FILE")];
      if (method.value === "pitt") args.push("--steps");
      args.push("--radius", shellQuote(radius.value.replace(/\s+/g, "")));
      if (material.value) args.push("--material", material.value);
      args.push("--out", `${method.value}-fit`);
      return args.join(" ");
    }
    const args = [
      "cathodelab",
      "fit",
      "eis",
      shellQuote(current?.name ?? "FILE"),
      "--circuit",
      shellQuote(circuit.value),
    ];
    if (guess.value.trim()) args.push("--guess", shellQuote(guess.value.replace(/\s+/g, "")));
    if (spectrum.value !== "1") args.push("--spectrum", shellQuote(spectrum.value));
    if (dropInductive.checked) args.push("--drop-inductive");
    args.push("--out", "eis-fit");
    return args.join(" ");
  };
  const refresh = () => cli.replaceChildren(cliBox(command()));
  for (const el of [circuit, guess, dropInductive, spectrum, radius, material])
    el.addEventListener("input", refresh);
  method.addEventListener("change", () => {
    eisFields.hidden = method.value !== "eis";
    titrationFields.hidden = method.value === "eis";
    refresh();
  });
  refresh();

  const fitTitration = async (name: string, bytes: Uint8Array) => {
    const res = await client.run<TitrationResult>({
      type: "fit-titration",
      method: method.value as "gitt" | "pitt",
      name,
      bytes,
      radius: parseQuantity(radius.value, "length", { field: "radius", positive: true }),
      material: material.value || undefined,
    });
    const label = res.method.toUpperCase();
    const rows = res.rows;
    const cols = {
      index: rows.map((r) => r.index),
      voltage_V: rows.map((r) => r.voltage),
      x: rows.map((r) => r.x ?? ""),
      D_m2_per_s: rows.map((r) => r.diffusivity),
      D_ci95_low: rows.map((r) => r.diffusivityLow ?? ""),
      D_ci95_high: rows.map((r) => r.diffusivityHigh ?? ""),
      D_sqrt_m2_per_s: rows.map((r) => r.diffusivitySqrt ?? ""),
      biot: rows.map((r) => r.biot ?? ""),
      i0_A_per_m2: rows.map((r) => r.exchangeCurrentDensity ?? ""),
      R_ohm: rows.map((r) => r.resistance ?? ""),
      regime: rows.map((r) => r.regime),
    };
    const hours = Array.from(res.record.time, (t) => t / 3600);
    out.replaceChildren(
      h(
        "table",
        { class: "table", id: "titration-table" },
        h(
          "tr",
          {},
          [
            res.method === "gitt" ? "pulse" : "step",
            "V [V]",
            "x",
            "D [m²/s]",
            res.method === "gitt" ? "D (√t) [m²/s]" : "95 % interval",
            res.method === "gitt" ? "R [Ω]" : "Biot",
            res.method === "gitt" ? "" : "i0 [A/m²]",
            "notes",
          ].map((t) => h("th", {}, t)),
        ),
        rows.map((r) =>
          h(
            "tr",
            { "data-d": String(r.diffusivity), "data-voltage": String(r.voltage) },
            [
              String(r.index + 1),
              sig(r.voltage, 5),
              r.x === null ? "–" : sig(r.x, 4),
              sig(r.diffusivity, 4),
              res.method === "gitt"
                ? sig(r.diffusivitySqrt ?? Number.NaN, 4)
                : `${sig(r.diffusivityLow ?? Number.NaN, 3)} … ${sig(r.diffusivityHigh ?? Number.NaN, 3)}`,
              res.method === "gitt" ? sig(r.resistance ?? Number.NaN, 4) : sig(r.biot ?? Number.NaN, 3),
              res.method === "gitt"
                ? ""
                : r.exchangeCurrentDensity === null
                  ? "–"
                  : sig(r.exchangeCurrentDensity, 3),
              [r.regime, r.notes].filter(Boolean).join("; "),
            ].map((c) => h("td", {}, c)),
          ),
        ),
      ),
      h(
        "div",
        { class: "grid" },
        figurePanel("titration-d", titrationFigure(rows, label), cols),
        figurePanel(
          "titration-record",
          renderPlot([{ label: "V", x: hours, y: res.record.voltage }], {
            title: `${label} record`,
            xLabel: "time [h]",
            yLabel: "V [V]",
            width: 480,
            height: 300,
          }),
          { time_s: res.record.time, current_A: res.record.current, voltage_V: res.record.voltage },
        ),
      ),
      h(
        "div",
        { class: "downloads" },
        h(
          "button",
          { type: "button", onclick: () => download(`${res.method}.csv`, columnsCsv(cols), "text/csv") },
          `${res.method}.csv`,
        ),
        h(
          "button",
          {
            type: "button",
            onclick: () =>
              download(
                `${res.method}.json`,
                JSON.stringify({ file: res.name, method: res.method, rows }, null, 2),
                "application/json",
              ),
          },
          `${res.method}.json`,
        ),
      ),
    );
    setStatus(
      status,
      `${label} analysis of ${name}: ${rows.length} ${res.method === "gitt" ? "pulses" : "steps"}`,
      "ok",
    );
  };

  const fit = async () => {
    if (!current) return;
    root.dataset.state = "running";
    fitButton.disabled = true;
    refresh();
    try {
      setStatus(status, `fitting ${current.name}…`);
      if (method.value !== "eis") {
        await fitTitration(current.name, current.bytes.slice());
        root.dataset.state = "done";
        return;
      }
      // a copy goes to the worker (the original stays for refits)
      const res = await client.run<FitEisResult>({
        type: "fit-eis",
        name: current.name,
        bytes: current.bytes.slice(),
        circuit: circuit.value,
        guess: parseList(guess.value, "initial guess"),
        dropInductive: dropInductive.checked,
        spectrum: Number(spectrum.value),
      });
      const figs = impedanceFigures(
        res,
        res.curve,
        {
          fitReal: res.residualReal,
          fitImag: res.residualImag,
          kkReal: res.linkk.residualReal,
          kkImag: res.linkk.residualImag,
        },
        res.label,
      );
      const table = h(
        "table",
        { class: "table", id: "eis-params" },
        h(
          "tr",
          {},
          ["parameter", "value", "± 95 %", "unit"].map((t) => h("th", {}, t)),
        ),
        res.parameters.map((p) =>
          h(
            "tr",
            { "data-name": p.name, "data-value": String(p.value), "data-ci95": String(p.ci95) },
            h("td", {}, p.name),
            h("td", {}, sig(p.value, 5)),
            h(
              "td",
              {},
              p.fixed ? "fixed" : `${sig(p.ci95, 3)}${p.identifiable ? "" : " (not identifiable)"}`,
            ),
            h("td", {}, p.unit),
          ),
        ),
      );
      const params = {
        file: res.name,
        circuit: res.circuit,
        converged: res.converged,
        message: res.message,
        chiSquare: res.chiSquare,
        rmsRelative: res.rmsRelative,
        parameters: res.parameters,
        linKK: {
          M: res.linkk.M,
          pass: res.linkk.pass,
          verdict: res.linkk.verdict,
          maxResidual: res.linkk.maxResidual,
        },
      };
      out.replaceChildren(
        table,
        h(
          "p",
          { id: "eis-quality" },
          `${res.converged ? "converged" : `NOT converged (${res.message})`}; χ² = ${sig(res.chiSquare, 4)}; rms relative residual ${sig(100 * res.rmsRelative, 3)} %`,
        ),
        h("p", { id: "eis-linkk", class: res.linkk.pass ? "ok" : "error" }, `lin-KK: ${res.linkk.verdict}`),
        h(
          "div",
          { class: "grid" },
          figurePanel("eis-nyquist", figs.nyquist, {
            frequency_Hz: res.frequency,
            zreal_Ohm: res.zReal,
            zimag_Ohm: res.zImag,
          }),
          figurePanel("eis-bode-modulus", figs.bodeModulus, {
            frequency_Hz: res.curve.frequency,
            zreal_fit_Ohm: res.curve.zReal,
            zimag_fit_Ohm: res.curve.zImag,
          }),
          figurePanel("eis-bode-phase", figs.bodePhase),
          figurePanel("eis-residuals", figs.residuals, {
            frequency_Hz: res.frequency,
            fit_re: res.residualReal,
            fit_im: res.residualImag,
            kk_re: res.linkk.residualReal,
            kk_im: res.linkk.residualImag,
          }),
        ),
        h(
          "div",
          { class: "downloads" },
          h(
            "button",
            {
              type: "button",
              onclick: () => download("params.json", JSON.stringify(params, null, 2), "application/json"),
            },
            "params.json",
          ),
          h(
            "button",
            {
              type: "button",
              onclick: () =>
                download(
                  "params.csv",
                  columnsCsv({
                    name: res.parameters.map((p) => p.name),
                    unit: res.parameters.map((p) => p.unit),
                    value: res.parameters.map((p) => p.value),
                    ci95: res.parameters.map((p) => p.ci95),
                  }),
                  "text/csv",
                ),
            },
            "params.csv",
          ),
          h(
            "button",
            {
              type: "button",
              onclick: () =>
                download(
                  "fit.csv",
                  columnsCsv({
                    frequency_Hz: res.frequency,
                    Zre_data_Ohm: res.zReal,
                    Zim_data_Ohm: res.zImag,
                    residual_re_rel: res.residualReal,
                    residual_im_rel: res.residualImag,
                  }),
                  "text/csv",
                ),
            },
            "fit.csv",
          ),
        ),
      );
      setStatus(
        status,
        `fitted ${res.label} (${res.frequency.length} points${res.spectra > 1 ? `, spectrum ${res.spectrum} of ${res.spectra}` : ""})`,
        "ok",
      );
      root.dataset.state = "done";
    } catch (e) {
      out.replaceChildren();
      setStatus(status, (e as Error).message, "error");
      root.dataset.state = "error";
    } finally {
      fitButton.disabled = false;
    }
  };
  const open = async (f: File | undefined) => {
    if (!f) return;
    try {
      current = { name: f.name, bytes: await readUpload(f) };
      await fit();
    } catch (e) {
      current = null;
      setStatus(status, (e as Error).message, "error");
      root.dataset.state = "error";
    }
  };
  file.addEventListener("change", () => open(file.files?.[0]));
  drop.addEventListener("dragover", (e) => e.preventDefault());
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    open((e as DragEvent).dataTransfer?.files?.[0]);
  });
  fitButton.addEventListener("click", fit);
  return root;
}

export function kineticsPage(client: WorkerClient): HTMLElement {
  return h(
    "section",
    { id: "page-kinetics", class: "page" },
    h("h2", {}, "Kinetics"),
    studySection(client),
    fitSection(client),
  );
}
