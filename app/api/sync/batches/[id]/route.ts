import { z } from 'zod';
import { BATCH_ITEM_STATUSES } from '@/lib/sync/model';
import { pageParams } from '@/server/db/keyset';
import { route } from '@/server/http/route';
import { batchDetail } from '@/server/push/batch-queries';

export const dynamic = 'force-dynamic';

const query = z
  .object({
    status: z.enum(BATCH_ITEM_STATUSES).optional(),
    ...pageParams(1000, 200),
  })
  .strict();

export const GET = route({ action: 'view', params: z.object({ id: z.uuid() }), query }, async ({ runtime, params, query }) =>
  batchDetail(runtime.db, params.id, query),
);
