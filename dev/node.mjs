/**
 * What `npm start` and `npm test` need before they can run, on a fresh clone too:
 * - wrangler needs Node >= 22.12. On an older Node, the npm scripts fetch Node 24 from the
 *   npm registry once (into .cache/node24) and re-run themselves with it.
 * - the dependencies: installed with `npm ci` when node_modules is missing or older than
 *   package-lock.json.
 * This module imports nothing but Node's own modules: it runs before anything is installed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, utimesSync } from "node:fs";
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
    execFileSync(
      "npm",
      ["install", "--prefix", dir, "--no-save", "--no-audit", "--no-fund", "--loglevel=error", "node@24"],
      { stdio: "inherit" },
    );
  }
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  const result = spawnSync(join(bin, "node"), process.argv.slice(1), { stdio: "inherit", env });
  process.exit(result.status ?? 1);
}

/** The project's local binaries (vite, wrangler, vitest) by name. */
export function localBin(name) {
  return join(root, "node_modules", ".bin", name);
}

/**
 * Why the installed dependencies cannot be used as they are, or null when they can.
 * npm records what it installed in node_modules/.package-lock.json. A package-lock.json
 * newer than that record is compared by content (a checkout touches files it does not
 * change), so only a real change (a pull that moved a version) asks for a new install.
 */
export function installProblem(dir = root) {
  const record = join(dir, "node_modules", ".package-lock.json");
  if (!existsSync(record))
    return existsSync(join(dir, "node_modules")) ? "node_modules has no npm record of it" : "node_modules is missing";
  const lockPath = join(dir, "package-lock.json");
  if (statSync(lockPath).mtimeMs <= statSync(record).mtimeMs) return null;
  const wanted = JSON.parse(readFileSync(lockPath, "utf8")).packages ?? {};
  const installed = JSON.parse(readFileSync(record, "utf8")).packages ?? {};
  for (const [path, pkg] of Object.entries(wanted)) {
    if (path === "") continue;
    const have = installed[path];
    // Optional packages for other platforms (another OS's workerd or esbuild) are never installed.
    if (!have && pkg.optional) continue;
    if (have?.version !== pkg.version)
      return `package-lock.json wants ${path.replace(/^.*node_modules\//, "")} ${pkg.version}, node_modules has ${have?.version ?? "none"}`;
  }
  const now = new Date();
  utimesSync(record, now, now); // the same content: no need to compare again next time
  return null;
}

/** Installs the dependencies when they are missing or stale, saying so in one line. */
export function ensureInstalled() {
  const problem = installProblem();
  if (!problem) return;
  console.log(`Installing the dependencies with npm ci (${problem}); this takes a minute or two ...`);
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) {
    console.error("npm ci failed (see above); run it by hand to retry.");
    process.exit(result.status ?? 1);
  }
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
  // No telemetry and no fetch of the `Request.cf` sample from workers.cloudflare.com (unreachable offline).
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
  for (const key of WORKER_SETTINGS) delete env[key];
  return { ...env, ...settings };
}
