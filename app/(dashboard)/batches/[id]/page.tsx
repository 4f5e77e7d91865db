import type { Metadata } from 'next';
import { BatchDetailView } from '@/components/batches/batch-detail';

export const metadata: Metadata = { title: 'Batch' };

export default async function BatchPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <BatchDetailView id={id} />;
}
