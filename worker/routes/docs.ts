/**
 * How a route describes itself for the OpenAPI document: `operation({...})` is a no-op
 * middleware, put first in the route's chain, that carries the route's summary, who may
 * call it and what it answers. openapi.ts collects them from the app's registered routes
 * (with the validators' request schemas), so a route cannot exist undocumented without
 * the OpenAPI test noticing.
 *
 * A route lists only the successes and the refusals that are its own (the market's, its
 * handler's); the ones that come with its guards are added here: 401/403 for a token,
 * 429 for a rate limit. The ones every route can answer (413 from the body limit, 500)
 * are added by openapi.ts, and the market router adds the 400 of a bad market code.
 */
import { describeRoute, resolver, type DescribeRouteOptions, type ResponsesWithResolver } from "hono-openapi";
import type { MiddlewareHandler } from "hono";
import * as z from "zod";
import { STATUS_OF } from "../lib/errors";
import type { ApiErrorCode } from "../shared/protocol";
import { errorBodyOf } from "./responses";

/** Who may call a route: the organiser's ADMIN_TOKEN, a player's token, or anyone. */
export type Caller = "organiser" | "player" | "anyone";

type DescribedResponses = ResponsesWithResolver;
type DescribedResponse = DescribedResponses[string];
type Parameter = Extract<NonNullable<DescribeRouteOptions["parameters"]>[number], { in: string }>;

export interface OperationDoc {
  /** Stable name for generated clients. */
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  caller: Caller;
  /** Behind a per-address or per-player rate limit (the organiser's routes always are). */
  limited?: boolean;
  /** Path parameters besides the market code, with what they hold. */
  params?: Record<string, { description: string; pattern?: string }>;
  /** Query parameters that no validator describes. */
  query?: Record<string, { description: string }>;
  /** Success answers: the JSON body's schema, or a whole response (a CSV, an upgrade). */
  ok: Record<number, z.ZodType | DescribedResponse>;
  /** Refusals of the route itself; those of its guards and of the app are added. */
  errors?: ApiErrorCode[];
  /** Answers outside the contract's status table (the feed's 426). */
  otherResponses?: DescribedResponses;
}

const RETRY_AFTER = {
  description: "Whole seconds until the limit lets this caller through again.",
  schema: { type: "integer" as const, minimum: 1 },
};

/** The error responses for these codes, one per status, each naming the codes it may carry. */
export function errorResponses(codes: readonly ApiErrorCode[]): DescribedResponses {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = STATUS_OF[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: DescribedResponses = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = {
      description: list.join(" or "),
      ...(list.includes("RATE_LIMITED") ? { headers: { "Retry-After": RETRY_AFTER } } : {}),
      content: { "application/json": { schema: resolver(errorBodyOf(list as [ApiErrorCode, ...ApiErrorCode[]])) } },
    };
  }
  return responses;
}

function isZod(x: unknown): x is z.ZodType {
  return x instanceof z.ZodType;
}

function guardErrors(doc: OperationDoc): ApiErrorCode[] {
  const codes: ApiErrorCode[] = [];
  // An unknown, expired or wrong-kind token: 401; the wrong caller or market: 403.
  if (doc.caller !== "anyone") codes.push("UNAUTHORIZED", "FORBIDDEN");
  // requireAdmin applies the organiser's own limit.
  if (doc.limited || doc.caller === "organiser") codes.push("RATE_LIMITED");
  return codes;
}

export function operation(doc: OperationDoc): MiddlewareHandler {
  const responses: DescribedResponses = {};
  for (const [status, body] of Object.entries(doc.ok)) {
    responses[status] = isZod(body)
      ? { description: "OK", content: { "application/json": { schema: resolver(body) } } }
      : body;
  }
  Object.assign(responses, errorResponses([...(doc.errors ?? []), ...guardErrors(doc)]), doc.otherResponses);
  const parameters: Parameter[] = Object.entries(doc.params ?? {}).map(([name, p]) => ({
    name,
    in: "path",
    required: true,
    description: p.description,
    schema: { type: "string", ...(p.pattern ? { pattern: p.pattern } : {}) },
  }));
  for (const [name, q] of Object.entries(doc.query ?? {}))
    parameters.push({ name, in: "query", required: false, description: q.description, schema: { type: "string" } });
  return describeRoute({
    operationId: doc.operationId,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag],
    security: doc.caller === "anyone" ? [] : [{ [doc.caller]: [] }],
    ...(parameters.length ? { parameters } : {}),
    responses,
  });
}

/** A symbol in a path: letters, upper-cased before the check. */
export const SYMBOL_PARAM = {
  description: "A symbol of the market, 1-8 letters (case-insensitive)",
  pattern: "^[A-Za-z]{1,8}$",
};
