/**
 * The news lifecycle: an item is drafted for now or for later, published (its impacts
 * start moving prices and it takes the next seq), or cancelled while it is still
 * scheduled. Plain data; the shell stores the items and tells the sockets.
 */
import type { NewsImpact } from "../../shared/protocol.ts";
import { type Refusal, refuse, symbolOf } from "./common.ts";
import { applyNews } from "./market.ts";
import type { MarketState } from "./types.ts";

export type NewsStatus = "scheduled" | "published" | "cancelled";

export interface NewsRecord {
  id: string;
  /** Numbering in the order items were drafted; ties in publication time go by it. */
  no: number;
  headline: string;
  body: string;
  impacts: NewsImpact[];
  /** When it was published, or for a scheduled item when it will be. */
  publishAt: number;
  status: NewsStatus;
}

export interface NewsDraft {
  headline: string;
  body: string;
  impacts: NewsImpact[];
  /** Null, or a time not after `now`, publishes at once. */
  publishAt: number | null;
}

export const newsId = (no: number): string => `n${no}`;

/** A new item, number `no`: scheduled when `publishAt` is still ahead, else for publishing now. */
export function draftNews(
  state: MarketState,
  no: number,
  draft: NewsDraft,
  now: number,
): { ok: true; item: NewsRecord } | Refusal {
  if (state.status === "closed") return refuse("MARKET_NOT_OPEN", "The market is closed.");
  const unknown = draft.impacts.find((i) => symbolOf(state, i.symbol) === undefined);
  if (unknown) return refuse("NOT_FOUND", `No symbol ${unknown.symbol} in this market.`);
  const scheduled = draft.publishAt !== null && draft.publishAt > now;
  return {
    ok: true,
    item: {
      id: newsId(no),
      no,
      headline: draft.headline,
      body: draft.body,
      impacts: draft.impacts,
      publishAt: scheduled ? (draft.publishAt as number) : now,
      status: scheduled ? "scheduled" : "published",
    },
  };
}

/** Publishes `item` at `now`: its impacts are queued on their symbols and it takes a seq. */
export function publishNews(state: MarketState, item: NewsRecord, now: number): NewsRecord {
  applyNews(state, item.impacts);
  state.seq += 1;
  return { ...item, status: "published", publishAt: now };
}

/** Only an item that is still scheduled can be cancelled. */
export function cancelNews(item: NewsRecord | null): { ok: true; item: NewsRecord } | Refusal {
  if (!item) return refuse("NOT_FOUND", "No such news item.");
  if (item.status !== "scheduled")
    return refuse("NOT_FOUND", "Only a scheduled news item that is not yet published can be cancelled.");
  return { ok: true, item: { ...item, status: "cancelled" } };
}
