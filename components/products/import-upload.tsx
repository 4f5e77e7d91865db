import { clsx } from 'clsx';
import { Download } from 'lucide-react';
import { dashboardApi } from '@/lib/dashboard/api';
import { Button } from '../ui/controls';
import { DOWNLOAD_LINK } from './export-csv';

/** What the import reads, the file input and the button that checks the file (nothing is written yet). */
export function ImportUpload({
  canCheck,
  checking,
  onFile,
  onCheck,
}: {
  canCheck: boolean;
  checking: boolean;
  onFile: (file: File | null) => void;
  onCheck: () => void;
}) {
  return (
    <>
      <div>
        <h2 id="csv-import-title" className="text-base font-semibold text-slate-900">
          Import a CSV
        </h2>
        <p className="text-sm text-slate-600">
          Shopify&apos;s product CSV (the Products page&apos;s export, Shopify&apos;s or Matrixify&apos;s), or a supplier price list or
          stock sheet keyed by SKU. Rows may come in any order; prices like &quot;1.234,50&quot; or &quot;$12&quot; are understood. You see
          every change before anything is staged; refused rows stage nothing and are listed with the reason.
        </p>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">CSV file</span>
          <input
            type="file"
            accept=".csv,text/csv"
            data-testid="import-file"
            className={clsx(
              'block text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100',
              'file:px-3 file:py-1.5 file:text-sm file:font-medium',
            )}
            onChange={(e) => onFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <Button variant="primary" disabled={!canCheck} onClick={onCheck} data-testid="import-preview-button">
          {checking ? 'Reading…' : 'Preview'}
        </Button>
        <a
          className={DOWNLOAD_LINK}
          href={dashboardApi.productsTemplateUrl()}
          onClick={(e) => {
            e.currentTarget.href = dashboardApi.productsTemplateUrl();
          }}
          download
          data-testid="import-template"
        >
          <Download className="h-4 w-4" aria-hidden />
          Download template
        </a>
      </div>
    </>
  );
}
