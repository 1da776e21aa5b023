// The Upstash REST protocol, as @upstash/redis and @upstash/ratelimit speak it, in front
// of a real Redis. For local work and CI only: with Docker, docker-compose.yml runs the
// established proxy image instead.
//
// What the client sends (node_modules/@upstash/redis, HttpClient.request):
//   POST /             body ["SET","k","v"]              -> {"result": ...}
//   POST /pipeline     body [["SET","k","v"],["GET","k"]] -> [{"result": ...}, {"error": "..."}]
//   POST /multi-exec   same body, run inside MULTI/EXEC   -> same shape, atomically
//   GET|POST /set/k/v  path-style; a POST body becomes the last argument
// with `Authorization: Bearer <token>` (or `?_token=`) and, by default,
// `Upstash-Encoding: base64`: then every string in a result, also inside arrays, is
// base64 of the raw bytes, so binary and unicode values survive JSON. A failed single
// command is HTTP 400 `{"error": "<Redis error text>"}`; the client throws it with the
// text intact, which is how @upstash/ratelimit sees NOSCRIPT and falls back to EVAL.
import crypto from "node:crypto";
import http from "node:http";
import { RedisConnection, RedisError } from "./resp.mjs";

const MAX_BODY_BYTES = 16 * 1024 * 1024;

// These would change or hold the state of the shared connection (selected database,
// transaction, subscriptions, reply mode), which every request uses.
const REFUSED = new Set([
  "multi",
  "exec",
  "discard",
  "watch",
  "unwatch",
  "select",
  "swapdb",
  "auth",
  "hello",
  "reset",
  "quit",
  "client",
  "monitor",
  "sync",
  "psync",
  "subscribe",
  "psubscribe",
  "ssubscribe",
  "unsubscribe",
  "punsubscribe",
  "sunsubscribe",
]);

// These may wait server-side; each gets its own short-lived connection so that it does
// not stall every other request queued behind it on the shared one.
const BLOCKING = new Set([
  "blpop",
  "brpop",
  "brpoplpush",
  "blmove",
  "blmpop",
  "bzpopmin",
  "bzpopmax",
  "bzmpop",
  "wait",
  "waitaof",
  "xread",
  "xreadgroup",
]);

// Shebang flags that Redis itself accepts. Upstash adds its own (@upstash/ratelimit
// sends `#!lua flags=allow-key-locking`), which real Redis refuses with "Unexpected
// flag in script shebang", so the bridge drops the ones Redis does not know.
const REDIS_SCRIPT_FLAGS = new Set(["no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"]);

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const sha1 = (text) => crypto.createHash("sha1").update(text).digest("hex");

/**
 * @param {{ redisUrl: string, token: string }} options
 */
export function createBridge({ redisUrl, token }) {
  const redis = new RedisConnection(redisUrl);
  // sha1 of a script as the client sent it -> sha1 of the text Redis actually holds.
  // Lost on restart, which is harmless: EVALSHA then answers NOSCRIPT and the client
  // sends EVAL, which fills the map again.
  const scriptShas = new Map();

  function portableScript(script) {
    const firstLine = /^#!lua[^\n]*/.exec(script)?.[0];
    const flags = firstLine && /\bflags=(\S*)/.exec(firstLine)?.[1];
    if (flags === undefined || flags === null) return script;
    const kept = flags.split(",").filter((flag) => REDIS_SCRIPT_FLAGS.has(flag));
    const rewritten = `#!lua${kept.length ? ` flags=${kept.join(",")}` : ""}${script.slice(firstLine.length)}`;
    if (rewritten !== script) scriptShas.set(sha1(script), sha1(rewritten));
    return rewritten;
  }

  /** Validates one command and adapts scripts; returns the args and a reply fix-up. */
  function prepare(command) {
    if (!Array.isArray(command) || command.length === 0 || typeof command[0] !== "string") {
      throw new HttpError(400, "ERR a command is a non-empty JSON array starting with the command name");
    }
    const args = command.map((arg) => (typeof arg === "string" || Buffer.isBuffer(arg) ? arg : JSON.stringify(arg)));
    const name = String(args[0]).toLowerCase();
    if (REFUSED.has(name)) throw new HttpError(400, `ERR command '${name}' is not available through the REST bridge`);
    let fixReply = (reply) => reply;
    if ((name === "eval" || name === "eval_ro") && typeof args[1] === "string") {
      args[1] = portableScript(args[1]);
    } else if ((name === "evalsha" || name === "evalsha_ro") && typeof args[1] === "string") {
      args[1] = scriptShas.get(args[1].toLowerCase()) ?? args[1];
    } else if (name === "script" && String(args[1]).toLowerCase() === "load" && typeof args[2] === "string") {
      const original = args[2];
      args[2] = portableScript(original);
      // The client computes the sha of its own text; answer with that one.
      fixReply = (reply) => (reply instanceof RedisError ? reply : sha1(original));
    }
    return { args, fixReply, blocking: BLOCKING.has(name) };
  }

  async function runOnce(args) {
    const own = new RedisConnection(redisUrl);
    try {
      return (await own.send([args]))[0];
    } finally {
      own.close();
    }
  }

  /** Runs commands in order: consecutive ordinary ones in one write, blocking ones alone. */
  async function runInOrder(prepared) {
    const replies = [];
    for (let i = 0; i < prepared.length; ) {
      if (prepared[i].blocking) {
        replies.push(await runOnce(prepared[i].args));
        i++;
        continue;
      }
      let j = i;
      while (j < prepared.length && !prepared[j].blocking) j++;
      replies.push(...(await redis.send(prepared.slice(i, j).map((p) => p.args))));
      i = j;
    }
    return replies.map((reply, i) => prepared[i].fixReply(reply));
  }

  async function single(command) {
    const [reply] = await runInOrder([prepare(command)]);
    if (reply instanceof RedisError) throw new HttpError(400, reply.message);
    return reply;
  }

  async function pipeline(commands) {
    // A command the bridge refuses fails alone, as a Redis error would.
    const prepared = commands.map((command) => {
      try {
        return prepare(command);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        return { refused: new RedisError(err.message) };
      }
    });
    const runnable = prepared.filter((p) => !p.refused);
    const replies = runnable.length ? await runInOrder(runnable) : [];
    return prepared.map((p) => p.refused ?? replies.shift());
  }

  async function multiExec(commands) {
    const prepared = commands.map(prepare);
    // MULTI, the commands and EXEC go out in one write on the shared connection, so no
    // other request's command can land inside the transaction.
    const replies = await redis.send([["MULTI"], ...prepared.map((p) => p.args), ["EXEC"]]);
    const exec = replies.at(-1);
    if (exec instanceof RedisError || exec === null) {
      const queueError = replies.slice(1, -1).find((r) => r instanceof RedisError);
      throw new HttpError(
        400,
        [exec?.message ?? "EXECABORT transaction aborted", queueError?.message].filter(Boolean).join(": "),
      );
    }
    return exec.map((reply, i) => prepared[i].fixReply(reply));
  }

  function authorized(req, url) {
    const header = req.headers.authorization ?? "";
    const given = Buffer.from(
      /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, "") : (url.searchParams.get("_token") ?? ""),
    );
    const expected = Buffer.from(token);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  }

  async function handle(req, res) {
    const url = new URL(req.url ?? "/", "http://bridge");
    if (!authorized(req, url)) return send(res, 401, { error: "Unauthorized" });
    const body = await readBody(req);
    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    const path = url.pathname.replace(/\/+$/, "");
    const entry = (reply) =>
      reply instanceof RedisError ? { error: reply.message } : { result: toJson(reply, base64) };

    if (path === "/pipeline" || path === "/multi-exec") {
      const commands = parseJson(body);
      if (!Array.isArray(commands) || commands.length === 0) {
        throw new HttpError(400, "ERR the body is a non-empty JSON array of commands");
      }
      const replies = path === "/pipeline" ? await pipeline(commands) : await multiExec(commands);
      return send(res, 200, replies.map(entry));
    }
    const command =
      path === ""
        ? parseJson(body)
        : [...path.slice(1).split("/").map(decodeURIComponent), ...(body.length ? [body] : [])];
    return send(res, 200, entry(await single(command)));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (err instanceof HttpError) return send(res, err.status, { error: err.message });
      if (err instanceof URIError) return send(res, 400, { error: "ERR malformed percent-encoding in the path" });
      // Anything else is Redis being unreachable or the socket dying mid-request.
      send(res, 503, { error: `ERR Redis unavailable: ${err?.message ?? err}` });
    });
  });

  return {
    server,
    /** Resolves with the bound port (pass 0 for a free one). */
    listen(port, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () =>
          resolve({ port: /** @type {import("node:net").AddressInfo} */ (server.address()).port }),
        );
      });
    },
    /** PING through the bridge's own connection: "ok", or why Redis is not reachable. */
    async probe() {
      try {
        const [reply] = await redis.send([["PING"]]);
        return reply === "PONG" ? "ok" : String(reply?.message ?? reply);
      } catch (err) {
        return `unreachable (${/** @type {Error} */ (err).message})`;
      }
    },
    close() {
      redis.close();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// Base64 for every string, simple strings ("OK", "PONG", "string") included: the client
// base64-decodes every string it gets (sparing only a bare top-level "OK"), so a bare
// "PONG" would come out as garbage.
function toJson(reply, base64) {
  if (reply === null || typeof reply === "number") return reply;
  if (Buffer.isBuffer(reply)) return base64 ? reply.toString("base64") : reply.toString("utf8");
  if (typeof reply === "string") return base64 ? Buffer.from(reply, "utf8").toString("base64") : reply;
  if (Array.isArray(reply)) return reply.map((item) => toJson(item, base64));
  if (reply instanceof RedisError) return reply.message; // an error nested in an array reply
  return reply;
}

function parseJson(body) {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpError(400, "ERR the request body is not valid JSON");
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, "ERR request body too large"));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res, status, payload) {
  if (res.headersSent) return;
  const body = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
