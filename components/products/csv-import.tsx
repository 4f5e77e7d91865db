'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ApiError } from '@/lib/api-client';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { ImportResult } from '@/lib/dashboard/schemas';
import { IMPORT_TARGET_LABELS, IMPORT_TARGETS, KEY_TARGETS } from '@/lib/sync/import-targets';
import { useRealtimeEvent } from '../realtime/realtime-provider';
import { usePermission } from '../session-context';
import { Badge, Button, formatValue } from '../ui/controls';

const SHOWN_ERRORS = 100;

/** The per-row error report as a CSV file the user can fix the source sheet from. */
function downloadErrors(result: ImportResult) {
  const quote = (v: unknown) => `"${String(v ?? '').replace(/"/g, '""')}"`;
  const lines = ['row,column,reason', ...result.rowErrors.map((e) => [e.row, e.column ?? '', e.reason].map(quote).join(','))];
  const url = URL.createObjectURL(new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${result.filename.replace(/\.csv$/i, '')}-errors.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * CSV import (a supplier price list, a stock sheet): upload, check the column mapping suggested
 * from the headers, preview the normalized rows and every refused row with its reason, then stage
 * the valid rows as outgoing changes. Nothing is written until "Stage"; refused rows stage nothing.
 */
export function CsvImport() {
  const edit = usePermission('edit');
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [headers, setHeaders] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Record<string, string> | null>(null);
  const [keyColumn, setKeyColumn] = useState<string>('');
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [outcome, setOutcome] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);

  const check = useMutation({
    mutationFn: (options: { mapping?: Record<string, string>; keyColumn?: string }) => dashboardApi.importCsv(file!, { ...options, commit: false }),
    onMutate: () => {
      setError(null);
      setOutcome(null);
    },
    onSuccess: (result) => {
      const columns = result.headers ?? Object.keys(result.mapping);
      setPreview(result);
      setHeaders(columns);
      setMapping(Object.fromEntries(columns.map((h) => [h, result.mapping[h] ?? ''])));
      setKeyColumn(result.keyColumn ?? '');
    },
    onError: (err) => {
      setPreview(null);
      setError(errorMessage(err));
      // No key column found: offer the mapping form over the file's headers so the user can pick one.
      const details = err instanceof ApiError ? (err.details as { headers?: string[]; suggestedMapping?: Record<string, string> } | undefined) : undefined;
      if (details?.headers) {
        setHeaders(details.headers);
        setMapping(Object.fromEntries(details.headers.map((h) => [h, details.suggestedMapping?.[h] ?? ''])));
      }
    },
  });
  const commit = useMutation({
    mutationFn: () => dashboardApi.importCsv(file!, { mapping: mapping ?? undefined, keyColumn: keyColumn || undefined, commit: true }),
    onMutate: () => {
      setError(null);
      setProgress({ done: 0, total: preview?.counts.valid ?? 0 });
    },
    onSuccess: (result) => {
      setOutcome(result);
      setPreview(null);
      setProgress(null);
      void client.invalidateQueries({ queryKey: ['staged'] });
      void client.invalidateQueries({ queryKey: ['products'] });
    },
    onError: (err) => {
      setProgress(null);
      setError(errorMessage(err));
    },
  });
  useRealtimeEvent(['import_status'], (m) => {
    if (!commit.isPending || !m.data.progress) return;
    setProgress({ done: Number(m.data.progress.done ?? 0), total: Number(m.data.progress.total ?? 0) });
  });

  if (!edit.allowed) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600" data-testid="empty-state">
        {edit.reason ?? 'Only merchandisers and admins can import CSV files.'}
      </p>
    );
  }

  const mapped = (m: Record<string, string> | null | undefined) => JSON.stringify(Object.entries(m ?? {}).filter(([, v]) => v).sort());
  const stale = Boolean(preview && mapping && mapped(mapping) !== mapped(preview.mapping));
  const keyOptions = headers.filter((h) => (KEY_TARGETS as readonly string[]).includes(mapping?.[h] ?? ''));
  const busy = check.isPending || commit.isPending;
  const choose = (f: File | null) => {
    setFile(f);
    setPreview(null);
    setOutcome(null);
    setMapping(null);
    setHeaders([]);
    setKeyColumn('');
    setError(null);
  };

  return (
    <section className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="csv-import-title" data-testid="csv-import">
      <div>
        <h2 id="csv-import-title" className="text-base font-semibold text-slate-900">
          Import a CSV
        </h2>
        <p className="text-sm text-slate-600">
          A supplier price list or a stock sheet, keyed by SKU or handle. Prices like &quot;1.234,50&quot; or &quot;$12&quot; are understood. You see every row
          before anything is staged; rows with errors stage nothing and are listed with the reason.
        </p>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">CSV file</span>
          <input
            type="file"
            accept=".csv,text/csv"
            data-testid="import-file"
            className="block text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium"
            onChange={(e) => choose(e.target.files?.[0] ?? null)}
          />
        </label>
        <Button variant="primary" disabled={!file || busy} onClick={() => check.mutate({})} data-testid="import-preview-button">
          {check.isPending ? 'Reading…' : 'Preview'}
        </Button>
      </div>

      {error ? (
        <p role="alert" className="rounded bg-red-50 p-2 text-sm text-red-800" data-testid="import-error">
          {error}
        </p>
      ) : null}

      {mapping && headers.length ? (
        <fieldset className="space-y-2" data-testid="import-mapping">
          <legend className="text-sm font-semibold text-slate-800">Columns</legend>
          <div className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-3">
            {headers.map((h) => (
              <label key={h} className="flex items-center gap-2 text-sm">
                <span className="w-36 truncate font-mono text-xs text-slate-700" title={h}>
                  {h}
                </span>
                <select
                  className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1 text-sm"
                  value={mapping[h] ?? ''}
                  aria-label={`Field for column ${h}`}
                  onChange={(e) => {
                    const target = e.target.value;
                    // A field takes one column: moving it here frees the column that had it.
                    const next = Object.fromEntries(Object.entries(mapping).map(([k, v]) => [k, target && v === target ? '' : v]));
                    next[h] = target;
                    setMapping(next);
                    if (keyColumn && !(KEY_TARGETS as readonly string[]).includes(next[keyColumn] ?? '')) setKeyColumn('');
                  }}
                >
                  <option value="">Ignore</option>
                  {IMPORT_TARGETS.map((t) => (
                    <option key={t} value={t}>
                      {IMPORT_TARGET_LABELS[t]}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          <div className="flex flex-wrap items-center gap-3 text-sm">
            {keyOptions.length > 1 ? (
              <label className="flex items-center gap-2">
                Find products by
                <select className="rounded-md border border-slate-300 px-2 py-1" value={keyColumn} onChange={(e) => setKeyColumn(e.target.value)} aria-label="Key column">
                  <option value="">SKU if mapped, else handle</option>
                  {keyOptions.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <Button disabled={!file || busy} onClick={() => check.mutate({ mapping, keyColumn: keyColumn || undefined })} data-testid="import-recheck-button">
              Check again with these columns
            </Button>
          </div>
        </fieldset>
      ) : null}

      {preview ? (
        <div className="space-y-3" data-testid="import-preview">
          <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700" data-testid="import-counts">
            <Badge>{preview.counts.rows.toLocaleString()} rows</Badge>
            <Badge tone="emerald">{preview.counts.valid.toLocaleString()} ready to stage</Badge>
            <Badge tone={preview.counts.errors ? 'red' : 'slate'}>{preview.counts.errors.toLocaleString()} refused</Badge>
            <span className="text-xs text-slate-500">
              {preview.encoding ? `${preview.encoding}, ` : ''}
              {preview.delimiter ? `separated by "${preview.delimiter === '\t' ? 'tab' : preview.delimiter}"` : ''}, keyed by {preview.keyColumn}
            </span>
          </p>
          {preview.preview?.length ? (
            <div className="overflow-x-auto rounded border border-slate-200">
              <table className="w-full text-xs" aria-label="First rows as they will be staged">
                <caption className="bg-slate-50 px-2 py-1 text-left font-medium text-slate-600">First rows as they will be staged</caption>
                <thead>
                  <tr className="text-left text-slate-500">
                    <th scope="col" className="px-2 py-1">Row</th>
                    {Object.keys(preview.preview[0]!.values).map((k) => (
                      <th key={k} scope="col" className="px-2 py-1">
                        {IMPORT_TARGET_LABELS[k as keyof typeof IMPORT_TARGET_LABELS] ?? k}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.preview.map((p) => (
                    <tr key={p.row} className="border-t border-slate-100">
                      <td className="px-2 py-1 tabular-nums text-slate-500">{p.row}</td>
                      {Object.keys(preview.preview![0]!.values).map((k) => (
                        <td key={k} className="max-w-48 truncate px-2 py-1">
                          {formatValue(p.values[k])}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <RowErrors result={preview} />
          <div className="flex flex-wrap items-center gap-3">
            <Button variant="primary" disabled={busy || stale || preview.counts.valid === 0} onClick={() => commit.mutate()} data-testid="import-commit-button">
              {commit.isPending ? 'Staging…' : `Stage ${preview.counts.valid.toLocaleString()} rows`}
            </Button>
            {stale ? <span className="text-xs text-amber-800">The columns changed: check again before staging.</span> : null}
            {!stale && preview.counts.errors ? <span className="text-xs text-slate-600">The {preview.counts.errors.toLocaleString()} refused rows stay out; fix them in the sheet and import it again.</span> : null}
          </div>
          {progress ? (
            <div className="space-y-1" data-testid="import-progress">
              <div className="h-2 rounded bg-slate-100" role="progressbar" aria-label="Import progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={progress.total ? Math.round((progress.done / progress.total) * 100) : 0}>
                <div className="h-2 rounded bg-emerald-500 transition-all" style={{ width: `${progress.total ? Math.round((progress.done / progress.total) * 100) : 0}%` }} />
              </div>
              <p className="text-xs text-slate-600">
                {progress.done.toLocaleString()} of {progress.total.toLocaleString()} rows written
              </p>
            </div>
          ) : null}
        </div>
      ) : null}

      {outcome ? (
        <div className="space-y-3 rounded-md bg-emerald-50 p-3" role="status" data-testid="import-outcome">
          <p className="text-sm text-emerald-900">
            <strong>{(outcome.counts.staged ?? 0).toLocaleString()} changes staged</strong> from {outcome.filename}
            {outcome.counts.unchanged ? `, ${outcome.counts.unchanged.toLocaleString()} rows already matched the master` : ''}
            {outcome.counts.errors ? `, ${outcome.counts.errors.toLocaleString()} rows refused` : ''}.{' '}
            <Link href="/review" className="font-medium underline">
              Review them
            </Link>
          </p>
          <RowErrors result={outcome} />
        </div>
      ) : null}
    </section>
  );
}

function RowErrors({ result }: { result: ImportResult }) {
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
          <thead className="sticky top-0 bg-red-50 text-left text-red-900">
            <tr>
              <th scope="col" className="px-2 py-1">Row</th>
              <th scope="col" className="px-2 py-1">Column</th>
              <th scope="col" className="px-2 py-1">Reason</th>
            </tr>
          </thead>
          <tbody>
            {result.rowErrors.slice(0, SHOWN_ERRORS).map((e, i) => (
              <tr key={`${e.row}-${i}`} className="border-t border-red-50" data-testid="import-row-error">
                <td className="px-2 py-1 tabular-nums">{e.row}</td>
                <td className="px-2 py-1 font-mono">{e.column ?? '—'}</td>
                <td className="px-2 py-1">{e.reason}</td>
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
