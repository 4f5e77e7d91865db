import { route } from '@/server/http/route';
import { ownershipPreviewBody, presentOutcome, previewOwnership, rulesOf } from '@/server/review/ownership';
import { resolveStore } from '@/server/stores/resolve';

export const dynamic = 'force-dynamic';

/** What enabling rules (or a preset) would decide among the pending changes; nothing is kept. */
export const POST = route({ action: 'view', body: ownershipPreviewBody }, async ({ runtime, body }) => {
  const store = await resolveStore(runtime.db, body.storeId);
  return { storeId: store.id, ...presentOutcome(await previewOwnership(runtime.db, { storeId: store.id, ...rulesOf(body) })) };
});
