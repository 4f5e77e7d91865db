import { z } from 'zod';
import { OPERATION_KINDS, OPERATION_STATUSES } from '@/lib/sync/model';
import { pageParams } from '@/server/db/keyset';
import { route } from '@/server/http/route';
import { listOperations } from '@/server/operations/present';

export const dynamic = 'force-dynamic';

const query = z.object({
  kind: z.enum(OPERATION_KINDS).optional(),
  status: z.enum(OPERATION_STATUSES).optional(),
  storeId: z.uuid().optional(),
  ...pageParams(),
});

/** Recent operations, newest first. */
export const GET = route({ action: 'view', query }, async ({ runtime, query }) => listOperations(runtime.db, query));
