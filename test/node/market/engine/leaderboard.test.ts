import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  LEADERBOARD_CACHE,
  applyControl,
  createMarket,
  joinPlayer,
  leaderboard,
  netWorth,
  placeOrder,
  portfolioOf,
  rankNewcomer,
  refreshRanks,
  standings,
  stepTick,
} from "../../../../worker/market/engine";
import { buy, config, limit, must, openMarket, sym } from "../../../support/engine";

describe("net worth and portfolio", () => {
  it("net worth is cash plus reserved cash plus shares at the last price", () => {
    const state = openMarket(["ann"]);
    buy(state, "p1", "ACME", 10);
    must(placeOrder(state, "p1", limit("BOLT", "buy", 5, 1_900), 2));
    const ann = state.players.get("p1")!;
    expect(netWorth(state, ann)).toBe(ann.cash + ann.reserved + 10 * sym(state, "ACME").last);
  });

  it("a portfolio shows each holding with its average cost, value and profit", () => {
    const state = openMarket(["ann"]);
    const fill = buy(state, "p1", "ACME", 10).fills[0];
    const p = portfolioOf(state, "p1")!;
    const last = sym(state, "ACME").last;
    expect(p.positions).toEqual([
      {
        symbol: "ACME",
        qty: 10,
        reservedQty: 0,
        avgCost: fill.price,
        price: last,
        value: 10 * last,
        pnl: 10 * (last - fill.price),
      },
    ]);
    expect(p.cash).toBe(1_000_000 - 10 * fill.price);
    expect(p.startingCash).toBe(1_000_000);
    expect(p.netWorth).toBe(p.cash + 10 * last);
  });

  it("sold-out holdings drop out of the portfolio; an unknown player has none", () => {
    const state = openMarket(["ann"]);
    buy(state, "p1", "ACME", 10);
    must(
      placeOrder(
        state,
        "p1",
        { clientOrderId: "s", symbol: "ACME", side: "sell", type: "market", qty: 10, limitPrice: null },
        2,
      ),
    );
    expect(portfolioOf(state, "p1")!.positions).toEqual([]);
    expect(portfolioOf(state, "p9")).toBeNull();
  });
});

describe("ranking", () => {
  it("ranks by net worth, best first, the earlier joiner first on a tie", () => {
    const state = openMarket(["ann", "bob", "cat"]);
    buy(state, "p1", "ACME", 10); // Ann pays the spread: a little behind the others
    refreshRanks(state);
    expect([...state.ranks]).toEqual([
      ["p2", 1],
      ["p3", 2],
      ["p1", 3],
    ]);
    expect(leaderboard(state, 2).map((l) => l.playerId)).toEqual(["p2", "p3"]);
    expect(leaderboard(state, 2)[0]).toEqual({
      rank: 1,
      playerId: "p2",
      name: "bob",
      netWorth: 1_000_000,
      returnPct: 0,
    });
  });

  it("is refreshed by the tick, not by each order", () => {
    const state = openMarket(["ann", "bob"]);
    stepTick(state, 1);
    expect(portfolioOf(state, "p1")!.rank).toBe(1);
    buy(state, "p1", "ACME", 10);
    expect(portfolioOf(state, "p1")!.rank).toBe(1);
    stepTick(state, 2);
    expect(state.ranks.size).toBe(2);
  });

  it("a player who joined since the last ranking ranks after everyone ranked", () => {
    const state = openMarket(["ann", "bob"]);
    stepTick(state, 1);
    must(joinPlayer(state, "cat", 2));
    expect(portfolioOf(state, "p3")!.rank).toBe(3);
  });

  it("reports the return on starting cash in percent", () => {
    const state = openMarket(["ann"]);
    state.players.get("p1")!.cash = 1_125_000; // as if Ann had made 12.5%
    refreshRanks(state);
    expect(leaderboard(state, 10)[0].returnPct).toBe(12.5);
  });
});

describe("standings", () => {
  it("list every player in rank order, even past the leaderboard's cache", () => {
    const names = Array.from({ length: LEADERBOARD_CACHE + 20 }, (_, i) => `player${i}`);
    const state = openMarket(names);
    buy(state, "p7", "ACME", 10); // pays the spread: ranks last
    refreshRanks(state);
    const all = standings(state);
    expect(leaderboard(state, names.length)).toHaveLength(LEADERBOARD_CACHE);
    expect(all).toHaveLength(names.length);
    expect(all.map((s) => s.rank)).toEqual(names.map((_, i) => i + 1));
    expect(all[all.length - 1].playerId).toBe("p7");
  });

  it("put a player who joined after the last ranking at the end", () => {
    const state = openMarket(["ann", "bob"]);
    refreshRanks(state);
    must(joinPlayer(state, "cat", 5));
    expect(standings(state).map((s) => s.name)).toEqual(["ann", "bob", "cat"]);
  });
});

describe("ranking a newcomer", () => {
  /** Ranks and top as plain data, to compare two states. */
  const ranking = (state: ReturnType<typeof createMarket>) => ({ ranks: [...state.ranks].sort(), top: state.top });

  it("gives exactly what a full ranking gives, whatever the join times and the status", () => {
    fc.assert(
      fc.property(
        // Join times mostly rising, sometimes stepping back (a clock step), sometimes equal.
        fc.array(fc.integer({ min: -3, max: 5 }), { minLength: 1, maxLength: 60 }),
        fc.constantFrom("lobby", "open", "paused"),
        fc.integer({ min: 0, max: 59 }),
        (steps, status, tradeAt) => {
          const fast = createMarket(config(), 0);
          const full = createMarket(config(), 0);
          let t = 1000;
          for (const [i, step] of steps.entries()) {
            t += step;
            if (i === tradeAt && status !== "lobby") {
              // Trading changes net worths, so after the bell joins must fall back to a full sort.
              for (const s of [fast, full]) {
                if (s.status === "lobby") must(applyControl(s, "open", t));
                if (s.players.size > 0)
                  placeOrder(
                    s,
                    "p1",
                    { clientOrderId: `x${i}`, symbol: "ACME", side: "buy", type: "market", qty: 3, limitPrice: null },
                    t,
                  );
                if (status === "paused") must(applyControl(s, "pause", t));
              }
            }
            const a = must(joinPlayer(fast, `player ${i}`, t));
            rankNewcomer(fast, a.player);
            must(joinPlayer(full, `player ${i}`, t));
            refreshRanks(full);
            expect(ranking(fast)).toEqual(ranking(full));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("in the lobby the newcomer goes last, past the leaderboard's cache too", () => {
    const state = createMarket(config(), 0);
    for (let i = 0; i < LEADERBOARD_CACHE + 20; i++) rankNewcomer(state, must(joinPlayer(state, `p ${i}`, i)).player);
    expect(state.ranks.get(`p${LEADERBOARD_CACHE + 20}`)).toBe(LEADERBOARD_CACHE + 20);
    expect(state.top).toHaveLength(LEADERBOARD_CACHE);
    expect(state.top[0]).toMatchObject({ rank: 1, playerId: "p1", netWorth: state.startingCash, returnPct: 0 });
  });
});
