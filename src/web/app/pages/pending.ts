/**
 * Pages whose library modules are not wired into the lab yet (Electrode, Fracture): they say
 * so plainly and show the CLI command that runs the computation today.
 */
import { cliBox, h } from "../dom.js";

export function pendingPage(id: string, title: string, text: string, command: string): HTMLElement {
  return h(
    "section",
    { id: `page-${id}`, class: "page", "data-state": "pending" },
    h("h2", {}, title),
    h("p", {}, text),
    h("p", { class: "status info" }, "Not available in the browser lab yet: use the command-line program."),
    cliBox(command),
  );
}
