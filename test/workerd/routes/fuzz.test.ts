/**
 * Hostile input: fast-check throws well over 10,000 generated requests at every route of
 * the contract, and malformed frames at the WebSocket. Each answer must be a 4xx in the
 * contract's error shape (or a real 2xx when the input happens to be valid), never a
 * 5xx and never a hang; the market must keep ticking afterwards; and the ledger of every
 * player must be exactly as it was, except for what an accepted (2xx) request did.
 */
import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import fc from "fast-check";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { STATUS_OF } from "../../../worker/lib/errors";
import { ADMIN, api, connect, createMarket, join, order, stubOf } from "../../support/workerd";

const JWT_SECRET = "test-jwt-secret-at-least-32-characters-long";
const SECRETS = [ADMIN, JWT_SECRET];

/** One request must answer within this, or it counts as a hang. */
const ANSWER_TIMEOUT_MS = 10_000;
/** Requests per fast-check run; they go out together, like a crowd would send them. */
const BATCH = 50;
const HTTP_RUNS = 210; // 210 x 50 = 10,500 requests

// ------------------------------------------------------------------ the world under attack

interface World {
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

async function setupWorld(): Promise<World> {
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

// ------------------------------------------------------------------ generators

/** Values that break naive parsers and money code. */
const weird = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom<unknown>(
      0,
      -1,
      1,
      -0,
      0.001,
      1.234,
      0.30000000000000004,
      1e308,
      -1e308,
      2 ** 53,
      2 ** 53 + 2,
      2 ** 31,
      2 ** 32,
      1e10,
      1e10 + 0.01,
      1e12,
      1e21,
      Number.MAX_SAFE_INTEGER,
      5e-324,
      "NaN",
      "Infinity",
      "-Infinity",
      "1e308",
      "0x10",
      "1",
      "10.5",
      "",
      " ",
      null,
      true,
      false,
      [],
      {},
      [1],
      { $gt: 0 },
      "__proto__",
      "constructor",
      "buy",
      "sell",
      "market",
      "limit",
      "ACME",
      "open",
      "close",
    ),
  },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "<img src=x onerror=alert(1)>",
      "=cmd|' /C calc'!A0",
      "'; DROP TABLE orders; --",
      "\u0000\u0007\u001b[31m",
      "\u202eevil",
      "🧨".repeat(30),
      "a".repeat(25),
      "é".repeat(5000),
    ),
  },
  { weight: 1, arbitrary: fc.json({ maxDepth: 2 }).map((s) => JSON.parse(s) as unknown) },
);

const DELETE = Symbol("delete");

/** A valid template with up to three fields replaced, removed or added. */
function mutated(template: fc.Arbitrary<Record<string, unknown>>, keys: string[]) {
  const mutation = fc.tuple(
    fc.constantFrom(...keys, "extra", "__proto__", "constructor"),
    fc.oneof(weird, fc.constant<typeof DELETE>(DELETE)),
  );
  return fc.tuple(template, fc.array(mutation, { maxLength: 3 })).map(([base, muts]) => {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of muts) {
      if (v === DELETE) delete out[k];
      else Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  });
}

const symbolish = fc.constantFrom("ACME", "BOLT", "acme", " bolt ", "ZZZ", "A", "ABCDEFGHI", "AC1", "", "ÄCME");

const orderTemplate = fc.record({
  clientOrderId: fc.constant("$UNIQUE"),
  symbol: fc.constantFrom("ACME", "BOLT", "acme"),
  side: fc.constantFrom("buy", "sell"),
  qty: fc.integer({ min: 1, max: 3 }),
  type: fc.constant("market"),
});
const limitTemplate = fc.record({
  clientOrderId: fc.constant("$UNIQUE"),
  symbol: fc.constantFrom("ACME", "BOLT"),
  side: fc.constantFrom("buy", "sell"),
  qty: fc.integer({ min: 1, max: 3 }),
  type: fc.constant("limit"),
  limitPrice: fc.constantFrom(1, 20, 60.5, 99.99, 100, 150, 1.234, 0.01),
});
const createTemplate = fc.record({
  code: fc.constantFrom(undefined, "FUZZ$UNIQ", "ab", "TOOLONGCODE12345"),
  name: fc.constantFrom("Fuzz market", "x"),
  startingCash: fc.constantFrom(1000, 0.01, 1e10),
  tickMs: fc.constantFrom(60000, 250, 249, 60001),
  symbols: fc.constant([{ symbol: "FUZZ", name: "Fuzz", price: 10 }]),
});
const newsTemplate = fc.record({
  headline: fc.constantFrom("Fuzzed headline", "<img src=x onerror=alert(1)>"),
  body: fc.constantFrom("body", ""),
  impacts: fc.constantFrom(
    [],
    [{ symbol: "ACME", move: 0.01 }],
    [{ symbol: "ACME", move: -0.91 }],
    [{ symbol: "NOPE", move: 0.1 }],
  ),
  publishAt: fc.constantFrom(undefined, 9_999_999_999_999, "2099-01-01T00:00:00Z", "yesterday"),
});

type Body = { kind: "none" } | { kind: "raw"; text: string };

function bodyFrom(template: fc.Arbitrary<Record<string, unknown>>, keys: string[]): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 8, arbitrary: mutated(template, keys).map((o): Body => ({ kind: "raw", text: JSON.stringify(o) })) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }).map((text): Body => ({ kind: "raw", text })) },
    {
      weight: 1,
      arbitrary: fc.string({ unit: "grapheme", maxLength: 200 }).map((text): Body => ({ kind: "raw", text })),
    },
    {
      weight: 1,
      arbitrary: mutated(template, keys).chain((o) =>
        fc.nat(JSON.stringify(o).length).map((n): Body => ({ kind: "raw", text: JSON.stringify(o).slice(0, n) })),
      ),
    },
    // Around the 16 KiB limit: just under, at, and over.
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(16 * 1024 - 20, 16 * 1024 - 12, 16 * 1024 - 11, 16 * 1024, 64 * 1024, 300 * 1024)
        .map((n): Body => ({ kind: "raw", text: `{"name":"${"x".repeat(Math.max(0, n - 11))}"}` })),
    },
    // Deep nesting within the size limit.
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(100, 1000, 8000)
        .map((d): Body => ({ kind: "raw", text: "[".repeat(d) + "]".repeat(d) })),
    },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: "none" }) },
  );
}

const anyBody = bodyFrom(fc.constant({}), ["name"]);

interface RouteSpec {
  method: string;
  /** Builds the path from the picked parameters. */
  path: (p: Params) => string;
  body?: fc.Arbitrary<Body>;
  /** How often, relative to 1: the money routes get most of the attention. */
  weight?: number;
}

interface Params {
  code: string;
  symbol: string;
  orderId: string;
  newsId: string;
}

const ROUTES: RouteSpec[] = [
  {
    method: "POST",
    path: () => "/api/markets",
    body: bodyFrom(createTemplate, ["code", "name", "startingCash", "tickMs", "symbols", "seed", "rules"]),
  },
  { method: "GET", path: () => "/api/markets" },
  { method: "GET", path: (p) => `/api/markets/${p.code}` },
  { method: "GET", path: (p) => `/api/markets/${p.code}/admin` },
  // Controls go to the sandbox market (see `pickCode`).
  {
    method: "POST",
    path: (p) => `/api/markets/${p.code}/control`,
    body: bodyFrom(fc.record({ action: fc.constantFrom("open", "pause", "resume", "close", "OPEN", "delete") }), [
      "action",
    ]),
  },
  {
    method: "POST",
    path: (p) => `/api/markets/${p.code}/news`,
    body: bodyFrom(newsTemplate, ["headline", "body", "impacts", "publishAt"]),
  },
  { method: "GET", path: (p) => `/api/markets/${p.code}/news` },
  { method: "DELETE", path: (p) => `/api/markets/${p.code}/news/${p.newsId}` },
  { method: "POST", path: (p) => `/api/markets/${p.code}/symbols/${p.symbol}/halt` },
  { method: "POST", path: (p) => `/api/markets/${p.code}/symbols/${p.symbol}/resume` },
  { method: "GET", path: (p) => `/api/markets/${p.code}/players` },
  { method: "GET", path: (p) => `/api/markets/${p.code}/export/fills.csv` },
  { method: "GET", path: (p) => `/api/markets/${p.code}/export/standings.csv` },
  {
    method: "POST",
    path: (p) => `/api/markets/${p.code}/join`,
    weight: 2,
    body: bodyFrom(fc.record({ name: fc.constantFrom("Fuzzy", "  spaced  ", "<b>bold</b>", "=1+1") }), ["name"]),
  },
  { method: "GET", path: (p) => `/api/markets/${p.code}/portfolio` },
  {
    method: "POST",
    path: (p) => `/api/markets/${p.code}/orders`,
    body: fc.oneof(
      bodyFrom(orderTemplate, ["clientOrderId", "symbol", "side", "qty", "type", "limitPrice"]),
      bodyFrom(limitTemplate, ["clientOrderId", "symbol", "side", "qty", "type", "limitPrice"]),
    ),
    weight: 8,
  },
  { method: "GET", path: (p) => `/api/markets/${p.code}/orders` },
  { method: "DELETE", path: (p) => `/api/markets/${p.code}/orders/${p.orderId}`, weight: 3 },
  { method: "GET", path: (p) => `/api/markets/${p.code}/fills` },
  { method: "GET", path: (p) => `/api/markets/${p.code}/leaderboard` },
  { method: "GET", path: (p) => `/api/markets/${p.code}/candles/${p.symbol}` },
  { method: "GET", path: (p) => `/api/markets/${p.code}/ws` },
  // Feed shards: the sandbox takes the valid ones (the ledger market is open, so they are refused there anyway).
  {
    method: "PUT",
    path: (p) => `/api/markets/${p.code}/feed`,
    body: bodyFrom(fc.record({ broadcastShards: fc.constantFrom(0, 1, 4, 64, 65, -1) }), ["broadcastShards"]),
  },
  { method: "GET", path: () => "/api/openapi.json" },
  { method: "GET", path: () => "/api/health" },
  { method: "GET", path: (p) => `/api/${p.symbol}/${p.orderId}` },
];

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];

const headerValue = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((n) => String.fromCharCode(n)), maxLength: 120 }),
  fc.constantFrom("websocket", "application/json", "1.2.3.4", "::1", "https://evil.example", "x".repeat(8000)),
);
const extraHeaders = fc.dictionary(
  fc.constantFrom(
    "X-Forwarded-For",
    "CF-Connecting-IP",
    "Origin",
    "Cookie",
    "X-Player-Id",
    "Upgrade",
    "Content-Encoding",
    "Accept",
    "X-HTTP-Method-Override",
    "Accept-Language",
    "X-Requested-With",
  ),
  headerValue,
  { maxKeys: 3 },
);
const contentType = fc.constantFrom(
  "application/json",
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/vnd.api+json",
  "",
);
const queryPairs = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom("status", "limit", "before", "interval", "from", "to", "token", "status"),
      fc.string({ maxLength: 8 }),
    ),
    fc.oneof(
      fc.constantFrom(
        "open",
        "all",
        "OPEN",
        "-1",
        "0",
        "1",
        "500",
        "501",
        "NaN",
        "1e308",
        "9007199254740993",
        "1.5",
        "tick",
        "1m",
        "1h",
        "2d",
        "f1",
        "f99999",
        "",
        "%00",
      ),
      weird.map((v) => String(typeof v === "object" ? JSON.stringify(v) : v)),
    ),
  ),
  { maxLength: 3 },
);

interface GenRequest {
  route: number;
  method: string;
  codePick: number;
  symbol: string;
  orderPick: number;
  orderRaw: string;
  newsId: string;
  auth: { kind: "none" } | { kind: "token"; i: number; scheme: string } | { kind: "header"; value: string };
  contentType: string;
  headers: Record<string, string>;
  query: [string, string][];
  body: Body;
}

function requestArb(world: World): fc.Arbitrary<GenRequest> {
  const routeIndex = fc.constantFrom(...ROUTES.flatMap((r, i) => Array<number>(r.weight ?? 1).fill(i)));
  return routeIndex.chain((route) =>
    fc.record({
      route: fc.constant(route),
      method: fc.oneof(
        { weight: 6, arbitrary: fc.constant(ROUTES[route].method) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      codePick: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(15) }),
      symbol: fc.oneof(
        { weight: 3, arbitrary: symbolish },
        { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }) },
      ),
      orderPick: fc.nat(9),
      orderRaw: fc.oneof(
        fc.constantFrom("o1", "o2", "o3", "o999999", "o-1", "o0", "1", "o1.5", "%2e%2e", "o" + "9".repeat(400)),
        fc.string({ unit: "grapheme", maxLength: 20 }),
      ),
      newsId: fc.oneof(fc.constantFrom("n1", "n2", "n999", "n0", "x"), fc.string({ unit: "grapheme", maxLength: 20 })),
      auth: fc.oneof(
        { weight: 2, arbitrary: fc.constant({ kind: "none" as const }) },
        {
          weight: 8,
          arbitrary: fc.record({
            kind: fc.constant("token" as const),
            // The organiser and the two ledger players most often, so valid requests happen too.
            i: fc.oneof(
              { weight: 3, arbitrary: fc.nat(world.ledger.length) },
              { weight: 2, arbitrary: fc.nat(world.tokens.length - 1) },
            ),
            scheme: fc.oneof(
              { weight: 6, arbitrary: fc.constant("Bearer") },
              { weight: 1, arbitrary: fc.constantFrom("bearer", "Basic", "Bearer  ", "", "Token") },
            ),
          }),
        },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant("header" as const), value: headerValue }) },
      ),
      contentType,
      headers: extraHeaders,
      query: queryPairs,
      body: ROUTES[route].body ?? anyBody,
    }),
  );
}

function pickCode(world: World, req: GenRequest): string {
  const route = ROUTES[req.route];
  const path = route.path({ code: "{c}", symbol: "", orderId: "", newsId: "" });
  const ledger = path.endsWith("/control") ? world.sandbox : world.code;
  const codes = [
    ledger,
    ledger,
    ledger,
    ledger,
    ledger,
    ledger,
    ledger.toLowerCase(),
    ` ${ledger}`,
    world.sandbox,
    "NOSUCH99",
    "abc",
    "TOOLONGCODE123",
    "ÄÖÜ1",
    "..",
    "%00ABC",
    "A".repeat(300),
  ];
  return codes[req.codePick % codes.length];
}

function seg(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return "bad%20segment";
  }
}

let uniq = 0;

function buildRequest(world: World, req: GenRequest): Request {
  const route = ROUTES[req.route];
  const realOrders = [...world.p1Orders, "o1", "o2"];
  const orderId = req.orderPick < realOrders.length ? realOrders[req.orderPick] : req.orderRaw;
  let path = route.path({
    code: seg(pickCode(world, req)),
    symbol: seg(req.symbol),
    orderId: seg(orderId),
    newsId: seg(req.newsId),
  });
  if (req.query.length > 0)
    path += `?${new URLSearchParams(req.query.map(([k, v]) => [k, v.replace(/[\uD800-\uDFFF]/g, "?")])).toString()}`;
  // A fresh client address unless the generator picked one, so the per-IP limit on
  // anonymous routes does not turn most of the run into 429s (it has its own tests).
  const headers = new Headers({ "CF-Connecting-IP": `10.9.${(uniq >> 8) & 255}.${uniq & 255}` });
  for (const [k, v] of Object.entries(req.headers)) headers.set(k, v);
  if (req.auth.kind === "token") headers.set("Authorization", `${req.auth.scheme} ${world.tokens[req.auth.i]}`.trim());
  else if (req.auth.kind === "header") headers.set("Authorization", req.auth.value);
  let body: string | undefined;
  uniq += 1;
  if (req.body.kind === "raw" && !["GET", "HEAD"].includes(req.method)) {
    body = req.body.text.replaceAll("$UNIQUE", `fz-${uniq}`).replaceAll("$UNIQ", String(uniq % 100000));
    if (req.contentType) headers.set("Content-Type", req.contentType);
  }
  return new Request(`http://marketflow.test${path}`, { method: req.method, headers, body });
}

// ------------------------------------------------------------------ checking one answer

interface Answer {
  method: string;
  url: string;
  status: number;
  text: string;
  headers: Headers;
  token: string | null;
  socket?: boolean;
  sent?: string;
}

async function send(world: World, gen: GenRequest): Promise<Answer> {
  const request = buildRequest(world, gen);
  const token = request.headers.get("Authorization");
  // workerd turns any request carrying `Upgrade: websocket` into a GET (found by this
  // fuzz: a POST /orders with that header answers the order list), so judge it as one.
  const method =
    request.method !== "HEAD" && request.headers.get("Upgrade")?.toLowerCase() === "websocket" ? "GET" : request.method;
  const described = `${method} ${request.url.slice(0, 200)}`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms: ${described}`)),
      ANSWER_TIMEOUT_MS,
    );
  });
  try {
    const res = await Promise.race([exports.default.fetch(request), timeout]);
    if (res.status === 101) {
      // A random `Upgrade: websocket` header on the feed route: a real socket, closed at once.
      res.webSocket?.accept();
      res.webSocket?.close(1000, "fuzz");
      return {
        method,
        url: request.url,
        status: 101,
        text: "",
        headers: res.headers,
        token,
        socket: Boolean(res.webSocket),
      };
    }
    const text = await Promise.race([res.text(), timeout]);
    return {
      method,
      url: request.url,
      status: res.status,
      text,
      headers: res.headers,
      token,
      sent: JSON.stringify([...request.headers]) + " " + JSON.stringify(gen.body).slice(0, 300),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Problems with one answer, as sentences; empty when it keeps the contract. */
function problemsOf(a: Answer): string[] {
  const out: string[] = [];
  const where = `${a.method} ${a.url.slice(0, 160)} -> ${a.status}`;
  if (a.status >= 500) out.push(`${where}: a server error: ${a.text.slice(0, 200)}`);
  for (const secret of SECRETS) {
    if (a.text.includes(secret)) out.push(`${where}: the body contains a secret`);
    for (const [k, v] of a.headers) if (v.includes(secret)) out.push(`${where}: header ${k} contains a secret`);
  }
  if (a.method === "HEAD") return out;
  if (a.status === 101) {
    if (!a.socket || !new URL(a.url).pathname.toLowerCase().endsWith("/ws"))
      out.push(`${where}: 101 outside the WebSocket route`);
    return out;
  }
  if (a.status >= 200 && a.status < 300) {
    if (a.url.includes(".csv")) {
      if (!(a.headers.get("Content-Type") ?? "").startsWith("text/csv")) out.push(`${where}: CSV without text/csv`);
    } else if (!isJson(a.text)) out.push(`${where}: a 2xx whose body is not JSON`);
    return out;
  }
  if (a.status < 400) {
    out.push(`${where}: unexpected status`);
    return out;
  }
  let body: any;
  try {
    body = JSON.parse(a.text);
  } catch {
    out.push(`${where}: an error that is not JSON: ${a.text.slice(0, 120)}`);
    return out;
  }
  const err = body?.error;
  const keys = Object.keys(body ?? {});
  if (keys.length !== 1 || typeof err !== "object" || typeof err.code !== "string" || typeof err.message !== "string") {
    out.push(`${where}: not the contract's error shape: ${a.text.slice(0, 160)}`);
    return out;
  }
  if (!/^[A-Z_]+$/.test(err.code) || !(err.code in STATUS_OF)) out.push(`${where}: unknown error code ${err.code}`);
  // The WebSocket route answers a plain GET with 426 Upgrade Required and VALIDATION.
  const expected = a.status === 426 && err.code === "VALIDATION" ? 426 : STATUS_OF[err.code as keyof typeof STATUS_OF];
  if (expected !== a.status) out.push(`${where}: code ${err.code} belongs to ${expected}`);
  if (a.status === 429 && !a.headers.get("Retry-After")) out.push(`${where}: 429 without Retry-After`);
  if (/\bat\s+\S+\s+\(|\.ts:\d+/.test(a.text)) out.push(`${where}: looks like a stack trace`);
  return out;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------ the ledger

interface PlayerBook {
  portfolio: {
    cash: number;
    reserved: number;
    positions: { symbol: string; qty: number; reservedQty: number; avgCost: number }[];
  };
  orders: any[];
  fills: any[];
}

async function bookOf(code: string, token: string): Promise<PlayerBook> {
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
interface Accepted {
  created: Set<string>;
  cancelled: Set<string>;
}

function acceptedBy(answers: Answer[], world: World, token: string): Accepted {
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

const cents = (x: number) => Math.round(x * 100);

/**
 * The ledger after the fuzz equals the one before, except for exactly what accepted
 * requests did: new orders only from accepted placements, changed orders only from
 * accepted placements or cancels, new fills only of accepted orders, and cash and shares
 * that still equal a replay of the player's own fills.
 */
function ledgerProblems(
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

// ------------------------------------------------------------------ the suites

describe("fuzzing every route", () => {
  it("10,000+ generated requests: only 4xx in the contract's shape or valid 2xx, no hang, the market still ticks, the ledger moves only by what was accepted", async () => {
    const world = await setupWorld();
    const sock = await connect(world.code, world.p1.token);
    const snap = await sock.next((m) => m.type === "snapshot");
    const booksBefore = await Promise.all(world.ledger.map((p) => bookOf(world.code, p.token)));
    const playersBefore = (await api("GET", `/api/markets/${world.code}/players`, { token: ADMIN })).json.players;

    const answers: Answer[] = [];
    const problems: string[] = [];
    const orderCodes: Record<string, number> = {};
    const statuses: Record<number, number> = {};
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(requestArb(world), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const settled = await Promise.allSettled(batch.map((g) => send(world, g)));
        const got = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
        for (const s of settled) if (s.status === "rejected") problems.push(String(s.reason));
        problems.push(...got.flatMap(problemsOf));
        for (const a of got) {
          statuses[a.status] = (statuses[a.status] ?? 0) + 1;
          if (a.method === "POST" && a.url.includes("/orders") && a.status !== 101) {
            const code = a.status < 300 ? String(a.status) : (JSON.parse(a.text).error.code as string);
            orderCodes[code] = (orderCodes[code] ?? 0) + 1;
          }
          // Keep only what the ledger check needs.
          if (
            a.status < 300 &&
            (a.method === "POST" || a.method === "DELETE") &&
            a.url.toUpperCase().includes("/ORDERS")
          )
            answers.push(a);
        }
        // Collected rather than thrown: fast-check would print the whole batch of 50.
        return problems.length === 0;
      }),
      { numRuns: HTTP_RUNS, endOnFailure: true, reporter: () => undefined },
    );
    expect(problems.slice(0, 20)).toEqual([]);
    const total = Object.values(statuses).reduce((a, b) => a + b, 0);
    const accepted = world.ledger.map((p) => acceptedBy(answers, world, p.token));
    console.log(
      `fuzz: accepted order requests per ledger player (placed/cancelled): ${accepted.map((a) => `${a.created.size}/${a.cancelled.size}`).join(" ")}`,
    );
    console.log(
      `fuzz: ${total} requests in ${Date.now() - started} ms; statuses ${JSON.stringify(statuses)}; order placements ${JSON.stringify(orderCodes)}`,
    );
    expect(total).toBeGreaterThanOrEqual(10_000);

    // The ledger: nothing refused moved anything.
    const booksAfter = await Promise.all(world.ledger.map((p) => bookOf(world.code, p.token)));
    const ledger = world.ledger.flatMap((p, i) =>
      ledgerProblems(p.name, booksBefore[i], booksAfter[i], accepted[i], 10000),
    );
    expect(ledger).toEqual([]);
    // Players who were there before are all still there, with the same names.
    const playersAfter = (await api("GET", `/api/markets/${world.code}/players`, { token: ADMIN })).json.players;
    for (const p of playersBefore) expect(playersAfter.find((q: any) => q.id === p.id)?.name).toBe(p.name);

    // The market keeps its heartbeat: the next tick reaches an old socket with the next seq.
    // From the market itself: the public route may answer from the Redis copy, which is
    // written just after each public message and can trail it by a moment.
    const current = await stubOf(world.code).snapshot();
    if (!current.ok) throw new Error(current.message);
    const seqBefore = current.snapshot.seq;
    expect(seqBefore).toBeGreaterThanOrEqual(snap.seq);
    await runDurableObjectAlarm(stubOf(world.code));
    const tick = await sock.next((m) => m.type === "tick" && m.seq === seqBefore + 1);
    expect(tick.prices.map((p: any) => p.symbol)).toEqual(["ACME", "BOLT"]);
    // And a new client gets a snapshot at that seq.
    const fresh = await connect(world.code);
    expect((await fresh.next((m) => m.type === "snapshot")).seq).toBe(seqBefore + 1);
  }, 90_000);
});

describe("fuzzing the WebSocket", () => {
  // Frames a socket sends before the flood guard (20 per 5 s) would close it.
  const FRAMES_PER_SOCKET = 18;

  const frame = fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 200 }).map((s) => ({ text: s })) },
    { weight: 3, arbitrary: fc.json({ maxDepth: 3 }).map((s) => ({ text: s })) },
    {
      weight: 2,
      arbitrary: mutated(fc.constant({ type: "resync" }), ["type"]).map((o) => ({ text: JSON.stringify(o) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          "ping",
          "PING",
          "ping ",
          "pong",
          '{"type":"resync"}',
          '{"type":"resync","x":1}',
          '{"type":"order"}',
          "null",
          "[]",
          '"resync"',
          "{".repeat(500),
        )
        .map((s) => ({ text: s })),
    },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => ({ binary: b })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(1025, 64 * 1024, 512 * 1024)
        .map((n) => ({ text: `{"type":"resync","pad":"${"x".repeat(n)}"}` })),
    },
    { weight: 1, arbitrary: fc.constantFrom(2048, 256 * 1024).map((n) => ({ binary: new Uint8Array(n).fill(0x7b) })) },
  );

  for (const shards of [0, 4]) {
    it(`random text, binary, huge and wrongly shaped frames get an error or a snapshot; nothing crashes; the market ticks on (${shards ? `${shards} broadcast shards` : "sockets on the market"})`, async () => {
      const code = await createMarket({ open: shards === 0 });
      if (shards > 0) {
        const set = await api("PUT", `/api/markets/${code}/feed`, { token: ADMIN, body: { broadcastShards: shards } });
        expect(set.status, set.text).toBe(200);
        expect(
          (await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "open" } })).status,
        ).toBe(200);
      }
      const p = await join(code, "Frame Fuzzer");
      const watcher = await connect(code);
      const snap = await watcher.next((m) => m.type === "snapshot");
      const bookBefore = await bookOf(code, p.token);
      let frames = 0;
      const problems: string[] = [];
      const closes: Record<string, number> = {};
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(frame, { minLength: 1, maxLength: FRAMES_PER_SOCKET }), { minLength: 4, maxLength: 4 }),
          fc.boolean(),
          async (perSocket, asPlayer) => {
            const settled = await Promise.allSettled(
              perSocket.map(async (list) => {
                const sock = await connect(code, asPlayer ? p.token : undefined);
                await sock.next((m) => m.type === "snapshot");
                for (const f of list) sock.ws.send("text" in f ? f.text : f.binary);
                frames += list.length;
                // Every frame is answered (pong, snapshot or error) unless the socket is closed
                // with a reason; pings are answered by the runtime.
                const deadline = Date.now() + ANSWER_TIMEOUT_MS;
                while (sock.messages.length < list.length + 1) {
                  const closed = await Promise.race([
                    sock.closed(),
                    new Promise((r) => setTimeout(r, 20)).then(() => null),
                  ]);
                  if (closed) {
                    closes[closed.code] = (closes[closed.code] ?? 0) + 1;
                    if (closed.code !== 1009 && (closed.code < 4000 || closed.code > 4999))
                      throw new Error(`closed with ${closed.code} ${closed.reason}`);
                    break;
                  }
                  if (Date.now() > deadline)
                    throw new Error(`only ${sock.messages.length - 1} answers to ${list.length} frames`);
                }
                for (const m of sock.messages) {
                  if (m === "pong") continue;
                  if (!["snapshot", "error"].includes(m.type)) continue;
                  // VALIDATION for a bad frame, RATE_LIMITED for a resync past the socket's share.
                  if (
                    m.type === "error" &&
                    (!["VALIDATION", "RATE_LIMITED"].includes(m.code) || typeof m.message !== "string")
                  )
                    throw new Error(`bad error frame ${JSON.stringify(m)}`);
                }
                sock.ws.close(1000, "done");
              }),
            );
            for (const r of settled) if (r.status === "rejected") problems.push(String(r.reason));
            return problems.length === 0;
          },
        ),
        { numRuns: 30, endOnFailure: true, reporter: () => undefined },
      );
      expect(problems.slice(0, 10)).toEqual([]);
      console.log(`ws fuzz: ${frames} frames in ${Date.now() - started} ms; closes ${JSON.stringify(closes)}`);
      expect(frames).toBeGreaterThan(500);

      // Nothing a frame said touched the books, and the feed goes on in order.
      expect(await bookOf(code, p.token)).toEqual(bookBefore);
      await runDurableObjectAlarm(stubOf(code));
      const tick = await watcher.next((m) => m.type === "tick");
      expect(tick.seq).toBe(snap.seq + 1);
    }, 60_000);
  }

  it("a frame flood past the guard closes that socket with 4008, and only that one", async () => {
    const code = await createMarket();
    const calm = await connect(code);
    const snap = await calm.next((m) => m.type === "snapshot");
    const flooder = await connect(code);
    await flooder.next((m) => m.type === "snapshot");
    // Random junk counts like any other frame: 21 of them within the window is a flood.
    const junk = fc.sample(fc.string({ unit: "grapheme", minLength: 1, maxLength: 50 }), 30);
    for (const j of junk) flooder.ws.send(j === "ping" ? "pingx" : j);
    const closed = await flooder.closed();
    expect(closed.code).toBe(4008);
    expect(closed.reason.length).toBeGreaterThan(0);
    await runDurableObjectAlarm(stubOf(code));
    expect((await calm.next((m) => m.type === "tick")).seq).toBe(snap.seq + 1);
  });
});
