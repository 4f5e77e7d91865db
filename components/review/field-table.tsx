import clsx from 'clsx';
import { ArrowLeft, ArrowRight } from 'lucide-react';
import type { ReactNode } from 'react';
import type { StagedChangeDetail } from '@/lib/dashboard/schemas';
import { metafieldLabel } from '@/lib/sync/metafields';
import { formatValue } from '../ui/controls';
import { CELL, TableHead } from '../ui/table';
import { hasDelta, specOf } from './field-label';
import { Delta, TextDiff } from './field-values';
import { MetafieldValueView, metafieldShort } from './metafield-value';
import { OptionsChange } from './options-change';
import type { Choice } from './use-decision-draft';

type Field = StagedChangeDetail['fields'][number];

/** The proposal's direction between the fixed columns: into Shopify, into the master, or undecided (a conflict). */
export function Direction({ kind }: { kind: StagedChangeDetail['kind'] }) {
  if (kind === 'conflict') return <span className="text-xs font-semibold text-amber-700">choose</span>;
  const Icon = kind === 'outgoing' ? ArrowRight : ArrowLeft;
  return (
    <span
      className="inline-flex items-center text-emerald-700"
      title={kind === 'outgoing' ? 'Master value goes to Shopify' : "Shopify's value comes into the master"}
    >
      <Icon className="h-4 w-4" aria-hidden="true" />
      <span className="sr-only">{kind === 'outgoing' ? 'goes to Shopify' : 'comes into the master'}</span>
    </span>
  );
}

/**
 * The fields side by side in fixed columns, Master | Shopify, with an arrow for the proposal's
 * direction (and the last agreed base on wide screens). `chosen` (null when nothing can be decided,
 * or for a whole create or delete) puts a checkbox on each field. For a conflict the choice is made
 * on the values: clicking the master's or Shopify's value keeps it.
 */
export function FieldTable({
  change,
  chosen,
  onChoose,
  choices,
  onPick,
}: {
  change: StagedChangeDetail;
  chosen: ReadonlySet<string> | null;
  onChoose: (field: string, on: boolean) => void;
  choices?: Readonly<Record<string, Choice>>;
  onPick?: (field: string, choice: Choice) => void;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full table-fixed text-sm" data-testid="field-table">
        <caption className="sr-only">Field values: the master, the proposal's direction, Shopify, and the last agreed base</caption>
        <TableHead
          look="plain"
          columns={[
            { key: 'field', label: 'Field', className: 'w-24 sm:w-28' },
            { key: 'master', label: 'Master' },
            { key: 'direction', label: <span className="sr-only">Direction</span>, className: 'w-12 text-center' },
            { key: 'shopify', label: 'Shopify' },
            { key: 'base', label: 'Base', className: 'hidden xl:table-cell' },
          ]}
        />
        <tbody>
          {change.fields.map((f) => (
            <FieldRow
              key={f.name}
              change={change}
              field={f}
              chosen={chosen}
              onChoose={onChoose}
              choice={choices?.[f.name]}
              onPick={chosen?.has(f.name) && change.kind === 'conflict' ? onPick : undefined}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FieldRow({
  change,
  field: f,
  chosen,
  onChoose,
  choice,
  onPick,
}: {
  change: StagedChangeDetail;
  field: Field;
  chosen: ReadonlySet<string> | null;
  onChoose: (field: string, on: boolean) => void;
  choice: Choice | undefined;
  onPick: ((field: string, choice: Choice) => void) | undefined;
}) {
  const spec = specOf(change.entity, f.name);
  const metafield = spec?.type === 'metafield';
  const label = metafield ? metafieldLabel(change.entityKey, change.metafieldName) : (spec?.label ?? f.name);
  const numeric = hasDelta(change.entity, f.name);
  // The proposed value (Shopify's for incoming, the master's for outgoing) is bold, with its delta from the other side.
  const proposed = change.kind === 'incoming' ? 'remote' : change.kind === 'outgoing' ? 'local' : null;
  const cell = (side: 'local' | 'remote'): ReactNode => {
    const value = metafield ? (
      <MetafieldValueView value={f[side]} other={f[side === 'local' ? 'remote' : 'local']} names={change.valueNames} />
    ) : (
      (f.display?.[side] ?? formatValue(f[side]))
    );
    const written = side === proposed;
    const content = (
      <>
        {value}
        {numeric && written ? <Delta from={f[side === 'local' ? 'remote' : 'local']} to={f[side]} money={spec?.type === 'money'} /> : null}
        {spec?.type === 'options' && written ? <OptionsChange from={f[side === 'local' ? 'remote' : 'local']} to={f[side]} /> : null}
      </>
    );
    if (!onPick) return <span className={clsx(written && 'font-medium text-slate-900')}>{content}</span>;
    const picked = choice === side;
    return (
      <button
        type="button"
        aria-pressed={picked}
        onClick={() => onPick(f.name, side)}
        data-testid={`pick-${side}-${f.name}`}
        className={clsx(
          'w-full break-words rounded border px-2 py-1 text-left',
          picked ? 'border-emerald-500 bg-emerald-50 font-medium text-emerald-900' : 'border-slate-300 bg-white hover:border-emerald-400',
        )}
      >
        <span className="sr-only">Keep {side === 'local' ? "the master's" : "Shopify's"} value: </span>
        {content}
      </button>
    );
  };
  return (
    <tr className="border-b border-slate-100 align-top" data-testid={`field-${f.name}`}>
      <th scope="row" className={`${CELL.plain} text-left font-medium text-slate-700`}>
        {chosen ? (
          <label className="flex items-start gap-2">
            <input
              type="checkbox"
              className="mt-1"
              checked={chosen.has(f.name)}
              aria-label={`Include ${label}`}
              onChange={(e) => onChoose(f.name, e.target.checked)}
            />
            <span className="break-words">{label}</span>
          </label>
        ) : (
          <span className="break-words">{label}</span>
        )}
      </th>
      {spec?.long && !onPick ? (
        <td colSpan={3} className={CELL.plain}>
          <p className="mb-1 text-xs text-slate-500">
            Text diff,{' '}
            {change.kind === 'incoming'
              ? 'master → Shopify’s new text'
              : change.kind === 'outgoing'
                ? 'Shopify → the master’s new text'
                : 'master → Shopify'}
            ; never rendered
          </p>
          <TextDiff
            from={change.kind === 'outgoing' ? f.remote : f.local}
            to={change.kind === 'outgoing' ? f.local : f.remote}
            html={f.name === 'descriptionHtml'}
          />
        </td>
      ) : (
        <>
          <td className={`break-words ${CELL.plain} text-slate-800`} data-testid="master-value">
            {cell('local')}
          </td>
          <td className={`${CELL.plain} text-center`}>
            <Direction kind={change.kind} />
          </td>
          <td className={`break-words ${CELL.plain} text-slate-800`} data-testid="shopify-value">
            {cell('remote')}
          </td>
        </>
      )}
      <td className={`hidden break-words ${CELL.plain} text-slate-500 xl:table-cell`}>
        {spec?.long ? (
          <span className="text-xs">{formatValue(f.base).slice(0, 120)}</span>
        ) : metafield ? (
          metafieldShort(f.base, change.valueNames)
        ) : (
          (f.display?.base ?? formatValue(f.base))
        )}
      </td>
    </tr>
  );
}
