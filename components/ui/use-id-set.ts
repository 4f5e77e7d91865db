'use client';

import { useCallback, useState } from 'react';

function withMember(ids: ReadonlySet<string>, id: string, member: boolean): ReadonlySet<string> {
  const next = new Set(ids);
  if (member) next.add(id);
  else next.delete(id);
  return next;
}

/** A set of chosen ids (rows, fields, batch items) and the updates a list of checkboxes needs. */
export function useIdSet() {
  const [ids, replace] = useState<ReadonlySet<string>>(() => new Set());
  const set = useCallback((id: string, member: boolean) => replace((current) => withMember(current, id, member)), []);
  const toggle = useCallback((id: string) => replace((current) => withMember(current, id, !current.has(id))), []);
  return { ids, set, toggle, replace };
}
