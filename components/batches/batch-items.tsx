'use client';

import type { BatchItemView } from '@/lib/dashboard/schemas';
import { usePermission } from '../session-context';
import { Badge } from '../ui/controls';
import { TableHead } from '../ui/table';
import { statusTone } from './batch-list';
import { describeValues, readableName } from './batch-values';
import { RestoreAnyway } from './restore-anyway';

/** Value columns from the sm breakpoint; a phone shows the values under the item's name instead. */
const WIDE = 'hidden sm:table-cell';

/** What the value columns mean for each kind of batch. */
const VALUE_COLUMNS: Record<string, [string, string]> = {
  push: ['Shopify had', 'Pushed'],
  adopt: ['Master had', 'Master now'],
  rollback: ['We pushed', 'Restores to'],
};

/** The name of an item: its product, then the variant, stock level or collection within it. */
export function itemName(item: BatchItemView): { title: string; detail: string | null } {
  const title = readableName(item.productTitle, 'A product no longer in the catalog');
  const detail = readableName(item.entityLabel, '');
  return { title, detail: detail && detail !== title ? detail : null };
}

/**
 * A batch's items with their outcome. A drifted item shows what Shopify held instead beside our
 * value; in a rollback an admin can restore it anyway.
 */
export function BatchItemsTable({
  batch,
  items,
  chosen,
  choose,
}: {
  batch: { id: string; kind: string };
  items: BatchItemView[];
  chosen: ReadonlySet<string>;
  choose?: (id: string, member: boolean) => void;
}) {
  const operate = usePermission('operate');
  const [was, now] = VALUE_COLUMNS[batch.kind] ?? ['Before', 'After'];
  const canRestore = operate.allowed && batch.kind === 'rollback';
  const columns = [
    ...(choose ? [{ key: 'choose', label: <span className="sr-only">Choose</span>, className: 'w-8' }] : []),
    'Item',
    'Outcome',
    { key: 'was', label: was, className: WIDE },
    { key: 'now', label: now, className: WIDE },
    { key: 'shopify', label: 'Shopify now', className: `${WIDE} min-w-40` },
  ];
  return (
    <table className="w-full text-sm" data-testid="batch-items">
      <caption className="sr-only">Items of the batch and their outcomes</caption>
      <TableHead columns={columns} />
      <tbody>
        {items.map((item) => {
          const name = itemName(item);
          const drifted = item.status === 'drifted';
          const shopifyNow = (
            <>
              {drifted && item.observed ? (
                <span className="font-medium text-amber-900">
                  <span className="sm:hidden">Shopify now: </span>
                  {describeValues(item.entity, item.observed, item.valueNames)}
                </span>
              ) : null}
              {item.error ? <p className={drifted ? 'text-slate-600' : 'text-red-700'}>{item.error}</p> : null}
            </>
          );
          return (
            <tr key={item.id} className="border-t border-slate-100 align-top" data-testid="batch-item" data-status={item.status}>
              {choose ? (
                <td className="px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label={`Choose ${name.title}${name.detail ? `, ${name.detail}` : ''} for rollback`}
                    disabled={item.status !== 'applied'}
                    checked={chosen.has(item.id)}
                    onChange={(e) => choose(item.id, e.target.checked)}
                  />
                </td>
              ) : null}
              <td className="max-w-64 px-3 py-2">
                <div className="truncate font-medium text-slate-900">{name.title}</div>
                {name.detail ? <div className="truncate text-xs text-slate-600">{name.detail}</div> : null}
                <dl className="mt-1 text-xs text-slate-700 sm:hidden">
                  <div>
                    <dt className="inline font-medium">{was}: </dt>
                    <dd className="inline">{describeValues(item.entity, item.before, item.valueNames)}</dd>
                  </div>
                  <div>
                    <dt className="inline font-medium">{now}: </dt>
                    <dd className="inline">{describeValues(item.entity, item.after ?? item.target, item.valueNames)}</dd>
                  </div>
                </dl>
                <div className="sm:hidden">{shopifyNow}</div>
              </td>
              <td className="px-3 py-2">
                <Badge tone={statusTone(item.status)}>{item.status.replace('_', ' ')}</Badge>
                {drifted && item.observed && canRestore ? (
                  <div className="mt-2">
                    <RestoreAnyway rollbackId={batch.id} item={item} name={name.detail ? `${name.title} (${name.detail})` : name.title} />
                  </div>
                ) : null}
              </td>
              <td className={`${WIDE} max-w-48 break-words px-3 py-2 text-xs text-slate-600`}>
                {describeValues(item.entity, item.before, item.valueNames)}
              </td>
              <td className={`${WIDE} max-w-48 break-words px-3 py-2 text-xs text-slate-800`}>
                {describeValues(item.entity, item.after ?? item.target, item.valueNames)}
              </td>
              <td className={`${WIDE} max-w-64 break-words px-3 py-2 text-xs`} data-testid="batch-item-shopify-now">
                {shopifyNow}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
