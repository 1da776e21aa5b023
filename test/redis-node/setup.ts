// Shared by the bridge suites: where Redis is, whether it answers, a bridge on a free
// port, and a direct connection to compare against.
import net from "node:net";
import { createBridge } from "../../dev/upstash-bridge/server.mjs";
import { RedisConnection, RedisError } from "../../dev/upstash-bridge/resp.mjs";

export const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
export const TOKEN = "bridge-test-token";

/** True when something answers PING at REDIS_URL within a second. */
export async function redisReachable(): Promise<boolean> {
  const url = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = net.createConnection({ host: url.hostname, port: Number(url.port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", () => done(true));
  });
}

export async function warnIfSkipped(suite: string): Promise<boolean> {
  const reachable = await redisReachable();
  if (!reachable) {
    console.warn(
      `[${suite}] SKIPPED: no Redis at ${REDIS_URL}. Start one on 127.0.0.1:6379 or set REDIS_URL to run this suite.`,
    );
  }
  return reachable;
}

export type Bridge = { url: string; close(): Promise<void> };

export async function startBridge(token = TOKEN): Promise<Bridge> {
  const bridge = createBridge({ redisUrl: REDIS_URL, token });
  const { port } = await bridge.listen(0, "127.0.0.1");
  return { url: `http://127.0.0.1:${port}`, close: () => bridge.close() };
}

export type Direct = { send(commands: (string | number)[][]): Promise<unknown[]>; close(): void };

/** A direct connection to Redis, its replies in the shape the REST API gives them. */
export function directRedis(): Direct {
  const conn = new RedisConnection(REDIS_URL);
  return {
    send: async (commands) => (await conn.send(commands.map((c) => c.map(String)))).map(plain),
    close: () => conn.close(),
  };
}

/** Bulk strings as text, errors as {error}, everything else as is. */
export function plain(reply: unknown): unknown {
  if (Buffer.isBuffer(reply)) return reply.toString("utf8");
  if (Array.isArray(reply)) return reply.map(plain);
  if (reply instanceof RedisError) return { error: (reply as unknown as { message: string }).message };
  return reply;
}

/** A key prefix no other run or test shares. */
export function uniquePrefix(name: string): string {
  return `mf:test:${name}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}:`;
}
