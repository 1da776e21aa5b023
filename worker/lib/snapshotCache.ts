// The public snapshot of each market, cached in Redis by the market as it ticks, so
// that a crowd loading the page (or the leaderboard, derived from the same JSON) does
// not wake the market object for every request.
//
// Stored as one string: "<tick time ms> <tickMs>\n<snapshot JSON>". The header lets a
// reader check freshness without parsing the snapshot; the key also expires after two
// ticks so a closed or idle market leaves nothing behind.
import { getRedis } from "./redis";

export interface SnapshotCache {
  get(code: string): Promise<string | null>;
  put(code: string, json: string, tickMs: number): Promise<void>;
  /** Drops the copy, so reads go to the market until the next tick writes a new one. */
  drop(code: string): Promise<void>;
}

const keyFor = (code: string) => `mf:snap:${code.toUpperCase()}`;

/**
 * How far past one tick a cached copy is still served. The market writes its copy a few
 * ms after the tick time it carries; without this slack every tick would open a short
 * window in which all readers miss and go to the market at once. Capped at a quarter
 * tick, so what is served is never more than one tick behind the market.
 */
function graceMs(tickMs: number): number {
  return Math.min(250, tickMs / 4);
}

/** The cache, or null when Redis is not configured (then read from the market). */
export function getSnapshotCache(env: Env): SnapshotCache | null {
  // raw: the stored string must come back as written, not JSON-parsed by the client.
  const access = getRedis(env, { raw: true });
  if (!access) return null;
  const { redis, health } = access;
  return {
    async get(code) {
      if (!health.usable()) return null;
      let stored: string | null;
      try {
        stored = await redis.get<string>(keyFor(code));
        health.succeeded();
      } catch (err) {
        health.failed("snapshot cache read", err);
        return null;
      }
      if (typeof stored !== "string") return null;
      const newline = stored.indexOf("\n");
      const [t, tickMs] = stored.slice(0, Math.max(newline, 0)).split(" ").map(Number);
      if (newline < 0 || !Number.isFinite(t) || !Number.isFinite(tickMs)) return null;
      if (Date.now() - t > tickMs + graceMs(tickMs)) return null;
      return stored.slice(newline + 1);
    },

    async drop(code) {
      if (!health.usable()) return;
      try {
        await redis.del(keyFor(code));
        health.succeeded();
      } catch (err) {
        health.failed("snapshot cache drop", err);
      }
    },

    async put(code, json, tickMs) {
      if (!health.usable() || !(tickMs > 0)) return;
      // put() runs on the tick, so the time of writing stands in for a missing "t".
      const t = tickTime(json) ?? Date.now();
      try {
        await redis.set(keyFor(code), `${t} ${tickMs}\n${json}`, { px: Math.max(1, Math.round(2 * tickMs)) });
        health.succeeded();
      } catch (err) {
        health.failed("snapshot cache write", err);
      }
    },
  };
}

/** The top-level numeric "t" of the snapshot (its tick time in ms), if there is one. */
function tickTime(json: string): number | undefined {
  try {
    const t = (JSON.parse(json) as { t?: unknown }).t;
    return typeof t === "number" && Number.isFinite(t) ? t : undefined;
  } catch {
    return undefined;
  }
}
