import type { Metadata } from 'next';
import { AutoApprovalRules } from '@/components/settings/auto-approval-rules';
import { NotificationSubscribers } from '@/components/settings/notification-subscribers';
import { StoreConnections } from '@/components/settings/store-connections';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Settings' };

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Connected stores and their webhooks, notifications, and auto-approval rules." />
      <div className="space-y-6">
        <StoreConnections />
        <NotificationSubscribers />
        <AutoApprovalRules />
      </div>
    </>
  );
}
