import { z } from 'zod';
import { BATCH_KINDS, BATCH_STATUSES } from '@/lib/sync/model';
import { route } from '@/server/http/route';
import { listBatches } from '@/server/push/batch-queries';

export const dynamic = 'force-dynamic';

const query = z
  .object({
    storeId: z.uuid().optional(),
    kind: z.enum(BATCH_KINDS).optional(),
    status: z.enum(BATCH_STATUSES).optional(),
    cursor: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const GET = route({ action: 'view', query }, async ({ runtime, query }) => listBatches(runtime.db, query));
