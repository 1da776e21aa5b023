/**
 * Runs the Worker for the load benchmark without `wrangler dev`'s proxy.
 *
 * `wrangler dev` puts a Node proxy in front of workerd that holds several descriptors per
 * WebSocket; it died at about 3,300 sockets with EMFILE. Here the Worker is bundled
 * exactly as it would be deployed (`wrangler deploy --dry-run --outdir`) and handed to
 * Miniflare directly, so clients talk to workerd's own socket. workerd still holds two
 * descriptors per WebSocket (the socket and a dup of it), so one process fits ~9,950
 * sockets under a limit of 20,000; `shardHost` puts the rest in a second process.
 *
 * The same module serves `npm run bench` (startServer) and can be run on its own:
 *   node bench/load/server.mjs [--port 8799] [--shards K] [--shard-process]
 * which prints the URL and the runtime's pid and keeps running until Ctrl+C.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { descendants, flag } from "../../dev/cli.mjs";

export const ROOT = resolve(import.meta.dirname, "../..");

/** The pids of every workerd process started under this Node process. */
export function runtimePids(parent = process.pid) {
  return descendants(parent)
    .filter((p) => p.comm.startsWith("workerd"))
    .map((p) => p.pid);
}

/** The Worker's name, and the shard host's: the dev registry finds each process by these. */
const MAIN = "marketflow";
const SHARD_HOST = "marketflow-shards";

/**
 * Bundles the Worker and starts it in Miniflare with a fresh SQLite state directory.
 * `vars` are extra Worker settings (BROADCAST_SHARDS, ...).
 *
 * `shardHost: true` starts a second workerd process from the same bundle that hosts the
 * broadcast shard objects, the way Cloudflare runs objects on other machines: one workerd
 * process runs every object on one thread, so shards in the same process cannot send in
 * parallel. The two processes reach each other's objects through Miniflare's dev registry
 * (a shared directory; calls travel over workerd's debug port), so the market's
 * `shardStub(i).deliver()` lands in the shard host and a shard's `feedSnapshot()` in the
 * market, with no code of ours knowing. Clients connect to the process that holds their
 * group (`shardUrl` for groups 1..K-1), as Cloudflare's edge would carry their bytes.
 */
/**
 * @param {{ port?: number, vars?: Record<string, string>, log?: (line: string) => void, inspectorPort?: number, direct?: boolean, shardHost?: boolean }} [options]
 */
export async function startServer({
  port = 0,
  vars = {},
  log = () => {},
  inspectorPort,
  direct = true,
  shardHost = false,
} = {}) {
  const bin = join(ROOT, "node_modules", ".bin", "wrangler");
  const out = mkdtempSync(join(tmpdir(), "marketflow-bench-bundle-"));
  const dirs = [out];
  const tempDir = (prefix) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  // wrangler.toml's [assets] directory must exist to bundle (a fresh clone has no web
  // build); the benchmark needs only /api, so an empty one will do.
  mkdirSync(join(ROOT, "web", "dist"), { recursive: true });
  log(`bundling the Worker into ${out} ...`);
  const built = spawnSync(bin, ["deploy", "--dry-run", "--outdir", out], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (built.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${built.stdout}\n${built.stderr}`);

  const { Miniflare, convertV4MiniflareOptions } = await import(
    join(ROOT, "node_modules", "miniflare", "dist", "src", "index.js")
  );
  const adminToken = `bench-admin-${Math.random().toString(36).slice(2)}`;
  const hasShardClass = /\bBroadcastShard\b/.test(readFileSync(join(out, "index.js"), "utf8"));
  const registry = shardHost ? tempDir("marketflow-bench-registry-") : undefined;
  // Miniflare 5 takes a new option shape; it converts the documented v4 shape for us.
  const options = (name, durableObjects, extra = {}) =>
    convertV4MiniflareOptions({
      name,
      host: "127.0.0.1",
      // The bundle and the drizzle migrations it imports as text ([[rules]] in wrangler.toml).
      modules: [
        { type: "ESModule", path: join(out, "index.js") },
        ...readdirSync(out)
          .filter((f) => f.endsWith(".sql"))
          .map((f) => ({ type: "Text", path: join(out, f) })),
      ],
      modulesRoot: out,
      // A socket straight into the Worker, past Miniflare's own entry worker (a JS proxy that
      // every request would otherwise cross: measured at about half a core at 550 orders/s).
      ...(direct ? { unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }] } : {}),
      compatibilityDate: "2026-11-01",
      compatibilityFlags: ["nodejs_compat"],
      bindings: {
        ENVIRONMENT: "local",
        ADMIN_TOKEN: adminToken,
        JWT_SECRET: `bench-jwt-secret-${"x".repeat(32)}`,
        ...vars,
      },
      durableObjects,
      resourcePersistencePath: tempDir("marketflow-bench-state-"),
      logRequests: false,
      ...(registry ? { unsafeDevRegistryPath: registry } : {}),
      // No [assets]: the benchmark needs only /api.
      ...extra,
    });
  const remote = (scriptName, className) => ({ className, scriptName });

  const instances = [];
  const known = new Set();
  /** Waits for an instance; its URL, and the pid of the workerd it started. */
  const started = async (mf) => {
    instances.push(mf);
    const entryUrl = (await mf.ready).toString().replace(/\/$/, "");
    const pid = runtimePids().find((p) => !known.has(p)) ?? null;
    known.add(pid);
    return { url: direct ? (await mf.unsafeGetDirectURL()).toString().replace(/\/$/, "") : entryUrl, pid };
  };
  let shards = null;
  if (shardHost) {
    if (!hasShardClass) throw new Error("this bundle has no BroadcastShard class");
    shards = await started(
      new Miniflare(
        options(SHARD_HOST, {
          BROADCAST_SHARD: { className: "BroadcastShard", useSQLite: true },
          MARKET: remote(MAIN, "MarketDurableObject"),
          REGISTRY: remote(MAIN, "RegistryDurableObject"),
        }),
      ),
    );
  }
  const main = await started(
    new Miniflare(
      options(
        MAIN,
        {
          MARKET: { className: "MarketDurableObject", useSQLite: true },
          REGISTRY: { className: "RegistryDurableObject", useSQLite: true },
          ...(shardHost
            ? { BROADCAST_SHARD: remote(SHARD_HOST, "BroadcastShard") }
            : hasShardClass
              ? { BROADCAST_SHARD: { className: "BroadcastShard", useSQLite: true } }
              : {}),
        },
        { port, ...(inspectorPort ? { inspectorPort } : {}) },
      ),
    ),
  );
  return {
    url: main.url,
    shardUrl: shards?.url ?? null,
    adminToken,
    // The market's process first, then the shard host's.
    pids: [main.pid, ...(shards ? [shards.pid] : [])],
    async stop() {
      for (const mf of instances.reverse()) await mf.dispose().catch(() => {});
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startServer({
    port: Number(flag("port", 8799)),
    vars: { BROADCAST_SHARDS: String(flag("shards", "0")) },
    shardHost: flag("shard-process", false) !== false,
    log: console.log,
  });
  console.log(
    `url ${server.url}${server.shardUrl ? `\nshard host url ${server.shardUrl}` : ""}\nadmin token ${server.adminToken}\nruntime pids ${server.pids.join(",")}`,
  );
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
