import { describe, expect, it } from "vitest";
import { applyControl, createMarket, joinPlayer, placeOrder, stepTick } from "../../../../worker/market/engine";
import { buy, config, limit, must, openMarket, sym } from "../../../support/engine";

describe("a new market", () => {
  it("starts in the lobby at tick 0 with the configured prices as price and fundamental", () => {
    const state = createMarket(config(), 123);
    expect(state).toMatchObject({
      status: "lobby",
      tick: 0,
      seq: 0,
      createdAt: 123,
      nextOrderNo: 1,
      nextFillNo: 1,
      nextPlayerNo: 1,
    });
    const acme = sym(state, "ACME");
    expect(acme).toMatchObject({
      last: 10_000,
      open: 10_000,
      high: 10_000,
      low: 10_000,
      haltedUntilTick: null,
      pending: [],
    });
    expect(acme.logP).toBe(Math.log(10_000));
    expect(acme.logF).toBe(Math.log(10_000));
    expect(acme.bid).toBeLessThan(acme.ask);
    expect(state.rng).toHaveLength(4);
  });

  it("does not move prices in the lobby", () => {
    const state = createMarket(config(), 0);
    stepTick(state, 1);
    expect(state.tick).toBe(0);
    expect(sym(state, "ACME").last).toBe(10_000);
  });
});

describe("joining", () => {
  it("gives each player the starting cash and the next id", () => {
    const state = createMarket(config(), 0);
    const ann = must(joinPlayer(state, "Ann", 5)).player;
    const bob = must(joinPlayer(state, "Bob", 6)).player;
    expect(ann).toEqual({
      id: "p1",
      name: "Ann",
      cash: 1_000_000,
      reserved: 0,
      positions: {},
      openOrders: 0,
      joinedAt: 5,
    });
    expect(bob.id).toBe("p2");
    expect(state.players.get("p2")).toBe(bob);
  });

  it("refuses a name already taken in any letter case (NAME_TAKEN) and changes nothing", () => {
    const state = createMarket(config(), 0);
    must(joinPlayer(state, "Ann", 0));
    const before = structuredClone(state);
    expect(joinPlayer(state, "ANN", 1)).toMatchObject({ ok: false, code: "NAME_TAKEN" });
    expect(joinPlayer(state, " ann ", 1)).toMatchObject({ ok: false, code: "NAME_TAKEN" });
    expect(state).toEqual(before);
  });

  it("refuses the player beyond the organiser's maxPlayers (MARKET_FULL) and changes nothing", () => {
    const state = createMarket(config({ maxPlayers: 2 }), 0);
    must(joinPlayer(state, "Ann", 0));
    must(joinPlayer(state, "Bob", 0));
    const before = structuredClone(state);
    expect(joinPlayer(state, "Cy", 1)).toMatchObject({
      ok: false,
      code: "MARKET_FULL",
      message: expect.stringContaining("at most 2 players"),
    });
    expect(state).toEqual(before);
  });

  it("lets anyone join when maxPlayers is not set", () => {
    const state = createMarket(config(), 0);
    for (let i = 0; i < 300; i++) must(joinPlayer(state, `p${i}`, 0));
    expect(state.players.size).toBe(300);
  });

  it("is open in the lobby, while trading and while paused, but not once the market is closed", () => {
    const state = createMarket(config(), 0);
    must(joinPlayer(state, "a", 0));
    must(applyControl(state, "open", 0));
    must(joinPlayer(state, "b", 0));
    must(applyControl(state, "pause", 0));
    must(joinPlayer(state, "c", 0));
    must(applyControl(state, "close", 0));
    expect(joinPlayer(state, "d", 0)).toMatchObject({ ok: false, code: "MARKET_NOT_OPEN" });
  });
});

describe("the organiser's controls", () => {
  it("follow lobby -> open <-> paused -> closed", () => {
    const state = createMarket(config(), 0);
    expect(must(applyControl(state, "open", 1)).status).toBe("open");
    expect(must(applyControl(state, "pause", 2)).status).toBe("paused");
    expect(must(applyControl(state, "resume", 3)).status).toBe("open");
    expect(must(applyControl(state, "close", 4)).status).toBe("closed");
  });

  it("refuse an impossible step with MARKET_NOT_OPEN and change nothing", () => {
    const cases: [string[], string][] = [
      [[], "pause"],
      [[], "resume"],
      [["open"], "open"],
      [["open"], "resume"],
      [["open", "pause"], "pause"],
      [["open", "pause"], "open"],
      [["close"], "open"],
      [["close"], "close"],
    ];
    for (const [steps, action] of cases) {
      const state = createMarket(config(), 0);
      for (const s of steps) must(applyControl(state, s as "open", 0));
      const before = structuredClone(state);
      expect(applyControl(state, action as "open", 1)).toMatchObject({ ok: false, code: "MARKET_NOT_OPEN" });
      expect(state).toEqual(before);
    }
  });

  it("the first open starts the session statistics at the current prices", () => {
    const state = createMarket(config(), 0);
    sym(state, "ACME").last = 12_345; // as if the organiser's setup had moved it
    must(applyControl(state, "open", 1));
    expect(sym(state, "ACME")).toMatchObject({ open: 12_345, high: 12_345, low: 12_345 });
  });

  it("closing cancels every open order, releases its reservation and reports the orders and players", () => {
    const state = openMarket(["ann", "bob", "cat"]);
    buy(state, "p2", "ACME", 10);
    const a = must(placeOrder(state, "p1", limit("ACME", "buy", 10, 9_500), 1)).order;
    const b = must(placeOrder(state, "p2", limit("ACME", "sell", 10, 10_500), 1)).order;
    const r = must(applyControl(state, "close", 2));
    expect(r.status).toBe("closed");
    expect(r.cancelled).toEqual([a, b]);
    expect(a.status).toBe("cancelled");
    expect(b.status).toBe("cancelled");
    expect(r.players.map((p) => p.id)).toEqual(["p1", "p2"]);
    expect(state.openOrders.size).toBe(0);
    expect(state.players.get("p1")).toMatchObject({ cash: 1_000_000, reserved: 0, openOrders: 0 });
    expect(state.players.get("p2")!.positions.ACME.reservedQty).toBe(0);
  });

  it("closing freezes the standings: ranks are computed on the final books", () => {
    const state = openMarket(["ann", "bob"]);
    buy(state, "p2", "ACME", 10); // pays the spread, so Bob ends a little behind Ann
    must(applyControl(state, "close", 2));
    expect(state.ranks.get("p1")).toBe(1);
    expect(state.ranks.get("p2")).toBe(2);
  });
});
