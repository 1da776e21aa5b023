/** The end-of-game answers as zod schemas (for the OpenAPI document), checked against protocol.ts. */
import * as z from "zod";
import type { MarketResults as MarketResultsType, PlayerResult as PlayerResultType } from "../shared/protocol";
import { Amount, EpochMs, Leader, MarketStatus, OrderSide } from "./responses";

export const TradeHighlight = z
  .object({
    symbol: z.string(),
    side: OrderSide,
    qty: z.number().int(),
    price: Amount,
    value: Amount,
    t: EpochMs,
    player: z.string().optional(),
    gain: Amount.optional(),
  })
  .meta({ id: "TradeHighlight" });

export const MarketResults = z
  .object({
    status: MarketStatus,
    players: z.number().int(),
    leaders: z.array(Leader),
    biggestTrade: TradeHighlight.nullable(),
    bestStock: z
      .object({ symbol: z.string(), name: z.string(), open: Amount, last: Amount, changePct: z.number() })
      .nullable(),
  })
  .meta({ id: "MarketResults" });

export const PlayerResult = z
  .object({
    name: z.string(),
    rank: z.number().int(),
    players: z.number().int(),
    netWorth: Amount,
    startingCash: Amount,
    returnPct: z.number(),
    trades: z.number().int(),
    bestTrade: TradeHighlight.nullable(),
    worstTrade: TradeHighlight.nullable(),
    netWorthSeries: z.array(z.object({ t: EpochMs, netWorth: Amount })),
  })
  .meta({ id: "PlayerResult" });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type ResultsSchemasMatchProtocol = [
  Same<z.infer<typeof MarketResults>, MarketResultsType>,
  Same<z.infer<typeof PlayerResult>, PlayerResultType>,
] extends [true, true]
  ? true
  : never;
export const resultsSchemasMatch: ResultsSchemasMatchProtocol = true;
