import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { autoApprovalRules } from '@/drizzle/schema';
import { route } from '@/server/http/route';
import { getRule, rulePatch } from '@/server/review/auto-approval';
import { presentRule } from '@/server/review/rule-present';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.uuid() });

export const GET = route({ action: 'view', params }, async ({ runtime, params }) => presentRule(await getRule(runtime.db, params.id)));

export const PATCH = route(
  { action: 'settings', params, body: rulePatch, audit: 'auto_approval_rule.update' },
  async ({ runtime, params, body, audit }) => {
    await getRule(runtime.db, params.id);
    const [rule] = await runtime.db
      .update(autoApprovalRules)
      .set({ ...body, updatedAt: sql`now()` })
      .where(eq(autoApprovalRules.id, params.id))
      .returning();
    audit({ entityType: 'auto_approval_rule', entityId: params.id, storeId: rule!.storeId, details: { name: rule!.name, changes: body } });
    return presentRule(rule!);
  },
);

export const DELETE = route({ action: 'settings', params, audit: 'auto_approval_rule.delete' }, async ({ runtime, params, audit }) => {
  const rule = await getRule(runtime.db, params.id);
  await runtime.db.delete(autoApprovalRules).where(eq(autoApprovalRules.id, params.id));
  audit({ entityType: 'auto_approval_rule', entityId: params.id, storeId: rule.storeId, details: { name: rule.name } });
  return { ok: true };
});
