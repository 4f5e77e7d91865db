import { asc, desc, eq } from 'drizzle-orm';
import { type NotificationSubscriber, notificationAttempts, notificationSubscribers } from '../../drizzle/schema';
import { notFound } from '../../lib/errors';
import type { Executor } from '../db/client';
import { resolveTarget } from './outbound';

/** A subscriber as the API shows it: never its secret (shown once at creation). */
export function presentSubscriber(s: NotificationSubscriber) {
  return {
    id: s.id,
    storeId: s.storeId,
    url: s.url,
    events: s.events,
    active: s.active,
    createdBy: s.createdBy,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

/** A subscriber URL must point at a public address when saved (checked again at every send: server/push/outbound.ts). */
export async function checkSubscriberUrl(url: string, allowPrivate: boolean): Promise<void> {
  await resolveTarget(url, allowPrivate);
}

export async function listSubscribers(db: Executor) {
  return (await db.select().from(notificationSubscribers).orderBy(asc(notificationSubscribers.createdAt))).map(presentSubscriber);
}

export async function getSubscriber(db: Executor, id: string): Promise<NotificationSubscriber> {
  const [s] = await db.select().from(notificationSubscribers).where(eq(notificationSubscribers.id, id));
  if (!s) throw notFound('notification_subscriber', id);
  return s;
}

export async function listAttempts(db: Executor, subscriberId: string, limit: number) {
  const rows = await db
    .select()
    .from(notificationAttempts)
    .where(eq(notificationAttempts.subscriberId, subscriberId))
    .orderBy(desc(notificationAttempts.at))
    .limit(limit);
  return rows.map((a) => ({ ...a, at: a.at.toISOString() }));
}
