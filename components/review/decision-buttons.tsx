import { useId } from 'react';
import { Button } from '../ui/controls';
import { approveWords, type DecisionSubject, rejectWords } from './decision-words';

/**
 * Approve (all fields, the chosen ones, or a conflict's resolution) and reject a pending change,
 * each button saying what it will do; a reason may go with a reject and stays in the change's
 * history (the reason is the draft's, kept with the change). Takes back an approval not yet pushed.
 * A change whose push failed is approved again for the next push, or rejected like a pending one.
 */
export function DecisionButtons({
  change,
  status,
  chosen,
  busy,
  reason,
  onReason,
  onApprove,
  onReject,
  onUnapprove,
  onRetry,
}: {
  change: DecisionSubject;
  status: string;
  chosen: number;
  busy: boolean;
  reason: string;
  onReason: (reason: string) => void;
  onApprove: () => void;
  onReject: () => void;
  onUnapprove: () => void;
  onRetry: () => void;
}) {
  const reasonId = useId();
  const reject = rejectWords(change);
  if (status === 'approved') {
    return (
      <Button onClick={onUnapprove} disabled={busy} data-testid="unapprove-button">
        Take back approval
      </Button>
    );
  }
  if (status !== 'pending' && status !== 'failed') return null;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {status === 'failed' ? (
          <Button variant="primary" onClick={onRetry} disabled={busy} data-testid="retry-button">
            Approve again for the next push
          </Button>
        ) : (
          <Button variant="primary" onClick={onApprove} disabled={busy} data-testid="approve-button">
            {approveWords(change, chosen)}
          </Button>
        )}
        {reject ? (
          <Button variant="danger" onClick={onReject} disabled={busy} data-testid="reject-button">
            {reject}
          </Button>
        ) : null}
      </div>
      {reject ? (
        <div className="flex max-w-md flex-col gap-1 text-xs">
          <label htmlFor={reasonId} className="text-slate-600">
            Reason for a reject (optional, kept in the change's history)
          </label>
          <input
            id={reasonId}
            value={reason}
            maxLength={1000}
            onChange={(e) => onReason(e.target.value)}
            className="rounded border border-slate-300 px-2 py-1 text-sm"
            data-testid="reject-reason"
          />
        </div>
      ) : (
        <p className="text-xs text-slate-600" data-testid="conflict-no-reject">
          A conflict is resolved, not rejected: click the master's or Shopify's value above, or give a custom one, then approve it.
        </p>
      )}
    </div>
  );
}
