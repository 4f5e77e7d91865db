import { z } from 'zod';
import { notFound } from '@/lib/errors';
import { route } from '@/server/http/route';
import { presentOperation } from '@/server/operations/present';

export const dynamic = 'force-dynamic';

/** Seed alias: the status of a sync-down is its pull operation. */
export const GET = route({ action: 'operate', params: z.object({ batchId: z.uuid() }) }, async ({ runtime, params }) => {
  const op = await runtime.operations.get(params.batchId);
  if (op.kind !== 'pull') throw notFound('sync_down', params.batchId);
  return { batchId: op.id, ...presentOperation(op) };
});
