/**
 * Tomography page: open a TIFF stack, segment it in the worker (Otsu → fill holes → label →
 * region properties → cracks), scroll slices in the three planes with particle and crack
 * overlays, per-particle table and radial crack profiles.
 */
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
import { crackProfileFigure } from "../figures.js";
import type { TomographyResult } from "../jobs.js";

/** Label → overlay colour (golden-angle hues). */
function labelColor(l: number): [number, number, number] {
  const hue = (l * 137.508) % 360;
  const c = 0.8;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const [r, g, b] =
    hue < 60
      ? [c, x, 0]
      : hue < 120
        ? [x, c, 0]
        : hue < 180
          ? [0, c, x]
          : hue < 240
            ? [0, x, c]
            : hue < 300
              ? [x, 0, c]
              : [c, 0, x];
  return [Math.round((r + 0.2) * 255), Math.round((g + 0.2) * 255), Math.round((b + 0.2) * 255)];
}

/** Draw plane `axis` (0: z-slice, 1: y-slice, 2: x-slice) at `index` into a canvas. */
function drawSlice(
  canvas: HTMLCanvasElement,
  r: TomographyResult,
  axis: 0 | 1 | 2,
  index: number,
  showParticles: boolean,
  showCracks: boolean,
): void {
  const [nz, ny, nx] = r.shape;
  const [rows, cols] = axis === 0 ? [ny, nx] : axis === 1 ? [nz, nx] : [nz, ny];
  canvas.width = cols;
  canvas.style.width = `${Math.min(560, Math.max(256, cols))}px`;
  canvas.height = rows;
  const ctx = canvas.getContext("2d")!;
  const img = ctx.createImageData(cols, rows);
  for (let a = 0; a < rows; a++)
    for (let b = 0; b < cols; b++) {
      const i =
        axis === 0
          ? b + nx * (a + ny * index)
          : axis === 1
            ? b + nx * (index + ny * a)
            : index + nx * (b + ny * a);
      const g = r.grey[i];
      let R = g;
      let G = g;
      let B = g;
      const l = r.labels[i];
      if (showParticles && l > 0) {
        const c = labelColor(l);
        R = 0.65 * g + 0.35 * c[0];
        G = 0.65 * g + 0.35 * c[1];
        B = 0.65 * g + 0.35 * c[2];
      }
      if (showCracks && r.cracks[i]) {
        R = 255;
        G = 40;
        B = 40;
      }
      const o = 4 * (a * cols + b);
      img.data[o] = R;
      img.data[o + 1] = G;
      img.data[o + 2] = B;
      img.data[o + 3] = 255;
    }
  ctx.putImageData(img, 0, 0);
}

function viewer(r: TomographyResult): HTMLElement {
  const showParticles = h("input", { type: "checkbox", id: "tomo-show-particles", checked: true });
  const showCracks = h("input", { type: "checkbox", id: "tomo-show-cracks", checked: true });
  const planes: { axis: 0 | 1 | 2; name: string; n: number }[] = [
    { axis: 0, name: "z (x–y plane)", n: r.shape[0] },
    { axis: 1, name: "y (x–z plane)", n: r.shape[1] },
    { axis: 2, name: "x (y–z plane)", n: r.shape[2] },
  ];
  const redraws: (() => void)[] = [];
  const panels = planes.map((p) => {
    const canvas = h("canvas", { class: "slice", id: `tomo-slice-${p.axis}` });
    const slider = h("input", {
      type: "range",
      min: 0,
      max: p.n - 1,
      value: Math.floor(p.n / 2),
      id: `tomo-slider-${p.axis}`,
    });
    const label = h("span", {});
    const redraw = () => {
      const k = Number(slider.value);
      label.textContent = `${p.name}: slice ${k + 1} / ${p.n}`;
      drawSlice(canvas, r, p.axis, k, showParticles.checked, showCracks.checked);
    };
    slider.addEventListener("input", redraw);
    redraws.push(redraw);
    const png = h(
      "button",
      {
        type: "button",
        onclick: () =>
          canvas.toBlob(
            (b) => b && download(`slice-axis${p.axis}-${slider.value}.png`, b, "image/png"),
            "image/png",
          ),
      },
      "PNG",
    );
    return h("div", { class: "plane" }, label, h("div", {}, canvas), slider, png);
  });
  const all = () => {
    for (const f of redraws) f();
  };
  showParticles.addEventListener("change", all);
  showCracks.addEventListener("change", all);
  all();
  return h(
    "div",
    {},
    h(
      "div",
      { class: "form" },
      h("label", {}, showParticles, " particles"),
      h("label", {}, showCracks, " cracks"),
    ),
    h("div", { class: "planes" }, panels),
  );
}

export function tomographyPage(client: WorkerClient): HTMLElement {
  const file = h("input", { id: "tomo-file", type: "file", accept: ".tif,.tiff" });
  const voxel = h("input", { id: "tomo-voxel", size: 10, placeholder: "from the file" });
  const status = statusLine("tomo-status");
  const progress = h("progress", { id: "tomo-progress", max: 1, value: 0 });
  const cli = h("div", {});
  const out = h("div", { id: "tomo-results" });
  const root = h(
    "section",
    { id: "page-tomography", class: "page", "data-state": "idle" },
    h("h2", {}, "Tomography"),
    h(
      "p",
      {},
      "Open a greyscale TIFF stack (bright particles on a dark background). The worker runs the pipeline of `cathodelab tomo analyze`: Otsu threshold, closing, hole filling, watershed split of touching particles (particles under 200 voxels dropped), and dark crack voxels inside each particle with their radial profile.",
    ),
    h(
      "div",
      { class: "dropzone", id: "tomo-drop" },
      "Drop a TIFF stack here or choose one: ",
      file,
      " ",
      progress,
    ),
    h(
      "div",
      { class: "form" },
      h(
        "label",
        {},
        "Voxel size ",
        voxel,
        " (e.g. 0.124 um; empty: the file's ImageJ/resolution metadata; replaces it when given)",
      ),
    ),
    status,
    cli,
    out,
  );
  const voxelArg = () => voxel.value.replace(/\s+/g, "");
  const refresh = (name: string, voxelInFile = true) => {
    const v = voxelArg() ? ` --voxel ${shellQuote(voxelArg())}` : voxelInFile ? "" : " --voxel SIZE";
    cli.replaceChildren(cliBox(`cathodelab tomo analyze ${shellQuote(name)}${v} --out tomo`));
  };
  refresh("STACK.tif");
  let current: File | undefined;
  const open = async (f: File | undefined) => {
    if (!f) return;
    current = f;
    root.dataset.state = "running";
    refresh(f.name);
    out.replaceChildren();
    try {
      const voxelSize = voxelArg()
        ? parseQuantity(voxel.value, "length", { field: "voxel size", positive: true })
        : undefined;
      const bytes = await readUpload(f);
      setStatus(status, `analysing ${f.name}…`);
      const r = await client.run<TomographyResult>(
        { type: "tomography", name: f.name, bytes, voxelSize },
        (p) => {
          progress.value = p.fraction;
          setStatus(status, `analysing ${f.name}… ${p.message}`);
        },
        [bytes.buffer],
      );
      refresh(f.name, r.spacingFromFile);
      // lengths in µm when the voxel size is known (field or file), else in voxels
      const known = r.spacingSource !== "none";
      const L = known ? 1e6 : 1;
      const lu = known ? "µm" : "vox";
      const um = (v: number) => sig(v * L, 4);
      const rows = r.particles.map((p) => ({
        label: p.label,
        voxels: p.voxels,
        [`volume_${known ? "um3" : "voxels"}`]: p.volume * L ** 3,
        [`equivalent_diameter_${known ? "um" : "voxels"}`]: p.equivalentDiameter * L,
        [`centroid_z_${known ? "um" : "voxels"}`]: p.centroid[0] * L,
        [`centroid_y_${known ? "um" : "voxels"}`]: p.centroid[1] * L,
        [`centroid_x_${known ? "um" : "voxels"}`]: p.centroid[2] * L,
        mean_intensity: p.meanIntensity,
        crack_voxels: p.crackVoxels,
        crack_fraction: p.crackVolumeFraction,
      }));
      const TABLE_ROWS = 500;
      const columns: Record<string, number[]> = {};
      for (const k of Object.keys(rows[0] ?? { label: 0 }))
        columns[k] = rows.map((row) => (row as Record<string, number>)[k]);
      const um1 = (m: number) => sig(m * 1e6, 4);
      const unit =
        r.spacingSource === "none"
          ? " (voxel size not in the file and not given: sizes are in voxels; enter the voxel size above)"
          : `, voxel ${r.spacing.map(um1).join(" × ")} µm (${r.spacingSource === "file" ? "from the file" : "as entered"})`;
      out.replaceChildren(
        h(
          "p",
          { id: "tomo-count", "data-count": r.particles.length },
          `${r.particles.length} particles in ${r.shape[2]}×${r.shape[1]}×${r.shape[0]} voxels (x×y×z), Otsu threshold ${sig(r.threshold, 4)}${unit}`,
        ),
        viewer(r),
        h(
          "table",
          { class: "table", id: "tomo-table" },
          h(
            "tr",
            {},
            [
              "label",
              "voxels",
              `volume [${lu}³]`,
              `d_eq [${lu}]`,
              `centroid z, y, x [${lu}]`,
              "mean grey",
              "crack voxels",
              "crack fraction",
            ].map((t) => h("th", {}, t)),
          ),
          r.particles.slice(0, TABLE_ROWS).map((p) =>
            h(
              "tr",
              {},
              [
                String(p.label),
                String(p.voxels),
                sig(p.volume * L ** 3, 4),
                um(p.equivalentDiameter),
                p.centroid.map(um).join(", "),
                sig(p.meanIntensity, 4),
                String(p.crackVoxels),
                sig(p.crackVolumeFraction, 3),
              ].map((c) => h("td", {}, c)),
            ),
          ),
        ),
        ...(r.particles.length > TABLE_ROWS
          ? [h("p", {}, `first ${TABLE_ROWS} of ${r.particles.length} particles shown; all in particles.csv`)]
          : []),
        figurePanel(
          "tomo-crack-profile",
          crackProfileFigure(
            r.particles.map((p) => ({
              label: p.label,
              depth: p.radialDepth,
              fraction: p.radialCrackFraction,
            })),
          ),
        ),
        h(
          "div",
          { class: "downloads" },
          h(
            "button",
            { type: "button", onclick: () => download("particles.csv", columnsCsv(columns), "text/csv") },
            "particles.csv",
          ),
          h(
            "button",
            {
              type: "button",
              onclick: () =>
                download(
                  "particles.json",
                  JSON.stringify(
                    {
                      file: r.name,
                      shape: r.shape,
                      spacing_m: r.spacing,
                      threshold: r.threshold,
                      particles: r.particles,
                    },
                    null,
                    2,
                  ),
                  "application/json",
                ),
            },
            "particles.json",
          ),
        ),
      );
      progress.value = 1;
      setStatus(status, `analysed ${f.name}`, "ok");
      root.dataset.state = "done";
    } catch (e) {
      setStatus(status, (e as Error).message, "error");
      root.dataset.state = "error";
    }
  };
  file.addEventListener("change", () => open(file.files?.[0]));
  voxel.addEventListener("input", () => refresh(current?.name ?? "STACK.tif"));
  voxel.addEventListener("change", () => open(current));
  const drop = root.querySelector("#tomo-drop")!;
  drop.addEventListener("dragover", (e) => e.preventDefault());
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    open((e as DragEvent).dataTransfer?.files?.[0]);
  });
  return root;
}
