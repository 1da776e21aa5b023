import { describe, expect, it } from "vitest";
import { MAX_ORDER_QTY, MAX_POSITION, MAX_PRICE_CENTS } from "../../../worker/shared/bounds";
import { ADMIN, api, join, order, uniqueCode } from "../../support/workerd";

const STOCK = { symbol: "ACME", name: "Acme", price: 100, liquidity: 10_000 };

function createBody(
  code: string,
  overrides: { symbol?: Record<string, unknown>; rules?: Record<string, unknown>; startingCash?: number } = {},
) {
  return {
    code,
    name: "Bounds",
    startingCash: overrides.startingCash ?? 10_000,
    tickMs: 60_000,
    symbols: [{ ...STOCK, ...overrides.symbol }],
    rules: overrides.rules,
  };
}

describe("amounts that could pass 2^53 cents", () => {
  it("a market whose settings could overflow is refused with 400 VALIDATION naming the field, and is not created", async () => {
    const cases: [Parameters<typeof createBody>[1], string][] = [
      [{ symbol: { price: MAX_PRICE_CENTS / 100 + 0.01 } }, "symbols.0.price"],
      [{ rules: { maxOrderQty: MAX_ORDER_QTY + 1 } }, "rules.maxOrderQty"],
      [{ symbol: { liquidity: 0.5 } }, "symbols.0.liquidity"],
    ];
    for (const [overrides, field] of cases) {
      const code = uniqueCode("B");
      const res = await api("POST", "/api/markets", { token: ADMIN, body: createBody(code, overrides) });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.code).toBe("VALIDATION");
      expect(res.json.error.details.map((d: { field: string }) => d.field)).toEqual([field]);
      expect((await api("GET", `/api/markets/${code}`)).status).toBe(404);
    }
    // The largest allowed settings are accepted.
    const ok = await api("POST", "/api/markets", {
      token: ADMIN,
      body: createBody(uniqueCode("B"), {
        symbol: { price: MAX_PRICE_CENTS / 100, liquidity: 1 },
        rules: { maxOrderQty: MAX_ORDER_QTY },
        startingCash: 1e10,
      }),
    });
    expect(ok.status, ok.text).toBe(201);
  }, 60_000);

  it("an order that would take a position past the cap is refused with 422 ORDER_LIMIT and changes nothing", async () => {
    const code = uniqueCode("B");
    // A penny stock with deep liquidity: a million shares cost about $10,000.
    const created = await api("POST", "/api/markets", {
      token: ADMIN,
      body: createBody(code, {
        symbol: { price: 0.01, liquidity: 1e12 },
        rules: { maxOrderQty: MAX_ORDER_QTY },
        startingCash: 1e6,
      }),
    });
    expect(created.status, created.text).toBe(201);
    expect((await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "open" } })).status).toBe(
      200,
    );
    const { token } = await join(code, "Whale");

    const full = await api("POST", `/api/markets/${code}/orders`, { token, body: order("ACME", "buy", MAX_POSITION) });
    expect(full.status, full.text).toBe(201);
    const before = full.json.portfolio;

    const over = await api("POST", `/api/markets/${code}/orders`, { token, body: order("ACME", "buy", 1) });
    expect(over.status, over.text).toBe(422);
    expect(over.json.error.code).toBe("ORDER_LIMIT");
    const after = await api("GET", `/api/markets/${code}/portfolio`, { token });
    expect(after.json.cash).toBe(before.cash);
    expect(after.json.positions.find((p: { symbol: string }) => p.symbol === "ACME").qty).toBe(MAX_POSITION);
  }, 60_000);
});
