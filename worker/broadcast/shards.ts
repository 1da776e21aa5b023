/**
 * Broadcast shards: which shard object holds which socket. Shared by the ws route (which
 * places a socket), the market (which sends a player's private messages to that player's
 * shard) and the shard itself.
 */

import { MAX_BROADCAST_SHARDS } from "../shared/protocol";

/**
 * The market's answer to an upgrade that belongs to a shard: this status, with the group in
 * this header (objects only ever answer the Worker, so it never reaches a client).
 */
export const FEED_GROUP_STATUS = 307;
export const FEED_GROUP_HEADER = "X-Feed-Group";
/** With it, how many groups there are: the shard holding the socket counts its share of the caps by it. */
export const FEED_GROUPS_HEADER = "X-Feed-Groups";

/** Per-market setting in the market object's storage; absent = the deployment default. */
export const SHARDS_KEY = "feed:broadcastShards";

/** Clamps a configured shard count: 0 and 1 both mean "the market holds its own sockets". */
export function normaliseShards(value: unknown): number {
  const n = typeof value === "string" ? Number(value) : typeof value === "number" ? value : 0;
  if (!Number.isFinite(n) || n <= 1) return 0;
  return Math.min(MAX_BROADCAST_SHARDS, Math.floor(n));
}

/**
 * FNV-1a, 32 bits: stable across isolates and deploys (the route and the market must agree
 * on a player's shard without talking), and evenly spread for ids like "p123".
 */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The shard of a player (by id) or of a viewer (by a random id chosen at connect). */
export function shardIndex(id: string, shards: number): number {
  return shards > 1 ? fnv1a(id) % shards : 0;
}

/** One object per market and index, so shards of different markets never mix. */
export function shardName(code: string, index: number): string {
  return `${code}:${index}`;
}
