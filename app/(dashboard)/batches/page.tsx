import type { Metadata } from 'next';
import { BatchList } from '@/components/batches/batch-list';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Batches' };

export default function BatchesPage() {
  return (
    <>
      <PageHeader title="Batches" description="Every push, adoption and rollback with its outcomes; roll a batch back from its page." />
      <BatchList />
    </>
  );
}
