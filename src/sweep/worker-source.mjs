// Development shim: lets the piscina pool run the TypeScript worker (worker.ts) under tsx, as the
// tests and scripts/cli-dev.ts do. The published package runs the compiled worker.js instead.
import { register } from "tsx/esm/api";

register();
const mod = await import("./worker.ts");
export default mod.default;
