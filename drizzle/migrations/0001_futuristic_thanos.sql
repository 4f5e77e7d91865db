ALTER TABLE "stores" ADD COLUMN "poll_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "last_poll_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "last_poll_success_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "last_poll_error" text;--> statement-breakpoint
ALTER TABLE "catalog_entities" ADD COLUMN "id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "catalog_entities_id_idx" ON "catalog_entities" USING btree ("id");