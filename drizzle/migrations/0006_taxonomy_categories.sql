CREATE TABLE "taxonomy_categories" (
	"id" text PRIMARY KEY NOT NULL,
	"full_name" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
