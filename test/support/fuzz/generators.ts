/** fast-check generators for hostile requests: weird values, mutated bodies, every route of the contract. */
import fc from "fast-check";

// ------------------------------------------------------------------ generators

/** Values that break naive parsers and money code. */
export const weird = fc.oneof(
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

export const DELETE = Symbol("delete");

/** A valid template with up to three fields replaced, removed or added. */
export function mutated(template: fc.Arbitrary<Record<string, unknown>>, keys: string[]) {
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

export const symbolish = fc.constantFrom("ACME", "BOLT", "acme", " bolt ", "ZZZ", "A", "ABCDEFGHI", "AC1", "", "ÄCME");

export const orderTemplate = fc.record({
  clientOrderId: fc.constant("$UNIQUE"),
  symbol: fc.constantFrom("ACME", "BOLT", "acme"),
  side: fc.constantFrom("buy", "sell"),
  qty: fc.integer({ min: 1, max: 3 }),
  type: fc.constant("market"),
});
export const limitTemplate = fc.record({
  clientOrderId: fc.constant("$UNIQUE"),
  symbol: fc.constantFrom("ACME", "BOLT"),
  side: fc.constantFrom("buy", "sell"),
  qty: fc.integer({ min: 1, max: 3 }),
  type: fc.constant("limit"),
  limitPrice: fc.constantFrom(1, 20, 60.5, 99.99, 100, 150, 1.234, 0.01),
});
export const createTemplate = fc.record({
  code: fc.constantFrom(undefined, "FUZZ$UNIQ", "ab", "TOOLONGCODE12345"),
  name: fc.constantFrom("Fuzz market", "x"),
  startingCash: fc.constantFrom(1000, 0.01, 1e10),
  tickMs: fc.constantFrom(60000, 250, 249, 60001),
  symbols: fc.constant([{ symbol: "FUZZ", name: "Fuzz", price: 10 }]),
});
export const newsTemplate = fc.record({
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

export type Body = { kind: "none" } | { kind: "raw"; text: string };

export function bodyFrom(template: fc.Arbitrary<Record<string, unknown>>, keys: string[]): fc.Arbitrary<Body> {
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

export const anyBody = bodyFrom(fc.constant({}), ["name"]);

export interface RouteSpec {
  method: string;
  /** Builds the path from the picked parameters. */
  path: (p: Params) => string;
  body?: fc.Arbitrary<Body>;
  /** How often, relative to 1: the money routes get most of the attention. */
  weight?: number;
}

export interface Params {
  code: string;
  symbol: string;
  orderId: string;
  newsId: string;
}

export const ROUTES: RouteSpec[] = [
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

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];

export const headerValue = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((n) => String.fromCharCode(n)), maxLength: 120 }),
  fc.constantFrom("websocket", "application/json", "1.2.3.4", "::1", "https://evil.example", "x".repeat(8000)),
);
export const extraHeaders = fc.dictionary(
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
export const contentType = fc.constantFrom(
  "application/json",
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/vnd.api+json",
  "",
);
export const queryPairs = fc.array(
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
