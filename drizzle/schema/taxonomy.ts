import { pgTable, text } from 'drizzle-orm/pg-core';
import { updatedAt } from './columns';

/**
 * Names of Shopify's product taxonomy categories the app has seen (server/catalog/taxonomy.ts):
 * documents hold a category's GID, people read its full name. Filled by every pull (a product's
 * `category { id fullName }`) and by every name a person's edit or import resolved through
 * Shopify's taxonomy. The taxonomy is Shopify's, the same for every store: one row per GID.
 */
export const taxonomyCategories = pgTable('taxonomy_categories', {
  id: text('id').primaryKey(),
  fullName: text('full_name').notNull(),
  updatedAt: updatedAt(),
});
export type TaxonomyCategory = typeof taxonomyCategories.$inferSelect;
