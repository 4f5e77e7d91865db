'use client';

import clsx from 'clsx';
import { useState } from 'react';
import { usePermission } from '../session-context';
import { CollectionList } from './collection-list';
import { CsvImport } from './csv-import';
import { ProductTable } from './product-table';

export function ProductsView() {
  const [tab, setTab] = useState<'products' | 'collections' | 'import'>('products');
  const edit = usePermission('edit');
  const tabs = edit.allowed ? (['products', 'collections', 'import'] as const) : (['products', 'collections'] as const);
  return (
    <div className="space-y-4">
      <div role="tablist" aria-label="Catalog" className="flex gap-1">
        {tabs.map((t) => (
          <button
            key={t}
            role="tab"
            type="button"
            aria-selected={tab === t}
            onClick={() => setTab(t)}
            data-testid={`catalog-tab-${t}`}
            className={clsx('rounded-md px-3 py-1.5 text-sm font-medium capitalize', tab === t ? 'bg-slate-900 text-white' : 'bg-white text-slate-700 ring-1 ring-inset ring-slate-200')}
          >
            {t === 'import' ? 'Import CSV' : t}
          </button>
        ))}
      </div>
      {tab === 'products' ? <ProductTable /> : tab === 'collections' ? <CollectionList /> : <CsvImport />}
    </div>
  );
}
