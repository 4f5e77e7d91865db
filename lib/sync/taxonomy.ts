import { z } from 'zod';

/**
 * A product's category in Shopify's standard product taxonomy. The documents hold its GID
 * (gid://shopify/TaxonomyCategory/aa-1-13): that is what Shopify reads and writes, and what stays
 * equal when Shopify renames a category. People see and type its full name ("Apparel &
 * Accessories > Clothing > Shirts"); server/catalog/taxonomy.ts keeps the names the app has seen.
 */

export const CATEGORY_GID = /^gid:\/\/shopify\/TaxonomyCategory\/[a-z]{2}(?:-\d+)*$/;

export const isCategoryId = (value: unknown): value is string => typeof value === 'string' && CATEGORY_GID.test(value);

export function normalizeCategory(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

/** A category as the field list validates it: a GID (a full name is turned into one before, by the server), or none. */
export const categorySchema = z.union([
  z.null(),
  z
    .string()
    .trim()
    .transform((v) => v || null)
    .refine((v) => v === null || CATEGORY_GID.test(v), {
      message: 'must be a category of Shopify’s product taxonomy, by its full name or its id (gid://shopify/TaxonomyCategory/...)',
    }),
]);

/** A category's id and the full name people read. */
export interface TaxonomyCategoryName {
  id: string;
  fullName: string;
}
