import type { Metadata } from 'next';
import { AutoApprovalRules } from '@/components/settings/auto-approval-rules';
import { FieldOwnership } from '@/components/settings/field-ownership';
import { NotificationSubscribers } from '@/components/settings/notification-subscribers';
import { StoreConnections } from '@/components/settings/store-connections';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Settings' };

export default function SettingsPage() {
  return (
    <>
      <PageHeader
        title="Settings"
        description="Connected stores and their webhooks, notifications, field ownership and auto-approval rules."
      />
      <div className="space-y-6">
        <StoreConnections />
        <NotificationSubscribers />
        <FieldOwnership />
        <AutoApprovalRules />
      </div>
    </>
  );
}
