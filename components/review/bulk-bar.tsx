import { Button, ConfirmDialog } from '../ui/controls';
import { bulkWords } from './decision-words';
import { BULK_WORDS, type BulkAction, type BulkReview } from './use-bulk-review';

const ACTIONS: readonly BulkAction[] = ['approve', 'reject'];

/** The selection count, select-all (loaded rows, or every change matching) and the bulk decisions. */
export function BulkBar({
  bulk,
  total,
}: {
  bulk: Pick<BulkReview, 'count' | 'allLoadedSelected' | 'allMatching' | 'selectLoaded' | 'selectAllMatching' | 'ask'>;
  total: number;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2 rounded-md bg-slate-100 px-3 py-2 text-sm" data-testid="bulk-bar">
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={bulk.allLoadedSelected || bulk.allMatching}
          aria-label="Select all loaded changes"
          onChange={(e) => bulk.selectLoaded(e.target.checked)}
        />
        <span className="tabular-nums" data-testid="selection-count">
          {bulk.count} selected
        </span>
      </label>
      {total > 0 && !bulk.allMatching ? (
        <button
          type="button"
          className="text-emerald-700 underline-offset-2 hover:underline"
          onClick={bulk.selectAllMatching}
          data-testid="select-all-matching"
        >
          Select all {total.toLocaleString()} matching
        </button>
      ) : null}
      <div className="ml-auto flex gap-2">
        {ACTIONS.map((action) => (
          <Button
            key={action}
            variant={BULK_WORDS[action].tone}
            disabled={bulk.count === 0}
            onClick={() => bulk.ask(action)}
            title={BULK_WORDS[action].does}
            data-testid={`bulk-${action}`}
          >
            {BULK_WORDS[action].verb}
          </Button>
        ))}
      </div>
    </div>
  );
}

/** Asks before a bulk decision, naming how many changes it decides and the whole entries it creates or removes. */
export function BulkConfirm({ bulk }: { bulk: Pick<BulkReview, 'target' | 'busy' | 'cancel' | 'confirm'> }) {
  const { target } = bulk;
  const n = target?.count.toLocaleString() ?? '';
  return (
    <ConfirmDialog
      open={Boolean(target)}
      title={target ? `${BULK_WORDS[target.action].verb} ${n} change${target.count === 1 ? '' : 's'}?` : ''}
      confirmLabel={target ? `${BULK_WORDS[target.action].verb} ${n}` : ''}
      variant={
        target && (target.ops.incoming.delete || target.ops.outgoing.delete)
          ? 'danger'
          : target
            ? BULK_WORDS[target.action].tone
            : 'primary'
      }
      busy={bulk.busy}
      onCancel={bulk.cancel}
      onConfirm={bulk.confirm}
    >
      {target ? (
        <div className="space-y-2">
          <p>
            {target.ids
              ? `The ${target.count === 1 ? 'selected change' : `${n} selected changes`} will be ${BULK_WORDS[target.action].past}.`
              : `Every change matching the current filter (${n} now) will be ${BULK_WORDS[target.action].past}.`}
          </p>
          <ul className="list-disc pl-5" data-testid="bulk-outcomes">
            {bulkWords(target.action, target.kinds, target.ops).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </ConfirmDialog>
  );
}
