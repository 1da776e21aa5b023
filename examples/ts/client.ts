/**
 * A typed client for the MarketFlow API: openapi-fetch over the types openapi-typescript
 * generates from docs/openapi.json (`npm run api:types` writes api.d.ts). Paths, bodies and
 * answers are checked by the compiler against the document the server serves.
 *
 * `withRetry` waits out a 429's `Retry-After` (whole seconds) and tries again; every other
 * answer is returned as it is.
 */
import createClient from "openapi-fetch";
import type { paths } from "./api.d.ts";

export type MarketFlowClient = ReturnType<typeof marketFlowClient>;

export function marketFlowClient(baseUrl: string, token?: string) {
  return createClient<paths>({ baseUrl, headers: token ? { Authorization: `Bearer ${token}` } : {} });
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export interface RetryStats {
  rateLimited: number;
}

/**
 * Runs `call` until its answer is not a 429, waiting the answer's Retry-After each time
 * (at most `attempts` tries). The caller makes the request identical each time: for an
 * order, the same clientOrderId, so a retry can never place it twice.
 */
export async function withRetry<T extends { response: Response }>(
  call: () => Promise<T>,
  stats: RetryStats,
  attempts = 8,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const result = await call();
    if (result.response.status !== 429 || attempt >= attempts) return result;
    stats.rateLimited += 1;
    const seconds = Number(result.response.headers.get("Retry-After") ?? "1");
    await sleep(Math.max(1, Number.isFinite(seconds) ? seconds : 1) * 1000);
  }
}
