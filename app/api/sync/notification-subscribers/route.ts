import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { notificationSubscribers } from '@/drizzle/schema';
import { route } from '@/server/http/route';
import { checkSubscriberUrl, listSubscribers, presentSubscriber } from '@/server/push/subscribers';

export const dynamic = 'force-dynamic';

const body = z
  .object({
    url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
    secret: z.string().min(16, 'must be at least 16 characters').max(200).optional(),
    events: z
      .array(z.enum(['batch.completed']))
      .min(1)
      .default(['batch.completed']),
    storeId: z.uuid().nullable().optional(),
    active: z.boolean().default(true),
  })
  .strict();

export const GET = route({ action: 'settings' }, async ({ runtime }) => {
  const items = await listSubscribers(runtime.db);
  return { items, total: items.length, nextCursor: null };
});

export const POST = route(
  { action: 'settings', body, audit: 'notification_subscriber.create', status: 201 },
  async ({ runtime, body, principal, audit }) => {
    await checkSubscriberUrl(body.url, runtime.config.ALLOW_PRIVATE_NOTIFICATION_TARGETS ?? false);
    const secret = body.secret ?? randomBytes(24).toString('base64url');
    const [sub] = await runtime.db
      .insert(notificationSubscribers)
      .values({
        url: body.url,
        secret,
        events: body.events,
        storeId: body.storeId ?? null,
        active: body.active,
        createdBy: principal.email ?? principal.id,
      })
      .returning();
    audit({ entityType: 'notification_subscriber', entityId: sub!.id, details: { url: sub!.url, events: sub!.events } });
    // The secret is shown once, at creation, so the receiver can verify signatures.
    return { ...presentSubscriber(sub!), secret };
  },
);
