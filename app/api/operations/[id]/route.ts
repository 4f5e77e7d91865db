import { z } from 'zod';
import { route } from '@/server/http/route';
import { presentOperation } from '@/server/operations/present';

export const dynamic = 'force-dynamic';

export const GET = route({ action: 'view', params: z.object({ id: z.uuid() }) }, async ({ runtime, params }) =>
  presentOperation(await runtime.operations.get(params.id)),
);
