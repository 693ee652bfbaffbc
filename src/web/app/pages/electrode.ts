/**
 * Electrode page (seed 003): generate a microstructure, run the network model in the worker,
 * then watch the particles activate (colour = Li fraction) through the cycles with a time
 * slider; synchrony index and capacity per cycle.
 */
import { MATERIALS } from "../../../materials/index.js";
import { parseProtocol } from "../../../protocol/parse.js";
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
import { particleStateMap } from "../figures.js";
import type { ElectrodeRequest, ElectrodeResult } from "../jobs.js";

export const DEFAULT_ELECTRODE_PROTOCOL =
  "Repeat 2 times: Charge at C/20 until 4.3 V; Discharge at C/20 until 2.5 V";

export function electrodeCommand(r: Omit<ElectrodeRequest, "type">): string {
  return [
    "cathodelab electrode --material",
    r.material,
    "--particles",
    String(r.particles),
    "--coverage",
    String(r.coverage),
    "--seed",
    String(r.seed),
    "--dim",
    String(r.dimension),
    "--protocol",
    shellQuote(r.protocol.replace(/\s*\n\s*/g, "; ")),
    "--out electrode-run",
  ].join(" ");
}

export function electrodePage(client: WorkerClient): HTMLElement {
  const material = h(
    "select",
    { id: "electrode-material" },
    Object.keys(MATERIALS).map((m) =>
      h("option", { value: m, ...(m === "NMC532" ? { selected: true } : {}) }, m),
    ),
  );
  const particles = h("input", { id: "electrode-particles", value: "60", size: 6 });
  const coverage = h("input", { id: "electrode-coverage", value: "0.6", size: 5 });
  const seed = h("input", { id: "electrode-seed", value: "1", size: 4 });
  const dim = h(
    "select",
    { id: "electrode-dim" },
    h("option", { value: "2", selected: true }, "2-D cross-section"),
    h("option", { value: "3" }, "3-D volume"),
  );
  const protocol = h("input", { id: "electrode-protocol", value: DEFAULT_ELECTRODE_PROTOCOL, size: 80 });
  const error = h("p", { class: "field-error", id: "electrode-error", role: "alert" });
  const run = h("button", { id: "run-electrode", type: "button" }, "Run electrode");
  const progress = h("progress", { id: "electrode-progress", max: 1, value: 0 });
  const status = statusLine("electrode-status");
  const cli = h("div", {});
  const out = h("div", { id: "electrode-results" });
  const root = h(
    "section",
    { id: "page-electrode", class: "page", "data-state": "idle" },
    h("h2", {}, "Electrode"),
    h(
      "p",
      {},
      "Seed 003 (Sharma et al., Nano Lett. 2022): particles in a carbon-binder network, each with its own diffusion, kinetics and composition-dependent electronic conductivity. In the first charge they activate one after another; later cycles are synchronous.",
    ),
    h(
      "div",
      { class: "form" },
      h("label", {}, "Material ", material),
      h("label", {}, "Particles ", particles),
      h("label", {}, "Carbon coverage ", coverage),
      h("label", {}, "Seed ", seed),
      h("label", {}, "Geometry ", dim),
      h("label", { class: "wide" }, "Protocol (C-rate of the electrode)", protocol),
      error,
      h("div", {}, run, " ", progress),
    ),
    status,
    cli,
    out,
  );
  const read = (): Omit<ElectrodeRequest, "type"> | null => {
    error.textContent = "";
    const n = Number(particles.value);
    const c = Number(coverage.value);
    const s = Number(seed.value);
    try {
      if (!Number.isInteger(n) || n < 10 || n > 5000)
        throw new Error(`particles: "${particles.value}" (expected an integer from 10 to 5000)`);
      if (!(c >= 0 && c <= 1))
        throw new Error(`carbon coverage: "${coverage.value}" (expected a number from 0 to 1)`);
      if (!Number.isInteger(s)) throw new Error(`seed: "${seed.value}" (expected an integer)`);
      parseProtocol(protocol.value, { file: "protocol" });
    } catch (e) {
      error.textContent = (e as Error).message;
      run.disabled = true;
      return null;
    }
    run.disabled = false;
    const req = {
      material: material.value,
      particles: n,
      coverage: c,
      seed: s,
      dimension: Number(dim.value) as 2 | 3,
      protocol: protocol.value,
    };
    cli.replaceChildren(cliBox(electrodeCommand(req)));
    return req;
  };
  for (const el of [material, particles, coverage, seed, dim, protocol])
    el.addEventListener("input", () => read());
  read();

  run.addEventListener("click", async () => {
    const req = read();
    if (!req) return;
    root.dataset.state = "running";
    run.disabled = true;
    out.replaceChildren();
    try {
      // live map: each particle's Li fraction as the protocol runs
      let layout: ElectrodeResult["layout"] | undefined;
      let range: [number, number] = [0, 1];
      let livePanel: HTMLElement | undefined;
      let pending: { x: number[]; time: number; soc: number } | undefined;
      let scheduled = false;
      const draw = () => {
        scheduled = false;
        if (!layout || !pending || !livePanel) return;
        const title = `Li fraction while running: t = ${sig(pending.time / 3600, 3)} h (cell SOC ${sig(100 * pending.soc, 3)} %)`;
        updateSvg(livePanel, particleStateMap(layout, pending.x, range[0], range[1], title));
      };
      const r = await client.run<ElectrodeResult>({ type: "electrode", ...req }, (p) => {
        progress.value = p.fraction;
        setStatus(status, `running… ${p.message}`);
        if (p.layout && p.xRange) {
          layout = p.layout;
          range = p.xRange;
          livePanel = figurePanel("electrode-live", "");
          out.replaceChildren(livePanel);
        }
        if (p.particleX) {
          pending = { x: p.particleX, time: p.time ?? 0, soc: p.soc ?? 0 };
          if (!scheduled) {
            scheduled = true;
            requestAnimationFrame(draw);
          }
        }
      });
      scheduled = true;
      progress.value = 1;
      const S = r.snapshots.samples;
      const P = r.layout.x.length;
      const xAt = (k: number) => Float64Array.from({ length: P }, (_, p) => r.snapshots.meanX[p * S + k]);
      const title = (k: number) =>
        `Li fraction at t = ${sig(r.snapshots.time[k] / 3600, 3)} h (cell SOC ${sig(100 * r.snapshots.soc[k], 3)} %)`;
      const map = figurePanel(
        "electrode-map",
        particleStateMap(r.layout, xAt(0), r.xRange[0], r.xRange[1], title(0)),
      );
      const slider = h("input", {
        type: "range",
        id: "electrode-slider",
        min: 0,
        max: Math.max(0, S - 1),
        value: 0,
        style: "width: 600px",
      });
      const show = () =>
        updateSvg(
          map,
          particleStateMap(
            r.layout,
            xAt(Number(slider.value)),
            r.xRange[0],
            r.xRange[1],
            title(Number(slider.value)),
          ),
        );
      slider.addEventListener("input", show);
      let timer: ReturnType<typeof setInterval> | undefined;
      const play = h("button", { type: "button", id: "electrode-play" }, "Play");
      play.addEventListener("click", () => {
        if (timer) {
          clearInterval(timer);
          timer = undefined;
          play.textContent = "Play";
          return;
        }
        play.textContent = "Pause";
        timer = setInterval(() => {
          const k = (Number(slider.value) + 1) % Math.max(S, 1);
          slider.value = String(k);
          show();
          if (k === S - 1 && timer) {
            clearInterval(timer);
            timer = undefined;
            play.textContent = "Play";
          }
        }, 60);
      });
      const cycles = h(
        "table",
        { class: "table", id: "electrode-cycles" },
        h(
          "tr",
          {},
          ["cycle", "charge [nAh]", "discharge [nAh]", "coulombic efficiency"].map((t) => h("th", {}, t)),
        ),
        r.cycles.map((c) =>
          h(
            "tr",
            {},
            [
              String(c.cycle + 1),
              sig(c.chargeCapacity_mAh * 1e6),
              sig(c.dischargeCapacity_mAh * 1e6),
              c.coulombicEfficiency === null ? "–" : sig(c.coulombicEfficiency, 4),
            ].map((t) => h("td", {}, t)),
          ),
        ),
      );
      const sync = h(
        "table",
        { class: "table", id: "electrode-synchrony" },
        h(
          "tr",
          {},
          ["half-cycle", "direction", "reacted", "onset-SOC IQR", "dispersion"].map((t) => h("th", {}, t)),
        ),
        r.synchrony.map((s) =>
          h(
            "tr",
            {},
            [
              String(s.halfCycle + 1),
              s.direction,
              sig(s.reactedFraction, 3),
              s.onsetSocIqr === null ? "–" : sig(s.onsetSocIqr, 3),
              s.dispersion === null ? "–" : sig(s.dispersion, 3),
            ].map((t) => h("td", {}, t)),
          ),
        ),
      );
      const particleCsv = () => {
        const cols: Record<string, ArrayLike<number>> = { time_s: r.snapshots.time, soc: r.snapshots.soc };
        for (let p = 0; p < P; p++) cols[`x_p${p}`] = r.snapshots.meanX.subarray(p * S, (p + 1) * S);
        return columnsCsv(cols);
      };
      out.replaceChildren(
        h(
          "p",
          {
            id: "electrode-summary",
            "data-synchrony-ratio": String(r.synchronyRatio),
            "data-first-cycle-loss": String(r.firstCycleLoss),
          },
          `synchrony ratio (first-charge onset IQR / later charges) = ${r.synchronyRatio === null ? "–" : sig(r.synchronyRatio, 3)}; first-cycle loss = ${r.firstCycleLoss === null ? "–" : `${sig(100 * r.firstCycleLoss, 3)} %`}`,
        ),
        h("div", {}, map, h("div", {}, slider, " ", play)),
        h("div", { class: "grid" }, cycles, sync),
        h(
          "div",
          { class: "grid" },
          figurePanel("electrode-voltage", r.figures.voltage, {
            time_s: r.series.time,
            voltage_V: r.series.voltage,
            current_A: r.series.current,
          }),
          figurePanel("electrode-traces", r.figures.traces),
          figurePanel("electrode-activation", r.figures.activation),
          figurePanel("electrode-intensity", r.figures.intensity),
        ),
        h(
          "div",
          { class: "downloads" },
          h(
            "button",
            {
              type: "button",
              onclick: () => download("summary.json", JSON.stringify(r.summary, null, 2), "application/json"),
            },
            "summary.json",
          ),
          h(
            "button",
            { type: "button", onclick: () => download("particle_x.csv", particleCsv(), "text/csv") },
            "particle_x.csv",
          ),
        ),
      );
      setStatus(status, `done: ${P} particles, ${S} snapshots, ${r.cycles.length} cycles`, "ok");
      root.dataset.state = "done";
    } catch (e) {
      setStatus(status, (e as Error).message, "error");
      root.dataset.state = "error";
    } finally {
      run.disabled = false;
    }
  });
  return root;
}
