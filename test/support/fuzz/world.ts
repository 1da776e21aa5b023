/** The fuzz suites' world: a market with players whose books must not move on a refusal, and the ledger check afterwards. */
import type { Answer } from "./requests";
import { SignJWT } from "jose";
import { expect } from "vitest";
import { ADMIN, api, createMarket, join, order } from "../workerd";

export const JWT_SECRET = "test-jwt-secret-at-least-32-characters-long";
export const SECRETS = [ADMIN, JWT_SECRET];

/** One request must answer within this, or it counts as a hang. */
export const ANSWER_TIMEOUT_MS = 10_000;
/** Requests per fast-check run; they go out together, like a crowd would send them. */
export const BATCH = 50;
export const HTTP_RUNS = 210; // 210 x 50 = 10,500 requests

// ------------------------------------------------------------------ the world under attack

export interface World {
  code: string; // the ledger market: its players' books must not move on a refusal
  sandbox: string; // lifecycle controls land here, so a valid "close" cannot end the run
  p1: { token: string; id: string };
  p2: { token: string; id: string };
  /** Every player of the ledger market, P1 first: their books are checked after the run. */
  ledger: { name: string; token: string; id: string }[];
  stranger: { token: string; id: string };
  p1Orders: string[];
  tokens: string[];
}

export async function setupWorld(): Promise<World> {
  // A generous order rate (a market rule), so most order requests reach validation and
  // the engine instead of the per-player limit; the limits have their own tests.
  const code = await createMarket({ rules: { ordersPerSecond: 1000 } });
  const sandbox = await createMarket();
  const other = await createMarket();
  const p1 = await join(code, "Ledger One");
  const p2 = await join(code, "Ledger Two");
  // More players share the load, so the per-player order limit (10/s) leaves plenty of
  // requests to reach validation and the engine.
  const more = [];
  for (const n of ["Three", "Four", "Five", "Six"])
    more.push({ name: `Ledger ${n}`, ...(await join(code, `Ledger ${n}`)) });
  const stranger = await join(other, "Stranger");
  // P1 holds shares, a resting buy and a resting sell: a book worth protecting.
  const buy = await api("POST", `/api/markets/${code}/orders`, { token: p1.token, body: order("ACME", "buy", 20) });
  expect(buy.status, buy.text).toBe(201);
  const restBuy = await api("POST", `/api/markets/${code}/orders`, {
    token: p1.token,
    body: order("BOLT", "buy", 10, { type: "limit", limitPrice: 15 }),
  });
  expect(restBuy.status, restBuy.text).toBe(201);
  const restSell = await api("POST", `/api/markets/${code}/orders`, {
    token: p1.token,
    body: order("ACME", "sell", 5, { type: "limit", limitPrice: 140 }),
  });
  expect(restSell.status, restSell.text).toBe(201);

  const key = new TextEncoder().encode(JWT_SECRET);
  const now = Math.floor(Date.now() / 1000);
  const expired = await new SignJWT({ mkt: code, name: "Ledger One" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(p1.id)
    .setIssuer("marketflow")
    .setIssuedAt(now - 7200)
    .setExpirationTime(now - 3600)
    .sign(key);
  const wrongKey = await new SignJWT({ mkt: code, name: "Ledger One" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(p1.id)
    .setIssuer("marketflow")
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode("not-the-key-not-the-key-not-the-key-!"));
  const noIssuer = await new SignJWT({ mkt: code })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(p1.id)
    .setExpirationTime("1h")
    .sign(key);
  const wrongTypes = await new SignJWT({ mkt: 42, name: { x: 1 } })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("p1")
    .setIssuer("marketflow")
    .setExpirationTime("1h")
    .sign(key);
  const ghost = await new SignJWT({ mkt: code, name: "Ghost" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("p999999")
    .setIssuer("marketflow")
    .setExpirationTime("1h")
    .sign(key);
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  const algNone = `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: p1.id, mkt: code, iss: "marketflow", exp: 9999999999 })}.`;
  const tokens = [
    ADMIN,
    p1.token,
    p2.token,
    ...more.map((m) => m.token),
    stranger.token,
    expired,
    wrongKey,
    noIssuer,
    wrongTypes,
    ghost,
    algNone,
    ADMIN.toUpperCase(),
    `${ADMIN}x`,
    ADMIN.slice(0, -1),
    p1.token.slice(0, -2),
    "a.b.c",
    "..",
    "null",
    "x".repeat(9000),
  ];
  return {
    code,
    sandbox,
    p1,
    p2,
    ledger: [{ name: "P1", ...p1 }, { name: "P2", ...p2 }, ...more],
    stranger,
    p1Orders: [restBuy.json.order.id, restSell.json.order.id, buy.json.order.id],
    tokens,
  };
}

// ------------------------------------------------------------------ the ledger

export interface PlayerBook {
  portfolio: {
    cash: number;
    reserved: number;
    positions: { symbol: string; qty: number; reservedQty: number; avgCost: number }[];
  };
  orders: any[];
  fills: any[];
}

export async function bookOf(code: string, token: string): Promise<PlayerBook> {
  const pf = await api("GET", `/api/markets/${code}/portfolio`, { token });
  const orders = await api("GET", `/api/markets/${code}/orders?status=all`, { token });
  const fills: any[] = [];
  let before: string | null = null;
  do {
    const page = await api("GET", `/api/markets/${code}/fills?limit=500${before ? `&before=${before}` : ""}`, {
      token,
    });
    fills.push(...page.json.fills);
    before = page.json.next;
  } while (before);
  return {
    portfolio: {
      cash: pf.json.cash,
      reserved: pf.json.reserved,
      // Prices, values and ranks move with other players' trades; the holdings must not.
      positions: pf.json.positions.map((p: any) => ({
        symbol: p.symbol,
        qty: p.qty,
        reservedQty: p.reservedQty,
        avgCost: p.avgCost,
      })),
    },
    orders: orders.json.orders,
    fills,
  };
}

/** What accepted (2xx) order requests did, per player token. */
export interface Accepted {
  created: Set<string>;
  cancelled: Set<string>;
}

export function acceptedBy(answers: Answer[], world: World, token: string): Accepted {
  const acc: Accepted = { created: new Set(), cancelled: new Set() };
  const marketPath = `/api/markets/${world.code}/orders`;
  for (const a of answers) {
    if (a.status >= 300 || a.status < 200 || a.token === null || !a.token.includes(token)) continue;
    const path = new URL(a.url).pathname.toUpperCase();
    if (!path.startsWith(marketPath.toUpperCase()) && !path.startsWith(`/API/MARKETS/%20${world.code}/ORDERS`))
      continue;
    const body = JSON.parse(a.text);
    if (!body?.order)
      throw new Error(`2xx without an order: ${a.method} ${a.url} ${a.status} ${a.sent} ${a.text.slice(0, 100)}`);
    if (a.method === "POST") acc.created.add(body.order.id);
    if (a.method === "DELETE") acc.cancelled.add(body.order.id);
  }
  return acc;
}

export const cents = (x: number) => Math.round(x * 100);

/**
 * The ledger after the fuzz equals the one before, except for exactly what accepted
 * requests did: new orders only from accepted placements, changed orders only from
 * accepted placements or cancels, new fills only of accepted orders, and cash and shares
 * that still equal a replay of the player's own fills.
 */
export function ledgerProblems(
  name: string,
  before: PlayerBook,
  after: PlayerBook,
  acc: Accepted,
  startingCash: number,
): string[] {
  const out: string[] = [];
  if (acc.created.size === 0 && acc.cancelled.size === 0) {
    if (JSON.stringify(after) !== JSON.stringify(before))
      out.push(`${name}: the ledger changed although nothing was accepted`);
    return out;
  }
  const beforeOrders = new Map(before.orders.map((o) => [o.id, o]));
  for (const o of after.orders) {
    const was = beforeOrders.get(o.id);
    if (!was && !acc.created.has(o.id)) out.push(`${name}: order ${o.id} appeared without an accepted request`);
    if (was && JSON.stringify(was) !== JSON.stringify(o) && !acc.cancelled.has(o.id))
      out.push(`${name}: order ${o.id} changed without an accepted cancel`);
  }
  const beforeFills = new Set(before.fills.map((f) => f.id));
  for (const f of after.fills) {
    if (!beforeFills.has(f.id) && !acc.created.has(f.orderId))
      out.push(`${name}: fill ${f.id} of order ${f.orderId} without an accepted request`);
  }
  let cash = cents(startingCash);
  const qty: Record<string, number> = {};
  for (const f of after.fills) {
    const value = f.qty * cents(f.price);
    if (f.side === "buy") cash -= value + cents(f.fee);
    else cash += value - cents(f.fee);
    qty[f.symbol] = (qty[f.symbol] ?? 0) + (f.side === "buy" ? f.qty : -f.qty);
  }
  const reserved = after.orders
    .filter((o) => o.side === "buy" && (o.status === "open" || o.status === "partially_filled"))
    .reduce((sum, o) => sum + (o.qty - o.filledQty) * cents(o.limitPrice), 0);
  if (cents(after.portfolio.reserved) !== reserved)
    out.push(`${name}: reserved ${after.portfolio.reserved} but open buys hold ${reserved / 100}`);
  if (cents(after.portfolio.cash) !== cash - reserved)
    out.push(`${name}: cash ${after.portfolio.cash} but the fills say ${(cash - reserved) / 100}`);
  for (const p of after.portfolio.positions)
    if ((qty[p.symbol] ?? 0) !== p.qty) out.push(`${name}: ${p.symbol} ${p.qty} but the fills say ${qty[p.symbol]}`);
  return out;
}
