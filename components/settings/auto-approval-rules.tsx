'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { AutoApprovalRuleView } from '@/lib/dashboard/schemas';
import { ENTITY_LABELS, fieldSpec, fieldsOf } from '@/lib/sync/fields';
import { ENTITY_TYPES, type EntityType } from '@/lib/sync/model';
import { plural } from '@/lib/words';
import { usePermission } from '../session-context';
import { Button, ErrorState, Skeleton } from '../ui/controls';
import { CheckboxGroup, SelectField, TextField } from '../ui/fields';
import { Section } from '../ui/section';
import { toast } from '../ui/toaster';

/** Entities counted in a sentence ("of inventory levels"). */
const ENTITY_PLURALS: Record<EntityType, string> = {
  product: 'products',
  variant: 'variants',
  inventory_level: 'inventory levels',
  collection: 'collections',
  membership: 'collection memberships',
  media: 'images',
  metafield: 'metafields',
};

/** The size condition each entity has, if any: stock moves are measured in units, variant prices in percent. */
const SIZE_CONDITION: Partial<Record<EntityType, SizeCondition>> = { inventory_level: 'quantity', variant: 'price' };
type SizeCondition = 'quantity' | 'price';

/** The field each size condition is given in. */
const SIZE_FIELDS = {
  quantity: { label: 'Stock moves by at most (units, up or down)', inputMode: 'numeric', testId: 'rule-max-quantity' },
  price: { label: 'Price changes by less than (%)', inputMode: 'decimal', testId: 'rule-max-price' },
} as const;
const NO_LIMITS: Record<SizeCondition, string> = { quantity: '', price: '' };

export function describeCondition(c: AutoApprovalRuleView['condition']): string {
  const parts: string[] = [];
  if (c.kinds?.length) parts.push(`${c.kinds.join(' or ')} changes`);
  if (c.entity) parts.push(`of ${ENTITY_PLURALS[c.entity]}`);
  if (c.fields?.length)
    parts.push(`touching only ${c.fields.map((f) => (c.entity ? (fieldSpec(c.entity, f)?.label ?? f) : f).toLowerCase()).join(', ')}`);
  if (c.maxQuantityDelta !== undefined) parts.push(`stock moving by ${plural(c.maxQuantityDelta, 'unit')} at most`);
  if (c.maxPricePercent !== undefined) parts.push(`price changing by less than ${c.maxPricePercent}%`);
  return parts.join(', ') || 'any change';
}

/** Admins create, enable, disable and delete auto-approval rules; everyone else reads them. */
export function AutoApprovalRules() {
  const client = useQueryClient();
  const settings = usePermission('settings');
  const rules = useQuery({ queryKey: ['rules'], queryFn: () => dashboardApi.listRules() });
  const refresh = () => void client.invalidateQueries({ queryKey: ['rules'] });
  const toggle = useMutation({
    mutationFn: (r: AutoApprovalRuleView) => dashboardApi.updateRule(r.id, { enabled: !r.enabled }),
    onSuccess: refresh,
    onError: (e) => toast(errorMessage(e), 'error'),
  });
  const remove = useMutation({
    mutationFn: (id: string) => dashboardApi.deleteRule(id),
    onSuccess: refresh,
    onError: (e) => toast(errorMessage(e), 'error'),
  });
  return (
    <Section
      headingId="rules-title"
      look="card"
      title="Auto-approval rules"
      description={
        'Changes matching an enabled rule are approved as they are staged; the audit log names the rule. ' +
        'Conflicts are never auto-approved.'
      }
      note={settings.allowed ? null : settings.reason}
    >
      {rules.isPending ? (
        <Skeleton rows={3} />
      ) : rules.isError ? (
        <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
      ) : rules.data.items.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="empty-state">
          No rules: every change waits for a person.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="rule-list">
          {rules.data.items.map((r) => (
            <li key={r.id} className="flex flex-wrap items-center gap-3 py-2 text-sm">
              <div className="min-w-0 flex-1">
                <div className="font-medium text-slate-900">{r.name}</div>
                <div className="text-xs text-slate-600">{describeCondition(r.condition)}</div>
              </div>
              {settings.allowed ? (
                <>
                  <label className="flex items-center gap-1 text-xs">
                    <input type="checkbox" checked={r.enabled} onChange={() => toggle.mutate(r)} /> Enabled
                  </label>
                  <Button variant="ghost" onClick={() => remove.mutate(r.id)} aria-label={`Delete rule ${r.name}`}>
                    Delete
                  </Button>
                </>
              ) : (
                <span className="text-xs text-slate-600">{r.enabled ? 'enabled' : 'disabled'}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {settings.allowed ? <RuleForm onCreated={refresh} /> : null}
    </Section>
  );
}

const ENTITY_OPTIONS = ENTITY_TYPES.map((e) => [e, ENTITY_LABELS[e]] as const);
const DIRECTIONS = [
  ['incoming', 'incoming'],
  ['outgoing', 'outgoing'],
] as const;

function RuleForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [entity, setEntity] = useState<EntityType | ''>('');
  const [fields, setFields] = useState<string[]>([]);
  const [kinds, setKinds] = useState<string[]>(['incoming', 'outgoing']);
  const [limits, setLimits] = useState(NO_LIMITS);
  const { quantity: maxQty, price: maxPct } = limits;
  const [error, setError] = useState<string | null>(null);
  const size = entity ? SIZE_CONDITION[entity] : undefined;
  const create = useMutation({
    mutationFn: () =>
      dashboardApi.createRule({
        name: name.trim(),
        enabled: true,
        condition: {
          kinds: kinds as ('incoming' | 'outgoing')[],
          ...(entity ? { entity } : {}),
          ...(fields.length ? { fields } : {}),
          ...(size === 'quantity' && maxQty !== '' ? { maxQuantityDelta: Number(maxQty) } : {}),
          ...(size === 'price' && maxPct !== '' ? { maxPricePercent: Number(maxPct) } : {}),
        },
      }),
    onSuccess: () => {
      toast('Rule created', 'success');
      setName('');
      setFields([]);
      setLimits(NO_LIMITS);
      setError(null);
      onCreated();
    },
    onError: (e) => setError(errorMessage(e)),
  });
  return (
    <form
      className="grid gap-2 border-t border-slate-100 pt-3 text-sm sm:grid-cols-2 xl:grid-cols-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim()) return setError('Give the rule a name.');
        if (size === 'quantity' && maxQty !== '' && !(Number.isInteger(Number(maxQty)) && Number(maxQty) >= 0))
          return setError('The quantity range must be a whole number of 0 or more.');
        if (size === 'price' && maxPct !== '' && !(Number(maxPct) >= 0 && Number(maxPct) <= 1000))
          return setError('The price percentage must be between 0 and 1000.');
        if (kinds.length === 0) return setError('Choose incoming, outgoing or both.');
        create.mutate();
      }}
      aria-label="New auto-approval rule"
    >
      <TextField label="Name" value={name} onValue={setName} placeholder="Small stock corrections" />
      <SelectField
        label="Entity"
        empty="Any"
        value={entity}
        onValue={(e) => {
          setEntity(e as EntityType | '');
          setFields([]);
        }}
        options={ENTITY_OPTIONS}
        data-testid="rule-entity"
      />
      <CheckboxGroup legend="Directions" options={DIRECTIONS} values={kinds} onChange={setKinds} />
      {entity ? (
        <CheckboxGroup
          legend="Only these fields changed (none: any)"
          className="sm:col-span-2 xl:col-span-3"
          options={fieldsOf(entity).map((f) => [f.name, f.label] as const)}
          values={fields}
          onChange={setFields}
        />
      ) : null}
      {size ? (
        <TextField
          key={size}
          label={SIZE_FIELDS[size].label}
          inputMode={SIZE_FIELDS[size].inputMode}
          value={limits[size]}
          onValue={(value) => setLimits({ ...limits, [size]: value })}
          data-testid={SIZE_FIELDS[size].testId}
        />
      ) : null}
      <div className="flex items-end">
        <Button type="submit" variant="primary" disabled={create.isPending}>
          Add rule
        </Button>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-700 sm:col-span-2 xl:col-span-3">
          {error}
        </p>
      ) : null}
    </form>
  );
}
