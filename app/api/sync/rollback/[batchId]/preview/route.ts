import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

const query = z.object({ itemIds: z.string().optional() }).strict();

export const GET = route({ action: 'rollback', params: z.object({ batchId: z.uuid() }), query }, async ({ services, params, query }) => {
  const parsed = z.array(z.uuid()).safeParse(query.itemIds?.split(',').filter(Boolean) ?? []);
  if (!parsed.success) throw new AppError('validation:item_ids', 'itemIds must be a comma-separated list of item ids');
  const itemIds = parsed.data.length ? parsed.data : undefined;
  return services.push.previewRollback(params.batchId, itemIds);
});
