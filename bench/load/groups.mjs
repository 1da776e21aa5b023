/**
 * A player's feed group, as the Worker computes it (worker/broadcast/shards.ts: FNV-1a of
 * the player id, mod K). The benchmark needs it to connect each player to the workerd
 * process that holds the player's group; the Worker's module is TypeScript with imports
 * Node cannot resolve on its own, so the few lines live here too, and
 * test/node/bench/groups.test.ts keeps the two in step.
 */
export function feedGroup(playerId, groups) {
  if (groups <= 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < playerId.length; i++) {
    h ^= playerId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % groups;
}
