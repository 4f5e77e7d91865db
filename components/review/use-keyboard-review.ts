'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type RefObject, useEffect, useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { StagedChangeView } from '@/lib/dashboard/schemas';
import { toast } from '../ui/toaster';
import type { DetailActions } from './change-detail';

/** Keys typed into a field, or with a modifier, belong to that field or to the browser. */
function ownedElsewhere(e: KeyboardEvent): boolean {
  const target = e.target as HTMLElement;
  return e.metaKey || e.ctrlKey || e.altKey || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.isContentEditable;
}

/** The row after `id` in the list (or before it, at the end): where the reader goes once `id` is decided. */
export function neighbour(rows: readonly { id: string }[], id: string): string | null {
  const i = rows.findIndex((r) => r.id === id);
  if (i < 0) return id;
  return rows[i + 1]?.id ?? rows[i - 1]?.id ?? null;
}

/**
 * The open change, by id (never by position: rows arriving or moving do not change what is open),
 * and review without a mouse: j and k open the next and previous row, x selects the open one, a
 * approves and r rejects it through the detail (its chosen fields, its reason, a confirmation for a
 * whole create or delete; a conflict needs its resolution there) and, once sent, the next row opens.
 * `paused` while a confirmation is open.
 */
export function useKeyboardReview({
  rows,
  scrollTo,
  actions,
  paused,
  onToggle,
}: {
  rows: readonly StagedChangeView[];
  /** Brings a row into view. */
  scrollTo: (id: string) => void;
  /** The open change's decisions, as the detail makes them. */
  actions: RefObject<DetailActions | null>;
  paused: boolean;
  onToggle: (id: string) => void;
}) {
  const client = useQueryClient();
  const [activeId, setActiveId] = useState<string | null>(null);
  // Before the open change's detail has loaded, an edit is decided as listed (all its fields, no reason).
  const { mutate } = useMutation({
    mutationFn: ({ id, approve }: { id: string; approve: boolean }) => (approve ? dashboardApi.approve(id) : dashboardApi.reject(id)),
    onSuccess: (_d, v) => {
      toast(v.approve ? 'Change approved' : 'Change rejected', 'success');
      void client.invalidateQueries({ queryKey: ['staged'] });
      void client.invalidateQueries({ queryKey: ['staged-detail', v.id] });
    },
    onError: (err) => toast(errorMessage(err), 'error'),
  });
  useEffect(() => {
    function open(id: string | null) {
      setActiveId(id);
      if (id) scrollTo(id);
    }
    function move(delta: number) {
      const i = rows.findIndex((r) => r.id === activeId);
      const next = i < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, i + delta));
      const id = rows[next]?.id;
      if (id) open(id);
    }
    function onKey(e: KeyboardEvent) {
      if (paused || ownedElsewhere(e) || document.querySelector('[role="dialog"]')) return;
      const change = rows.find((r) => r.id === activeId);
      const decidable = change && change.status === 'pending' && change.kind !== 'conflict';
      if (e.key === 'j') move(1);
      else if (e.key === 'k') move(-1);
      else if (e.key === 'x' && activeId) onToggle(activeId);
      else if ((e.key === 'a' || e.key === 'r') && decidable) {
        const detail = actions.current?.id === change.id ? actions.current : null;
        let sent = false;
        if (detail?.ready) sent = e.key === 'a' ? detail.approve() : detail.reject();
        else if (change.op === 'update' || !change.op) {
          mutate({ id: change.id, approve: e.key === 'a' });
          sent = true;
        }
        if (sent) open(neighbour(rows, change.id));
      } else return;
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rows, activeId, actions, paused, scrollTo, onToggle, mutate]);

  return { activeId, setActiveId };
}
