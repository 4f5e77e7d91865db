import { z } from 'zod';
import { route } from '@/server/http/route';
import { syncMetrics } from '@/server/push/metrics';

export const dynamic = 'force-dynamic';

const query = z.object({ windowHours: z.coerce.number().int().min(1).max(24 * 90).default(24) }).strict();

export const GET = route({ action: 'view', query }, async ({ runtime, query }) => syncMetrics(runtime.db, query.windowHours));
