import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import { z } from 'zod';
import {
  type AutoApprovalCondition,
  type AutoApprovalRule,
  autoApprovalRules,
  type StagedChange,
  stagedChanges,
} from '../../drizzle/schema';
import { notFound } from '../../lib/errors';
import { fieldsOf } from '../../lib/sync/fields';
import { CHANGE_KINDS, ENTITY_TYPES } from '../../lib/sync/model';
import { recordAudit } from '../audit/log';
import type { Executor } from '../db/client';
import type { Logger } from '../logger';
import { onStaged } from '../staging/hooks';
import { decideChanges } from './decide';
import { approval } from './decisions';
import { applyOwnership } from './ownership';

export const AUTO_APPROVER = 'auto-approval';

export const ruleCondition = z
  .object({
    kinds: z
      .array(z.enum(CHANGE_KINDS).exclude(['conflict'], { message: 'conflicts are never auto-approved' }))
      .min(1)
      .optional(),
    entity: z.enum(ENTITY_TYPES).optional(),
    fields: z.array(z.string().min(1)).min(1).optional(),
    maxQuantityDelta: z.number().int().min(0).optional(),
    maxPricePercent: z.number().min(0).max(1000).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.entity && c.fields) {
      const known = fieldsOf(c.entity).map((f) => f.name);
      const unknown = c.fields.filter((f) => !known.includes(f));
      if (unknown.length) ctx.addIssue({ code: 'custom', path: ['fields'], message: `not fields of ${c.entity}: ${unknown.join(', ')}` });
    }
    // Size conditions fit one entity: a stock move has no price, a price has no quantity.
    if (c.entity && c.entity !== 'inventory_level' && c.maxQuantityDelta !== undefined)
      ctx.addIssue({ code: 'custom', path: ['maxQuantityDelta'], message: 'a quantity range applies to inventory levels only' });
    if (c.entity && c.entity !== 'variant' && c.maxPricePercent !== undefined)
      ctx.addIssue({ code: 'custom', path: ['maxPricePercent'], message: 'a price change percentage applies to variants only' });
    if (!c.entity && !c.fields && c.maxQuantityDelta === undefined && c.maxPricePercent === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'a rule needs at least one condition (entity, fields, maxQuantityDelta or maxPricePercent)',
      });
    }
  });

export const ruleBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    enabled: z.boolean().default(true),
    storeId: z.uuid().nullable().optional(),
    condition: ruleCondition,
  })
  .strict();
export const rulePatch = z
  .object({ name: z.string().trim().min(1).max(200).optional(), enabled: z.boolean().optional(), condition: ruleCondition.optional() })
  .strict();

/**
 * Whether a rule approves a change: every condition must hold; creates, deletes and conflicts never
 * match, nor does a change a reviewer's decision staged (a restore of Shopify waits for a person).
 */
export function ruleMatches(
  condition: AutoApprovalCondition,
  change: Pick<StagedChange, 'kind' | 'op' | 'entity' | 'fields' | 'magnitude' | 'status'> &
    Partial<Pick<StagedChange, 'source' | 'origin'>>,
): boolean {
  if (change.status !== 'pending' || change.kind === 'conflict' || change.op !== 'update') return false;
  if (change.source === 'review' || change.origin) return false;
  if (!(condition.kinds ?? ['incoming', 'outgoing']).includes(change.kind)) return false;
  if (condition.entity && condition.entity !== change.entity) return false;
  if (condition.fields && !change.fields.every((f) => condition.fields!.includes(f.name))) return false;
  if (condition.maxQuantityDelta !== undefined) {
    const delta = change.magnitude?.quantityDelta;
    if (delta === undefined || Math.abs(delta) > condition.maxQuantityDelta) return false;
  }
  if (condition.maxPricePercent !== undefined) {
    const pct = change.magnitude?.pricePercent;
    if (pct === undefined || pct >= condition.maxPricePercent) return false;
  }
  return true;
}

export async function listRules(db: Executor, storeId?: string): Promise<AutoApprovalRule[]> {
  const where = storeId ? or(isNull(autoApprovalRules.storeId), eq(autoApprovalRules.storeId, storeId)) : undefined;
  return db.select().from(autoApprovalRules).where(where).orderBy(asc(autoApprovalRules.createdAt));
}

export async function getRule(db: Executor, id: string): Promise<AutoApprovalRule> {
  const [rule] = await db.select().from(autoApprovalRules).where(eq(autoApprovalRules.id, id));
  if (!rule) throw notFound('auto_approval_rule', id);
  return rule;
}

/** Applies the enabled rules to freshly staged changes, inside the staging transaction. */
export async function autoApprove(tx: Executor, storeId: string, changeIds: string[]): Promise<number> {
  const rules = (await listRules(tx, storeId)).filter((r) => r.enabled);
  if (rules.length === 0 || changeIds.length === 0) return 0;
  const changes = await tx
    .select()
    .from(stagedChanges)
    .where(and(inArray(stagedChanges.id, changeIds), eq(stagedChanges.status, 'pending')));
  const byRule = new Map<AutoApprovalRule, StagedChange[]>();
  for (const change of changes) {
    const rule = rules.find((r) => ruleMatches(r.condition, change));
    if (rule) byRule.set(rule, [...(byRule.get(rule) ?? []), change]);
  }
  let approved = 0;
  // One decision per rule: its changes are approved together, with one adopt batch for what they write into the master.
  for (const [rule, matched] of byRule) {
    const result = await decideChanges(
      tx,
      matched.map((c) => c.id),
      approval({}),
      { id: AUTO_APPROVER, rule: rule.name },
    );
    for (const change of result.decided) {
      await recordAudit(tx, {
        actor: { id: AUTO_APPROVER },
        action: 'staged.auto_approve',
        entityType: 'staged_change',
        entityId: change.id,
        storeId,
        details: {
          rule: rule.name,
          ruleId: rule.id,
          entity: change.entity,
          entityId: change.entityKey,
          fields: change.fields.map((f) => f.name),
        },
      });
    }
    approved += result.decided.length;
  }
  return approved;
}

/**
 * Registers the rules that decide without a person with staging; returns the unregister function.
 * Field ownership decides first (an owned field is the store's setting); auto-approval rules take
 * what it left pending.
 */
export function registerAutoApproval(logger: Logger): () => void {
  return onStaged(async (event) => {
    const owned = await applyOwnership(event.tx, event.storeId, event.changeIds);
    if (owned.total)
      logger.info({ storeId: event.storeId, decided: owned.total, counts: owned.counts }, 'changes decided by field ownership');
    const n = await autoApprove(event.tx, event.storeId, event.changeIds);
    if (n) logger.info({ storeId: event.storeId, approved: n }, 'changes auto-approved');
  });
}
