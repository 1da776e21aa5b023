/**
 * The market's side of the CSV exports: pages small enough for one RPC each, which the
 * route streams as CSV (worker/lib/csvStream.ts). One reply with every row failed a real
 * market at 833,746 fills: an RPC value is limited to 32 MiB.
 */
import type { Clock } from "../lib/clock";
import { ok, refuse, type Result } from "../shared/result";
import { fromCents } from "../shared/money";
import type { Fill, PlayerSummary } from "../shared/protocol";
import { standings, type MarketState } from "./engine";
import type { MarketStore } from "./MarketStore";
import { fillOf } from "./views";

/** Rows one page may carry, however many are asked for: 10,000 fills are about 1.2 MB over RPC. */
export const EXPORT_PAGE_MAX = 10_000;
/** A standings export not read for this long is dropped; the client starts again. */
export const STANDINGS_EXPORT_IDLE_MS = 60_000;
/** Standings exports held at once; a newer one pushes out the least recently read. */
export const STANDINGS_EXPORTS_HELD = 4;

export type ExportFill = Fill & { player: string };

/** One page of an export and the cursor of the next one (null: this was the last). */
export interface ExportPage<Row, Cursor> {
  rows: Row[];
  next: Cursor | null;
}

export function pageSize(limit: number): number {
  return Number.isSafeInteger(limit) && limit > 0 ? Math.min(limit, EXPORT_PAGE_MAX) : EXPORT_PAGE_MAX;
}

/** Fills numbered after `afterNo`, in execution order; the cursor is the last fill's number. */
export function fillsPage(store: MarketStore, afterNo: number, limit: number): ExportPage<ExportFill, number> {
  const size = pageSize(limit);
  // One row more than the page tells whether another page follows, without an empty last call.
  const rows = store.fillsAfter(Number.isSafeInteger(afterNo) ? afterNo : 0, size + 1);
  const page = rows.slice(0, size);
  return {
    rows: page.map((f) => ({ ...fillOf(f), player: f.playerName })),
    next: rows.length > size ? page[page.length - 1].no : null,
  };
}

/** Every player in standings order, valued now: the organiser's table and the standings export. */
export function playerSummaries(state: MarketState): PlayerSummary[] {
  return standings(state).map((l) => ({
    id: l.playerId,
    name: l.name,
    cash: fromCents(state.players.get(l.playerId)!.cash),
    netWorth: fromCents(l.netWorth),
    rank: l.rank,
    returnPct: l.returnPct,
    ...(l.team !== undefined ? { team: l.team } : {}),
  }));
}

export interface StandingsCursor {
  exportId: string;
  offset: number;
}

/**
 * Standings exports in progress. The standings are computed once, when an export starts,
 * and its pages are cut from that one copy: ticks between pages re-rank the players, and
 * pages of different moments could repeat one player and miss another.
 */
export class StandingsExports {
  private readonly held = new Map<string, { rows: PlayerSummary[]; readAt: number }>();

  constructor(private readonly clock: Clock) {}

  page(
    state: MarketState,
    cursor: StandingsCursor | null,
    limit: number,
  ): Result<ExportPage<PlayerSummary, StandingsCursor>> {
    const now = this.clock.now();
    this.dropIdle(now);
    const exportId = cursor?.exportId ?? crypto.randomUUID();
    let held = this.held.get(exportId);
    if (!held) {
      if (cursor)
        return refuse(
          "NOT_FOUND",
          "This standings export is no longer held (idle too long, or the market restarted); start it again.",
        );
      held = { rows: playerSummaries(state), readAt: now };
      this.held.set(exportId, held);
      this.keepAtMost(STANDINGS_EXPORTS_HELD);
    }
    // Map order is insertion order: re-inserting marks it the most recently read.
    this.held.delete(exportId);
    this.held.set(exportId, { ...held, readAt: now });
    const offset = Math.max(0, cursor?.offset ?? 0);
    const end = offset + pageSize(limit);
    const rows = held.rows.slice(offset, end);
    if (end >= held.rows.length) {
      this.held.delete(exportId);
      return ok({ rows, next: null });
    }
    return ok({ rows, next: { exportId, offset: end } });
  }

  private dropIdle(now: number): void {
    for (const [id, held] of this.held) if (now - held.readAt > STANDINGS_EXPORT_IDLE_MS) this.held.delete(id);
  }

  private keepAtMost(count: number): void {
    for (const id of this.held.keys()) {
      if (this.held.size <= count) return;
      this.held.delete(id);
    }
  }
}
