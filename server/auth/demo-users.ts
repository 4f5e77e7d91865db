import type { Role } from '../../lib/auth/permissions';

/** The three seeded demo identities, one per role. */
export const DEMO_USERS: ReadonlyArray<{ id: string; email: string; name: string; role: Role; blurb: string }> = [
  {
    id: 'demo-merchandiser',
    email: 'mia@demo.catalog-sync.local',
    name: 'Mia Merchandiser',
    role: 'merchandiser',
    blurb: 'Reviews staged changes, edits products, imports supplier price lists.',
  },
  {
    id: 'demo-admin',
    email: 'alex@demo.catalog-sync.local',
    name: 'Alex Admin',
    role: 'admin',
    blurb: 'Everything a merchandiser does, plus pull, push, cancel and store settings.',
  },
  {
    id: 'demo-support',
    email: 'sam@demo.catalog-sync.local',
    name: 'Sam Support',
    role: 'support',
    blurb: 'Reads everything and rolls back applied batches.',
  },
];
