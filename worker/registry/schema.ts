/** The registry object's table: one row per market, for listing and nothing on the hot path. */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const markets = sqliteTable(
  "markets",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    status: text("status").notNull(),
    /** Players when the market last reported (creation, each status change); final once closed. */
    players: integer("players").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("markets_created").on(t.createdAt)],
);
