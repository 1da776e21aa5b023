/**
 * What the API answers, as zod schemas: the OpenAPI document's response schemas are
 * generated from these. protocol.ts describes the same bodies as TypeScript types (the
 * web app imports those); the checks at the end of this file fail the type-check when the
 * two disagree, so neither can drift from the other.
 *
 * Objects are not strict: the contract may add fields (API.md: extend, never break), and a
 * client must ignore the ones it does not know. The `id`s name the document's
 * components/schemas, so generated clients get an Order type rather than an anonymous one.
 */
import * as z from "zod";
import type { HistoryStatus } from "../market/OutboxWriter";
import type { RegistryEntry } from "../registry/RegistryDurableObject";
import type {
  ApiErrorCode,
  Candle as CandleType,
  Fill as FillType,
  Leader as LeaderType,
  MarketInfo as MarketInfoType,
  MarketRules as MarketRulesType,
  MarketSnapshot as MarketSnapshotType,
  NewsItem as NewsItemType,
  Order as OrderType,
  PlayerSummary as PlayerSummaryType,
  Portfolio as PortfolioType,
  Position as PositionType,
  SymbolQuote as SymbolQuoteType,
  ModerationSettings as ModerationSettingsType,
  TeamStanding as TeamStandingType,
} from "../shared/protocol";
import { MARKET_CURRENCIES, MARKET_LOCALES } from "../shared/messages";

/** Epoch milliseconds. */
export const EpochMs = z.number().int();
/** Money and prices: decimal numbers with at most two decimals. */
export const Amount = z.number();
/** A page's cursor: pass it as `before` for the next page; null on the last page. */
const Cursor = z.string().nullable();

// ---------------------------------------------------------------- markets

export const MarketStatus = z.enum(["lobby", "open", "paused", "closed"]);

export const MarketRules = z
  .object({
    maxOrderQty: z.number().int(),
    maxOpenOrders: z.number().int(),
    limitPriceBand: z.number(),
    feeRate: z.number(),
    allowShort: z.boolean(),
    haltBand: z.number(),
    haltWindowTicks: z.number().int(),
    haltTicks: z.number().int(),
    impact: z.number(),
    reversion: z.number(),
    halfSpread: z.number(),
    ordersPerSecond: z.number().int(),
    maxPlayers: z.number().int().optional(),
    currency: z.enum(MARKET_CURRENCIES).optional(),
    locale: z.enum(MARKET_LOCALES).optional(),
    lateEntry: z.boolean(),
  })
  .meta({ id: "MarketRules" });

export const MarketSession = z
  .object({
    opensAt: EpochMs.nullable(),
    closesAt: EpochMs.nullable(),
    durationMs: z.number().int().nullable(),
  })
  .meta({ id: "MarketSession" });

export const TeamsConfig = z
  .object({ names: z.array(z.string()), assign: z.enum(["choose", "auto"]) })
  .meta({ id: "TeamsConfig" });

export const TeamStanding = z
  .object({ rank: z.number().int(), team: z.string(), members: z.number().int(), returnPct: z.number() })
  .meta({ id: "TeamStanding" });

export const MarketInfo = z
  .object({
    code: z.string(),
    name: z.string(),
    status: MarketStatus,
    tickMs: z.number().int(),
    startingCash: Amount,
    createdAt: EpochMs,
    players: z.number().int().optional(),
    /** Only in the organiser's answers. */
    rules: MarketRules.optional(),
    /** The timed session (an extension of API.md). */
    session: MarketSession.optional(),
    teams: TeamsConfig.optional(),
  })
  .meta({ id: "MarketInfo" });

export const SymbolQuote = z
  .object({
    symbol: z.string(),
    name: z.string(),
    sector: z.string(),
    price: Amount,
    bid: Amount,
    ask: Amount,
    open: Amount,
    high: Amount,
    low: Amount,
    change: Amount,
    changePct: z.number(),
    volume: z.number().int(),
    halted: z.boolean(),
    haltedUntil: EpochMs.nullable(),
    liquidity: z.number(),
    volatility: z.number(),
  })
  .meta({ id: "SymbolQuote" });

export const NewsImpact = z.object({ symbol: z.string(), move: z.number(), ticks: z.number().int() });

export const NewsItem = z
  .object({
    id: z.string(),
    headline: z.string(),
    body: z.string(),
    impacts: z.array(NewsImpact),
    t: EpochMs,
    status: z.enum(["scheduled", "published", "cancelled"]),
    /** A news script item: due this many ms of trading after the open. */
    afterOpenMs: z.number().int().optional(),
  })
  .meta({ id: "NewsItem" });

export const Leader = z
  .object({
    rank: z.number().int(),
    name: z.string(),
    netWorth: Amount,
    returnPct: z.number(),
    team: z.string().optional(),
  })
  .meta({ id: "Leader" });

export const MarketSnapshot = z
  .object({
    market: MarketInfo,
    seq: z.number().int(),
    symbols: z.array(SymbolQuote),
    news: z.array(NewsItem),
    leaders: z.array(Leader),
    teams: z.array(TeamStanding).optional(),
  })
  .meta({ id: "MarketSnapshot" });

export const RegistryEntrySchema = z
  .object({
    code: z.string(),
    name: z.string(),
    status: z.string(),
    /** Live for a running market (the first 50 of a page), else as of its last status change. */
    players: z.number().int().nonnegative(),
    createdAt: EpochMs,
    updatedAt: EpochMs,
  })
  .meta({ id: "RegistryEntry" });

export const HistoryStatusSchema = z
  .object({
    enabled: z.boolean(),
    outboxDepth: z.number().int(),
    lastSuccessAt: EpochMs.nullable(),
    lastError: z.string().nullable(),
    failures: z.number().int(),
    nextAttemptAt: EpochMs.nullable(),
    drained: z.number().int(),
  })
  .meta({ id: "HistoryStatus" });

export const MarketAnswer = z.object({ market: MarketInfo });
export const MarketList = z.object({ markets: z.array(RegistryEntrySchema), next: z.string().nullable() });
export const MarketAdminView = z.object({ market: MarketInfo, history: HistoryStatusSchema });

// ---------------------------------------------------------------- players and trading

export const PlayerSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    cash: Amount,
    netWorth: Amount,
    rank: z.number().int(),
    returnPct: z.number(),
    team: z.string().optional(),
  })
  .meta({ id: "PlayerSummary" });
export const PlayerList = z.object({ players: z.array(PlayerSummary) });

export const Joined = z.object({
  /** The player's bearer token for the player routes and the feed. */
  token: z.string(),
  player: z.object({ id: z.string(), name: z.string(), team: z.string().optional() }),
});

export const PlayerAnswer = z.object({ player: PlayerSummary });
export const RemovedPlayer = z.object({
  removed: z.object({ id: z.string(), name: z.string() }),
  /** Open orders cancelled with the player (what they held went back to the player's cash). */
  cancelledOrders: z.number().int(),
  blocked: z.boolean(),
});
export const ModerationSettings = z
  .object({ blockedNames: z.array(z.string()), bannedWords: z.array(z.string()) })
  .meta({ id: "ModerationSettings" });
export const ModerationAnswer = z.object({
  moderation: ModerationSettings,
  /** The word list a new market starts with. */
  defaultBannedWords: z.array(z.string()),
});

export const Position = z
  .object({
    symbol: z.string(),
    qty: z.number().int(),
    reservedQty: z.number().int(),
    avgCost: Amount,
    price: Amount,
    value: Amount,
    pnl: Amount,
  })
  .meta({ id: "Position" });

export const Portfolio = z
  .object({
    cash: Amount,
    reserved: Amount,
    positions: z.array(Position),
    netWorth: Amount,
    rank: z.number().int(),
    startingCash: Amount,
  })
  .meta({ id: "Portfolio" });

export const OrderSide = z.enum(["buy", "sell"]);

export const Order = z
  .object({
    id: z.string(),
    clientOrderId: z.string(),
    symbol: z.string(),
    side: OrderSide,
    type: z.enum(["market", "limit", "stop", "stop_limit"]),
    qty: z.number().int(),
    limitPrice: Amount.nullable(),
    stopPrice: Amount.nullable().optional().describe("Stop and stop_limit orders: the last price that triggers them."),
    triggeredAt: EpochMs.nullable().optional().describe("When a stop order triggered; null while it waits."),
    rejectReason: z.string().nullable().optional().describe("Why a triggered stop was refused by the order rules."),
    status: z.enum(["filled", "open", "partially_filled", "cancelled", "rejected"]),
    filledQty: z.number().int(),
    avgPrice: Amount.nullable(),
    createdAt: EpochMs,
  })
  .meta({ id: "Order" });

export const Fill = z
  .object({
    id: z.string(),
    orderId: z.string(),
    symbol: z.string(),
    side: OrderSide,
    qty: z.number().int(),
    price: Amount,
    fee: Amount,
    t: EpochMs,
  })
  .meta({ id: "Fill" });

export const OrderWithPortfolio = z.object({ order: Order, portfolio: Portfolio });
export const OrderPage = z.object({ orders: z.array(Order), next: Cursor });
export const FillPage = z.object({ fills: z.array(Fill), next: Cursor });
export const Leaderboard = z.object({ leaders: z.array(Leader), teams: z.array(TeamStanding).optional() });

// ---------------------------------------------------------------- news, symbols, feed

/** A scenario file (shared/scenario.ts validates what comes in; this says what goes out). */
export const Scenario = z
  .object({
    format: z.literal("marketflow.scenario"),
    version: z.literal(1),
    title: z.string(),
    description: z.string().optional(),
    /** The create-market body without `code` and `news`. */
    market: z.looseObject({
      name: z.string(),
      startingCash: Amount,
      tickMs: z.number().int().optional(),
      rules: z.looseObject({}).optional(),
      symbols: z.array(z.looseObject({ symbol: z.string(), name: z.string(), price: Amount })),
    }),
    news: z.array(
      z.object({
        afterOpenMs: z.number().int(),
        headline: z.string(),
        body: z.string().optional(),
        impacts: z.array(z.object({ symbol: z.string(), move: z.number(), ticks: z.number().int().optional() })),
      }),
    ),
  })
  .meta({ id: "Scenario" });
export const ScenarioAnswer = z.object({ scenario: Scenario });

export const NewsAnswer = z.object({ news: NewsItem });
export const NewsList = z.object({ news: z.array(NewsItem) });
export const HaltAnswer = z.object({ symbol: z.string(), halted: z.boolean() });
export const FeedAnswer = z.object({ broadcastShards: z.number().int() });

export const Candle = z
  .object({ t: EpochMs, o: Amount, h: Amount, l: Amount, c: Amount, v: z.number().int() })
  .meta({ id: "Candle" });
export const CandleList = z.object({ candles: z.array(Candle) });

// ---------------------------------------------------------------- archive and service

export const ArchivedMarket = z
  .object({
    code: z.string(),
    name: z.string(),
    status: z.string(),
    startingCash: Amount,
    tickMs: z.number().int(),
    createdAt: EpochMs,
    closedAt: EpochMs.nullable(),
    players: z.number().int(),
    fills: z.number().int(),
  })
  .meta({ id: "ArchivedMarket" });
export const ArchivedMarketList = z.object({ markets: z.array(ArchivedMarket) });

export const Site = z
  .object({ publicOrigin: z.string().meta({ description: "e.g. http://192.168.1.20:8787" }) })
  .meta({ id: "Site" });

export const Health = z.object({ ok: z.literal(true) });

// ---------------------------------------------------------------- errors

/** The contract's error shape, narrowed to the codes one status can carry. */
export function errorBodyOf(codes: readonly [ApiErrorCode, ...ApiErrorCode[]]) {
  return z.object({
    error: z.object({
      code: z.enum(codes),
      message: z.string(),
      /** VALIDATION lists each field and why. */
      details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
  });
}

// ---------------------------------------------------------------- drift checks

/** True when each type is assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AllTrue<T extends true[]> = T;
export type ResponseSchemasMatchProtocol = AllTrue<
  [
    Same<z.infer<typeof MarketRules>, MarketRulesType>,
    Same<z.infer<typeof MarketInfo>, MarketInfoType>,
    Same<z.infer<typeof SymbolQuote>, SymbolQuoteType>,
    Same<z.infer<typeof NewsItem>, NewsItemType>,
    Same<z.infer<typeof Leader>, LeaderType>,
    Same<z.infer<typeof TeamStanding>, TeamStandingType>,
    Same<z.infer<typeof ModerationSettings>, ModerationSettingsType>,
    Same<z.infer<typeof MarketSnapshot>, MarketSnapshotType>,
    Same<z.infer<typeof PlayerSummary>, PlayerSummaryType>,
    Same<z.infer<typeof Position>, PositionType>,
    Same<z.infer<typeof Portfolio>, PortfolioType>,
    Same<z.infer<typeof Order>, OrderType>,
    Same<z.infer<typeof Fill>, FillType>,
    Same<z.infer<typeof Candle>, CandleType>,
    Same<z.infer<typeof RegistryEntrySchema>, RegistryEntry>,
    Same<z.infer<typeof HistoryStatusSchema>, HistoryStatus>,
  ]
>;
