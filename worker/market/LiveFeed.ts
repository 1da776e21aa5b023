/**
 * The market's live feed: its own sockets (group 0), the broadcast shards that hold the
 * other groups when the feed is split, public and private sends, the upgrade and the
 * client frames, and the lobby's roster.
 *
 * A public message is serialised once and the same string goes to every socket here and,
 * with broadcast shards, once to each shard, which passes it on to its sockets.
 */
import type { BroadcastShard } from "../broadcast/BroadcastShard";
import {
  FEED_GROUP_HEADER,
  FEED_GROUP_STATUS,
  FEED_GROUPS_HEADER,
  normaliseShards,
  shardIndex,
  shardName,
  SHARDS_KEY,
} from "../broadcast/shards";
import { ADDRESS_HEADER } from "../lib/clientAddress";
import type { Clock } from "../lib/clock";
import { SocketHost, type SocketAttachment } from "../lib/SocketHost";
import { rejectSocket } from "../lib/sockets";
import { CloseCode, type ServerMessage } from "../shared/protocol";
import { ok, refuse, type Result } from "../shared/result";
import type { MarketState, OrderState } from "./engine";
import type { MarketMemory } from "./MarketMemory";
import type { MarketReads } from "./MarketReads";
import { orderOf } from "./views";
import { errorFields, log } from "../lib/log";

/** The lobby's roster goes out at most this often (or once a tick, if ticks are quicker). */
const LOBBY_ROSTER_MS = 2000;
/** Storage key: the player count the last lobby message announced. */
const ROSTER_KEY = "feed:lobbyAnnouncedPlayers";
/** Why a socket is closed when the organiser changes the feed's groups (it reconnects). */
const REGROUP_REASON = "The live feed was reorganised; reconnect.";

export class LiveFeed {
  private readonly sockets: SocketHost<SocketAttachment>;
  /** Feed groups of this market (0: every socket here); read lazily from storage. */
  private shardCount: number | null = null;
  private shardStubs: DurableObjectStub<BroadcastShard>[] = [];
  /**
   * In the lobby there are no ticks, so joins are announced by a `lobby` message, at most
   * once per LOBBY_ROSTER_MS. Whether one is owed comes from storage (the player count last
   * announced), so a restart between a join and its alarm still announces it.
   */
  private announcedPlayers: number | null = null;
  private lastRosterAt = 0;
  /** An alarm for the roster is already set (memory only: it just saves alarm calls). */
  rosterScheduled = false;
  /** The roster changed without a change in the count (a rename, a removal and a join, teams). */
  rosterStale = false;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly memory: MarketMemory,
    private readonly reads: MarketReads,
    private readonly clock: Clock,
  ) {
    this.sockets = new SocketHost(ctx);
  }

  // ------------------------------------------------------------------ sending

  broadcast(msg: ServerMessage): void {
    const text = JSON.stringify(msg);
    const shards = this.shards();
    if (shards > 1) {
      const seq = "seq" in msg ? msg.seq : 0;
      // Groups 1..K-1 are shard objects, told first so their sends run while this object
      // sends to group 0, its own sockets. Not awaited: the tick must not wait for the
      // slowest shard. Calls on one stub arrive in the order they were made, so each shard
      // sees seq in order; a lost call shows up as a gap at the clients, who resync.
      for (let i = 1; i < shards; i++)
        this.shardStub(i)
          .deliver(seq, text)
          .catch((err: unknown) => this.shardFailed("deliver", i, err));
    }
    this.sockets.sendToAll(text);
  }

  sendToPlayer(playerId: string, msg: ServerMessage): void {
    const shard = shardIndex(playerId, this.shards());
    const here = this.sockets.playerSockets(playerId);
    // Most players on the order path have no socket here: skip the serialising.
    if (here.length === 0 && shard === 0) return;
    const text = JSON.stringify(msg);
    this.sockets.send(here, text);
    if (shard > 0)
      this.shardStub(shard)
        .deliverTo(playerId, text)
        .catch((err: unknown) => this.shardFailed("deliverTo", shard, err));
  }

  /** Tells one player's sockets why, then closes them (here and on the player's shard). */
  closePlayer(playerId: string, notice: ServerMessage, code: number, reason: string): void {
    this.sendToPlayer(playerId, notice);
    this.sockets.closePlayer(playerId, code, reason);
    const shard = shardIndex(playerId, this.shards());
    if (shard > 0)
      this.shardStub(shard)
        .closePlayer(playerId, code, reason)
        .catch((err: unknown) =>
          log.error("shard_call_failed", {
            market: this.memory.state?.code,
            call: "closePlayer",
            shard,
            ...errorFields(err),
          }),
        );
  }

  sendFill(state: MarketState, order: OrderState): void {
    this.sendToPlayer(order.playerId, {
      type: "fill",
      order: orderOf(order),
      portfolio: this.reads.portfolio(state, order.playerId),
    });
  }

  // ------------------------------------------------------------------ sockets

  /**
   * The upgrade (the Worker has checked the token already). A socket of group 0 (every
   * socket, unless the feed is split) is accepted here; for a socket of another group the
   * answer is FEED_GROUP_STATUS with the group in FEED_GROUP_HEADER, and the Worker hands
   * the upgrade to that shard.
   */
  upgrade(request: Request): Response {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket")
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    const state = this.memory.state;
    const playerId = request.headers.get("X-Player-Id") || null;
    if (!state) return rejectSocket(CloseCode.notFound, "No market with this code.");
    if (playerId && !state.players.has(playerId))
      return rejectSocket(CloseCode.unauthorized, "This player is not in this market.");
    // A player always lands in the group the market sends their fills to; a viewer anywhere.
    const shards = this.shards();
    const group = shards > 1 ? shardIndex(playerId ?? crypto.randomUUID(), shards) : 0;
    if (group > 0)
      return new Response(null, {
        status: FEED_GROUP_STATUS,
        headers: { [FEED_GROUP_HEADER]: String(group), [FEED_GROUPS_HEADER]: String(shards) },
      });
    // Socket caps (lib/socketCaps.ts): counted by tag, checked with no await before the accept.
    const address = request.headers.get(ADDRESS_HEADER) ?? "local";
    const refused = this.sockets.capRefusal(playerId, address, shards);
    if (refused) return rejectSocket(refused.code, refused.reason);
    const { client, server } = this.sockets.accept({ playerId }, address);
    server.send(JSON.stringify(this.reads.snapshotMessage(state, playerId)));
    return new Response(null, { status: 101, webSocket: client });
  }

  onMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    const state = this.memory.state;
    if (!state) return;
    const msg = this.sockets.read(ws, message, this.clock.now());
    if (!msg) return;
    switch (msg.type) {
      case "resync": {
        if (!this.sockets.admitResync(ws)) return;
        this.sockets.reply(
          ws,
          JSON.stringify(this.reads.snapshotMessage(state, this.sockets.attachmentOf(ws)?.playerId ?? null)),
        );
        return;
      }
      default: {
        const exhaustive: never = msg.type;
        return exhaustive;
      }
    }
  }

  onClose(ws: WebSocket, code: number, reason: string): void {
    this.sockets.closed(ws, code, reason);
  }

  onError(error: unknown): void {
    this.sockets.errored(error);
  }

  // ------------------------------------------------------------------ feed groups

  /**
   * How many groups this market's sockets are split into: the organiser's setting for this
   * market, else the deployment's BROADCAST_SHARDS, else none. 0 means this object holds
   * every socket; K > 1 means it holds group 0 and shards 1..K-1 hold the rest.
   */
  shards(): number {
    if (this.shardCount === null) {
      const stored = this.ctx.storage.kv.get<number>(SHARDS_KEY);
      const fallback = (this.env as unknown as Record<string, string | undefined>).BROADCAST_SHARDS;
      this.shardCount = normaliseShards(stored ?? fallback);
    }
    return this.shardCount;
  }

  /** A call to a shard failed: its sockets miss this message and resync on the seq gap. */
  private shardFailed(call: string, shard: number, err: unknown): void {
    log.error("shard_call_failed", { market: this.memory.state?.code, call, shard, ...errorFields(err) });
  }

  private shardStub(index: number): DurableObjectStub<BroadcastShard> {
    let stub = this.shardStubs[index];
    if (!stub) {
      const ns = this.env.BROADCAST_SHARD;
      stub = ns.get(ns.idFromName(shardName(this.memory.state?.code ?? "", index)));
      this.shardStubs[index] = stub;
    }
    return stub;
  }

  /**
   * The organiser sets the shard count before the game starts: a socket's shard is fixed
   * when it connects, so changing the count under live sockets would strand players'
   * private messages on the wrong shard.
   */
  regroup(state: MarketState, count: number): Result<{ broadcastShards: number }> {
    if (state.status !== "lobby")
      return refuse("MARKET_NOT_OPEN", "Broadcast shards can be set only before the market opens.");
    const shards = normaliseShards(count);
    const before = this.shards();
    this.ctx.storage.kv.put(SHARDS_KEY, shards);
    this.shardCount = shards;
    if (shards !== before) {
      // Sockets already here (a projector opened early) sit in the old split, where they
      // would hear nothing more: ask them to reconnect, so each lands in its new group.
      this.sockets.closeAll(CloseCode.serviceRestart, REGROUP_REASON);
      for (let i = 1; i < before; i++)
        this.shardStub(i)
          .closeAll(CloseCode.serviceRestart, REGROUP_REASON)
          .catch((err: unknown) => this.shardFailed("closeAll", i, err));
    }
    this.shardStubs = [];
    return ok({ broadcastShards: shards });
  }

  // ------------------------------------------------------------------ the lobby's roster

  /** When the lobby's next roster is due, or null when nobody joined since the last one. */
  rosterDueAt(state: MarketState): number | null {
    if (state.status !== "lobby") return null;
    this.announcedPlayers ??= this.ctx.storage.kv.get<number>(ROSTER_KEY) ?? 0;
    if (state.players.size === this.announcedPlayers && !this.rosterStale) return null;
    return this.lastRosterAt + Math.min(state.tickMs, LOBBY_ROSTER_MS);
  }

  /** The lobby's heartbeat: how many have joined and the first of them, as one public message. */
  announceRoster(state: MarketState, now: number): void {
    const players = state.players.size;
    state.seq += 1;
    this.memory.commit(() => {
      this.memory.saveMarketRow(state);
      this.ctx.storage.kv.put(ROSTER_KEY, players);
    });
    this.announcedPlayers = players;
    this.lastRosterAt = now;
    this.rosterScheduled = false;
    this.rosterStale = false;
    this.broadcast({
      type: "lobby",
      seq: state.seq,
      players,
      leaders: this.reads.leaders(state),
      ...this.reads.teamsPart(state),
    } satisfies ServerMessage);
  }
}
