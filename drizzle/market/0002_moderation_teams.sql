ALTER TABLE `market` ADD `teams` text;--> statement-breakpoint
ALTER TABLE `market` ADD `moderation` text;--> statement-breakpoint
ALTER TABLE `players` ADD `team` text;--> statement-breakpoint
ALTER TABLE `players` ADD `removed_at` integer;