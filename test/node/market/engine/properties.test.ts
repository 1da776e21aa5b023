/**
 * Property tests: random sequences of everything a market can be asked to do, checked
 * after every step against the ledger rules, and replayed to prove determinism.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyControl,
  applyNews,
  cancelOrder,
  createMarket,
  DEFAULT_RULES,
  joinPlayer,
  placeOrder,
  reviveMarket,
  serializeMarket,
  setHalt,
  stepTick,
  type FillState,
  type MarketConfig,
  type MarketState,
} from "../../../../worker/market/engine";

const SYMBOLS = ["ACME", "BOLT", "CRUX"];
const NAMES = ["ann", "Ann", "bob", "DAN", "eve", "EVE", "fay", "gus"];

type Command =
  | { kind: "join"; name: string }
  | { kind: "market"; player: number; symbol: number; side: "buy" | "sell"; qty: number }
  | { kind: "limit"; player: number; symbol: number; side: "buy" | "sell"; qty: number; offset: number }
  | { kind: "cancel"; player: number; pick: number }
  | { kind: "news"; symbol: number; move: number; ticks: number }
  | { kind: "halt"; symbol: number; halted: boolean }
  | { kind: "control"; action: "open" | "pause" | "resume" | "close" }
  | { kind: "tick" };

// fast-check leans towards the ends of a range, so the rare cases (an unknown player or
// symbol) get their own small weight instead of being the top of the range.
const player = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 4 }) }, // joined at the start
  { weight: 2, arbitrary: fc.integer({ min: 5, max: 7 }) }, // only if a join succeeded
  { weight: 1, arbitrary: fc.constant(99) }, // never joined
);
const symbol = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: SYMBOLS.length - 1 }) },
  { weight: 1, arbitrary: fc.constant(99) },
);
const side = fc.constantFrom("buy" as const, "sell" as const);
const qty = fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 3_000 }));
/** Limit price offset from the last price: mostly near it (so orders rest and then cross), sometimes far. */
const offset = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -40, max: 40 }).map((x) => x / 1000) },
  { weight: 1, arbitrary: fc.double({ min: -0.7, max: 0.7, noNaN: true }) },
);

const command = (): fc.Arbitrary<Command> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("join" as const), name: fc.constantFrom(...NAMES) }) },
    { weight: 12, arbitrary: fc.record({ kind: fc.constant("market" as const), player, symbol, side, qty }) },
    {
      weight: 12,
      arbitrary: fc.record({ kind: fc.constant("limit" as const), player, symbol, side, qty, offset }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("cancel" as const),
        player,
        pick: fc.oneof({ weight: 6, arbitrary: fc.nat(14) }, { weight: 1, arbitrary: fc.nat(99) }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("news" as const),
        symbol,
        move: fc.double({ min: -0.9, max: 3, noNaN: true }),
        ticks: fc.integer({ min: 1, max: 6 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("halt" as const), symbol, halted: fc.boolean() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("control" as const),
        action: fc.constantFrom(
          "open" as const,
          "pause" as const,
          "resume" as const,
          "pause" as const,
          "resume" as const,
          "close" as const,
        ),
      }),
    },
    { weight: 10, arbitrary: fc.constant({ kind: "tick" as const }) },
  );

/** Whole sessions, not just the few commands fast-check's default size would give. */
const session = fc.array(command(), { minLength: 5, maxLength: 60, size: "max" });

const marketConfig: fc.Arbitrary<MarketConfig> = fc.record({
  code: fc.constant("PROP"),
  name: fc.constant("Property market"),
  startingCash: fc.oneof(fc.integer({ min: 1_000, max: 100_000 }), fc.integer({ min: 1_000_000, max: 50_000_000 })),
  tickMs: fc.constantFrom(500, 2000, 10_000),
  seed: fc.nat(),
  rules: fc.record({
    ...Object.fromEntries(Object.entries(DEFAULT_RULES).map(([k, v]) => [k, fc.constant(v)])),
    maxOrderQty: fc.integer({ min: 100, max: 5_000 }),
    maxOpenOrders: fc.integer({ min: 1, max: 6 }),
    limitPriceBand: fc.double({ min: 0.05, max: 0.8, noNaN: true }),
    feeRate: fc.constantFrom(0, 0.001, 0.0123, 0.1),
    haltBand: fc.double({ min: 0.02, max: 0.5, noNaN: true }),
    haltWindowTicks: fc.integer({ min: 1, max: 10 }),
    haltTicks: fc.integer({ min: 1, max: 5 }),
    impact: fc.double({ min: 0, max: 0.2, noNaN: true }),
    reversion: fc.double({ min: 0, max: 0.5, noNaN: true }),
    halfSpread: fc.double({ min: 0, max: 0.05, noNaN: true }),
  }) as fc.Arbitrary<MarketConfig["rules"]>,
  symbols: fc.tuple(
    ...SYMBOLS.map((s) =>
      fc.record({
        symbol: fc.constant(s),
        name: fc.constant(s),
        sector: fc.constant("test"),
        price: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 100_000 })),
        volatility: fc.double({ min: 0, max: 0.5, noNaN: true }),
        liquidity: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 100, max: 100_000 })),
      }),
    ),
  ),
});

/** Run one command; returns the fills it made and whether it was refused. */
function run(state: MarketState, cmd: Command, now: number): { fills: FillState[]; refused: boolean; out: unknown } {
  const pid = "p" + ("player" in cmd ? cmd.player : 0);
  const sym = "symbol" in cmd ? (SYMBOLS[cmd.symbol] ?? "NOPE") : "";
  switch (cmd.kind) {
    case "join": {
      const r = joinPlayer(state, cmd.name, now);
      return { fills: [], refused: !r.ok, out: r };
    }
    case "market": {
      const r = placeOrder(
        state,
        pid,
        { clientOrderId: "c" + now, symbol: sym, side: cmd.side, type: "market", qty: cmd.qty, limitPrice: null },
        now,
      );
      return { fills: r.ok ? r.fills : [], refused: !r.ok, out: r };
    }
    case "limit": {
      const last = state.symbols.find((s) => s.symbol === sym)?.last ?? 100;
      const limitPrice = Math.max(1, Math.round(last * (1 + cmd.offset)));
      const r = placeOrder(
        state,
        pid,
        { clientOrderId: "c" + now, symbol: sym, side: cmd.side, type: "limit", qty: cmd.qty, limitPrice },
        now,
      );
      return { fills: r.ok ? r.fills : [], refused: !r.ok, out: r };
    }
    case "cancel": {
      const mine = [...state.openOrders.values()].filter((o) => o.playerId === pid);
      const id = mine.length > 0 && cmd.pick < 15 ? mine[cmd.pick % mine.length].id : "o" + cmd.pick; // else mostly unknown or finished
      const r = cancelOrder(state, pid, id, now);
      return { fills: [], refused: !r.ok, out: r };
    }
    case "news":
      applyNews(state, [{ symbol: sym, move: cmd.move, ticks: cmd.ticks }]);
      return { fills: [], refused: false, out: null };
    case "halt": {
      const r = setHalt(state, sym, cmd.halted);
      return { fills: [], refused: !r.ok, out: r };
    }
    case "control": {
      const r = applyControl(state, cmd.action, now);
      return { fills: [], refused: !r.ok, out: r };
    }
    case "tick": {
      const r = stepTick(state, now);
      return { fills: r.fills, refused: false, out: r };
    }
  }
}

/** Plain checks, not expect(): this runs after every step of thousands of sessions. */
function check(ok: boolean, what: string, detail?: unknown) {
  if (!ok) throw new Error(`${what}: ${JSON.stringify(detail)}`);
}

/** Every ledger rule, checked against the fills seen so far. */
function checkLedger(state: MarketState, fills: FillState[]) {
  for (const s of state.symbols) {
    for (const v of [s.last, s.bid, s.ask, s.high, s.low])
      check(Number.isSafeInteger(v) && v >= 1, "prices are whole cents >= 1", s);
    check(s.bid < s.ask, "bid below ask", s);
    check(Number.isFinite(s.logP) && Number.isFinite(s.logF), "log prices finite", s);
  }
  const reservedCash = new Map<string, number>();
  const reservedQty = new Map<string, number>();
  const openCount = new Map<string, number>();
  for (const o of state.openOrders.values()) {
    check((o.status === "open" || o.status === "partially_filled") && o.filledQty < o.qty, "open orders are open", o);
    openCount.set(o.playerId, (openCount.get(o.playerId) ?? 0) + 1);
    if (o.side === "buy") reservedCash.set(o.playerId, (reservedCash.get(o.playerId) ?? 0) + o.reservedCash);
    else
      reservedQty.set(
        o.playerId + "/" + o.symbol,
        (reservedQty.get(o.playerId + "/" + o.symbol) ?? 0) + o.qty - o.filledQty,
      );
  }
  const flow = new Map<string, number>();
  const held = new Map<string, number>();
  for (const f of fills) {
    check(f.price >= 1 && f.fee >= 0 && f.qty > 0, "fills are positive", f);
    const value = f.qty * f.price;
    flow.set(f.playerId, (flow.get(f.playerId) ?? 0) + (f.side === "buy" ? -value - f.fee : value - f.fee));
    const key = f.playerId + "/" + f.symbol;
    held.set(key, (held.get(key) ?? 0) + (f.side === "buy" ? f.qty : -f.qty));
  }
  for (const p of state.players.values()) {
    check(p.cash >= 0 && p.reserved >= 0, "cash and reserved never negative", p);
    check(p.reserved === (reservedCash.get(p.id) ?? 0), "reserved = sum of open buy reservations", p);
    check(p.openOrders === (openCount.get(p.id) ?? 0), "openOrders counts the open orders", p);
    check(
      p.cash + p.reserved === state.startingCash + (flow.get(p.id) ?? 0),
      "cash + reserved = start - buys + sells, to the cent",
      p,
    );
    for (const [symbol, pos] of Object.entries(p.positions)) {
      check(pos.qty >= 0 && pos.reservedQty >= 0 && pos.reservedQty <= pos.qty, "0 <= reservedQty <= qty", p);
      check(pos.reservedQty === (reservedQty.get(p.id + "/" + symbol) ?? 0), "reservedQty = open sell remainders", p);
      check(pos.qty === (held.get(p.id + "/" + symbol) ?? 0), "qty = bought - sold", p);
    }
  }
}

/** A market with a few players already in and open, so most sequences trade. */
function start(config: MarketConfig): MarketState {
  const state = createMarket(config, 0);
  joinPlayer(state, "ann", 0);
  joinPlayer(state, "bob", 0);
  joinPlayer(state, "cat", 0);
  joinPlayer(state, "dan", 0);
  applyControl(state, "open", 0);
  return state;
}

describe("ledger properties over random sessions", () => {
  it("cash, reservations, positions and prices stay consistent after every step, and refused inputs change nothing", () => {
    // What the random sessions exercised, so the property cannot pass vacuously.
    const seen = { marketFills: 0, restingFills: 0, partialFills: 0, halts: 0, refusals: 0 };
    fc.assert(
      fc.property(marketConfig, session, (config, commands) => {
        const state = start(config);
        const fills: FillState[] = [];
        commands.forEach((cmd, i) => {
          const before = serializeMarket(state);
          const r = run(state, cmd, 1 + i);
          if (r.refused) {
            seen.refusals++;
            check(serializeMarket(state) === before, "a refused input changes nothing", { cmd, r: r.out });
          }
          if (cmd.kind === "tick") {
            seen.restingFills += r.fills.length;
            seen.halts += (r.out as { halted: string[] }).halted.length;
          } else {
            seen.marketFills += r.fills.length;
          }
          const status = (r.out as { order?: { status: string } } | null)?.order?.status;
          if (status === "partially_filled") seen.partialFills++;
          if (cmd.kind === "tick")
            seen.partialFills += (r.out as { orders: { status: string }[] }).orders.filter(
              (o) => o.status === "partially_filled",
            ).length;
          fills.push(...r.fills);
          checkLedger(state, fills);
        });
      }),
      { numRuns: 5000 },
    );
    for (const [what, count] of Object.entries(seen)) expect(count, what).toBeGreaterThan(5);
  });

  it("a limit buy never pays more than its limit, a limit sell never gets less", () => {
    fc.assert(
      fc.property(marketConfig, session, (config, commands) => {
        const state = start(config);
        const limits = new Map<string, number>();
        commands.forEach((cmd, i) => {
          const r = run(state, cmd, 1 + i);
          const placed = r.out as { ok?: boolean; order?: { id: string; limitPrice: number | null } };
          if (placed?.ok && placed.order?.limitPrice != null) limits.set(placed.order.id, placed.order.limitPrice);
          for (const f of r.fills) {
            const lim = limits.get(f.orderId);
            if (lim === undefined) continue;
            if (f.side === "buy") expect(f.price).toBeLessThanOrEqual(lim);
            else expect(f.price).toBeGreaterThanOrEqual(lim);
          }
        });
      }),
      { numRuns: 1500 },
    );
  });
});

describe("determinism", () => {
  it("the same seed, configuration and inputs give deep-equal markets and outputs", () => {
    fc.assert(
      fc.property(marketConfig, session, (config, commands) => {
        const a = start(config);
        const b = start(config);
        // Outputs are snapshotted at once: they hold live state objects that later steps change.
        const outA = commands.map((cmd, i) => JSON.stringify(run(a, cmd, 1 + i).out));
        const outB = commands.map((cmd, i) => JSON.stringify(run(b, cmd, 1 + i).out));
        expect(outB).toEqual(outA);
        expect(b).toEqual(a);
      }),
      { numRuns: 1500 },
    );
  });

  it("a market serialised to JSON and revived mid-way ends exactly where the uninterrupted one does", () => {
    fc.assert(
      fc.property(marketConfig, session, fc.nat(60), (config, commands, cut) => {
        const straight = start(config);
        // Outputs are snapshotted at once: they hold live state objects that later steps change.
        const outStraight = commands.map((cmd, i) => JSON.stringify(run(straight, cmd, 1 + i).out));
        let resumed = start(config);
        const outResumed: string[] = [];
        commands.forEach((cmd, i) => {
          if (i === cut) resumed = reviveMarket(serializeMarket(resumed));
          outResumed.push(JSON.stringify(run(resumed, cmd, 1 + i).out));
        });
        expect(reviveMarket(serializeMarket(resumed))).toEqual(resumed);
        expect(resumed).toEqual(straight);
        expect(outResumed).toEqual(outStraight);
      }),
      { numRuns: 1500 },
    );
  });
});
