/**
 * The live market's CSV exports (organiser), streamed: the market hands them over a page
 * per RPC (worker/market/exports.ts) and each page is encoded as the client reads it.
 */
import { csvStream } from "../lib/csvStream";
import { unwrap } from "../lib/errors";
import type { MarketDurableObject } from "../market/MarketDurableObject";
import type { StandingsCursor } from "../market/exports";
import type { PlayerSummary } from "../shared/protocol";
import { csvHeader } from "../routes/csv";

type MarketStub = DurableObjectStub<MarketDurableObject>;

/** Rows per RPC: about 600 KB of fills, far below the 32 MiB an RPC may carry. */
export const EXPORT_PAGE_ROWS = 5_000;

export function fillsCsv(market: MarketStub, pageRows = EXPORT_PAGE_ROWS): Promise<ReadableStream<Uint8Array>> {
  return csvStream(csvHeader("fills"), fillPages(market, pageRows));
}

export function standingsCsv(market: MarketStub, pageRows = EXPORT_PAGE_ROWS): Promise<ReadableStream<Uint8Array>> {
  return csvStream(csvHeader("standings"), standingsPages(market, pageRows));
}

async function* fillPages(market: MarketStub, pageRows: number) {
  let after = 0;
  for (;;) {
    const page = unwrap(await market.exportFillsPage(after, pageRows));
    yield page.rows.map((r) => [
      r.id,
      r.orderId,
      r.player,
      r.symbol,
      r.side,
      r.qty,
      r.price,
      r.fee,
      new Date(r.t).toISOString(),
    ]);
    if (page.next === null) return;
    after = page.next;
  }
}

async function* standingsPages(market: MarketStub, pageRows: number) {
  let cursor: StandingsCursor | null = null;
  for (;;) {
    const page: { rows: PlayerSummary[]; next: StandingsCursor | null } = unwrap(
      await market.exportStandingsPage(cursor, pageRows),
    );
    yield page.rows.map((r) => [r.rank, r.name, r.cash, r.netWorth, r.returnPct]);
    if (page.next === null) return;
    cursor = page.next;
  }
}
