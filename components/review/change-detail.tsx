'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { StagedChangeDetail } from '@/lib/dashboard/schemas';
import { fieldSpec } from '@/lib/sync/fields';
import type { EntityType } from '@/lib/sync/model';
import { usePermission } from '../session-context';
import { Badge, Button, ErrorState, formatValue, KIND_TONE, Skeleton } from '../ui/controls';
import { toast } from '../ui/toaster';
import { Delta, TextDiff } from './field-values';

type Choice = 'local' | 'remote' | 'custom';

/** Parses what a reviewer typed for a field and validates it with the field's own schema. */
export function parseCustomValue(entity: string, field: string, input: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const spec = fieldSpec(entity as EntityType, field);
  if (!spec) return { ok: true, value: input };
  let raw: unknown = input;
  if (spec.type === 'boolean') raw = input.trim().toLowerCase() === 'true' ? true : input.trim().toLowerCase() === 'false' ? false : input;
  if (spec.type === 'money' && input.trim() === '') raw = null;
  const parsed = spec.schema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: `${spec.label} ${parsed.error.issues[0]?.message ?? 'is not valid'}` };
  return { ok: true, value: parsed.data };
}

function proposal(kind: string, f: { local: unknown; remote: unknown }) {
  return kind === 'incoming' ? f.remote : f.local;
}

/** Shopify now against the proposal (and the base), field by field, with the decisions. */
export function ChangeDetail({ id, onDecided }: { id: string; onDecided?: () => void }) {
  const client = useQueryClient();
  const review = usePermission('review');
  const detail = useQuery({ queryKey: ['staged-detail', id], queryFn: () => dashboardApi.getStaged(id) });
  const change = detail.data;
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [custom, setCustom] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    if (!change) return;
    setChosen(new Set(change.fields.map((f) => f.name)));
    setChoices({});
    setCustom({});
    setFormError(null);
  }, [change?.id, change?.updatedAt]); // eslint-disable-line react-hooks/exhaustive-deps

  const done = (message: string) => {
    toast(message, 'success');
    void client.invalidateQueries({ queryKey: ['staged'] });
    void client.invalidateQueries({ queryKey: ['staged-detail', id] });
    onDecided?.();
  };
  const fail = (err: unknown) => setFormError(errorMessage(err));
  const approve = useMutation({
    mutationFn: (body: { fields?: string[]; resolution?: Record<string, unknown> }) => dashboardApi.approve(id, body),
    onSuccess: () => done('Change approved'),
    onError: fail,
  });
  const reject = useMutation({ mutationFn: () => dashboardApi.reject(id), onSuccess: () => done('Change rejected'), onError: fail });
  const unapprove = useMutation({ mutationFn: () => dashboardApi.unapprove(id), onSuccess: () => done('Approval taken back'), onError: fail });
  const busy = approve.isPending || reject.isPending || unapprove.isPending;

  if (detail.isPending) return <Skeleton rows={5} />;
  if (detail.isError) return <ErrorState error={detail.error} onRetry={() => void detail.refetch()} title="Could not load this change" />;
  if (!change) return null;

  const isConflict = change.kind === 'conflict';
  const allChosen = chosen.size === change.fields.length;

  function submitApprove() {
    if (!change) return;
    setFormError(null);
    if (chosen.size === 0) return setFormError('Choose at least one field to approve.');
    const fields = allChosen ? undefined : [...chosen];
    if (!isConflict) return approve.mutate({ fields });
    const resolution: Record<string, unknown> = {};
    for (const f of change.fields) {
      if (!chosen.has(f.name)) continue;
      const choice = choices[f.name];
      if (!choice) return setFormError(`Choose which value to keep for ${labelOf(change, f.name)}.`);
      if (choice === 'custom') {
        const parsed = parseCustomValue(change.entity, f.name, custom[f.name] ?? '');
        if (!parsed.ok) return setFormError(parsed.message);
        resolution[f.name] = { value: parsed.value };
      } else resolution[f.name] = choice;
    }
    approve.mutate({ fields, resolution });
  }

  return (
    <article className="space-y-4" aria-labelledby="change-title" data-testid="change-detail">
      <header>
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={KIND_TONE[change.kind]}>{change.kind}</Badge>
          <Badge>{String(change.entityLabel ?? change.entity)}</Badge>
          {change.op !== 'update' ? <Badge tone="red">{change.op}</Badge> : null}
          <Badge tone={change.status === 'pending' ? 'slate' : change.status === 'approved' ? 'emerald' : 'red'}>{change.status}</Badge>
          {change.autoRule ? <Badge tone="emerald">auto: {change.autoRule}</Badge> : null}
        </div>
        <h2 id="change-title" data-testid="change-title" className="mt-2 break-words text-lg font-semibold text-slate-900">
          {change.title ?? change.entityId ?? change.entityKey}
        </h2>
        <p className="text-xs text-slate-500">
          {[change.vendor, change.productType, change.entityId].filter(Boolean).join(' · ')}
        </p>
      </header>

      <div className="overflow-x-auto">
        <table className="w-full table-fixed text-sm">
          <caption className="sr-only">Field values: Shopify now, the proposal and the last agreed base</caption>
          <thead>
            <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
              <th scope="col" className="w-28 py-2 pr-2">Field</th>
              <th scope="col" className="py-2 pr-2">{change.kind === 'incoming' ? 'Master now' : 'Shopify now'}</th>
              <th scope="col" className="py-2 pr-2">{isConflict ? 'Ours (master)' : change.kind === 'incoming' ? 'Proposal (adopt into master)' : 'Proposal (write to Shopify)'}</th>
              <th scope="col" className="hidden py-2 pr-2 xl:table-cell">Base</th>
            </tr>
          </thead>
          <tbody>
            {change.fields.map((f) => {
              const spec = fieldSpec(change.entity as EntityType, f.name);
              const proposed = isConflict ? f.local : proposal(change.kind, f);
              const current = change.kind === 'incoming' ? f.local : f.remote;
              const long = spec?.long;
              const numeric = spec?.type === 'money' || spec?.type === 'integer';
              return (
                <tr key={f.name} className="border-b border-slate-100 align-top" data-testid={`field-${f.name}`}>
                  <th scope="row" className="py-2 pr-2 text-left font-medium text-slate-700">
                    <label className="flex items-start gap-2">
                      {review.allowed && change.status === 'pending' ? (
                        <input
                          type="checkbox"
                          className="mt-1"
                          checked={chosen.has(f.name)}
                          aria-label={`Include ${spec?.label ?? f.name}`}
                          onChange={(e) => {
                            const next = new Set(chosen);
                            if (e.target.checked) next.add(f.name);
                            else next.delete(f.name);
                            setChosen(next);
                          }}
                        />
                      ) : null}
                      <span className="break-words">{spec?.label ?? f.name}</span>
                    </label>
                  </th>
                  {long ? (
                    <td colSpan={2} className="py-2 pr-2">
                      <p className="mb-1 text-xs text-slate-500">Text diff, {change.kind === 'incoming' ? 'master' : 'Shopify'} now → {isConflict ? 'ours' : 'proposal'}; never rendered</p>
                      <TextDiff from={current} to={proposed} html={f.name === 'descriptionHtml'} />
                    </td>
                  ) : (
                    <>
                      <td className="break-words py-2 pr-2 text-slate-800">{formatValue(current)}</td>
                      <td className="break-words py-2 pr-2 font-medium text-slate-900">
                        {formatValue(proposed)}
                        {numeric ? <Delta from={current} to={proposed} money={spec?.type === 'money'} /> : null}
                      </td>
                    </>
                  )}
                  <td className="hidden break-words py-2 pr-2 text-slate-500 xl:table-cell">{long ? <span className="text-xs">{formatValue(f.base).slice(0, 120)}</span> : formatValue(f.base)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {isConflict && change.status === 'pending' && review.allowed ? (
        <fieldset className="space-y-3 rounded-md border border-amber-200 bg-amber-50/50 p-3" data-testid="conflict-resolution">
          <legend className="px-1 text-sm font-semibold text-amber-900">Resolve the conflict</legend>
          {change.fields
            .filter((f) => chosen.has(f.name))
            .map((f) => (
              <div key={f.name} className="space-y-1">
                <div className="text-sm font-medium text-slate-800">{labelOf(change, f.name)}</div>
                <div className="flex flex-wrap gap-3 text-sm" role="radiogroup" aria-label={`Value to keep for ${labelOf(change, f.name)}`}>
                  {(
                    [
                      ['remote', 'Keep Shopify'],
                      ['local', 'Keep ours'],
                      ['custom', 'Custom value'],
                    ] as const
                  ).map(([value, label]) => (
                    <label key={value} className="flex items-center gap-1">
                      <input type="radio" name={`resolve-${f.name}`} value={value} checked={choices[f.name] === value} onChange={() => setChoices({ ...choices, [f.name]: value })} />
                      {label}
                    </label>
                  ))}
                </div>
                {choices[f.name] === 'custom' ? (
                  <input
                    type="text"
                    className="w-full rounded border border-slate-300 px-2 py-1 text-sm"
                    aria-label={`Custom value for ${labelOf(change, f.name)}`}
                    data-testid={`custom-${f.name}`}
                    value={custom[f.name] ?? ''}
                    onChange={(e) => {
                      setFormError(null);
                      setCustom({ ...custom, [f.name]: e.target.value });
                    }}
                  />
                ) : null}
              </div>
            ))}
        </fieldset>
      ) : null}

      {change.error ? <p className="rounded bg-red-50 p-2 text-sm text-red-800">Shopify said: {change.error}</p> : null}
      {formError ? (
        <p role="alert" className="rounded bg-red-50 p-2 text-sm text-red-800" data-testid="decision-error">
          {formError}
        </p>
      ) : null}

      {review.allowed ? (
        <div className="flex flex-wrap gap-2">
          {change.status === 'pending' ? (
            <>
              <Button variant="primary" onClick={submitApprove} disabled={busy} data-testid="approve-button">
                {isConflict ? 'Resolve and approve' : allChosen ? 'Approve' : `Approve ${chosen.size} chosen field${chosen.size === 1 ? '' : 's'}`}
              </Button>
              <Button variant="danger" onClick={() => reject.mutate()} disabled={busy} data-testid="reject-button">
                Reject
              </Button>
            </>
          ) : null}
          {change.status === 'approved' ? (
            <Button onClick={() => unapprove.mutate()} disabled={busy} data-testid="unapprove-button">
              Take back approval
            </Button>
          ) : null}
        </div>
      ) : (
        <p className="text-sm text-slate-500">{review.reason}</p>
      )}
      <VariantTable change={change} />
      <RelatedChanges change={change} />
    </article>
  );
}

function labelOf(change: StagedChangeDetail, name: string): string {
  return fieldSpec(change.entity as EntityType, name)?.label ?? name;
}

/** One value of the catalog: the master's, with Shopify's beside it when the two differ. */
function CatalogValue({ local, remote, money }: { local: unknown; remote: unknown; money?: boolean }) {
  const same = formatValue(local) === formatValue(remote);
  const show = (v: unknown) => (money && v !== null && v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v).toFixed(2) : formatValue(v));
  if (same) return <span>{show(local)}</span>;
  return (
    <span className="inline-flex flex-col">
      <span className="font-medium text-slate-900" title="Product master">{local === undefined ? '—' : show(local)}</span>
      <span className="text-amber-800" title="Shopify now">Shopify: {remote === undefined ? '—' : show(remote)}</span>
    </span>
  );
}

/**
 * The product as the catalog holds it: every variant with SKU, price and inventory per location,
 * master and Shopify side by side where they differ, the variant this change is about marked.
 */
function VariantTable({ change }: { change: StagedChangeDetail }) {
  const variants = change.product?.variants ?? [];
  if (variants.length === 0) return null;
  const locations = new Map<string, string>();
  for (const v of variants) for (const l of v.inventory ?? []) if (l.location) locations.set(l.location, l.locationName ?? l.location);
  const current = (v: (typeof variants)[number]) =>
    v.shopifyId === change.entityKey || (change.entity === 'inventory_level' && (v.inventory ?? []).some((l) => l.key === change.entityKey));
  return (
    <section aria-label="Variants and inventory" className="space-y-1">
      <h3 className="text-sm font-semibold text-slate-800">
        Variants and inventory <span className="font-normal text-slate-500">({variants.length} {variants.length === 1 ? 'variant' : 'variants'}; Shopify's value shown where it differs from the master)</span>
      </h3>
      <div className="max-h-72 overflow-auto rounded border border-slate-200">
        <table className="w-full text-xs" data-testid="variant-table">
          <thead className="sticky top-0 bg-slate-50">
            <tr className="text-left text-slate-500">
              <th scope="col" className="px-2 py-1">Variant</th>
              <th scope="col" className="px-2 py-1">SKU</th>
              <th scope="col" className="px-2 py-1">Price</th>
              {[...locations].map(([id, name]) => (
                <th key={id} scope="col" className="px-2 py-1">
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {variants.map((v, i) => {
              const local = v.local ?? undefined;
              const remote = v.remote ?? undefined;
              return (
                <tr key={v.id ?? i} className={current(v) ? 'border-t border-slate-100 bg-sky-50' : 'border-t border-slate-100'} data-testid="variant-row" aria-current={current(v) ? 'true' : undefined}>
                  <th scope="row" className="px-2 py-1 text-left font-medium text-slate-700">
                    {v.title ?? v.shopifyId ?? 'New variant'}
                  </th>
                  <td className="px-2 py-1">
                    <CatalogValue local={local?.sku} remote={remote?.sku} />
                  </td>
                  <td className="px-2 py-1">
                    <CatalogValue local={local?.price} remote={remote?.price} money />
                  </td>
                  {[...locations.keys()].map((id) => {
                    const level = (v.inventory ?? []).find((l) => l.location === id);
                    return (
                      <td key={id} className="px-2 py-1">
                        {level ? <CatalogValue local={level.local?.available} remote={level.remote?.available} /> : <span className="text-slate-400">not stocked</span>}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The other pending changes of the same product: its variants, inventory per location, memberships. */
function RelatedChanges({ change }: { change: StagedChangeDetail }) {
  const productKey = change.productKey ?? null;
  const related = useQuery({
    queryKey: ['staged', { productId: productKey, related: true }],
    queryFn: () => dashboardApi.listStaged({ productId: productKey ?? undefined, status: 'pending,approved' }, { limit: 100 }),
    enabled: Boolean(productKey),
  });
  const others = (related.data?.items ?? []).filter((c) => c.id !== change.id);
  if (!productKey || others.length === 0) return null;
  const groups = [
    ['variant', 'Variants'],
    ['inventory_level', 'Inventory per location'],
    ['membership', 'Collection membership'],
    ['product', 'Product'],
    ['collection', 'Collection'],
  ] as const;
  return (
    <section aria-label="Other changes of this product" className="space-y-3">
      <h3 className="text-sm font-semibold text-slate-800">Other changes of this product</h3>
      {groups.map(([entity, label]) => {
        const rows = others.filter((c) => c.entity === entity);
        if (rows.length === 0) return null;
        return (
          <table key={entity} className="w-full text-xs" data-testid={`related-${entity}`}>
            <caption className="py-1 text-left font-medium text-slate-600">{label}</caption>
            <thead>
              <tr className="text-left text-slate-500">
                <th scope="col" className="pr-2">Item</th>
                <th scope="col" className="pr-2">Field</th>
                <th scope="col" className="pr-2">Shopify now</th>
                <th scope="col" className="pr-2">Proposal</th>
              </tr>
            </thead>
            <tbody>
              {rows.flatMap((c) =>
                c.fields.map((f) => (
                  <tr key={`${c.id}-${f.name}`} className="border-t border-slate-100">
                    <td className="max-w-40 truncate pr-2" title={String((c.context as Record<string, unknown> | undefined)?.title ?? c.entityKey)}>
                      {String((c.context as Record<string, unknown> | undefined)?.title ?? (c.context as Record<string, unknown> | undefined)?.locationName ?? c.entityKey)}
                    </td>
                    <td className="pr-2">{fieldSpec(c.entity as EntityType, f.name)?.label ?? f.name}</td>
                    <td className="pr-2">{formatValue(f.remote)}</td>
                    <td className="pr-2 font-medium">
                      {formatValue(c.kind === 'incoming' ? f.remote : f.local)}
                      <Delta from={c.kind === 'incoming' ? f.local : f.remote} to={c.kind === 'incoming' ? f.remote : f.local} />
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        );
      })}
    </section>
  );
}
