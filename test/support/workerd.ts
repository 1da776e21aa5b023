/** Helpers for the workerd suites: requests through the Worker's own fetch, and sockets. */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";

export const ADMIN = "test-admin-token";

function randomIp(): string {
  const b = crypto.getRandomValues(new Uint8Array(4));
  return `10.${b[1]}.${b[2]}.${b[3]}`;
}

let counter = 0;
/** A market code unique to this test (storage is shared by the tests of one file). */
export function uniqueCode(prefix = "T"): string {
  counter += 1;
  const rand = crypto.getRandomValues(new Uint32Array(1))[0].toString(36).toUpperCase();
  return `${prefix}${counter}${rand}`
    .replace(/[^A-Z0-9]/g, "")
    .slice(0, 12)
    .padEnd(4, "X");
}

export async function api(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
) {
  // A fresh client address per call, so the per-IP limit on anonymous routes does not
  // throttle a suite that makes hundreds of calls; the limits have their own tests.
  const headers: Record<string, string> = { "CF-Connecting-IP": randomIp(), ...(opts.headers ?? {}) };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers["Content-Type"]) headers["Content-Type"] = "application/json";
  const res = await exports.default.fetch(new Request(`http://marketflow.test${path}`, { method, headers, body }));
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, text, headers: res.headers };
}

export const SYMBOLS = [
  { symbol: "ACME", name: "Acme Corp", price: 100, volatility: 0.05, liquidity: 10000, sector: "Industrials" },
  { symbol: "BOLT", name: "Bolt Energy", price: 25.5, volatility: 0.08, liquidity: 5000, sector: "Energy" },
];

/** Creates a market; a long tick keeps the alarm from firing on its own during a test. */
export async function createMarket(
  opts: { code?: string; open?: boolean; tickMs?: number; startingCash?: number; rules?: unknown } = {},
) {
  const code = opts.code ?? uniqueCode();
  const res = await api("POST", "/api/markets", {
    token: ADMIN,
    body: {
      code,
      name: `Market ${code}`,
      startingCash: opts.startingCash ?? 10000,
      tickMs: opts.tickMs ?? 60000,
      seed: 42,
      symbols: SYMBOLS,
      ...(opts.rules ? { rules: opts.rules } : {}),
    },
  });
  expect(res.status, res.text).toBe(201);
  if (opts.open ?? true) {
    const opened = await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "open" } });
    expect(opened.status, opened.text).toBe(200);
  }
  return code;
}

export async function join(code: string, name: string): Promise<{ token: string; id: string }> {
  const res = await api("POST", `/api/markets/${code}/join`, { body: { name } });
  expect(res.status, res.text).toBe(201);
  return { token: res.json.token, id: res.json.player.id };
}

let orderCounter = 0;
export function order(symbol: string, side: "buy" | "sell", qty: number, extra: Record<string, unknown> = {}) {
  orderCounter += 1;
  return { clientOrderId: `c-${orderCounter}-${Date.now()}`, symbol, side, qty, type: "market", ...extra };
}

/** Opens a WebSocket through the Worker and collects every message it receives. */
export async function connect(code: string, token?: string) {
  const url = `http://marketflow.test/api/markets/${code}/ws${token ? `?token=${encodeURIComponent(token)}` : ""}`;
  const res = await exports.default.fetch(
    new Request(url, { headers: { Upgrade: "websocket", "CF-Connecting-IP": randomIp() } }),
  );
  const ws = res.webSocket;
  if (!ws) throw new Error(`no websocket: ${res.status}`);
  const messages: any[] = [];
  const waiters: { pred: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  let closed: { code: number; reason: string } | null = null;
  const closeWaiters: ((c: { code: number; reason: string }) => void)[] = [];
  ws.addEventListener("message", (e) => {
    const msg = e.data === "pong" ? "pong" : JSON.parse(e.data as string);
    messages.push(msg);
    for (const w of [...waiters]) {
      if (w.pred(msg)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    }
  });
  ws.addEventListener("close", (e) => {
    closed = { code: e.code, reason: e.reason };
    for (const w of closeWaiters) w(closed);
  });
  ws.accept();
  return {
    ws,
    messages,
    /** Resolves with the first message (already received or future) that matches. */
    next(pred: (m: any) => boolean, timeoutMs = 30_000): Promise<any> {
      const seen = messages.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("timed out waiting for a message")), timeoutMs);
        waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
    closed(): Promise<{ code: number; reason: string }> {
      if (closed) return Promise.resolve(closed);
      return new Promise((resolve) => closeWaiters.push(resolve));
    },
  };
}

/** The market object of a code, to step its alarm, evict it or look inside it. */
export const stubOf = (code: string) => env.MARKET.get(env.MARKET.idFromName(code));

/**
 * The market's snapshot from the object itself. The public route may answer from the
 * Redis copy, written a moment after each tick; state checks right after an action ask
 * the market.
 */
export async function marketSnapshot(code: string): Promise<any> {
  const result = await env.MARKET.get(env.MARKET.idFromName(code)).snapshot();
  if (!result.ok) throw new Error(result.message);
  return result.snapshot;
}
