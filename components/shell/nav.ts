import { Activity, Boxes, CalendarClock, ClipboardCheck, Layers, Settings } from 'lucide-react';

export const NAV_ITEMS = [
  { href: '/review', label: 'Review', icon: ClipboardCheck, description: 'Staged changes waiting for a decision' },
  { href: '/products', label: 'Products', icon: Boxes, description: 'The product master and its sync status' },
  { href: '/batches', label: 'Batches', icon: Layers, description: 'Applied batches, outcomes and rollbacks' },
  { href: '/upcoming', label: 'Upcoming', icon: CalendarClock, description: 'Scheduled pushes and changes with a start and an end' },
  { href: '/operations', label: 'Operations', icon: Activity, description: 'Pulls, pushes, imports and their progress' },
  { href: '/settings', label: 'Settings', icon: Settings, description: 'Stores, webhooks and auto-approval rules' },
] as const;
