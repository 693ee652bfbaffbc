/**
 * Entry point of the browser lab: navigation between the pages (hash routes) and the shared
 * worker client. Pages are built on first visit and kept (their state survives navigation).
 */
import { WorkerClient } from "./client.js";
import { h } from "./dom.js";
import { electrodePage } from "./pages/electrode.js";
import { fracturePage } from "./pages/fracture.js";
import { kineticsPage } from "./pages/kinetics.js";
import { particlePage } from "./pages/particle.js";
import { tomographyPage } from "./pages/tomography.js";

const client = new WorkerClient(new URL("worker.js", import.meta.url).href);

const PAGES: { id: string; title: string; build: () => HTMLElement }[] = [
  { id: "particle", title: "Particle", build: () => particlePage(client) },
  { id: "kinetics", title: "Kinetics", build: () => kineticsPage(client) },
  { id: "electrode", title: "Electrode", build: () => electrodePage(client) },
  { id: "tomography", title: "Tomography", build: () => tomographyPage(client) },
  { id: "fracture", title: "Fracture", build: () => fracturePage(client) },
];

const built = new Map<string, HTMLElement>();

function show(): void {
  const id = location.hash.replace(/^#/, "") || "particle";
  const page = PAGES.find((p) => p.id === id) ?? PAGES[0];
  const main = document.getElementById("main")!;
  let el = built.get(page.id);
  if (!el) {
    el = page.build();
    built.set(page.id, el);
    main.append(el);
  }
  for (const [k, v] of built) v.hidden = k !== page.id;
  for (const a of Array.from(document.querySelectorAll<HTMLAnchorElement>("nav a"))) {
    a.classList.toggle("active", a.getAttribute("href") === `#${page.id}`);
  }
  document.title = `${page.title} · cathodelab`;
}

function start(): void {
  const nav = document.getElementById("nav")!;
  nav.replaceChildren(...PAGES.map((p) => h("a", { href: `#${p.id}`, id: `nav-${p.id}` }, p.title)));
  window.addEventListener("hashchange", show);
  show();
  document.body.dataset.ready = "true";
}

start();
