import type { RollbackPreview } from '@/lib/dashboard/schemas';
import { plural } from '@/lib/words';
import { describeValues, readableName } from './batch-values';

type Line = RollbackPreview['restore'][number];

/** What an item is: its product and the variant, level or collection within it, as the server names them. */
function name(line: Line): string {
  const title = readableName(line.productTitle, 'A product no longer in the catalog');
  const detail = readableName(line.entityLabel, '');
  return detail && detail !== title ? `${title} · ${detail}` : title;
}

/**
 * The preview of a rollback: what is restored (from -> to) and what is skipped with the reason,
 * named by product and variant; a drifted item shows the value Shopify holds now.
 */
export function RollbackPreviewList({ preview }: { preview: RollbackPreview }) {
  return (
    <div className="space-y-3" data-testid="rollback-preview">
      <p>
        <strong>{plural(preview.restore.length, 'item')}</strong> will be restored to the value before the batch;{' '}
        <strong>{preview.skipped.length.toLocaleString('en-US')}</strong> will be skipped.
      </p>
      {preview.restore.length ? (
        <ul className="max-h-40 list-disc overflow-auto pl-5 text-xs">
          {preview.restore.map((r) => (
            <li key={r.itemId}>
              {name(r)}: {describeValues(r.entity, r.from, preview.valueNames)} → {describeValues(r.entity, r.to, preview.valueNames)}
            </li>
          ))}
        </ul>
      ) : null}
      {preview.skipped.length ? (
        <div>
          <p className="font-medium text-amber-900">Skipped</p>
          <ul className="max-h-40 list-disc overflow-auto pl-5 text-xs" data-testid="rollback-skipped">
            {preview.skipped.map((r) => (
              <li key={r.itemId}>
                {name(r)}: {r.reason}
                {r.observed ? (
                  <span className="text-slate-700"> (Shopify now: {describeValues(r.entity, r.observed, preview.valueNames)})</span>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
