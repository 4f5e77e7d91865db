import type { Metadata } from 'next';
import { AutoApprovalRules } from '@/components/settings/auto-approval-rules';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Settings' };

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Connected stores, webhook registration and auto-approval rules." />
      <AutoApprovalRules />
    </>
  );
}
