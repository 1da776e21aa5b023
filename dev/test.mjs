#!/usr/bin/env node
/**
 * `npm test`: builds the web app (the Worker serves it, and the test pool needs the
 * assets directory) and runs every vitest project. Extra arguments go to vitest, e.g.
 * `npm test -- --project unit`.
 */
import { spawnSync } from "node:child_process";
import { ensureModernNode, localBin, root } from "./node.mjs";

ensureModernNode();

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: "inherit", cwd: root, env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(localBin("vite"), ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"]);
for (const [name, setting] of [
  ["Postgres history", "DATABASE_URL"],
  ["Redis", "UPSTASH_REDIS_REST_URL"],
]) {
  if (!process.env[setting])
    console.log(`note: ${setting} is not set, so the ${name} suites will be skipped (.ci/run sets it).`);
}
run(localBin("vitest"), ["run", ...process.argv.slice(2)]);
