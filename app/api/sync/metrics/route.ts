import { z } from 'zod';
import { route } from '@/server/http/route';
import { getSyncMetricsSummary } from '@/server/metrics/summary';
import { syncMetrics } from '@/server/push/metrics';

export const dynamic = 'force-dynamic';

const query = z
  .object({
    /** Window of the push and batch summary. */
    windowHours: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(24),
    /** Window of the health rates (event success, push delivery success). */
    windowMinutes: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(60),
  })
  .strict();

/** The sync summary (staged, batches, push, notifications) with the health indicators and the counts behind them. */
export const GET = route({ action: 'view', query }, async ({ runtime, services, query }) => ({
  ...(await syncMetrics(runtime.db, query.windowHours)),
  ...(await getSyncMetricsSummary(runtime.db, services.shopify, query.windowMinutes, services.webhooks.refusals.lastHour())),
}));
