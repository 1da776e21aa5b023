// The dev bridge speaks the Upstash REST protocol well enough that the real
// @upstash/redis client gets from it exactly what Redis itself answers.
import { createHash } from "node:crypto";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directRedis, startBridge, TOKEN, uniquePrefix, warnIfSkipped, type Bridge, type Direct } from "./setup";

const reachable = await warnIfSkipped("bridge");

describe.skipIf(!reachable)("Upstash REST bridge in front of a real Redis", () => {
  let bridge: Bridge;
  let direct: Direct;
  let client: Redis; // as the app uses it: values JSON-parsed
  let raw: Redis; // values exactly as Redis returns them, to compare byte for byte

  beforeAll(async () => {
    bridge = await startBridge();
    direct = directRedis();
    const base = { url: bridge.url, token: TOKEN, enableTelemetry: false, retry: false } as const;
    client = new Redis(base);
    raw = new Redis({ ...base, automaticDeserialization: false });
  });
  afterAll(async () => {
    direct?.close();
    await bridge?.close();
  });

  /** Runs commands through the client (raw) one by one; errors become {error}. */
  async function viaBridge(commands: string[][]): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const command of commands) {
      try {
        out.push(await raw.exec(command as [string, ...string[]]));
      } catch (err) {
        // The client appends ", command was: [...]" to the server's error text.
        out.push({ error: String((err as Error).message).replace(/, command was: .*$/s, "") });
      }
    }
    return out;
  }

  /** Runs the same script of commands on two fresh key prefixes, via the bridge and directly. */
  async function compare(name: string, script: (k: string) => string[][]) {
    const bridged = await viaBridge(script(uniquePrefix(name)));
    const expected = await direct.send(script(uniquePrefix(name)));
    expect(bridged).toEqual(expected);
    return expected;
  }

  it("gives the same answers as Redis for string commands, including errors", async () => {
    const results = await compare("strings", (k) => [
      ["SET", `${k}a`, "hello"],
      ["GET", `${k}a`],
      ["APPEND", `${k}a`, " world"],
      ["STRLEN", `${k}a`],
      ["GETRANGE", `${k}a`, "0", "4"],
      ["SETNX", `${k}a`, "other"],
      ["MSET", `${k}b`, "1", `${k}c`, "2"],
      ["MGET", `${k}a`, `${k}b`, `${k}missing`, `${k}c`],
      ["GET", `${k}missing`],
      ["TYPE", `${k}a`],
      ["PING"],
      ["INCR", `${k}a`],
      ["NOSUCHCOMMAND", "x"],
      ["GETDEL", `${k}b`],
      ["EXISTS", `${k}b`, `${k}c`],
    ]);
    // Spot-check that the comparison compares something real.
    expect(results.slice(0, 4)).toEqual(["OK", "hello", 11, 11]);
    expect(results[11]).toEqual({ error: "ERR value is not an integer or out of range" });
  });

  it("gives the same answers for counters and expiry", async () => {
    await compare("counters", (k) => [
      ["INCR", `${k}n`],
      ["INCRBY", `${k}n`, "41"],
      ["DECR", `${k}n`],
      ["INCRBYFLOAT", `${k}f`, "1.25"],
      ["INCRBYFLOAT", `${k}f`, "-0.5"],
      ["TTL", `${k}n`],
      ["EXPIRE", `${k}n`, "100"],
      ["TTL", `${k}n`],
      ["PERSIST", `${k}n`],
      ["TTL", `${k}n`],
      ["TTL", `${k}missing`],
      ["SET", `${k}e`, "x", "EX", "500", "NX"],
      ["SET", `${k}e`, "y", "EX", "500", "NX"],
      ["TTL", `${k}e`],
    ]);
  });

  it("gives the same answers for hashes, lists, sets and sorted sets", async () => {
    await compare("collections", (k) => [
      ["HSET", `${k}h`, "cash", "1000", "name", "Ada"],
      ["HGET", `${k}h`, "name"],
      ["HINCRBY", `${k}h`, "cash", "-250"],
      ["HGETALL", `${k}h`],
      ["HKEYS", `${k}h`],
      ["HEXISTS", `${k}h`, "nope"],
      ["HDEL", `${k}h`, "name"],
      ["HLEN", `${k}h`],
      ["RPUSH", `${k}l`, "a", "b", "c"],
      ["LPUSH", `${k}l`, "z"],
      ["LRANGE", `${k}l`, "0", "-1"],
      ["LPOP", `${k}l`],
      ["RPOP", `${k}l`, "2"],
      ["LLEN", `${k}l`],
      ["LINDEX", `${k}l`, "5"],
      ["SADD", `${k}s`, "3", "1", "2", "2"],
      ["SISMEMBER", `${k}s`, "2"],
      ["SCARD", `${k}s`],
      ["ZADD", `${k}z`, "1", "ACME", "2.5", "BOLT", "-3", "CORE"],
      ["ZRANGE", `${k}z`, "0", "-1", "WITHSCORES"],
      ["ZSCORE", `${k}z`, "BOLT"],
      ["ZINCRBY", `${k}z`, "10", "CORE"],
      ["ZREVRANGE", `${k}z`, "0", "1"],
      ["ZRANK", `${k}z`, "ACME"],
      ["ZRANGEBYSCORE", `${k}z`, "-inf", "2", "WITHSCORES"],
      ["ZREM", `${k}z`, "ACME", "nope"],
      ["ZCARD", `${k}z`],
      ["LPUSH", `${k}h`, "wrong type"],
    ]);
  });

  it("keeps unicode, control characters and look-alike values intact", async () => {
    const values = [
      "héllo 🌍 日本語",
      "nul\u0000inside",
      "line\r\nbreak",
      "",
      "OK",
      "T0s=", // base64 of "OK"
      "12345678901234567890",
      '{"a":1,"b":[true,null]}',
      "x".repeat(1_000_000),
    ];
    await compare("unicode", (k) =>
      values.flatMap((v, i) => [
        ["SET", `${k}${i}`, v],
        ["GET", `${k}${i}`],
        ["STRLEN", `${k}${i}`],
      ]),
    );
    const k = uniquePrefix("unicode-keys");
    await client.set(`${k}ключ🔑`, "значение");
    expect(await direct.send([["GET", `${k}ключ🔑`]])).toEqual(["значение"]);
  });

  it("stores what the typed client writes and reads back JSON values, as Redis holds them", async () => {
    const k = uniquePrefix("typed");
    await client.set(`${k}obj`, { price: 12.5, symbols: ["ACME", "BOLT"], halted: false });
    expect(await direct.send([["GET", `${k}obj`]])).toEqual([
      '{"price":12.5,"symbols":["ACME","BOLT"],"halted":false}',
    ]);
    expect(await client.get(`${k}obj`)).toEqual({ price: 12.5, symbols: ["ACME", "BOLT"], halted: false });

    await client.hset(`${k}h`, { cash: 1000, name: "Ada" });
    expect(await client.hgetall(`${k}h`)).toEqual({ cash: 1000, name: "Ada" });
    expect(await direct.send([["HGET", `${k}h`, "cash"]])).toEqual(["1000"]);

    await client.zadd(`${k}z`, { score: 2, member: "BOLT" }, { score: 1, member: "ACME" });
    expect(await client.zrange(`${k}z`, 0, -1, { withScores: true })).toEqual(["ACME", 1, "BOLT", 2]);

    await client.set(`${k}ttl`, "v", { px: 60_000 });
    const pttl = await client.pttl(`${k}ttl`);
    expect(pttl).toBeGreaterThan(59_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
    expect(await client.incr(`${k}n`)).toBe(1);
  });

  it("runs a pipeline like Redis does, each command failing on its own", async () => {
    const k = uniquePrefix("pipeline");
    const p = raw.pipeline();
    p.set(`${k}a`, "1");
    p.incr(`${k}a`);
    p.hset(`${k}a`, { f: "v" }); // WRONGTYPE, the rest still runs
    p.get(`${k}a`);
    p.rpush(`${k}l`, "x", "y");
    p.lrange(`${k}l`, 0, -1);
    const bridged = (await p.exec({ keepErrors: true })).map((r) => (r.error ? { error: r.error } : r.result));

    const d = uniquePrefix("pipeline");
    const expected = await direct.send([
      ["SET", `${d}a`, "1"],
      ["INCR", `${d}a`],
      ["HSET", `${d}a`, "f", "v"],
      ["GET", `${d}a`],
      ["RPUSH", `${d}l`, "x", "y"],
      ["LRANGE", `${d}l`, "0", "-1"],
    ]);
    expect(bridged).toEqual(expected);
    expect(bridged[1]).toBe(2);
  });

  it("runs multi-exec as one Redis transaction, with the same results", async () => {
    const k = uniquePrefix("multi");
    const tx = raw.multi();
    tx.set(`${k}a`, "5");
    tx.incrby(`${k}a`, 10);
    tx.lpush(`${k}a`, "x"); // a runtime error fails alone inside EXEC
    tx.get(`${k}a`);
    const bridged = (await tx.exec({ keepErrors: true })).map((r) => (r.error ? { error: r.error } : r.result));

    const d = uniquePrefix("multi");
    const replies = await direct.send([
      ["MULTI"],
      ["SET", `${d}a`, "5"],
      ["INCRBY", `${d}a`, "10"],
      ["LPUSH", `${d}a`, "x"],
      ["GET", `${d}a`],
      ["EXEC"],
    ]);
    expect(bridged).toEqual(replies.at(-1));
    expect(bridged[3]).toBe("15");
  });

  it("keeps a transaction whole while other requests run at the same time", async () => {
    const k = uniquePrefix("atomic");
    await client.set(`${k}n`, 0);
    // Each transaction adds 1 twice and reads the value: it must always read an even number.
    const noise = Array.from({ length: 50 }, () => client.get(`${k}n`));
    const txs = Array.from({ length: 50 }, () =>
      client.multi().incr(`${k}n`).incr(`${k}n`).get<number>(`${k}n`).exec(),
    );
    const results = await Promise.all(txs);
    await Promise.all(noise);
    for (const [, , value] of results) expect(Number(value) % 2).toBe(0);
    expect(await client.get(`${k}n`)).toBe(100);
  });

  it("refuses a transaction that Redis would abort, as an error", async () => {
    // The typed client cannot queue an unknown command, so this one goes over plain HTTP.
    const k = uniquePrefix("abort");
    const res = await fetch(`${bridge.url}/multi-exec`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify([["SET", `${k}a`, "1"], ["NOSUCHCOMMAND"]]),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.stringMatching(/^EXECABORT .*unknown command/) });
    // Nothing of the transaction happened.
    expect(await direct.send([["EXISTS", `${k}a`]])).toEqual([0]);
  });

  it("answers many concurrent commands each with its own reply", async () => {
    const k = uniquePrefix("concurrent");
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => client.set(`${k}${i}`, i).then(() => client.get<number>(`${k}${i}`))),
    );
    expect(replies).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it("passes scripts through: SCRIPT LOAD, EVALSHA, EVAL and NOSCRIPT as Upstash reports it", async () => {
    const k = uniquePrefix("scripts");
    const script = "return redis.call('INCRBY', KEYS[1], ARGV[1])";
    const sha = createHash("sha1").update(script).digest("hex");
    expect(await client.scriptLoad(script)).toBe(sha);
    expect(await client.evalsha(sha, [`${k}n`], [5])).toBe(5);
    expect(await client.eval(script, [`${k}n`], [2])).toBe(7);
    await expect(client.evalsha("0".repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/);
  });

  it("runs Upstash's shebang scripts that plain Redis refuses, under the sha the client expects", async () => {
    const script = "#!lua flags=allow-key-locking\nreturn ARGV[1]";
    // Redis itself refuses the Upstash-only flag...
    const [refused] = await direct.send([["EVAL", script, "0", "x"]]);
    expect(refused).toEqual({ error: expect.stringMatching(/Unexpected flag/) });
    // ...the bridge runs it, and EVALSHA of the client's own sha finds it afterwards.
    expect(await raw.eval(script, [], ["x"])).toBe("x");
    const sha = createHash("sha1").update(script).digest("hex");
    expect(await raw.evalsha(sha, [], ["y"])).toBe("y");
    expect(await raw.scriptLoad(script)).toBe(sha);
  });

  it("serves @upstash/ratelimit, including its EVALSHA-then-EVAL fallback after a script flush", async () => {
    await direct.send([["SCRIPT", "FLUSH"]]);
    const limiter = new Ratelimit({
      redis: client,
      limiter: Ratelimit.tokenBucket(1, "10 s", 5),
      prefix: uniquePrefix("ratelimit"),
      ephemeralCache: false,
      analytics: false,
    });
    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push((await limiter.limit("player-1")).success);
    expect(outcomes).toEqual([true, true, true, true, true, false]);
  });

  it("refuses a wrong or missing token with 401", async () => {
    const wrong = new Redis({ url: bridge.url, token: "not-the-token", enableTelemetry: false, retry: false });
    await expect(wrong.get("anything")).rejects.toThrow(/Unauthorized/);
    const res = await fetch(`${bridge.url}/`, { method: "POST", body: '["PING"]' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Unauthorized" });
  });

  it("accepts path-style commands, the _token parameter, and plain (non-base64) answers", async () => {
    const k = encodeURIComponent(uniquePrefix("path"));
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect(await (await fetch(`${bridge.url}/set/${k}/hello%20world`, { headers: auth })).json()).toEqual({
      result: "OK",
    });
    expect(await (await fetch(`${bridge.url}/get/${k}?_token=${TOKEN}`)).json()).toEqual({ result: "hello world" });
    const encoded = await fetch(`${bridge.url}/get/${k}`, { headers: { ...auth, "Upstash-Encoding": "base64" } });
    expect(await encoded.json()).toEqual({ result: Buffer.from("hello world").toString("base64") });
    // A POST body is the last argument.
    await fetch(`${bridge.url}/set/${k}`, { method: "POST", headers: auth, body: "from the body ✓" });
    expect(await client.get(decodeURIComponent(k))).toBe("from the body ✓");
    const bad = await fetch(`${bridge.url}/`, { method: "POST", headers: auth, body: "not json" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: expect.stringMatching(/^ERR/) });
  });

  it("refuses commands that would disturb the shared connection", async () => {
    await expect(client.exec(["SELECT", "1"])).rejects.toThrow(/not available/);
    await expect(client.exec(["MULTI"])).rejects.toThrow(/not available/);
    expect(await client.ping()).toBe("PONG");
  });
});
