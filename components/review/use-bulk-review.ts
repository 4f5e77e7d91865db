'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { dashboardApi, errorMessage, type StagedFilter } from '@/lib/dashboard/api';
import type { StagedChangeView } from '@/lib/dashboard/schemas';
import { toast } from '../ui/toaster';
import { useIdSet } from '../ui/use-id-set';
import { type KindCounts, NO_OPS, type OpCounts } from './decision-words';

export type BulkAction = 'approve' | 'reject';
/**
 * What a confirmation asks about: the chosen rows (`ids`) or, without ids, every change matching
 * the filter; with how many of each kind it takes, to say what the decision does to each, and the
 * creates and deletes among them (a deletion is never taken unsaid).
 */
export type BulkTarget = { action: BulkAction; ids?: string[]; count: number; kinds: KindCounts; ops: OpCounts };

/** The words a bulk decision is shown with: its button's (with what it does, as the button's title) and the confirmation's. */
export const BULK_WORDS: Record<BulkAction, { verb: string; past: string; does: string; tone: 'primary' | 'danger' }> = {
  approve: {
    verb: 'Approve',
    past: 'approved',
    does: 'Outgoing changes wait for the next push; incoming ones are adopted into the master now; conflicts are left for a resolution',
    tone: 'primary',
  },
  reject: {
    verb: 'Reject',
    past: 'rejected',
    does: 'Master edits are discarded; for incoming changes the master keeps its values and a restore of Shopify is proposed',
    tone: 'danger',
  },
};

/**
 * The selection for a bulk decision (some rows, or every change matching the filter) and the
 * decision, asked for with the count and confirmed before it is sent.
 */
export type BulkReview = ReturnType<typeof useBulkReview>;

export function useBulkReview(
  filter: StagedFilter,
  items: readonly StagedChangeView[],
  total: number,
  counts?: KindCounts,
  ops: OpCounts = NO_OPS,
) {
  const client = useQueryClient();
  const { ids: selected, toggle: toggleId, replace } = useIdSet();
  const [allMatching, setAllMatching] = useState(false);
  const [target, setTarget] = useState<BulkTarget | null>(null);
  const count = allMatching ? total : selected.size;

  const clear = useCallback(() => {
    replace(new Set());
    setAllMatching(false);
  }, [replace]);
  const toggle = useCallback(
    (id: string) => {
      setAllMatching(false);
      toggleId(id);
    },
    [toggleId],
  );
  const decide = useMutation({
    mutationFn: (t: BulkTarget) => dashboardApi.bulk(t.action, t.ids ? { ids: t.ids } : { filter }),
    onSuccess: (res, t) => {
      toast(`${res.count} change${res.count === 1 ? '' : 's'} ${BULK_WORDS[t.action].past}`, 'success');
      setTarget(null);
      clear();
      void client.invalidateQueries({ queryKey: ['staged'] });
    },
    onError: (err) => {
      setTarget(null);
      toast(errorMessage(err), 'error');
    },
  });

  return {
    selected,
    allMatching,
    count,
    allLoadedSelected: items.length > 0 && items.every((c) => selected.has(c.id)),
    toggle,
    clear,
    selectLoaded: (on: boolean) => {
      setAllMatching(false);
      replace(on ? new Set(items.map((c) => c.id)) : new Set());
    },
    selectAllMatching: () => setAllMatching(true),
    ask: (action: BulkAction) =>
      setTarget(
        allMatching
          ? { action, count, kinds: matchingKinds(filter, counts), ops }
          : { action, ids: [...selected], count, ...selectedKinds(items, selected) },
      ),
    /** Asks about a decision on these rows (a product's group): the pending ones, conflicts left for their resolution. */
    askFor: (action: BulkAction, rows: readonly StagedChangeView[]) => {
      const take = rows.filter((c) => c.status === 'pending' && c.kind !== 'conflict');
      if (take.length)
        setTarget({ action, ids: take.map((c) => c.id), count: take.length, ...selectedKinds(take, new Set(take.map((c) => c.id))) });
    },
    target,
    cancel: () => setTarget(null),
    confirm: () => target && decide.mutate(target),
    busy: decide.isPending,
  };
}

const NO_KINDS: KindCounts = { incoming: 0, outgoing: 0, conflict: 0 };

/**
 * Kinds among the chosen rows (those loaded: a selection is made from loaded rows), and the
 * pending creates and deletes among them that are not conflicts (what the decision takes whole).
 */
function selectedKinds(items: readonly StagedChangeView[], selected: ReadonlySet<string>): { kinds: KindCounts; ops: OpCounts } {
  const kinds = { ...NO_KINDS };
  const ops = { incoming: { ...NO_OPS.incoming }, outgoing: { ...NO_OPS.outgoing } };
  for (const c of items) {
    if (!selected.has(c.id)) continue;
    kinds[c.kind]++;
    if (c.status === 'pending' && c.kind !== 'conflict' && (c.op === 'create' || c.op === 'delete')) ops[c.kind][c.op]++;
  }
  return { kinds, ops };
}

/** Kinds among every change matching the filter: the list's counts per kind, within the filter's kinds. */
function matchingKinds(filter: StagedFilter, counts: KindCounts | undefined): KindCounts {
  const only = filter.kind ? String(filter.kind).split(',') : null;
  const kinds = { ...NO_KINDS };
  for (const k of ['incoming', 'outgoing', 'conflict'] as const) if (!only || only.includes(k)) kinds[k] = counts?.[k] ?? 0;
  return kinds;
}
