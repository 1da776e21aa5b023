import { describe, expect, it } from "vitest";
import { cancelNews, cursorNo, draftNews, pageOf, publishNews } from "../../../../worker/market/engine";
import { candleWindow, MAX_TICK_ROWS } from "../../../../worker/market/engine/candles";
import { openMarket as market } from "../../../support/engine";

describe("the news lifecycle", () => {
  it("an item for later is scheduled; one for now or the past publishes at once", () => {
    const state = market();
    const later = draftNews(state, 1, { headline: "Later", body: "", impacts: [], publishAt: 5000 }, 1000);
    expect(later).toMatchObject({ ok: true, item: { id: "n1", no: 1, status: "scheduled", publishAt: 5000 } });
    const now = draftNews(state, 2, { headline: "Now", body: "", impacts: [], publishAt: 500 }, 1000);
    expect(now).toMatchObject({ ok: true, item: { id: "n2", status: "published", publishAt: 1000 } });
  });

  it("publishing queues the impacts and takes the next seq", () => {
    const state = market();
    const seq = state.seq;
    const draft = draftNews(
      state,
      1,
      {
        headline: "Up",
        body: "",
        impacts: [{ symbol: state.symbols[0].symbol, move: 0.1, ticks: 2 }],
        publishAt: 9000,
      },
      1000,
    );
    if (!draft.ok) throw new Error(draft.message);
    const published = publishNews(state, draft.item, 9000);
    expect(published).toMatchObject({ status: "published", publishAt: 9000 });
    expect(state.seq).toBe(seq + 1);
    expect(state.symbols[0].pending).toHaveLength(1);
  });

  it("refuses news for an unknown symbol or a closed market, and cancels only what is still scheduled", () => {
    const state = market();
    expect(
      draftNews(
        state,
        1,
        { headline: "X", body: "", impacts: [{ symbol: "NOPE", move: 0.1, ticks: 1 }], publishAt: null },
        1,
      ),
    ).toMatchObject({ ok: false, code: "NOT_FOUND" });
    const item = {
      id: "n1",
      no: 1,
      headline: "h",
      body: "",
      impacts: [],
      publishAt: 5,
      status: "scheduled" as const,
      afterOpenMs: null,
    };
    expect(cancelNews(item)).toMatchObject({ ok: true, item: { status: "cancelled" } });
    expect(cancelNews({ ...item, status: "published" })).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(cancelNews(null)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    state.status = "closed";
    expect(draftNews(state, 1, { headline: "X", body: "", impacts: [], publishAt: null }, 1)).toMatchObject({
      ok: false,
      code: "MARKET_NOT_OPEN",
    });
  });
});

describe("page cursors", () => {
  it("read the running number of their own kind only", () => {
    expect(cursorNo("o", "o12")).toBe(12);
    expect(cursorNo("f", "o12")).toBeNull();
    expect(cursorNo("o", "o")).toBeNull();
    expect(cursorNo("o", "o1x")).toBeNull();
    expect(cursorNo("o", null)).toBeNull();
  });

  it("cut one extra row into a page and the next cursor", () => {
    const rows = [{ id: "o5" }, { id: "o4" }, { id: "o3" }];
    expect(pageOf(rows, 2)).toEqual({ page: [{ id: "o5" }, { id: "o4" }], next: "o4" });
    expect(pageOf(rows, 3)).toEqual({ page: rows, next: null });
  });
});

describe("the candle window", () => {
  it("reads only the ticks that can lie in the asked window, and never more than the cap", () => {
    const m = { tick: 1000, tickMs: 2000, createdAt: 0 };
    expect(candleWindow(m, 60_000, 100_000, 120_000, 999_999)).toEqual({
      start: 100_000,
      end: 120_000,
      fromTick: 1000 - 12,
    });
    expect(candleWindow({ ...m, tick: 100_000 }, 60_000, 0, 10 ** 12, 0).fromTick).toBe(100_000 - MAX_TICK_ROWS);
    // Without `to`, the window ends now; without `from`, it starts 300 candles earlier (not before creation).
    expect(candleWindow(m, 60_000, null, null, 50_000)).toMatchObject({ start: 0, end: 50_000 });
  });
});
