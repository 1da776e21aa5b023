CREATE TABLE "candles" (
	"market_code" text NOT NULL,
	"symbol" text NOT NULL,
	"tick" integer NOT NULL,
	"t" bigint NOT NULL,
	"price" bigint NOT NULL,
	"volume" bigint NOT NULL,
	CONSTRAINT "candles_market_code_symbol_tick_pk" PRIMARY KEY("market_code","symbol","tick")
);
--> statement-breakpoint
CREATE TABLE "fills" (
	"market_code" text NOT NULL,
	"id" text NOT NULL,
	"order_id" text NOT NULL,
	"player_id" text NOT NULL,
	"symbol" text NOT NULL,
	"side" text NOT NULL,
	"qty" bigint NOT NULL,
	"price" bigint NOT NULL,
	"fee" bigint NOT NULL,
	"t" bigint NOT NULL,
	"tick" integer NOT NULL,
	CONSTRAINT "fills_market_code_id_pk" PRIMARY KEY("market_code","id")
);
--> statement-breakpoint
CREATE TABLE "markets" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"starting_cash" bigint NOT NULL,
	"tick_ms" integer NOT NULL,
	"seed" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	"rules" jsonb NOT NULL,
	"closed_at" bigint,
	"outbox_id" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "news" (
	"market_code" text NOT NULL,
	"id" text NOT NULL,
	"headline" text NOT NULL,
	"body" text NOT NULL,
	"impacts" jsonb NOT NULL,
	"publish_at" bigint NOT NULL,
	"status" text NOT NULL,
	"outbox_id" bigint NOT NULL,
	CONSTRAINT "news_market_code_id_pk" PRIMARY KEY("market_code","id")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"market_code" text NOT NULL,
	"id" text NOT NULL,
	"player_id" text NOT NULL,
	"client_order_id" text NOT NULL,
	"symbol" text NOT NULL,
	"side" text NOT NULL,
	"type" text NOT NULL,
	"qty" bigint NOT NULL,
	"limit_price" bigint,
	"status" text NOT NULL,
	"filled_qty" bigint NOT NULL,
	"filled_value" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "orders_market_code_id_pk" PRIMARY KEY("market_code","id")
);
--> statement-breakpoint
CREATE TABLE "players" (
	"market_code" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"joined_at" bigint NOT NULL,
	CONSTRAINT "players_market_code_id_pk" PRIMARY KEY("market_code","id")
);
--> statement-breakpoint
CREATE TABLE "standings" (
	"market_code" text NOT NULL,
	"player_id" text NOT NULL,
	"name" text NOT NULL,
	"rank" integer NOT NULL,
	"net_worth" bigint NOT NULL,
	"cash" bigint NOT NULL,
	"closed_at" bigint NOT NULL,
	CONSTRAINT "standings_market_code_player_id_pk" PRIMARY KEY("market_code","player_id")
);
--> statement-breakpoint
CREATE TABLE "symbols" (
	"market_code" text NOT NULL,
	"symbol" text NOT NULL,
	"name" text NOT NULL,
	"sector" text NOT NULL,
	"price" bigint NOT NULL,
	"volatility" double precision NOT NULL,
	"liquidity" double precision NOT NULL,
	CONSTRAINT "symbols_market_code_symbol_pk" PRIMARY KEY("market_code","symbol")
);
--> statement-breakpoint
CREATE INDEX "fills_market_player_idx" ON "fills" USING btree ("market_code","player_id");--> statement-breakpoint
CREATE INDEX "fills_market_t_idx" ON "fills" USING btree ("market_code","t");--> statement-breakpoint
CREATE INDEX "orders_market_player_idx" ON "orders" USING btree ("market_code","player_id");--> statement-breakpoint
CREATE INDEX "standings_market_rank_idx" ON "standings" USING btree ("market_code","rank");