'use client';

import { useState } from 'react';
import { usePermission } from '../session-context';
import { Tab, TabList } from '../ui/tabs';
import { CollectionList } from './collection-list';
import { CsvImport } from './csv-import';
import { ProductTable } from './product-table';

const TABS = [
  ['products', 'Products'],
  ['collections', 'Collections'],
  ['import', 'Import CSV'],
] as const;
type CatalogTab = (typeof TABS)[number][0];

export function ProductsView() {
  const [tab, setTab] = useState<CatalogTab>('products');
  const edit = usePermission('edit');
  const tabs = edit.allowed ? TABS : TABS.filter(([t]) => t !== 'import');
  return (
    <div className="space-y-4">
      <TabList label="Catalog">
        {tabs.map(([t, label]) => (
          <Tab key={t} selected={tab === t} onClick={() => setTab(t)} data-testid={`catalog-tab-${t}`}>
            {label}
          </Tab>
        ))}
      </TabList>
      {tab === 'products' ? <ProductTable /> : tab === 'collections' ? <CollectionList /> : <CsvImport />}
    </div>
  );
}
