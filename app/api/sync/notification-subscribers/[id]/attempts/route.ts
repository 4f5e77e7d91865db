import { z } from 'zod';
import { route } from '@/server/http/route';
import { getSubscriber, listAttempts } from '@/server/push/subscribers';

export const dynamic = 'force-dynamic';

const query = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

export const GET = route({ action: 'settings', params: z.object({ id: z.uuid() }), query }, async ({ runtime, params, query }) => {
  await getSubscriber(runtime.db, params.id);
  const items = await listAttempts(runtime.db, params.id, query.limit);
  return { items, total: items.length, nextCursor: null };
});
