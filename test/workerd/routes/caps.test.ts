/**
 * What one player and one address may hold in one market: sockets (lib/socketCaps.ts),
 * orders per address (lib/rateLimit.ts) and the organiser's player cap (rules.maxPlayers).
 */
import { env, exports } from "cloudflare:workers";
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { shardIndex } from "../../../worker/broadcast/shards";
import { ADDRESS_HEADER } from "../../../worker/lib/clientAddress";
import { SOCKETS_PER_ADDRESS, SOCKETS_PER_PLAYER, VIEWER_SOCKETS_PER_ADDRESS } from "../../../worker/lib/socketCaps";
import { eventually } from "../../support/wait";
import { createRateLimiter, getRateLimiter } from "../../../worker/lib/rateLimit";
import { ADMIN, api, createMarket, join, marketSnapshot, order, uniqueCode } from "../../support/workerd";

const SOCKET_CAP = 4030;

interface Opened {
  ws: WebSocket;
  /** Resolves true when the snapshot arrives (taken), false when closed first (refused). */
  taken: Promise<boolean>;
  close: Promise<{ code: number; reason: string }>;
}

function watch(res: Response): Opened {
  const ws = res.webSocket;
  if (!ws) throw new Error(`no websocket: ${res.status}`);
  let resolveTaken!: (v: boolean) => void;
  const taken = new Promise<boolean>((r) => (resolveTaken = r));
  const close = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener("close", (e) => {
      resolveTaken(false);
      resolve({ code: e.code, reason: e.reason });
    }),
  );
  ws.addEventListener("message", () => resolveTaken(true), { once: true });
  ws.accept();
  return { ws, taken, close };
}

/** A socket through the Worker, from `address` (CF-Connecting-IP), with a player's token or none. */
async function viaWorker(code: string, address: string, token?: string): Promise<Opened> {
  const url = `http://marketflow.test/api/markets/${code}/ws${token ? `?token=${encodeURIComponent(token)}` : ""}`;
  return watch(
    await exports.default.fetch(new Request(url, { headers: { Upgrade: "websocket", "CF-Connecting-IP": address } })),
  );
}

const marketOf = (code: string) => env.MARKET.get(env.MARKET.idFromName(code));

/**
 * A socket straight to the market object, as the Worker hands it over (its address in a
 * header), past the Worker's per-address connect rate, which would otherwise make a test
 * of a 1,250-socket cap wait for the bucket to refill.
 */
async function direct(code: string, address: string, playerId?: string): Promise<Opened> {
  const headers: Record<string, string> = { Upgrade: "websocket", [ADDRESS_HEADER]: address };
  if (playerId) headers["X-Player-Id"] = playerId;
  return watch(await marketOf(code).fetch(new Request(`http://marketflow.test/api/markets/${code}/ws`, { headers })));
}

describe("sockets per player", () => {
  it(`a player holds at most ${SOCKETS_PER_PLAYER} sockets in a market; one more is closed with 4030 and a reason, even after the market hibernates`, async () => {
    const code = await createMarket();
    const ann = await join(code, "Ann");
    // From different addresses (a phone, a laptop, ...): the player's own cap applies.
    const held = await Promise.all(
      Array.from({ length: SOCKETS_PER_PLAYER }, (_, i) => viaWorker(code, `198.51.100.${i + 1}`, ann.token)),
    );
    for (const s of held) expect(await s.taken).toBe(true);

    const extra = await viaWorker(code, "198.51.100.50", ann.token);
    expect(await extra.taken).toBe(false);
    const refused = await extra.close;
    expect(refused.code).toBe(SOCKET_CAP);
    expect(refused.reason).toMatch(/already has 4 live connections/);

    // The count comes from the runtime's socket tags, so it survives the object's eviction.
    await evictDurableObject(marketOf(code));
    const afterEviction = await viaWorker(code, "198.51.100.51", ann.token);
    expect((await afterEviction.close).code).toBe(SOCKET_CAP);

    // Another player is not affected, and a closed socket frees its place.
    const bob = await join(code, "Bob");
    expect(await (await viaWorker(code, "198.51.100.1", bob.token)).taken).toBe(true);
    held[0].ws.close(1000, "bye");
    await eventually(
      async () => (await viaWorker(code, "198.51.100.52", ann.token)).taken,
      "a place for Ann after one socket closed",
    );
  });

  it("holds in a broadcast shard too: a player whose group is on a shard gets the same cap there", async () => {
    const code = await createMarket({ open: false });
    const set = await api("PUT", `/api/markets/${code}/feed`, { token: ADMIN, body: { broadcastShards: 2 } });
    expect(set.status, set.text).toBe(200);
    let player = await join(code, "P0");
    for (let i = 1; shardIndex(player.id, 2) !== 1; i++) player = await join(code, `P${i}`);
    const held = await Promise.all(
      Array.from({ length: SOCKETS_PER_PLAYER }, (_, i) => viaWorker(code, `198.51.100.${i + 1}`, player.token)),
    );
    for (const s of held) expect(await s.taken).toBe(true);
    const extra = await viaWorker(code, "198.51.100.9", player.token);
    expect((await extra.close).code).toBe(SOCKET_CAP);
    // None of them is on the market: they are all in the shard that holds group 1.
    expect(
      await runInDurableObject(
        marketOf(code),
        (_: unknown, ctx: DurableObjectState) => ctx.getWebSockets(`p:${player.id}`).length,
      ),
    ).toBe(0);
  });
});

describe("sockets per address", () => {
  it("the Worker hands the market the client's address, and IPv6 clients of one /64 count as one address", async () => {
    const code = await createMarket();
    await Promise.all(
      [viaWorker(code, "192.0.2.5"), viaWorker(code, "2001:db8:5:6::1"), viaWorker(code, "2001:db8:5:6:ffff::2")].map(
        async (p) => expect(await (await p).taken).toBe(true),
      ),
    );
    const counts = await runInDurableObject(marketOf(code), (_: unknown, ctx: DurableObjectState) => [
      ctx.getWebSockets("a:192.0.2.5").length,
      ctx.getWebSockets("a:2001:db8:5:6::/64").length,
    ]);
    expect(counts).toEqual([1, 2]);
  });

  it(`an address holds at most ${VIEWER_SOCKETS_PER_ADDRESS} sockets without a token; one more is refused with 4030, another address still connects`, async () => {
    const code = await createMarket();
    const address = "203.0.113.20";
    const viewers = await Promise.all(Array.from({ length: VIEWER_SOCKETS_PER_ADDRESS }, () => direct(code, address)));
    for (const v of viewers) expect(await v.taken).toBe(true);
    const extra = await direct(code, address);
    const refused = await extra.close;
    expect(refused.code).toBe(SOCKET_CAP);
    expect(refused.reason).toMatch(/viewers from this address/);
    expect(await (await direct(code, "203.0.113.21")).taken).toBe(true);
    // A player's socket from the same address is not a viewer's: it still gets in.
    const ann = await join(code, "Ann");
    expect(await (await direct(code, address, ann.id)).taken).toBe(true);
    for (const v of viewers) v.ws.close(1000, "done");
  });

  it(`an address holds at most ${SOCKETS_PER_ADDRESS} sockets in all, however many players it joins; another address still connects`, async () => {
    const code = await createMarket();
    const address = "203.0.113.30";
    const market = marketOf(code);
    // Enough players from the address to reach its cap with their own caps to spare.
    const playerCount = Math.ceil((SOCKETS_PER_ADDRESS - VIEWER_SOCKETS_PER_ADDRESS) / 2) + 1;
    const ids: string[] = [];
    for (let i = 0; i < playerCount; i++) {
      const joined = await market.join(`bot${i}`);
      if (!joined.ok) throw new Error(joined.message);
      ids.push(joined.player.id);
    }
    const owners = Array.from({ length: SOCKETS_PER_ADDRESS }, (_, i) =>
      i < VIEWER_SOCKETS_PER_ADDRESS ? undefined : ids[i % ids.length],
    );
    const sockets: Opened[] = [];
    for (let i = 0; i < owners.length; i += 50)
      sockets.push(...(await Promise.all(owners.slice(i, i + 50).map((id) => direct(code, address, id)))));
    expect((await Promise.all(sockets.map((s) => s.taken))).every(Boolean)).toBe(true);

    // A player who has no socket yet is refused as well: the address is full.
    const extra = await direct(code, address, ids.at(-1));
    const refused = await extra.close;
    expect(refused.code).toBe(SOCKET_CAP);
    expect(refused.reason).toMatch(/from this address \(at most 1250\)/);
    const elsewhere = await market.join("Human");
    if (!elsewhere.ok) throw new Error(elsewhere.message);
    expect(await (await direct(code, "203.0.113.31", elsewhere.player.id)).taken).toBe(true);
    for (const s of sockets) s.ws.close(1000, "done");
  });
});

describe("orders per address", () => {
  it("one address has one order bucket per market, a burst of 100 then 50/s; other addresses and markets have their own", async () => {
    const limiter = createRateLimiter(env, { ephemeralCache: false });
    const key = `${uniqueCode()}:198.51.100.199`;
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 300 }, () => limiter.limit("orderAddress", key)));
    const elapsedSec = Math.ceil((Date.now() - started) / 1000);
    const passed = results.filter((r) => r.ok).length;
    // Exactly the burst in process; with Redis the calls take real time, and it refills.
    expect(passed).toBeGreaterThanOrEqual(100);
    expect(passed).toBeLessThanOrEqual(100 + 50 * elapsedSec);
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, retryAfterSec: expect.any(Number) });
    expect(await limiter.limit("orderAddress", `${key}0`)).toEqual({ ok: true });
    expect(await limiter.limit("orderAddress", `OTHER:198.51.100.199`)).toEqual({ ok: true });
  });

  it("many players from one address: once the address's bucket is spent, each of them gets 429 naming the address, even one who sent nothing yet; a player on another address still trades", async () => {
    const code = await createMarket({ startingCash: 10_000_000 });
    const address = "198.51.100.200";
    const from = { "CF-Connecting-IP": address };
    const bots = await Promise.all(Array.from({ length: 10 }, (_, i) => join(code, `bot${i}`)));
    // The address's orders so far: a few through the route (they trade), the rest of its
    // burst taken straight from the Worker's limiter. The market on a busy test machine
    // takes fewer orders a second than the bucket refills, so a flood through the route
    // alone might never empty it here; bench/floods.mjs floods it for real.
    for (const b of bots)
      expect(
        (
          await api("POST", `/api/markets/${code}/orders`, {
            token: b.token,
            body: order("BOLT", "buy", 1),
            headers: from,
          })
        ).status,
      ).toBe(201);
    await drain(`${code}:${address}`);

    // Every bot is now refused, though each is far inside its own 10/s.
    const answers = await Promise.all(
      bots.map((b) =>
        api("POST", `/api/markets/${code}/orders`, { token: b.token, body: order("BOLT", "buy", 1), headers: from }),
      ),
    );
    for (const a of answers) {
      expect(a.status).toBe(429);
      expect(a.json.error).toMatchObject({ code: "RATE_LIMITED", message: expect.stringMatching(/this address/) });
      expect(Number(a.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    }
    // A player who joins from the same address now is held by the same bucket...
    await drain(`${code}:${address}`);
    const late = await join(code, "late");
    expect(
      (
        await api("POST", `/api/markets/${code}/orders`, {
          token: late.token,
          body: order("BOLT", "buy", 1),
          headers: from,
        })
      ).status,
    ).toBe(429);
    // ...while an honest player on another address trades as usual.
    const honest = await join(code, "Honest");
    const mine = await api("POST", `/api/markets/${code}/orders`, {
      token: honest.token,
      body: order("BOLT", "buy", 1),
      headers: { "CF-Connecting-IP": "198.51.100.201" },
    });
    expect(mine.status, mine.text).toBe(201);
    // The refused orders left nothing behind: only the first ten traded.
    const snapshot = await marketSnapshot(code);
    expect(snapshot.symbols.find((s: { symbol: string }) => s.symbol === "BOLT").volume).toBe(11);
  });
});

/** Takes every token left in a bucket of the Worker's own limiter (the same module instance as the routes'). */
async function drain(key: string): Promise<void> {
  const limiter = getRateLimiter(env);
  for (let i = 0; i < 5000 && (await limiter.limit("orderAddress", key)).ok; i++);
}

describe("the organiser's player cap", () => {
  it("rules.maxPlayers lets that many join; the next is 409 MARKET_FULL and is not added", async () => {
    const code = await createMarket({ rules: { maxPlayers: 2 } });
    await join(code, "Ann");
    await join(code, "Bob");
    const third = await api("POST", `/api/markets/${code}/join`, { body: { name: "Cy" } });
    expect(third.status).toBe(409);
    expect(third.json.error).toMatchObject({
      code: "MARKET_FULL",
      message: expect.stringMatching(/at most 2 players/),
    });
    const snap = await api("GET", `/api/markets/${code}`);
    expect(snap.json.market).toMatchObject({ players: 2, rules: { maxPlayers: 2 } });
  });

  it("rules.maxPlayers must be a positive whole number", async () => {
    for (const maxPlayers of [0, -1, 2.5, "10"]) {
      const res = await api("POST", "/api/markets", {
        token: ADMIN,
        body: {
          name: "Capped",
          startingCash: 1000,
          symbols: [{ symbol: "ACME", name: "Acme", price: 10 }],
          rules: { maxPlayers },
        },
      });
      expect(res.status, JSON.stringify(maxPlayers)).toBe(400);
      expect(res.json.error.code).toBe("VALIDATION");
      expect(res.json.error.details[0].field).toBe("rules.maxPlayers");
    }
  });
});
