/**
 * The size bounds of shared/bounds.ts: prices stop at the highest price, orders,
 * positions and cash stop at theirs, and with every setting at its largest allowed value
 * each amount the engine keeps is an exact integer number of cents.
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
  portfolioOf,
  standings,
  stepTick,
  type FillState,
  type MarketConfig,
  type MarketState,
} from "../../../../worker/market/engine";
import {
  MAX_CASH_CENTS,
  MAX_FEE_RATE,
  MAX_HALF_SPREAD,
  MAX_LIMIT_PRICE_BAND,
  MAX_ORDER_QTY,
  MAX_POSITION,
  MAX_PRICE_CENTS,
  MAX_SYMBOLS,
} from "../../../../worker/shared/bounds";
import { CreateMarketInput } from "../../../../worker/shared/protocol";
import type { MarketRules } from "../../../../worker/shared/protocol";
import { limit, market, must, sym } from "../../../support/engine";

/** Highest starting cash the API accepts ($1e10), in cents. */
const MAX_STARTING_CENTS = 1e12;
/** Highest quote or fill price: a half-spread above the highest price, rounded up. */
const MAX_QUOTE_CENTS = Math.ceil(MAX_PRICE_CENTS * (1 + MAX_HALF_SPREAD)) + 1;

const MAX_RULES: MarketRules = {
  ...DEFAULT_RULES,
  maxOrderQty: MAX_ORDER_QTY,
  maxOpenOrders: 1000,
  limitPriceBand: MAX_LIMIT_PRICE_BAND,
  feeRate: MAX_FEE_RATE,
  halfSpread: MAX_HALF_SPREAD,
  impact: 1,
  // A one-tick window never trips the circuit breaker, so every news move lands.
  haltWindowTicks: 1,
};

/** An open market with `symbols` stocks and one player, "p1". */
function bigMarket(
  opts: { symbols?: number; price?: number; liquidity?: number; rules?: Partial<MarketRules>; cash?: number } = {},
): MarketState {
  const config: MarketConfig = {
    code: "BIG",
    name: "Big",
    startingCash: opts.cash ?? MAX_STARTING_CENTS,
    tickMs: 2000,
    seed: 3,
    rules: { ...MAX_RULES, ...opts.rules },
    symbols: Array.from({ length: opts.symbols ?? 1 }, (_, i) => ({
      symbol: "S" + String.fromCharCode(65 + (i % 26)) + String.fromCharCode(65 + Math.floor(i / 26)),
      name: "Stock " + i,
      sector: "Test",
      price: opts.price ?? 100,
      volatility: 0,
      liquidity: opts.liquidity ?? 1e12,
    })),
  };
  const state = createMarket(config, 0);
  must(joinPlayer(state, "ann", 0));
  must(applyControl(state, "open", 0));
  return state;
}

/** News far past the cap on every symbol, then enough ticks for all of it to land. */
function pumpEverything(state: MarketState, move = 5, items = 20): void {
  for (let i = 0; i < items; i++)
    applyNews(
      state,
      state.symbols.map((s) => ({ symbol: s.symbol, move, ticks: 3 })),
    );
  for (let t = 0; t < 10; t++) stepTick(state, 1000 + t);
}

function expectExactCents(label: string, values: number[]): void {
  for (const v of values) expect(Number.isSafeInteger(v), `${label}: ${v}`).toBe(true);
}

describe("the size bounds", () => {
  it("keep the worst case of every sum the engine computes below Number.MAX_SAFE_INTEGER", () => {
    // The arithmetic of shared/bounds.ts, from the constants, so raising one is caught here.
    const limitMax = MAX_PRICE_CENTS * (1 + MAX_LIMIT_PRICE_BAND);
    const reserveUnit = limitMax + Math.ceil(limitMax * MAX_FEE_RATE);
    const orderValue = MAX_ORDER_QTY * MAX_QUOTE_CENTS;
    const buyCheck = orderValue + Math.round(orderValue * MAX_FEE_RATE) + MAX_ORDER_QTY * reserveUnit;
    const saleCheck = MAX_CASH_CENTS + orderValue;
    const netWorth = MAX_CASH_CENTS + MAX_SYMBOLS * MAX_POSITION * MAX_PRICE_CENTS;
    for (const [what, v] of Object.entries({
      buyCheck,
      saleCheck,
      netWorth,
      positionCost: MAX_POSITION * MAX_QUOTE_CENTS,
    }))
      expect(v, what).toBeLessThan(Number.MAX_SAFE_INTEGER);
    // And the API's dollars keep whole cents apart: a double's spacing is under 0.01 below 2^46.
    expect(netWorth / 100).toBeLessThan(2 ** 46);
    expect(MAX_STARTING_CENTS).toBeLessThanOrEqual(MAX_CASH_CENTS);
  });

  it("stop prices at MAX_PRICE_CENTS however much news pushes them, and the quote a half-spread above it", () => {
    const state = bigMarket({ price: MAX_PRICE_CENTS / 10 });
    pumpEverything(state);
    const s = state.symbols[0];
    expect(s.last).toBe(MAX_PRICE_CENTS);
    expect(s.high).toBe(MAX_PRICE_CENTS);
    expect(s.ask).toBeLessThanOrEqual(MAX_QUOTE_CENTS);
    expect(Math.exp(s.logF)).toBeLessThanOrEqual(MAX_PRICE_CENTS * (1 + 1e-12));
    // A buy at the top prices within the bound too.
    const r = must(placeOrder(state, "p1", market(s.symbol, "buy", 1000), 2000));
    expect(r.fills[0].price).toBeLessThanOrEqual(MAX_QUOTE_CENTS);
  });

  it("refuse an order over MAX_ORDER_QTY with ORDER_LIMIT even where the market's rules allow more", () => {
    // A market created before the cap may carry maxOrderQty up to 1e9.
    const state = bigMarket({ price: 1, rules: { maxOrderQty: 1_000_000_000 } });
    const r = placeOrder(state, "p1", market(state.symbols[0].symbol, "buy", MAX_ORDER_QTY + 1), 1);
    expect(r).toMatchObject({ ok: false, code: "ORDER_LIMIT" });
    must(placeOrder(state, "p1", market(state.symbols[0].symbol, "buy", MAX_ORDER_QTY), 2));
  });

  it("refuse an order that would take a position past MAX_POSITION, long or short", () => {
    const state = bigMarket({ price: 1, rules: { allowShort: true } });
    const symbol = state.symbols[0].symbol;
    must(placeOrder(state, "p1", market(symbol, "buy", MAX_POSITION), 1));
    expect(placeOrder(state, "p1", market(symbol, "buy", 1), 2)).toMatchObject({ ok: false, code: "ORDER_LIMIT" });
    expect(placeOrder(state, "p1", limit(symbol, "buy", 1, 2), 3)).toMatchObject({ ok: false, code: "ORDER_LIMIT" });
    // Selling everything and as much again short is the whole room on the other side.
    must(placeOrder(state, "p1", market(symbol, "sell", MAX_POSITION), 4));
    must(placeOrder(state, "p1", market(symbol, "sell", MAX_POSITION), 5));
    expect(state.players.get("p1")!.positions[symbol].qty).toBe(-MAX_POSITION);
    expect(placeOrder(state, "p1", market(symbol, "sell", 1), 6)).toMatchObject({ ok: false, code: "ORDER_LIMIT" });
  });

  it("fill resting buys only up to MAX_POSITION and leave the rest waiting", () => {
    const state = bigMarket({ price: 10_000, rules: { halfSpread: 0, feeRate: 0, limitPriceBand: 0.5 } });
    const symbol = state.symbols[0].symbol;
    must(placeOrder(state, "p1", market(symbol, "buy", MAX_POSITION - 10), 1));
    // Each order alone fits the room left; together they do not.
    const a = must(placeOrder(state, "p1", { ...limit(symbol, "buy", 10, 9_000), clientOrderId: "a" }, 2)).order;
    const b = must(placeOrder(state, "p1", { ...limit(symbol, "buy", 10, 9_000), clientOrderId: "b" }, 3)).order;
    applyNews(state, [{ symbol, move: -0.5, ticks: 1 }]);
    const tick = stepTick(state, 4);
    expect(tick.fills.map((f) => [f.orderId, f.qty])).toEqual([[a.id, 10]]);
    expect(state.players.get("p1")!.positions[symbol].qty).toBe(MAX_POSITION);
    expect(state.openOrders.get(b.id)?.status).toBe("open");
    // Once the player sells some, the waiting order fills into the room.
    must(placeOrder(state, "p1", market(symbol, "sell", 4), 5));
    stepTick(state, 6);
    expect(state.openOrders.get(b.id)?.filledQty).toBe(4);
    expect(state.players.get("p1")!.positions[symbol].qty).toBe(MAX_POSITION);
    must(cancelOrder(state, "p1", b.id, 7));
  });

  it("refuse a sale that would take cash past MAX_CASH_CENTS, and leave a resting one unfilled", () => {
    const state = bigMarket({ price: MAX_PRICE_CENTS, rules: { halfSpread: 0, feeRate: 0, limitPriceBand: 0.5 } });
    const symbol = state.symbols[0].symbol;
    must(placeOrder(state, "p1", market(symbol, "buy", 5), 1));
    // Getting this rich by play takes about ten pump-and-sell rounds of 1e14 cents each;
    // the test starts the player there.
    const p = state.players.get("p1")!;
    p.cash = MAX_CASH_CENTS - MAX_PRICE_CENTS;
    expect(placeOrder(state, "p1", market(symbol, "sell", 2), 2)).toMatchObject({ ok: false, code: "ORDER_LIMIT" });
    expect(placeOrder(state, "p1", limit(symbol, "sell", 2, MAX_PRICE_CENTS * 0.9), 3)).toMatchObject({
      ok: false,
      code: "ORDER_LIMIT",
    });
    // A sale that stays within the cap goes through.
    must(placeOrder(state, "p1", market(symbol, "sell", 1), 4));
    const resting = must(
      placeOrder(state, "p1", limit(symbol, "sell", 1, Math.round(sym(state, symbol).last * 1.2)), 5),
    ).order;
    applyNews(state, [{ symbol, move: 0.3, ticks: 1 }]);
    stepTick(state, 6);
    expect(state.openOrders.get(resting.id)?.filledQty).toBe(0);
    expect(p.cash + p.reserved).toBeLessThanOrEqual(MAX_CASH_CENTS);
  });

  it("value a player with the largest position in every symbol at the highest price in exact cents", () => {
    const state = bigMarket({ symbols: MAX_SYMBOLS, price: 1 });
    for (const s of state.symbols) must(placeOrder(state, "p1", market(s.symbol, "buy", MAX_POSITION), 1));
    pumpEverything(state);
    const portfolio = portfolioOf(state, "p1")!;
    expect(state.symbols.every((s) => s.last === MAX_PRICE_CENTS)).toBe(true);
    expect(portfolio.netWorth).toBe(portfolio.cash + MAX_SYMBOLS * MAX_POSITION * MAX_PRICE_CENTS);
    expectExactCents("portfolio", [
      portfolio.netWorth,
      ...portfolio.positions.flatMap((x) => [x.value, x.pnl, x.avgCost]),
    ]);
    expectExactCents(
      "standings",
      standings(state).map((s) => s.netWorth),
    );
    expectExactCents(
      "leaders",
      state.top.map((s) => s.netWorth),
    );
  });

  it("are what the API refuses at creation: a larger price, maxOrderQty or a liquidity under one share is a validation error naming the field", () => {
    const base = {
      name: "x",
      startingCash: 1e10,
      symbols: [{ symbol: "ACME", name: "Acme", price: MAX_PRICE_CENTS / 100, liquidity: 1 }],
      rules: { maxOrderQty: MAX_ORDER_QTY },
    };
    expect(CreateMarketInput.safeParse(base).success).toBe(true);
    const fieldOf = (input: unknown) => {
      const r = CreateMarketInput.safeParse(input);
      return r.success ? null : r.error.issues.map((i) => i.path.join("."));
    };
    expect(fieldOf({ ...base, symbols: [{ ...base.symbols[0], price: MAX_PRICE_CENTS / 100 + 0.01 }] })).toEqual([
      "symbols.0.price",
    ]);
    expect(fieldOf({ ...base, symbols: [{ ...base.symbols[0], liquidity: 0.5 }] })).toEqual(["symbols.0.liquidity"]);
    expect(fieldOf({ ...base, rules: { maxOrderQty: MAX_ORDER_QTY + 1 } })).toEqual(["rules.maxOrderQty"]);
  });
});

// ---------------------------------------------------------------- the property

type Step =
  | { kind: "market"; symbol: number; side: "buy" | "sell"; qty: number }
  | { kind: "limit"; symbol: number; side: "buy" | "sell"; qty: number; offset: number }
  | { kind: "cancel"; pick: number }
  | { kind: "news"; symbol: number; move: number; ticks: number }
  | { kind: "tick" };

const SYMBOL_COUNT = 6;
const bigQty = fc.oneof(
  fc.constant(MAX_ORDER_QTY),
  fc.integer({ min: 1, max: MAX_ORDER_QTY }),
  fc.integer({ min: 1, max: 1000 }),
);
const symbolIndex = fc.integer({ min: 0, max: SYMBOL_COUNT - 1 });
const side = fc.constantFrom("buy" as const, "sell" as const);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("market" as const), symbol: symbolIndex, side, qty: bigQty }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("limit" as const),
      symbol: symbolIndex,
      side,
      qty: bigQty,
      // The band's far ends (-100%..+1000%) as well as near the price.
      offset: fc.oneof(
        fc.constantFrom(-0.99, MAX_LIMIT_PRICE_BAND, 0.2, -0.2),
        fc.double({ min: -0.99, max: MAX_LIMIT_PRICE_BAND, noNaN: true }),
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat(20) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("news" as const),
      symbol: symbolIndex,
      move: fc.oneof(fc.constant(5), fc.constant(-0.9), fc.double({ min: -0.9, max: 5, noNaN: true })),
      ticks: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 5, arbitrary: fc.constant({ kind: "tick" as const }) },
);

const maximalConfig: fc.Arbitrary<MarketConfig> = fc
  .record({
    allowShort: fc.boolean(),
    haltWindowTicks: fc.constantFrom(1, 1, 30),
    impact: fc.constantFrom(0, 0.01, 1),
    seed: fc.nat(),
    prices: fc.array(fc.constantFrom(1, 100, MAX_PRICE_CENTS), { minLength: SYMBOL_COUNT, maxLength: SYMBOL_COUNT }),
    liquidity: fc.constantFrom(1, 1e4, 1e12),
  })
  .map(({ allowShort, haltWindowTicks, impact, seed, prices, liquidity }) => ({
    code: "MAXI",
    name: "Maximal",
    startingCash: MAX_STARTING_CENTS,
    tickMs: 2000,
    seed,
    rules: { ...MAX_RULES, allowShort, impact, haltWindowTicks },
    symbols: prices.map((price, i) => ({
      symbol: "S" + i,
      name: "S" + i,
      sector: "T",
      price,
      volatility: 2,
      liquidity,
    })),
  }));

function runStep(state: MarketState, player: string, s: Step, now: number): FillState[] {
  switch (s.kind) {
    case "market": {
      const r = placeOrder(
        state,
        player,
        {
          clientOrderId: "c" + now,
          symbol: "S" + s.symbol,
          side: s.side,
          type: "market",
          qty: s.qty,
          limitPrice: null,
        },
        now,
      );
      return r.ok ? r.fills : [];
    }
    case "limit": {
      const last = state.symbols[s.symbol].last;
      const limitPrice = Math.max(1, Math.round(last * (1 + s.offset)));
      const r = placeOrder(
        state,
        player,
        { clientOrderId: "c" + now, symbol: "S" + s.symbol, side: s.side, type: "limit", qty: s.qty, limitPrice },
        now,
      );
      return r.ok ? r.fills : [];
    }
    case "cancel": {
      const mine = [...state.openOrders.values()].filter((o) => o.playerId === player);
      if (mine.length > 0) cancelOrder(state, player, mine[s.pick % mine.length].id, now);
      return [];
    }
    case "news":
      applyNews(state, [{ symbol: "S" + s.symbol, move: s.move, ticks: s.ticks }]);
      return [];
    case "tick":
      return stepTick(state, now).fills;
  }
}

function check(ok: boolean, what: string, detail: unknown) {
  if (!ok) throw new Error(`${what}: ${JSON.stringify(detail)}`);
}

function checkBounds(state: MarketState, fills: FillState[]) {
  const safe = Number.isSafeInteger;
  for (const s of state.symbols) {
    check(s.last <= MAX_PRICE_CENTS && s.high <= MAX_PRICE_CENTS, "no price above MAX_PRICE_CENTS", s);
    check(safe(s.ask) && s.ask <= MAX_QUOTE_CENTS, "the ask within a half-spread of it", s);
  }
  for (const f of fills)
    check(safe(f.qty * f.price) && safe(f.fee) && f.price <= MAX_QUOTE_CENTS, "fills in exact cents", f);
  for (const o of state.openOrders.values())
    check(safe(o.reservedCash) && safe(o.filledValue), "orders in exact cents", o);
  for (const p of state.players.values()) {
    check(
      safe(p.cash) && safe(p.reserved) && p.cash + p.reserved <= MAX_CASH_CENTS,
      "cash in exact cents, within the cap",
      p,
    );
    for (const pos of Object.values(p.positions))
      check(Math.abs(pos.qty) <= MAX_POSITION && safe(pos.cost), "positions within the cap", pos);
    const folio = portfolioOf(state, p.id)!;
    for (const v of [folio.netWorth, ...folio.positions.flatMap((x) => [x.value, x.pnl, x.avgCost])])
      check(safe(v), "portfolio in exact cents", folio);
  }
  for (const l of state.top) check(safe(l.netWorth), "leaderboard in exact cents", l);
}

describe("with every setting at its largest", () => {
  it("every balance, reservation, fill and net worth stays an exact integer number of cents", () => {
    let fillsSeen = 0;
    let atCap = 0;
    fc.assert(
      fc.property(
        maximalConfig,
        fc.array(fc.tuple(fc.constantFrom("p1", "p2"), step), { minLength: 10, maxLength: 80, size: "max" }),
        (config, steps) => {
          const state = createMarket(config, 0);
          must(joinPlayer(state, "ann", 0));
          must(joinPlayer(state, "bob", 0));
          must(applyControl(state, "open", 0));
          steps.forEach(([player, s], i) => {
            const fills = runStep(state, player, s, 1 + i);
            fillsSeen += fills.length;
            checkBounds(state, fills);
          });
          atCap += state.symbols.filter((s) => s.last === MAX_PRICE_CENTS).length;
        },
      ),
      { numRuns: 300 },
    );
    // The sessions did trade, and did reach the top price, so the checks were not vacuous.
    expect(fillsSeen).toBeGreaterThan(100);
    expect(atCap).toBeGreaterThan(10);
  }, 120_000);
});
