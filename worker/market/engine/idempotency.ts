/**
 * A clientOrderId names one order request. A repeat must be the same request, compared on
 * what decides the order (not on the key itself or on what came of it: status, fills), in
 * the engine's units: the Worker has already upper-cased the symbol and turned the limit
 * price into cents, so "20.1" and "20.10000000001" are the same 2010 cents.
 */
import type { OrderRequest } from "./orders.ts";
import type { OrderState } from "./types.ts";

/** The fields that decide an order; a repeat with any of them changed is another order. */
export const ORDER_REQUEST_FIELDS = ["symbol", "side", "type", "qty", "limitPrice", "stopPrice"] as const;
export type OrderRequestField = (typeof ORDER_REQUEST_FIELDS)[number];

/** The fields in which `repeat` differs from the request that placed `first`; empty when identical. */
export function orderRequestMismatch(first: OrderState, repeat: OrderRequest): OrderRequestField[] {
  return ORDER_REQUEST_FIELDS.filter((field) => first[field] !== (repeat[field] ?? null));
}

/** Says which order the key already names and what differs, so the client can tell a retry from a bug. */
export function mismatchMessage(first: OrderState, fields: OrderRequestField[]): string {
  return (
    `The clientOrderId ${first.clientOrderId} was already used for order ${first.id} ` +
    `(${first.side} ${first.qty} ${first.symbol}, ${first.type}); this request differs in ${fields.join(", ")}. ` +
    "Use a new clientOrderId for a new order."
  );
}
