import type { Metadata } from 'next';
import { SyncControls } from '@/components/operations/sync-controls';
import { ReviewQueue } from '@/components/review/review-queue';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Review' };

export default function ReviewPage() {
  return (
    <>
      <PageHeader
        title="Review"
        description="Every difference between your product master and Shopify waits here for a decision."
        actions={<SyncControls />}
      />
      <ReviewQueue />
    </>
  );
}
