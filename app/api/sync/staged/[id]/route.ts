import { z } from 'zod';
import { route } from '@/server/http/route';
import { getStaged } from '@/server/staging/queries';

export const dynamic = 'force-dynamic';

/** One staged change with base, local and remote per field. */
export const GET = route({ action: 'view', params: z.object({ id: z.uuid() }) }, async ({ runtime, params }) => getStaged(runtime.db, params.id));
