import { sql } from 'drizzle-orm';
import { AppError } from '../../lib/errors';
import { CATEGORY_GID, isCategoryId, type TaxonomyCategoryName } from '../../lib/sync/taxonomy';
import type { Executor } from '../db/client';
import { pgTextArray, queryRows } from '../db/rows';

/**
 * The names of taxonomy categories (drizzle/schema/taxonomy.ts). Documents keep a category's GID;
 * what people read and type is its full name. Names come from where the app meets them: every
 * pull writes the `{id, fullName}` of the categories its products have (writeRemote), and a name a
 * person types that no pull has brought is looked up in Shopify's taxonomy (`search`) and kept.
 * A table rather than a copy in each document: one name per category, renamed in one place when
 * Shopify renames it, and every value of every side (local, base, remote, a batch's before and
 * after) finds its name, including a category no product in Shopify has yet.
 */

export async function rememberCategories(db: Executor, categories: readonly TaxonomyCategoryName[]): Promise<void> {
  let unique = [...new Map(categories.filter((c) => isCategoryId(c.id) && c.fullName).map((c) => [c.id, c.fullName]))];
  if (unique.length === 0) return;
  // Names already known are only read: an upsert locks the rows it meets even when it changes
  // nothing, and two pull chunks writing at once would then wait on each other's commit.
  const known = await categoryNames(
    db,
    unique.map(([id]) => id),
  );
  unique = unique.filter(([id, name]) => known.get(id) !== name);
  if (unique.length === 0) return;
  await db.execute(sql`
    insert into taxonomy_categories (id, full_name)
    select * from unnest(${pgTextArray(unique.map(([id]) => id))}::text[], ${pgTextArray(unique.map(([, name]) => name))}::text[])
    on conflict (id) do update set full_name = excluded.full_name, updated_at = now()
      where taxonomy_categories.full_name is distinct from excluded.full_name`);
}

/** The full names of the categories among `values` (other values are ignored), by GID. */
export async function categoryNames(db: Executor, values: Iterable<unknown>): Promise<Map<string, string>> {
  const ids = [...new Set([...values].filter(isCategoryId))];
  if (ids.length === 0) return new Map();
  const rows = await queryRows<{ id: string; full_name: string }>(
    db,
    sql`select id, full_name from taxonomy_categories where id = any(${pgTextArray(ids)}::text[])`,
  );
  return new Map(rows.map((r) => [r.id, r.full_name]));
}

/** Categories of Shopify's taxonomy matching a search, asked of the store's Shopify (searchTaxonomyCategories). */
export type CategorySearch = (storeId: string, search: string) => Promise<TaxonomyCategoryName[]>;

/**
 * A category a person gave, by GID or full name (case-insensitive), as its GID and name; a reason
 * when the taxonomy has no such category. A name no pull brought is searched in Shopify's taxonomy
 * by its last part (the category's own name) and must match a full name exactly.
 */
export async function resolveCategory(
  db: Executor,
  storeId: string,
  input: string,
  search?: CategorySearch,
): Promise<{ category: TaxonomyCategoryName } | { reason: string }> {
  const given = input.trim();
  if (CATEGORY_GID.test(given)) {
    const name = (await categoryNames(db, [given])).get(given);
    return name
      ? { category: { id: given, fullName: name } }
      : { reason: `${given} is not a category this app has seen in Shopify's taxonomy: give the category's full name` };
  }
  const wanted = given.replace(/\s*>\s*/g, ' > ').toLowerCase();
  const [known] = await queryRows<{ id: string; full_name: string }>(
    db,
    sql`select id, full_name from taxonomy_categories where lower(full_name) = ${wanted} order by id limit 1`,
  );
  if (known) return { category: { id: known.id, fullName: known.full_name } };
  const leaf = given.split('>').pop()!.trim();
  let matches: TaxonomyCategoryName[] = [];
  try {
    matches = leaf && search ? await search(storeId, leaf) : [];
  } catch (err) {
    return { reason: `the category "${given}" could not be looked up in Shopify's taxonomy (${(err as Error).message})` };
  }
  const found = matches.find((c) => c.fullName.toLowerCase() === wanted);
  if (!found)
    return { reason: `Shopify's product taxonomy has no category named "${given}" (give its full name, like "Home & Garden > Decor")` };
  await rememberCategories(db, [found]);
  return { category: found };
}

/**
 * A reviewer's custom category (an approval's `resolution.category.value`) given by full name, as
 * its GID; a name the app has not met is refused (a reviewer picks among categories seen in review).
 */
export async function withCustomCategory<B extends { resolution?: unknown }>(db: Executor, body: B): Promise<B> {
  const resolution = body.resolution;
  if (!resolution || typeof resolution !== 'object') return body;
  const choice = (resolution as Record<string, unknown>).category;
  if (!choice || typeof choice !== 'object' || typeof (choice as { value?: unknown }).value !== 'string') return body;
  const value = (choice as { value: string }).value;
  if (value.trim() === '' || CATEGORY_GID.test(value.trim())) return body;
  return { ...body, resolution: { ...resolution, category: { value: await categoryIdOf(db, '', value) } } };
}

/** resolveCategory for an edit: the GID, or a validation error naming the field. */
export async function categoryIdOf(db: Executor, storeId: string, input: string, search?: CategorySearch): Promise<string> {
  const resolved = await resolveCategory(db, storeId, input, search);
  if ('reason' in resolved) throw new AppError('validation', resolved.reason, [{ path: 'category', message: resolved.reason }]);
  return resolved.category.id;
}
