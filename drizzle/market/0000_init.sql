CREATE TABLE `fills` (
	`no` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`order_id` text NOT NULL,
	`player_id` text NOT NULL,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`qty` integer NOT NULL,
	`price` integer NOT NULL,
	`fee` integer NOT NULL,
	`t` integer NOT NULL,
	`tick` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `fills_player` ON `fills` (`player_id`,`no`);--> statement-breakpoint
CREATE TABLE `market` (
	`id` integer PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`tick_ms` integer NOT NULL,
	`starting_cash` integer NOT NULL,
	`seed` integer NOT NULL,
	`rules` text NOT NULL,
	`created_at` integer NOT NULL,
	`tick` integer NOT NULL,
	`seq` integer NOT NULL,
	`last_tick_at` integer NOT NULL,
	`rng` text NOT NULL,
	`symbols` text NOT NULL,
	`counters` text NOT NULL,
	`drain` text
);
--> statement-breakpoint
CREATE TABLE `news` (
	`id` text PRIMARY KEY NOT NULL,
	`no` integer NOT NULL,
	`headline` text NOT NULL,
	`body` text NOT NULL,
	`impacts` text NOT NULL,
	`publish_at` integer NOT NULL,
	`status` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `news_status` ON `news` (`status`,`publish_at`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`no` integer NOT NULL,
	`player_id` text NOT NULL,
	`client_order_id` text NOT NULL,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`type` text NOT NULL,
	`qty` integer NOT NULL,
	`limit_price` integer,
	`status` text NOT NULL,
	`filled_qty` integer NOT NULL,
	`filled_value` integer NOT NULL,
	`reserved_cash` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_client_id` ON `orders` (`player_id`,`client_order_id`);--> statement-breakpoint
CREATE INDEX `orders_open` ON `orders` (`status`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `players` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`cash` integer NOT NULL,
	`reserved` integer NOT NULL,
	`positions` text NOT NULL,
	`open_orders` integer NOT NULL,
	`joined_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `players_name_key` ON `players` (`name_key`);--> statement-breakpoint
CREATE TABLE `ticks` (
	`tick` integer PRIMARY KEY NOT NULL,
	`t` integer NOT NULL,
	`prices` text NOT NULL,
	`volumes` text NOT NULL
);
