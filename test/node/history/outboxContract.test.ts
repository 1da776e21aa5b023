/**
 * The outbox payloads are a contract between the Worker that writes a row and the one that
 * drains it (possibly the next deploy): built from engine state field by field, versioned,
 * and read back with the version checked.
 */
import { describe, expect, it } from "vitest";
import { planOutboxWrites } from "../../../worker/history/pgWriter";
import {
  decodeOutboxRow,
  encodeOutbox,
  OUTBOX_KINDS,
  OUTBOX_VERSION,
  type OutboxKind,
  type OutboxPayloads,
} from "../../../worker/history/outboxTypes";
import { applyControl, placeOrder, stepTick } from "../../../worker/market/engine";
import {
  fillPayload,
  marketPayload,
  newsPayload,
  orderPayload,
  playerPayload,
  standingsPayload,
  tickPayload,
} from "../../../worker/market/outboxPayloads";
import { buy, limit, must, openMarket } from "../../support/engine";

/** One payload of every kind, built today from a real market's state. */
function payloadsFromAMarket(): { [K in OutboxKind]: OutboxPayloads[K] } {
  const state = openMarket(["ann", "bob"]);
  const filled = buy(state, "p1", "ACME", 5, 10);
  const resting = must(placeOrder(state, "p2", limit("BOLT", "buy", 3, 1_000), 11));
  stepTick(state, 2_000);
  must(applyControl(state, "close", 3_000));
  const news = {
    id: "n1",
    no: 1,
    headline: "Acme wins contract",
    body: "",
    impacts: [{ symbol: "ACME", move: 0.08, ticks: 3 }],
    publishAt: 20,
    status: "published" as const,
    afterOpenMs: null,
  };
  return {
    market: marketPayload(state),
    player: playerPayload(state, state.players.get("p1")!),
    order: orderPayload(state, resting.order),
    fill: fillPayload(state, filled.fills[0]),
    news: newsPayload(state, news),
    tick: tickPayload(state, 2_000),
    standings: standingsPayload(state, 3_000),
  };
}

/** The version 1 fields of each kind: what rows queued today mean to the Worker that drains them. */
const V1_FIELDS: Record<OutboxKind, string[]> = {
  market: ["v", "marketCode", "name", "status", "startingCash", "tickMs", "seed", "createdAt", "rules", "symbols"],
  player: ["v", "marketCode", "id", "name", "joinedAt"],
  order: [
    "v",
    "marketCode",
    "id",
    "playerId",
    "clientOrderId",
    "symbol",
    "side",
    "type",
    "qty",
    "limitPrice",
    "status",
    "filledQty",
    "filledValue",
    "createdAt",
    "updatedAt",
  ],
  fill: ["v", "marketCode", "id", "orderId", "playerId", "symbol", "side", "qty", "price", "fee", "t", "tick"],
  news: ["v", "marketCode", "id", "headline", "body", "impacts", "publishAt", "status"],
  tick: ["v", "marketCode", "tick", "t", "prices", "volumes"],
  standings: ["v", "marketCode", "closedAt", "standings"],
};

const row = (id: number, kind: OutboxKind, payload: unknown) => ({ id, kind, payload: JSON.stringify(payload) });

describe("the outbox contract", () => {
  const payloads = payloadsFromAMarket();

  it("builds every kind from engine state with its version and exactly its own fields", () => {
    for (const kind of OUTBOX_KINDS) {
      const p = payloads[kind] as unknown as Record<string, unknown>;
      expect(p.v, kind).toBe(OUTBOX_VERSION[kind]);
      expect(Object.keys(p).sort(), kind).toEqual([...V1_FIELDS[kind]].sort());
    }
    // The cash a resting buy holds back stays in the market.
    expect(payloads.order).not.toHaveProperty("reservedCash");
    expect(payloads.order).toMatchObject({
      marketCode: "TEST",
      id: "o2",
      playerId: "p2",
      side: "buy",
      type: "limit",
      limitPrice: 1_000,
    });
  });

  it("reads back every payload built today exactly as it was written", () => {
    OUTBOX_KINDS.forEach((kind, i) => {
      const encoded = encodeOutbox(kind, payloads[kind]);
      const decoded = decodeOutboxRow({ id: i + 1, ...encoded });
      expect(decoded).toEqual({ id: i + 1, kind, payload: payloads[kind] });
    });
  });

  it("reads a row queued before payloads carried a version as version 1", () => {
    const { v: _v, ...unversioned } = payloads.fill;
    expect(decodeOutboxRow(row(7, "fill", unversioned))).toEqual({ id: 7, kind: "fill", payload: payloads.fill });
  });

  it("refuses a version it does not know, naming the row and the version, instead of reading its fields", () => {
    for (const v of [2, 0, "1", null]) {
      expect(() => decodeOutboxRow(row(42, "order", { ...payloads.order, v })), JSON.stringify(v)).toThrow(
        new RegExp(
          `outbox row 42 \\(order\\): payload version ${JSON.stringify(v)} is not one this Worker reads \\(1\\)`,
        ),
      );
    }
  });

  it("fails the whole Postgres batch on a row of an unknown version", () => {
    const rows = OUTBOX_KINDS.map((kind, i) => ({ id: i + 1, ...encodeOutbox(kind, payloads[kind]) }));
    expect(planOutboxWrites(rows).length).toBeGreaterThan(0);
    rows.push(row(99, "fill", { ...payloads.fill, v: 2, price: "a renamed field" }));
    expect(() => planOutboxWrites(rows)).toThrow(/outbox row 99 \(fill\): payload version 2/);
  });

  it("refuses to write a payload without today's version", () => {
    const { v: _v, ...unversioned } = payloads.tick;
    expect(() => encodeOutbox("tick", unversioned as never)).toThrow(/outbox tick payload must carry v: 1/);
    expect(() => encodeOutbox("tick", { ...payloads.tick, v: 2 } as never)).toThrow(/must carry v: 1, got 2/);
  });

  it("refuses a payload that is not a JSON object", () => {
    expect(() => decodeOutboxRow({ id: 3, kind: "news", payload: "[1,2]" })).toThrow(
      /outbox row 3 \(news\): payload is not a JSON object/,
    );
    expect(() => decodeOutboxRow({ id: 4, kind: "news", payload: "null" })).toThrow(
      /outbox row 4 \(news\): payload is not a JSON object/,
    );
  });
});
