/** The news script in the engine: trading time since the open, what is due when, edits; and lobby settings. */
import { describe, expect, it } from "vitest";
import {
  applyControl,
  applySettings,
  createMarket,
  draftNews,
  dueNews,
  editNews,
  joinPlayer,
  type MarketState,
  newsDueAt,
  newsShownAt,
  nextNewsAt,
  placeOrder,
  scriptRecords,
  tradingElapsed,
} from "../../../../worker/market/engine";
import { config, must } from "../../../support/engine";

const MIN = 60_000;
const lobby = (): MarketState => createMarket(config(), 0);
const script = () =>
  scriptRecords(1, [
    { afterOpenMs: 2 * MIN, headline: "two", body: "", impacts: [] },
    { afterOpenMs: MIN, headline: "one", body: "", impacts: [] },
    { afterOpenMs: MIN, headline: "one bis", body: "", impacts: [] },
  ]);

describe("trading time since the open", () => {
  it("is null in the lobby, counts from the open and leaves out pauses", () => {
    const s = lobby();
    expect(tradingElapsed(s, 5000)).toBeNull();
    must(applyControl(s, "open", 10_000));
    expect(tradingElapsed(s, 70_000)).toBe(60_000);
    must(applyControl(s, "pause", 70_000));
    expect(tradingElapsed(s, 100_000)).toBe(60_000);
    must(applyControl(s, "resume", 130_000));
    expect(s).toMatchObject({ openedAt: 10_000, pausedMs: 60_000, pausedAt: null });
    expect(tradingElapsed(s, 140_000)).toBe(70_000);
  });
});

describe("script items", () => {
  it("wait in the lobby and while paused, and fall due by trading time in order", () => {
    const s = lobby();
    const items = script();
    expect(items.map((i) => [i.id, i.status, i.afterOpenMs])).toEqual([
      ["n1", "scheduled", 2 * MIN],
      ["n2", "scheduled", MIN],
      ["n3", "scheduled", MIN],
    ]);
    expect(nextNewsAt(s, items)).toBeNull();
    expect(dueNews(s, items, 10 * MIN)).toEqual([]);
    must(applyControl(s, "open", 1000));
    expect(nextNewsAt(s, items)).toBe(1000 + MIN);
    expect(dueNews(s, items, 1000 + MIN - 1)).toEqual([]);
    expect(dueNews(s, items, 1000 + MIN).map((i) => i.headline)).toEqual(["one", "one bis"]);
    must(applyControl(s, "pause", 1000 + MIN));
    expect(nextNewsAt(s, items)).toBeNull();
    expect(dueNews(s, items, 1000 + 5 * MIN)).toEqual([]);
    // Shown as "if trading resumed now": a minute of trading is left for "two".
    expect(newsShownAt(s, items[0], 1000 + 5 * MIN)).toBe(1000 + 6 * MIN);
    must(applyControl(s, "resume", 1000 + 5 * MIN));
    expect(newsDueAt(s, items[0])).toBe(1000 + 6 * MIN);
    expect(dueNews(s, items, 1000 + 6 * MIN).map((i) => i.headline)).toEqual(["one", "one bis", "two"]);
    must(applyControl(s, "close", 1000 + 7 * MIN));
    expect(dueNews(s, items, 1000 + 9 * MIN)).toEqual([]);
    expect(nextNewsAt(s, items)).toBeNull();
  });

  it("a new item for a time the market has passed publishes at once; wall-clock items are unchanged", () => {
    const s = lobby();
    const waiting = must(draftNews(s, 1, { headline: "a", body: "", impacts: [], publishAt: null, afterOpenMs: 0 }, 5));
    expect(waiting.item).toMatchObject({ status: "scheduled", afterOpenMs: 0, publishAt: 0 });
    must(applyControl(s, "open", 1000));
    const past = must(
      draftNews(s, 2, { headline: "b", body: "", impacts: [], publishAt: null, afterOpenMs: 10 }, 2000),
    );
    expect(past.item).toMatchObject({ status: "published", publishAt: 2000, afterOpenMs: 10 });
    const later = must(
      draftNews(s, 3, { headline: "c", body: "", impacts: [], publishAt: null, afterOpenMs: MIN }, 2000),
    );
    expect(later.item.status).toBe("scheduled");
    expect(newsDueAt(s, later.item)).toBe(1000 + MIN);
    const wall = must(draftNews(s, 4, { headline: "d", body: "", impacts: [], publishAt: 9000 }, 2000));
    expect(wall.item).toMatchObject({ status: "scheduled", publishAt: 9000, afterOpenMs: null });
  });

  it("edits change text, impacts and time of a scheduled item only", () => {
    const s = lobby();
    const [item] = script();
    const edited = must(
      editNews(s, item, { headline: "new", impacts: [{ symbol: "ACME", move: 0.1, ticks: 2 }], afterOpenMs: 3 * MIN }),
    );
    expect(edited.item).toMatchObject({ headline: "new", body: "", afterOpenMs: 3 * MIN, status: "scheduled" });
    const wall = must(editNews(s, item, { publishAt: 123 }));
    expect(wall.item).toMatchObject({ afterOpenMs: null, publishAt: 123 });
    expect(editNews(s, item, { impacts: [{ symbol: "NOPE", move: 0.1, ticks: 1 }] })).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    expect(editNews(s, { ...item, status: "published" }, { headline: "x" })).toMatchObject({ ok: false });
    expect(editNews(s, null, { headline: "x" })).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });
});

describe("settings after creation", () => {
  it("in the lobby: everything, starting cash given to those who joined", () => {
    const s = lobby();
    const ann = must(joinPlayer(s, "ann", 0)).player;
    const r = must(
      applySettings(s, { startingCash: 250_000, tickMs: 1000, rules: { feeRate: 0.01, allowShort: true } }),
    );
    expect(r.players.map((p) => p.id)).toEqual([ann.id]);
    expect(ann.cash).toBe(250_000);
    expect(s).toMatchObject({ startingCash: 250_000, tickMs: 1000, rules: { feeRate: 0.01, allowShort: true } });
  });

  it("once trading started: the safe rules only; the rest is refused whole and changes nothing", () => {
    const s = lobby();
    must(joinPlayer(s, "ann", 0));
    expect(applySettings(s, { rules: { ordersPerSecond: 2 } })).toMatchObject({ ok: false });
    must(applyControl(s, "open", 0));
    const refused = applySettings(s, { rules: { maxOrderQty: 5, feeRate: 0.05 } });
    expect(refused).toMatchObject({ ok: false, code: "MARKET_NOT_OPEN" });
    expect(!refused.ok && refused.message).toMatch(/feeRate/);
    expect(s.rules).toMatchObject({ maxOrderQty: 100_000, feeRate: 0 });
    must(applySettings(s, { name: "Renamed", rules: { maxOrderQty: 5, lateEntry: false } }));
    expect(s).toMatchObject({ name: "Renamed", rules: { maxOrderQty: 5, lateEntry: false } });
    const p = [...s.players.values()][0];
    expect(
      placeOrder(
        s,
        p.id,
        { clientOrderId: "x", symbol: "ACME", side: "buy", qty: 6, type: "market", limitPrice: null },
        1,
      ),
    ).toMatchObject({ ok: false, code: "ORDER_LIMIT" });
    expect(joinPlayer(s, "late", 1)).toMatchObject({ ok: false, code: "MARKET_NOT_OPEN" });
    expect(applySettings(s, { rules: { maxPlayers: 0 + 0.5 } })).toMatchObject({ ok: false, code: "MARKET_FULL" });
    must(applyControl(s, "close", 2));
    expect(applySettings(s, { name: "x" })).toMatchObject({ ok: false, code: "MARKET_NOT_OPEN" });
  });
});
