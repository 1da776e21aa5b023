/**
 * Scenarios and the news script through the routes: a market created with a script, the
 * script firing by trading time (after stepping the clock, after a restart, held by a
 * pause, cancelled by a close), edits of scheduled items, export and the file check.
 */
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testClock } from "../../support/clock";
import { ADMIN, api, connect, join, stubOf, SYMBOLS, uniqueCode } from "../../support/workerd";

const MIN = 60_000;

function scenario(overrides: Record<string, unknown> = {}) {
  return {
    format: "marketflow.scenario",
    version: 1,
    title: "Test show",
    description: "Two stocks and a story",
    market: {
      name: "Test show",
      startingCash: 5000,
      tickMs: 60_000,
      rules: { allowShort: true, feeRate: 0.002, maxOrderQty: 500, lateEntry: false },
      symbols: SYMBOLS,
    },
    news: [
      { atMinute: 1, headline: "Acme wins a contract", impacts: [{ symbol: "ACME", move: 0.1 }] },
      {
        afterOpenMs: 3 * MIN,
        headline: "Bolt recalls batteries",
        body: "Bad news",
        impacts: [{ symbol: "BOLT", move: -0.2, ticks: 2 }],
      },
    ],
    ...overrides,
  };
}

async function createWithScript(news: unknown[], extra: Record<string, unknown> = {}) {
  const code = uniqueCode("S");
  const res = await api("POST", "/api/markets", {
    token: ADMIN,
    body: { code, name: "Script", startingCash: 1000, tickMs: 60_000, seed: 7, symbols: SYMBOLS, news, ...extra },
  });
  expect(res.status, res.text).toBe(201);
  return code;
}

const control = (code: string, action: string) =>
  api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action } });
const newsList = async (code: string) => (await api("GET", `/api/markets/${code}/news`, { token: ADMIN })).json.news;
const statusOf = async (code: string, headline: string) =>
  (await newsList(code)).find((n: any) => n.headline === headline)?.status;

const SCRIPT = [
  { afterOpenMs: 2 * MIN, headline: "Two minutes in", impacts: [{ symbol: "ACME", move: 0.05 }] },
  { afterOpenMs: 5 * MIN, headline: "Five minutes in", impacts: [] },
];

describe("a news script", () => {
  it("waits in the lobby and publishes by trading time after the open", async () => {
    const code = await createWithScript(SCRIPT);
    const stub = stubOf(code);
    const waiting = await newsList(code);
    expect(waiting.map((n: any) => [n.headline, n.status, n.afterOpenMs])).toEqual([
      ["Two minutes in", "scheduled", 2 * MIN],
      ["Five minutes in", "scheduled", 5 * MIN],
    ]);
    // Ten minutes in the lobby: nothing is due yet.
    testClock().advance(10 * MIN);
    await runDurableObjectAlarm(stub);
    expect(await statusOf(code, "Two minutes in")).toBe("scheduled");

    expect((await control(code, "open")).status).toBe(200);
    const openedAt = testClock().now();
    const [first] = await newsList(code);
    expect(first.t).toBe(openedAt + 2 * MIN);

    const sock = await connect(code);
    await sock.next((m) => m.type === "snapshot");
    testClock().advance(2 * MIN - 1);
    await runDurableObjectAlarm(stub);
    expect(await statusOf(code, "Two minutes in")).toBe("scheduled");
    testClock().advance(1);
    await runDurableObjectAlarm(stub);
    const news = await sock.next((m) => m.type === "news");
    expect(news.news).toMatchObject({ headline: "Two minutes in", afterOpenMs: 2 * MIN, t: openedAt + 2 * MIN });
    expect(await statusOf(code, "Five minutes in")).toBe("scheduled");
  });

  it("still fires on time after a restart", async () => {
    const code = await createWithScript(SCRIPT);
    const stub = stubOf(code);
    await control(code, "open");
    testClock().advance(1 * MIN);
    await evictDurableObject(stub);
    testClock().advance(1 * MIN);
    await runDurableObjectAlarm(stub);
    expect(await statusOf(code, "Two minutes in")).toBe("published");
    await evictDurableObject(stub);
    testClock().advance(3 * MIN);
    await runDurableObjectAlarm(stub);
    expect(await statusOf(code, "Five minutes in")).toBe("published");
  });

  it("is held by a pause and cancelled by a close", async () => {
    const code = await createWithScript(SCRIPT);
    const stub = stubOf(code);
    await control(code, "open");
    testClock().advance(1 * MIN);
    await control(code, "pause");
    testClock().advance(10 * MIN);
    await runDurableObjectAlarm(stub);
    expect(await statusOf(code, "Two minutes in")).toBe("scheduled");
    await evictDurableObject(stub);
    await control(code, "resume");
    const resumedAt = testClock().now();
    expect((await newsList(code))[0]).toMatchObject({ headline: "Two minutes in", t: resumedAt + 1 * MIN });
    testClock().advance(1 * MIN);
    await runDurableObjectAlarm(stub);
    expect(await statusOf(code, "Two minutes in")).toBe("published");
    await control(code, "close");
    // Cancelled items leave the organiser's list (and the export).
    expect(await statusOf(code, "Five minutes in")).toBeUndefined();
    testClock().advance(10 * MIN);
    await runDurableObjectAlarm(stub);
    expect(await statusOf(code, "Five minutes in")).toBeUndefined();
    const exported = (await api("GET", `/api/markets/${code}/scenario`, { token: ADMIN })).json;
    expect(exported.news.map((n: any) => n.headline)).toEqual(["Two minutes in"]);
  });

  it("takes new items, edits and cancels scheduled ones, and refuses to edit published ones", async () => {
    const code = await createWithScript(SCRIPT);
    const added = await api("POST", `/api/markets/${code}/news`, {
      token: ADMIN,
      body: { headline: "Added", afterOpenMs: 4 * MIN, impacts: [{ symbol: "BOLT", move: 0.02 }] },
    });
    expect(added.status, added.text).toBe(201);
    expect(added.json.news).toMatchObject({ status: "scheduled", afterOpenMs: 4 * MIN });
    const id = added.json.news.id;
    const edited = await api("PATCH", `/api/markets/${code}/news/${id}`, {
      token: ADMIN,
      body: { headline: "Added, edited", afterOpenMs: 1 * MIN, impacts: [{ symbol: "ACME", move: -0.1, ticks: 3 }] },
    });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json.news).toMatchObject({
      headline: "Added, edited",
      afterOpenMs: MIN,
      impacts: [{ symbol: "ACME", move: -0.1, ticks: 3 }],
    });
    const list = await newsList(code);
    expect(list.map((n: any) => n.headline)).toEqual(["Added, edited", "Two minutes in", "Five minutes in"]);

    const bad = await api("PATCH", `/api/markets/${code}/news/${id}`, {
      token: ADMIN,
      body: { impacts: [{ symbol: "NOPE", move: 0.1 }] },
    });
    expect(bad.status).toBe(404);
    const both = await api("PATCH", `/api/markets/${code}/news/${id}`, {
      token: ADMIN,
      body: { afterOpenMs: 1000, publishAt: 5 },
    });
    expect(both.status).toBe(400);
    expect(both.json.error.details).toEqual([expect.objectContaining({ field: "afterOpenMs" })]);

    await control(code, "open");
    testClock().advance(MIN);
    await runDurableObjectAlarm(stubOf(code));
    const late = await api("PATCH", `/api/markets/${code}/news/${id}`, {
      token: ADMIN,
      body: { headline: "Too late" },
    });
    expect(late.status).toBe(404);
    expect(late.json.error.message).toMatch(/scheduled/);
    const gone = list.find((n: any) => n.headline === "Five minutes in");
    const cancelled = await api("DELETE", `/api/markets/${code}/news/${gone.id}`, { token: ADMIN });
    expect(cancelled.json.news.status).toBe("cancelled");
    expect(await statusOf(code, "Five minutes in")).toBeUndefined();
  });

  it("is refused at creation when an impact names no stock of the market, and nothing is created", async () => {
    const code = uniqueCode("S");
    const res = await api("POST", "/api/markets", {
      token: ADMIN,
      body: {
        code,
        name: "Bad",
        startingCash: 1000,
        symbols: SYMBOLS,
        news: [{ afterOpenMs: 0, headline: "x", impacts: [{ symbol: "ZZZ", move: 0.1 }] }],
      },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.details).toEqual([
      { field: "news.0.impacts.0.symbol", message: "no stock ZZZ in this market" },
    ]);
    expect((await api("GET", `/api/markets/${code}`)).status).toBe(404);
  });
});

describe("settings after creation", () => {
  it("change everything in the lobby, starting cash reaching those who joined", async () => {
    const code = await createWithScript([]);
    const p = await join(code, "Early");
    const phone = await connect(code, p.token);
    const snap = await phone.next((m) => m.type === "snapshot");
    const res = await api("PATCH", `/api/markets/${code}`, {
      token: ADMIN,
      body: {
        name: "Renamed",
        startingCash: 2500,
        tickMs: 1000,
        rules: { allowShort: true, feeRate: 0.01, maxOrderQty: 50, haltBand: 0.3, lateEntry: false },
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.market).toMatchObject({ name: "Renamed", startingCash: 2500, tickMs: 1000 });
    expect(res.json.market.rules).toMatchObject({
      allowShort: true,
      feeRate: 0.01,
      maxOrderQty: 50,
      haltBand: 0.3,
      lateEntry: false,
    });
    // Every screen hears of it at once (the rules sheet, the ticket's estimates).
    const told = await phone.next((m) => m.type === "market");
    expect(told).toMatchObject({
      seq: snap.seq + 1,
      market: { name: "Renamed", startingCash: 2500, rules: { lateEntry: false } },
    });
    const pf = await api("GET", `/api/markets/${code}/portfolio`, { token: p.token });
    expect(pf.json).toMatchObject({ cash: 2500, netWorth: 2500 });
    await evictDurableObject(stubOf(code));
    const admin = await api("GET", `/api/markets/${code}/admin`, { token: ADMIN });
    expect(admin.json.market.rules).toMatchObject({ maxOrderQty: 50, lateEntry: false });
  });

  it("once trading started, allow the safe rules and refuse the rest naming them, changing nothing", async () => {
    const code = await createWithScript([]);
    await join(code, "Ann");
    const rateNow = await api("PATCH", `/api/markets/${code}`, {
      token: ADMIN,
      body: { rules: { ordersPerSecond: 3 } },
    });
    expect(rateNow.status).toBe(409);
    expect(rateNow.json.error.message).toMatch(/ordersPerSecond/);
    await control(code, "open");
    const unsafe = await api("PATCH", `/api/markets/${code}`, {
      token: ADMIN,
      body: { startingCash: 99, rules: { feeRate: 0.05, maxOrderQty: 10 } },
    });
    expect(unsafe.status).toBe(409);
    expect(unsafe.json.error.code).toBe("MARKET_NOT_OPEN");
    expect(unsafe.json.error.message).toMatch(/startingCash.*feeRate/);
    const admin = await api("GET", `/api/markets/${code}/admin`, { token: ADMIN });
    expect(admin.json.market).toMatchObject({ startingCash: 1000, rules: { feeRate: 0, maxOrderQty: 100_000 } });
    const safe = await api("PATCH", `/api/markets/${code}`, {
      token: ADMIN,
      body: { rules: { maxOrderQty: 10, haltBand: 0.25, lateEntry: false } },
    });
    expect(safe.status, safe.text).toBe(200);
    expect(safe.json.market.rules).toMatchObject({ maxOrderQty: 10, haltBand: 0.25, lateEntry: false });
    const late = await api("POST", `/api/markets/${code}/join`, { body: { name: "Latecomer" } });
    expect(late.status).toBe(409);
    expect(late.json.error.message).toMatch(/late/);
    const empty = await api("PATCH", `/api/markets/${code}`, { token: ADMIN, body: {} });
    expect(empty.status).toBe(400);
    await control(code, "close");
    expect((await api("PATCH", `/api/markets/${code}`, { token: ADMIN, body: { name: "x" } })).status).toBe(409);
  });

  it("are the organiser's only", async () => {
    const code = await createWithScript([]);
    const p = await join(code, "Sneaky");
    expect((await api("PATCH", `/api/markets/${code}`, { body: { name: "x" } })).status).toBe(401);
    expect((await api("PATCH", `/api/markets/${code}`, { token: p.token, body: { name: "x" } })).status).toBe(403);
  });
});

describe("scenario files", () => {
  it("check answers the scenario with times in ms, and its create body makes that market", async () => {
    const checked = await api("POST", "/api/scenarios/check", { token: ADMIN, body: scenario() });
    expect(checked.status, checked.text).toBe(200);
    const s = checked.json.scenario;
    expect(s.news.map((n: any) => n.afterOpenMs)).toEqual([MIN, 3 * MIN]);
    const code = uniqueCode("S");
    const created = await api("POST", "/api/markets", { token: ADMIN, body: { ...s.market, code, news: s.news } });
    expect(created.status, created.text).toBe(201);
    expect(created.json.market.rules).toMatchObject({
      allowShort: true,
      feeRate: 0.002,
      maxOrderQty: 500,
      lateEntry: false,
    });
    expect((await newsList(code)).map((n: any) => n.afterOpenMs)).toEqual([MIN, 3 * MIN]);
  });

  it("a broken file is refused naming the field, and nothing is created", async () => {
    const before = (await api("GET", "/api/markets?limit=500", { token: ADMIN })).json.markets.length;
    const cases: [unknown, string][] = [
      [scenario({ format: "something.else" }), "format"],
      [scenario({ version: 2 }), "version"],
      [
        { ...scenario(), market: { ...scenario().market, symbols: [{ ...SYMBOLS[0], price: -5 }] } },
        "market.symbols.0.price",
      ],
      [{ ...scenario(), market: { ...scenario().market, rules: { feeRate: 3 } } }, "market.rules.feeRate"],
      [scenario({ news: [{ headline: "no time", impacts: [] }] }), "news.0.atMinute"],
      [
        scenario({ news: [{ atMinute: 2, headline: "x", impacts: [{ symbol: "NOPE", move: 0.1 }] }] }),
        "news.0.impacts.0.symbol",
      ],
      [{ ...scenario(), market: { ...scenario().market, code: "ABCD" } }, "market"],
    ];
    for (const [body, field] of cases) {
      const res = await api("POST", "/api/scenarios/check", { token: ADMIN, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.json.error.details.map((d: any) => d.field),
        res.text,
      ).toContain(field);
    }
    const after = (await api("GET", "/api/markets?limit=500", { token: ADMIN })).json.markets.length;
    expect(after).toBe(before);
  });

  it("export gives the setup back as a file that checks and recreates the market", async () => {
    const code = uniqueCode("S");
    const s = (await api("POST", "/api/scenarios/check", { token: ADMIN, body: scenario() })).json.scenario;
    await api("POST", "/api/markets", {
      token: ADMIN,
      body: { ...s.market, code, news: s.news, session: { durationMs: 45 * MIN } },
    });
    await control(code, "open");
    testClock().advance(2 * MIN);
    await runDurableObjectAlarm(stubOf(code));
    // Ad-hoc news during the game goes into the exported script at its distance from the open.
    await api("POST", `/api/markets/${code}/news`, {
      token: ADMIN,
      body: { headline: "Improvised", impacts: [{ symbol: "ACME", move: 0.01 }] },
    });
    const res = await api("GET", `/api/markets/${code}/scenario`, { token: ADMIN });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("Content-Disposition")).toContain(`${code.toLowerCase()}-scenario.json`);
    const file = res.json;
    expect(file).toMatchObject({ format: "marketflow.scenario", version: 1, title: "Test show" });
    expect(file.market).toMatchObject({ name: "Test show", startingCash: 5000, tickMs: 60_000 });
    // The game's length travels, its times do not (the open is in the past by now).
    expect(file.market.session).toEqual({ durationMs: 45 * MIN });
    expect(file.market.symbols.map((x: any) => [x.symbol, x.price])).toEqual([
      ["ACME", 100],
      ["BOLT", 25.5],
    ]);
    expect(file.market.rules).toMatchObject({ allowShort: true, feeRate: 0.002, maxOrderQty: 500, lateEntry: false });
    expect(file.news.map((n: any) => [n.headline, n.afterOpenMs])).toEqual([
      ["Acme wins a contract", MIN],
      ["Improvised", 2 * MIN],
      ["Bolt recalls batteries", 3 * MIN],
    ]);
    const again = await api("POST", "/api/scenarios/check", { token: ADMIN, body: file });
    expect(again.status, again.text).toBe(200);
    const rerun = uniqueCode("S");
    const created = await api("POST", "/api/markets", {
      token: ADMIN,
      body: { ...again.json.scenario.market, code: rerun, news: again.json.scenario.news },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json.market.session).toEqual({ opensAt: null, closesAt: null, durationMs: 45 * MIN });
    expect((await api("GET", `/api/markets/${code}/scenario`)).status).toBe(401);
  });
});
