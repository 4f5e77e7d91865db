import { z } from 'zod';
import { getCollection } from '@/server/catalog/collections';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/** One collection by id or Shopify GID. */
export const GET = route({ action: 'view', params: z.object({ id: z.string().min(1).max(300) }) }, async ({ runtime, params }) =>
  getCollection(runtime.db, params.id),
);
