/**
 * Global setup of the browser and end-to-end projects: the web app's production build
 * (dev/web-build.mjs, what `npm run build` deploys) into web/dist, once per run, before any
 * suite starts `wrangler dev` on it. `npm test` has built it already and says so with
 * SKIP_WEB_BUILD=1; a run of one project or file (`npx vitest run --project browser`) builds here.
 */
import { buildWebApp } from "../../dev/web-build.mjs";

export default function setup(): void {
  if (process.env.SKIP_WEB_BUILD) return;
  const build = buildWebApp();
  if (!build.ok) throw new Error(`The web build failed:\n${build.output}`);
  // Both projects name this setup; the second has nothing left to do.
  process.env.SKIP_WEB_BUILD = "1";
}
