import { z } from 'zod';
import { route } from '@/server/http/route';
import { productHistory, productHistoryQuery } from '@/server/push/product-history';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.string().min(1).max(300) });

/** A product's timeline of pushes, adoptions and rollbacks, newest first; `field` narrows it to one field. */
export const GET = route({ action: 'view', params, query: productHistoryQuery }, async ({ runtime, params, query }) =>
  productHistory(runtime.db, params.id, query),
);
