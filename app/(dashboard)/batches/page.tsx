import { Layers } from 'lucide-react';
import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Batches' };

export default function BatchesPage() {
  return (
    <>
      <PageHeader title="Batches" description="Every set of approved changes that was applied, with each item's outcome." />
      <EmptyState title="No batches yet" icon={<Layers className="h-8 w-8" />}>
        Batches appear here when approved changes are pushed to Shopify or adopted into the master. You will see how many items
        were applied, failed or drifted, Shopify&apos;s error text for each failure, and you can roll a batch back.
      </EmptyState>
    </>
  );
}
