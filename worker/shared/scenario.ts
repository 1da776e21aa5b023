/**
 * A scenario file: everything needed to run a game again, as one JSON document. Its
 * `market` is the create-market body without `code` (and without `news`, which is the
 * file's own list), so any field the create body gains flows into scenarios unchanged.
 *
 * ```json
 * { "format": "marketflow.scenario", "version": 1, "title": "...", "description": "...",
 *   "market": { "name": "...", "startingCash": 10000, "rules": {...}, "symbols": [...],
 *               "session": { "durationMs": 1800000 } },
 *   "news": [ { "atMinute": 5, "headline": "...", "body": "...", "impacts": [...] } ] }
 * ```
 *
 * A news item gives its time as `afterOpenMs` or, easier to write by hand, `atMinute`
 * (minutes of trading after the open, decimals allowed). zod like protocol.ts: the web app
 * imports only types from here.
 */
import * as z from "zod";
import {
  AfterOpenMs,
  CreateMarketFields,
  checkImpactSymbols,
  MAX_SCRIPT_ITEMS,
  MAX_SCRIPT_OFFSET_MS,
  NewsFields,
  SESSION_MAX_MS,
  SESSION_MIN_MS,
  type ScriptNewsInput,
  text,
} from "./protocol";

export const SCENARIO_FORMAT = "marketflow.scenario";
export const SCENARIO_VERSION = 1;
/** A scenario file's largest size: a long script with long bodies is bigger than other requests. */
export const MAX_SCENARIO_BYTES = 256 * 1024;

/**
 * A scenario's schedule is the game's length only: a session's opening and closing times
 * are absolute, so a file reused next week would open in the past, while "30 minutes of
 * trading" is what the scenario's news script was written for. It is a valid create-body
 * session as it stands (the market closes that long after it opens).
 */
export const ScenarioSession = z
  .object({ durationMs: z.number().int().min(SESSION_MIN_MS).max(SESSION_MAX_MS) })
  .strict()
  .meta({ description: "The length of the game: the market closes this long after it opens." });
export const ScenarioMarket = CreateMarketFields.omit({ code: true, news: true, session: true }).extend({
  session: ScenarioSession.optional(),
});
export type ScenarioMarket = z.infer<typeof ScenarioMarket>;

export const ScenarioNewsItem = z
  .object({
    afterOpenMs: AfterOpenMs.optional(),
    atMinute: z
      .number()
      .min(0)
      .max(MAX_SCRIPT_OFFSET_MS / 60_000, "at most 1440 minutes (24 hours) after the open")
      .optional(),
    ...NewsFields,
  })
  .strict()
  .superRefine((n, ctx) => {
    if ((n.afterOpenMs === undefined) === (n.atMinute === undefined))
      ctx.addIssue({
        code: "custom",
        path: ["atMinute"],
        message: "give the time after the open as atMinute or afterOpenMs (one of them)",
      });
  });
export type ScenarioNewsItem = z.infer<typeof ScenarioNewsItem>;

export const ScenarioFile = z
  .object({
    format: z.literal(SCENARIO_FORMAT, { error: `must be "${SCENARIO_FORMAT}": this is not a MarketFlow scenario` }),
    version: z.literal(SCENARIO_VERSION, { error: `must be ${SCENARIO_VERSION}, the version this server reads` }),
    title: text(1, 80),
    description: text(0, 1000).optional(),
    market: ScenarioMarket,
    news: z.array(ScenarioNewsItem).max(MAX_SCRIPT_ITEMS).optional(),
  })
  .strict()
  .superRefine((s, ctx) => checkImpactSymbols(s.market.symbols, s.news, ctx, ["news"]));
export type ScenarioFile = z.infer<typeof ScenarioFile>;

/** A script item's offset from the open in ms, whichever way the file gave it. */
export function offsetOf(item: { afterOpenMs?: number; atMinute?: number }): number {
  return item.afterOpenMs ?? Math.round((item.atMinute ?? 0) * 60_000);
}

/** The create-market body a (valid) scenario stands for; `code` optional as on the create route. */
export function createBodyOf(scenario: ScenarioFile, code?: string) {
  const news: ScriptNewsInput[] = (scenario.news ?? []).map((n) => ({
    afterOpenMs: offsetOf(n),
    headline: n.headline,
    ...(n.body !== undefined ? { body: n.body } : {}),
    impacts: n.impacts,
  }));
  return { ...scenario.market, ...(code ? { code } : {}), news };
}
