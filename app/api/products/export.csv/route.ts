import { productExportQuery, productsCsv } from '@/server/catalog/product-csv';
import { route } from '@/server/http/route';
import { resolveStore } from '@/server/stores/resolve';

export const dynamic = 'force-dynamic';

/** The master's products (all, or the Products page's filter) as Shopify's product CSV, streamed page by page. */
export const GET = route({ action: 'view', query: productExportQuery }, async ({ runtime, query, scopeStoreId }) => {
  const { storeId, ...filter } = query;
  const store = await resolveStore(runtime.db, storeId ?? scopeStoreId);
  const chunks = productsCsv(runtime.db, store.id, filter);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="products-${date}.csv"`,
      'cache-control': 'no-store',
    },
  });
});
