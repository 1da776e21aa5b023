/**
 * Runs the Worker for the load benchmark without `wrangler dev`'s proxy.
 *
 * `wrangler dev` puts a Node proxy in front of workerd that holds several descriptors per
 * WebSocket; it died at about 3,300 sockets with EMFILE. Here the Worker is bundled
 * exactly as it would be deployed (`wrangler deploy --dry-run --outdir`) and handed to
 * Miniflare directly, so clients talk to workerd's own entry socket: one descriptor per
 * WebSocket on the server side.
 *
 * The same module serves `npm run bench` (startServer) and can be run on its own:
 *   node bench/load/server.mjs [--port 8799] [--shards K]
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

/**
 * Bundles the Worker and starts it in Miniflare with a fresh SQLite state directory.
 * `vars` are extra Worker settings (BROADCAST_SHARDS, ...).
 */
export async function startServer({ port = 0, vars = {}, log = () => {}, inspectorPort, direct = true } = {}) {
  const bin = join(ROOT, "node_modules", ".bin", "wrangler");
  const out = mkdtempSync(join(tmpdir(), "marketflow-bench-bundle-"));
  const state = mkdtempSync(join(tmpdir(), "marketflow-bench-state-"));
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

  const { Miniflare, convertV4MiniflareOptions } = await import(join(ROOT, "node_modules", "miniflare", "dist", "src", "index.js"));
  const adminToken = `bench-admin-${Math.random().toString(36).slice(2)}`;
  // Miniflare 5 takes a new option shape; it converts the documented v4 shape for us.
  const mf = new Miniflare(convertV4MiniflareOptions({
    host: "127.0.0.1",
    port,
    ...(inspectorPort ? { inspectorPort } : {}),
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
    durableObjects: {
      MARKET: { className: "MarketDurableObject", useSQLite: true },
      REGISTRY: { className: "RegistryDurableObject", useSQLite: true },
      // Present once the Worker exports the shard class (worker/broadcast/).
      ...(/\bBroadcastShard\b/.test(readFileSync(join(out, "index.js"), "utf8"))
        ? { BROADCAST_SHARD: { className: "BroadcastShard", useSQLite: true } }
        : {}),
    },
    resourcePersistencePath: state,
    logRequests: false,
    // No [assets]: the benchmark needs only /api.
  }));
  const entryUrl = (await mf.ready).toString().replace(/\/$/, "");
  const url = direct ? (await mf.unsafeGetDirectURL()).toString().replace(/\/$/, "") : entryUrl;
  const pids = runtimePids();
  return {
    url,
    adminToken,
    pids,
    async stop() {
      await mf.dispose().catch(() => {});
      rmSync(out, { recursive: true, force: true });
      rmSync(state, { recursive: true, force: true });
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startServer({
    port: Number(flag("port", 8799)),
    vars: { BROADCAST_SHARDS: String(flag("shards", "0")) },
    log: console.log,
  });
  console.log(`url ${server.url}\nadmin token ${server.adminToken}\nruntime pids ${server.pids.join(",")}`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
