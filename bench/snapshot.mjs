#!/usr/bin/env node
/**
 * Snapshot reads per second, with and without the Redis cache.
 *
 *   npm run bench:snapshot [-- --seconds 10 --concurrency 64]
 *
 * Starts `wrangler dev` twice on this machine: once without Upstash settings (every read
 * goes to the market object) and once with them (reads come from the copy the tick wrote),
 * each with an open market ticking every 2 s, and hammers GET /api/markets/:code from many
 * simulated client addresses. Needs the Redis bridge (npm run redis:bridge) for the second
 * run: UPSTASH_REDIS_REST_URL / UPSTASH_REDIS_REST_TOKEN, default http://127.0.0.1:8079 / dev-token.
 */
import { parseArgs } from "node:util";
import { startServer } from "../test/browser/server.ts";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "10" }, concurrency: { type: "string", default: "64" } },
});
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const redisUrl = process.env.UPSTASH_REDIS_REST_URL ?? "http://127.0.0.1:8079";
const redisToken = process.env.UPSTASH_REDIS_REST_TOKEN ?? "dev-token";

async function run(label, vars) {
  const server = await startServer({ vars });
  try {
    const headers = { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" };
    const code = `SNAP${Date.now().toString(36).toUpperCase()}`.slice(0, 12);
    const body = {
      code,
      name: "Snapshot bench",
      startingCash: 1000,
      tickMs: 2000,
      symbols: Array.from({ length: 10 }, (_, i) => ({
        symbol: `S${String.fromCharCode(65 + i)}`,
        name: `Stock ${i}`,
        price: 10 + i,
      })),
    };
    await fetch(`${server.base}/api/markets`, { method: "POST", headers, body: JSON.stringify(body) });
    await fetch(`${server.base}/api/markets/${code}/control`, {
      method: "POST",
      headers,
      body: JSON.stringify({ action: "open" }),
    });
    await new Promise((r) => setTimeout(r, 2500)); // let a tick write the cached copy
    let ok = 0,
      fromCache = 0,
      errors = 0,
      ip = 0;
    const deadline = Date.now() + SECONDS * 1000;
    const latencies = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < deadline) {
          ip++;
          const started = performance.now();
          const res = await fetch(`${server.base}/api/markets/${code}`, {
            headers: { "CF-Connecting-IP": `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}` },
          });
          await res.arrayBuffer();
          latencies.push(performance.now() - started);
          if (res.status === 200) ok++;
          else errors++;
          if (res.headers.get("x-snapshot") === "cache") fromCache++;
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const p = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
    return {
      label,
      readsPerSec: Math.round(ok / SECONDS),
      fromCachePct: ok ? Math.round((fromCache / ok) * 100) : 0,
      errors,
      p50ms: Number(p(0.5)),
      p99ms: Number(p(0.99)),
    };
  } finally {
    await server.stop();
  }
}

const results = [await run("without cache (market object)", {})];
results.push(await run("with Redis cache", { UPSTASH_REDIS_REST_URL: redisUrl, UPSTASH_REDIS_REST_TOKEN: redisToken }));
console.log(`\nSnapshot reads, ${SECONDS} s at concurrency ${CONCURRENCY} (wrangler dev on this machine)\n`);
for (const r of results)
  console.log(
    `${r.label.padEnd(32)} ${String(r.readsPerSec).padStart(6)} reads/s  cache ${String(r.fromCachePct).padStart(3)}%  p50 ${r.p50ms} ms  p99 ${r.p99ms} ms  errors ${r.errors}`,
  );
console.log(JSON.stringify({ seconds: SECONDS, concurrency: CONCURRENCY, results }));
