'use client';

import { useQuery } from '@tanstack/react-query';
import { type RefObject, useEffect, useState } from 'react';
import { dashboardApi } from '@/lib/dashboard/api';
import type { StagedChangeDetail } from '@/lib/dashboard/schemas';
import { WindowForm } from '../schedules/window-form';
import { usePermission } from '../session-context';
import { ConfirmDialog, ErrorState, Skeleton } from '../ui/controls';
import { ChangeHeader } from './change-header';
import { ChangeHistory } from './change-history';
import { ConflictChoice } from './conflict-choice';
import { DecisionButtons } from './decision-buttons';
import { approveWords, rejectWords } from './decision-words';
import { FieldTable } from './field-table';
import { MediaCompare } from './media-compare';
import { PushState } from './push-state';
import { RelatedChanges } from './related-changes';
import { useDecide } from './use-decide';
import { useDecisionDraft } from './use-decision-draft';
import { VariantTable } from './variant-table';

/** What the keyboard asks of the open change; `true` when the decision was sent (not refused, not waiting for a confirmation). */
export interface DetailActions {
  /** The change these act on, and whether its detail has loaded (before that, the keyboard decides as listed). */
  id: string;
  ready: boolean;
  approve: () => boolean;
  reject: () => boolean;
}

/**
 * The change in fixed columns, Master | Shopify, with its decisions. A whole create or delete is
 * one decision, confirmed first (from the buttons or the keyboard). While the server cannot be
 * reached the detail says so (after the first failed try) instead of loading on.
 */
export function ChangeDetail({ id, actions }: { id: string; actions?: RefObject<DetailActions | null> }) {
  const review = usePermission('review');
  const detail = useQuery({ queryKey: ['staged-detail', id], queryFn: () => dashboardApi.getStaged(id) });
  const change = detail.data;
  const draft = useDecisionDraft(change);
  const decide = useDecide(id, draft.setError);
  const [confirm, setConfirm] = useState<'approve' | 'reject' | null>(null);
  const deciding = Boolean(change && review.allowed && change.status === 'pending');
  /** A failed push is rejected as the pending change was (its master edit discarded). */
  const rejecting = deciding || Boolean(change && review.allowed && change.status === 'failed');

  const approve = (confirmed = false): boolean => {
    if (!deciding) return false;
    if (draft.whole && !confirmed) {
      setConfirm('approve');
      return false;
    }
    const body = draft.approval();
    if (body) decide.approve(body);
    return Boolean(body);
  };
  const reject = (confirmed = false): boolean => {
    if (!rejecting || !change || !rejectWords(change)) return false;
    if (draft.whole && !confirmed) {
      setConfirm('reject');
      return false;
    }
    decide.reject(draft.reason.trim() || undefined);
    return true;
  };
  useEffect(() => {
    if (!actions) return;
    actions.current = { id, ready: Boolean(change), approve: () => approve(), reject: () => reject() };
    return () => {
      actions.current = null;
    };
  });

  if (detail.isPending && detail.failureCount === 0) return <Skeleton rows={5} />;
  if (detail.isError || (detail.isPending && detail.failureCount > 0)) {
    return (
      <ErrorState
        error={detail.error ?? detail.failureReason}
        onRetry={() => void detail.refetch()}
        title={detail.isError ? 'Could not load this change' : 'Could not load this change; trying again…'}
      />
    );
  }
  if (!change) return null;

  return (
    <article className="space-y-4" aria-labelledby="change-title" data-testid="change-detail">
      <ChangeHeader change={change} />
      <PushState change={change} />
      {draft.whole ? <WholeEntity change={change} /> : null}
      <MediaCompare change={change} />
      {change.status !== 'pending' ? (
        <p className="text-xs text-slate-500" data-testid="values-as-staged">
          The values below are the ones this change was decided on.
        </p>
      ) : null}
      <FieldTable
        change={change}
        chosen={deciding && !draft.whole ? draft.chosen : null}
        onChoose={draft.choose}
        choices={draft.choices}
        onPick={draft.setChoice}
      />
      {deciding && change.kind === 'conflict' ? (
        <ConflictChoice
          change={change}
          chosen={draft.chosen}
          choices={draft.choices}
          custom={draft.custom}
          onChoose={draft.setChoice}
          onCustom={draft.setCustomValue}
        />
      ) : null}
      {draft.error ? (
        <p role="alert" className="rounded bg-red-50 p-2 text-sm text-red-800" data-testid="decision-error">
          {draft.error}
        </p>
      ) : null}
      {review.allowed ? (
        <DecisionButtons
          change={change}
          status={change.status}
          chosen={draft.chosen.size}
          busy={decide.busy}
          reason={draft.reason}
          onReason={draft.setReason}
          onApprove={() => approve()}
          onReject={() => reject()}
          onUnapprove={decide.unapprove}
          onRetry={decide.retry}
        />
      ) : (
        <p className="text-sm text-slate-500">{review.reason}</p>
      )}
      {deciding && change.kind === 'outgoing' ? <WindowForm key={change.id} changeId={change.id} /> : null}
      <VariantTable change={change} />
      <RelatedChanges change={change} />
      <ChangeHistory change={change} />
      <ConfirmDialog
        open={confirm !== null}
        title={confirm === 'approve' ? approveWords(change) : (rejectWords(change) ?? '')}
        confirmLabel={confirm === 'approve' ? 'Approve' : 'Reject'}
        variant={confirm === 'reject' || change.op === 'delete' ? 'danger' : 'primary'}
        busy={decide.busy}
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          const sent = confirm === 'approve' ? approve(true) : reject(true);
          if (sent) setConfirm(null);
        }}
      >
        <p data-testid="whole-confirm-text">{wholeWords(change)} This is one decision for the whole entry, not field by field.</p>
      </ConfirmDialog>
    </article>
  );
}

function wholeWords(change: StagedChangeDetail): string {
  const name = change.title ?? String(change.entityLabel ?? change.entity);
  const where = change.kind === 'incoming' ? 'Shopify' : 'the master';
  if (change.entity === 'membership') return `${name} ${change.op === 'create' ? 'joined' : 'left'} a collection in ${where}.`;
  const what = change.entity === 'variant' ? `The variant ${change.variantTitle ?? change.sku ?? ''} of ${name}`.replace('  ', ' ') : name;
  const n = change.entity === 'product' ? (change.product?.variants?.length ?? 0) : 0;
  const rows = n ? ` Its ${n === 1 ? 'variant goes' : `${n} variants go`} with it (listed below, with their stock).` : '';
  return change.op === 'delete' ? `${what} was deleted in ${where}.${rows}` : `${what} is new in ${where}.${rows}`;
}

/** A create or delete said as what it is, above the values it takes or removes. */
function WholeEntity({ change }: { change: StagedChangeDetail }) {
  return (
    <p className="rounded border border-red-200 bg-red-50 p-2 text-sm text-red-900" data-testid="whole-entity">
      {wholeWords(change)} Approving or rejecting decides the whole entry at once; the values below are shown for reference.
    </p>
  );
}
