// Postgres goes away in the middle of trading and comes back: no order fails because of
// it, the outbox holds the history meanwhile, and afterwards every fill is in Postgres
// exactly once. Runs against `wrangler dev` with its own websockify, which it stops.
import { type ChildProcess, spawn } from "node:child_process";
import { createConnection } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../browser/server";

const DATABASE_URL = process.env.DATABASE_URL ?? "";
const PROXY_PORT = 5434; // its own proxy, so stopping it disturbs no other suite
if (!DATABASE_URL) console.warn("[history outage] SKIPPED: DATABASE_URL is not set (and websockify is needed).");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function listening(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = createConnection(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), ok(true)));
    s.once("error", () => ok(false));
  });
}

async function startProxy(): Promise<ChildProcess> {
  const child = spawn("websockify", [`127.0.0.1:${PROXY_PORT}`, "127.0.0.1:5432"], { stdio: "ignore" });
  for (let i = 0; i < 50 && !(await listening(PROXY_PORT)); i++) await sleep(100);
  return child;
}

async function stopProxy(child: ChildProcess): Promise<void> {
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await gone;
}

describe.skipIf(!DATABASE_URL)("history through a Postgres outage", () => {
  let server: TestServer;
  let proxy: ChildProcess;

  beforeAll(async () => {
    proxy = await startProxy();
    server = await startServer({ vars: { DATABASE_URL, PG_WS_PROXY: `127.0.0.1:${PROXY_PORT}` } });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    if (proxy && proxy.exitCode === null) await stopProxy(proxy);
  });

  it("trading goes on while Postgres is away, and every fill lands exactly once after", async () => {
    const admin = server.adminToken;
    const code = `OUT${Date.now().toString(36).toUpperCase()}`.slice(0, 12);
    await call(server.base, "/api/markets", {
      method: "POST",
      token: admin,
      body: {
        code,
        name: "Outage",
        startingCash: 1_000_000,
        tickMs: 500,
        symbols: [
          { symbol: "ACME", name: "Acme", price: 50 },
          { symbol: "BOLT", name: "Bolt", price: 20 },
        ],
      },
    });
    await call(server.base, `/api/markets/${code}/control`, { method: "POST", token: admin, body: { action: "open" } });
    const players = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call<{ token: string }>(server.base, `/api/markets/${code}/join`, {
          method: "POST",
          body: { name: `trader${i}` },
        }),
      ),
    );

    const statuses: number[] = [];
    let trading = true;
    let n = 0;
    const trader = (async () => {
      while (trading) {
        // Each player trades one symbol, buying in one round and selling it back in the next.
        const i = n % players.length;
        const p = players[i];
        const side = Math.floor(n / players.length) % 2 === 0 ? "buy" : "sell";
        const res = await fetch(`${server.base}/api/markets/${code}/orders`, {
          method: "POST",
          headers: { authorization: `Bearer ${p.token}`, "content-type": "application/json" },
          body: JSON.stringify({
            clientOrderId: `o${n}`,
            symbol: i % 2 === 0 ? "BOLT" : "ACME",
            side,
            qty: 2,
            type: "market",
          }),
        });
        statuses.push(res.status);
        n++;
        await sleep(40);
      }
    })();

    await sleep(2500);
    await stopProxy(proxy); // Postgres unreachable from here on
    await sleep(1500);
    const during = await call<{ history: { outboxDepth: number; failures: number; lastError: string | null } }>(
      server.base,
      `/api/markets/${code}/admin`,
      { token: admin },
    );
    await sleep(3500);
    proxy = await startProxy(); // and back
    await sleep(2000);
    trading = false;
    await trader;

    // No order failed because Postgres was away.
    expect(statuses.length).toBeGreaterThan(100);
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
    expect(during.history.outboxDepth).toBeGreaterThan(0);
    expect(during.history.failures).toBeGreaterThan(0);

    // The backlog drains once Postgres answers again (backoff is at most a few seconds here).
    let history = during.history;
    for (let i = 0; i < 120 && (history.outboxDepth > 0 || history.failures > 0); i++) {
      await sleep(500);
      history = (await call<typeof during>(server.base, `/api/markets/${code}/admin`, { token: admin })).history;
    }
    expect(history).toMatchObject({ outboxDepth: 0, failures: 0 });

    const csv = await (
      await fetch(`${server.base}/api/markets/${code}/export/fills.csv`, {
        headers: { authorization: `Bearer ${admin}` },
      })
    ).text();
    const marketFills = csv
      .trim()
      .split("\r\n")
      .slice(1)
      .map((l) => l.split(","))
      .map(([id, , , , , qty, price]) => `${id}:${qty}:${Math.round(Number(price) * 100)}`)
      .sort();
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query("select id, qty, price from fills where market_code = $1", [code]);
      const pgFills = rows.map((r) => `${r.id}:${r.qty}:${r.price}`).sort();
      expect(pgFills.length).toBe(marketFills.length);
      expect(pgFills).toEqual(marketFills);
    } finally {
      await client.end();
    }
  }, 120_000);
});
