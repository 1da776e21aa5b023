/**
 * The one result shape of the engine, the market objects and the routes: success with its
 * fields, or a refusal with the contract's error code and a sentence for people. Plain
 * data, because a thrown error loses its class across RPC; the routes turn a refusal into
 * the contract's error answer (worker/lib/errors.ts `unwrap`).
 */
import type { ApiErrorCode, Order } from "./messages.ts";

/**
 * What a refusal may carry to the client as `details`. A closed type, not `unknown`: an RPC
 * method's return type must be serialisable, or TypeScript drops the refusal from it.
 */
export type RefusalDetails = { order: Order; fields: string[] };

export interface Refusal {
  ok: false;
  code: ApiErrorCode;
  message: string;
  /** Goes to the client as the error's `details`. */
  details?: RefusalDetails;
}

export type Result<T extends object = object> = ({ ok: true } & T) | Refusal;

export function refuse(code: ApiErrorCode, message: string, details?: RefusalDetails): Refusal {
  return details === undefined ? { ok: false, code, message } : { ok: false, code, message, details };
}

export function ok<T extends object>(value: T): { ok: true } & T {
  return { ok: true, ...value };
}
