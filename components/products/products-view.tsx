'use client';

import clsx from 'clsx';
import { useState } from 'react';
import { CollectionList } from './collection-list';
import { ProductTable } from './product-table';

export function ProductsView() {
  const [tab, setTab] = useState<'products' | 'collections'>('products');
  return (
    <div className="space-y-4">
      <div role="tablist" aria-label="Catalog" className="flex gap-1">
        {(['products', 'collections'] as const).map((t) => (
          <button
            key={t}
            role="tab"
            type="button"
            aria-selected={tab === t}
            onClick={() => setTab(t)}
            className={clsx('rounded-md px-3 py-1.5 text-sm font-medium capitalize', tab === t ? 'bg-slate-900 text-white' : 'bg-white text-slate-700 ring-1 ring-inset ring-slate-200')}
          >
            {t}
          </button>
        ))}
      </div>
      {tab === 'products' ? <ProductTable /> : <CollectionList />}
    </div>
  );
}
