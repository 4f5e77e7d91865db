import type { TaxonomyCategoryName } from '../sync/taxonomy';
import type { ShopifyTransport } from './client';
import { searchTaxonomyCategoriesQuery } from './documents';
import { type Connection, nodesOf } from './reshape';

/** Categories of Shopify's product taxonomy whose names match `search` (at most `first`). */
export async function searchTaxonomyCategories(t: ShopifyTransport, search: string, first = 25): Promise<TaxonomyCategoryName[]> {
  const { data } = await t.request<{ taxonomy: { categories: Connection<TaxonomyCategoryName> } }>(searchTaxonomyCategoriesQuery, {
    search,
    first,
  });
  return nodesOf(data.taxonomy.categories).map((c) => ({ id: c.id, fullName: c.fullName }));
}
