import type { Args, EmulatorContext } from '../context';
import { byGid, gid, ID_START, type WebhookSubscriptionRecord } from '../state';
import { WebhookSubscriptionView } from '../views/webhook';
import { logWrite } from './common';

type SubscriptionInput = { uri?: string; callbackUrl?: string; format?: 'JSON' | 'XML'; includeFields?: string[]; filter?: string };

/** A subscription belongs to the app (token) that made it; one per topic and address. */
export function webhookSubscriptionCreate(args: Args, ctx: EmulatorContext) {
  const input = args.webhookSubscription as SubscriptionInput;
  const uri = input.uri ?? input.callbackUrl;
  if (!uri || !/^https?:\/\/\S+$/.test(uri))
    return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'uri'], message: 'Address is invalid' }] };
  const topic = args.topic as string;
  const taken = [...ctx.state.webhookSubscriptions.values()].some((w) => w.token === ctx.token && w.topic === topic && w.uri === uri);
  if (taken)
    return {
      webhookSubscription: null,
      userErrors: [{ field: ['webhookSubscription', 'uri'], message: 'Address for this topic has already been taken' }],
    };
  const now = ctx.state.now();
  const id = ctx.state.nextId('webhook', ID_START.webhook);
  const record: WebhookSubscriptionRecord = {
    id,
    topic,
    uri,
    format: input.format ?? 'JSON',
    includeFields: input.includeFields ?? [],
    filter: input.filter ?? null,
    token: ctx.token,
    createdAt: now,
    updatedAt: now,
  };
  ctx.state.webhookSubscriptions.set(id, record);
  logWrite(ctx, 'webhookSubscriptionCreate', [gid('WebhookSubscription', id)], args);
  return { webhookSubscription: new WebhookSubscriptionView(record, ctx), userErrors: [] };
}

export function webhookSubscriptionDelete(args: Args, ctx: EmulatorContext) {
  const record = byGid(ctx.state.webhookSubscriptions, args.id, 'WebhookSubscription');
  if (!record || record.token !== ctx.token)
    return { deletedWebhookSubscriptionId: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] };
  ctx.state.webhookSubscriptions.delete(record.id);
  logWrite(ctx, 'webhookSubscriptionDelete', [gid('WebhookSubscription', record.id)], args);
  return { deletedWebhookSubscriptionId: gid('WebhookSubscription', record.id), userErrors: [] };
}
