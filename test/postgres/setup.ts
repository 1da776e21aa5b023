/**
 * The Postgres history suites need a migrated Postgres behind a WebSocket proxy:
 *
 *   npm run pg:proxy                                   # websockify 127.0.0.1:5433 -> :5432
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run db:migrate
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test PG_WS_PROXY=127.0.0.1:5433 \
 *     npx vitest run --project workers test/history
 *
 * The tests do not create tables themselves: `npm run db:migrate` must have run first
 * (.ci/run does). Without DATABASE_URL they are skipped, and say so.
 */
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import type { HistoryEnv } from "../../worker/history/db";

export const pgEnv: HistoryEnv = {
  DATABASE_URL: (env as unknown as HistoryEnv).DATABASE_URL ?? "",
  PG_WS_PROXY: (env as unknown as HistoryEnv).PG_WS_PROXY ?? "",
};

export const noPostgres = !pgEnv.DATABASE_URL;

export function warnIfSkipped(suite: string): void {
  if (noPostgres)
    console.warn(
      `[${suite}] SKIPPED: DATABASE_URL is not set. Set DATABASE_URL (and PG_WS_PROXY for a local Postgres behind websockify) to run it.`,
    );
}

/** Fails with a clear instruction when the history tables are missing. */
export async function requireMigrated(): Promise<void> {
  const { withPg } = await import("../../worker/history/db");
  const ok = await withPg(pgEnv, async (db) => {
    const r = await db.execute<{ ok: boolean }>(sql`select to_regclass('public.fills') is not null as ok`);
    return r.rows[0].ok;
  });
  if (!ok)
    throw new Error("The history tables are missing: run `npm run db:migrate` with the same DATABASE_URL first.");
}
