'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { dashboardApi, errorMessage, type OwnershipSelection } from '@/lib/dashboard/api';
import type { OwnershipOutcomeView } from '@/lib/dashboard/schemas';
import { ENTITY_LABELS, fieldsOf } from '@/lib/sync/fields';
import { ENTITY_TYPES, type EntityType } from '@/lib/sync/model';
import { FIELD_OWNERS, fieldLabel, OWNERSHIP_DECISION_LABELS, type Owner, type OwnershipDecision } from '@/lib/sync/ownership';
import { usePermission } from '../session-context';
import { Badge, Button, ConfirmDialog, ErrorState, Skeleton } from '../ui/controls';
import { SelectField } from '../ui/fields';
import { Section } from '../ui/section';
import { toast } from '../ui/toaster';

const OWNER_TEXT: Record<Owner, string> = {
  master: 'Master owns: Shopify edits are restored',
  shopify: 'Shopify owns: its edits are adopted',
  review: 'Review: a person decides',
};
const OWNER_TONE = { master: 'violet', shopify: 'sky', review: 'slate' } as const;

const SAMPLE_WORDS: Record<OwnershipDecision, string> = {
  adopt: "Shopify's value adopted",
  restore: "master's value kept, restore staged",
  keep_master: "master's value wins",
};

interface Pending {
  title: string;
  selection: OwnershipSelection;
  outcome: OwnershipOutcomeView | null;
}

/**
 * Who decides a field's Shopify edits, per field of the store: presets set several rules at once.
 * Enabling is always previewed first ("this would decide 37 pending changes: ...") and confirmed.
 */
export function FieldOwnership() {
  const client = useQueryClient();
  const settings = usePermission('settings');
  const rules = useQuery({ queryKey: ['ownership'], queryFn: () => dashboardApi.listOwnership() });
  const [pending, setPending] = useState<Pending | null>(null);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['ownership'] });
    void client.invalidateQueries({ queryKey: ['staged'] });
  };
  const preview = useMutation({
    mutationFn: (p: Omit<Pending, 'outcome'>) => dashboardApi.previewOwnership(p.selection),
    onMutate: (p) => setPending({ ...p, outcome: null }),
    onSuccess: (outcome, p) => setPending({ ...p, outcome }),
    onError: (e) => {
      setPending(null);
      toast(errorMessage(e), 'error');
    },
  });
  const enable = useMutation({
    mutationFn: (selection: OwnershipSelection) => dashboardApi.enableOwnership(selection),
    onSuccess: (result) => {
      setPending(null);
      toast(result.outcome.message, 'success');
      refresh();
    },
    onError: (e) => toast(errorMessage(e), 'error'),
  });
  const remove = useMutation({
    mutationFn: (id: string) => dashboardApi.deleteOwnership(id),
    onSuccess: refresh,
    onError: (e) => toast(errorMessage(e), 'error'),
  });
  const ask = (title: string, selection: OwnershipSelection) => preview.mutate({ title, selection });

  return (
    <Section
      headingId="ownership-title"
      look="card"
      testId="field-ownership"
      title="Field ownership"
      description={
        "Who decides a field's Shopify edits. Shopify-owned fields are adopted into the master; master-owned fields keep the " +
        "master's value and stage a restore of Shopify for push approval; conflicts go to the owner. Other fields wait for review."
      }
      note={settings.allowed ? null : settings.reason}
    >
      {rules.isPending ? (
        <Skeleton rows={3} />
      ) : rules.isError ? (
        <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
      ) : (
        <div className="space-y-4">
          <ul className="grid gap-3 md:grid-cols-2" data-testid="ownership-presets">
            {rules.data.presets.map((p) => (
              <li key={p.name} className="flex flex-col gap-2 rounded-md border border-slate-200 p-3 text-sm">
                <div className="font-medium text-slate-900">{p.label}</div>
                <p className="text-xs text-slate-600">{p.description}</p>
                <p className="text-xs text-slate-500">{p.rules.map((r) => fieldLabel(r.entity, r.field)).join(', ')}</p>
                {settings.allowed ? (
                  <Button className="self-start" onClick={() => ask(`Enable “${p.label}”?`, { preset: p.name })}>
                    Preview and enable
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
          {rules.data.items.length === 0 ? (
            <p className="text-sm text-slate-600" data-testid="ownership-empty">
              No field has an owner: every change waits for a person.
            </p>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="ownership-rules">
              {rules.data.items.map((r) => (
                <li key={r.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
                  <span className="min-w-0 flex-1 font-medium text-slate-900">{fieldLabel(r.entity, r.field)}</span>
                  <Badge tone={OWNER_TONE[r.owner]}>{OWNER_TEXT[r.owner]}</Badge>
                  <span className="text-xs text-slate-500">{r.name}</span>
                  {settings.allowed ? (
                    <Button
                      variant="ghost"
                      onClick={() => remove.mutate(r.id)}
                      aria-label={`Remove the owner of ${fieldLabel(r.entity, r.field)}`}
                    >
                      Remove
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {settings.allowed ? <OwnershipForm onPreview={ask} /> : null}
        </div>
      )}
      <ConfirmDialog
        open={pending !== null}
        title={pending?.title ?? ''}
        confirmLabel="Enable"
        busy={enable.isPending}
        confirmDisabled={!pending?.outcome}
        onCancel={() => setPending(null)}
        onConfirm={() => pending && enable.mutate(pending.selection)}
      >
        {pending?.outcome ? <PreviewText outcome={pending.outcome} /> : <p>Counting the pending changes it would decide…</p>}
      </ConfirmDialog>
    </Section>
  );
}

function PreviewText({ outcome }: { outcome: OwnershipOutcomeView }) {
  return (
    <div className="space-y-3" data-testid="ownership-preview">
      <p className="font-medium text-slate-900">{outcome.message}.</p>
      {outcome.counts.length ? (
        <ul className="list-disc pl-5 text-xs">
          {outcome.counts.map((c) => (
            <li key={`${c.decision}-${c.entity}-${c.field}`}>
              {OWNERSHIP_DECISION_LABELS[c.decision]} {c.count} × {fieldLabel(c.entity, c.field)}
            </li>
          ))}
        </ul>
      ) : null}
      {outcome.sample.length ? (
        <div>
          <p className="text-xs text-slate-500">For example:</p>
          <ul className="text-xs">
            {outcome.sample.map((s) => (
              <li key={s.changeId} className="truncate">
                {s.title ?? ENTITY_LABELS[s.entity]}: {s.fields.map((f) => fieldLabel(s.entity, f)).join(', ')} —{' '}
                {SAMPLE_WORDS[s.decision as OwnershipDecision] ?? s.decision}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p className="text-xs text-slate-600">Future changes of these fields are decided the same way as they are staged.</p>
    </div>
  );
}

const ENTITY_OPTIONS = ENTITY_TYPES.map((e) => [e, ENTITY_LABELS[e]] as const);
const OWNER_OPTIONS = FIELD_OWNERS.map((o) => [o, OWNER_TEXT[o]] as const);

function OwnershipForm({ onPreview }: { onPreview: (title: string, selection: OwnershipSelection) => void }) {
  const [entity, setEntity] = useState<EntityType>('variant');
  const [field, setField] = useState('price');
  const [owner, setOwner] = useState<Owner>('master');
  const fields = fieldsOf(entity).map((f) => [f.name, f.label] as const);
  return (
    <div className="flex flex-wrap items-end gap-2 border-t border-slate-100 pt-3 text-sm">
      <SelectField
        label="Entity"
        value={entity}
        options={ENTITY_OPTIONS}
        onValue={(v) => {
          setEntity(v as EntityType);
          setField(fieldsOf(v as EntityType)[0]!.name);
        }}
      />
      <SelectField label="Field" value={field} options={fields} onValue={setField} />
      <SelectField label="Owner" value={owner} options={OWNER_OPTIONS} onValue={(v) => setOwner(v as Owner)} />
      <Button
        onClick={() => onPreview(`Set the owner of ${fieldLabel(entity, field)}?`, { rules: [{ entity, field, owner }] })}
        data-testid="ownership-preview-rule"
      >
        Preview
      </Button>
    </div>
  );
}
