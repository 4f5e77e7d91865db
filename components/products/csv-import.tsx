'use client';

import { usePermission } from '../session-context';
import { ColumnMapping } from './column-mapping';
import { ImportOutcome } from './import-outcome';
import { ImportPreview } from './import-preview';
import { ImportUpload } from './import-upload';
import { useCsvImport } from './use-csv-import';

/**
 * CSV import (Shopify's product CSV, a supplier price list, a stock sheet): upload, check the column
 * mapping suggested from the headers, preview the cells that change the master and every refused
 * row with its reason, then stage them as outgoing changes. Nothing is written until "Stage";
 * refused rows stage nothing.
 */
export function CsvImport() {
  const edit = usePermission('edit');
  const csv = useCsvImport();
  if (!edit.allowed) {
    return (
      <p
        className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600"
        data-testid="empty-state"
      >
        {edit.reason ?? 'Only merchandisers and admins can import CSV files.'}
      </p>
    );
  }
  const { columns } = csv;
  const busy = csv.checking || csv.committing;
  return (
    <section
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
      aria-labelledby="csv-import-title"
      data-testid="csv-import"
    >
      <ImportUpload canCheck={Boolean(csv.file) && !busy} checking={csv.checking} onFile={csv.choose} onCheck={csv.checkFile} />
      {csv.error ? (
        <p role="alert" className="rounded bg-red-50 p-2 text-sm text-red-800" data-testid="import-error">
          {csv.error}
        </p>
      ) : null}
      {columns.mapping && columns.headers.length ? (
        <ColumnMapping
          columns={columns}
          mapping={columns.mapping}
          locations={csv.locations}
          location={csv.location}
          canCheck={Boolean(csv.file) && !busy}
          onLocation={csv.setLocation}
          onCheck={csv.checkColumns}
        />
      ) : null}
      {csv.preview ? (
        <ImportPreview
          preview={csv.preview}
          stale={csv.stale}
          busy={busy}
          committing={csv.committing}
          progress={csv.progress}
          onCommit={csv.commit}
        />
      ) : null}
      {csv.outcome ? <ImportOutcome outcome={csv.outcome} /> : null}
    </section>
  );
}
