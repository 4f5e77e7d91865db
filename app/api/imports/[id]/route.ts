import { z } from 'zod';
import { route } from '@/server/http/route';
import { getImport } from '@/server/ingest/imports/service';

export const dynamic = 'force-dynamic';

/** An import: status, mapping, counts and the per-row error report. */
export const GET = route({ action: 'edit', params: z.object({ id: z.uuid() }) }, async ({ runtime, params }) =>
  getImport(runtime, params.id),
);
