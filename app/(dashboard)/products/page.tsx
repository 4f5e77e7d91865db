import type { Metadata } from 'next';
import { ProductsView } from '@/components/products/products-view';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Products' };

export default function ProductsPage() {
  return (
    <>
      <PageHeader
        title="Products"
        description="The product master, its sync status with Shopify, and its collections. Edits here are staged as outgoing changes."
      />
      <ProductsView />
    </>
  );
}
