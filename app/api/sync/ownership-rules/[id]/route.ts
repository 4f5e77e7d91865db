import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { fieldOwnershipRules } from '@/drizzle/schema';
import { route } from '@/server/http/route';
import {
  enableOwnership,
  getOwnershipRule,
  ownershipPatch,
  presentOutcome,
  presentOwnershipRule,
  publishOwnership,
} from '@/server/review/ownership';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.uuid() });

export const GET = route({ action: 'view', params }, async ({ runtime, params }) =>
  presentOwnershipRule(await getOwnershipRule(runtime.db, params.id)),
);

/** Changes a field's owner; the new owner decides the pending changes of the field at once. */
export const PATCH = route(
  { action: 'settings', params, body: ownershipPatch, audit: 'ownership_rule.update' },
  async ({ runtime, params, body, principal, audit }) => {
    const rule = await getOwnershipRule(runtime.db, params.id);
    const set = { storeId: rule.storeId, rules: [{ entity: rule.entity, field: rule.field, owner: body.owner }] };
    const { rules, outcome } = await enableOwnership(runtime.db, set, principal.email ?? principal.id);
    audit({ entityType: 'ownership_rule', entityId: rule.id, storeId: rule.storeId, details: { from: rule.owner, to: body.owner } });
    await publishOwnership(runtime.hub, outcome);
    return { rule: presentOwnershipRule(rules[0]!), outcome: presentOutcome(outcome) };
  },
);

/** The field goes back to review: its changes wait for a person again (decisions already made stay). */
export const DELETE = route({ action: 'settings', params, audit: 'ownership_rule.delete' }, async ({ runtime, params, audit }) => {
  const rule = await getOwnershipRule(runtime.db, params.id);
  await runtime.db.delete(fieldOwnershipRules).where(eq(fieldOwnershipRules.id, params.id));
  audit({ entityType: 'ownership_rule', entityId: rule.id, storeId: rule.storeId, details: { entity: rule.entity, field: rule.field } });
  return { ok: true };
});
