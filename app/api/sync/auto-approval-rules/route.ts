import { autoApprovalRules } from '@/drizzle/schema';
import { route } from '@/server/http/route';
import { listRules, ruleBody } from '@/server/review/auto-approval';
import { presentRule } from '@/server/review/rule-present';

export const dynamic = 'force-dynamic';

export const GET = route({ action: 'view' }, async ({ runtime }) => {
  const rules = await listRules(runtime.db);
  return { items: rules.map(presentRule), total: rules.length, nextCursor: null };
});

export const POST = route(
  { action: 'settings', body: ruleBody, audit: 'auto_approval_rule.create', status: 201 },
  async ({ runtime, body, principal, audit }) => {
    const [rule] = await runtime.db
      .insert(autoApprovalRules)
      .values({
        name: body.name,
        enabled: body.enabled,
        storeId: body.storeId ?? null,
        condition: body.condition,
        createdBy: principal.email ?? principal.id,
      })
      .returning();
    audit({
      entityType: 'auto_approval_rule',
      entityId: rule!.id,
      storeId: rule!.storeId,
      details: { name: rule!.name, condition: rule!.condition },
    });
    return presentRule(rule!);
  },
);
