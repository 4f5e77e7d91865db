import { Boxes } from 'lucide-react';
import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Products' };

export default function ProductsPage() {
  return (
    <>
      <PageHeader title="Products" description="The product master, with the sync status of every product." />
      <EmptyState title="No products in the master yet" icon={<Boxes className="h-8 w-8" />}>
        Products will be listed here after the first pull adopts your Shopify catalog as the master. Each shows whether it is
        synced, has pending changes, a conflict or an error, and can be edited here to stage an outgoing change.
      </EmptyState>
    </>
  );
}
