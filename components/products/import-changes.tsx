import type { ImportResult } from '@/lib/dashboard/schemas';
import { formatValue } from '../ui/controls';
import { CELL, TableHead } from '../ui/table';

type Change = NonNullable<ImportResult['changes']>[number];

/** The cells of the file that differ from the master: what staging will propose, cell by cell. */
export function ImportChanges({ changes, total }: { changes: Change[]; total: number }) {
  if (changes.length === 0) return null;
  return (
    <div className="space-y-1">
      <div className="max-h-80 overflow-auto rounded border border-slate-200">
        <table className="w-full text-xs" aria-label="Cells that change the master" data-testid="import-changes">
          <caption className="bg-slate-50 px-2 py-1 text-left font-medium text-slate-600">Cells that change the master</caption>
          <TableHead
            look="compact"
            className="sticky top-0 bg-white"
            columns={[
              'Row',
              'Product',
              { key: 'item', label: 'Variant, location or collection', className: 'hidden sm:table-cell' },
              'Field',
              { key: 'now', label: 'Now', className: 'hidden sm:table-cell' },
              'New',
            ]}
          />
          <tbody>
            {changes.map((c) => (
              <tr key={`${c.row}|${c.item}|${c.field}`} className="border-t border-slate-100" data-testid="import-change">
                <td className={`${CELL.compact} tabular-nums text-slate-500`}>{c.row}</td>
                <td className={`${CELL.compact} max-w-40 truncate font-mono`}>
                  {c.product}
                  {c.item ? <span className="block text-slate-500 sm:hidden">{c.item}</span> : null}
                </td>
                <td className={`${CELL.compact} hidden max-w-48 truncate sm:table-cell`}>{c.item ?? '—'}</td>
                <td className={CELL.compact}>{c.field}</td>
                <td className={`${CELL.compact} hidden max-w-48 truncate text-slate-500 sm:table-cell`}>{formatValue(c.from)}</td>
                <td className={`${CELL.compact} max-w-48 truncate font-medium text-slate-900`}>
                  <span className="block font-normal text-slate-500 line-through sm:hidden">{formatValue(c.from)}</span>
                  {formatValue(c.to)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > changes.length ? (
        <p className="text-xs text-slate-600">
          The first {changes.length.toLocaleString()} of {total.toLocaleString()} changed cells are shown; all are staged.
        </p>
      ) : null}
    </div>
  );
}
