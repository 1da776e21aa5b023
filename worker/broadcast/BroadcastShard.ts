/**
 * A broadcast shard: holds a share of one market's WebSockets so the market does not have
 * to hold them all. With K groups the market keeps group 0 itself and shards 1..K-1 hold
 * the rest, so the sends of one tick run in K objects at once. The market serialises each
 * public message once and hands the same string to every shard by RPC (`deliver`); the
 * shard sends it to its sockets. A player's private messages go to the one shard the ws
 * route chose for that player (`deliverTo`).
 *
 * The shard has no state of its own beyond its sockets (hibernatable, attachment = market
 * code and player id) and, in memory, the last few public messages. Those close the one
 * race a shard has: a snapshot fetched from the market with seq S may arrive after the
 * shard has already passed on messages S+1.. to the socket's neighbours. Replaying what the
 * shard has seen beyond S right after the snapshot keeps `seq` continuous.
 */
import { DurableObject } from "cloudflare:workers";
import { marketClock } from "../lib/clock";
import { SocketHost, type SocketAttachment } from "../lib/SocketHost";
import { rejectSocket } from "../lib/sockets";
import { CloseCode } from "../shared/protocol";
import { ADDRESS_HEADER } from "../lib/clientAddress";
import { FEED_GROUPS_HEADER } from "./shards";
import { errorFields, log } from "../lib/log";

/** Public messages kept for the snapshot race: ~30 s of 2 s ticks, a few KB each. */
const RECENT_PUBLIC = 16;

interface ShardAttachment extends SocketAttachment {
  code: string;
  playerId: string | null;
}

export class BroadcastShard extends DurableObject<Env> {
  private readonly recent: { seq: number; text: string }[] = [];
  private readonly sockets: SocketHost<ShardAttachment>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sockets = new SocketHost(ctx);
  }

  private market(code: string) {
    return this.env.MARKET.get(this.env.MARKET.idFromName(code));
  }

  /** The upgrade, from the ws route only (it has checked the token and the market). */
  async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket")
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    const code = request.headers.get("X-Market-Code") ?? "";
    const playerId = request.headers.get("X-Player-Id") || null;
    // Socket caps (lib/socketCaps.ts): checked before asking the market for a snapshot (a
    // script over its cap costs the market nothing) and again after, since the await lets
    // other upgrades in.
    const address = request.headers.get(ADDRESS_HEADER) ?? "local";
    const groups = Number(request.headers.get(FEED_GROUPS_HEADER)) || 0;
    const early = this.sockets.capRefusal(playerId, address, groups);
    if (early) return rejectSocket(early.code, early.reason);
    const snap = await this.market(code).feedSnapshot(playerId);
    if (!snap.ok)
      return rejectSocket(snap.code === "NOT_FOUND" ? CloseCode.notFound : CloseCode.unauthorized, snap.message);
    const refused = this.sockets.capRefusal(playerId, address, groups);
    if (refused) return rejectSocket(refused.code, refused.reason);
    // From here to the end nothing awaits: no delivery can slip in between the snapshot
    // and the replay.
    const { client, server } = this.sockets.accept({ code, playerId }, address);
    server.send(snap.text);
    this.replayAfter(server, snap.seq);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** RPC from the market: one public message (already serialised) for every socket here. */
  deliver(seq: number, text: string): void {
    this.recent.push({ seq, text });
    if (this.recent.length > RECENT_PUBLIC) this.recent.shift();
    this.sockets.sendToAll(text);
  }

  /** RPC from the market: a private message for one player's sockets on this shard. */
  deliverTo(playerId: string, text: string): void {
    this.sockets.send(this.sockets.playerSockets(playerId), text);
  }

  /** RPC from the market when its feed is regrouped: every socket here reconnects. */
  closeAll(code: number, reason: string): void {
    this.sockets.closeAll(code, reason);
  }

  /** RPC from the market when the organiser removes a player: their sockets here close. */
  closePlayer(playerId: string, code: number, reason: string): void {
    this.sockets.closePlayer(playerId, code, reason);
  }

  /** How many sockets this shard holds (tests and operators). */
  socketCount(): number {
    return this.sockets.count();
  }

  private replayAfter(ws: WebSocket, seq: number): void {
    for (const m of this.recent) if (m.seq > seq) this.sockets.send([ws], m.text);
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    try {
      const msg = this.sockets.read(ws, message, marketClock.now());
      if (!msg) return;
      switch (msg.type) {
        case "resync": {
          if (!this.sockets.admitResync(ws)) return;
          const at = this.sockets.attachmentOf(ws);
          if (!at) return;
          const snap = await this.market(at.code).feedSnapshot(at.playerId);
          if (!snap.ok) {
            ws.close(snap.code === "NOT_FOUND" ? CloseCode.notFound : CloseCode.unauthorized, snap.message);
            return;
          }
          // Messages passed on while the snapshot was on its way are older than it only
          // if their seq is at most the snapshot's; the rest are sent again, in order.
          this.sockets.reply(ws, snap.text);
          this.replayAfter(ws, snap.seq);
          return;
        }
        default: {
          const exhaustive: never = msg.type;
          return exhaustive;
        }
      }
    } catch (err) {
      // A bad frame, or a market that did not answer, must never take the shard down.
      log.error("shard_ws_message_failed", errorFields(err));
    }
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.sockets.closed(ws, code, reason);
  }

  async webSocketError(_ws: WebSocket, error: unknown): Promise<void> {
    this.sockets.errored(error);
  }
}
