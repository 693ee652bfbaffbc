/**
 * Particle page: choose material, radius and protocol (live validation), run the single-particle
 * model in the worker and watch V(t), I(t) and x(r, t) grow; material functions with sources.
 */
import { InputError } from "../../../errors.js";
import { getMaterial, MATERIALS } from "../../../materials/index.js";
import { parseProtocol } from "../../../protocol/parse.js";
import { parseQuantity } from "../../../units.js";
import type { WorkerClient } from "../client.js";
import {
  cliBox,
  columnsCsv,
  download,
  figurePanel,
  h,
  setStatus,
  shellQuote,
  sig,
  statusLine,
  updateSvg,
} from "../dom.js";
import {
  concentrationHeatmap,
  currentFigure,
  impedanceFigures,
  materialCurves,
  materialFigures,
  pickRows,
  voltageFigure,
} from "../figures.js";
import type { SimulateRequest, SimulateResult } from "../jobs.js";

export const DEFAULT_PROTOCOL = "Charge at 1C until 4.2 V\nRest for 30 min\nDischarge at 1C until 3.0 V";

/** The `cathodelab simulate` command equivalent to the page's inputs. */
export function simulateCommand(
  material: string,
  radiusText: string,
  protocol: string,
  initialX: string,
): string {
  const lines = protocol
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, ""))
    .filter((l) => l.trim() !== "");
  const oneLine = !/repeat/i.test(protocol) && !lines.some((l) => /^\s/.test(l));
  const args = [
    "cathodelab",
    "simulate",
    "--material",
    material,
    "--radius",
    shellQuote(radiusText.replace(/\s+/g, "")),
  ];
  if (oneLine) args.push("--protocol", shellQuote(lines.map((l) => l.trim()).join("; ")));
  else args.push("--protocol-file", "protocol.txt");
  if (initialX.trim() !== "") args.push("--initial-x", shellQuote(initialX.trim()));
  args.push("--out", "particle-run");
  return args.join(" ");
}

export function particlePage(client: WorkerClient): HTMLElement {
  const material = h(
    "select",
    { id: "material", name: "material" },
    Object.keys(MATERIALS).map((m) =>
      h("option", { value: m, ...(m === "NMC811" ? { selected: true } : {}) }, m),
    ),
  );
  const radius = h("input", { id: "radius", value: "5 um", size: 8 });
  const initialX = h("input", { id: "initial-x", value: "", size: 6, placeholder: "default" });
  const protocol = h("textarea", { id: "protocol", rows: 6, cols: 60, spellcheck: false });
  protocol.value = DEFAULT_PROTOCOL;
  const protocolError = h("p", { id: "protocol-error", class: "field-error", role: "alert" });
  const run = h("button", { id: "run-simulation", type: "button" }, "Run simulation");
  const stop = h("button", { id: "stop-simulation", type: "button", disabled: true }, "Stop");
  const progress = h("progress", { id: "particle-progress", max: 1, value: 0 });
  const status = statusLine("particle-status");
  const cli = h("div", { id: "particle-cli" });
  const results = h("div", { id: "particle-results", class: "grid" });
  const steps = h("div", { id: "particle-steps" });
  const downloads = h("div", { class: "downloads", id: "particle-downloads" });
  const materialBox = h("div", { id: "material-functions", class: "grid" });
  const sources = h("div", { id: "material-sources" });
  const root = h(
    "section",
    { id: "page-particle", class: "page", "data-state": "idle" },
    h("h2", {}, "Particle"),
    h(
      "p",
      {},
      "A single spherical particle: finite-volume Li diffusion with D(x), Butler–Volmer kinetics with i0(x), run through a protocol in a Web Worker.",
    ),
    h(
      "div",
      { class: "form" },
      h("label", {}, "Material ", material),
      h("label", {}, "Radius ", radius),
      h("label", {}, "Initial x ", initialX),
      h("label", { class: "wide" }, "Protocol (one step per line; see docs/protocol.md)", protocol),
      protocolError,
      h("div", {}, run, " ", stop, " ", progress),
    ),
    status,
    cli,
    results,
    downloads,
    steps,
    h("h3", {}, "Material functions"),
    materialBox,
    sources,
  );

  const validate = (): { request: SimulateRequest } | null => {
    let ok = true;
    protocolError.textContent = "";
    protocol.classList.remove("invalid");
    radius.classList.remove("invalid");
    let radiusValue = 0;
    try {
      radiusValue = parseQuantity(radius.value, "length", { field: "radius", positive: true });
    } catch (e) {
      ok = false;
      radius.classList.add("invalid");
      protocolError.textContent = (e as Error).message;
    }
    let x0: number | undefined;
    if (initialX.value.trim() !== "") {
      x0 = Number(initialX.value);
      if (!Number.isFinite(x0)) {
        ok = false;
        protocolError.textContent = `initial x: "${initialX.value}" is not a number (expected a Li fraction such as 0.9)`;
      }
    }
    try {
      parseProtocol(protocol.value, { file: "protocol" });
    } catch (e) {
      ok = false;
      protocol.classList.add("invalid");
      const err = e as InputError;
      protocolError.textContent = err instanceof InputError ? err.message : String(e);
      if (err instanceof InputError && err.line !== undefined) {
        protocolError.dataset.line = String(err.line);
        protocolError.dataset.column = String(err.column ?? "");
        // put the caret at the offending token
        const lines = protocol.value.split("\n");
        let offset = 0;
        for (let i = 0; i < err.line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
        protocol.dataset.errorOffset = String(offset + Math.max(0, (err.column ?? 1) - 1));
      }
    }
    cli.replaceChildren(
      cliBox(simulateCommand(material.value, radius.value, protocol.value, initialX.value)),
    );
    run.disabled = !ok;
    if (!ok) return null;
    return {
      request: {
        type: "simulate",
        material: material.value,
        radius: radiusValue,
        protocol: protocol.value,
        initialLithiumFraction: x0,
      },
    };
  };

  const showMaterial = () => {
    const m = getMaterial(material.value);
    const curves = materialCurves(m);
    const figs = materialFigures(m, curves);
    materialBox.replaceChildren(
      figurePanel("material-ocv", figs.ocv, { x: curves.x, U_V: curves.ocv }),
      figurePanel("material-diffusivity", figs.diffusivity, { x: curves.x, D_m2_per_s: curves.diffusivity }),
      figurePanel("material-exchange", figs.exchange, {
        x: curves.x,
        i0_A_per_m2: curves.exchangeCurrentDensity,
      }),
      figurePanel("material-conductivity", figs.conductivity, {
        x: curves.x,
        kappa_S_per_m: curves.conductivity,
      }),
    );
    sources.replaceChildren(
      h(
        "table",
        { class: "table" },
        h("tr", {}, h("th", {}, "property"), h("th", {}, "unit"), h("th", {}, "source")),
        curves.sources.map((s) =>
          h(
            "tr",
            {},
            h("td", {}, s.property),
            h("td", {}, s.unit),
            h(
              "td",
              {},
              `${s.source}${s.seed ? ` (seed ${s.seed})` : ""}${s.assumption ? " — assumption" : ""}`,
            ),
          ),
        ),
      ),
    );
  };

  for (const el of [radius, initialX, protocol]) el.addEventListener("input", () => validate());
  material.addEventListener("change", () => {
    validate();
    showMaterial();
  });

  run.addEventListener("click", async () => {
    const v = validate();
    if (!v) return;
    root.dataset.state = "running";
    run.disabled = true;
    stop.disabled = false;
    setStatus(status, "running…");
    const live = { time: [] as number[], current: [] as number[], voltage: [] as number[] };
    const liveProfiles = { times: [] as number[], values: [] as number[] };
    let radii: number[] = [];
    const vPanel = figurePanel("fig-voltage", voltageFigure(live));
    const iPanel = figurePanel("fig-current", currentFigure(live));
    const pPanel = figurePanel(
      "fig-profile",
      '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="300"></svg>',
    );
    results.replaceChildren(vPanel, iPanel, pPanel);
    steps.replaceChildren();
    downloads.replaceChildren();
    let scheduled = false;
    const redraw = () => {
      scheduled = false;
      // live view: at most 4000 evenly picked points (the final figures use every point)
      const rows = pickRows(live.time.length, 4000);
      const view = {
        time: rows.map((i) => live.time[i]),
        current: rows.map((i) => live.current[i]),
        voltage: rows.map((i) => live.voltage[i]),
      };
      updateSvg(vPanel, voltageFigure(view));
      updateSvg(iPanel, currentFigure(view));
      if (radii.length > 0 && liveProfiles.times.length > 1) {
        updateSvg(
          pPanel,
          concentrationHeatmap({
            times: liveProfiles.times,
            radii,
            values: liveProfiles.values,
            radius: v.request.radius,
          }),
        );
      }
    };
    const shells = v.request.shells ?? 20;
    try {
      const r = await client.run<SimulateResult>(v.request, (p) => {
        progress.value = p.fraction;
        setStatus(status, `running… ${p.message}`);
        if (p.series) {
          live.time.push(...p.series.time);
          live.current.push(...p.series.current);
          live.voltage.push(...p.series.voltage);
        }
        if (p.profile) {
          if (radii.length === 0)
            radii = Array.from({ length: shells + 1 }, (_, i) => (i / shells) * v.request.radius);
          if (p.profile.values.length === radii.length) {
            liveProfiles.times.push(p.profile.time);
            liveProfiles.values.push(...p.profile.values);
          }
        }
        if (!scheduled) {
          scheduled = true;
          requestAnimationFrame(redraw);
        }
      });
      scheduled = true; // no further live redraws
      progress.value = 1;
      const series = { time: r.time, current: r.current, voltage: r.voltage };
      const profileData = { times: r.profileTimes, radii: r.radii, values: r.profiles, radius: r.radius };
      results.replaceChildren(
        figurePanel("fig-voltage", voltageFigure(series), { time_s: r.time, voltage_V: r.voltage }),
        figurePanel("fig-current", currentFigure(series), { time_s: r.time, current_A: r.current }),
        figurePanel("fig-profile", concentrationHeatmap(profileData), {
          time_s: Array.from(r.profileTimes),
          ...Object.fromEntries(
            Array.from(r.radii, (_rad, j) => [
              `x_at_r${j}`,
              Array.from(r.profileTimes, (_, i) => r.profiles[i * r.radii.length + j]),
            ]),
          ),
        }),
      );
      // simulated spectra of the protocol's EIS steps (small-signal particle impedance)
      r.impedance.forEach((z, k) => {
        const fig = impedanceFigures(z, undefined, {}, `EIS ${k + 1} at ${sig(z.voltage, 4)} V`);
        results.append(
          figurePanel(`fig-eis-${k + 1}`, fig.nyquist, {
            frequency_Hz: z.frequency,
            zreal_Ohm: z.zReal,
            zimag_Ohm: z.zImag,
          }),
        );
      });
      steps.replaceChildren(
        h(
          "table",
          { class: "table", id: "particle-steps-table" },
          h(
            "tr",
            {},
            ["#", "step", "ended by", "start [h]", "end [h]", "charge [nAh]", "end V [V]"].map((t) =>
              h("th", {}, t),
            ),
          ),
          r.steps.map((s) =>
            h(
              "tr",
              {},
              [
                s.index + 1,
                s.text || s.type,
                s.reason,
                sig(s.startTime / 3600),
                sig(s.endTime / 3600),
                sig(s.charge / 3.6e-6),
                sig(s.endVoltage, 5),
              ].map((c) => h("td", {}, String(c))),
            ),
          ),
        ),
      );
      const summary = {
        material: r.material,
        radius_m: r.radius,
        chargeCapacity_C: r.chargeCapacity,
        dischargeCapacity_C: r.dischargeCapacity,
        final: { time_s: r.time[r.time.length - 1], voltage_V: r.voltage[r.voltage.length - 1] },
        steps: r.steps,
      };
      downloads.replaceChildren(
        h(
          "button",
          {
            type: "button",
            id: "download-timeseries",
            onclick: () =>
              download(
                "timeseries.csv",
                columnsCsv({
                  time_s: r.time,
                  current_A: r.current,
                  voltage_V: r.voltage,
                  x_surface: r.xSurface,
                  x_mean: r.xMean,
                }),
                "text/csv",
              ),
          },
          "timeseries.csv",
        ),
        h(
          "button",
          {
            type: "button",
            onclick: () => download("summary.json", JSON.stringify(summary, null, 2), "application/json"),
          },
          "summary.json",
        ),
        h(
          "button",
          { type: "button", onclick: () => download("protocol.txt", v.request.protocol, "text/plain") },
          "protocol.txt",
        ),
      );
      setStatus(
        status,
        `done: ${r.steps.length} steps, ${r.time.length} points, t = ${sig(r.time[r.time.length - 1] / 3600)} h, final V = ${sig(r.voltage[r.voltage.length - 1], 5)} V`,
        "ok",
      );
      root.dataset.state = "done";
    } catch (e) {
      setStatus(status, (e as Error).message, "error");
      root.dataset.state = "error";
    } finally {
      run.disabled = false;
      stop.disabled = true;
    }
  });
  stop.addEventListener("click", () => client.stop());

  validate();
  showMaterial();
  return root;
}
