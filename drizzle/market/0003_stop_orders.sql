ALTER TABLE `orders` ADD `stop_price` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `triggered_at` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `reject_reason` text;