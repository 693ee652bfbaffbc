// Development shim: lets the piscina pool of `cathodelab electrode --sweep` run the TypeScript
// task (sweep-worker.ts) under tsx, as the tests do. The built package runs sweep-worker.js.
import { register } from "tsx/esm/api";

register();
const mod = await import("./sweep-worker.ts");
export default mod.default;
