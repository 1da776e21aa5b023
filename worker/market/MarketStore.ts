/**
 * The market object's SQLite, through drizzle. Loads the whole hot state into memory on
 * wake and writes back exactly the rows a change touched. All writes are synchronous, so
 * the shell can group them in one `transactionSync` with the engine call that caused them.
 */
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, ne, sql } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { OutboxKind } from "../history/outboxTypes";
import { NAME_KEY_VERSION, nameKey } from "../shared/names";
import {
  NO_SESSION,
  defaultModeration,
  DEFAULT_RULES,
  rebuildDerived,
  type FillState,
  type MarketState,
  type NewsRecord,
  type OrderState,
  type PlayerState,
  type SymbolState,
} from "./engine";
import type { MarketSession } from "../shared/messages";
import * as schema from "./schema";
import { fillStateOf, HOT, newsRecordOf, newsRowOf, orderStateOf, type OrderRow } from "./storeSql";

export type MarketDb = DrizzleSqliteDODatabase<typeof schema>;

/** Small scalars stored beside the engine state in the market row. */
export interface ShellCounters {
  nextNewsNo: number;
}

export interface LoadedMarket {
  state: MarketState;
  lastTickAt: number;
  counters: ShellCounters;
  drain: unknown;
}

interface EngineCounters {
  nextOrderNo: number;
  nextFillNo: number;
  nextPlayerNo: number;
  session?: MarketSession;
  /** The news script's clock (absent in rows written before it). */
  openedAt?: number | null;
  pausedMs?: number;
  pausedAt?: number | null;
}

/**
 * What goes in players.name_key, whose unique index backs up the engine's in-memory name
 * index. The in-memory index answers NAME_TAKEN, and it is rebuilt from the names on every
 * load with today's `nameKey`, so players stored under older rules take part in it.
 * Their name_key column keeps what older code wrote (before version 2: the lower-cased
 * name), as the upsert below never rewrites it; for an existing row the id conflict is
 * resolved first, so the key it proposes is not compared either. That leaves new rows, and
 * a key made by other rules could equal a newcomer's (were a later version to stop folding
 * accents, "Alicé" keyed "alice" would turn away a new "Alice" with 500). So keys written
 * now carry a tag, U+0001 and the version, that no key of another version has (names never
 * held control characters): the unique index only compares keys made by the same rules,
 * which the in-memory index already keeps unique, and cannot refuse a join it accepted.
 */
export function storedNameKey(name: string): string {
  return `\u0001${NAME_KEY_VERSION}:${nameKey(name)}`;
}

export class MarketStore {
  /** savePlayer runs on every order; the key only changes with the name, which never changes. */
  private readonly nameKeys = new WeakMap<PlayerState, string>();

  constructor(
    private readonly db: MarketDb,
    /** The same database, for the few statements on the order path (see HOT below). */
    private readonly sql: SqlStorage,
  ) {}

  // ------------------------------------------------------------------ load

  load(): LoadedMarket | null {
    const row = this.db.select().from(schema.market).where(eq(schema.market.id, 1)).get();
    if (!row) return null;
    const engineCounters = JSON.parse(row.counters) as EngineCounters & ShellCounters;
    const players = new Map<string, PlayerState>();
    const rows = this.db
      .select()
      .from(schema.players)
      .where(isNull(schema.players.removedAt))
      .orderBy(asc(schema.players.joinedAt))
      .all();
    for (const p of rows) {
      players.set(p.id, {
        id: p.id,
        name: p.name,
        cash: p.cash,
        reserved: p.reserved,
        positions: JSON.parse(p.positions),
        openOrders: p.openOrders,
        joinedAt: p.joinedAt,
        ...(p.team !== null ? { team: p.team } : {}),
      });
    }
    const openOrders = new Map<string, OrderState>();
    const openRows = this.db
      .select()
      .from(schema.orders)
      .where(inArray(schema.orders.status, ["open", "partially_filled"]))
      .orderBy(asc(schema.orders.no))
      .all();
    for (const o of openRows) openOrders.set(o.id, orderStateOf(o));
    const state = {
      code: row.code,
      name: row.name,
      status: row.status as MarketState["status"],
      tickMs: row.tickMs,
      startingCash: row.startingCash,
      seed: row.seed,
      // Rules added later (lateEntry) take their defaults in markets stored before them.
      rules: { ...DEFAULT_RULES, ...JSON.parse(row.rules) },
      // The session rides in the counters' JSON (no migration); markets from before have none.
      session: engineCounters.session ?? { ...NO_SESSION },
      createdAt: row.createdAt,
      tick: row.tick,
      seq: row.seq,
      rng: JSON.parse(row.rng),
      symbols: JSON.parse(row.symbols) as SymbolState[],
      players,
      openOrders,
      nextOrderNo: engineCounters.nextOrderNo,
      nextFillNo: engineCounters.nextFillNo,
      nextPlayerNo: engineCounters.nextPlayerNo,
      teams: row.teams ? JSON.parse(row.teams) : null,
      moderation: row.moderation ? JSON.parse(row.moderation) : defaultModeration(),
      openedAt: engineCounters.openedAt ?? null,
      pausedMs: engineCounters.pausedMs ?? 0,
      pausedAt: engineCounters.pausedAt ?? null,
    } as MarketState;
    rebuildDerived(state);
    return {
      state,
      lastTickAt: row.lastTickAt,
      counters: { nextNewsNo: engineCounters.nextNewsNo ?? 1 },
      drain: row.drain ? JSON.parse(row.drain) : null,
    };
  }

  // ------------------------------------------------------------------ market row

  /** Writes the single market row: status, tick, seq, generator, every symbol, counters. */
  saveMarket(state: MarketState, lastTickAt: number, counters: ShellCounters): void {
    this.sql.exec(
      HOT.saveMarket,
      state.code,
      state.name,
      state.status,
      state.tickMs,
      state.startingCash,
      state.seed,
      JSON.stringify(state.rules),
      state.createdAt,
      state.tick,
      state.seq,
      lastTickAt,
      JSON.stringify(state.rng),
      JSON.stringify(state.symbols),
      JSON.stringify({
        nextOrderNo: state.nextOrderNo,
        nextFillNo: state.nextFillNo,
        nextPlayerNo: state.nextPlayerNo,
        nextNewsNo: counters.nextNewsNo,
        session: state.session,
        openedAt: state.openedAt,
        pausedMs: state.pausedMs,
        pausedAt: state.pausedAt,
      }),
    );
  }

  /** The teams and the name rules: written when the organiser changes them, not with every order. */
  saveSettings(state: MarketState): void {
    this.db
      .update(schema.market)
      .set({
        teams: state.teams ? JSON.stringify(state.teams) : null,
        moderation: state.moderation ? JSON.stringify(state.moderation) : null,
      })
      .where(eq(schema.market.id, 1))
      .run();
  }

  saveDrain(drain: unknown): void {
    this.db
      .update(schema.market)
      .set({ drain: JSON.stringify(drain) })
      .where(eq(schema.market.id, 1))
      .run();
  }

  // ------------------------------------------------------------------ players

  savePlayer(p: PlayerState): void {
    let key = this.nameKeys.get(p);
    if (key === undefined) this.nameKeys.set(p, (key = storedNameKey(p.name)));
    this.sql.exec(
      HOT.savePlayer,
      p.id,
      p.name,
      key,
      p.cash,
      p.reserved,
      JSON.stringify(p.positions),
      p.openOrders,
      p.joinedAt,
      p.team ?? null,
    );
  }

  /** A new name (the organiser renamed the player): the name and its key, which savePlayer never rewrites. */
  renamePlayer(p: PlayerState): void {
    const key = storedNameKey(p.name);
    this.nameKeys.set(p, key);
    this.db.update(schema.players).set({ name: p.name, nameKey: key }).where(eq(schema.players.id, p.id)).run();
  }

  /**
   * The organiser removed the player. The row stays, so the fills export still names who
   * traded; its key becomes one no name has, so the name is free again (unless blocked).
   */
  removePlayer(p: PlayerState, now: number): void {
    this.db
      .update(schema.players)
      .set({ removedAt: now, nameKey: `\u0001removed:${p.id}` })
      .where(eq(schema.players.id, p.id))
      .run();
  }

  // ------------------------------------------------------------------ orders and fills

  saveOrder(o: OrderState): void {
    this.sql.exec(
      HOT.saveOrder,
      o.id,
      Number(o.id.slice(1)),
      o.playerId,
      o.clientOrderId,
      o.symbol,
      o.side,
      o.type,
      o.qty,
      o.limitPrice,
      o.stopPrice,
      o.triggeredAt,
      o.rejectReason,
      o.status,
      o.filledQty,
      o.filledValue,
      o.reservedCash,
      o.createdAt,
      o.updatedAt,
    );
  }

  findOrderByClientId(playerId: string, clientOrderId: string): OrderState | null {
    const rows = this.sql.exec(HOT.findOrderByClientId, playerId, clientOrderId).toArray();
    // Columns are aliased to the schema's keys, so the row is what drizzle would return.
    return rows.length > 0 ? orderStateOf(rows[0] as unknown as OrderRow) : null;
  }

  findOrder(playerId: string, orderId: string): OrderState | null {
    const row = this.db
      .select()
      .from(schema.orders)
      .where(and(eq(schema.orders.playerId, playerId), eq(schema.orders.id, orderId)))
      .get();
    return row ? orderStateOf(row) : null;
  }

  /** A player's orders, newest first; `beforeNo` pages backwards. */
  listOrders(playerId: string, onlyOpen: boolean, limit: number, beforeNo: number | null): OrderState[] {
    const conds = [eq(schema.orders.playerId, playerId)];
    if (onlyOpen) conds.push(inArray(schema.orders.status, ["open", "partially_filled"]));
    if (beforeNo !== null) conds.push(lt(schema.orders.no, beforeNo));
    return this.db
      .select()
      .from(schema.orders)
      .where(and(...conds))
      .orderBy(desc(schema.orders.no))
      .limit(limit)
      .all()
      .map(orderStateOf);
  }

  insertFill(f: FillState): void {
    this.sql.exec(
      HOT.insertFill,
      Number(f.id.slice(1)),
      f.id,
      f.orderId,
      f.playerId,
      f.symbol,
      f.side,
      f.qty,
      f.price,
      f.fee,
      f.t,
      f.tick,
    );
  }

  /** A player's fills, newest first; `beforeNo` pages backwards. */
  listFills(playerId: string, limit: number, beforeNo: number | null): FillState[] {
    const cond =
      beforeNo === null
        ? eq(schema.fills.playerId, playerId)
        : and(eq(schema.fills.playerId, playerId), lt(schema.fills.no, beforeNo));
    return this.db
      .select()
      .from(schema.fills)
      .where(cond)
      .orderBy(desc(schema.fills.no))
      .limit(limit)
      .all()
      .map(fillStateOf);
  }

  /**
   * Fills numbered after `afterNo` in execution order, at most `limit`, for the CSV export:
   * keyset pages on the primary key, so each page costs the same however deep it is.
   */
  fillsAfter(afterNo: number, limit: number): (FillState & { no: number; playerName: string })[] {
    return this.db
      .select({ fill: schema.fills, playerName: schema.players.name })
      .from(schema.fills)
      .innerJoin(schema.players, eq(schema.players.id, schema.fills.playerId))
      .where(gt(schema.fills.no, afterNo))
      .orderBy(asc(schema.fills.no))
      .limit(limit)
      .all()
      .map((r) => ({ ...fillStateOf(r.fill), no: r.fill.no, playerName: r.playerName }));
  }

  // ------------------------------------------------------------------ news

  insertNews(item: NewsRecord): void {
    this.db.insert(schema.news).values(newsRowOf(item)).run();
  }

  /** Stores a new status (and, when published, the publication time) of an item. */
  saveNewsStatus(item: NewsRecord): void {
    this.db
      .update(schema.news)
      .set({ status: item.status, publishAt: item.publishAt })
      .where(eq(schema.news.id, item.id))
      .run();
  }

  findNews(id: string): NewsRecord | null {
    const row = this.db.select().from(schema.news).where(eq(schema.news.id, id)).get();
    return row ? newsRecordOf(row) : null;
  }

  recentNews(limit: number): NewsRecord[] {
    return this.db
      .select()
      .from(schema.news)
      .where(eq(schema.news.status, "published"))
      .orderBy(desc(schema.news.publishAt), desc(schema.news.no))
      .limit(limit)
      .all()
      .map(newsRecordOf);
  }

  /** Scheduled items, wall-clock ones by time, then the script in its order (engine/news.ts says when each is due). */
  scheduledNews(): NewsRecord[] {
    return this.db
      .select()
      .from(schema.news)
      .where(eq(schema.news.status, "scheduled"))
      .orderBy(asc(schema.news.publishAt), asc(schema.news.afterOpenMs), asc(schema.news.no))
      .all()
      .map(newsRecordOf);
  }

  /** Every script item that is not cancelled, in script order: what a scenario export carries. */
  scriptNews(): NewsRecord[] {
    return this.db
      .select()
      .from(schema.news)
      .where(and(isNotNull(schema.news.afterOpenMs), ne(schema.news.status, "cancelled")))
      .orderBy(asc(schema.news.afterOpenMs), asc(schema.news.no))
      .all()
      .map(newsRecordOf);
  }

  /** Published items that were not script items, oldest first (an export turns them into script items). */
  publishedAdHocNews(): NewsRecord[] {
    return this.db
      .select()
      .from(schema.news)
      .where(and(isNull(schema.news.afterOpenMs), eq(schema.news.status, "published")))
      .orderBy(asc(schema.news.publishAt), asc(schema.news.no))
      .all()
      .map(newsRecordOf);
  }

  /** Rewrites an item whole (an edit of a scheduled item). */
  saveNews(item: NewsRecord): void {
    const { id, ...rest } = newsRowOf(item);
    this.db.update(schema.news).set(rest).where(eq(schema.news.id, id)).run();
  }

  // ------------------------------------------------------------------ ticks (candles)

  insertTick(tick: number, t: number, symbols: SymbolState[]): void {
    this.db
      .insert(schema.ticks)
      .values({
        tick,
        t,
        prices: JSON.stringify(symbols.map((s) => s.last)),
        volumes: JSON.stringify(symbols.map((s) => s.volume)),
      })
      .onConflictDoNothing()
      .run();
  }

  /**
   * Tick rows in [from, to], read by primary key from `fromTick` on, so the cost is bounded
   * by the number of ticks asked for, not by the market's age.
   */
  ticksBetween(fromTick: number, from: number, to: number): { t: number; prices: number[]; volumes: number[] }[] {
    return this.db
      .select()
      .from(schema.ticks)
      .where(and(gt(schema.ticks.tick, fromTick - 1), gt(schema.ticks.t, from - 1), lte(schema.ticks.t, to)))
      .orderBy(asc(schema.ticks.tick))
      .all()
      .map((r) => ({ t: r.t, prices: JSON.parse(r.prices), volumes: JSON.parse(r.volumes) }));
  }

  // ------------------------------------------------------------------ outbox

  enqueue(kind: OutboxKind, payload: string): void {
    this.sql.exec(HOT.enqueue, kind, payload);
  }

  outboxBatch(limit: number): { id: number; kind: OutboxKind; payload: string }[] {
    return this.db.select().from(schema.outbox).orderBy(asc(schema.outbox.id)).limit(limit).all() as {
      id: number;
      kind: OutboxKind;
      payload: string;
    }[];
  }

  ackOutbox(upToId: number): void {
    this.db.delete(schema.outbox).where(lte(schema.outbox.id, upToId)).run();
  }

  outboxDepth(): number {
    return this.db.select({ n: sql<number>`count(*)` }).from(schema.outbox).get()?.n ?? 0;
  }
}
