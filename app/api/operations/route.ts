import { z } from 'zod';
import { OPERATION_KINDS, OPERATION_STATUSES } from '@/lib/sync/model';
import { route } from '@/server/http/route';
import { listOperations } from '@/server/operations/present';

export const dynamic = 'force-dynamic';

const query = z.object({
  kind: z.enum(OPERATION_KINDS).optional(),
  status: z.enum(OPERATION_STATUSES).optional(),
  storeId: z.uuid().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Recent operations, newest first. */
export const GET = route({ action: 'view', query }, async ({ runtime, query }) => listOperations(runtime.db, query));
