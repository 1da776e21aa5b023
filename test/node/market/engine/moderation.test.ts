import { describe, expect, it } from "vitest";
import {
  blockName,
  joinPlayer,
  placeOrder,
  refreshRanks,
  removePlayer,
  renamePlayer,
  setModeration,
} from "../../../../worker/market/engine";
import { buy, limit, must, openMarket } from "../../../support/engine";

describe("renaming a player", () => {
  it("moves the name in the index and the cached leaderboard, and frees the old name", () => {
    const state = openMarket(["ann", "bob"]);
    refreshRanks(state);
    must(renamePlayer(state, "p1", "Annie"));
    expect(state.players.get("p1")!.name).toBe("Annie");
    expect(state.top.find((l) => l.playerId === "p1")!.name).toBe("Annie");
    expect(must(joinPlayer(state, "ANN", 0)).player.name).toBe("ANN");
    expect(joinPlayer(state, "annie", 0)).toMatchObject({ ok: false, code: "NAME_TAKEN" });
  });

  it("refuses a name another player has (or a look-alike), a blocked name and a banned word", () => {
    const state = openMarket(["ann", "bob"]);
    expect(renamePlayer(state, "p1", "B0B")).toMatchObject({ ok: false, code: "NAME_TAKEN" });
    blockName(state, "Zed");
    expect(renamePlayer(state, "p1", "zed")).toMatchObject({ ok: false, code: "NAME_BLOCKED" });
    expect(renamePlayer(state, "p1", "Sh1t")).toMatchObject({ ok: false, code: "NAME_NOT_ALLOWED" });
    expect(renamePlayer(state, "p9", "Nobody")).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(state.players.get("p1")!.name).toBe("ann");
  });
});

describe("removing a player", () => {
  it("cancels their open orders, gives back what those held, and drops them from the standings", () => {
    const state = openMarket(["ann", "bob", "cat"]);
    buy(state, "p1", "ACME", 20);
    must(placeOrder(state, "p1", limit("ACME", "buy", 5, 9_000), 2));
    must(placeOrder(state, "p1", limit("ACME", "sell", 7, 11_000), 3));
    const before = state.players.get("p1")!;
    expect(before.reserved).toBeGreaterThan(0);
    const cashAndReserved = before.cash + before.reserved;
    const removed = must(removePlayer(state, "p1", 4));
    expect(removed.cancelled.map((o) => o.status)).toEqual(["cancelled", "cancelled"]);
    expect(removed.player.reserved).toBe(0);
    expect(removed.player.cash).toBe(cashAndReserved);
    expect(removed.player.positions.ACME).toMatchObject({ qty: 20, reservedQty: 0 });
    expect(removed.player.openOrders).toBe(0);
    expect([...state.openOrders.values()].some((o) => o.playerId === "p1")).toBe(false);
    expect(state.players.has("p1")).toBe(false);
    expect(state.top.map((l) => l.name).sort()).toEqual(["bob", "cat"]);
    expect([...state.ranks.values()].sort()).toEqual([1, 2]);
    // Without a block, the name is free again.
    expect(must(joinPlayer(state, "Ann", 5)).player.id).toBe("p4");
  });

  it("is NOT_FOUND for a player who is not there", () => {
    expect(removePlayer(openMarket(), "p42", 0)).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });
});

describe("the market's name rules", () => {
  it("refuse a blocked name and its look-alikes at the door", () => {
    const state = openMarket([]);
    blockName(state, "Bob");
    for (const name of ["Bob", "BOB", "B0b", "B\u043eb"])
      expect(joinPlayer(state, name, 0), name).toMatchObject({ ok: false, code: "NAME_BLOCKED" });
    expect(must(joinPlayer(state, "Bobby", 0)).player.name).toBe("Bobby");
  });

  it("use the default word list, and the organiser's own once it is replaced", () => {
    const state = openMarket([]);
    expect(joinPlayer(state, "Fuckface", 0)).toMatchObject({ ok: false, code: "NAME_NOT_ALLOWED" });
    expect(must(joinPlayer(state, "Harshit", 0)).player.name).toBe("Harshit");
    setModeration(state, { blockedNames: [], bannedWords: ["broccoli"] });
    expect(joinPlayer(state, "Br0cc0li", 0)).toMatchObject({ ok: false, code: "NAME_NOT_ALLOWED" });
    expect(must(joinPlayer(state, "Fuckface", 0)).player.name).toBe("Fuckface");
  });
});
