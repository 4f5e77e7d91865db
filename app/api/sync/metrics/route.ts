import { z } from 'zod';
import { route } from '@/server/http/route';
import { shopifySignals } from '@/server/metrics/shopify-signals';
import { getSyncMetricsSummary } from '@/server/metrics/summary';

export const dynamic = 'force-dynamic';

const query = z.object({ windowMinutes: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60) });

/** Health indicators (event success, push success, polling failures, activity) and the counts behind them. */
export const GET = route({ action: 'view', query }, async ({ runtime, query }) =>
  getSyncMetricsSummary(runtime.db, shopifySignals(runtime.services), query.windowMinutes),
);
