import type { AutoApprovalRule } from '../../drizzle/schema';

export function presentRule(r: AutoApprovalRule) {
  return {
    id: r.id,
    storeId: r.storeId,
    name: r.name,
    enabled: r.enabled,
    condition: r.condition,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
