import { Settings } from 'lucide-react';
import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Settings' };

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Connected stores, webhook registration and auto-approval rules." />
      <EmptyState title="No store settings yet" icon={<Settings className="h-8 w-8" />}>
        Connected Shopify stores will be listed here with their API version, webhook registration and push settings.
        Admins will also manage auto-approval rules here.
      </EmptyState>
    </>
  );
}
