ALTER TABLE "catalog_entities" ADD COLUMN "remote_fingerprint" text;--> statement-breakpoint
-- The fingerprint holds only while what it hashes is what the pull wrote: any other write of
-- Shopify's side (a push settling, a row marked gone) that does not set a new one clears it.
CREATE FUNCTION catalog_entities_fingerprint_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.remote_fingerprint IS NOT DISTINCT FROM OLD.remote_fingerprint
     AND (NEW.remote IS DISTINCT FROM OLD.remote OR NEW.meta IS DISTINCT FROM OLD.meta
          OR NEW.remote_updated_at IS DISTINCT FROM OLD.remote_updated_at OR NEW.product_key IS DISTINCT FROM OLD.product_key) THEN
    NEW.remote_fingerprint := NULL;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER catalog_entities_fingerprint_guard BEFORE UPDATE ON catalog_entities
  FOR EACH ROW EXECUTE FUNCTION catalog_entities_fingerprint_guard();
