/**
 * Fracture page (seed 001): phase-field fracture of a polycrystalline particle during a slow
 * charge; damage and peak stress vs voltage stream in as the load steps run, then the final
 * damage and stress maps (mid-plane).
 */
import { MATERIALS } from "../../../materials/index.js";
import { colorBarSvg } from "../../../report/colormap.js";
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
import { fractureFigures } from "../figures.js";
import type { FractureResult } from "../jobs.js";

/**
 * A colour-mapped slice (RGBA from mechanics/render fieldSlice, viridis over [lo, hi]) with its
 * colour bar (report/colormap, the same map) so the colours can be read as values.
 */
function imageCanvas(
  id: string,
  side: number,
  rgba: Uint8Array,
  title: string,
  scale: { lo: number; hi: number; label: string },
): HTMLElement {
  const canvas = h("canvas", { id, class: "slice", width: side, height: side });
  const ctx = canvas.getContext("2d");
  if (ctx) {
    const img = ctx.createImageData(side, side);
    img.data.set(rgba);
    ctx.putImageData(img, 0, 0);
  }
  const png = h(
    "button",
    {
      type: "button",
      onclick: () => canvas.toBlob((b) => b && download(`${id}.png`, b, "image/png"), "image/png"),
    },
    "PNG",
  );
  const bar = h("div", { class: "colorbar", id: `${id}-colorbar` });
  bar.innerHTML = colorBarSvg({ ...scale, height: 256 });
  return h(
    "div",
    { class: "plane" },
    h("span", {}, title),
    h("div", { class: "slice-with-bar" }, canvas, bar),
    png,
  );
}

export function fracturePage(client: WorkerClient): HTMLElement {
  const material = h(
    "select",
    { id: "fracture-material" },
    Object.keys(MATERIALS).map((m) =>
      h("option", { value: m, ...(m === "NMC811" ? { selected: true } : {}) }, m),
    ),
  );
  const diameter = h("input", { id: "fracture-diameter", value: "14 um", size: 7 });
  const grains = h("input", { id: "fracture-grains", value: "60", size: 5 });
  const cells = h("input", { id: "fracture-cells", value: "48", size: 5 });
  const steps = h("input", { id: "fracture-steps", value: "30", size: 5 });
  const cutoff = h("input", { id: "fracture-cutoff", value: "4.5 V", size: 6 });
  const seed = h("input", { id: "fracture-seed", value: "1", size: 4 });
  const run = h("button", { id: "run-fracture", type: "button" }, "Run fracture");
  const progress = h("progress", { id: "fracture-progress", max: 1, value: 0 });
  const status = statusLine("fracture-status");
  const cli = h("div", {});
  const out = h("div", { id: "fracture-results" });
  const root = h(
    "section",
    { id: "page-fracture", class: "page", "data-state": "idle" },
    h("h2", {}, "Fracture"),
    h(
      "p",
      {},
      "Seed 001 (Parks et al. 2023): Voronoi grains with random c axes, anisotropic lattice strain from a(x), c(x), weaker grain boundaries; AT2 phase-field fracture solved at each load step of a slow charge (plane strain).",
    ),
    h(
      "div",
      { class: "form" },
      h("label", {}, "Material ", material),
      h("label", {}, "Diameter ", diameter),
      h("label", {}, "Grains ", grains),
      h("label", {}, "Cells per side ", cells),
      h("label", {}, "Load steps ", steps),
      h("label", {}, "Cut-off ", cutoff),
      h("label", {}, "Seed ", seed),
      h("div", {}, run, " ", progress),
    ),
    status,
    cli,
    out,
  );
  const command = () =>
    `cathodelab fracture --material ${material.value} --dim 2 --diameter ${shellQuote(diameter.value.replace(/\s+/g, ""))} --grains ${grains.value} --cells ${cells.value} --steps ${steps.value} --cutoff ${shellQuote(cutoff.value.replace(/\s+/g, ""))} --seed ${seed.value} --out fracture-run`;
  const refresh = () => cli.replaceChildren(cliBox(command()));
  for (const el of [material, diameter, grains, cells, steps, cutoff, seed])
    el.addEventListener("input", refresh);
  refresh();
  run.addEventListener("click", async () => {
    root.dataset.state = "running";
    run.disabled = true;
    try {
      const req = {
        type: "fracture" as const,
        material: material.value,
        diameter: parseQuantity(diameter.value, "length", { field: "diameter", positive: true }),
        grains: Number(grains.value),
        cells: Number(cells.value),
        steps: Number(steps.value),
        cutoff: parseQuantity(cutoff.value, "voltage", { field: "cut-off", defaultUnit: "V" }),
        seed: Number(seed.value),
      };
      const live = {
        voltage: [] as number[],
        meanDamage: [] as number[],
        crackedFraction: [] as number[],
        maxPrincipalStress: [] as number[],
      };
      const figs0 = fractureFigures(live);
      const dPanel = figurePanel("fracture-damage", figs0.damage);
      const sPanel = figurePanel("fracture-stress", figs0.stress);
      out.replaceChildren(h("div", { class: "grid" }, dPanel, sPanel));
      let scheduled = false;
      const r = await client.run<FractureResult>(req, (p) => {
        progress.value = p.fraction;
        setStatus(status, `running… ${p.message}`);
        if (p.fractureStep) {
          live.voltage.push(p.fractureStep.voltage);
          live.meanDamage.push(p.fractureStep.meanDamage);
          live.crackedFraction.push(p.fractureStep.crackedFraction);
          live.maxPrincipalStress.push(p.fractureStep.maxPrincipalStress);
          if (!scheduled) {
            scheduled = true;
            requestAnimationFrame(() => {
              scheduled = false;
              const f = fractureFigures(live);
              updateSvg(dPanel, f.damage);
              updateSvg(sPanel, f.stress);
            });
          }
        }
      });
      scheduled = true;
      const curves = {
        voltage: r.steps.map((s) => s.voltage),
        meanDamage: r.steps.map((s) => s.meanDamage),
        crackedFraction: r.steps.map((s) => s.crackedFraction),
        maxPrincipalStress: r.steps.map((s) => s.maxPrincipalStress),
      };
      const figs = fractureFigures(curves);
      const cols = {
        x: r.steps.map((s) => s.x),
        voltage_V: curves.voltage,
        mean_damage: curves.meanDamage,
        cracked_fraction: curves.crackedFraction,
        max_principal_Pa: curves.maxPrincipalStress,
        crack_area_ratio: r.steps.map((s) => s.crackAreaRatio),
        disconnected_grains: r.steps.map((s) => s.disconnectedGrains),
      };
      out.replaceChildren(
        h(
          "p",
          { id: "fracture-summary", "data-steps": r.steps.length },
          r.initiation
            ? `crack initiation at U = ${sig(r.initiation.voltage, 4)} V (x = ${sig(r.initiation.x, 3)}, r/R = ${sig(r.initiation.normalisedRadius, 2)})`
            : "no cell reached the crack threshold",
        ),
        h(
          "div",
          { class: "grid" },
          figurePanel("fracture-damage", figs.damage, cols),
          figurePanel("fracture-stress", figs.stress, cols),
        ),
        h(
          "div",
          { class: "planes" },
          imageCanvas("fracture-damage-map", r.side, r.damageImage, "final damage (mid-plane)", {
            lo: 0,
            hi: 1,
            label: "damage d [-]",
          }),
          imageCanvas("fracture-stress-map", r.side, r.stressImage, "final σ1 (mid-plane)", {
            lo: 0,
            hi: r.stressMax / 1e6,
            label: "σ1 [MPa]",
          }),
        ),
        h(
          "div",
          { class: "downloads" },
          h(
            "button",
            { type: "button", onclick: () => download("steps.csv", columnsCsv(cols), "text/csv") },
            "steps.csv",
          ),
          h(
            "button",
            {
              type: "button",
              onclick: () =>
                download(
                  "summary.json",
                  JSON.stringify(
                    { material: r.material, initiation: r.initiation, length_m: r.length, steps: r.steps },
                    null,
                    2,
                  ),
                  "application/json",
                ),
            },
            "summary.json",
          ),
        ),
      );
      setStatus(status, `done: ${r.steps.length} load steps`, "ok");
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
