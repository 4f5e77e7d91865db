import type { Metadata } from 'next';
import { HealthPanel } from '@/components/operations/health-panel';
import { OperationList } from '@/components/operations/operation-panel';
import { SyncControls } from '@/components/operations/sync-controls';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Operations' };

export default function OperationsPage() {
  return (
    <>
      <PageHeader title="Operations" description="Pulls, pushes, rollbacks and imports, with live progress." actions={<SyncControls />} />
      <HealthPanel />
      <OperationList limit={20} />
    </>
  );
}
