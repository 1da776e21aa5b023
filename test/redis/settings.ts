// Whether the Redis suites can run: they need the Worker's Upstash settings, pointing
// at Upstash or at the dev bridge (npm run redis:bridge).
import { env } from "cloudflare:workers";

const vars = env as unknown as Record<string, string | undefined>;

export function upstashConfigured(suite: string): boolean {
  const missing = ["UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN"].filter((name) => !vars[name]);
  if (missing.length > 0) {
    console.warn(
      `[${suite}] SKIPPED: ${missing.join(" and ")} not set. Start the bridge (npm run redis:bridge) and run with ` +
        "UPSTASH_REDIS_REST_URL=http://127.0.0.1:8079 UPSTASH_REDIS_REST_TOKEN=dev-token.",
    );
  }
  return missing.length === 0;
}

export const unique = (name: string) => `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
