CREATE TABLE "scheduled_operations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"change_ids" uuid[] DEFAULT '{}' NOT NULL,
	"apply_id" uuid,
	"batch_id" uuid,
	"priority" text,
	"created_by" text NOT NULL,
	"cancelled_by" text,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "scheduled_operations" ADD CONSTRAINT "scheduled_operations_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "scheduled_operations_status_run_idx" ON "scheduled_operations" USING btree ("status","run_at");--> statement-breakpoint
CREATE INDEX "scheduled_operations_store_idx" ON "scheduled_operations" USING btree ("store_id","run_at");