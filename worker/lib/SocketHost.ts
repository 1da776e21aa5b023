/**
 * The hibernatable sockets of one object, for the market and the broadcast shards alike:
 * accepting with tags, the attachment, reading client frames (with the frame limit), and
 * closing cleanly. Sockets carry tags (lib/socketCaps.ts): `p:<id>` for a player, `public`
 * for everyone else, and the client's address, so a player's private messages and the
 * socket caps find their sockets after hibernation without any state.
 */
import { ResyncGuard } from "./resyncGuard";
import { playerSockets, socketCapRefusal, socketTags, type SocketRefusal } from "./socketCaps";
import { closeAll, closeBack, FrameLimiter, logClientSocketError, readClientFrame, sendAll } from "./sockets";
import type { ClientMessage } from "../shared/protocol";

export interface SocketAttachment {
  playerId: string | null;
}

export class SocketHost<A extends SocketAttachment> {
  private readonly frameLimiter = new FrameLimiter();
  /** At most a few snapshots per socket on demand (lib/resyncGuard.ts). */
  private readonly resyncGuard = new ResyncGuard();

  constructor(private readonly ctx: DurableObjectState) {
    // Answered by the runtime without waking the object: keep-alives cost nothing.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /**
   * Why a new socket from this player or address may not be accepted here (it holds its
   * share of the caps already), or null. Check it with no await before `accept`.
   */
  capRefusal(playerId: string | null, address: string, groups: number): SocketRefusal | null {
    return socketCapRefusal(this.ctx, playerId, address, groups);
  }

  /** Accepts a new socket; returns the client end for the 101 answer and the server end. */
  accept(attachment: A, address: string): { client: WebSocket; server: WebSocket } {
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server, socketTags(attachment.playerId, address));
    server.serializeAttachment(attachment);
    return { client, server };
  }

  attachmentOf(ws: WebSocket): A | null {
    return (ws.deserializeAttachment() as A | null) ?? null;
  }

  count(): number {
    return this.ctx.getWebSockets().length;
  }

  /** The same text to every socket here. */
  sendToAll(text: string): void {
    sendAll(this.ctx.getWebSockets(), text);
  }

  /** One player's sockets here (found by tag, so also after hibernation). */
  playerSockets(playerId: string): WebSocket[] {
    return playerSockets(this.ctx, playerId);
  }

  /** The same text to each of `sockets`. */
  send(sockets: WebSocket[], text: string): void {
    sendAll(sockets, text);
  }

  closeAll(code: number, reason: string): void {
    closeAll(this.ctx.getWebSockets(), code, reason);
  }

  /** Closes one player's sockets here (the organiser removed the player). */
  closePlayer(playerId: string, code: number, reason: string): void {
    closeAll(this.playerSockets(playerId), code, reason);
  }

  /** A client frame after the frame limit, or null when it was refused (see readClientFrame). */
  read(ws: WebSocket, message: string | ArrayBuffer, now: number): ClientMessage | null {
    return readClientFrame(ws, message, this.frameLimiter, now);
  }

  /**
   * Whether to answer this resync now; when not, the socket has been told why or closed
   * for its backlog (lib/resyncGuard.ts), and the caller just returns.
   */
  admitResync(ws: WebSocket): boolean {
    return this.resyncGuard.admit(ws);
  }

  /** Sends a message meant for this socket alone (a snapshot), counted against its backlog. */
  reply(ws: WebSocket, text: string): void {
    this.resyncGuard.reply(ws, text);
  }

  closed(ws: WebSocket, code: number, reason: string): void {
    closeBack(ws, code, reason);
  }

  /** The runtime has closed the socket already (see logClientSocketError): only log it. */
  errored(error: unknown): void {
    logClientSocketError(error);
  }
}
