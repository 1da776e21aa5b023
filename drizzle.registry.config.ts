import { defineConfig } from "drizzle-kit";

// The market registry Durable Object's SQLite schema (durable-sqlite driver).
export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./worker/registry/schema.ts",
  out: "./drizzle/registry",
});
