import { z } from 'zod';
import { BATCH_ITEM_STATUSES } from '@/lib/sync/model';
import { route } from '@/server/http/route';
import { batchItemsCsv } from '@/server/push/batch-queries';

export const dynamic = 'force-dynamic';

const query = z.object({ status: z.enum(BATCH_ITEM_STATUSES).optional() }).strict();

export const GET = route({ action: 'view', params: z.object({ id: z.uuid() }), query }, async ({ runtime, params, query }) => {
  const csv = await batchItemsCsv(runtime.db, params.id, query.status);
  const name = `batch-${params.id.slice(0, 8)}-${query.status ?? 'all'}-items.csv`;
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
    },
  });
});
