/**
 * The list of markets, for `GET /api/markets`. It is written only when a market is
 * created or changes status, and read only by the organiser, so one instance is never a
 * hot spot: orders, ticks and sockets never touch it. Whether a code is taken is decided
 * by the market's own object (idFromName(code)), not here.
 */
import { DurableObject } from "cloudflare:workers";
import { desc, sql } from "drizzle-orm";
import { drizzle, type DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import migrations from "../../drizzle/registry/migrations.js";
import type { MarketInfo } from "../shared/protocol";
import { encodeCursor, type ListKey } from "./listPage";
import * as schema from "./schema";

export interface RegistryEntry {
  code: string;
  name: string;
  status: string;
  players: number;
  createdAt: number;
  updatedAt: number;
}

export class RegistryDurableObject extends DurableObject<Env> {
  private readonly db: DrizzleSqliteDODatabase<typeof schema>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = drizzle(ctx.storage, { schema });
    void ctx.blockConcurrencyWhile(() => migrate(this.db, migrations));
  }

  record(market: MarketInfo): void {
    const now = Date.now();
    const players = market.players ?? 0;
    this.db
      .insert(schema.markets)
      .values({
        code: market.code,
        name: market.name,
        status: market.status,
        players,
        createdAt: market.createdAt,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: schema.markets.code,
        set: { name: market.name, status: market.status, players, updatedAt: now },
      })
      .run();
  }

  /** One page of the list, newest first, after the key `after` (see listPage.ts). */
  list(limit: number, after: ListKey | null): { markets: RegistryEntry[]; next: string | null } {
    const m = schema.markets;
    // One row past the page says whether there is a next page without a second query.
    // The created_at index serves the range and the order; only markets created in the
    // same millisecond are sorted by code.
    const rows = this.db
      .select()
      .from(m)
      .where(after === null ? undefined : sql`(${m.createdAt}, ${m.code}) < (${after.createdAt}, ${after.code})`)
      .orderBy(desc(m.createdAt), desc(m.code))
      .limit(limit + 1)
      .all();
    const markets = rows.slice(0, limit);
    const last = markets[markets.length - 1];
    return { markets, next: rows.length > limit ? encodeCursor(last) : null };
  }
}
