#!/usr/bin/env node
// Applies the Postgres history migrations (drizzle/pg) to DATABASE_URL.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run db:migrate
//
// It talks to Postgres directly over TCP with node-postgres (`pg`), not through the
// WebSocket proxy the Worker needs, so it also works against Neon's direct URL. Already
// applied migrations are recorded in drizzle.__drizzle_migrations and skipped, so running
// it again is harmless. Without DATABASE_URL it says so and exits 0: the app then runs on
// the markets' own SQLite alone.
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { fileURLToPath } from "node:url";

const url = process.env.DATABASE_URL;
if (!url) {
  console.warn("db:migrate: DATABASE_URL is not set; nothing to migrate (the markets run on SQLite alone).");
  process.exit(0);
}

const migrationsFolder = fileURLToPath(new URL("../drizzle/pg", import.meta.url));
const pool = new pg.Pool({ connectionString: url, max: 1 });
try {
  await migrate(drizzle(pool), { migrationsFolder });
  const { rows } = await pool.query("select count(*)::int as n from drizzle.__drizzle_migrations");
  console.log(
    `db:migrate: ${new URL(url).host}${new URL(url).pathname} is up to date (${rows[0].n} migration(s) applied).`,
  );
} catch (err) {
  console.error(`db:migrate failed: ${err instanceof Error ? err.message : err}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
