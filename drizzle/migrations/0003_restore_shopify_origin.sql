ALTER TABLE "staged_changes" ADD COLUMN "origin" text;--> statement-breakpoint
ALTER TABLE "staged_changes" ADD COLUMN "origin_change_id" uuid;