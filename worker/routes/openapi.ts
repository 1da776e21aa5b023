/**
 * GET /api/openapi.json, generated from the same zod schemas the routes validate with
 * (zod's own JSON Schema output), so the document cannot drift from the code.
 */
import { Hono } from "hono";
import * as z from "zod";
import {
  CandlesQuery,
  ControlInput,
  CreateMarketInput,
  FeedInput,
  FillsQuery,
  JoinInput,
  LeaderboardQuery,
  NewsInput,
  OrderInput,
  OrdersQuery,
} from "../shared/protocol";
import { MarketsQuery } from "../registry/listPage";
import type { AppEnv } from "./context";

type Auth = "admin" | "player" | "none";

interface RouteDoc {
  method: "get" | "post" | "put" | "delete";
  path: string;
  summary: string;
  auth: Auth;
  body?: z.ZodType;
  query?: z.ZodObject;
  ok: number;
  errors: number[];
}

const ROUTES: RouteDoc[] = [
  { method: "post", path: "/api/markets", summary: "Create a market", auth: "admin", body: CreateMarketInput, ok: 201, errors: [400, 401, 403, 409, 413] },
  { method: "get", path: "/api/markets", summary: "List markets, newest first, a page at a time", auth: "admin", query: MarketsQuery, ok: 200, errors: [400, 401, 403] },
  { method: "get", path: "/api/markets/{code}", summary: "Public snapshot of a market", auth: "none", ok: 200, errors: [400, 404] },
  { method: "get", path: "/api/markets/{code}/admin", summary: "Organiser view: rules and history health", auth: "admin", ok: 200, errors: [401, 403, 404] },
  { method: "post", path: "/api/markets/{code}/control", summary: "Open, pause, resume or close", auth: "admin", body: ControlInput, ok: 200, errors: [400, 401, 403, 404, 409] },
  { method: "post", path: "/api/markets/{code}/news", summary: "Publish news now or at publishAt", auth: "admin", body: NewsInput, ok: 201, errors: [400, 401, 403, 404, 409] },
  { method: "get", path: "/api/markets/{code}/news", summary: "Published and scheduled news", auth: "admin", ok: 200, errors: [401, 403, 404] },
  { method: "delete", path: "/api/markets/{code}/news/{id}", summary: "Cancel a scheduled news item", auth: "admin", ok: 200, errors: [401, 403, 404] },
  { method: "post", path: "/api/markets/{code}/symbols/{symbol}/halt", summary: "Halt a symbol", auth: "admin", ok: 200, errors: [400, 401, 403, 404] },
  { method: "post", path: "/api/markets/{code}/symbols/{symbol}/resume", summary: "Resume a halted symbol", auth: "admin", ok: 200, errors: [400, 401, 403, 404] },
  { method: "get", path: "/api/markets/{code}/players", summary: "Players with cash, net worth and rank", auth: "admin", ok: 200, errors: [401, 403, 404] },
  { method: "get", path: "/api/markets/{code}/export/fills.csv", summary: "Every fill as CSV", auth: "admin", ok: 200, errors: [401, 403, 404] },
  { method: "get", path: "/api/markets/{code}/export/standings.csv", summary: "Standings as CSV", auth: "admin", ok: 200, errors: [401, 403, 404] },
  { method: "post", path: "/api/markets/{code}/join", summary: "Join with a nickname", auth: "none", body: JoinInput, ok: 201, errors: [400, 404, 409, 429] },
  { method: "get", path: "/api/markets/{code}/portfolio", summary: "The player's portfolio", auth: "player", ok: 200, errors: [401, 403, 404] },
  { method: "post", path: "/api/markets/{code}/orders", summary: "Place an order (idempotent on clientOrderId)", auth: "player", body: OrderInput, ok: 201, errors: [400, 401, 403, 404, 409, 422, 429] },
  { method: "get", path: "/api/markets/{code}/orders", summary: "The player's orders", auth: "player", query: OrdersQuery, ok: 200, errors: [401, 403, 404] },
  { method: "delete", path: "/api/markets/{code}/orders/{id}", summary: "Cancel an open order", auth: "player", ok: 200, errors: [401, 403, 404, 409] },
  { method: "get", path: "/api/markets/{code}/fills", summary: "The player's fills, newest first", auth: "player", query: FillsQuery, ok: 200, errors: [400, 401, 403, 404] },
  { method: "get", path: "/api/markets/{code}/leaderboard", summary: "Leaders by net worth", auth: "none", query: LeaderboardQuery, ok: 200, errors: [400, 404] },
  { method: "get", path: "/api/markets/{code}/candles/{symbol}", summary: "OHLCV candles", auth: "none", query: CandlesQuery, ok: 200, errors: [400, 404] },
  { method: "get", path: "/api/markets/{code}/ws", summary: "WebSocket feed (?token= for a player)", auth: "none", ok: 101, errors: [426] },
  { method: "put", path: "/api/markets/{code}/feed", summary: "Broadcast shards for the feed (lobby only)", auth: "admin", body: FeedInput, ok: 200, errors: [400, 401, 403, 404, 409] },
  { method: "get", path: "/api/archive/markets", summary: "Markets in the Postgres history (closed ones; ?all=1 for all)", auth: "admin", ok: 200, errors: [401, 403, 404, 500] },
  { method: "get", path: "/api/archive/markets/{code}/fills.csv", summary: "Archived fills as CSV", auth: "admin", ok: 200, errors: [401, 403, 404, 500] },
  { method: "get", path: "/api/archive/markets/{code}/candles/{symbol}", summary: "A past market's candles from the history", auth: "admin", query: CandlesQuery, ok: 200, errors: [400, 401, 403, 404, 500] },
  { method: "get", path: "/api/archive/markets/{code}/standings.csv", summary: "Archived final standings as CSV", auth: "admin", ok: 200, errors: [401, 403, 404, 500] },
];

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
    },
  },
};

function jsonSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
}

export function buildOpenApi(): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    if (r.query) {
      for (const [name, field] of Object.entries(r.query.shape)) {
        params.push({ name, in: "query", required: false, schema: jsonSchema(field as z.ZodType) as { type: string } });
      }
    }
    const responses: Record<string, unknown> = { [r.ok]: { description: "OK" } };
    for (const status of r.errors) responses[status] = { description: "Error", content: { "application/json": { schema: errorSchema } } };
    paths[r.path] ??= {};
    paths[r.path][r.method] = {
      summary: r.summary,
      security: r.auth === "none" ? [] : [{ [r.auth === "admin" ? "organiser" : "player"]: [] }],
      parameters: params,
      ...(r.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(r.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "MarketFlow API", version: "1.0.0", description: "Live stock-market games. See API.md for the WebSocket messages." },
    components: {
      securitySchemes: {
        organiser: { type: "http", scheme: "bearer", description: "The deployment's ADMIN_TOKEN" },
        player: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "The token from join" },
      },
    },
    paths,
  };
}

export const openApiRouter = new Hono<AppEnv>();
let cached: unknown = null;
openApiRouter.get("/openapi.json", (c) => c.json((cached ??= buildOpenApi())));
