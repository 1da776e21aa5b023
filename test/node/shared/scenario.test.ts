/** The scenario file's schema: what it accepts, and that a refusal names the field by its path. */
import { describe, expect, it } from "vitest";
import { CreateMarketInput } from "../../../worker/shared/protocol";
import { createBodyOf, offsetOf, ScenarioFile } from "../../../worker/shared/scenario";

const base = {
  format: "marketflow.scenario",
  version: 1,
  title: "T",
  market: { name: "M", startingCash: 100, symbols: [{ symbol: "ACME", name: "Acme", price: 10 }] },
  news: [{ atMinute: 1.5, headline: "h", impacts: [{ symbol: "acme", move: 0.1 }] }],
};
const paths = (input: unknown) => {
  const r = ScenarioFile.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
};

describe("a scenario file", () => {
  it("is accepted and stands for a create body the create route accepts", () => {
    const s = ScenarioFile.parse(base);
    expect(offsetOf(s.news![0])).toBe(90_000);
    const body = createBodyOf(s, "ABCD");
    expect(body).toMatchObject({ code: "ABCD", name: "M", news: [{ afterOpenMs: 90_000, headline: "h" }] });
    expect(CreateMarketInput.safeParse(body).success).toBe(true);
  });

  it("takes any create-body field in its market (the schema is the create body's)", () => {
    const s = ScenarioFile.parse({
      ...base,
      market: { ...base.market, tickMs: 500, seed: 3, rules: { lateEntry: false } },
    });
    expect(s.market).toMatchObject({ tickMs: 500, seed: 3, rules: { lateEntry: false } });
  });

  it("names the field of each problem", () => {
    expect(paths({ ...base, format: "x" })).toEqual(["format"]);
    expect(paths({ ...base, version: 2 })).toEqual(["version"]);
    expect(paths({ ...base, title: "" })).toEqual(["title"]);
    expect(paths({ ...base, extra: 1 })).toEqual([""]);
    expect(paths({ ...base, market: { ...base.market, code: "ABCD" } })).toEqual(["market"]);
    expect(
      paths({ ...base, market: { ...base.market, symbols: [{ symbol: "ACME", name: "Acme", price: 0 }] } }),
    ).toEqual(["market.symbols.0.price"]);
    expect(paths({ ...base, market: { ...base.market, rules: { haltBand: -1 } } })).toEqual(["market.rules.haltBand"]);
    expect(paths({ ...base, news: [{ headline: "h", impacts: [] }] })).toEqual(["news.0.atMinute"]);
    expect(paths({ ...base, news: [{ atMinute: 1, afterOpenMs: 5, headline: "h", impacts: [] }] })).toEqual([
      "news.0.atMinute",
    ]);
    expect(paths({ ...base, news: [{ atMinute: 2000, headline: "h", impacts: [] }] })).toEqual(["news.0.atMinute"]);
    expect(paths({ ...base, news: [{ atMinute: 1, headline: "h", impacts: [{ symbol: "ZZZ", move: 0.1 }] }] })).toEqual(
      ["news.0.impacts.0.symbol"],
    );
  });
});
