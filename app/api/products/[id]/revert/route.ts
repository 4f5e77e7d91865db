import { z } from 'zod';
import { route } from '@/server/http/route';
import { revertProduct, revertSchema } from '@/server/ingest/revert';
import { listStaged } from '@/server/staging/queries';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.string().min(1).max(300) });

/**
 * Reverts the product (or some fields) to how it was at `at`: the differences are staged as outgoing
 * changes for review (a local edit; nothing reaches Shopify before someone approves and pushes).
 * `dryRun` answers the plan only.
 */
export const POST = route(
  { action: 'edit', params, body: revertSchema, audit: 'product.revert' },
  async ({ runtime, params, body, audit }) => {
    const result = await revertProduct(runtime.db, runtime.hub, params.id, body, runtime.logger);
    audit({
      entityType: 'product',
      entityId: result.product.key,
      storeId: result.product.storeId,
      details: { at: result.at, fields: body.fields ?? null, dryRun: body.dryRun ?? false, staged: result.changeIds.length },
    });
    const ids = new Set(result.changeIds);
    const staged = ids.size
      ? (await listStaged(runtime.db, { storeId: result.product.storeId, productId: result.product.key, limit: 500 })).items.filter((c) =>
          ids.has(c.id),
        )
      : [];
    const fields = result.planned.reduce((n, e) => n + e.fields.length, 0);
    const message = body.dryRun
      ? fields === 0
        ? 'Nothing differs from how the product was then: nothing would be staged'
        : `${fields} field(s) differ from how the product was then`
      : staged.length === 0
        ? 'Nothing differs from how the product was then: nothing was staged'
        : `${staged.length} change(s) staged for review`;
    return { ...result, staged, message };
  },
);
