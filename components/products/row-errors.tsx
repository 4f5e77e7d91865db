import { toCsv } from '@/lib/csv';
import type { ImportResult } from '@/lib/dashboard/schemas';
import { Button } from '../ui/controls';
import { CELL, TableHead } from '../ui/table';

const SHOWN_ERRORS = 100;

/** The per-row error report as a CSV file the user can fix the source sheet from. */
function downloadErrors(result: ImportResult) {
  const csv = toCsv(
    ['row', 'column', 'reason'],
    result.rowErrors.map((e) => [e.row, e.column ?? '', e.reason]),
  );
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${result.filename.replace(/\.csv$/i, '')}-errors.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The rows an import refused, each with its column and reason; the first hundred shown, all in the report. */
export function RowErrors({ result }: { result: ImportResult }) {
  if (result.rowErrors.length === 0) return null;
  return (
    <div className="space-y-1">
      <div className="flex items-center justify-between">
        <h3 className="text-sm font-semibold text-red-800">Refused rows</h3>
        <Button onClick={() => downloadErrors(result)} data-testid="import-errors-download">
          Download the error report (CSV)
        </Button>
      </div>
      <div className="max-h-64 overflow-auto rounded border border-red-100">
        <table className="w-full text-xs" data-testid="import-row-errors">
          <TableHead look="compact" className="sticky top-0 bg-red-50 text-red-900" columns={['Row', 'Column', 'Reason']} />
          <tbody>
            {result.rowErrors.slice(0, SHOWN_ERRORS).map((e) => (
              <tr key={`${e.row}|${e.column ?? ''}|${e.reason}`} className="border-t border-red-50" data-testid="import-row-error">
                <td className={`${CELL.compact} tabular-nums`}>{e.row}</td>
                <td className={`${CELL.compact} font-mono`}>{e.column ?? '—'}</td>
                <td className={CELL.compact}>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.rowErrors.length > SHOWN_ERRORS ? (
        <p className="text-xs text-slate-600">
          The first {SHOWN_ERRORS} of {result.rowErrors.length.toLocaleString()} are shown; the report has them all.
        </p>
      ) : null}
    </div>
  );
}
