#!/usr/bin/env node
// How many @upstash/redis GETs per second the dev bridge serves on this machine.
//
//   node dev/upstash-bridge-bench.mjs [--seconds 3]
//
// Starts its own bridge on a free port in this process (so the figure includes the
// client and the bridge sharing one Node), in front of REDIS_URL (default
// redis://127.0.0.1:6379), and reads a small value and a snapshot-sized one at a few
// concurrency levels.
import { parseArgs } from "node:util";
import { Redis } from "@upstash/redis";
import { createBridge } from "./upstash-bridge/server.mjs";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "3" } } });
const seconds = Number(values.seconds);
const token = "bench-token";
const bridge = createBridge({ redisUrl: process.env.REDIS_URL || "redis://127.0.0.1:6379", token });
const { port } = await bridge.listen(0);
const client = (enableAutoPipelining) =>
  new Redis({
    url: `http://127.0.0.1:${port}`,
    token,
    enableTelemetry: false,
    automaticDeserialization: false,
    enableAutoPipelining,
  });
let redis = client(false);

// About the size of a public snapshot: 20 symbols and 20 news items.
const snapshot = JSON.stringify({
  t: Date.now(),
  symbols: Array.from({ length: 20 }, (_, i) => ({
    symbol: `SYM${i}`,
    name: `Company ${i}`,
    price: 101.25,
    bid: 101.2,
    ask: 101.3,
    open: 100,
    high: 103,
    low: 99,
    change: 0.0125,
    volume: 12345,
    halted: false,
  })),
  news: Array.from({ length: 20 }, (_, i) => ({
    id: i,
    headline: `Headline number ${i} moves the market`,
    body: "x".repeat(120),
    t: Date.now(),
  })),
});
const expected = { "mf:bench:small": "hello", "mf:bench:snapshot": snapshot };
await redis.set("mf:bench:small", "hello");
await redis.set("mf:bench:snapshot", snapshot);

async function run(key, concurrency) {
  // Let the previous run's sockets settle.
  await new Promise((resolve) => setTimeout(resolve, 200));
  let done = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        const value = await redis.get(key);
        if (value !== expected[key]) throw new Error(`wrong answer for ${key}: ${String(value).slice(0, 40)}`);
        done++;
      }
    }),
  );
  return Math.round(done / seconds);
}

// Warm up the JIT and the connection pool before measuring.
await Promise.all(Array.from({ length: 2000 }, () => redis.get("mf:bench:small")));
console.log(`snapshot value: ${snapshot.length} bytes; ${seconds} s per run`);
// Auto-pipelining is the client's default (also in the Worker): concurrent calls made in
// the same tick go out as one /pipeline request. Off, every GET is its own request.
for (const autoPipelining of [false, true]) {
  redis = client(autoPipelining);
  console.log(
    autoPipelining ? "client auto-pipelining on (the default):" : "one HTTP request per GET (auto-pipelining off):",
  );
  for (const [label, key] of [
    ["small value", "mf:bench:small"],
    ["snapshot", "mf:bench:snapshot"],
  ]) {
    for (const concurrency of [1, 16, 64]) {
      console.log(
        `  ${label.padEnd(12)} concurrency ${String(concurrency).padStart(2)}: ${await run(key, concurrency)} GET/s`,
      );
    }
  }
}
await redis.del("mf:bench:small", "mf:bench:snapshot");
await bridge.close();
