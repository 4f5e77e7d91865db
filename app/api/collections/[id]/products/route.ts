import { z } from 'zod';
import { collectionProductsQuery, listCollectionProducts } from '@/server/catalog/collections';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/** The products of a collection, with each membership's state in the master and in Shopify. */
export const GET = route(
  { action: 'view', params: z.object({ id: z.string().min(1).max(300) }), query: collectionProductsQuery },
  async ({ runtime, params, query }) => listCollectionProducts(runtime.db, params.id, query),
);
