import Link from 'next/link';
import type { ImportResult } from '@/lib/dashboard/schemas';
import { plural } from '@/lib/words';
import { RowErrors } from './row-errors';

/** What an import staged, what already matched the master, and the rows it refused. */
export function ImportOutcome({ outcome }: { outcome: ImportResult }) {
  const { staged = 0, unchanged, errors } = outcome.counts;
  return (
    <div className="space-y-3 rounded-md bg-emerald-50 p-3" role="status" data-testid="import-outcome">
      <p className="text-sm text-emerald-900">
        <strong>{plural(staged, 'change')} staged</strong> from {outcome.filename}
        {unchanged ? `, ${plural(unchanged, 'row')} already matched the master` : ''}
        {errors ? `, ${plural(errors, 'row')} refused` : ''}.{' '}
        <Link href="/review" className="font-medium underline">
          Review them
        </Link>
      </p>
      <RowErrors result={outcome} />
    </div>
  );
}
