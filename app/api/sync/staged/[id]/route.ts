import { z } from 'zod';
import { route } from '@/server/http/route';
import { entityHistory } from '@/server/review/history';
import { getStaged } from '@/server/staging/queries';

export const dynamic = 'force-dynamic';

/** One staged change with base, local and remote per field, and the history of its entity's changes (decisions, reasons). */
export const GET = route({ action: 'view', params: z.object({ id: z.uuid() }) }, async ({ runtime, params }) => {
  const change = await getStaged(runtime.db, params.id);
  return { ...change, history: await entityHistory(runtime.db, change) };
});
