import type { Metadata } from 'next';
import { UpcomingList } from '@/components/schedules/upcoming-list';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Upcoming' };

export default function UpcomingPage() {
  return (
    <>
      <PageHeader
        title="Upcoming"
        description="Scheduled pushes and changes with a start and an end (applied at the start, reverted at the end, both as batches)."
      />
      <UpcomingList />
    </>
  );
}
