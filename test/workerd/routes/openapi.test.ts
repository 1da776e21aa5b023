import { testClock } from "../../support/clock";
import { Validator, type Schema } from "@cfworker/json-schema";
import { uniqueSymbol } from "hono-openapi";
import { beforeAll, describe, expect, it } from "vitest";
import app from "../../../worker/index";
import { anonLimit, marketCode, orderLimit, requireAdmin, requirePlayer } from "../../../worker/routes/context";
import { ADMIN, api, createMarket, join, order } from "../../support/workerd";

type Operation = {
  operationId?: string;
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema?: unknown }> }>;
};
type Document = {
  openapi: string;
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: unknown;
};

const METHODS = ["get", "post", "put", "delete", "patch"];

let doc: Document;
beforeAll(async () => {
  const res = await api("GET", "/api/openapi.json");
  expect(res.status, res.text).toBe(200);
  doc = res.json;
});

function openApiPath(honoPath: string): string {
  return honoPath.replace(/:(\w+)/g, "{$1}");
}

/** Every route the app answers, with the handlers of its chain (middleware of `use()` included). */
function registeredRoutes(): Map<string, unknown[]> {
  const chains = new Map<string, unknown[]>();
  const wildcards = app.routes.filter((r) => r.method === "ALL");
  for (const r of app.routes) {
    if (r.method === "ALL") continue;
    const key = `${r.method.toLowerCase()} ${openApiPath(r.path)}`;
    if (!chains.has(key)) {
      // A use("/prefix/*") handler runs for every route under the prefix.
      const inherited = wildcards.filter(
        (w) => w.path === "*" || r.path === w.path.replace(/\/\*$/, "") || r.path.startsWith(w.path.replace(/\*$/, "")),
      );
      chains.set(
        key,
        inherited.map((w) => w.handler),
      );
    }
    chains.get(key)!.push(r.handler);
  }
  return chains;
}

function documentedOperations(): Map<string, Operation> {
  const ops = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) if (item[method]) ops.set(`${method} ${path}`, item[method]);
  }
  return ops;
}

describe("the OpenAPI document and the routes", () => {
  it("lists exactly the routes the app has registered, no more and no fewer", () => {
    const registered = [...registeredRoutes().keys()].sort();
    const documented = [...documentedOperations().keys()].sort();
    expect(registered.length).toBeGreaterThan(25);
    expect(documented).toEqual(registered);
  });

  it("names a server, and gives every operation a unique operationId, a summary, a tag and a success answer", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers?.[0]?.url).toBe("http://marketflow.test");
    const ids = new Set<string>();
    for (const [where, op] of documentedOperations()) {
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ids.has(op.operationId!), `${where}: operationId ${op.operationId} twice`).toBe(false);
      ids.add(op.operationId!);
      expect(op.summary, where).toBeTruthy();
      expect(
        Object.keys(op.responses).some((s) => /^(2\d\d|101)$/.test(s)),
        `${where}: a success`,
      ).toBe(true);
      for (const [status, response] of Object.entries(op.responses)) {
        for (const [media, content] of Object.entries(response.content ?? {})) {
          expect(content.schema, `${where} ${status} ${media}: a schema`).toBeTruthy();
        }
      }
    }
  });

  it("documents the refusals that each route's middleware can answer with", () => {
    const chains = registeredRoutes();
    for (const [where, op] of documentedOperations()) {
      const chain = chains.get(where)!;
      const has = (mw: unknown) => chain.includes(mw);
      const statuses = Object.keys(op.responses);
      const validates = chain.some(
        (h) => typeof h === "function" && uniqueSymbol in h && "target" in (h as any)[uniqueSymbol],
      );
      expect(statuses, `${where}: 500 INTERNAL`).toContain("500");
      if (!where.startsWith("get ")) expect(statuses, `${where}: 413 from the body limit`).toContain("413");
      if (validates || has(marketCode)) expect(statuses, `${where}: 400 VALIDATION`).toContain("400");
      if (has(requireAdmin) || has(requirePlayer)) {
        expect(statuses, `${where}: 401 and 403 for a token`).toEqual(expect.arrayContaining(["401", "403"]));
        expect(op.security?.length, `${where}: security`).toBe(1);
      } else {
        expect(op.security, `${where}: no security`).toEqual([]);
      }
      if (has(anonLimit) || has(orderLimit) || has(requireAdmin)) {
        expect(op.responses["429"]?.headers, `${where}: 429 with Retry-After`).toHaveProperty("Retry-After");
      }
    }
  });

  it("reads the market code once per request, in the one market router, for every market route", () => {
    for (const [where, chain] of registeredRoutes()) {
      if (!where.includes("/api/markets/{code}")) continue;
      expect(chain.filter((h) => h === marketCode).length, where).toBe(1);
    }
  });

  it("carries the request schemas of the validators", () => {
    const orderBody = doc.paths["/api/markets/{code}/orders"].post.requestBody!.content["application/json"]
      .schema as any;
    expect(orderBody.required).toEqual(expect.arrayContaining(["clientOrderId", "symbol", "side", "qty", "type"]));
    const fillsQuery = doc.paths["/api/markets/{code}/fills"].get
      .parameters!.filter((p) => p.in === "query")
      .map((p) => p.name);
    expect(fillsQuery.sort()).toEqual(["before", "limit"]);
    const codeParam = doc.paths["/api/markets/{code}/fills"].get.parameters!.find((p) => p.in === "path");
    expect(codeParam?.name).toBe("code");
  });
});

type Answer = Awaited<ReturnType<typeof api>>;

/** Calls a route and checks the answer against what the document says of that status. */
async function conforming(method: string, template: string, path: string, opts: Parameters<typeof api>[2] = {}) {
  return expectDocumented(method, template, await api(method, path, opts));
}

function expectDocumented(method: string, template: string, res: Answer): Answer {
  const op = doc.paths[template]?.[method.toLowerCase()];
  expect(op, `${method} ${template} is documented`).toBeDefined();
  const response = op.responses[String(res.status)];
  expect(response, `${method} ${template} documents ${res.status} (${res.text.slice(0, 200)})`).toBeDefined();
  const media = (res.headers.get("Content-Type") ?? "").split(";")[0].trim();
  const content = response.content?.[media];
  expect(content, `${method} ${template} ${res.status} documents ${media}`).toBeDefined();
  if (media === "application/json") {
    const schema = { ...(content!.schema as object), components: doc.components } as Schema;
    const result = new Validator(schema, "2020-12", false).validate(res.json);
    expect(
      result.errors.map((e) => `${e.instanceLocation}: ${e.error}`),
      `${method} ${template} ${res.status}`,
    ).toEqual([]);
  }
  for (const header of Object.keys(response.headers ?? {})) {
    expect(res.headers.get(header), `${method} ${template} ${res.status}: header ${header}`).toBeTruthy();
  }
  return res;
}

describe("real answers match the document's response schemas", () => {
  it("create, join, snapshot, order, portfolio, fills, leaderboard and the organiser's views", async () => {
    const code = "OA" + crypto.getRandomValues(new Uint32Array(1))[0].toString(36).toUpperCase().slice(0, 6);
    const created = await conforming("POST", "/api/markets", "/api/markets", {
      token: ADMIN,
      body: {
        code,
        name: "Docs",
        startingCash: 10000,
        tickMs: 60000,
        seed: 7,
        symbols: [{ symbol: "ACME", name: "Acme", price: 100 }],
      },
    });
    expect(created.status).toBe(201);
    await conforming("GET", "/api/markets", "/api/markets", { token: ADMIN });
    const joined = await conforming("POST", "/api/markets/{code}/join", `/api/markets/${code}/join`, {
      body: { name: "Doc" },
    });
    expect(joined.status).toBe(201);
    const token = joined.json.token;
    expect(
      (
        await conforming("POST", "/api/markets/{code}/control", `/api/markets/${code}/control`, {
          token: ADMIN,
          body: { action: "open" },
        })
      ).status,
    ).toBe(200);
    expect((await conforming("GET", "/api/markets/{code}", `/api/markets/${code}`)).status).toBe(200);

    const market = order("ACME", "buy", 3);
    expect(
      (await conforming("POST", "/api/markets/{code}/orders", `/api/markets/${code}/orders`, { token, body: market }))
        .status,
    ).toBe(201);
    expect(
      (await conforming("POST", "/api/markets/{code}/orders", `/api/markets/${code}/orders`, { token, body: market }))
        .status,
    ).toBe(200);
    const limit = await conforming("POST", "/api/markets/{code}/orders", `/api/markets/${code}/orders`, {
      token,
      body: order("ACME", "buy", 1, { type: "limit", limitPrice: 90 }),
    });
    expect(limit.json.order.limitPrice).toBe(90);
    expect(
      (
        await conforming(
          "DELETE",
          "/api/markets/{code}/orders/{id}",
          `/api/markets/${code}/orders/${limit.json.order.id}`,
          { token },
        )
      ).status,
    ).toBe(200);
    expect(
      (await conforming("GET", "/api/markets/{code}/orders", `/api/markets/${code}/orders?limit=1`, { token })).json
        .next,
    ).not.toBeNull();

    const portfolio = await conforming("GET", "/api/markets/{code}/portfolio", `/api/markets/${code}/portfolio`, {
      token,
    });
    expect(portfolio.json.positions).toHaveLength(1);
    expect(
      (await conforming("GET", "/api/markets/{code}/fills", `/api/markets/${code}/fills`, { token })).json.fills,
    ).toHaveLength(1);
    expect(
      (await conforming("GET", "/api/markets/{code}/leaderboard", `/api/markets/${code}/leaderboard`)).json.leaders,
    ).toHaveLength(1);
    expect(
      (
        await conforming(
          "GET",
          "/api/markets/{code}/candles/{symbol}",
          `/api/markets/${code}/candles/ACME?interval=tick`,
        )
      ).status,
    ).toBe(200);

    expect(
      (await conforming("GET", "/api/markets/{code}/admin", `/api/markets/${code}/admin`, { token: ADMIN })).json.market
        .rules,
    ).toBeDefined();
    expect(
      (await conforming("GET", "/api/markets/{code}/players", `/api/markets/${code}/players`, { token: ADMIN })).status,
    ).toBe(200);
    const news = await conforming("POST", "/api/markets/{code}/news", `/api/markets/${code}/news`, {
      token: ADMIN,
      body: { headline: "Later", impacts: [{ symbol: "ACME", move: 0.1 }], publishAt: testClock().now() + 3_600_000 },
    });
    expect(news.json.news.status).toBe("scheduled");
    expect(
      (await conforming("GET", "/api/markets/{code}/news", `/api/markets/${code}/news`, { token: ADMIN })).json.news,
    ).toHaveLength(1);
    expect(
      (
        await conforming("DELETE", "/api/markets/{code}/news/{id}", `/api/markets/${code}/news/${news.json.news.id}`, {
          token: ADMIN,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await conforming(
          "POST",
          "/api/markets/{code}/symbols/{symbol}/halt",
          `/api/markets/${code}/symbols/acme/halt`,
          { token: ADMIN },
        )
      ).json,
    ).toEqual({ symbol: "ACME", halted: true });
    const csv = await conforming(
      "GET",
      "/api/markets/{code}/export/fills.csv",
      `/api/markets/${code}/export/fills.csv`,
      { token: ADMIN },
    );
    expect(csv.headers.get("Content-Disposition")).toBe(`attachment; filename="${code}-fills.csv"`);
    await conforming("GET", "/api/health", "/api/health");
  });

  it("refusals: 400, 401, 403, 404, 409, 413, 422, 426 and 429 with Retry-After", async () => {
    const code = await createMarket({ rules: { ordersPerSecond: 1 } });
    const p = await join(code, "Ref");
    const orders = `/api/markets/${code}/orders`;
    const template = "/api/markets/{code}/orders";
    expect(
      (await conforming("POST", template, orders, { token: p.token, body: { ...order("ACME", "buy", 1), qty: -1 } }))
        .json.error.details[0].field,
    ).toBe("qty");
    expect((await conforming("GET", "/api/markets/{code}", "/api/markets/ab$")).status).toBe(400);
    expect((await conforming("GET", "/api/markets/{code}/portfolio", `/api/markets/${code}/portfolio`)).status).toBe(
      401,
    );
    expect(
      (await conforming("GET", "/api/markets/{code}/portfolio", `/api/markets/${code}/portfolio`, { token: ADMIN }))
        .status,
    ).toBe(403);
    expect(
      (await conforming("GET", "/api/markets/{code}/players", `/api/markets/${code}/players`, { token: p.token }))
        .status,
    ).toBe(403);
    expect((await conforming("GET", "/api/markets/{code}", "/api/markets/NOSUCH1")).status).toBe(404);
    expect(
      (await conforming("POST", "/api/markets/{code}/join", `/api/markets/${code}/join`, { body: { name: "ref" } }))
        .json.error.code,
    ).toBe("NAME_TAKEN");
    const full = await createMarket({ rules: { maxPlayers: 1 } });
    await join(full, "One");
    expect(
      (await conforming("POST", "/api/markets/{code}/join", `/api/markets/${full}/join`, { body: { name: "Two" } }))
        .json.error.code,
    ).toBe("MARKET_FULL");
    expect(
      (
        await conforming("PUT", "/api/markets/{code}/feed", `/api/markets/${code}/feed`, {
          token: ADMIN,
          body: { broadcastShards: 2 },
        })
      ).json.error.code,
    ).toBe("MARKET_NOT_OPEN");
    expect(
      (await conforming("POST", "/api/markets", "/api/markets", { token: ADMIN, raw: "x".repeat(300_000) })).status,
    ).toBe(413);
    expect((await conforming("GET", "/api/markets/{code}/ws", `/api/markets/${code}/ws`)).status).toBe(426);
    expect(
      (await conforming("POST", template, orders, { token: p.token, body: order("ACME", "buy", 1_000) })).json.error
        .code,
    ).toBe("INSUFFICIENT_FUNDS");
    // This market allows one order a second (a burst of two): ten at once overflow it.
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => api("POST", orders, { token: p.token, body: order("ACME", "buy", 1) })),
    );
    const limited = burst.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    for (const answer of burst) expectDocumented("POST", template, answer);
    expect(Number(limited[0].headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
  });
});
