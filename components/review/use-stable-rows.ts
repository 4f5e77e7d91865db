'use client';

import { useMemo, useState } from 'react';

/**
 * The rows as the reviewer reads them: once a list is shown, its order holds. A refetch updates
 * rows in place (a change updated by store activity does not jump to the top) and drops the ones
 * gone; changes that arrive ahead of what is shown wait as `fresh` ("12 new") until `showFresh`
 * puts them in. Rows after the last one shown (the next keyset page) are appended as they load.
 * `ready` says the items belong to `listKey` (not a previous filter's).
 */
export function useStableRows<T extends { id: string }>(items: readonly T[], listKey: string, ready: boolean) {
  const [order, setOrder] = useState<{ key: string; ids: readonly string[] } | null>(null);
  if (ready && order?.key !== listKey) setOrder({ key: listKey, ids: items.map((c) => c.id) });

  const { rows, fresh } = useMemo(() => arrange(items, order?.key === listKey ? order.ids : null), [items, order, listKey]);
  return {
    rows,
    fresh,
    /** Puts the waiting arrivals in, in the server's order. */
    showFresh: () => setOrder({ key: listKey, ids: items.map((c) => c.id) }),
  };
}

/** The shown order applied to the latest items; without one, the items as they come. */
export function arrange<T extends { id: string }>(items: readonly T[], shown: readonly string[] | null): { rows: T[]; fresh: T[] } {
  if (!shown) return { rows: [...items], fresh: [] };
  const known = new Set(shown);
  let lastKnown = -1;
  items.forEach((c, i) => {
    if (known.has(c.id)) lastKnown = i;
  });
  const byId = new Map(items.map((c) => [c.id, c]));
  const fresh: T[] = [];
  const appended: T[] = [];
  items.forEach((c, i) => {
    if (!known.has(c.id)) (i > lastKnown ? appended : fresh).push(c);
  });
  const kept = shown.flatMap((id) => {
    const c = byId.get(id);
    return c ? [c] : [];
  });
  return { rows: [...kept, ...appended], fresh };
}
