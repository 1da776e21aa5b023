/**
 * GET /api/openapi.json, generated from the app's registered routes: each route's
 * `operation()` (docs.ts) and its validators' zod schemas (protocol.ts), so a route and
 * its description are one piece of code.
 *
 * Why hono-openapi and not @hono/zod-openapi (evaluated at hono-openapi 1.3.3, peer hono
 * ^4.11, zod 4 through Standard Schema and zod's own toJSONSchema; @hono/zod-openapi 1.6.3,
 * peers zod ^4 and hono >=4.10, documents through @asteasolutions/zod-to-openapi 9):
 * - hono-openapi describes the routes we already have: `operation()` and the validator
 *   are ordinary middleware in an ordinary `router.get(path, ...)`, and the document is
 *   built from `app.routes`. The handlers' bodies stay as they were.
 * - @hono/zod-openapi wants every route rewritten as `app.openapi(createRoute({...}),
 *   handler)` on its OpenAPIHono, keeps the paths in a registry of its own beside the
 *   router, types each handler's return against the declared responses (a plain
 *   Response, as the CSV, the cached snapshot and the upgrade return, type-checks only
 *   on a route none of whose responses has a zod schema), and puts a 415 gate before
 *   JSON bodies: behaviour a client would notice.
 * The price: hono-openapi validates through Standard Schema rather than zod's own
 * safeParse (the same zod issues; context.ts maps them to the contract's details), and it
 * leaves out a route that carries no description, which the OpenAPI test catches.
 */
import type { Context, Hono } from "hono";
import { generateSpecs } from "hono-openapi";
import * as z from "zod";
import type { ApiErrorCode } from "../shared/protocol";
import { MAX_BODY_BYTES } from "../shared/protocol";
import type { AppEnv } from "./context";
import { errorBodyOf } from "./responses";

type OpenApiDocument = Awaited<ReturnType<typeof generateSpecs>>;

const DOCUMENTATION = {
  info: {
    title: "MarketFlow API",
    version: "1.0.0",
    description:
      'Live stock-market games. docs/API.md in the repository is the guide (conventions, lifecycle, the WebSocket feed\'s messages and close codes); a readable copy of this document is served at /api/docs. Errors are `{"error": {"code", "message", "details"?}}`; money and prices are decimal numbers with at most 2 decimals.',
  },
  tags: [
    { name: "markets", description: "Create, list, read and run markets" },
    { name: "players", description: "Join, portfolio, leaderboard" },
    { name: "moderation", description: "Rename, remove and block players; name rules; teams" },
    { name: "orders", description: "A player's orders and fills" },
    { name: "news", description: "The organiser's news" },
    { name: "symbols", description: "Halts and candles" },
    { name: "feed", description: "The live WebSocket feed" },
    { name: "exports", description: "CSV exports of a live market" },
    { name: "archive", description: "Past markets from the Postgres history" },
    { name: "service", description: "Health and this document" },
  ],
  components: {
    securitySchemes: {
      organiser: { type: "http" as const, scheme: "bearer", description: "The deployment's ADMIN_TOKEN" },
      player: { type: "http" as const, scheme: "bearer", bearerFormat: "JWT", description: "The token from join" },
    },
  },
};

function errorResponse(code: ApiErrorCode, description: string) {
  const { $schema: _, ...schema } = z.toJSONSchema(errorBodyOf([code]), { io: "input" });
  return { description: `${code}: ${description}`, content: { "application/json": { schema } } };
}

/**
 * What the app itself can answer on any route, whatever the route says: the body limit
 * runs before everything on every request that can carry a body, and an unexpected error
 * is a 500 in the contract's shape.
 */
function addAppAnswers(doc: OpenApiDocument): OpenApiDocument {
  const tooLarge = errorResponse("PAYLOAD_TOO_LARGE", `request bodies are limited to ${MAX_BODY_BYTES} bytes`);
  const internal = errorResponse("INTERNAL", "something went wrong on the server's side");
  for (const item of Object.values(doc.paths)) {
    for (const [method, op] of Object.entries(item ?? {})) {
      if (!op || typeof op !== "object" || !("responses" in op)) continue;
      const responses = (op.responses ??= {}) as Record<string, unknown>;
      if (method !== "get") responses["413"] ??= tooLarge;
      responses["500"] ??= internal;
    }
  }
  return doc;
}

/** Builds the document of every route registered on `app` so far. */
export async function buildOpenApi(app: Hono<AppEnv>): Promise<OpenApiDocument> {
  const doc = await generateSpecs(app, {
    documentation: DOCUMENTATION,
    // The document lists 400 VALIDATION itself, in the contract's shape.
    defaultValidationErrorResponse: false,
    // "openapi.json" and "fills.csv" are routes here, not static files.
    excludeStaticFile: false,
  });
  return addAppAnswers(doc);
}

/** The handler of GET /api/openapi.json: built once, with this deployment as its server. */
export function openApiHandler(app: Hono<AppEnv>) {
  let built: Promise<OpenApiDocument> | null = null;
  return async (c: Context<AppEnv>) => {
    built ??= buildOpenApi(app).catch((err: unknown) => {
      built = null;
      throw err;
    });
    const doc = await built;
    return c.json({ ...doc, servers: [{ url: new URL(c.req.url).origin, description: "This deployment" }] });
  };
}
