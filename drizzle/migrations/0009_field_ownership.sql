CREATE TABLE "field_ownership_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"field" text NOT NULL,
	"owner" text NOT NULL,
	"preset" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "field_ownership_rules" ADD CONSTRAINT "field_ownership_rules_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "field_ownership_rules_field_idx" ON "field_ownership_rules" USING btree ("store_id","entity","field");