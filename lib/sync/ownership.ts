import { z } from 'zod';
import { ENTITY_LABELS, fieldSpec, fieldsOf } from './fields';
import { ENTITY_TYPES, type EntityType } from './model';

/**
 * Field ownership: per store, entity and field, who decides a Shopify edit of that field.
 * `master`: the master keeps its value (the edit is rejected, a restore of Shopify is staged for push
 * approval); `shopify`: the edit is adopted into the master; `review` (the default): a person decides.
 */
/** The decider named in history for every decision a field ownership rule makes (with the rule's name). */
export const OWNERSHIP_DECIDER = 'field-ownership';

/** Who decided, in words: "the field ownership rule “Shopify owns stock”", or the person. */
export function deciderText(decidedBy: string, rule?: string | null): string {
  return decidedBy === OWNERSHIP_DECIDER && rule ? `the field ownership rule “${rule}”` : decidedBy;
}

/** A batch's maker in words: an ownership rule's batch is recorded as "field-ownership: <rule>". */
export function batchCreatorText(createdBy: string): string {
  const prefix = `${OWNERSHIP_DECIDER}: `;
  return createdBy.startsWith(prefix) ? deciderText(OWNERSHIP_DECIDER, createdBy.slice(prefix.length)) : createdBy;
}

export const FIELD_OWNERS = ['master', 'shopify', 'review'] as const;
export type Owner = (typeof FIELD_OWNERS)[number];

/** What ownership did with a field of a pending change. */
export type OwnershipDecision = 'adopt' | 'restore' | 'keep_master';

export const OWNERSHIP_DECISION_LABELS: Record<OwnershipDecision, string> = {
  adopt: 'adopt',
  restore: 'restore Shopify for',
  keep_master: "keep the master's value for",
};

export interface OwnershipRuleInput {
  entity: EntityType;
  field: string;
  owner: Owner;
}

export const ownershipRuleInput = z
  .object({ entity: z.enum(ENTITY_TYPES), field: z.string().min(1).max(100), owner: z.enum(FIELD_OWNERS) })
  .strict()
  .superRefine((r, ctx) => {
    if (!fieldSpec(r.entity, r.field)) {
      const known = fieldsOf(r.entity).map((f) => f.name);
      ctx.addIssue({ code: 'custom', path: ['field'], message: `not a field of ${r.entity} (one of: ${known.join(', ')})` });
    }
  });

export interface OwnershipPreset {
  name: string;
  label: string;
  description: string;
  rules: OwnershipRuleInput[];
}

const own = (owner: Owner, entity: EntityType, fields: string[]) => fields.map((field) => ({ entity, field, owner }));

export const OWNERSHIP_PRESETS: readonly OwnershipPreset[] = Object.freeze([
  {
    name: 'shopify-owns-stock',
    label: 'Shopify owns stock',
    description: 'Stock counted in Shopify (sales, returns, the warehouse app) is adopted into the master without review.',
    rules: own('shopify', 'inventory_level', ['available']),
  },
  {
    name: 'master-owns-prices-and-content',
    label: 'Master owns prices and content',
    description: "Prices and product content edited in Shopify are restored to the master's values (the restore waits for a push).",
    rules: [
      ...own('master', 'variant', ['price', 'compareAtPrice', 'cost']),
      ...own('master', 'product', ['title', 'descriptionHtml', 'seoTitle', 'seoDescription', 'tags']),
    ],
  },
]);

export const presetNames = OWNERSHIP_PRESETS.map((p) => p.name) as [string, ...string[]];

export function ownershipPreset(name: string): OwnershipPreset | undefined {
  return OWNERSHIP_PRESETS.find((p) => p.name === name);
}

const OWNER_LABELS: Record<Owner, string> = { master: 'Master', shopify: 'Shopify', review: 'Review' };

export function fieldLabel(entity: EntityType, field: string): string {
  const label = fieldSpec(entity, field)?.label ?? field;
  // "Price" reads "Variant price"; an initialism stays as it is ("Product SEO title").
  const word = /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
  return `${ENTITY_LABELS[entity]} ${word}`;
}

/** The name history shows for a rule's decisions: its preset's label, or "Shopify owns Inventory available". */
export function ownershipRuleName(rule: { entity: EntityType; field: string; owner: Owner; preset?: string | null }): string {
  const preset = rule.preset ? ownershipPreset(rule.preset) : undefined;
  return preset ? preset.label : `${OWNER_LABELS[rule.owner]} owns ${fieldLabel(rule.entity, rule.field)}`;
}

/** One line of a preview: "adopt 30 Inventory available changes". */
export interface OwnershipCount {
  decision: OwnershipDecision;
  entity: EntityType;
  field: string;
  count: number;
}

/** "This would decide 37 pending changes: adopt 30 Inventory available, restore Shopify for 7 Variant price". */
export function describeOwnershipCounts(total: number, counts: readonly OwnershipCount[], would = true): string {
  const verb = would ? 'This would decide' : 'Decided';
  if (total === 0) return would ? 'This would decide no pending changes' : 'No pending changes were decided';
  const parts = counts.map((c) => `${OWNERSHIP_DECISION_LABELS[c.decision]} ${c.count} ${fieldLabel(c.entity, c.field)}`);
  return `${verb} ${total} pending change${total === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
