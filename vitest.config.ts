import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Settings for the suites that need real services. They are handed to the Worker as
// bindings; a suite whose settings are empty says so and skips (test/postgres/setup.ts, test/redis/settings.ts).
const serviceBindings = {
  DATABASE_URL: process.env.DATABASE_URL ?? "",
  PG_WS_PROXY: process.env.PG_WS_PROXY ?? "",
  UPSTASH_REDIS_REST_URL: process.env.UPSTASH_REDIS_REST_URL ?? "",
  UPSTASH_REDIS_REST_TOKEN: process.env.UPSTASH_REDIS_REST_TOKEN ?? "",
};

// The Worker's secrets in the workerd suites. wrangler.toml declares ADMIN_TOKEN and
// JWT_SECRET as required, and the plugin reads them from process.env (it warns when they
// are missing there), so they are set there as well as handed over as bindings.
const TEST_SECRETS = {
  ADMIN_TOKEN: "test-admin-token",
  JWT_SECRET: "test-jwt-secret-at-least-32-characters-long",
};
Object.assign(process.env, TEST_SECRETS);

export default defineConfig({
  test: {
    projects: [
      {
        // The pure engine and other plain modules, in Node.
        // Property tests run thousands of sessions: a busy machine may take several times
        // the idle figure, and a limit is there to catch a hang, not to time the engine.
        test: {
          name: "unit",
          include: ["test/node/**/*.test.ts", "test/redis-node/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
      {
        // The Worker, the Durable Objects and the service integrations, inside workerd.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ...serviceBindings,
                ...TEST_SECRETS,
              },
            },
          }),
        ],
        // These talk to workerd, and some to the real Postgres and Redis: real I/O on a machine
        // that CI may share with another busy process, so the limit is generous. Time inside
        // the markets comes from a clock the tests step (test/support/clock.ts).
        test: {
          name: "workers",
          include: ["test/workerd/**/*.test.ts", "test/postgres/**/*.test.ts", "test/redis/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          setupFiles: ["test/support/workerdSetup.ts"],
        },
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
          // wrangler dev serves web/dist: the production build, made once (test/support/webBuild.ts).
          globalSetup: ["test/support/webBuild.ts"],
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
          globalSetup: ["test/support/webBuild.ts"],
        },
      },
    ],
  },
});
