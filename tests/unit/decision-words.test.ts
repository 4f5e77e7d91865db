import { describe, expect, it } from 'vitest';
import { approveWords, bulkWords, type DecisionSubject, rejectWords } from '../../components/review/decision-words';

const price = (kind: DecisionSubject['kind'], extra: Partial<DecisionSubject> = {}): DecisionSubject => ({
  entity: 'variant',
  kind,
  op: 'update',
  fields: [{ name: 'price', local: '14.00', remote: '12.00' }],
  ...extra,
});

describe('what each decision button says it will do', () => {
  it('outgoing: approve pushes the master value, reject discards the master edit and Shopify keeps its value', () => {
    expect(approveWords(price('outgoing'))).toBe('Approve: push 14.00 to Shopify');
    expect(rejectWords(price('outgoing'))).toBe('Reject: discard the master edit, Shopify keeps 12.00');
  });

  it("incoming: approve adopts Shopify's value, reject keeps the master's and proposes restoring it in Shopify", () => {
    const incoming = price('incoming', { fields: [{ name: 'price', local: '12.00', remote: '13.00' }] });
    expect(approveWords(incoming)).toBe('Approve: adopt 13.00 into the master');
    expect(rejectWords(incoming)).toBe('Reject: keep 12.00 in the master and propose restoring it in Shopify');
  });

  it('a restore says so; a conflict has no reject; creates, deletes and several fields are named', () => {
    const restore = price('outgoing', { origin: 'restore_shopify' });
    expect(approveWords(restore)).toBe('Approve: restore 14.00 in Shopify');
    expect(rejectWords(restore)).toBe("Reject: adopt Shopify's 12.00 into the master instead");
    expect(rejectWords(price('conflict'))).toBeNull();
    expect(approveWords(price('conflict'))).toBe('Resolve and approve');
    expect(rejectWords(price('outgoing', { op: 'create' }))).toMatch(/discard the master's new entry/);
    expect(rejectWords(price('incoming', { entity: 'membership', op: 'create' }))).toBe(
      'Reject: keep it out of the master and propose to remove the product from the collection in Shopify',
    );
    const two = price('outgoing', {
      entity: 'product',
      fields: [
        { name: 'title', local: 'A', remote: 'B' },
        { name: 'status', local: 'ACTIVE', remote: 'DRAFT' },
      ],
    });
    expect(rejectWords(two)).toBe('Reject: discard the master edits, Shopify keeps its Title, Status');
    expect(approveWords(two, 1)).toBe('Approve 1 chosen field: push it to Shopify');
  });

  it('a bulk decision says what happens to each kind it takes', () => {
    expect(bulkWords('reject', { incoming: 2, outgoing: 1, conflict: 1 })).toEqual([
      '1 outgoing change: the master edits are discarded; Shopify keeps its values.',
      '2 incoming changes: the master keeps its values; restoring them in Shopify is proposed for review.',
      '1 conflict: skipped; a conflict is resolved, not rejected.',
    ]);
    expect(bulkWords('approve', { incoming: 7, outgoing: 0, conflict: 0 })).toEqual([
      '7 incoming changes: adopted into the master now, recorded as one batch you can roll back.',
    ]);
  });
});
