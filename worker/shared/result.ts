/**
 * The one result shape of the engine, the market objects and the routes: success with its
 * fields, or a refusal with the contract's error code and a sentence for people. Plain
 * data, because a thrown error loses its class across RPC; the routes turn a refusal into
 * the contract's error answer (worker/lib/errors.ts `unwrap`).
 */
import type { ApiErrorCode } from "./protocol";

export interface Refusal {
  ok: false;
  code: ApiErrorCode;
  message: string;
}

export type Result<T extends object = object> = ({ ok: true } & T) | Refusal;

export function refuse(code: ApiErrorCode, message: string): Refusal {
  return { ok: false, code, message };
}

export function ok<T extends object>(value: T): { ok: true } & T {
  return { ok: true, ...value };
}
