/**
 * Security properties an operator would notice: the organiser token, the signing key and
 * the service credentials never leave the Worker, a Worker without secrets refuses to
 * serve, and the feed refuses a bad token with a close code and a reason.
 */
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import app from "../../../worker/index";
import { ADMIN, api, connect, createMarket, join, order } from "../../support/workerd";
import { algNone, JWT_SECRET, tokenFor } from "../../support/tokens";

describe("the organiser token and the signing key never leave the Worker", () => {
  const logged: string[] = [];
  afterEach(() => vi.restoreAllMocks());

  function spyConsole() {
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(
          args
            .map((a) =>
              a instanceof Error ? `${a.message} ${a.stack}` : typeof a === "string" ? a : JSON.stringify(a),
            )
            .join(" "),
        );
      });
    }
  }

  /** The secret as it could appear: raw, base64, base64url, hex. */
  function encodings(secret: string): string[] {
    const bytes = new TextEncoder().encode(secret);
    const b64 = btoa(String.fromCharCode(...bytes));
    return [
      secret,
      b64,
      b64.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_"),
      [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(""),
    ];
  }

  it("no response body, header or log line across a sweep of every route, token and error carries either secret", async () => {
    spyConsole();
    const code = await createMarket();
    const other = await createMarket();
    const ann = await join(code, "Ann");
    const stranger = await join(other, "Sam");
    const placed = await api("POST", `/api/markets/${code}/orders`, {
      token: ann.token,
      body: order("ACME", "buy", 2, { type: "limit", limitPrice: 90 }),
    });
    const tokens = [
      undefined,
      ADMIN,
      ann.token,
      stranger.token,
      await tokenFor({ sub: ann.id, mkt: code }, { expired: true }),
      await tokenFor({ sub: ann.id, mkt: code }, { key: "wrong-key-wrong-key-wrong-key-wrong" }),
      algNone({ sub: ann.id, mkt: code }),
      `${ADMIN}0`,
    ];
    const routes: [string, string, unknown?][] = [
      [
        "POST",
        "/api/markets",
        { name: "Sweep", startingCash: 100, symbols: [{ symbol: "SWP", name: "Sweep", price: 1 }] },
      ],
      ["POST", "/api/markets", { bad: true }],
      ["GET", "/api/markets"],
      ["GET", `/api/markets/${code}`],
      ["GET", `/api/markets/${code}/admin`],
      ["POST", `/api/markets/${code}/control`, { action: "explode" }],
      ["POST", `/api/markets/${code}/news`, { headline: "Sweep", impacts: [] }],
      ["GET", `/api/markets/${code}/news`],
      ["DELETE", `/api/markets/${code}/news/n999`],
      ["PATCH", `/api/markets/${code}/news/n999`, { headline: "Sweep" }],
      ["PATCH", `/api/markets/${code}`, { rules: { maxOrderQty: 5000 } }],
      ["PATCH", `/api/markets/${code}`, { rules: { feeRate: 0.01 } }],
      ["GET", `/api/markets/${code}/scenario`],
      ["POST", "/api/scenarios/check", { format: "marketflow.scenario" }],
      ["POST", `/api/markets/${code}/symbols/ACME/halt`],
      ["POST", `/api/markets/${code}/symbols/ACME/resume`],
      ["GET", `/api/markets/${code}/players`],
      ["GET", `/api/markets/${code}/export/fills.csv`],
      ["GET", `/api/markets/${code}/export/standings.csv`],
      ["POST", `/api/markets/${code}/join`, { name: "Sweeper" }],
      ["POST", `/api/markets/${code}/join`, { name: "" }],
      ["GET", `/api/markets/${code}/portfolio`],
      ["POST", `/api/markets/${code}/orders`, order("ACME", "buy", 1)],
      ["POST", `/api/markets/${code}/orders`, order("ACME", "buy", 1e9)],
      ["GET", `/api/markets/${code}/orders?status=all`],
      ["DELETE", `/api/markets/${code}/orders/${placed.json.order.id}`],
      ["GET", `/api/markets/${code}/fills?limit=0`],
      ["GET", `/api/markets/${code}/leaderboard`],
      ["GET", `/api/markets/${code}/candles/ACME?interval=nope`],
      ["GET", `/api/markets/${code}/ws`],
      ["GET", "/api/markets/NOSUCH1/portfolio"],
      ["GET", "/api/openapi.json"],
      ["GET", "/api/archive/markets"],
      ["GET", "/api/nowhere"],
    ];
    const answers = [];
    for (const token of tokens) {
      for (const [method, path, body] of routes) {
        const a = await api(method, path, { token, body });
        answers.push({ where: `${method} ${path} as ${token ? token.slice(0, 12) : "anonymous"}`, ...a });
      }
      answers.push({
        where: "malformed JSON",
        ...(await api("POST", `/api/markets/${code}/orders`, { token, raw: "{" })),
      });
      answers.push({
        where: "oversized body",
        ...(await api("POST", "/api/markets", { token, raw: "x".repeat(300_000) })),
      });
    }
    expect(answers.length).toBeGreaterThan(200);
    // The sweep reached real successes and real errors alike.
    expect(answers.some((a) => a.status === 201)).toBe(true);
    expect([...new Set(answers.map((a) => a.status))]).toEqual(
      expect.arrayContaining([200, 201, 400, 401, 403, 404, 413]),
    );
    for (const secret of [...encodings(ADMIN), ...encodings(JWT_SECRET)]) {
      for (const a of answers) {
        expect(a.text.includes(secret), `${a.where}: body`).toBe(false);
        for (const [k, v] of a.headers) expect(v.includes(secret), `${a.where}: header ${k}`).toBe(false);
      }
      for (const line of logged) expect(line.includes(secret), `log: ${line.slice(0, 100)}`).toBe(false);
    }
    // A player's own token is handed out once, at join, and never shown to anyone else.
    for (const a of answers) expect(a.text.includes(ann.token), a.where).toBe(false);
  });

  it("player tokens carry no secret: the payload is market, player, name, limits and times only", async () => {
    const code = await createMarket();
    const p = await join(code, "Tess");
    const [header, payload] = p.token
      .split(".")
      .slice(0, 2)
      .map((part) =>
        JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/") + "==".slice(0, (4 - (part.length % 4)) % 4))),
      );
    expect(header.alg).toBe("HS256");
    expect(Object.keys(payload).sort()).toEqual(expect.arrayContaining(["exp", "iat", "iss", "mkt", "sub"]));
    for (const key of Object.keys(payload)) expect(["exp", "iat", "iss", "mkt", "sub", "name", "ops"]).toContain(key);
  });

  it("a Worker missing ADMIN_TOKEN or JWT_SECRET (or with a weak one) refuses with INTERNAL, echoes no secret, and changes nothing", async () => {
    spyConsole();
    const code = await createMarket();
    const p = await join(code, "Resi");
    const before = (await api("GET", `/api/markets/${code}/players`, { token: ADMIN })).json.players.length;
    const broken: [string, Record<string, string | undefined>][] = [
      ["no ADMIN_TOKEN", { ADMIN_TOKEN: "" }],
      ["ADMIN_TOKEN unset", { ADMIN_TOKEN: undefined }],
      ["no JWT_SECRET", { JWT_SECRET: "" }],
      ["short ADMIN_TOKEN", { ADMIN_TOKEN: "short7!" }],
      ["short JWT_SECRET", { JWT_SECRET: "only-twenty-characters" }],
    ];
    for (const [label, vars] of broken) {
      const brokenEnv = { ...env, ...vars } as Env;
      const leftovers = [brokenEnv.ADMIN_TOKEN, brokenEnv.JWT_SECRET].filter((s): s is string => Boolean(s));
      const calls: [string, string, string | undefined, unknown?][] = [
        ["GET", "/api/markets", ADMIN],
        ["POST", `/api/markets/${code}/control`, ADMIN, { action: "pause" }],
        ["POST", `/api/markets/${code}/join`, undefined, { name: `New ${label}`.slice(0, 24) }],
        ["GET", `/api/markets/${code}/portfolio`, p.token],
        ["POST", `/api/markets/${code}/orders`, p.token, order("ACME", "buy", 1)],
        ["GET", `/api/markets/${code}/ws?token=${encodeURIComponent(p.token)}`, undefined],
      ];
      for (const [method, path, token, body] of calls) {
        const headers: Record<string, string> = { "CF-Connecting-IP": "10.77.0.1" };
        if (token) headers.Authorization = `Bearer ${token}`;
        if (body) headers["Content-Type"] = "application/json";
        if (path.endsWith("/ws") || path.includes("/ws?")) headers.Upgrade = "websocket";
        const ctx = createExecutionContext();
        const res = await app.fetch(
          new Request(`http://marketflow.test${path}`, {
            method,
            headers,
            body: body ? JSON.stringify(body) : undefined,
          }),
          brokenEnv,
          ctx,
        );
        await waitOnExecutionContext(ctx);
        const text = await res.text();
        const where = `${label}: ${method} ${path}`;
        expect(res.status, where).toBe(500);
        const json = JSON.parse(text);
        expect(json.error.code, where).toBe("INTERNAL");
        expect(json.error.message, where).toMatch(/not configured/);
        for (const s of leftovers) expect(text.includes(s), `${where} echoes a secret`).toBe(false);
      }
    }
    // Nothing ran: no one joined, the market was not paused, no order was placed.
    const after = await api("GET", `/api/markets/${code}/players`, { token: ADMIN });
    expect(after.json.players.length).toBe(before);
    expect((await api("GET", `/api/markets/${code}`)).json.market.status).toBe("open");
    expect((await api("GET", `/api/markets/${code}/orders?status=all`, { token: p.token })).json.orders).toEqual([]);
    for (const line of logged) for (const s of [ADMIN, JWT_SECRET]) expect(line.includes(s)).toBe(false);
  });
});

describe("service credentials stay inside too", () => {
  afterEach(() => vi.restoreAllMocks());

  it("with Redis and Postgres unreachable, no answer or log line shows the Upstash token or the database password", async () => {
    const logged: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(" "));
      });
    }
    const code = await createMarket();
    const p = await join(code, "Cred");
    const upstashToken = "upstash-token-that-must-stay-secret";
    const dbPassword = "pg-password-that-must-stay-secret";
    // Port 9 (discard) on loopback: nothing listens, so every call fails fast. (The archive
    // routes answer 500 INTERNAL then; the trading routes carry on without Redis.)
    const leaky = {
      ...env,
      UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9",
      UPSTASH_REDIS_REST_TOKEN: upstashToken,
      DATABASE_URL: `postgres://marketflow:${dbPassword}@127.0.0.1:9/marketflow`,
    } as Env;
    const calls: [string, string, string | undefined, unknown?][] = [
      ["GET", `/api/markets/${code}`, undefined],
      ["GET", `/api/markets/${code}/leaderboard`, undefined],
      ["POST", `/api/markets/${code}/join`, undefined, { name: "Leaky" }],
      ["POST", `/api/markets/${code}/orders`, p.token, order("ACME", "buy", 1)],
      ["GET", `/api/markets/${code}/admin`, ADMIN],
      ["GET", "/api/archive/markets", ADMIN],
      ["GET", `/api/archive/markets/${code}/fills.csv`, ADMIN],
    ];
    for (const [method, path, token, body] of calls) {
      const headers: Record<string, string> = { "CF-Connecting-IP": "10.88.0.1" };
      if (token) headers.Authorization = `Bearer ${token}`;
      if (body) headers["Content-Type"] = "application/json";
      const ctx = createExecutionContext();
      const res = await app.fetch(
        new Request(`http://marketflow.test${path}`, {
          method,
          headers,
          body: body ? JSON.stringify(body) : undefined,
        }),
        leaky,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      const text = await res.text();
      // Redis is only an accelerator: the market's own routes still answer normally.
      if (!path.startsWith("/api/archive")) expect(res.status, `${method} ${path}`).toBeLessThan(300);
      for (const s of [upstashToken, dbPassword]) {
        expect(text.includes(s), `${method} ${path} -> ${res.status}`).toBe(false);
        for (const [k, v] of res.headers) expect(v.includes(s), `${method} ${path} header ${k}`).toBe(false);
      }
    }
    for (const line of logged)
      for (const s of [upstashToken, dbPassword]) expect(line.includes(s), line.slice(0, 200)).toBe(false);
  });
});

describe("the live feed refuses a bad token with a close code and a reason", () => {
  it("expired 4001, wrong key 4001, alg none 4001, unknown player 4001, another market's player 4003", async () => {
    const code = await createMarket();
    const other = await createMarket();
    const ann = await join(code, "Ann");
    const stranger = await join(other, "Sam");
    const cases: [string, string, number][] = [
      ["expired", await tokenFor({ sub: ann.id, mkt: code }, { expired: true }), 4001],
      ["wrong key", await tokenFor({ sub: ann.id, mkt: code }, { key: "wrong-key-wrong-key-wrong-key-wrong" }), 4001],
      ["alg none", algNone({ sub: ann.id, mkt: code }), 4001],
      ["unknown player", await tokenFor({ sub: "p424242", mkt: code }), 4001],
      ["another market", stranger.token, 4003],
    ];
    for (const [label, token, expected] of cases) {
      const sock = await connect(code, token);
      const closed = await sock.closed();
      expect(closed.code, label).toBe(expected);
      expect(closed.reason.length, label).toBeGreaterThan(5);
      // Refused before anything was sent: no snapshot, no portfolio.
      expect(sock.messages, label).toEqual([]);
    }
    // The genuine token still works.
    const ok = await connect(code, ann.token);
    expect((await ok.next((m) => m.type === "snapshot")).portfolio).toBeDefined();
  });
});
