import type { Metadata } from 'next';
import Link from 'next/link';
import { BatchDetailView } from '@/components/batches/batch-detail';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Batch' };

export default async function BatchPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <PageHeader
        title={`Batch ${id.slice(0, 8)}`}
        description={
          <Link href="/batches" className="text-emerald-700 hover:underline">
            ← All batches
          </Link>
        }
      />
      <BatchDetailView id={id} />
    </>
  );
}
