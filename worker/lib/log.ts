/**
 * One JSON line per event that matters, for Workers Logs (wrangler.toml [observability]),
 * which indexes each field, so "every 5xx of market FEST" or "every failed drain" is a
 * query rather than a grep. A line is `{"event":"...","level":"...",...fields}`.
 *
 * Never a secret: a field whose name says it holds one (authorization, token, secret,
 * password, cookie) is replaced, and every string is scrubbed of bearer tokens, JWTs,
 * `token=` query parameters and the password in a connection string, since an error
 * message may quote any of them. The request log writes the route and the path, never
 * the query string (the feed's ?token=).
 */

export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

const SECRET_KEY = /authorization|token|secret|password|passwd|cookie|api[-_]?key/i;
const MAX_STRING = 1000;

/** Bearer tokens, JWTs, token= parameters and user:password@ in URLs, as "[redacted]". */
export function scrub(text: string): string {
  return text
    .replace(/\b(Bearer|Basic)\s+[^\s"',;]+/gi, "$1 [redacted]")
    .replace(/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, "[redacted-jwt]")
    .replace(/([?&;](?:token|access_token|key|password)=)[^&\s"']*/gi, "$1[redacted]")
    .replace(/(\/\/[^:/@\s"']+):[^@/\s"']*@/g, "$1:[redacted]@");
}

function clean(value: unknown, depth: number): unknown {
  if (typeof value === "string") {
    const s = scrub(value);
    return s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}...` : s;
  }
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) return errorText(value);
  if (depth >= 4) return "[nested]";
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => clean(v, depth + 1));
  const out: LogFields = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? "[redacted]" : clean(v, depth + 1);
  return out;
}

/** The line as it is written: the event, its level, then the (cleaned) fields. */
export function formatLine(level: LogLevel, event: string, fields: LogFields = {}): string {
  const cleaned = clean(fields, 0) as LogFields;
  return JSON.stringify({ event, level, ...cleaned });
}

const RANK: Record<LogLevel, number> = { info: 0, warn: 1, error: 2 };
let minimum: LogLevel = "info";

/**
 * Lines below this level are not written (default "info": all). For the workerd suites,
 * whose thousands of requests would bury a failure's output; nothing in the Worker sets it.
 */
export function setLogLevel(level: LogLevel): LogLevel {
  const before = minimum;
  minimum = level;
  return before;
}

export function logEvent(level: LogLevel, event: string, fields?: LogFields): void {
  if (RANK[level] < RANK[minimum]) return;
  const line = formatLine(level, event, fields);
  // The console method sets the level Workers Logs files the line under.
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

export const log = {
  info: (event: string, fields?: LogFields) => logEvent("info", event, fields),
  warn: (event: string, fields?: LogFields) => logEvent("warn", event, fields),
  error: (event: string, fields?: LogFields) => logEvent("error", event, fields),
};

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** An error as fields: `error` (name and message) and, for real errors, a short `stack`. */
export function errorFields(err: unknown): LogFields {
  const fields: LogFields = { error: errorText(err) };
  if (err instanceof Error && err.stack) fields.stack = err.stack.split("\n").slice(0, 8).join("\n");
  return fields;
}
