import { z } from 'zod';
import { BATCH_KINDS, BATCH_STATUSES } from '@/lib/sync/model';
import { pageParams } from '@/server/db/keyset';
import { route } from '@/server/http/route';
import { listBatches } from '@/server/push/batch-queries';

export const dynamic = 'force-dynamic';

const query = z
  .object({
    storeId: z.uuid().optional(),
    kind: z.enum(BATCH_KINDS).optional(),
    status: z.enum(BATCH_STATUSES).optional(),
    /** Batches touching a product whose title or handle, or a variant's SKU, contains this text. */
    q: z.string().trim().max(200).optional(),
    ...pageParams(),
  })
  .strict();

export const GET = route({ action: 'view', query }, async ({ runtime, query, scopeStoreId }) =>
  listBatches(runtime.db, { ...query, storeId: query.storeId ?? scopeStoreId }),
);
