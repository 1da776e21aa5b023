/**
 * wrangler needs Node >= 22.12. On an older Node, the npm scripts fetch Node 24 from the
 * npm registry once (into .cache/node24) and re-run themselves with it, so `npm start`
 * and `npm test` work on a machine that only has an older Node.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function isModern(version) {
  const [major, minor] = version.replace(/^v/, "").split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 12);
}

/** Returns only when running on a modern Node; otherwise re-runs this script and exits. */
export function ensureModernNode() {
  if (isModern(process.version)) return;
  const dir = join(root, ".cache", "node24");
  const bin = join(dir, "node_modules", ".bin");
  if (!existsSync(join(bin, "node"))) {
    console.log(
      `Node ${process.version} is older than 22.12 (wrangler needs it); fetching Node 24 from the npm registry into .cache/node24 ...`,
    );
    execFileSync("npm", ["install", "--prefix", dir, "--no-save", "--no-audit", "--no-fund", "node@24"], {
      stdio: "inherit",
    });
  }
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  const result = spawnSync(join(bin, "node"), process.argv.slice(1), { stdio: "inherit", env });
  process.exit(result.status ?? 1);
}

/** The project's local binaries (vite, wrangler, vitest) by name. */
export function localBin(name) {
  return join(root, "node_modules", ".bin", name);
}

/** The Worker's settings that wrangler.toml names ([vars] and [secrets]). */
export const WORKER_SETTINGS = [
  "ADMIN_TOKEN",
  "JWT_SECRET",
  "DATABASE_URL",
  "PG_WS_PROXY",
  "UPSTASH_REDIS_REST_URL",
  "UPSTASH_REDIS_REST_TOKEN",
];

/**
 * The environment for a `wrangler dev` that a test or script starts with settings of its
 * own. With [secrets] declared, wrangler dev reads the Worker's settings from process.env
 * (when there is no .dev.vars), so this one's are removed: a CI run's DATABASE_URL must not
 * turn on history in a server that did not ask for it. The given settings are put in
 * instead, which also keeps wrangler from warning that the required secrets are missing.
 * @param {Record<string, string>} settings
 */
export function wranglerDevEnv(settings) {
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };
  for (const key of WORKER_SETTINGS) delete env[key];
  return { ...env, ...settings };
}
