import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { notificationSubscribers } from '@/drizzle/schema';
import { route } from '@/server/http/route';
import { checkSubscriberUrl, getSubscriber, presentSubscriber } from '@/server/push/subscribers';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.uuid() });
const patch = z
  .object({
    url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    events: z
      .array(z.enum(['batch.completed']))
      .min(1)
      .optional(),
    active: z.boolean().optional(),
  })
  .strict();

export const GET = route({ action: 'settings', params }, async ({ runtime, params }) =>
  presentSubscriber(await getSubscriber(runtime.db, params.id)),
);

export const PATCH = route(
  { action: 'settings', params, body: patch, audit: 'notification_subscriber.update' },
  async ({ runtime, params, body, audit }) => {
    await getSubscriber(runtime.db, params.id);
    if (body.url) await checkSubscriberUrl(body.url, runtime.config.ALLOW_PRIVATE_NOTIFICATION_TARGETS ?? false);
    const [sub] = await runtime.db
      .update(notificationSubscribers)
      .set({ ...body, updatedAt: sql`now()` })
      .where(eq(notificationSubscribers.id, params.id))
      .returning();
    audit({ entityType: 'notification_subscriber', entityId: params.id, details: body });
    return presentSubscriber(sub!);
  },
);

export const DELETE = route({ action: 'settings', params, audit: 'notification_subscriber.delete' }, async ({ runtime, params, audit }) => {
  const sub = await getSubscriber(runtime.db, params.id);
  await runtime.db.delete(notificationSubscribers).where(eq(notificationSubscribers.id, params.id));
  audit({ entityType: 'notification_subscriber', entityId: params.id, details: { url: sub.url } });
  return { ok: true };
});
