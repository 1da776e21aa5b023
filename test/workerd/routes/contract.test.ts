import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { ADMIN, api, createMarket, join, order, SYMBOLS } from "../../support/workerd";

function expectError(res: { status: number; json: any }, status: number, code: string) {
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(res.json.error.code).toBe(code);
  expect(typeof res.json.error.message).toBe("string");
}

describe("error codes of the contract", () => {
  it("VALIDATION lists each field and why", async () => {
    const res = await api("POST", "/api/markets", { token: ADMIN, body: { name: "", startingCash: -5, symbols: [] } });
    expectError(res, 400, "VALIDATION");
    const fields = res.json.error.details.map((d: any) => d.field);
    expect(fields).toEqual(expect.arrayContaining(["name", "startingCash", "symbols"]));
  });

  it("VALIDATION for malformed JSON, more than two decimals, a bad market code", async () => {
    const code = await createMarket();
    const p = await join(code, "Val");
    expectError(await api("POST", `/api/markets/${code}/orders`, { token: p.token, raw: "{oops" }), 400, "VALIDATION");
    expectError(
      await api("POST", `/api/markets/${code}/orders`, {
        token: p.token,
        body: order("ACME", "buy", 1, { type: "limit", limitPrice: 1.234 }),
      }),
      400,
      "VALIDATION",
    );
    expectError(await api("GET", "/api/markets/ab$"), 400, "VALIDATION");
  });

  it("NOT_FOUND for an unknown market, symbol, order or route", async () => {
    const code = await createMarket();
    const p = await join(code, "Nia");
    expectError(await api("GET", "/api/markets/NOSUCH1"), 404, "NOT_FOUND");
    expectError(
      await api("POST", `/api/markets/${code}/orders`, { token: p.token, body: order("ZZZ", "buy", 1) }),
      404,
      "NOT_FOUND",
    );
    expectError(await api("DELETE", `/api/markets/${code}/orders/o999`, { token: p.token }), 404, "NOT_FOUND");
    expectError(await api("GET", "/api/nothing-here"), 404, "NOT_FOUND");
  });

  it("CODE_TAKEN when the code exists; market codes are case-insensitive", async () => {
    const code = await createMarket();
    const again = await api("POST", "/api/markets", {
      token: ADMIN,
      body: { code: code.toLowerCase(), name: "Dup", startingCash: 100, symbols: SYMBOLS },
    });
    expectError(again, 409, "CODE_TAKEN");
    expect((await api("GET", `/api/markets/${code.toLowerCase()}`)).status).toBe(200);
  });

  it("the markets list counts each market's players: live while it runs, final once closed", async () => {
    const code = await createMarket({ open: false });
    const listed = async () =>
      (await api("GET", "/api/markets", { token: ADMIN })).json.markets.find((m: any) => m.code === code);
    expect((await listed()).players).toBe(0);
    await join(code, "Ana");
    await join(code, "Bo");
    expect((await listed()).players).toBe(2);
    await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "open" } });
    await join(code, "Cy");
    expect((await listed()).players).toBe(3);
    await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "close" } });
    expect(await listed()).toMatchObject({ status: "closed", players: 3 });
  });

  it("a market without a code gets a generated one", async () => {
    const res = await api("POST", "/api/markets", {
      token: ADMIN,
      body: { name: "Auto", startingCash: 100, symbols: SYMBOLS },
    });
    expect(res.status).toBe(201);
    expect(res.json.market.code).toMatch(/^[A-Z0-9]{6}$/);
    const list = await api("GET", "/api/markets", { token: ADMIN });
    expect(list.json.markets.map((m: any) => m.code)).toContain(res.json.market.code);
  });

  it("NAME_TAKEN ignores case and surrounding spaces", async () => {
    const code = await createMarket();
    await join(code, "Zoe");
    expectError(await api("POST", `/api/markets/${code}/join`, { body: { name: "  zOE " } }), 409, "NAME_TAKEN");
  });

  it("MARKET_NOT_OPEN for an impossible lifecycle step; closed is final", async () => {
    const code = await createMarket({ open: false });
    expectError(
      await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "resume" } }),
      409,
      "MARKET_NOT_OPEN",
    );
    expect(
      (await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "close" } })).status,
    ).toBe(200);
    expectError(
      await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "open" } }),
      409,
      "MARKET_NOT_OPEN",
    );
    expectError(await api("POST", `/api/markets/${code}/join`, { body: { name: "Late" } }), 409, "MARKET_NOT_OPEN");
  });

  it("PAYLOAD_TOO_LARGE for a body over 16 KiB, before anything runs", async () => {
    const code = await createMarket();
    const res = await api("POST", `/api/markets/${code}/news`, {
      token: ADMIN,
      raw: JSON.stringify({ headline: "x".repeat(17 * 1024) }),
    });
    expectError(res, 413, "PAYLOAD_TOO_LARGE");
  });

  it("PAYLOAD_TOO_LARGE past 256 KiB for a body that carries a scenario (create, check)", async () => {
    for (const path of ["/api/markets", "/api/scenarios/check"]) {
      const big = await api("POST", path, { token: ADMIN, raw: JSON.stringify({ name: "x".repeat(257 * 1024) }) });
      expectError(big, 413, "PAYLOAD_TOO_LARGE");
      // 17 KiB is fine there: the schema, not the size, refuses this one.
      const mid = await api("POST", path, { token: ADMIN, raw: JSON.stringify({ name: "x".repeat(17 * 1024) }) });
      expectError(mid, 400, "VALIDATION");
    }
  });

  it("closing cancels open orders and releases their reservations", async () => {
    const code = await createMarket();
    const p = await join(code, "Cleo");
    await api("POST", `/api/markets/${code}/orders`, {
      token: p.token,
      body: order("ACME", "buy", 10, { type: "limit", limitPrice: 90 }),
    });
    await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "close" } });
    const pf = await api("GET", `/api/markets/${code}/portfolio`, { token: p.token });
    expect(pf.json).toMatchObject({ cash: 10000, reserved: 0 });
    const orders = await api("GET", `/api/markets/${code}/orders`, { token: p.token });
    expect(orders.json.orders[0].status).toBe("cancelled");
  });
});

describe("who may do what", () => {
  async function setup() {
    const code = await createMarket();
    const other = await createMarket();
    const player = await join(code, "Pia");
    const stranger = await join(other, "Sam");
    const key = new TextEncoder().encode("test-jwt-secret-at-least-32-characters-long");
    const expired = await new SignJWT({ mkt: code, name: "Pia" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(player.id)
      .setIssuer("marketflow")
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(key);
    const wrongKey = await new SignJWT({ mkt: code, name: "Pia" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(player.id)
      .setIssuer("marketflow")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("another-secret-another-secret-another"));
    const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    const algNone = `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: player.id, mkt: code, iss: "marketflow", exp: 9999999999 })}.`;
    return { code, player, stranger, expired, wrongKey, algNone };
  }

  it("organiser routes: anonymous 401, player 403, forged 401, organiser ok", async () => {
    const { code, player, wrongKey, algNone } = await setup();
    const routes: [string, string, unknown?][] = [
      ["GET", "/api/markets"],
      ["POST", `/api/markets/${code}/control`, { action: "pause" }],
      ["POST", `/api/markets/${code}/news`, { headline: "h", impacts: [] }],
      ["POST", `/api/markets/${code}/symbols/ACME/halt`],
      ["GET", `/api/markets/${code}/players`],
      ["GET", `/api/markets/${code}/export/fills.csv`],
      ["GET", `/api/markets/${code}/admin`],
    ];
    for (const [method, path, body] of routes) {
      expectError(await api(method, path, { body }), 401, "UNAUTHORIZED");
      expectError(await api(method, path, { body, token: player.token }), 403, "FORBIDDEN");
      expectError(await api(method, path, { body, token: wrongKey }), 401, "UNAUTHORIZED");
      expectError(await api(method, path, { body, token: algNone }), 401, "UNAUTHORIZED");
      expect((await api(method, path, { body, token: ADMIN })).status, `${method} ${path}`).toBeLessThan(300);
    }
  });

  it("player routes: anonymous 401, expired 401, forged 401, another market's player 403, organiser 403, own player ok", async () => {
    const { code, player, stranger, expired, wrongKey, algNone } = await setup();
    const routes: [string, string, unknown?][] = [
      ["GET", `/api/markets/${code}/portfolio`],
      ["POST", `/api/markets/${code}/orders`, order("ACME", "buy", 1)],
      ["GET", `/api/markets/${code}/orders`],
      ["GET", `/api/markets/${code}/fills`],
    ];
    for (const [method, path, body] of routes) {
      expectError(await api(method, path, { body }), 401, "UNAUTHORIZED");
      expectError(await api(method, path, { body, token: expired }), 401, "UNAUTHORIZED");
      expectError(await api(method, path, { body, token: wrongKey }), 401, "UNAUTHORIZED");
      expectError(await api(method, path, { body, token: algNone }), 401, "UNAUTHORIZED");
      expectError(await api(method, path, { body, token: stranger.token }), 403, "FORBIDDEN");
      expectError(await api(method, path, { body, token: ADMIN }), 403, "FORBIDDEN");
      expect((await api(method, path, { body, token: player.token })).status, `${method} ${path}`).toBeLessThan(300);
    }
  });

  it("a player cannot cancel another player's order", async () => {
    const code = await createMarket();
    const a = await join(code, "Ada");
    const b = await join(code, "Bea");
    const placed = await api("POST", `/api/markets/${code}/orders`, {
      token: a.token,
      body: order("ACME", "buy", 1, { type: "limit", limitPrice: 90 }),
    });
    expectError(
      await api("DELETE", `/api/markets/${code}/orders/${placed.json.order.id}`, { token: b.token }),
      404,
      "NOT_FOUND",
    );
    const still = await api("GET", `/api/markets/${code}/orders?status=open`, { token: a.token });
    expect(still.json.orders).toHaveLength(1);
  });

  it("public routes need no token", async () => {
    const code = await createMarket();
    for (const path of [
      `/api/markets/${code}`,
      `/api/markets/${code}/leaderboard`,
      `/api/markets/${code}/candles/ACME`,
      "/api/openapi.json",
    ]) {
      expect((await api("GET", path)).status, path).toBe(200);
    }
  });
});

describe("organiser views", () => {
  it("players and standings list everyone ranked; CSV text cells cannot become formulas", async () => {
    const code = await createMarket();
    const a = await join(code, "=HYPERLINK(1)");
    await join(code, "Quinn");
    await api("POST", `/api/markets/${code}/orders`, { token: a.token, body: order("ACME", "buy", 10) });
    const players = await api("GET", `/api/markets/${code}/players`, { token: ADMIN });
    expect(players.json.players.map((p: any) => p.name).sort()).toEqual(["=HYPERLINK(1)", "Quinn"]);

    const fills = await api("GET", `/api/markets/${code}/export/fills.csv`, { token: ADMIN });
    expect(fills.headers.get("Content-Type")).toMatch(/text\/csv/);
    expect(fills.text.split("\r\n")[0]).toBe("fill_id,order_id,player,symbol,side,qty,price,fee,time");
    expect(fills.text).toContain(",'=HYPERLINK(1),ACME,buy,10,");
    const standings = await api("GET", `/api/markets/${code}/export/standings.csv`, { token: ADMIN });
    expect(standings.text.split("\r\n").filter(Boolean)).toHaveLength(3);
  });

  it("the OpenAPI document describes the routes from the validating schemas", async () => {
    const res = await api("GET", "/api/openapi.json");
    expect(res.json.openapi).toBe("3.1.0");
    const orderBody = res.json.paths["/api/markets/{code}/orders"].post.requestBody.content["application/json"].schema;
    expect(orderBody.required).toEqual(expect.arrayContaining(["clientOrderId", "symbol", "side", "qty", "type"]));
    expect(orderBody.properties.side.enum).toEqual(["buy", "sell"]);
    expect(Object.keys(res.json.paths).length).toBeGreaterThanOrEqual(18);
  });
});

describe("the lobby", () => {
  it("players who join before the market opens are on the leaderboard at once", async () => {
    const code = await createMarket({ open: false });
    await join(code, "Early");
    await join(code, "Bird");
    const leaders = await api("GET", `/api/markets/${code}/leaderboard`);
    expect(leaders.json.leaders.map((l: any) => l.name).sort()).toEqual(["Bird", "Early"]);
    const players = await api("GET", `/api/markets/${code}/players`, { token: ADMIN });
    expect(players.json.players.map((p: any) => p.rank).sort()).toEqual([1, 2]);
  });
});
