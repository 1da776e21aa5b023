/**
 * The contract's error shape: `{"error": {"code", "message", "details"?}}`. Routes throw
 * ApiError; the one `app.onError` turns it into a response. The market object returns
 * errors as data (`Refusal`, worker/shared/result.ts), because exceptions lose their class
 * across RPC.
 */
import type { ApiErrorBody, ApiErrorCode } from "../shared/protocol";
import type { Refusal } from "../shared/result";

export const STATUS_OF: Record<ApiErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CODE_TAKEN: 409,
  NAME_TAKEN: 409,
  NAME_BLOCKED: 409,
  NAME_NOT_ALLOWED: 422,
  TEAM_IN_USE: 409,
  MARKET_FULL: 409,
  MARKET_NOT_OPEN: 409,
  SYMBOL_HALTED: 409,
  ORDER_NOT_OPEN: 409,
  IDEMPOTENCY_MISMATCH: 409,
  PAYLOAD_TOO_LARGE: 413,
  INSUFFICIENT_FUNDS: 422,
  INSUFFICIENT_SHARES: 422,
  ORDER_LIMIT: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  get status(): number {
    return STATUS_OF[this.code];
  }

  static from(f: Refusal): ApiError {
    return new ApiError(f.code, f.message, f.details);
  }
}

export function errorBody(code: ApiErrorCode, message: string, details?: unknown): ApiErrorBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}

/** Unwraps an RPC result: the value when ok, an ApiError thrown otherwise. */
export function unwrap<R extends { ok: boolean }>(result: R): Extract<R, { ok: true }> {
  if (!result.ok) throw ApiError.from(result as unknown as Refusal);
  return result as Extract<R, { ok: true }>;
}
