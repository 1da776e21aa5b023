import { defineConfig } from "drizzle-kit";

// The market Durable Object's own SQLite schema (durable-sqlite driver). Postgres history
// has its own config in drizzle.pg.config.ts.
export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./worker/market/schema.ts",
  out: "./drizzle/market",
});
