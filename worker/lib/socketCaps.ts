/**
 * How many live-feed sockets one player and one address may hold in one market.
 *
 * A socket costs its object one send per public message and a snapshot on connect, so an
 * address holding thousands of them slows every other player (1,500 from one address raised
 * another player's order p99 several times over, bench/floods.mjs). The caps:
 *
 * - A player: 4. A phone and a laptop, each with a reconnect in flight (the old socket of a
 *   dropped Wi-Fi lingers until the runtime notices it is gone). The web app holds one
 *   socket per screen.
 * - An address, tokenless sockets (landing pages and projectors): 250. Players get their
 *   feed with their token, so only viewers count here; a hall's phones are on the landing
 *   page for the few seconds it takes to type a nickname, and a refused landing page only
 *   loses its price preview (it retries with backoff; joining works without a feed).
 * - An address, every socket: 1,250. A hall of 1,000 phones behind one NAT, each with its
 *   socket, and a quarter again for reconnects in flight and the projectors.
 *
 * So one address gets as many sockets as one full hall needs, and no more; beyond 250 it
 * needs a player per 4 sockets, and players are visible on the roster and bounded by the
 * organiser's `maxPlayers`.
 *
 * Counted with tags on the accepted sockets (`ctx.getWebSockets(tag)`), which the runtime
 * keeps across hibernation, so the count is right after the object wakes. Each object counts
 * its own sockets: all of a player's sockets are in the group of that player (one object),
 * but an address's sockets are spread over the feed's K groups (players by id, viewers at
 * random, evenly either way), so each object allows its share, 1/K of the address's cap.
 */
import { CloseCode } from "../shared/protocol";

export const SOCKETS_PER_PLAYER = 4;
export const VIEWER_SOCKETS_PER_ADDRESS = 250;
export const SOCKETS_PER_ADDRESS = 1_250;

/** The part of DurableObjectState the count needs (the market and the shards pass their ctx). */
export interface SocketHolder {
  getWebSockets(tag?: string): WebSocket[];
}

export interface SocketRefusal {
  code: number;
  reason: string;
}

const playerTag = (playerId: string) => `p:${playerId}`;
const addressTag = (address: string) => `a:${address}`;
const viewerAddressTag = (address: string) => `v:${address}`;

/**
 * The tags a socket is accepted with: its player's (private messages find it by that) or
 * "public" for a viewer, and its address's (for the caps).
 */
export function socketTags(playerId: string | null, address: string): string[] {
  return playerId
    ? [playerTag(playerId), addressTag(address)]
    : ["public", addressTag(address), viewerAddressTag(address)];
}

/** The sockets of one player in this object (private messages go to these). */
export function playerSockets(holder: SocketHolder, playerId: string): WebSocket[] {
  return holder.getWebSockets(playerTag(playerId));
}

/**
 * Why a new socket may not be accepted here, or null when it may. `groups` is how many
 * groups the market's feed is split into (0 or 1: this object holds every socket).
 * Call it right before acceptWebSocket, with no await in between, so two upgrades cannot
 * both pass on the same count.
 */
export function socketCapRefusal(
  holder: SocketHolder,
  playerId: string | null,
  address: string,
  groups: number,
): SocketRefusal | null {
  if (playerId && holder.getWebSockets(playerTag(playerId)).length >= SOCKETS_PER_PLAYER)
    return {
      code: CloseCode.socketCap,
      reason: `This player already has ${SOCKETS_PER_PLAYER} live connections to this market; close one (another tab or device) and retry.`,
    };
  const share = (cap: number) => Math.ceil(cap / Math.max(1, groups));
  if (!playerId && holder.getWebSockets(viewerAddressTag(address)).length >= share(VIEWER_SOCKETS_PER_ADDRESS))
    return {
      code: CloseCode.socketCap,
      reason: `Too many viewers from this address (at most ${VIEWER_SOCKETS_PER_ADDRESS} per market); join the market to follow it, or retry later.`,
    };
  if (holder.getWebSockets(addressTag(address)).length >= share(SOCKETS_PER_ADDRESS))
    return {
      code: CloseCode.socketCap,
      reason: `Too many connections to this market from this address (at most ${SOCKETS_PER_ADDRESS}); retry later.`,
    };
  return null;
}
