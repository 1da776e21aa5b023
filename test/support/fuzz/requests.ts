/** Generated requests built, sent and judged: an answer is a 4xx in the contract's shape or a valid 2xx, never a 5xx or a hang. */
import { exports } from "cloudflare:workers";
import fc from "fast-check";
import { STATUS_OF } from "../../../worker/lib/errors";
import { SECRETS, ANSWER_TIMEOUT_MS, type World } from "./world";
import {
  symbolish,
  type Body,
  anyBody,
  ROUTES,
  METHODS,
  headerValue,
  extraHeaders,
  contentType,
  queryPairs,
} from "./generators";

export interface GenRequest {
  route: number;
  method: string;
  codePick: number;
  symbol: string;
  orderPick: number;
  orderRaw: string;
  newsId: string;
  auth: { kind: "none" } | { kind: "token"; i: number; scheme: string } | { kind: "header"; value: string };
  contentType: string;
  headers: Record<string, string>;
  query: [string, string][];
  body: Body;
}

export function requestArb(world: World): fc.Arbitrary<GenRequest> {
  const routeIndex = fc.constantFrom(...ROUTES.flatMap((r, i) => Array<number>(r.weight ?? 1).fill(i)));
  return routeIndex.chain((route) =>
    fc.record({
      route: fc.constant(route),
      method: fc.oneof(
        { weight: 6, arbitrary: fc.constant(ROUTES[route].method) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      codePick: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(15) }),
      symbol: fc.oneof(
        { weight: 3, arbitrary: symbolish },
        { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }) },
      ),
      orderPick: fc.nat(9),
      orderRaw: fc.oneof(
        fc.constantFrom("o1", "o2", "o3", "o999999", "o-1", "o0", "1", "o1.5", "%2e%2e", "o" + "9".repeat(400)),
        fc.string({ unit: "grapheme", maxLength: 20 }),
      ),
      newsId: fc.oneof(fc.constantFrom("n1", "n2", "n999", "n0", "x"), fc.string({ unit: "grapheme", maxLength: 20 })),
      auth: fc.oneof(
        { weight: 2, arbitrary: fc.constant({ kind: "none" as const }) },
        {
          weight: 8,
          arbitrary: fc.record({
            kind: fc.constant("token" as const),
            // The organiser and the two ledger players most often, so valid requests happen too.
            i: fc.oneof(
              { weight: 3, arbitrary: fc.nat(world.ledger.length) },
              { weight: 2, arbitrary: fc.nat(world.tokens.length - 1) },
            ),
            scheme: fc.oneof(
              { weight: 6, arbitrary: fc.constant("Bearer") },
              { weight: 1, arbitrary: fc.constantFrom("bearer", "Basic", "Bearer  ", "", "Token") },
            ),
          }),
        },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant("header" as const), value: headerValue }) },
      ),
      contentType,
      headers: extraHeaders,
      query: queryPairs,
      body: ROUTES[route].body ?? anyBody,
    }),
  );
}

export function pickCode(world: World, req: GenRequest): string {
  const route = ROUTES[req.route];
  const path = route.path({ code: "{c}", symbol: "", orderId: "", newsId: "" });
  const ledger = path.endsWith("/control") ? world.sandbox : world.code;
  const codes = [
    ledger,
    ledger,
    ledger,
    ledger,
    ledger,
    ledger,
    ledger.toLowerCase(),
    ` ${ledger}`,
    world.sandbox,
    "NOSUCH99",
    "abc",
    "TOOLONGCODE123",
    "ÄÖÜ1",
    "..",
    "%00ABC",
    "A".repeat(300),
  ];
  return codes[req.codePick % codes.length];
}

export function seg(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return "bad%20segment";
  }
}

let uniq = 0;

export function buildRequest(world: World, req: GenRequest): Request {
  const route = ROUTES[req.route];
  const realOrders = [...world.p1Orders, "o1", "o2"];
  const orderId = req.orderPick < realOrders.length ? realOrders[req.orderPick] : req.orderRaw;
  let path = route.path({
    code: seg(pickCode(world, req)),
    symbol: seg(req.symbol),
    orderId: seg(orderId),
    newsId: seg(req.newsId),
  });
  if (req.query.length > 0)
    path += `?${new URLSearchParams(req.query.map(([k, v]) => [k, v.replace(/[\uD800-\uDFFF]/g, "?")])).toString()}`;
  // A fresh client address unless the generator picked one, so the per-IP limit on
  // anonymous routes does not turn most of the run into 429s (it has its own tests).
  const headers = new Headers({ "CF-Connecting-IP": `10.9.${(uniq >> 8) & 255}.${uniq & 255}` });
  for (const [k, v] of Object.entries(req.headers)) headers.set(k, v);
  if (req.auth.kind === "token") headers.set("Authorization", `${req.auth.scheme} ${world.tokens[req.auth.i]}`.trim());
  else if (req.auth.kind === "header") headers.set("Authorization", req.auth.value);
  let body: string | undefined;
  uniq += 1;
  if (req.body.kind === "raw" && !["GET", "HEAD"].includes(req.method)) {
    body = req.body.text.replaceAll("$UNIQUE", `fz-${uniq}`).replaceAll("$UNIQ", String(uniq % 100000));
    if (req.contentType) headers.set("Content-Type", req.contentType);
  }
  return new Request(`http://marketflow.test${path}`, { method: req.method, headers, body });
}

// ------------------------------------------------------------------ checking one answer

export interface Answer {
  method: string;
  url: string;
  status: number;
  text: string;
  headers: Headers;
  token: string | null;
  socket?: boolean;
  sent?: string;
}

export async function send(world: World, gen: GenRequest): Promise<Answer> {
  const request = buildRequest(world, gen);
  const token = request.headers.get("Authorization");
  // workerd turns any request carrying `Upgrade: websocket` into a GET (found by this
  // fuzz: a POST /orders with that header answers the order list), so judge it as one.
  const method =
    request.method !== "HEAD" && request.headers.get("Upgrade")?.toLowerCase() === "websocket" ? "GET" : request.method;
  const described = `${method} ${request.url.slice(0, 200)}`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms: ${described}`)),
      ANSWER_TIMEOUT_MS,
    );
  });
  try {
    const res = await Promise.race([exports.default.fetch(request), timeout]);
    if (res.status === 101) {
      // A random `Upgrade: websocket` header on the feed route: a real socket, closed at once.
      res.webSocket?.accept();
      res.webSocket?.close(1000, "fuzz");
      return {
        method,
        url: request.url,
        status: 101,
        text: "",
        headers: res.headers,
        token,
        socket: Boolean(res.webSocket),
      };
    }
    const text = await Promise.race([res.text(), timeout]);
    return {
      method,
      url: request.url,
      status: res.status,
      text,
      headers: res.headers,
      token,
      sent: JSON.stringify([...request.headers]) + " " + JSON.stringify(gen.body).slice(0, 300),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Problems with one answer, as sentences; empty when it keeps the contract. */
export function problemsOf(a: Answer): string[] {
  const out: string[] = [];
  const where = `${a.method} ${a.url.slice(0, 160)} -> ${a.status}`;
  if (a.status >= 500) out.push(`${where}: a server error: ${a.text.slice(0, 200)}`);
  for (const secret of SECRETS) {
    if (a.text.includes(secret)) out.push(`${where}: the body contains a secret`);
    for (const [k, v] of a.headers) if (v.includes(secret)) out.push(`${where}: header ${k} contains a secret`);
  }
  if (a.method === "HEAD") return out;
  if (a.status === 101) {
    if (!a.socket || !new URL(a.url).pathname.toLowerCase().endsWith("/ws"))
      out.push(`${where}: 101 outside the WebSocket route`);
    return out;
  }
  if (a.status >= 200 && a.status < 300) {
    if (a.url.includes(".csv")) {
      if (!(a.headers.get("Content-Type") ?? "").startsWith("text/csv")) out.push(`${where}: CSV without text/csv`);
    } else if (!isJson(a.text)) out.push(`${where}: a 2xx whose body is not JSON`);
    return out;
  }
  if (a.status < 400) {
    out.push(`${where}: unexpected status`);
    return out;
  }
  let body: any;
  try {
    body = JSON.parse(a.text);
  } catch {
    out.push(`${where}: an error that is not JSON: ${a.text.slice(0, 120)}`);
    return out;
  }
  const err = body?.error;
  const keys = Object.keys(body ?? {});
  if (keys.length !== 1 || typeof err !== "object" || typeof err.code !== "string" || typeof err.message !== "string") {
    out.push(`${where}: not the contract's error shape: ${a.text.slice(0, 160)}`);
    return out;
  }
  if (!/^[A-Z_]+$/.test(err.code) || !(err.code in STATUS_OF)) out.push(`${where}: unknown error code ${err.code}`);
  // The WebSocket route answers a plain GET with 426 Upgrade Required and VALIDATION.
  const expected = a.status === 426 && err.code === "VALIDATION" ? 426 : STATUS_OF[err.code as keyof typeof STATUS_OF];
  if (expected !== a.status) out.push(`${where}: code ${err.code} belongs to ${expected}`);
  if (a.status === 429 && !a.headers.get("Retry-After")) out.push(`${where}: 429 without Retry-After`);
  if (/\bat\s+\S+\s+\(|\.ts:\d+/.test(a.text)) out.push(`${where}: looks like a stack trace`);
  return out;
}

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
