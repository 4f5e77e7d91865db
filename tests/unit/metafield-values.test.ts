import { describe, expect, it } from 'vitest';
import {
  listChange,
  metafieldCell,
  metafieldCellValue,
  metafieldInputSchema,
  metafieldTargetOf,
  normalizeMetafield,
  splitMetafieldKey,
  toShopifyValue,
} from '@/lib/sync/metafields';

/** Metafield values: one canonical form per type, Shopify's string form, CSV cells and list changes. */
describe('metafield values', () => {
  it('compares values in their canonical form, per type', () => {
    expect(normalizeMetafield({ type: 'number_decimal', value: '04.50' })).toEqual({ type: 'number_decimal', value: '4.5' });
    expect(normalizeMetafield({ type: 'number_integer', value: '+007' })).toEqual({ type: 'number_integer', value: '7' });
    expect(normalizeMetafield({ type: 'boolean', value: 'true' })).toEqual({ type: 'boolean', value: true });
    expect(normalizeMetafield({ type: 'json', value: '{"b":1,"a":[2]}' })).toEqual({ type: 'json', value: { a: [2], b: 1 } });
    expect(normalizeMetafield({ type: 'list.number_integer', value: '[1, 20]' })).toEqual({
      type: 'list.number_integer',
      value: ['1', '20'],
    });
    expect(normalizeMetafield(null)).toBeNull();
  });

  it("writes Shopify's string for each type", () => {
    expect(toShopifyValue({ type: 'list.number_integer', value: ['1', '20'] })).toBe('[1,20]');
    expect(toShopifyValue({ type: 'list.single_line_text_field', value: ['a', 'b'] })).toBe('["a","b"]');
    expect(toShopifyValue({ type: 'boolean', value: false })).toBe('false');
    expect(toShopifyValue({ type: 'json', value: { a: 1 } })).toBe('{"a":1}');
  });

  it('refuses a value of the wrong type, and one outside the definition’s bounds', () => {
    const rating = { ownerType: 'PRODUCT' as const, namespace: 'custom', key: 'rating', name: 'Rating', type: 'number_decimal' };
    const bounded = { ...rating, validations: [{ name: 'max', value: '5' }] };
    expect(metafieldInputSchema('number_decimal', bounded).safeParse('5.5').error?.issues[0]?.message).toBe('must be at most 5');
    expect(metafieldInputSchema('date').safeParse('31/12/2026').error?.issues[0]?.message).toBe('must be a date like 2026-12-31');
    expect(metafieldInputSchema('single_line_text_field').safeParse('two\nlines').success).toBe(false);
    expect(metafieldInputSchema('list.number_integer').safeParse(['1', 'x']).error?.issues[0]?.message).toBe(
      'item 2 must be a whole number',
    );
    expect(metafieldInputSchema('url').safeParse('https://example.com').data).toEqual({ type: 'url', value: 'https://example.com' });
  });

  it('reads back the CSV cells it writes, and finds the column of Shopify’s export', () => {
    for (const mf of [
      { type: 'list.single_line_text_field', value: ['Oat', 'Moss'] },
      { type: 'list.single_line_text_field', value: ['a;b', 'c'] },
      { type: 'boolean', value: true },
      { type: 'json', value: { a: 1 } },
      { type: 'multi_line_text_field', value: 'one\ntwo' },
    ]) {
      const parsed = metafieldInputSchema(mf.type).parse(metafieldCellValue(mf.type, metafieldCell(mf)));
      expect(parsed).toEqual(normalizeMetafield(mf));
    }
    expect(metafieldTargetOf('Material (product.metafields.custom.material)')).toBe('metafield:custom.material');
    expect(metafieldTargetOf('Material')).toBeNull();
    expect(splitMetafieldKey('gid://shopify/Product/1|custom.size.chart')).toEqual({
      ownerId: 'gid://shopify/Product/1',
      namespace: 'custom',
      key: 'size.chart',
    });
  });

  it('tells the items a list gained and lost', () => {
    expect(listChange(['a', 'b', 'b'], ['b', 'c'])).toEqual({ added: ['c'], removed: ['a', 'b'] });
  });
});
