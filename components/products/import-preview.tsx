import type { ImportResult } from '@/lib/dashboard/schemas';
import { targetLabel } from '@/lib/sync/import-targets';
import { plural } from '@/lib/words';
import { Badge, Button, formatValue } from '../ui/controls';
import { CELL, TableHead } from '../ui/table';
import { ImportChanges } from './import-changes';
import { RowErrors } from './row-errors';
import type { ImportProgress } from './use-csv-import';

/**
 * What a check found: the counts, the columns it does not read, the cells that change the master,
 * the first rows as read, every refused row, and the button that stages the changes (disabled while
 * the columns changed since the check, or when nothing changes).
 */
export function ImportPreview({
  preview,
  stale,
  busy,
  committing,
  progress,
  onCommit,
}: {
  preview: ImportResult;
  stale: boolean;
  busy: boolean;
  committing: boolean;
  progress: ImportProgress | null;
  onCommit: () => void;
}) {
  const { counts } = preview;
  const changes = counts.changes ?? counts.valid;
  return (
    <div className="space-y-3" data-testid="import-preview">
      <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700" data-testid="import-counts">
        <Badge>{plural(counts.rows, 'row')}</Badge>
        <Badge tone="emerald">{counts.valid.toLocaleString()} ready to stage</Badge>
        <Badge tone={counts.errors ? 'red' : 'slate'}>{plural(counts.errors, 'row')} refused</Badge>
        {counts.changes === undefined ? null : <Badge tone="sky">{plural(counts.changes, 'cell')} change</Badge>}
        {counts.skipped ? <Badge>{counts.skipped.toLocaleString()} without product data (skipped)</Badge> : null}
        <span className="text-xs text-slate-500">
          {preview.encoding ? `${preview.encoding}, ` : ''}
          {preview.delimiter ? `separated by "${preview.delimiter === '\t' ? 'tab' : preview.delimiter}"` : ''}, keyed by{' '}
          {preview.keyColumn}
        </span>
      </p>
      {preview.ignored?.length ? (
        <p className="text-xs text-slate-600" data-testid="import-ignored">
          <span className="font-medium text-slate-700">Not imported (not synced, or not mapped):</span> {preview.ignored.join(', ')}
        </p>
      ) : null}
      <ImportChanges changes={preview.changes ?? []} total={counts.changes ?? 0} />
      <PreviewRows rows={preview.preview ?? []} />
      <RowErrors result={preview} />
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="primary" disabled={busy || stale || changes === 0} onClick={onCommit} data-testid="import-commit-button">
          {committing
            ? 'Staging…'
            : counts.changes === undefined
              ? `Stage ${counts.valid.toLocaleString()} rows`
              : `Stage ${changes.toLocaleString()} change${changes === 1 ? '' : 's'}`}
        </Button>
        {!stale && counts.valid > 0 && changes === 0 ? (
          <span className="text-xs text-slate-600">Nothing to stage: every accepted row matches the master.</span>
        ) : null}
        {stale ? <span className="text-xs text-amber-800">The columns changed: check again before staging.</span> : null}
        {!stale && counts.errors ? (
          <span className="text-xs text-slate-600">
            {counts.errors === 1 ? 'The refused row stays' : `The ${plural(counts.errors, 'refused row')} stay`} out; fix{' '}
            {counts.errors === 1 ? 'it' : 'them'} in the sheet and import it again.
          </span>
        ) : null}
      </div>
      {progress ? <ProgressBar progress={progress} /> : null}
    </div>
  );
}

function PreviewRows({ rows }: { rows: NonNullable<ImportResult['preview']> }) {
  if (rows.length === 0) return null;
  // Rows of one file carry different columns (a product's row, its variants' rows): show them all.
  const targets = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  return (
    <div className="overflow-x-auto rounded border border-slate-200">
      <table className="w-full text-xs" aria-label="First rows as they will be staged">
        <caption className="bg-slate-50 px-2 py-1 text-left font-medium text-slate-600">First rows as they will be staged</caption>
        <TableHead look="compact" columns={['Row', ...targets.map((t) => ({ key: t, label: targetLabel(t) }))]} />
        <tbody>
          {rows.map((p) => (
            <tr key={p.row} className="border-t border-slate-100">
              <td className={`${CELL.compact} tabular-nums text-slate-500`}>{p.row}</td>
              {targets.map((t) => (
                <td key={t} className={`max-w-48 truncate ${CELL.compact}`}>
                  {formatValue(p.values[t])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ProgressBar({ progress }: { progress: ImportProgress }) {
  const percent = progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <div className="space-y-1" data-testid="import-progress">
      <div
        className="h-2 rounded bg-slate-100"
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="h-2 rounded bg-emerald-500 transition-all" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-xs text-slate-600">
        {progress.done.toLocaleString()} of {progress.total.toLocaleString()} rows written
      </p>
    </div>
  );
}
