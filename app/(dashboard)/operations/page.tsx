import { Activity } from 'lucide-react';
import type { Metadata } from 'next';
import { HealthPanel } from '@/components/operations/health-panel';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Operations' };

export default function OperationsPage() {
  return (
    <>
      <PageHeader title="Operations" description="Pulls, pushes, rollbacks and imports, with live progress." />
      <HealthPanel />
      <EmptyState title="No operations have run yet" icon={<Activity className="h-8 w-8" />}>
        Each pull, push, rollback or CSV import will be listed here as it runs, with its progress, rate, log lines and errors,
        updated live.
      </EmptyState>
    </>
  );
}
