// Clients that vanish without a close frame (a phone app killed, a laptop lid shut) must not
// leave their server sockets behind: workerd lets go of each connection once the market has
// seen it end. Runs against `wrangler dev`, counting workerd's TCP descriptors in /proc.
import { existsSync } from "node:fs";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../browser/server";
import { tcpDescriptors, workerdPids, type TcpDescriptors } from "../support/procSockets";
import { eventually } from "../support/wait";

const CLIENTS = 200;
const onLinux = existsSync("/proc/net/tcp");
if (!onLinux) console.warn("[socket leak] SKIPPED: needs Linux /proc to count workerd's sockets.");

const show = (d: TcpDescriptors) => `${d.tcp} TCP descriptors ${JSON.stringify(d.byState)}`;

/** Opens a socket and resolves once its snapshot has arrived (the market holds it then). */
function openFeed(url: string, i: number): Promise<WebSocket> {
  return new Promise((ok, fail) => {
    const ws = new WebSocket(url, { headers: { "CF-Connecting-IP": `10.9.${i >> 8}.${i & 255}` } });
    ws.once("message", () => ok(ws));
    ws.once("error", fail);
    ws.once("close", (code) => fail(new Error(`socket ${i} closed with ${code} before its snapshot`)));
  });
}

describe.skipIf(!onLinux)("clients that vanish without a close frame", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it(`${CLIENTS} abrupt disconnects: workerd's socket descriptors come back to the baseline`, async () => {
    const code = `LEAK${Date.now().toString(36).toUpperCase()}`.slice(0, 12);
    await call(server.base, "/api/markets", {
      method: "POST",
      token: server.adminToken,
      body: {
        code,
        name: "Leak",
        startingCash: 10_000,
        tickMs: 2000,
        symbols: [{ symbol: "ACME", name: "Acme", price: 50 }],
      },
    });
    await call(server.base, `/api/markets/${code}/control`, {
      method: "POST",
      token: server.adminToken,
      body: { action: "open" },
    });
    const pids = workerdPids(server.pid);
    expect(pids.length).toBeGreaterThan(0);
    const baseline = tcpDescriptors(pids);

    const url = `${server.base.replace("http", "ws")}/api/markets/${code}/ws`;
    const sockets = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => openFeed(url, i)));
    const connected = tcpDescriptors(pids);
    expect(connected.tcp).toBeGreaterThanOrEqual(baseline.tcp + CLIENTS);

    // No close frame: the TCP connection just goes, as when a phone drops off the network.
    await Promise.all(sockets.map((ws) => new Promise((gone) => (ws.once("close", gone), ws.terminate()))));
    const afterDisconnects = tcpDescriptors(pids);
    const disconnectedAt = Date.now();

    const recovered = await eventually(
      () => {
        const now = tcpDescriptors(pids);
        return now.tcp <= baseline.tcp && (now.byState.CLOSE_WAIT ?? 0) <= (baseline.byState.CLOSE_WAIT ?? 0)
          ? now
          : null;
      },
      "workerd to release the sockets of vanished clients",
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; baseline ${show(baseline)}, now ${show(tcpDescriptors(pids))}`);
    });
    console.log(
      `[socket leak] workerd pids ${pids.join(",")}: baseline ${show(baseline)}; ${CLIENTS} connected ${show(connected)}; ` +
        `right after the disconnects ${show(afterDisconnects)}; recovered in ${Date.now() - disconnectedAt} ms: ${show(recovered)}`,
    );
  });
});
