/**
 * The list of markets, for `GET /api/markets`. It is written only when a market is
 * created or changes status, and read only by the organiser, so one instance is never a
 * hot spot: orders, ticks and sockets never touch it. Whether a code is taken is decided
 * by the market's own object (idFromName(code)), not here.
 */
import { DurableObject } from "cloudflare:workers";
import { desc } from "drizzle-orm";
import { drizzle, type DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import migrations from "../../drizzle/registry/migrations.js";
import type { MarketInfo } from "../shared/protocol";
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
      .values({ code: market.code, name: market.name, status: market.status, players, createdAt: market.createdAt, updatedAt: now })
      .onConflictDoUpdate({ target: schema.markets.code, set: { name: market.name, status: market.status, players, updatedAt: now } })
      .run();
  }

  list(limit: number): RegistryEntry[] {
    return this.db.select().from(schema.markets).orderBy(desc(schema.markets.createdAt)).limit(limit).all();
  }
}
