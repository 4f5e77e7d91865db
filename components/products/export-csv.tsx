import { clsx } from 'clsx';
import { Download } from 'lucide-react';
import { dashboardApi } from '@/lib/dashboard/api';

/** The look of a download link beside the filters: a secondary button. */
export const DOWNLOAD_LINK = clsx(
  'inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium',
  'text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50',
);

/**
 * The products the page's filter shows (all of them without one) as Shopify's product CSV: edit it
 * in a spreadsheet and import it on the Import tab; only the edited cells are staged.
 */
export function ExportCsv({ filter, filtered }: { filter: { q?: string; status?: string; syncStatus?: string }; filtered: boolean }) {
  return (
    <a
      className={DOWNLOAD_LINK}
      href={dashboardApi.productsCsvUrl(filter)}
      // The store chosen in the switcher may have changed since this rendered: the link names it as clicked.
      onClick={(e) => {
        e.currentTarget.href = dashboardApi.productsCsvUrl(filter);
      }}
      download
      data-testid="products-export"
      title={filtered ? 'The products this search and these filters show' : 'Every product of the master'}
    >
      <Download className="h-4 w-4" aria-hidden />
      {filtered ? 'Export these (CSV)' : 'Export CSV'}
    </a>
  );
}
