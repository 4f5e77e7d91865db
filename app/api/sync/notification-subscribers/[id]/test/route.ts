import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { route } from '@/server/http/route';
import { getSubscriber } from '@/server/push/subscribers';

export const dynamic = 'force-dynamic';

/** Sends the subscriber a signed `test` event now, once; answers the attempt (delivered or failed, with the reason). */
export const POST = route(
  { action: 'settings', params: z.object({ id: z.uuid() }), audit: 'notification_subscriber.test' },
  async ({ runtime, services, params, audit }) => {
    const sub = await getSubscriber(runtime.db, params.id);
    if (!services.notifier)
      throw new AppError('conflict:notifications_off', 'Notifications are not running in this process (no job queue)');
    const attempt = await services.notifier.sendTest(sub);
    audit({ entityType: 'notification_subscriber', entityId: sub.id, details: { status: attempt.status, httpStatus: attempt.httpStatus } });
    return { ...attempt, at: attempt.at.toISOString() };
  },
);
