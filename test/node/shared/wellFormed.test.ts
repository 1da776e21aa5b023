import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  CreateMarketInput,
  FillsQuery,
  JoinInput,
  NewsInput,
  OrderInput,
  OrdersQuery,
} from "../../../worker/shared/protocol";
import { isWellFormed } from "../../../worker/shared/wellFormed";

const HIGH = "\ud83d"; // the first half of 🚀 (U+1F680), alone
const LOW = "\ude80"; // its second half, alone

const symbol = { symbol: "ACME", name: "Acme", price: 10, sector: "Industry" };
const market = { name: "Market", startingCash: 1000, symbols: [symbol] };
const buy = { clientOrderId: "c-1", symbol: "ACME", side: "buy", qty: 1, type: "market" };

/** Every free-text field a client can send, each with a valid request around it. */
const FIELDS: [string, z.ZodType, (text: string) => unknown][] = [
  ["name", CreateMarketInput, (name) => ({ ...market, name })],
  ["symbols.0.name", CreateMarketInput, (name) => ({ ...market, symbols: [{ ...symbol, name }] })],
  ["symbols.0.sector", CreateMarketInput, (sector) => ({ ...market, symbols: [{ ...symbol, sector }] })],
  ["headline", NewsInput, (headline) => ({ headline, impacts: [] })],
  ["body", NewsInput, (body) => ({ headline: "News", body, impacts: [] })],
  ["name", JoinInput, (name) => ({ name })],
  ["clientOrderId", OrderInput, (clientOrderId) => ({ ...buy, clientOrderId })],
  ["before", OrdersQuery, (before) => ({ before })],
  ["before", FillsQuery, (before) => ({ before })],
];

describe("text that is not well-formed", () => {
  it.each(FIELDS)("is refused in %s, naming the field", (field, schema, request) => {
    for (const bad of ["x" + HIGH, LOW + "x", "x" + LOW + HIGH + "x"]) {
      const result = schema.safeParse(request(bad));
      expect(result.success, JSON.stringify(bad)).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join("."))).toContain(field);
    }
  });

  it.each(FIELDS.filter(([field]) => field !== "clientOrderId"))(
    "is not confused with a whole surrogate pair in %s",
    (_, schema, request) => {
      expect(schema.safeParse(request("go " + HIGH + LOW)).success).toBe(true);
    },
  );

  it("is told apart from well-formed text", () => {
    expect(isWellFormed("")).toBe(true);
    expect(isWellFormed("🚀 and 李")).toBe(true);
    expect(isWellFormed(HIGH)).toBe(false);
    expect(isWellFormed(LOW + HIGH)).toBe(false); // in the wrong order, they are two halves
  });
});
