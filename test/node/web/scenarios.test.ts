/**
 * The console's built-in scenarios: each one is a valid scenario file, the create form
 * loaded with it sends a body the create route accepts (nothing edited), and each of its
 * numbers fits the input that holds it (the old bug: liquidity inputs with min=1 step=1000
 * made the templates' own values invalid).
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../../../worker/market/engine/public";
import { CreateMarketInput } from "../../../worker/shared/protocol";
import { createBodyOf, ScenarioFile } from "../../../worker/shared/scenario";
import { createMarketBody, toRow } from "../../../web/src/lib/marketForm";
import { RULE_FIELDS, rulesOf, rulesText } from "../../../web/src/lib/rulesForm";
import { BUILT_IN_SCENARIOS, offsetMsOf } from "../../../web/src/lib/scenarios";
import { clockText, parseClock, scriptItemOf, scriptRowOf } from "../../../web/src/lib/scriptForm";

/** What the browser's constraint validation checks for a number input: min, max and step from min. */
function fitsInput(value: number, input: { min?: number; max?: number; step: number | "any" }): boolean {
  if (input.min !== undefined && value < input.min) return false;
  if (input.max !== undefined && value > input.max) return false;
  if (input.step === "any") return true;
  const steps = (value - (input.min ?? 0)) / input.step;
  return Math.abs(steps - Math.round(steps)) < 1e-9;
}

describe("the built-in scenarios", () => {
  it("are at least four: a campus fest, a classroom, a wild ride and a scripted 30-minute show", () => {
    expect(BUILT_IN_SCENARIOS.map((s) => s.id)).toEqual(
      expect.arrayContaining(["fest", "classroom", "wild", "battery"]),
    );
    const show = BUILT_IN_SCENARIOS.find((s) => s.id === "battery")!.file;
    const times = (show.news ?? []).map(offsetMsOf);
    expect(times.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...times)).toBeGreaterThan(25 * 60_000);
    expect(Math.max(...times)).toBeLessThanOrEqual(30 * 60_000);
    expect((show.news ?? []).every((n) => n.impacts.length > 0)).toBe(true);
    // It is a 30-minute game: the scenario brings its length, and the script ends before the bell.
    expect(show.market.session).toEqual({ durationMs: 30 * 60_000 });
  });

  it("end their scripts before their own close, where they set a length", () => {
    for (const { id, file } of BUILT_IN_SCENARIOS) {
      const length = file.market.session?.durationMs;
      if (length === undefined) continue;
      const last = Math.max(0, ...(file.news ?? []).map(offsetMsOf));
      expect(last, id).toBeLessThan(length);
    }
  });

  it("a length that the session rules refuse, or a time, is refused in a file, naming the field", () => {
    const base = BUILT_IN_SCENARIOS[0].file;
    for (const [session, field] of [
      [{ durationMs: 5 }, "market.session.durationMs"],
      [{ durationMs: 60_000, opensAt: 1 }, "market.session"],
    ] as const) {
      const parsed = ScenarioFile.safeParse({ ...base, market: { ...base.market, session } });
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues.map((i) => i.path.join("."))).toContain(field);
    }
  });

  for (const { id, file } of BUILT_IN_SCENARIOS) {
    describe(id, () => {
      it("is a valid scenario file whose create body the create route accepts", () => {
        const parsed = ScenarioFile.safeParse(file);
        expect(parsed.error?.issues ?? []).toEqual([]);
        expect(CreateMarketInput.safeParse(createBodyOf(parsed.data!)).error?.issues ?? []).toEqual([]);
      });

      it("goes through the create form unchanged when nothing is edited", () => {
        const m = file.market;
        const body = createMarketBody({
          name: m.name,
          code: "",
          cash: String(m.startingCash),
          tickSeconds: String((m.tickMs ?? 2000) / 1000),
          rows: m.symbols.map(toRow),
          rules: rulesText(m.rules),
          script: (file.news ?? []).map((n) => scriptRowOf({ ...n, afterOpenMs: offsetMsOf(n) })),
        });
        const parsed = CreateMarketInput.safeParse(body);
        expect(parsed.error?.issues ?? []).toEqual([]);
        const expected = createBodyOf(ScenarioFile.parse(file));
        expect(body.symbols).toEqual(expected.symbols);
        expect(body.rules).toEqual({ ...DEFAULT_RULES, ...m.rules });
        expect(body.news).toEqual(
          expected.news.map((n) => ({ ...n, impacts: n.impacts.map((i) => ({ ticks: 1, ...i })) })),
        );
        expect(body).toMatchObject({ name: m.name, startingCash: m.startingCash, tickMs: m.tickMs });
      });

      it("fits every input that holds one of its numbers", () => {
        const m = file.market;
        expect(fitsInput(m.startingCash, { min: 0.01, max: 1e10, step: 0.01 })).toBe(true);
        expect(fitsInput((m.tickMs ?? 2000) / 1000, { min: 0.25, max: 60, step: "any" })).toBe(true);
        for (const s of m.symbols) {
          expect(fitsInput(s.price, { min: 0.01, max: 1e10, step: 0.01 }), `${s.symbol} price`).toBe(true);
          expect(fitsInput((s.volatility ?? 0) * 100, { min: 0, max: 200, step: "any" })).toBe(true);
          expect(fitsInput(s.liquidity ?? 1, { min: 1, max: 1e12, step: "any" }), `${s.symbol} liquidity`).toBe(true);
        }
        const text = rulesText(m.rules);
        for (const f of RULE_FIELDS) {
          if (f.kind === "bool" || text[f.key] === "") continue;
          const v = Number(text[f.key]);
          expect(fitsInput(v, { min: f.min, max: f.max, step: f.kind === "int" ? 1 : "any" }), f.key).toBe(true);
        }
        for (const n of file.news ?? [])
          for (const i of n.impacts) {
            expect(fitsInput(i.move * 100, { min: -90, max: 500, step: "any" })).toBe(true);
            expect(fitsInput(i.ticks ?? 1, { min: 1, max: 1000, step: 1 })).toBe(true);
          }
      });
    });
  }
});

describe("the form's conversions", () => {
  it("rules round-trip through the inputs' text, percents included", () => {
    expect(rulesOf(rulesText({ feeRate: 0.0015, haltBand: 0.2, allowShort: true, maxPlayers: 40 }))).toMatchObject({
      feeRate: 0.0015,
      haltBand: 0.2,
      allowShort: true,
      maxPlayers: 40,
    });
    expect(rulesOf(rulesText({}))).not.toHaveProperty("maxPlayers");
  });

  it("script times read as m:ss, minutes or h:mm:ss", () => {
    expect(parseClock("5")).toBe(300_000);
    expect(parseClock("2.5")).toBe(150_000);
    expect(parseClock("5:30")).toBe(330_000);
    expect(parseClock("1:02:03")).toBe(3_723_000);
    expect(parseClock("5:75")).toBeNaN();
    expect(clockText(330_000)).toBe("5:30");
    expect(scriptItemOf({ at: "x", headline: "h", body: "", impacts: [] }).afterOpenMs).toBeNaN();
  });
});
