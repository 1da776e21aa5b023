/**
 * The news lifecycle: an item is drafted for now or for later, published (its impacts
 * start moving prices and it takes the next seq), or cancelled while it is still
 * scheduled. "Later" is either a wall-clock time (`publishAt`) or a place in the news
 * script: `afterOpenMs` of trading after the open. A script item waits in the lobby, and
 * a pause holds the script (its items keep their distance to the open in trading time).
 * Plain data; the shell stores the items and tells the sockets.
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
  /**
   * When it was published, or for a scheduled item when it will be; 0 for a script item
   * that has not been published (its time is `afterOpenMs`).
   */
  publishAt: number;
  status: NewsStatus;
  /** A script item: published this many ms of trading after the open. Null otherwise. */
  afterOpenMs: number | null;
}

export interface NewsDraft {
  headline: string;
  body: string;
  impacts: NewsImpact[];
  /** Null, or a time not after `now`, publishes at once. */
  publishAt: number | null;
  /** A script item instead (then `publishAt` is ignored): due this long after the open. */
  afterOpenMs?: number | null;
}

/** Milliseconds of trading since the open at `now` (pauses not counted), null before the open. */
export function tradingElapsed(state: MarketState, now: number): number | null {
  if (state.openedAt === null) return null;
  const pausedNow = state.pausedAt !== null ? now - state.pausedAt : 0;
  return now - state.openedAt - state.pausedMs - pausedNow;
}

/**
 * When a scheduled item is due: its wall-clock time, or for a script item the open plus
 * its offset plus the time paused; null while a script item waits (lobby, paused, closed).
 */
export function newsDueAt(state: MarketState, item: Pick<NewsRecord, "publishAt" | "afterOpenMs">): number | null {
  if (item.afterOpenMs === null) return item.publishAt;
  if (state.status !== "open" || state.openedAt === null) return null;
  return state.openedAt + state.pausedMs + item.afterOpenMs;
}

/**
 * The time to show for an item: when it was or will be published; for a script item that
 * waits, when it would publish if trading started (or resumed) now.
 */
export function newsShownAt(state: MarketState, item: NewsRecord, now: number): number {
  if (item.status !== "scheduled" || item.afterOpenMs === null) return item.publishAt;
  const due = newsDueAt(state, item);
  if (due !== null) return due;
  return now + Math.max(0, item.afterOpenMs - (tradingElapsed(state, now) ?? 0));
}

/** The scheduled items due at `now`, in the order they fall due (ties by number). */
export function dueNews(state: MarketState, scheduled: NewsRecord[], now: number): NewsRecord[] {
  if (state.status === "closed") return [];
  return scheduled
    .map((item) => ({ item, at: newsDueAt(state, item) }))
    .filter((x): x is { item: NewsRecord; at: number } => x.at !== null && x.at <= now)
    .sort((a, b) => a.at - b.at || a.item.no - b.item.no)
    .map((x) => x.item);
}

/** The earliest time any scheduled item is due, or null when none is (or all wait). */
export function nextNewsAt(state: MarketState, scheduled: NewsRecord[]): number | null {
  if (state.status === "closed") return null;
  let next: number | null = null;
  for (const item of scheduled) {
    const at = newsDueAt(state, item);
    if (at !== null && (next === null || at < next)) next = at;
  }
  return next;
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
  const afterOpenMs = draft.afterOpenMs ?? null;
  const timing =
    afterOpenMs === null ? { publishAt: draft.publishAt ?? now, afterOpenMs } : { publishAt: 0, afterOpenMs };
  const due = newsDueAt(state, timing);
  // Due already (a past time, or a script time the market has passed): published now.
  const scheduled = due === null || due > now;
  return {
    ok: true,
    item: {
      id: newsId(no),
      no,
      headline: draft.headline,
      body: draft.body,
      impacts: draft.impacts,
      publishAt: scheduled ? timing.publishAt : now,
      status: scheduled ? "scheduled" : "published",
      afterOpenMs,
    },
  };
}

/** The script of a new market: every item waits for the open. */
export function scriptRecords(
  firstNo: number,
  items: (Omit<NewsDraft, "publishAt"> & { afterOpenMs: number })[],
): NewsRecord[] {
  return items.map((item, i) => ({
    id: newsId(firstNo + i),
    no: firstNo + i,
    headline: item.headline,
    body: item.body,
    impacts: item.impacts,
    publishAt: 0,
    status: "scheduled",
    afterOpenMs: item.afterOpenMs,
  }));
}

export interface NewsEdit {
  headline?: string;
  body?: string;
  impacts?: NewsImpact[];
  /** A new wall-clock time (the item stops being a script item). */
  publishAt?: number;
  /** A new place in the script (the item becomes a script item). */
  afterOpenMs?: number;
}

/**
 * Changes a scheduled item. It stays scheduled: if the change makes it due already, the
 * next wake-up (at most a few ms later) publishes it.
 */
export function editNews(
  state: MarketState,
  item: NewsRecord | null,
  edit: NewsEdit,
): { ok: true; item: NewsRecord } | Refusal {
  if (!item) return refuse("NOT_FOUND", "No such news item.");
  if (state.status === "closed") return refuse("MARKET_NOT_OPEN", "The market is closed.");
  if (item.status !== "scheduled")
    return refuse("NOT_FOUND", "Only a scheduled news item that is not yet published can be changed.");
  const unknown = (edit.impacts ?? []).find((i) => symbolOf(state, i.symbol) === undefined);
  if (unknown) return refuse("NOT_FOUND", `No symbol ${unknown.symbol} in this market.`);
  const next: NewsRecord = {
    ...item,
    headline: edit.headline ?? item.headline,
    body: edit.body ?? item.body,
    impacts: edit.impacts ?? item.impacts,
  };
  if (edit.afterOpenMs !== undefined) Object.assign(next, { afterOpenMs: edit.afterOpenMs, publishAt: 0 });
  else if (edit.publishAt !== undefined) Object.assign(next, { afterOpenMs: null, publishAt: edit.publishAt });
  return { ok: true, item: next };
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
