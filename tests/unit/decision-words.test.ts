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

  it('a metafield value is said as people read it, not as its stored {type, value}', () => {
    const colors: DecisionSubject = {
      entity: 'metafield',
      kind: 'outgoing',
      fields: [
        {
          name: 'value',
          local: { type: 'list.single_line_text_field', value: ['Black', 'Ochre'] },
          remote: { type: 'list.single_line_text_field', value: ['Black', 'Sand'] },
        },
      ],
    };
    expect(approveWords(colors)).toBe('Approve: push Black, Ochre to Shopify');
    expect(rejectWords(colors)).toBe('Reject: discard the master edit, Shopify keeps Black, Sand');
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

  it('a bulk decision names the deletions and creations it takes, after the kind they are of, in the direction they go', () => {
    const ops = { incoming: { create: 0, delete: 1 }, outgoing: { create: 2, delete: 3 } };
    expect(bulkWords('approve', { incoming: 1, outgoing: 6, conflict: 0 }, ops)).toEqual([
      '6 outgoing changes: written to Shopify by the next push.',
      'Including 3 deletions: the entries removed in the master are deleted from Shopify by the next push.',
      'Including 2 creations: the entries new in the master are created in Shopify by the next push.',
      '1 incoming change: adopted into the master now, recorded as one batch you can roll back.',
      'Including 1 deletion: the entry deleted in Shopify is removed from the master now.',
    ]);
    expect(bulkWords('reject', { incoming: 1, outgoing: 0, conflict: 0 }, { ...ops, outgoing: { create: 0, delete: 0 } })).toEqual([
      '1 incoming change: the master keeps its values; restoring them in Shopify is proposed for review.',
      'Including 1 deletion: the entry deleted in Shopify is kept in the master; creating it again in Shopify is proposed for review.',
    ]);
  });
});
