import { z } from 'zod';
import { productsCsvTemplate } from '@/server/catalog/product-csv';
import { route } from '@/server/http/route';
import { resolveStore } from '@/server/stores/resolve';

export const dynamic = 'force-dynamic';

/** The columns of Shopify's product CSV as the import reads them (the store's locations included) and one example row. */
export const GET = route(
  { action: 'view', query: z.object({ storeId: z.uuid().optional() }) },
  async ({ runtime, query, scopeStoreId }) => {
    const store = await resolveStore(runtime.db, query.storeId ?? scopeStoreId);
    return new Response(await productsCsvTemplate(runtime.db, store.id), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="products-template.csv"',
        'cache-control': 'no-store',
      },
    });
  },
);
