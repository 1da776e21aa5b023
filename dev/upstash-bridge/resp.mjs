// A minimal RESP2 client for the dev bridge: enough to send commands to one Redis over
// one socket and read the replies in order. No dependency, so the bridge runs with
// nothing but Node.
//
// Replies come back as: string (simple string), Buffer (bulk string, binary-safe),
// number (integer), null (nil), Array (nested), RedisError (an error reply, returned
// as a value rather than thrown, because inside EXEC and pipelines an error is just
// one of the results).
import net from "node:net";

const CRLF = Buffer.from("\r\n");

export class RedisError {
  constructor(message) {
    this.message = message;
  }
}

/** @param {(string | Buffer)[]} args */
export function encodeCommand(args) {
  const parts = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = /** @type {Buffer<ArrayBuffer>} */ (Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg), "utf8"));
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  return Buffer.concat(parts);
}

/**
 * Parses one reply starting at `pos`. Returns [value, nextPos], or undefined when the
 * buffer does not yet hold the whole reply (the caller waits for more bytes).
 */
function parseReply(buf, pos) {
  const end = buf.indexOf(CRLF, pos);
  if (end < 0) return undefined;
  const line = buf.toString("utf8", pos + 1, end);
  const next = end + 2;
  switch (buf[pos]) {
    case 0x2b: // '+'
      return [line, next];
    case 0x2d: // '-'
      return [new RedisError(line), next];
    case 0x3a: // ':'
      return [Number(line), next];
    case 0x24: {
      // '$' bulk string
      const len = Number(line);
      if (len < 0) return [null, next];
      if (buf.length < next + len + 2) return undefined;
      return [buf.subarray(next, next + len), next + len + 2];
    }
    case 0x2a: {
      // '*' array
      const count = Number(line);
      if (count < 0) return [null, next];
      const items = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const parsed = parseReply(buf, at);
        if (!parsed) return undefined;
        items.push(parsed[0]);
        at = parsed[1];
      }
      return [items, at];
    }
    default:
      throw new Error(`unexpected RESP reply type ${JSON.stringify(String.fromCharCode(buf[pos]))}`);
  }
}

/**
 * One connection to Redis. Commands written together in one `send` reach Redis
 * back to back on this socket, so a MULTI ... EXEC block sent in one call cannot be
 * interleaved with another request's commands. Replies are matched to callers in
 * order. When the socket dies, every waiting caller is rejected and the next `send`
 * opens a fresh socket.
 */
export class RedisConnection {
  /** @param {string} url redis://[user:password@]host:port[/db] */
  constructor(url) {
    this.url = new URL(url);
    this.socket = null;
    this.ready = null;
    this.pending = [];
    this.buffer = Buffer.alloc(0);
  }

  /** Sends a batch of commands; resolves with their replies in order. */
  async send(commands) {
    await this.connect();
    return this.write(commands);
  }

  write(commands) {
    if (!this.socket) return Promise.reject(new Error("Redis connection closed"));
    const replies = commands.map(() => new Promise((resolve, reject) => this.pending.push({ resolve, reject })));
    this.socket.write(Buffer.concat(commands.map(encodeCommand)));
    return Promise.all(replies);
  }

  connect() {
    if (this.ready) return this.ready;
    const socket = net.createConnection({
      host: this.url.hostname || "127.0.0.1",
      port: Number(this.url.port || 6379),
    });
    this.socket = socket;
    socket.setNoDelay(true);
    const opened = new Promise((resolve, reject) => {
      socket.once("connect", resolve);
      // Handlers only act on the socket they belong to: a late "close" from an old
      // socket must not tear down its replacement.
      const onGone = (err) => {
        if (this.socket === socket) this.fail(err);
        reject(err);
      };
      socket.on("error", onGone);
      socket.on("close", () => onGone(new Error("Redis connection closed")));
      socket.on("data", (chunk) => this.socket === socket && this.onData(chunk));
    });
    this.ready = opened.then(() => this.handshake());
    // A failed handshake leaves the connection unusable; the next send starts over.
    this.ready.catch(() => this.socket === socket && this.fail(new Error("Redis handshake failed")));
    return this.ready;
  }

  async handshake() {
    const setup = [];
    const password = decodeURIComponent(this.url.password);
    const user = decodeURIComponent(this.url.username);
    if (password) setup.push(user ? ["AUTH", user, password] : ["AUTH", password]);
    const db = this.url.pathname.replace(/^\//, "");
    if (db && db !== "0") setup.push(["SELECT", db]);
    if (setup.length === 0) return;
    const failed = (await this.write(setup)).find((r) => r instanceof RedisError);
    if (failed) throw new Error(`Redis refused the connection setup: ${failed.message}`);
  }

  onData(chunk) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    let pos = 0;
    while (pos < this.buffer.length) {
      const parsed = parseReply(this.buffer, pos);
      if (!parsed) break;
      pos = parsed[1];
      this.pending.shift()?.resolve(parsed[0]);
    }
    this.buffer = this.buffer.subarray(pos);
  }

  fail(err) {
    const socket = this.socket;
    this.socket = null;
    this.ready = null;
    this.buffer = Buffer.alloc(0);
    socket?.destroy();
    for (const waiter of this.pending.splice(0)) waiter.reject(err);
  }

  close() {
    this.fail(new Error("Redis connection closed by the bridge"));
  }
}
