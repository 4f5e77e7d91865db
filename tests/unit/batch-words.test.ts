import { describe, expect, it } from 'vitest';
import { itemName } from '../../components/batches/batch-items';
import { describeValues } from '../../components/batches/batch-values';
import { batchName, batchOutcomes } from '../../lib/dashboard/batches';
import { plural } from '../../lib/words';

const now = new Date(2026, 11, 7, 12, 0);
const at = (d: number, h: number, m: number) => new Date(2026, 11, d, h, m).toISOString();

describe('batch words', () => {
  it('names a batch by what it did, how much and when; a rollback by its own, then the batch it rolled back', () => {
    expect(batchName({ kind: 'push', counts: { total: 368 }, createdAt: at(7, 10, 25) }, now)).toBe('Push - 368 changes - 10:25');
    expect(batchName({ kind: 'adopt', counts: { total: 1 }, createdAt: at(7, 9, 5) }, now)).toBe('Adopt - 1 change - 09:05');
    expect(batchName({ kind: 'push', counts: { total: 1368 }, createdAt: at(3, 8, 0) }, now)).toBe('Push - 1,368 changes - 3 Dec 08:00');
    const of = { kind: 'push', total: 368, createdAt: at(7, 10, 25) };
    // Two rollbacks of one push are told apart by their own size and time.
    expect(batchName({ kind: 'rollback', counts: { total: 2 }, createdAt: at(7, 10, 40), rollbackOfBatch: of }, now)).toBe(
      'Rollback - 2 changes - 10:40 (of Push - 368 changes - 10:25)',
    );
    expect(batchName({ kind: 'rollback', counts: { total: 1 }, createdAt: at(7, 11, 2), rollbackOfBatch: of }, now)).toBe(
      'Rollback - 1 change - 11:02 (of Push - 368 changes - 10:25)',
    );
    // An operation's title (made on the server, shown beside its own time) says no time.
    expect(batchName({ kind: 'rollback', counts: { total: 2 }, rollbackOfBatch: { kind: 'push', total: 368 } })).toBe(
      'Rollback - 2 changes (of Push - 368 changes)',
    );
  });

  it('counts each item once: rolled back items leave applied, and what is not settled is waiting', () => {
    expect(batchOutcomes({ total: 10, applied: 6, failed: 1, drifted: 1, rolledBack: 2, dead: 0, cancelled: 0 })).toEqual({
      total: 10,
      applied: 4,
      failed: 1,
      drifted: 1,
      rolledBack: 2,
      dead: 0,
      cancelled: 0,
      waiting: 2,
    });
    expect(batchOutcomes(null).waiting).toBe(0);
  });

  it('counts nouns in the singular and plural', () => {
    expect(plural(1, 'row')).toBe('1 row');
    expect(plural(0, 'row')).toBe('0 rows');
    expect(plural(2, 'inventory level')).toBe('2 inventory levels');
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
  });

  it('says values with field labels and never shows a Shopify id as a name', () => {
    expect(describeValues('variant', { price: '12.50', compareAtPrice: null })).toBe('Price 12.50; Compare-at price —');
    expect(itemName({ id: 'x', status: 'applied', productTitle: 'gid://shopify/Product/1', entityLabel: 'Variant: Small' })).toEqual({
      title: 'A product no longer in the catalog',
      detail: 'Variant: Small',
    });
  });
});
