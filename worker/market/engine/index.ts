/**
 * The pure market engine: plain data in, plain data out, no Workers APIs, no clock, no
 * Math.random. Functions mutate the MarketState they are given and return what changed,
 * so the Durable Object can persist exactly those rows. See DESIGN.md "The engine is pure".
 */
export * from "./types.ts";
export type { Refusal } from "./common.ts";
export { isHalted } from "./common.ts";
export { seedRng, nextUniform, nextGaussian } from "./rng.ts";
export { estimateExecution } from "./pricing.ts";
export { createMarket, joinPlayer, applyControl, setHalt, applyNews } from "./market.ts";
export { placeOrder, cancelOrder, type OrderRequest, type PlaceOrderResult } from "./orders.ts";
export { orderRequestMismatch, mismatchMessage, ORDER_REQUEST_FIELDS, type OrderRequestField } from "./idempotency.ts";
export { stepTick, type TickResult } from "./tick.ts";
export {
  refreshRanks,
  rankNewcomer,
  netWorth,
  portfolioOf,
  leaderboard,
  standings,
  returnPct,
  type PortfolioCents,
} from "./leaderboard.ts";
export { aggregateCandles, candleWindow, candlesFromTicks, MAX_CANDLES, type CandleWindow } from "./candles.ts";
export {
  draftNews,
  publishNews,
  cancelNews,
  editNews,
  newsId,
  tradingElapsed,
  newsDueAt,
  newsShownAt,
  dueNews,
  nextNewsAt,
  scriptRecords,
  type NewsDraft,
  type NewsEdit,
  type NewsRecord,
  type NewsStatus,
} from "./news.ts";
export {
  blockName,
  checkNewName,
  defaultModeration,
  moderationOf,
  removePlayer,
  renamePlayer,
  setModeration,
} from "./moderation.ts";
export { setTeams, teamStandings, teamSizes, boardWithNewcomer, type TeamMember } from "./teams.ts";
export { cursorNo, pageOf, type CursorKind } from "./cursors.ts";
export { serializeMarket, reviveMarket, rebuildDerived } from "./serialize.ts";
export { setSession, startSession, sessionDueAt, sessionActionDue, NO_SESSION, type SessionPatch } from "./session.ts";
export {
  bestStock,
  biggestTrade,
  bestAndWorstTrades,
  netWorthSeries,
  sampleStep,
  tradeGain,
  type BestStock,
  type PriceSample,
  type TradeResult,
} from "./results.ts";
export { applySettings, type SettingsChange } from "./settings.ts";
export { RULES_SAFE_WHILE_TRADING } from "./safeRules.ts";
