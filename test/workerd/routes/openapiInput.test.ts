// The OpenAPI document's request schemas are at least as strict as the server: whatever
// the document accepts the server accepts, and each input the server refuses (a symbol or
// code outside its pattern, a third decimal, a control character) the document refuses
// too, so a client that validates against the document is not surprised by a 400.
import { Validator, type Schema } from "@cfworker/json-schema";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, api, createMarket, join, order, uniqueCode } from "../../support/workerd";

let doc: any;
beforeAll(async () => {
  doc = (await api("GET", "/api/openapi.json")).json;
});

function documentAccepts(method: string, path: string, body: unknown): boolean {
  const schema = doc.paths[path][method].requestBody.content["application/json"].schema;
  return new Validator({ ...schema, components: doc.components } as Schema, "2020-12", false).validate(body).valid;
}

interface Sample {
  what: string;
  body: unknown;
  /** Whether the server takes it (the document must refuse every one it refuses). */
  accepted: boolean;
}

async function checkSamples(
  method: string,
  template: string,
  path: () => Promise<string>,
  token: string,
  samples: Sample[],
) {
  for (const s of samples) {
    const res = await api(method.toUpperCase(), await path(), { token, body: s.body });
    const inDocument = documentAccepts(method, template, s.body);
    if (s.accepted) {
      expect(res.status, `${s.what}: the server takes it (${res.text.slice(0, 200)})`).toBeLessThan(300);
      expect(inDocument, `${s.what}: the document takes it`).toBe(true);
    } else {
      expect(res.status, `${s.what}: the server refuses it`).toBe(400);
      expect(res.json.error.code).toBe("VALIDATION");
      expect(inDocument, `${s.what}: the document refuses it too`).toBe(false);
    }
  }
}

const market = (over: Record<string, unknown> = {}, symbol: Record<string, unknown> = {}) => ({
  code: uniqueCode("IN"),
  name: "Input",
  startingCash: 10_000,
  tickMs: 60_000,
  symbols: [{ symbol: "ACME", name: "Acme", price: 100, ...symbol }],
  ...over,
});

describe("request schemas in the document are as strict as the server", () => {
  it("create a market: codes, symbols, two-decimal money, text without control characters", async () => {
    await checkSamples("post", "/api/markets", async () => "/api/markets", ADMIN, [
      { what: "a plain market", body: market(), accepted: true },
      {
        what: "lower-case code and symbol",
        body: market({ code: uniqueCode("lc").toLowerCase() }, { symbol: "acme" }),
        accepted: true,
      },
      { what: "cents", body: market({ startingCash: 1000.25 }, { price: 12.34 }), accepted: true },
      {
        what: "any script in names",
        body: market({ name: "Fest ☕ 2026 – Gruppe Ä" }, { name: "李小龍 Ltd" }),
        accepted: true,
      },
      { what: "a 3-character code", body: market({ code: "ABC" }), accepted: false },
      { what: "a code with a dash", body: market({ code: "AB-CD" }), accepted: false },
      { what: "a symbol with a digit", body: market({}, { symbol: "AC1" }), accepted: false },
      { what: "a 9-letter symbol", body: market({}, { symbol: "ABCDEFGHI" }), accepted: false },
      { what: "a price with 3 decimals", body: market({}, { price: 10.005 }), accepted: false },
      { what: "starting cash with 3 decimals", body: market({ startingCash: 1000.001 }), accepted: false },
      { what: "a line break in the name", body: market({ name: "Two\nlines" }), accepted: false },
      { what: "a bell in a symbol's name", body: market({}, { name: "Acme\u0007" }), accepted: false },
      { what: "DEL in a sector", body: market({}, { sector: "Tech\u007f" }), accepted: false },
      { what: "a name of spaces", body: market({ name: "   " }), accepted: false },
      { what: "an unknown field", body: market({ colour: "red" }), accepted: false },
    ]);
  });

  it("join: nicknames without control characters", async () => {
    const code = await createMarket();
    let n = 0;
    await checkSamples("post", "/api/markets/{code}/join", async () => `/api/markets/${code}/join`, "", [
      { what: "a plain name", body: { name: `Ann${++n}` }, accepted: true },
      { what: "accents and emoji", body: { name: "José 🚀" }, accepted: true },
      { what: "a tab inside", body: { name: "a\tb" }, accepted: false },
      { what: "only spaces", body: { name: "   " }, accepted: false },
      { what: "empty", body: { name: "" }, accepted: false },
    ]);
  });

  it("orders: symbol pattern, two-decimal limit price, clientOrderId pattern", async () => {
    const code = await createMarket();
    const p = await join(code, "Ord");
    await checkSamples("post", "/api/markets/{code}/orders", async () => `/api/markets/${code}/orders`, p.token, [
      {
        what: "a limit buy with cents",
        body: order("ACME", "buy", 1, { type: "limit", limitPrice: 90.99 }),
        accepted: true,
      },
      { what: "a lower-case symbol", body: order("acme", "buy", 1, { type: "limit", limitPrice: 90 }), accepted: true },
      {
        what: "a limit price with 3 decimals",
        body: order("ACME", "buy", 1, { type: "limit", limitPrice: 90.001 }),
        accepted: false,
      },
      { what: "a symbol with a dash", body: order("AC-ME", "buy", 1), accepted: false },
      {
        what: "a clientOrderId with a space",
        body: { ...order("ACME", "buy", 1), clientOrderId: "a b" },
        accepted: false,
      },
      { what: "a fractional quantity", body: order("ACME", "buy", 1.5), accepted: false },
    ]);
  });

  it("news: headline text and impact symbols", async () => {
    const code = await createMarket();
    await checkSamples("post", "/api/markets/{code}/news", async () => `/api/markets/${code}/news`, ADMIN, [
      {
        what: "a headline",
        body: { headline: "Acme wins", impacts: [{ symbol: "acme", move: 0.05 }] },
        accepted: true,
      },
      { what: "a NUL in the headline", body: { headline: "Acme\u0000", impacts: [] }, accepted: false },
      { what: "a line break in the body", body: { headline: "Acme", body: "a\r\nb", impacts: [] }, accepted: false },
      {
        what: "an impact's symbol with a digit",
        body: { headline: "Acme", impacts: [{ symbol: "A1", move: 0.1 }] },
        accepted: false,
      },
    ]);
  });
});
