/**
 * The authorization matrix of DESIGN.md, in one place. Route handlers, server actions
 * and the socket handshake all ask `can(role, action)`; the UI asks it to hide or disable controls.
 */

export const ROLES = ['merchandiser', 'admin', 'support'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = Object.freeze({
  view: ['merchandiser', 'admin', 'support'],
  edit: ['merchandiser', 'admin'],
  review: ['merchandiser', 'admin'],
  operate: ['admin'],
  rollback: ['admin', 'support'],
  settings: ['admin'],
} as const satisfies Record<string, readonly Role[]>);

export type Action = keyof typeof PERMISSIONS;

export const ACTION_LABELS: Readonly<Record<Action, string>> = Object.freeze({
  view: 'view staged changes, products, batches and operations',
  edit: 'edit products and import CSV files',
  review: 'approve, reject and resolve changes',
  operate: 'trigger pulls and pushes and cancel operations',
  rollback: 'roll back batches',
  settings: 'change store settings and webhook registration',
});

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, action: Action): boolean {
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}

/** Why a role may not do something, phrased for a disabled button's tooltip. */
export function deniedReason(role: Role, action: Action): string | null {
  if (can(role, action)) return null;
  const allowed = PERMISSIONS[action].join(' or ');
  return `Only ${allowed} users can ${ACTION_LABELS[action]}; you are signed in as ${role}.`;
}

export interface Principal {
  id: string;
  email: string | null;
  name: string | null;
  role: Role;
  /** How the identity was proven. */
  via: 'supabase' | 'demo';
}
