// Development launcher: runs the CLI from the TypeScript sources (no build needed).
// Usage: npx tsx scripts/cli-dev.ts COMMAND [options]
import { main } from "../src/cli/main.js";

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
