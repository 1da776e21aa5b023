/** Outbox rows of every kind for one market, shared by the history tests. */
import type { OutboxRow } from "../../worker/history/outboxDrain";
import { encodeOutbox, OUTBOX_VERSION, type OutboxKind, type OutboxPayloads } from "../../worker/history/outboxTypes";

/** A payload as a test writes it: the builder adds the market code and today's version. */
export type PayloadFields<K extends OutboxKind> = Omit<OutboxPayloads[K], "marketCode" | "v">;

/** A market code no earlier run used: tests share one Postgres database across runs. */
export function uniqueCode(prefix = "T"): string {
  const stamp = Date.now().toString(36).toUpperCase();
  const rand = Math.floor(Math.random() * 36 ** 3)
    .toString(36)
    .toUpperCase()
    .padStart(3, "0");
  return (prefix + stamp + rand).slice(0, 12);
}

export class OutboxBuilder {
  rows: OutboxRow[] = [];
  private nextId: number;
  constructor(
    readonly code: string,
    firstId = 1,
  ) {
    this.nextId = firstId;
  }
  add<K extends OutboxKind>(kind: K, payload: PayloadFields<K>): this {
    const full = { v: OUTBOX_VERSION[kind], marketCode: this.code, ...payload } as OutboxPayloads[K];
    this.rows.push({ id: this.nextId++, ...encodeOutbox(kind, full) });
    return this;
  }
}

export const T0 = 1_790_000_000_000;

export const RULES = { maxOrderQty: 100000, feeRate: 0.001, allowShort: false };

export function marketPayload(status: OutboxPayloads["market"]["status"]): PayloadFields<"market"> {
  return {
    name: "Fest 2026",
    status,
    startingCash: 10_000_00,
    tickMs: 2000,
    seed: 4_000_000_000,
    createdAt: T0,
    rules: RULES,
    symbols: [
      { symbol: "ACME", name: "Acme Corp", sector: "Industry", price: 123_45, volatility: 0.05, liquidity: 10_000 },
      { symbol: "GLOBX", name: "Globex", sector: "Tech", price: 9_99, volatility: 0.08, liquidity: 2_500.5 },
    ],
  };
}

/** One of each kind (and a few updates), as the market object would write them. */
export function everyKind(code: string, firstId = 1): OutboxBuilder {
  return new OutboxBuilder(code, firstId)
    .add("market", marketPayload("lobby"))
    .add("player", { id: "p1", name: "Ada", joinedAt: T0 + 1 })
    .add("player", { id: "p2", name: "Linus", joinedAt: T0 + 2 })
    .add("market", marketPayload("open"))
    .add("order", {
      id: "o1",
      playerId: "p1",
      clientOrderId: "c-1",
      symbol: "ACME",
      side: "buy",
      type: "limit",
      qty: 10,
      limitPrice: 120_00,
      status: "open",
      filledQty: 0,
      filledValue: 0,
      createdAt: T0 + 10,
      updatedAt: T0 + 10,
    })
    .add("order", {
      id: "o2",
      playerId: "p2",
      clientOrderId: "c-2",
      symbol: "GLOBX",
      side: "buy",
      type: "market",
      qty: 5,
      limitPrice: null,
      status: "filled",
      filledQty: 5,
      filledValue: 50_05,
      createdAt: T0 + 11,
      updatedAt: T0 + 11,
    })
    .add("fill", {
      id: "f1",
      orderId: "o2",
      playerId: "p2",
      symbol: "GLOBX",
      side: "buy",
      qty: 5,
      price: 10_01,
      fee: 5,
      t: T0 + 11,
      tick: 1,
    })
    .add("news", {
      id: "n1",
      headline: "Acme wins contract",
      body: "",
      impacts: [{ symbol: "ACME", move: 0.08, ticks: 3 }],
      publishAt: T0 + 20,
      status: "scheduled",
    })
    .add("tick", { tick: 1, t: T0 + 2000, prices: { ACME: 123_50, GLOBX: 10_02 }, volumes: { GLOBX: 5 } })
    .add("order", {
      id: "o1",
      playerId: "p1",
      clientOrderId: "c-1",
      symbol: "ACME",
      side: "buy",
      type: "limit",
      qty: 10,
      limitPrice: 120_00,
      status: "filled",
      filledQty: 10,
      filledValue: 1_199_90,
      createdAt: T0 + 10,
      updatedAt: T0 + 3000,
    })
    .add("fill", {
      id: "f2",
      orderId: "o1",
      playerId: "p1",
      symbol: "ACME",
      side: "buy",
      qty: 10,
      price: 119_99,
      fee: 120,
      t: T0 + 3000,
      tick: 2,
    })
    .add("news", {
      id: "n1",
      headline: "Acme wins contract",
      body: "",
      impacts: [{ symbol: "ACME", move: 0.08, ticks: 3 }],
      publishAt: T0 + 20,
      status: "published",
    })
    .add("tick", { tick: 2, t: T0 + 4000, prices: { ACME: 119_99, GLOBX: 10_02 }, volumes: { ACME: 10, GLOBX: 0 } })
    .add("market", marketPayload("closed"))
    .add("standings", {
      closedAt: T0 + 5000,
      standings: [
        { playerId: "p1", name: "Ada", rank: 1, netWorth: 10_000_00, cash: 8_799_90 },
        { playerId: "p2", name: "Linus", rank: 2, netWorth: 9_999_92, cash: 9_949_90 },
      ],
    });
}

/** `n` fills of one market, as a backlog would hold them. */
export function fillBacklog(code: string, n: number, firstId = 1): OutboxRow[] {
  const b = new OutboxBuilder(code, firstId);
  for (let i = 1; i <= n; i++)
    b.add("fill", {
      id: `f${i}`,
      orderId: `o${i}`,
      playerId: `p${(i % 7) + 1}`,
      symbol: i % 2 ? "ACME" : "GLOBX",
      side: i % 3 ? "buy" : "sell",
      qty: (i % 50) + 1,
      price: 100_00 + (i % 997),
      fee: i % 13,
      t: T0 + i,
      tick: Math.floor(i / 10),
    });
  return b.rows;
}
