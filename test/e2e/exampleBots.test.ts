// The example bots (examples/) run against a real `wrangler dev`: each places and cancels
// a bounded number of orders on a market whose order rate forces 429s, and the test checks
// through the API, with the bot's own player token, that every order was placed with its
// clientOrderId and cancelled, and the cash is whole again. The Python bot runs where
// `python3` exists (skipped with a note otherwise).
import { spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ROOT, startServer, type TestServer } from "../browser/server";

const ORDERS = 5;
const STARTING_CASH = 10_000;

interface Summary {
  bot: string;
  placed: number;
  cancelled: number;
  refused: number;
  rateLimited: number;
  seq: number | null;
}

/** Runs a bot to the end (bounded by `--orders`), and returns its summary line. */
function runBot(command: string, args: string[]): Promise<{ summary: Summary; log: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let log = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (log += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("error", fail);
    child.on("exit", (status) => {
      clearTimeout(timer);
      if (status !== 0) return fail(new Error(`${command} exited ${status}:\n${log}\n${out}`));
      done({ summary: JSON.parse(out.trim().split("\n").at(-1)!), log });
    });
  });
}

const python = spawnSync("python3", ["--version"]).status === 0;
if (!python) console.warn("[e2e] SKIPPED the Python example bot: python3 is not installed here.");

describe.skipIf(!python)("the Python bot's own tests", () => {
  it("python3 -m unittest: the feed follower's seq rules", () => {
    const run = spawnSync("python3", ["-m", "unittest", "discover", "-s", "examples/python"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
  });
});

describe("the example bots against wrangler dev", () => {
  let server: TestServer;
  let code: string;

  beforeAll(async () => {
    server = await startServer();
    code = `BOT${Date.now().toString(36).toUpperCase()}`.slice(0, 12);
    await call(server.base, "/api/markets", {
      method: "POST",
      token: server.adminToken,
      body: {
        code,
        name: "Bots",
        startingCash: STARTING_CASH,
        tickMs: 1000,
        // One order a second with bursts of two: placing and cancelling five orders meets 429s.
        rules: { ordersPerSecond: 1 },
        symbols: [
          { symbol: "ACME", name: "Acme", price: 100 },
          { symbol: "BOLT", name: "Bolt", price: 20 },
        ],
      },
    });
    await call(server.base, `/api/markets/${code}/control`, {
      method: "POST",
      token: server.adminToken,
      body: { action: "open" },
    });
  });
  afterAll(async () => server?.stop());

  /** Joins a player for the bot, runs it with that token, and checks its orders through the API. */
  async function check(name: string, command: string, script: string, extra: string[] = []) {
    const joined = await call<{ token: string }>(server.base, `/api/markets/${code}/join`, {
      method: "POST",
      body: { name },
    });
    const { summary, log } = await runBot(command, [
      ...extra,
      resolve(ROOT, script),
      ...["--base", server.base, "--market", code.toLowerCase(), "--name", name],
      ...["--token", joined.token, "--orders", String(ORDERS)],
    ]);
    expect(summary, log).toMatchObject({ placed: ORDERS, cancelled: ORDERS, refused: 0 });
    expect(summary.rateLimited, `the bot met 429 and waited (${log})`).toBeGreaterThan(0);
    expect(summary.seq).not.toBeNull();

    const { orders } = await call<{ orders: { clientOrderId: string; status: string; limitPrice: number }[] }>(
      server.base,
      `/api/markets/${code}/orders?status=all`,
      { token: joined.token },
    );
    expect(orders).toHaveLength(ORDERS);
    expect(new Set(orders.map((o) => o.clientOrderId)).size).toBe(ORDERS);
    for (const o of orders) {
      expect(o.clientOrderId.startsWith(`${name}-`)).toBe(true);
      expect(o.status).toBe("cancelled");
      // Two decimals, as the document requires (multipleOf 0.01).
      expect(Math.abs(o.limitPrice * 100 - Math.round(o.limitPrice * 100))).toBeLessThan(1e-6);
    }
    const portfolio = await call<{ cash: number; reserved: number }>(server.base, `/api/markets/${code}/portfolio`, {
      token: joined.token,
    });
    expect(portfolio).toMatchObject({ cash: STARTING_CASH, reserved: 0 });
  }

  it("the TypeScript bot on the typed client", async () => {
    await check("ts-bot", process.execPath, "examples/ts/bot.ts", ["--experimental-strip-types", "--no-warnings"]);
  });

  it.skipIf(!python)("the Python bot on the standard library", async () => {
    await check("py-bot", "python3", "examples/python/bot.py");
  });
});
