import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Settings for the suites that need real services. They are handed to the Worker as
// bindings; a suite whose settings are empty says so and skips (see test/services.ts).
const serviceBindings = {
  DATABASE_URL: process.env.DATABASE_URL ?? "",
  PG_WS_PROXY: process.env.PG_WS_PROXY ?? "",
  UPSTASH_REDIS_REST_URL: process.env.UPSTASH_REDIS_REST_URL ?? "",
  UPSTASH_REDIS_REST_TOKEN: process.env.UPSTASH_REDIS_REST_TOKEN ?? "",
};

export default defineConfig({
  test: {
    projects: [
      {
        // The pure engine and other plain modules, in Node.
        test: { name: "unit", include: ["test/unit/**/*.test.ts", "test/engine/**/*.test.ts", "test/bridge/**/*.test.ts"], environment: "node" },
      },
      {
        // The Worker, the Durable Objects and the service integrations, inside workerd.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ...serviceBindings,
                ADMIN_TOKEN: "test-admin-token",
                JWT_SECRET: "test-jwt-secret-at-least-32-characters-long",
              },
            },
          }),
        ],
        test: { name: "workers", include: ["test/worker/**/*.test.ts", "test/history/**/*.test.ts", "test/redis/**/*.test.ts"] },
      },
      {
        // End-to-end runs against `wrangler dev` (Postgres outage).
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // The web app in headless Chromium against `wrangler dev`.
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
