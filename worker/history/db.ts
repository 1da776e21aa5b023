/**
 * The ONE place the Postgres (Neon) client is created. Every drain and every archive
 * request opens its own Pool here and ends it before returning: a Pool holds WebSockets,
 * and I/O objects must not outlive the request or alarm that created them in Workers.
 */
import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import * as schema from "./schema.ts";

/** The settings the history needs; `Env` carries them as vars or secrets. */
export interface HistoryEnv {
  /** postgres://user:pass@host/db; empty or absent = no history (SQLite only). */
  DATABASE_URL?: string;
  /**
   * host:port of a plain WebSocket-to-TCP proxy in front of a local Postgres
   * (websockify or Neon's wsproxy), e.g. "127.0.0.1:5433". Empty = real Neon over wss.
   */
  PG_WS_PROXY?: string;
}

export type HistoryDb = NeonDatabase<typeof schema>;

export const CONNECT_TIMEOUT_MS = 5_000;
export const QUERY_TIMEOUT_MS = 15_000;

/** True when a DATABASE_URL is configured, i.e. the outbox should be drained. */
export function historyEnabled(env: HistoryEnv): boolean {
  return Boolean(env.DATABASE_URL?.trim());
}

/**
 * Runs `fn` with a drizzle database over a fresh Pool and ends the pool afterwards.
 * Returns null without calling `fn` when DATABASE_URL is empty.
 */
export async function withPg<T>(env: HistoryEnv, fn: (db: HistoryDb) => Promise<T>): Promise<T | null> {
  if (!historyEnabled(env)) return null;
  const pool = openPool(env);
  try {
    return await fn(drizzle({ client: pool, schema }));
  } finally {
    await pool.end().catch(() => {});
  }
}

/**
 * Like withPg, for a reader that hands out pages as it goes (a streamed export): the pool
 * lives until the pages run out, fail, or the reader stops (return()). Nothing when
 * DATABASE_URL is empty.
 */
export async function* withPgPages<T>(
  env: HistoryEnv,
  pages: (db: HistoryDb) => AsyncIterable<T>,
): AsyncGenerator<T, void, undefined> {
  if (!historyEnabled(env)) return;
  const pool = openPool(env);
  try {
    yield* pages(drizzle({ client: pool, schema }));
  } finally {
    await pool.end().catch(() => {});
  }
}

function openPool(env: HistoryEnv): Pool {
  configureNeon(env);
  // One connection is enough: a drain writes its statements in one transaction, in order.
  const pool = new Pool({
    connectionString: env.DATABASE_URL!.trim(),
    max: 1,
    // An unreachable database must fail the attempt (and start the backoff), not hold the
    // market's alarm: connecting gives up after 5 s and a statement after 15 s.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
  });
  // A Pool emits "error" for a dropped idle connection; unhandled, that would throw out of
  // the event loop instead of failing the one awaited query.
  pool.on("error", () => {});
  return pool;
}

/**
 * neonConfig is module-global; it is set on every call so the settings always follow the
 * env of the current request (they are the same within one deployment).
 */
function configureNeon(env: HistoryEnv): void {
  const proxy = env.PG_WS_PROXY?.trim();
  if (proxy) {
    // Settings checked against websockify in front of a local Postgres (DESIGN.md): plain
    // ws://, and no pipelining of the startup/TLS messages, which only Neon's proxy understands.
    neonConfig.wsProxy = () => `${proxy}/v1`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineConnect = false;
    neonConfig.pipelineTLS = false;
  } else {
    // Neon's defaults: wss:// to the database host, pipelined connect.
    neonConfig.wsProxy = (host) => `${host}/v2`;
    neonConfig.useSecureWebSocket = true;
    neonConfig.pipelineConnect = "password";
    neonConfig.pipelineTLS = false;
  }
}
