import { describe, expect, it } from 'vitest';
import { formatEta } from '../../components/operations/operation-panel';
import { parseCustomValue } from '../../components/review/custom-value';
import { numericDelta } from '../../components/review/field-values';
import { formatValue } from '../../components/ui/controls';
import { cleanFilter } from '../../lib/dashboard/api';
import { productSchema, stagedListSchema } from '../../lib/dashboard/schemas';

describe('dashboard helpers', () => {
  it('validates a conflict custom value with the field schema and explains a refusal', () => {
    expect(parseCustomValue('product', 'title', '  Agreed  ')).toEqual({ ok: true, value: 'Agreed' });
    expect(parseCustomValue('product', 'title', '   ')).toEqual({ ok: false, message: 'Title must not be blank' });
    expect(parseCustomValue('variant', 'price', 'abc').ok).toBe(false);
    expect(parseCustomValue('variant', 'taxable', 'false')).toEqual({ ok: true, value: false });
    expect(parseCustomValue('inventory_level', 'available', '12')).toEqual({ ok: true, value: 12 });
    expect(parseCustomValue('inventory_level', 'available', '1.5').ok).toBe(false);
  });

  it('computes deltas only between two different numbers', () => {
    expect(numericDelta('10.00', '12.50')).toBe(2.5);
    expect(numericDelta(5, 3)).toBe(-2);
    expect(numericDelta('10', '10')).toBeNull();
    expect(numericDelta(null, '3')).toBeNull();
    expect(numericDelta('a', '3')).toBeNull();
  });

  it('renders values as text, markup included', () => {
    expect(formatValue('<script>x</script>')).toBe('<script>x</script>');
    expect(formatValue(['a', 'b'])).toBe('a, b');
    expect(formatValue(null)).toBe('—');
  });

  it('formats an ETA', () => {
    expect(formatEta(42.2)).toBe('43 s');
    expect(formatEta(125)).toBe('2 min 5 s');
    expect(formatEta(null)).toBe('—');
  });

  it('drops empty filter values and parses list responses, refusing a wrong shape', () => {
    expect(cleanFilter({ kind: 'incoming', q: '', vendor: undefined })).toEqual({ kind: 'incoming' });
    const list = stagedListSchema.parse({
      items: [
        {
          id: 'a',
          entity: 'product',
          kind: 'conflict',
          status: 'pending',
          fields: [{ name: 'title', base: 'a', local: 'b', remote: 'c' }],
          extra: 1,
        },
      ],
      total: 1,
      nextCursor: null,
      counts: { incoming: 0, outgoing: 0, conflict: 1, all: 1 },
    });
    expect(list.counts).toEqual({ incoming: 0, outgoing: 0, conflict: 1 });
    expect((list.items[0] as Record<string, unknown>).extra).toBe(1);
    expect(stagedListSchema.safeParse({ items: [{ id: 'a', kind: 'sideways' }] }).success).toBe(false);
    expect(productSchema.parse({ id: 'p', title: 'T', syncStatus: 'weird' }).syncStatus).toBe('not_synced');
  });
});
