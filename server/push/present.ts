import type { StagedChange } from '../../drizzle/schema';

/** The staged-change shape of DESIGN.md's HTTP API, as decision endpoints answer it. */
export function presentDecision(c: StagedChange) {
  return {
    id: c.id,
    storeId: c.storeId,
    entity: c.entity,
    entityId: c.entityKey,
    productId: c.productKey,
    kind: c.kind,
    op: c.op,
    status: c.status,
    fields: c.fields,
    approvedFields: c.approvedFields,
    target: c.target,
    decidedBy: c.decidedBy,
    decidedAt: c.decidedAt?.toISOString() ?? null,
    reason: c.reason,
    autoRule: c.autoRule,
    origin: c.origin,
    originChangeId: c.originChangeId,
    batchId: c.batchId,
    error: c.error,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
