import { z } from 'zod';
import { getProduct } from '@/server/catalog/products';
import { route } from '@/server/http/route';
import { createVariantInMaster, newVariantSchema } from '@/server/ingest/creates';
import { listStaged } from '@/server/staging/queries';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.string().min(1).max(300) });

/** A new variant of a product (by id or Shopify GID): written to the master, staged as an outgoing create. */
export const POST = route(
  { action: 'edit', params, body: newVariantSchema, audit: 'variant.create', status: 201 },
  async ({ runtime, params, body, audit }) => {
    const { product, variantKey, result } = await createVariantInMaster(runtime.db, runtime.hub, params.id, body, 'edit', runtime.logger);
    audit({ entityType: 'variant', entityId: variantKey, storeId: product.store_id, details: { product: product.key } });
    const changes = await listStaged(runtime.db, { storeId: product.store_id, productId: product.key, limit: 500 });
    return { product: await getProduct(runtime.db, product.id), staged: changes.items, counts: result.counts };
  },
);
