import { ClipboardCheck } from 'lucide-react';
import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Review' };

export default function ReviewPage() {
  return (
    <>
      <PageHeader title="Review" description="Every difference between your product master and Shopify waits here for a decision." />
      <EmptyState title="Nothing to review yet" icon={<ClipboardCheck className="h-8 w-8" />}>
        Staged changes will appear here once a pull has compared the store with the master: incoming changes made in Shopify,
        outgoing edits made here, and conflicts where both sides moved. Approve or reject them one by one or in bulk.
      </EmptyState>
    </>
  );
}
