import { route } from '@/server/http/route';
import {
  enableOwnership,
  ownershipStoreQuery,
  presentOutcome,
  presentOwnershipRule,
  presetParams,
  publishOwnership,
  rulesOf,
} from '@/server/review/ownership';
import { resolveStore } from '@/server/stores/resolve';

export const dynamic = 'force-dynamic';

/** Sets every rule of a preset and applies them to the pending changes, in one transaction. */
export const POST = route(
  { action: 'settings', params: presetParams, body: ownershipStoreQuery, audit: 'ownership_rule.preset' },
  async ({ runtime, params, body, principal, audit }) => {
    const store = await resolveStore(runtime.db, body.storeId);
    const set = { storeId: store.id, ...rulesOf({ preset: params.name }) };
    const { rules, outcome } = await enableOwnership(runtime.db, set, principal.email ?? principal.id);
    audit({ entityType: 'ownership_preset', entityId: params.name, storeId: store.id, details: { decided: outcome.counts } });
    await publishOwnership(runtime.hub, outcome);
    return { rules: rules.map(presentOwnershipRule), outcome: presentOutcome(outcome) };
  },
);
