import { describe, expect, it } from "vitest";
import {
  awaitSnapshot,
  initialFeedModel,
  NEWS_KEPT,
  reduceFeed,
  SPARK_POINTS,
  withPortfolio,
  type FeedEffect,
  type FeedModel,
} from "../../../web/src/lib/feedReducer";
import type { NewsItem, Portfolio, ServerMessage, SymbolQuote } from "../../../worker/shared/messages";

type Snapshot = Extract<ServerMessage, { type: "snapshot" }>;
type Tick = Extract<ServerMessage, { type: "tick" }>;

const quote = (symbol: string, price: number, extra: Partial<SymbolQuote> = {}): SymbolQuote => ({
  symbol,
  name: symbol,
  sector: "Tech",
  price,
  bid: price - 0.01,
  ask: price + 0.01,
  open: price,
  high: price,
  low: price,
  change: 0,
  changePct: 0,
  volume: 0,
  halted: false,
  haltedUntil: null,
  liquidity: 10_000,
  volatility: 0.03,
  ...extra,
});

const portfolio = (cash: number, positions: Portfolio["positions"] = []): Portfolio => ({
  cash,
  reserved: 0,
  positions,
  netWorth: cash,
  rank: 1,
  startingCash: 10_000,
});

function snapshot(seq: number, extra: Partial<Snapshot> = {}): Snapshot {
  return {
    type: "snapshot",
    v: 1,
    seq,
    market: {
      code: "DEMO",
      name: "Demo",
      status: "open",
      tickMs: 2000,
      startingCash: 10_000,
      createdAt: 0,
      players: 3,
    },
    symbols: [quote("ACME", 100), quote("BOLT", 50)],
    news: [],
    leaders: [{ rank: 1, name: "ann", netWorth: 10_000, returnPct: 0 }],
    ...extra,
  };
}

const tick = (seq: number, prices: { symbol: string; price: number }[], extra: Partial<Tick> = {}): Tick => ({
  type: "tick",
  seq,
  t: 1_000 + seq,
  tick: seq,
  prices: prices.map((p) => ({ ...p, bid: p.price - 0.01, ask: p.price + 0.01, volume: 5, change: 0 })),
  leaders: [],
  ...extra,
});

const news = (seq: number, id: string): ServerMessage => ({
  type: "news",
  seq,
  news: { id, headline: `headline ${id}`, body: "", impacts: [], t: 0, status: "published" } satisfies NewsItem,
});

/** Feed a model every message in turn, collecting the effects. */
function run(model: FeedModel, ...messages: ServerMessage[]): { model: FeedModel; effects: FeedEffect[] } {
  const effects: FeedEffect[] = [];
  for (const msg of messages) {
    const step = reduceFeed(model, msg);
    model = step.model;
    effects.push(...step.effects);
  }
  return { model, effects };
}

/** A model that has applied the snapshot with seq 10. */
const synced = (extra: Partial<Snapshot> = {}) => run(initialFeedModel(), snapshot(10, extra)).model;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe("the feed's snapshot", () => {
  it("replaces the market, prices, news and leaders, takes its seq, and reports the feed live", () => {
    const { model, effects } = run(initialFeedModel(), snapshot(10, { playerId: "p1", portfolio: portfolio(500) }));
    expect(model.awaitingSnapshot).toBe(false);
    expect(model.data.seq).toBe(10);
    expect(model.data.snapshots).toBe(1);
    expect(model.data.market?.code).toBe("DEMO");
    expect(model.data.symbols.map((s) => s.symbol)).toEqual(["ACME", "BOLT"]);
    expect(model.data.leaders).toHaveLength(1);
    expect(model.data.playerId).toBe("p1");
    expect(model.data.portfolio?.cash).toBe(500);
    expect(model.index.get("BOLT")).toBe(1);
    expect(model.data.spark.ACME).toEqual([100, 100]);
    expect(effects).toEqual([{ type: "synced" }, { type: "emit", event: "snapshot", payload: undefined }]);
  });

  it("keeps the portfolio and player id it had when a later snapshot carries none", () => {
    const first = synced({ playerId: "p1", portfolio: portfolio(500) });
    const { model } = run(awaitSnapshot(first), snapshot(20));
    expect(model.data.playerId).toBe("p1");
    expect(model.data.portfolio?.cash).toBe(500);
    expect(model.data.snapshots).toBe(2);
  });

  it("extends each symbol's sparkline rather than starting it again", () => {
    const { model } = run(synced(), tick(11, [{ symbol: "ACME", price: 101 }]));
    const again = run(awaitSnapshot(model), snapshot(30, { symbols: [quote("ACME", 102), quote("BOLT", 50)] })).model;
    expect(again.data.spark.ACME).toEqual([100, 100, 101, 102]);
  });
});

describe("the seq rule", () => {
  it("ignores public messages until the first snapshot", () => {
    const start = initialFeedModel();
    const { model, effects } = run(start, tick(1, [{ symbol: "ACME", price: 101 }]), news(2, "n1"));
    expect(model).toBe(start);
    expect(effects).toEqual([]);
  });

  it("applies the next seq and advances to it", () => {
    const { model, effects } = run(synced(), tick(11, [{ symbol: "ACME", price: 101 }]), news(12, "n1"));
    expect(model.data.seq).toBe(12);
    expect(model.data.symbols[0].price).toBe(101);
    expect(model.data.news.map((n) => n.id)).toEqual(["n1"]);
    expect(effects.map((e) => (e.type === "emit" ? e.event : e.type))).toEqual(["tick", "news"]);
  });

  it("drops a duplicate or older seq without a trace", () => {
    const start = run(synced(), tick(11, [{ symbol: "ACME", price: 101 }])).model;
    const { model, effects } = run(start, tick(11, [{ symbol: "ACME", price: 200 }]), news(9, "old"));
    expect(model).toBe(start);
    expect(effects).toEqual([]);
  });

  it("on a gap leaves the state as it was, asks for a resync, and ignores public messages until the snapshot", () => {
    const start = synced();
    const gap = reduceFeed(start, tick(12, [{ symbol: "ACME", price: 150 }]));
    expect(gap.effects).toEqual([{ type: "resync" }]);
    expect(gap.model.data).toBe(start.data);
    expect(gap.model.awaitingSnapshot).toBe(true);

    // Even the message that would have been next is ignored now: the snapshot includes it.
    const waiting = run(gap.model, tick(11, [{ symbol: "ACME", price: 101 }]), news(13, "n1"));
    expect(waiting.model.data).toBe(start.data);
    expect(waiting.effects).toEqual([]);

    const after = run(
      waiting.model,
      snapshot(13, { symbols: [quote("ACME", 150), quote("BOLT", 50)] }),
      news(14, "n2"),
    );
    expect(after.model.data.seq).toBe(14);
    expect(after.model.data.symbols[0].price).toBe(150);
    expect(after.model.data.news.map((n) => n.id)).toEqual(["n2"]);
  });

  it("applies fills and errors whatever the seq: they are private and carry none", () => {
    const waiting = awaitSnapshot(synced());
    const order = {
      id: "o1",
      clientOrderId: "c1",
      symbol: "ACME",
      side: "buy",
      type: "market",
      qty: 1,
      limitPrice: null,
      status: "filled",
      filledQty: 1,
      avgPrice: 100,
      createdAt: 0,
    } as const;
    const { model, effects } = run(
      waiting,
      { type: "fill", order, portfolio: portfolio(900) },
      { type: "error", code: "RATE_LIMITED", message: "slow down" },
    );
    expect(model.data.portfolio?.cash).toBe(900);
    expect(effects).toEqual([
      { type: "emit", event: "fill", payload: { order, portfolio: portfolio(900) } },
      { type: "emit", event: "error", payload: { code: "RATE_LIMITED", message: "slow down" } },
    ]);
  });
});

describe("what each message changes", () => {
  it("a tick moves prices, extremes, change against the open, sparklines, leaders and the tick clock", () => {
    const { model } = run(
      synced(),
      tick(11, [{ symbol: "ACME", price: 110 }], {
        leaders: [{ rank: 1, name: "bob", netWorth: 11_000, returnPct: 10 }],
      }),
      tick(12, [
        { symbol: "ACME", price: 90 },
        { symbol: "NOPE", price: 1 },
      ]),
    );
    const acme = model.data.symbols[0];
    expect(acme).toMatchObject({ price: 90, bid: 89.99, ask: 90.01, volume: 5, high: 110, low: 90 });
    expect(model.data.symbols[1].price).toBe(50);
    expect(model.data.spark.ACME).toEqual([100, 100, 110, 90]);
    expect(model.data.spark.NOPE).toBeUndefined();
    expect(model.data.tick).toBe(12);
    expect(model.data.lastTickAt).toBe(1_012);
    expect(model.data.leaders).toEqual([]);
  });

  it("a tick keeps at most SPARK_POINTS prices per sparkline", () => {
    let model = synced();
    for (let seq = 11; seq < 11 + SPARK_POINTS + 5; seq++)
      model = run(model, tick(seq, [{ symbol: "ACME", price: seq }])).model;
    expect(model.data.spark.ACME).toHaveLength(SPARK_POINTS);
    expect(model.data.spark.ACME.at(-1)).toBe(10 + SPARK_POINTS + 5);
  });

  it("a tick revalues the portfolio's positions and net worth at the new prices", () => {
    const held = portfolio(1_000, [
      { symbol: "ACME", qty: 3, reservedQty: 0, avgCost: 100, price: 100, value: 300, pnl: 0 },
    ]);
    const { model } = run(synced({ portfolio: held }), tick(11, [{ symbol: "ACME", price: 110.5 }]));
    expect(model.data.portfolio?.positions[0]).toMatchObject({ price: 110.5, value: 331.5, pnl: 31.5 });
    expect(model.data.portfolio?.netWorth).toBe(1_331.5);
  });

  it("news goes on top, replaces an item with the same id, and keeps the newest NEWS_KEPT", () => {
    let model = synced();
    for (let i = 0; i < NEWS_KEPT + 3; i++) model = run(model, news(11 + i, `n${i}`)).model;
    model = run(model, news(11 + NEWS_KEPT + 3, "n10")).model;
    expect(model.data.news).toHaveLength(NEWS_KEPT);
    expect(model.data.news[0].id).toBe("n10");
    expect(model.data.news.filter((n) => n.id === "n10")).toHaveLength(1);
  });

  it("a status message sets the market's status and which symbols are halted until when", () => {
    const halted = run(synced(), {
      type: "status",
      seq: 11,
      status: "paused",
      halted: ["BOLT"],
      haltedUntil: { BOLT: 5_000 },
    }).model;
    expect(halted.data.market?.status).toBe("paused");
    expect(halted.data.symbols.map((s) => [s.symbol, s.halted, s.haltedUntil])).toEqual([
      ["ACME", false, null],
      ["BOLT", true, 5_000],
    ]);
    const resumed = run(halted, { type: "status", seq: 12, status: "open", halted: [], haltedUntil: {} }).model;
    expect(resumed.data.symbols.every((s) => !s.halted && s.haltedUntil === null)).toBe(true);
  });

  it("a status message carries the timed session; one without it keeps the last known", () => {
    const session = { opensAt: 1_000, closesAt: 61_000, durationMs: 60_000 };
    const opened = run(synced(), {
      type: "status",
      seq: 11,
      status: "open",
      halted: [],
      haltedUntil: {},
      session,
      t: 1_000,
    }).model;
    expect(opened.data.market?.session).toEqual(session);
    const paused = run(opened, { type: "status", seq: 12, status: "paused", halted: [], haltedUntil: {} }).model;
    expect(paused.data.market).toMatchObject({ status: "paused", session });
  });

  it("a status message with the session and server time keeps the market's rules, currency and teams", () => {
    // The rules sheet and the money format read feed.state.market; a status change (open,
    // pause, the session's own close) must not drop what the market message brought.
    const before = synced();
    const market = {
      ...before.data.market!,
      rules: { allowShort: true, feeRate: 0.01, currency: "INR", locale: "en-IN" },
      teams: { names: ["Bulls", "Bears"], assign: "choose" as const },
    } as NonNullable<FeedModel["data"]["market"]>;
    const set = run(before, { type: "market", seq: 11, market }).model;
    const session = { opensAt: 1_000, closesAt: 61_000, durationMs: 60_000 };
    const after = run(set, {
      type: "status",
      seq: 12,
      status: "paused",
      halted: [],
      haltedUntil: {},
      session,
      t: 5,
    }).model;
    expect(after.data.market).toMatchObject({ status: "paused", session, rules: market.rules, teams: market.teams });
  });

  it("a lobby message sets the number of players and the first of them", () => {
    const leaders = [{ rank: 1, name: "eve", netWorth: 10_000, returnPct: 0 }];
    const { model, effects } = run(synced(), { type: "lobby", seq: 11, players: 42, leaders });
    expect(model.data.market?.players).toBe(42);
    expect(model.data.leaders).toEqual(leaders);
    expect(effects).toEqual([
      { type: "emit", event: "lobby", payload: { type: "lobby", seq: 11, players: 42, leaders } },
    ]);
  });

  it("a market message brings the organiser's new settings, in seq like every public message", () => {
    const before = synced();
    const market = { ...before.data.market!, name: "Renamed", startingCash: 50, tickMs: 1000 };
    const { model, effects } = run(before, { type: "market", seq: before.data.seq + 1, market });
    expect(model.data.market).toMatchObject({ name: "Renamed", startingCash: 50, tickMs: 1000 });
    expect(effects).toEqual([{ type: "emit", event: "market", payload: market }]);
    expect(run(before, { type: "market", seq: before.data.seq + 2, market }).effects).toEqual([{ type: "resync" }]);
  });

  it("a REST answer's portfolio replaces the feed's", () => {
    expect(withPortfolio(synced(), portfolio(123)).data.portfolio?.cash).toBe(123);
  });

  it("never modifies the model it is given", () => {
    const held = portfolio(1_000, [
      { symbol: "ACME", qty: 3, reservedQty: 0, avgCost: 100, price: 100, value: 300, pnl: 0 },
    ]);
    const start = deepFreeze(synced({ portfolio: held }));
    expect(() =>
      run(
        start,
        tick(11, [{ symbol: "ACME", price: 101 }]),
        news(12, "n1"),
        { type: "status", seq: 13, status: "paused", halted: ["ACME"], haltedUntil: {} },
        { type: "lobby", seq: 14, players: 2, leaders: [] },
        snapshot(20),
      ),
    ).not.toThrow();
  });
});
