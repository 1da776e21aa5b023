/**
 * The web app's production build into web/dist: what `npm run build` makes and deploys.
 * `npm start`, `npm test` and the browser and end-to-end suites all build it here, so
 * every test runs against the build that ships and web/dist never holds another one.
 */
import { spawnSync } from "node:child_process";
import { localBin, root } from "./node.mjs";

/**
 * Runs `vite build` with NODE_ENV=production. Vite keeps a NODE_ENV it inherits, and
 * vitest sets NODE_ENV=test, which would make a development build (Solid's dev runtime,
 * lightweight-charts.development.js at twice the size) from inside a test run.
 * Returns whether it built and what it printed (warnings only, when it built).
 */
export function buildWebApp() {
  const result = spawnSync(localBin("vite"), ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "production" },
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}`;
  return { ok: result.status === 0, output };
}
