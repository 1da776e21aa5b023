/**
 * A market's setup as a scenario file (shared/scenario.ts): the create body it could have
 * been made with (the symbols' starting prices, not today's), and its news as a script.
 * Script items keep their place; news the organiser published by hand after the open goes
 * in at its distance from the open, so a game run live can be run again as a script.
 */
import { fromCents } from "../shared/money";
import { MAX_SCRIPT_ITEMS, MAX_SCRIPT_OFFSET_MS } from "../shared/protocol";
import { SCENARIO_FORMAT, SCENARIO_VERSION, type ScenarioFile } from "../shared/scenario";
import type { MarketState, NewsRecord } from "./engine";

export interface ScenarioNewsSource {
  scriptNews(): NewsRecord[];
  publishedAdHocNews(): NewsRecord[];
}

export function scenarioOf(state: MarketState, store: ScenarioNewsSource): ScenarioFile {
  const script = store.scriptNews().map((n) => ({ at: n.afterOpenMs ?? 0, n }));
  const opened = state.openedAt;
  const adHoc =
    opened === null
      ? []
      : store
          .publishedAdHocNews()
          .filter((n) => n.publishAt >= opened)
          .map((n) => ({ at: Math.min(MAX_SCRIPT_OFFSET_MS, n.publishAt - opened), n }));
  const news = [...script, ...adHoc]
    .sort((a, b) => a.at - b.at || a.n.no - b.n.no)
    .slice(0, MAX_SCRIPT_ITEMS)
    .map(({ at, n }) => ({
      afterOpenMs: at,
      headline: n.headline,
      ...(n.body ? { body: n.body } : {}),
      impacts: n.impacts.map((i) => ({ symbol: i.symbol, move: i.move, ticks: i.ticks })),
    }));
  return {
    format: SCENARIO_FORMAT,
    version: SCENARIO_VERSION,
    title: state.name,
    description: `The setup of market ${state.code}, exported from MarketFlow.`,
    market: {
      name: state.name,
      startingCash: fromCents(state.startingCash),
      tickMs: state.tickMs,
      rules: { ...state.rules },
      // The game's length goes with it (never its times: they would be in the past next time).
      ...(state.session.durationMs !== null ? { session: { durationMs: state.session.durationMs } } : {}),
      // Teams are part of the create body, so a re-run of the scenario plays in the same teams.
      ...(state.teams ? { teams: { names: [...state.teams.names], assign: state.teams.assign } } : {}),
      symbols: state.symbols.map((s) => ({
        symbol: s.symbol,
        name: s.name,
        price: fromCents(s.price),
        volatility: s.volatility,
        liquidity: s.liquidity,
        sector: s.sector,
      })),
    },
    news,
  };
}
