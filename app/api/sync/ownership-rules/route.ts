import { OWNERSHIP_PRESETS } from '@/lib/sync/ownership';
import { route } from '@/server/http/route';
import {
  enableOwnership,
  listOwnershipRules,
  ownershipRuleBody,
  ownershipStoreQuery,
  presentOutcome,
  presentOwnershipRule,
  publishOwnership,
} from '@/server/review/ownership';
import { resolveStore } from '@/server/stores/resolve';

export const dynamic = 'force-dynamic';

/** A store's field ownership rules, and the presets that set several at once. */
export const GET = route({ action: 'view', query: ownershipStoreQuery }, async ({ runtime, query }) => {
  const store = await resolveStore(runtime.db, query.storeId);
  const rules = await listOwnershipRules(runtime.db, store.id);
  return { storeId: store.id, items: rules.map(presentOwnershipRule), total: rules.length, nextCursor: null, presets: OWNERSHIP_PRESETS };
});

/** Sets a field's owner and applies it to the pending changes at once (the preview route says what that decides). */
export const POST = route(
  { action: 'settings', body: ownershipRuleBody, audit: 'ownership_rule.set', status: 201 },
  async ({ runtime, body, principal, audit }) => {
    const store = await resolveStore(runtime.db, body.storeId);
    const { rules, outcome } = await enableOwnership(
      runtime.db,
      { storeId: store.id, rules: [body.rule] },
      principal.email ?? principal.id,
    );
    audit({
      entityType: 'ownership_rule',
      entityId: rules[0]!.id,
      storeId: store.id,
      details: { rule: body.rule, decided: outcome.counts },
    });
    await publishOwnership(runtime.hub, outcome);
    return { rule: presentOwnershipRule(rules[0]!), outcome: presentOutcome(outcome) };
  },
);
