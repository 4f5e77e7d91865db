'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { AutoApprovalRuleView } from '@/lib/dashboard/schemas';
import { ENTITY_LABELS, fieldsOf } from '@/lib/sync/fields';
import { ENTITY_TYPES, type EntityType } from '@/lib/sync/model';
import { usePermission } from '../session-context';
import { Button, ErrorState, Skeleton } from '../ui/controls';
import { toast } from '../ui/toaster';

export function describeCondition(c: AutoApprovalRuleView['condition']): string {
  const parts: string[] = [];
  if (c.kinds?.length) parts.push(`${c.kinds.join(' or ')} changes`);
  if (c.entity) parts.push(`of ${ENTITY_LABELS[c.entity].toLowerCase()}s`);
  if (c.fields?.length) parts.push(`touching only ${c.fields.join(', ')}`);
  if (c.maxQuantityDelta !== undefined) parts.push(`quantity within ±${c.maxQuantityDelta}`);
  if (c.maxPricePercent !== undefined) parts.push(`price change under ${c.maxPricePercent}%`);
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
  const remove = useMutation({ mutationFn: (id: string) => dashboardApi.deleteRule(id), onSuccess: refresh, onError: (e) => toast(errorMessage(e), 'error') });
  return (
    <section aria-labelledby="rules-title" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <div>
        <h2 id="rules-title" className="text-base font-semibold text-slate-900">Auto-approval rules</h2>
        <p className="text-sm text-slate-600">Changes matching an enabled rule are approved as they are staged; the audit log names the rule. Conflicts are never auto-approved.</p>
        {!settings.allowed ? <p className="mt-1 text-xs text-slate-500">{settings.reason}</p> : null}
      </div>
      {rules.isPending ? (
        <Skeleton rows={3} />
      ) : rules.isError ? (
        <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
      ) : rules.data.items.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="empty-state">
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
                <span className="text-xs text-slate-500">{r.enabled ? 'enabled' : 'disabled'}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {settings.allowed ? <RuleForm onCreated={refresh} /> : null}
    </section>
  );
}

function RuleForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [entity, setEntity] = useState<EntityType | ''>('');
  const [fields, setFields] = useState<string[]>([]);
  const [kinds, setKinds] = useState<string[]>(['incoming', 'outgoing']);
  const [maxQty, setMaxQty] = useState('');
  const [maxPct, setMaxPct] = useState('');
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      dashboardApi.createRule({
        name: name.trim(),
        enabled: true,
        condition: {
          kinds: kinds as ('incoming' | 'outgoing')[],
          ...(entity ? { entity } : {}),
          ...(fields.length ? { fields } : {}),
          ...(maxQty !== '' ? { maxQuantityDelta: Number(maxQty) } : {}),
          ...(maxPct !== '' ? { maxPricePercent: Number(maxPct) } : {}),
        },
      }),
    onSuccess: () => {
      toast('Rule created', 'success');
      setName('');
      setFields([]);
      setMaxQty('');
      setMaxPct('');
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
        if (maxQty !== '' && !(Number.isInteger(Number(maxQty)) && Number(maxQty) >= 0)) return setError('The quantity range must be a whole number of 0 or more.');
        if (maxPct !== '' && !(Number(maxPct) >= 0 && Number(maxPct) <= 1000)) return setError('The price percentage must be between 0 and 1000.');
        if (kinds.length === 0) return setError('Choose incoming, outgoing or both.');
        create.mutate();
      }}
      aria-label="New auto-approval rule"
    >
      <label className="flex flex-col">
        <span className="text-xs text-slate-500">Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} className="rounded border border-slate-300 px-2 py-1" placeholder="Small stock corrections" />
      </label>
      <label className="flex flex-col">
        <span className="text-xs text-slate-500">Entity</span>
        <select
          value={entity}
          onChange={(e) => {
            setEntity(e.target.value as EntityType | '');
            setFields([]);
          }}
          className="rounded border border-slate-300 bg-white px-2 py-1"
        >
          <option value="">Any</option>
          {ENTITY_TYPES.map((e) => (
            <option key={e} value={e}>
              {ENTITY_LABELS[e]}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="flex flex-col">
        <legend className="text-xs text-slate-500">Directions</legend>
        <div className="flex gap-3 py-1">
          {['incoming', 'outgoing'].map((k) => (
            <label key={k} className="flex items-center gap-1">
              <input type="checkbox" checked={kinds.includes(k)} onChange={(e) => setKinds(e.target.checked ? [...kinds, k] : kinds.filter((x) => x !== k))} /> {k}
            </label>
          ))}
        </div>
      </fieldset>
      {entity ? (
        <fieldset className="flex flex-col sm:col-span-2 xl:col-span-3">
          <legend className="text-xs text-slate-500">Only these fields changed (none: any)</legend>
          <div className="flex flex-wrap gap-3 py-1">
            {fieldsOf(entity).map((f) => (
              <label key={f.name} className="flex items-center gap-1">
                <input type="checkbox" checked={fields.includes(f.name)} onChange={(e) => setFields(e.target.checked ? [...fields, f.name] : fields.filter((x) => x !== f.name))} /> {f.label}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      <label className="flex flex-col">
        <span className="text-xs text-slate-500">Inventory within ± (units)</span>
        <input inputMode="numeric" value={maxQty} onChange={(e) => setMaxQty(e.target.value)} className="rounded border border-slate-300 px-2 py-1" />
      </label>
      <label className="flex flex-col">
        <span className="text-xs text-slate-500">Price change under (%)</span>
        <input inputMode="decimal" value={maxPct} onChange={(e) => setMaxPct(e.target.value)} className="rounded border border-slate-300 px-2 py-1" />
      </label>
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
