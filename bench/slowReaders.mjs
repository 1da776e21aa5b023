#!/usr/bin/env node
/**
 * Slow readers: workerd's memory while sockets that stopped reading keep asking for snapshots.
 *
 *   node bench/slowReaders.mjs [--clients 20] [--seconds 300] [--resyncs 19] [--reading] [--via-entry]
 *
 * Starts the Worker the way the load benchmark does (bench/load/server.mjs: the deployed
 * bundle in Miniflare, clients straight on workerd's socket), opens a market whose snapshot
 * is about 58 KB (20 symbols, 20 news items of 2,000 characters), and connects N clients that
 * pause their TCP reading at once and then send 19 `{"type":"resync"}` frames every 5.1 s,
 * just under the frame limit (20 per 5 s). workerd's RSS is sampled every 10 s and printed
 * as a series, with how each client's socket ended (the clients read again at the end, so
 * they see the close frames the server sent them). `--resyncs 0` makes readers that only
 * stall; `--reading` is the control: the same frames from clients that keep reading.
 * Not part of CI.
 */
import { readFileSync } from "node:fs";
import WebSocket from "ws";
import { flag } from "../dev/cli.mjs";
import { startServer } from "./load/server.mjs";

const CLIENTS = Number(flag("clients", 20));
const SECONDS = Number(flag("seconds", 300));
const SAMPLE_MS = 10_000;
const RESYNCS_PER_BURST = Number(flag("resyncs", 19));
const READING = flag("reading", false) === true;
const BURST_EVERY_MS = 5100;

const rssMiB = (pid) =>
  Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024);

const INSPECTOR_PORT = 9339;
// `--via-entry`: through Miniflare's entry worker, as `wrangler dev` serves, instead of straight on the market's socket.
const VIA_ENTRY = flag("via-entry", false) === true;
const server = await startServer({ log: console.log, inspectorPort: INSPECTOR_PORT, direct: !VIA_ENTRY });
const pid = server.pids[0];

/**
 * The JS heap of the market's isolate, through the inspector (Runtime.getHeapUsage), so a
 * growing RSS can be told apart: the isolate's own objects, or the runtime's native side.
 */
async function jsHeapMiB({ collectFirst = false } = {}) {
  try {
    const targets = await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json`)).json();
    const used = await Promise.all(
      targets.map(
        (t) =>
          new Promise((ok) => {
            const ins = new WebSocket(t.webSocketDebuggerUrl);
            ins.once("open", () => {
              if (collectFirst) ins.send(JSON.stringify({ id: 0, method: "HeapProfiler.collectGarbage" }));
              ins.send(JSON.stringify({ id: 1, method: "Runtime.getHeapUsage" }));
            });
            ins.on("message", (d) => {
              const m = JSON.parse(String(d));
              if (m.id === 1) ok(m.result?.usedSize ?? 0), ins.close();
            });
            ins.once("error", () => ok(0));
          }),
      ),
    );
    return Math.round(used.reduce((a, b) => a + b, 0) / 2 ** 20);
  } catch {
    return null;
  }
}
try {
  const headers = { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" };
  const post = async (path, body) => {
    const res = await fetch(server.url + path, { method: "POST", headers, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path} -> ${res.status}: ${await res.text()}`);
  };
  const code = `SLOW${Date.now().toString(36).toUpperCase()}`.slice(0, 12);
  const symbols = Array.from({ length: 20 }, (_, i) => ({
    symbol: `S${String.fromCharCode(65 + i)}X`,
    name: `Stock ${i}`,
    price: 10 + i,
  }));
  await post("/api/markets", { code, name: "Slow readers", startingCash: 1000, tickMs: 2000, symbols });
  for (let i = 0; i < 20; i++)
    await post(`/api/markets/${code}/news`, { headline: `Item ${i}`, body: "b".repeat(2000), impacts: [] });
  await post(`/api/markets/${code}/control`, { action: "open" });

  const wsUrl = `${server.url.replace("http", "ws")}/api/markets/${code}/ws`;
  const endings = new Map();
  let snapshotBytes = 0;
  const clients = await Promise.all(
    Array.from(
      { length: CLIENTS },
      (_, i) =>
        new Promise((ok, fail) => {
          const ws = new WebSocket(wsUrl, { headers: { "CF-Connecting-IP": `10.8.0.${i + 1}` } });
          ws.once("message", (data) => {
            snapshotBytes = /** @type {Buffer} */ (data).length;
            if (!READING) /** @type {any} */ (ws)._socket.pause(); // stop reading: the server's frames pile up
            ok(ws);
          });
          ws.once("error", fail);
          ws.on("close", (c, reason) => endings.set(i, `${c} ${reason}`));
        }),
    ),
  );
  console.log(
    `${CLIENTS} ${READING ? "reading (control)" : "slow"} clients, ${RESYNCS_PER_BURST} resyncs every ${BURST_EVERY_MS} ms, on ${code}; a snapshot is ${(snapshotBytes / 1024).toFixed(1)} KB; workerd pid ${pid}`,
  );

  const resync = JSON.stringify({ type: "resync" });
  const burst = setInterval(() => {
    for (const ws of clients)
      if (ws.readyState === WebSocket.OPEN) for (let k = 0; k < RESYNCS_PER_BURST; k++) ws.send(resync);
  }, BURST_EVERY_MS);

  const series = [{ s: 0, rssMiB: rssMiB(pid), jsHeapMiB: await jsHeapMiB() }];
  console.log(`t=0 s rss ${series[0].rssMiB} MiB, JS heap ${series[0].jsHeapMiB} MiB`);
  const started = Date.now();
  while (Date.now() - started < SECONDS * 1000) {
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
    const sample = { s: Math.round((Date.now() - started) / 1000), rssMiB: rssMiB(pid), jsHeapMiB: await jsHeapMiB() };
    series.push(sample);
    console.log(`t=${sample.s} s rss ${sample.rssMiB} MiB, JS heap ${sample.jsHeapMiB} MiB`);
  }
  clearInterval(burst);
  // Read again, so each client sees what the server last sent it (a close frame, if any).
  for (const ws of clients) /** @type {any} */ (ws)._socket.resume();
  await new Promise((r) => setTimeout(r, 3000));

  // A full collection, then the heap again: what is still held, not what is merely uncollected.
  const heapAfterGcMiB = await jsHeapMiB({ collectFirst: true });
  await new Promise((r) => setTimeout(r, 1000));
  const rssAfterGcMiB = rssMiB(pid);
  console.log(`after a full GC: JS heap ${heapAfterGcMiB} MiB, rss ${rssAfterGcMiB} MiB`);
  const rss = series.map((p) => p.rssMiB);
  const ended = [...endings.values()].reduce((acc, e) => ((acc[e] = (acc[e] ?? 0) + 1), acc), {});
  const summary = {
    clients: CLIENTS,
    reading: READING,
    resyncsPerBurst: RESYNCS_PER_BURST,
    seconds: SECONDS,
    snapshotKB: Math.round(snapshotBytes / 1024),
    rssStartMiB: rss[0],
    rssPeakMiB: Math.max(...rss),
    rssEndMiB: rss.at(-1),
    jsHeapStartMiB: series[0].jsHeapMiB,
    jsHeapEndMiB: series.at(-1)?.jsHeapMiB,
    heapAfterGcMiB,
    rssAfterGcMiB,
    socketsEnded: ended,
    stillOpen: CLIENTS - endings.size,
  };
  console.log(
    `\nRSS start ${summary.rssStartMiB} MiB, peak ${summary.rssPeakMiB} MiB, end ${summary.rssEndMiB} MiB; sockets ended: ${JSON.stringify(ended)}, still open ${summary.stillOpen}`,
  );
  console.log(JSON.stringify({ ...summary, series }));
  for (const ws of clients) ws.terminate();
} finally {
  await server.stop();
}
