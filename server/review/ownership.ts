import { AsyncLocalStorage } from 'node:async_hooks';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type FieldOwnershipRule, fieldOwnershipRules, type StagedChange, stagedChanges } from '../../drizzle/schema';
import { notFound } from '../../lib/errors';
import { changeMagnitude } from '../../lib/sync/classify';
import type { ChangeSource, EntityType } from '../../lib/sync/model';
import {
  describeOwnershipCounts,
  FIELD_OWNERS,
  OWNERSHIP_DECIDER,
  type OwnershipCount,
  type OwnershipDecision,
  type OwnershipRuleInput,
  ownershipPreset,
  ownershipRuleInput,
  ownershipRuleName,
  presetNames,
} from '../../lib/sync/ownership';
import { recordAudit } from '../audit/log';
import type { Executor } from '../db/client';
import type { RealtimeHub } from '../realtime/hub';
import { publishDecided } from '../staging/events';
import { restage } from '../staging/restage';
import { type Decision, decideChanges } from './decide';
import { approval } from './decisions';

export { OWNERSHIP_DECIDER } from '../../lib/sync/ownership';

/** Up to this many sample changes are shown in a preview. */
const SAMPLE = 8;

export interface OwnershipSample {
  changeId: string;
  entity: EntityType;
  entityKey: string;
  title: string | null;
  kind: string;
  decision: OwnershipDecision;
  fields: string[];
  rule: string;
}

/** What ownership decided (or, in a preview, would decide) among the pending changes of a store. */
export interface OwnershipOutcome {
  /** Pending changes decided (a change split by field counts once). */
  total: number;
  counts: OwnershipCount[];
  sample: OwnershipSample[];
  message: string;
  /** The adopt batches of the decisions (none in a preview). */
  batchIds: string[];
  decided: Array<{ id: string; storeId: string; decision: OwnershipDecision }>;
}

interface Part {
  change: StagedChange;
  fields: string[];
  decision: OwnershipDecision;
  rule: string;
}

type RuleMap = Map<string, { owner: FieldOwnershipRule['owner']; name: string }>;

const ruleKey = (entity: string, field: string) => `${entity}\u0000${field}`;

/** Decisions made inside an ownership pass: the staging hook they trigger does not start another pass. */
const inPass = new AsyncLocalStorage<true>();

export async function listOwnershipRules(db: Executor, storeId: string): Promise<FieldOwnershipRule[]> {
  return db
    .select()
    .from(fieldOwnershipRules)
    .where(eq(fieldOwnershipRules.storeId, storeId))
    .orderBy(asc(fieldOwnershipRules.entity), asc(fieldOwnershipRules.field));
}

export async function getOwnershipRule(db: Executor, id: string): Promise<FieldOwnershipRule> {
  const [rule] = await db.select().from(fieldOwnershipRules).where(eq(fieldOwnershipRules.id, id));
  if (!rule) throw notFound('ownership_rule', id);
  return rule;
}

/**
 * The part of a pending change its rules decide: the fields of its first owned field's rule (same
 * owner, same rule name); the other fields are staged again as a change of their own afterwards.
 * Outgoing changes (the master's own edits), creates and deletes stay with a person.
 */
function planPart(change: StagedChange, rules: RuleMap): Part | null {
  if (change.status !== 'pending' || change.op !== 'update' || change.kind === 'outgoing') return null;
  const owned = change.fields
    .map((f) => ({ name: f.name, rule: rules.get(ruleKey(change.entity, f.name)) }))
    .filter((o) => o.rule && o.rule.owner !== 'review');
  const first = owned[0]?.rule;
  if (!first) return null;
  const fields = owned.filter((o) => o.rule!.owner === first.owner && o.rule!.name === first.name).map((o) => o.name);
  const decision: OwnershipDecision = first.owner === 'shopify' ? 'adopt' : change.kind === 'conflict' ? 'keep_master' : 'restore';
  return { change, fields, decision, rule: first.name };
}

/**
 * DESIGN.md, "Every decision converges", taken by a rule: adopting is a person's approval of
 * Shopify's value (an adopt batch); a field the master owns is a person's reject of the incoming
 * change (the master keeps its value, a restore of Shopify is staged for push approval), or for a
 * conflict its resolution to the master's value.
 */
function decisionOf(part: Pick<Part, 'decision' | 'rule'>): Decision {
  if (part.decision === 'adopt') return approval({ resolution: 'remote' });
  if (part.decision === 'keep_master') return approval({ resolution: 'local' });
  return { action: 'reject', reason: `Owned by the master (field ownership: ${part.rule})` };
}

async function pendingCandidates(tx: Executor, storeId: string, ids: string[] | null): Promise<StagedChange[]> {
  if (ids && ids.length === 0) return [];
  return tx
    .select()
    .from(stagedChanges)
    .where(
      and(
        eq(stagedChanges.storeId, storeId),
        eq(stagedChanges.status, 'pending'),
        eq(stagedChanges.op, 'update'),
        inArray(stagedChanges.kind, ['incoming', 'conflict']),
        ids ? inArray(stagedChanges.id, ids) : undefined,
      ),
    )
    .orderBy(asc(stagedChanges.id));
}

function emptyOutcome(): OwnershipOutcome {
  return { total: 0, counts: [], sample: [], message: describeOwnershipCounts(0, [], false), batchIds: [], decided: [] };
}

/**
 * Decides the store's pending changes (or the ones given, freshly staged) whose fields have an
 * owner, inside the caller's transaction. A change with fields of several owners (or unowned ones)
 * is split: the decided part keeps its id and history, the rest is staged again as a new pending
 * change (and decided in the next round if another rule owns it).
 */
export async function applyOwnership(tx: Executor, storeId: string, changeIds: string[] | null = null): Promise<OwnershipOutcome> {
  const outcome = emptyOutcome();
  if (inPass.getStore()) return outcome;
  const rules: RuleMap = new Map(
    (await listOwnershipRules(tx, storeId)).map((r) => [ruleKey(r.entity, r.field), { owner: r.owner, name: ownershipRuleName(r) }]),
  );
  if (![...rules.values()].some((r) => r.owner !== 'review')) return outcome;
  await inPass.run(true, async () => {
    const roots = new Set<string>();
    const refused = new Set<string>();
    const counts = new Map<string, OwnershipCount>();
    let ids = changeIds;
    // Each round decides one owner's fields per change; a change has at most one part per field.
    for (let round = 0; round < 20; round++) {
      const parts = (await pendingCandidates(tx, storeId, ids))
        .filter((c) => !refused.has(rootOf(c)))
        .map((c) => planPart(c, rules))
        .filter((p): p is Part => p !== null);
      if (parts.length === 0) break;
      const split = parts.filter((p) => p.fields.length < p.change.fields.length);
      for (const p of split) await narrow(tx, p);
      const groups = new Map<string, Part[]>();
      for (const p of parts) {
        const k = `${p.decision}\u0000${p.rule}`;
        groups.set(k, [...(groups.get(k) ?? []), p]);
      }
      for (const group of groups.values()) {
        const { decision, rule } = group[0]!;
        const result = await decideChanges(
          tx,
          group.map((p) => p.change.id),
          decisionOf(group[0]!),
          { id: OWNERSHIP_DECIDER, rule },
        );
        for (const s of result.skipped) refused.add(rootOf(group.find((p) => p.change.id === s.id)!.change));
        outcome.batchIds.push(...result.batchIds);
        const decided = new Set(result.decided.map((c) => c.id));
        for (const p of group.filter((g) => decided.has(g.change.id))) {
          roots.add(rootOf(p.change));
          outcome.decided.push({ id: p.change.id, storeId, decision });
          for (const field of p.fields) {
            const k = `${decision}\u0000${p.change.entity}\u0000${field}`;
            const c = counts.get(k) ?? counts.set(k, { decision, entity: p.change.entity, field, count: 0 }).get(k)!;
            c.count++;
          }
          if (outcome.sample.length < SAMPLE) {
            outcome.sample.push({
              changeId: p.change.id,
              entity: p.change.entity,
              entityKey: p.change.entityKey,
              title: p.change.title,
              kind: p.change.kind,
              decision,
              fields: p.fields,
              rule,
            });
          }
          const batchId = result.decided.find((c) => c.id === p.change.id)?.batchId ?? null;
          await recordAudit(tx, {
            actor: { id: OWNERSHIP_DECIDER },
            action: 'staged.ownership',
            entityType: 'staged_change',
            entityId: p.change.id,
            storeId,
            details: { rule, decision, entity: p.change.entity, entityId: p.change.entityKey, fields: p.fields, batchId },
          });
        }
      }
      ids = await restageRest(tx, storeId, split);
    }
    outcome.total = roots.size;
    outcome.counts = [...counts.values()].sort((a, b) => b.count - a.count);
    outcome.message = describeOwnershipCounts(outcome.total, outcome.counts, false);
  });
  return outcome;
}

/** A change and the changes split from it share the entity and the direction. */
const rootOf = (c: Pick<StagedChange, 'entity' | 'entityKey' | 'kind'>) => `${c.entity}\u0000${c.entityKey}\u0000${c.kind}`;

/** Keeps only the part's fields on the change, before it is decided (the rest is restaged after). */
async function narrow(tx: Executor, part: Part): Promise<void> {
  const { change } = part;
  const fields = change.fields.filter((f) => part.fields.includes(f.name));
  await tx
    .update(stagedChanges)
    .set({ fields, magnitude: changeMagnitude(change.entity, fields, change.kind), updatedAt: sql`now()` })
    .where(eq(stagedChanges.id, change.id));
}

/** Stages the fields a split change left again (as the source that staged them); answers the pending changes of those entities. */
async function restageRest(tx: Executor, storeId: string, split: Part[]): Promise<string[]> {
  if (split.length === 0) return [];
  const bySource = new Map<ChangeSource, Array<{ entity: EntityType; key: string }>>();
  for (const { change } of split)
    bySource.set(change.source, [...(bySource.get(change.source) ?? []), { entity: change.entity, key: change.entityKey }]);
  for (const [source, entities] of bySource) await restage(tx, { storeId, entities }, source);
  const rows = await tx
    .select({ id: stagedChanges.id, entity: stagedChanges.entity, key: stagedChanges.entityKey })
    .from(stagedChanges)
    .where(
      and(
        eq(stagedChanges.storeId, storeId),
        eq(stagedChanges.status, 'pending'),
        inArray(
          stagedChanges.entityKey,
          split.map((p) => p.change.entityKey),
        ),
      ),
    );
  return rows.filter((r) => split.some((p) => p.change.entity === r.entity && p.change.entityKey === r.key)).map((r) => r.id);
}

/** Sets rules (one per store, entity and field; a later one replaces the owner). */
async function upsertRules(
  tx: Executor,
  storeId: string,
  rules: readonly OwnershipRuleInput[],
  preset: string | null,
  by: string,
): Promise<FieldOwnershipRule[]> {
  if (rules.length === 0) return [];
  return tx
    .insert(fieldOwnershipRules)
    .values(rules.map((r) => ({ storeId, entity: r.entity, field: r.field, owner: r.owner, preset, createdBy: by })))
    .onConflictDoUpdate({
      target: [fieldOwnershipRules.storeId, fieldOwnershipRules.entity, fieldOwnershipRules.field],
      set: { owner: sql`excluded.owner`, preset: sql`excluded.preset`, createdBy: sql`excluded.created_by`, updatedAt: sql`now()` },
    })
    .returning();
}

class PreviewDone extends Error {
  constructor(readonly outcome: OwnershipOutcome) {
    super('preview');
  }
}

export interface OwnershipSet {
  storeId: string;
  rules: readonly OwnershipRuleInput[];
  preset?: string | null;
}

/**
 * What enabling the rules would decide: the enabling itself, run in a transaction that is rolled
 * back, so the preview and the enabling cannot disagree.
 */
export async function previewOwnership(db: Executor, set: OwnershipSet): Promise<OwnershipOutcome> {
  try {
    await db.transaction(async (tx) => {
      await upsertRules(tx, set.storeId, set.rules, set.preset ?? null, 'preview');
      throw new PreviewDone(await applyOwnership(tx, set.storeId));
    });
  } catch (err) {
    if (!(err instanceof PreviewDone)) throw err;
    const o = err.outcome;
    return { ...o, batchIds: [], decided: [], message: describeOwnershipCounts(o.total, o.counts, true) };
  }
  throw new Error('unreachable: a preview always rolls back');
}

/** Enables the rules and applies them to the store's pending changes, in one transaction. */
export async function enableOwnership(
  db: Executor,
  set: OwnershipSet,
  by: string,
): Promise<{ rules: FieldOwnershipRule[]; outcome: OwnershipOutcome }> {
  return db.transaction(async (tx) => {
    const rules = await upsertRules(tx, set.storeId, set.rules, set.preset ?? null, by);
    return { rules, outcome: await applyOwnership(tx, set.storeId) };
  });
}

export function presentOwnershipRule(r: FieldOwnershipRule) {
  return {
    id: r.id,
    storeId: r.storeId,
    entity: r.entity,
    field: r.field,
    owner: r.owner,
    preset: r.preset,
    name: ownershipRuleName(r),
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** An outcome as the API answers it (the realtime ids and batches stay on the server's side). */
export function presentOutcome(o: OwnershipOutcome) {
  return { total: o.total, counts: o.counts, sample: o.sample, message: o.message, batchIds: o.batchIds };
}

const storeIdField = { storeId: z.uuid().optional() };
export const ownershipRuleBody = z.object({ ...storeIdField, rule: ownershipRuleInput }).strict();
export const ownershipPatch = z.object({ owner: z.enum(FIELD_OWNERS) }).strict();
export const ownershipPreviewBody = z.union([
  z.object({ ...storeIdField, rules: z.array(ownershipRuleInput).min(1).max(100) }).strict(),
  z.object({ ...storeIdField, preset: z.enum(presetNames) }).strict(),
]);
export const ownershipStoreQuery = z.object(storeIdField).strict();
export const presetParams = z.object({ name: z.enum(presetNames) });

/** The rules a preview or preset body names. */
export function rulesOf(body: z.infer<typeof ownershipPreviewBody>): { rules: OwnershipRuleInput[]; preset: string | null } {
  if ('rules' in body) return { rules: body.rules, preset: null };
  return { rules: [...ownershipPreset(body.preset)!.rules], preset: body.preset };
}

/** Tells review lists what ownership decided (adopted and kept as approvals, restores as rejections). */
export async function publishOwnership(hub: RealtimeHub, outcome: OwnershipOutcome): Promise<void> {
  const approved = outcome.decided.filter((d) => d.decision !== 'restore');
  const rejected = outcome.decided.filter((d) => d.decision === 'restore');
  if (approved.length) await publishDecided(hub, approved, 'approved');
  if (rejected.length) await publishDecided(hub, rejected, 'rejected');
}
