/**
 * What clients send in the MarketFlow wire protocol (shared/API.md), as zod schemas: the
 * Worker validates every request with them and the OpenAPI document is generated from
 * them, so the contract and the code cannot drift.
 *
 * What the server sends, and the constants both sides share, are plain types in
 * messages.ts (re-exported here for the Worker). The web app imports values only from
 * messages.ts: importing a value from this module would put zod into its bundle.
 * Money and prices on the wire are decimal numbers with at most 2 decimals.
 */
import * as z from "zod";
import {
  MAX_FEE_RATE,
  MAX_HALF_SPREAD,
  MAX_LIMIT_PRICE_BAND,
  MAX_ORDER_QTY,
  MAX_PRICE_CENTS,
  MAX_SYMBOLS,
  MIN_LIQUIDITY,
} from "./bounds";
import type * as Plain from "./messages";
import {
  MARKET_CODE_RE,
  MARKET_CURRENCIES,
  MARKET_LOCALES,
  MAX_TEAMS,
  SESSION_MAX_MS,
  SESSION_MIN_MS,
  SYMBOL_RE,
  TEAM_NAME_MAX,
} from "./messages";
import { BANNED_WORD_MAX, MAX_BANNED_WORDS, MAX_BLOCKED_NAMES } from "./nameRules.ts";
import { normalizePlayerName } from "./names.ts";
import { isWellFormed, NOT_WELL_FORMED } from "./wellFormed.ts";

export * from "./messages";

// ---------------------------------------------------------------- primitives

/** The C0 control characters and DEL, as a regex character-class body (for the document). */
const CONTROL = "\\u0000-\\u001f\\u007f";
const TEXT_CHAR = `[^${CONTROL}]`;

/**
 * What the OpenAPI document says of an input beyond what zod can derive from a schema
 * that transforms (a trim, an upper-casing) or refines (two decimals, no control
 * characters). Each is at least as strict as the check it describes, so a request that
 * passes the document's schema passes the server's (test/workerd/routes/openapiInput.test.ts).
 */
const documented = {
  marketCode: { pattern: "^[A-Za-z0-9]{4,12}$", description: "4-12 letters or digits, case-insensitive" },
  symbol: { pattern: "^[A-Za-z]{1,8}$", description: "1-8 letters, case-insensitive" },
  money: { multipleOf: 0.01, description: "At most 2 decimals" },
  /** No C0 control character or DEL, and (when required) something besides spaces. */
  text: (required: boolean) => ({
    pattern: required ? `^${TEXT_CHAR}*[^\\s${CONTROL}]${TEXT_CHAR}*$` : `^${TEXT_CHAR}*$`,
  }),
};

/** A market code; URLs are case-insensitive, so it is upper-cased before the check. */
export const MarketCode = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(MARKET_CODE_RE, "4-12 characters A-Z or 0-9"))
  .meta(documented.marketCode);

export const SymbolCode = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(SYMBOL_RE, "1-8 letters A-Z"))
  .meta(documented.symbol);

/** True when `n` has at most two decimals (tolerating binary floating-point noise). */
export function hasAtMostTwoDecimals(n: number): boolean {
  return Math.abs(n * 100 - Math.round(n * 100)) < 1e-6;
}

/** A positive amount of money, at most 2 decimals, below ten billion. */
export const Money = z
  .number()
  .finite()
  .positive()
  .max(1e10)
  .refine(hasAtMostTwoDecimals, "at most 2 decimals")
  .meta(documented.money);

export const Quantity = z.number().int("a whole number of shares").positive().max(1_000_000_000);

/** Free text shown to people: well-formed, trimmed, no control characters. */
export const text = (min: number, max: number) =>
  z
    .string()
    .refine(isWellFormed, { message: NOT_WELL_FORMED, abort: true })
    .trim()
    .min(min)
    .max(max)
    // Control characters would let a nickname or headline break layouts and CSV rows.
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "no control characters")
    .meta(documented.text(min > 0));

// ---------------------------------------------------------------- organiser input

export const MarketRulesInput = z
  .object({
    /** Largest quantity in one order. */
    maxOrderQty: z.number().int().positive().max(MAX_ORDER_QTY, `at most ${MAX_ORDER_QTY} shares per order`).optional(),
    /** Most open limit orders one player may have. */
    maxOpenOrders: z.number().int().positive().max(1000).optional(),
    /** Limit prices further than this fraction from the current price are refused. */
    limitPriceBand: z.number().positive().max(MAX_LIMIT_PRICE_BAND).optional(),
    /** Fee per fill as a fraction of its value (0.001 = 0.1%). */
    feeRate: z.number().min(0).max(MAX_FEE_RATE).optional(),
    /** Whether positions may go below zero (off by default). */
    allowShort: z.boolean().optional(),
    /** Circuit breaker: a move beyond this fraction within the window halts the symbol. */
    haltBand: z.number().positive().max(10).optional(),
    haltWindowTicks: z.number().int().positive().max(1000).optional(),
    haltTicks: z.number().int().positive().max(10_000).optional(),
    /** Price impact strength (lambda in DESIGN.md). */
    impact: z.number().min(0).max(1).optional(),
    /** Mean reversion per tick towards the fundamental (theta in DESIGN.md). */
    reversion: z.number().min(0).max(1).optional(),
    /** Half the bid/ask spread as a fraction of the price. */
    halfSpread: z.number().min(0).max(MAX_HALF_SPREAD).optional(),
    /** Order rate limit per player per second (used when Redis limits are on). */
    ordersPerSecond: z.number().int().positive().max(1000).optional(),
    /** Most players who may join (absent: no cap); a join beyond it is 409 MARKET_FULL. */
    maxPlayers: z.number().int().positive().max(1_000_000).optional(),
    /** The currency money is shown in (display only: amounts are the same numbers). */
    currency: z.enum(MARKET_CURRENCIES).optional(),
    /** How numbers are written; absent: the currency's usual format (INR: en-IN, 1,00,000.00). */
    locale: z.enum(MARKET_LOCALES).optional(),
    /** Whether players may still join once trading has started (on by default). */
    lateEntry: z.boolean().optional(),
  })
  .strict();
export type MarketRulesInput = z.infer<typeof MarketRulesInput>;

export const SymbolInput = z
  .object({
    symbol: SymbolCode,
    name: text(1, 64),
    /** Prices never go above MAX_PRICE_CENTS (shared/bounds.ts), so none may start above it. */
    price: Money.max(MAX_PRICE_CENTS / 100, `at most ${MAX_PRICE_CENTS / 100}, the highest price a stock can reach`),
    /** Typical move over 10 minutes, e.g. 0.05. */
    volatility: z.number().min(0).max(2).optional(),
    /** Shares that move the price by about `impact` (square-root impact). */
    liquidity: z.number().min(MIN_LIQUIDITY, `at least ${MIN_LIQUIDITY} share`).max(1e12).optional(),
    sector: text(1, 32).optional(),
  })
  .strict();
export type SymbolInput = z.infer<typeof SymbolInput>;

/** A time in epoch milliseconds. */
const EpochMs = z.number().int().nonnegative().max(8.64e15);

/**
 * A timed session, at creation or in the lobby (PATCH /api/markets/:code/session). Each
 * field left out keeps its value, null clears it. Give `closesAt` or `durationMs`, not
 * both. The times are checked against the market's clock by the engine (engine/session.ts):
 * not in the past, the close after the open, the length within SESSION_MIN_MS..SESSION_MAX_MS.
 */
export const SessionInput = z
  .object({
    opensAt: EpochMs.nullable().optional(),
    closesAt: EpochMs.nullable().optional(),
    durationMs: z.number().int().min(SESSION_MIN_MS).max(SESSION_MAX_MS).nullable().optional(),
  })
  .strict()
  .refine((s) => !(typeof s.closesAt === "number" && typeof s.durationMs === "number"), {
    message: "give closesAt or durationMs, not both",
    path: ["durationMs"],
  });
export type SessionInput = z.infer<typeof SessionInput>;

/** A team's name: shown on every screen, so the same care as a nickname. */
const TeamName = z.string().transform((raw, ctx) => {
  const checked = normalizePlayerName(raw);
  if (checked.ok && [...checked.name].length <= TEAM_NAME_MAX) return checked.name;
  ctx.addIssue({ code: "custom", message: checked.ok ? `at most ${TEAM_NAME_MAX} characters` : checked.message });
  return z.NEVER;
});

export const TeamsInput = z
  .object({
    names: z
      .array(TeamName)
      .min(2, "at least 2 teams")
      .max(MAX_TEAMS, `at most ${MAX_TEAMS} teams`)
      .refine((list) => new Set(list.map((t) => t.toLowerCase())).size === list.length, "team names must differ"),
    /** "choose": players pick a team when they join; "auto": the market gives each the smallest team. */
    assign: z.enum(["choose", "auto"]),
  })
  .strict();
export type TeamsInput = z.infer<typeof TeamsInput>;
/** PUT /teams (lobby only): new teams, or null for none. */
export const SetTeamsInput = z.object({ teams: TeamsInput.nullable() }).strict();

export const ControlAction = z.enum(["open", "pause", "resume", "close"]);
export type ControlAction = z.infer<typeof ControlAction>;
export const ControlInput = z.object({ action: ControlAction }).strict();

export const NewsImpactInput = z
  .object({
    symbol: SymbolCode,
    /** Fractional move: 0.08 = +8%. */
    move: z.number().min(-0.9).max(5),
    /** Ticks over which the move is spread (front-loaded); 1 = at once. */
    ticks: z.number().int().min(1).max(1000).optional(),
  })
  .strict();
export type NewsImpactInput = z.infer<typeof NewsImpactInput>;

/** Longest offset of a news script item from the open: a day of trading. */
export const MAX_SCRIPT_OFFSET_MS = 24 * 60 * 60 * 1000;
/** Most items in one market's news script. */
export const MAX_SCRIPT_ITEMS = 100;

/** When a script item publishes: milliseconds of trading after the open (pauses hold the script). */
export const AfterOpenMs = z
  .number()
  .int("whole milliseconds")
  .min(0)
  .max(MAX_SCRIPT_OFFSET_MS, "at most 24 hours after the open");

export const NewsFields = {
  headline: text(1, 140),
  body: text(0, 2000).optional(),
  impacts: z.array(NewsImpactInput).max(50),
};

/** One item of a news script, published `afterOpenMs` of trading after the open. */
export const ScriptNewsInput = z.object({ afterOpenMs: AfterOpenMs, ...NewsFields }).strict();
export type ScriptNewsInput = z.infer<typeof ScriptNewsInput>;

const PublishAt = z.union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()]);
const oneTime = (n: { publishAt?: unknown; afterOpenMs?: unknown }, ctx: z.RefinementCtx) => {
  if (n.publishAt !== undefined && n.afterOpenMs !== undefined)
    ctx.addIssue({ code: "custom", path: ["afterOpenMs"], message: "give publishAt or afterOpenMs, not both" });
};

export const NewsInput = z
  .object({
    ...NewsFields,
    /** ISO 8601 time or epoch milliseconds; absent or past = publish now. */
    publishAt: PublishAt.optional(),
    /** Or: a script item, published this long after the open (trading time; waits in the lobby). */
    afterOpenMs: AfterOpenMs.optional(),
  })
  .strict()
  .superRefine(oneTime);
export type NewsInput = z.infer<typeof NewsInput>;

/** Changes to a scheduled item (PATCH /api/markets/:code/news/:id); the rest stays. */
export const NewsEditInput = z
  .object({
    headline: NewsFields.headline.optional(),
    body: NewsFields.body,
    impacts: NewsFields.impacts.optional(),
    publishAt: PublishAt.optional(),
    afterOpenMs: AfterOpenMs.optional(),
  })
  .strict()
  .superRefine(oneTime)
  .refine((s) => Object.keys(s).length > 0, "change at least one field");
export type NewsEditInput = z.infer<typeof NewsEditInput>;

/**
 * The create body's fields, as a plain object schema: a scenario file's `market` is this
 * without `code` and `news` (shared/scenario.ts), so a field added here reaches scenarios.
 */
export const CreateMarketFields = z
  .object({
    code: MarketCode.optional(),
    name: text(1, 80),
    startingCash: Money,
    tickMs: z.number().int().min(250).max(60_000).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional(),
    rules: MarketRulesInput.optional(),
    session: SessionInput.optional(),
    /** Optional teams: players pick one, or are given one, when they join. */
    teams: TeamsInput.optional(),
    symbols: z
      .array(SymbolInput)
      .min(1)
      .max(MAX_SYMBOLS)
      .refine((list) => new Set(list.map((s) => s.symbol)).size === list.length, "symbols must be unique"),
    /** The news script: items published at a time relative to the open. */
    news: z.array(ScriptNewsInput).max(MAX_SCRIPT_ITEMS).optional(),
  })
  .strict();

/** Every news impact must name a stock of the market (`path` leads to the news list). */
export function checkImpactSymbols(
  symbols: readonly { symbol: string }[],
  news: readonly { impacts: readonly { symbol: string }[] }[] | undefined,
  ctx: z.RefinementCtx,
  path: (string | number)[],
): void {
  const known = new Set(symbols.map((s) => s.symbol));
  (news ?? []).forEach((item, i) =>
    item.impacts.forEach((impact, j) => {
      if (!known.has(impact.symbol))
        ctx.addIssue({
          code: "custom",
          path: [...path, i, "impacts", j, "symbol"],
          message: `no stock ${impact.symbol} in this market`,
        });
    }),
  );
}

export const CreateMarketInput = CreateMarketFields.superRefine((m, ctx) =>
  checkImpactSymbols(m.symbols, m.news, ctx, ["news"]),
);
export type CreateMarketInput = z.infer<typeof CreateMarketInput>;

/**
 * What the organiser may change after creation (PATCH /api/markets/:code); rules merge
 * into the market's rules. Which changes are safe once trading started is the engine's
 * call (engine/settings.ts).
 */
export const MarketSettingsInput = z
  .object({
    name: text(1, 80).optional(),
    startingCash: Money.optional(),
    tickMs: z.number().int().min(250).max(60_000).optional(),
    rules: MarketRulesInput.optional(),
  })
  .strict()
  .refine((s) => Object.keys(s).length > 0, "change at least one setting");
export type MarketSettingsInput = z.infer<typeof MarketSettingsInput>;

/** Most broadcast shards one market's feed may use: each costs the market one RPC per tick. */
export const MAX_BROADCAST_SHARDS = 64;
export const FeedInput = z.object({ broadcastShards: z.number().int().min(0).max(MAX_BROADCAST_SHARDS) }).strict();

// ---------------------------------------------------------------- player input

/** A nickname, given back normalised (worker/shared/names.ts says what one may be). */
const PlayerName = z
  .string()
  .meta({
    ...documented.text(true),
    description:
      "1-24 characters after NFKC normalisation, invisible characters stripped; look-alike names are one name (README: What a nickname may be)",
  })
  .transform((raw, ctx) => {
    const checked = normalizePlayerName(raw);
    if (checked.ok) return checked.name;
    ctx.addIssue({ code: "custom", message: checked.message });
    return z.NEVER;
  });

export const JoinInput = z
  .object({
    name: PlayerName,
    /** In a market whose players choose their team: which one (case-insensitive). */
    team: text(1, TEAM_NAME_MAX * 4).optional(),
  })
  .strict();

// ---------------------------------------------------------------- moderation (organiser)

export const RenamePlayerInput = z.object({ name: PlayerName }).strict();
export const RemovePlayerQuery = z.object({
  /** "1" or "true": also block the player's name (and its look-alikes). */
  block: z.enum(["0", "1", "true", "false"]).optional(),
});
export const ModerationInput = z
  .object({
    /** Replaces the blocked names (each compared by its look-alike key). */
    blockedNames: z.array(PlayerName).max(MAX_BLOCKED_NAMES).optional(),
    /** Replaces the banned words; `*` at an end lets a word match inside a longer one. */
    bannedWords: z.array(text(1, BANNED_WORD_MAX)).max(MAX_BANNED_WORDS).optional(),
  })
  .strict();

export const OrderSide = z.enum(["buy", "sell"]);
export type OrderSide = z.infer<typeof OrderSide>;
export const OrderType = z.enum(["market", "limit", "stop", "stop_limit"]);
export type OrderType = z.infer<typeof OrderType>;

export const OrderInput = z
  .object({
    clientOrderId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_\-:.]+$/, "letters, digits and _-:."),
    symbol: SymbolCode,
    side: OrderSide,
    qty: Quantity,
    type: OrderType,
    limitPrice: Money.optional(),
    /** Stop and stop-limit orders: the last price that triggers them. */
    stopPrice: Money.optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    const needsLimit = o.type === "limit" || o.type === "stop_limit";
    const needsStop = o.type === "stop" || o.type === "stop_limit";
    if (needsLimit && o.limitPrice === undefined)
      ctx.addIssue({ code: "custom", path: ["limitPrice"], message: `required for a ${o.type} order` });
    if (!needsLimit && o.limitPrice !== undefined)
      ctx.addIssue({ code: "custom", path: ["limitPrice"], message: "only for a limit or stop_limit order" });
    if (needsStop && o.stopPrice === undefined)
      ctx.addIssue({ code: "custom", path: ["stopPrice"], message: `required for a ${o.type} order` });
    if (!needsStop && o.stopPrice !== undefined)
      ctx.addIssue({ code: "custom", path: ["stopPrice"], message: "only for a stop or stop_limit order" });
  });
export type OrderInput = z.infer<typeof OrderInput>;

export const OrdersQuery = z.object({
  status: z.enum(["open", "all"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  /** Cursor from a previous page's `next`: orders placed before this one. */
  before: z.string().max(64).refine(isWellFormed, NOT_WELL_FORMED).optional(),
});
export const FillsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).optional(),
  before: z.string().max(64).refine(isWellFormed, NOT_WELL_FORMED).optional(),
});
export const LeaderboardQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() });
export const CandleInterval = z.enum(["tick", "1m", "5m", "15m", "1h"]);
export type CandleInterval = z.infer<typeof CandleInterval>;
export const CandlesQuery = z.object({
  interval: CandleInterval.optional(),
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
});

// ---------------------------------------------------------------- WebSocket

/** What a client may send as JSON (besides the bare text `ping`). */
export const ClientMessage = z.discriminatedUnion("type", [z.object({ type: z.literal("resync") }).strict()]);
export type ClientMessage = z.infer<typeof ClientMessage>;

// ---------------------------------------------------------------- agreement with messages.ts

// The server's plain unions and the input enums above must stay the same sets of
// strings; the compiler refuses a literal added to one and not the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;
type Agreement = [
  Expect<Same<OrderSide, Plain.OrderSide>>,
  Expect<Same<OrderType, Plain.OrderType>>,
  Expect<Same<CandleInterval, Plain.CandleInterval>>,
];
