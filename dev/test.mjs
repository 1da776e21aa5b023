#!/usr/bin/env node
/**
 * `npm test`: installs the dependencies if they are missing, builds the web app (the
 * production build: the Worker serves it, and the test pool needs the assets directory)
 * and runs every vitest project. Extra arguments go to vitest, e.g. `npm test -- --project unit`.
 */
import { spawnSync } from "node:child_process";
import { ensureInstalled, ensureModernNode, localBin, root } from "./node.mjs";
import { buildWebApp } from "./web-build.mjs";

ensureModernNode();
ensureInstalled();

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: "inherit", cwd: root, env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

console.log("Building the web app (web/dist, the production build) ...");
const build = buildWebApp();
process.stdout.write(build.output);
if (!build.ok) process.exit(1);
// The browser and end-to-end suites would build it again (test/support/webBuild.ts).
process.env.SKIP_WEB_BUILD = "1";
for (const [name, setting] of [
  ["Postgres history", "DATABASE_URL"],
  ["Redis", "UPSTASH_REDIS_REST_URL"],
]) {
  if (!process.env[setting])
    console.log(`note: ${setting} is not set, so the ${name} suites will be skipped (.ci/run sets it).`);
}
run(localBin("vitest"), ["run", ...process.argv.slice(2)]);
