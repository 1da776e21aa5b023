import { defineConfig } from "drizzle-kit";

// Migrations for the Postgres history (worker/history/schema.ts). `npm run db:generate`
// writes a new migration into drizzle/pg after a schema change; `npm run db:migrate`
// applies them to DATABASE_URL. Other stores may later keep their own folders in drizzle/.
export default defineConfig({
  dialect: "postgresql",
  schema: "./worker/history/schema.ts",
  out: "./drizzle/pg",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test" },
});
