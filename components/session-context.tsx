'use client';

import { createContext, type ReactNode, useContext } from 'react';
import { type Action, can, deniedReason, type Principal } from '@/lib/auth/permissions';

export interface StoreSummary {
  id: string;
  name: string;
  shopDomain: string;
}

interface SessionValue {
  principal: Principal;
  stores: StoreSummary[];
  demoMode: boolean;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ value, children }: { value: SessionValue; children: ReactNode }) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside SessionProvider');
  return value;
}

/** `{allowed, reason}` for a control that needs a permission: hide or disable it with the reason. */
export function usePermission(action: Action): { allowed: boolean; reason: string | null } {
  const { principal } = useSession();
  return { allowed: can(principal.role, action), reason: deniedReason(principal.role, action) };
}
