import { describe, expect, it } from 'vitest';
import { listEntries } from '../../components/review/change-list';
import { delta, fieldLine, humanPushError, opBadge, subjectOf } from '../../components/review/change-values';
import { neighbour } from '../../components/review/use-keyboard-review';
import { arrange } from '../../components/review/use-stable-rows';

const row = (id: string) => ({ id });
const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);

describe('the review list keeps what is read in place', () => {
  it('rows shown keep their order; arrivals ahead wait as fresh; later pages append; gone rows drop', () => {
    const shown = ['a', 'b', 'c'];
    // c updated (moves to the top on the server), x and y arrived, d is the next page, b was decided.
    const { rows, fresh } = arrange([row('x'), row('c'), row('y'), row('a'), row('d')], shown);
    expect(ids(rows)).toEqual(['a', 'c', 'd']);
    expect(ids(fresh)).toEqual(['x', 'y']);
    expect(ids(arrange([row('x'), row('a')], null).rows)).toEqual(['x', 'a']);
    expect(ids(arrange([row('x')], []).rows)).toEqual(['x']);
  });

  it('after a decision the next row opens, or the previous at the end', () => {
    const rows = [row('a'), row('b'), row('c')];
    expect(neighbour(rows, 'b')).toBe('c');
    expect(neighbour(rows, 'c')).toBe('b');
    expect(neighbour([row('a')], 'a')).toBeNull();
  });

  it('groups rows by product, each group after its heading', () => {
    const c = (id: string, productKey: string) => ({ id, productKey, title: `T ${productKey}`, entity: 'variant' }) as never;
    const entries = listEntries([c('1', 'p'), c('2', 'p'), c('3', 'q')], true);
    expect(entries.map((e) => (e.type === 'group' ? `g:${e.key}:${e.rows.length}` : e.change.id))).toEqual([
      'g:p:2',
      '1',
      '2',
      'g:q:1',
      '3',
    ]);
    expect(listEntries([c('1', 'p')], false)).toHaveLength(1);
  });
});

describe('row values', () => {
  it('says old -> new in the proposal direction with the delta, absolute and in percent', () => {
    expect(delta('10.00', '13.00')).toBe('+3.00 (+30%)');
    expect(delta(5, 25)).toBe('+20 (+400%)');
    expect(delta('10.00', '9.50')).toBe('−0.50 (−5%)');
    expect(delta('0', '3')).toBe('+3');
    expect(delta('a', 'b')).toBeNull();
    const field = { name: 'price', local: '10.00', remote: '12.00' };
    expect(fieldLine({ entity: 'variant', kind: 'incoming', fields: [field] }, field)).toMatchObject({
      label: 'Price',
      from: '10.00',
      to: '12.00',
    });
    expect(fieldLine({ entity: 'variant', kind: 'outgoing', fields: [field] }, field)).toMatchObject({ from: '12.00', to: '10.00' });
    const html = { name: 'descriptionHtml', local: '<p>Soft <b>cotton</b></p>', remote: null };
    expect(fieldLine({ entity: 'product', kind: 'outgoing', fields: [html] }, html)).toMatchObject({
      label: 'Description',
      to: 'Soft cotton',
    });
  });

  it('gives amounts a delta, never a weight whose number means nothing without its unit', () => {
    const price = { name: 'price', local: '10.00', remote: '12.00' };
    expect(fieldLine({ entity: 'variant', kind: 'incoming', fields: [price] }, price).delta).toBe('+2.00 (+20%)');
    const weight = { name: 'weight', local: '17.5', remote: '1.25', display: { local: '17.5 oz', remote: '1.25 kg' } };
    expect(fieldLine({ entity: 'variant', kind: 'incoming', fields: [weight] }, weight)).toMatchObject({
      from: '17.5 oz',
      to: '1.25 kg',
      delta: null,
    });
    const position = { name: 'position', local: 3, remote: 2 };
    expect(fieldLine({ entity: 'media', kind: 'outgoing', fields: [position] }, position).delta).toBeNull();
    const stock = { name: 'available', local: 5, remote: 8 };
    expect(fieldLine({ entity: 'inventory_level', kind: 'incoming', fields: [stock] }, stock).delta).toBe('+3 (+60%)');
  });

  it('names the variant, SKU or location, and badges creates and deletes', () => {
    const base = { entity: 'variant', kind: 'incoming' as const, fields: [] };
    expect(subjectOf({ ...base, variantTitle: 'S / Red', sku: 'A1' })).toBe('S / Red · SKU A1');
    expect(subjectOf({ ...base, entity: 'inventory_level', locationName: 'East', variantTitle: 'S' })).toBe('East · S');
    expect(subjectOf({ ...base, entity: 'product' })).toBe('');
    expect(opBadge({ entity: 'product', kind: 'incoming', op: 'delete' })).toBe('deleted in Shopify');
    expect(opBadge({ entity: 'variant', kind: 'outgoing', op: 'create' })).toBe('new in master');
    expect(opBadge({ entity: 'product', kind: 'outgoing', op: 'update' })).toBeNull();
  });

  it("says a push's failure in words, without ids", () => {
    expect(humanPushError('Product gid://shopify/Product/7: Handle has already been taken')).toBe(
      'Shopify refused the Handle: the value is already used by another item.',
    );
    expect(humanPushError("Handle: Handle 'cap' already in use. Please provide a new handle.")).toBe(
      'Shopify refused the Handle: the value is already used by another item.',
    );
    expect(humanPushError('SKU: is too long (maximum is 255 characters)', 'variant')).toBe(
      'Shopify refused the SKU: is too long (maximum is 255 characters)',
    );
    expect(humanPushError('the value is taken by something', 'variant')).toBe('Shopify refused it: the value is taken by something');
    expect(humanPushError('fetch failed')).toBe('Shopify could not be reached.');
    expect(humanPushError('Price gid://shopify/ProductVariant/3 must be positive')).toBe(
      'Shopify refused it: Price the item must be positive',
    );
    expect(humanPushError(null)).toBe('The push did not say why.');
  });
});

describe('reference metafields in the review', () => {
  it('read by their target names in the list line and the detail, items added and removed included', async () => {
    const { renderToStaticMarkup } = await import('react-dom/server');
    const { MetafieldValueView } = await import('../../components/review/metafield-value');
    const valueNames = { 'gid://shopify/Product/1': 'Linen shirt', 'gid://shopify/Product/2': 'Oat tee' };
    const change = {
      entity: 'metafield',
      kind: 'outgoing' as const,
      entityKey: 'gid://shopify/Product/9|custom.related',
      metafieldName: 'Related',
      valueNames,
      fields: [],
    };
    const field = {
      name: 'value',
      local: { type: 'list.product_reference', value: ['gid://shopify/Product/1', 'gid://shopify/Product/2'] },
      remote: { type: 'list.product_reference', value: ['gid://shopify/Product/1'] },
    };
    expect(fieldLine(change as never, field as never)).toMatchObject({ label: 'Related', from: 'Linen shirt', to: 'Linen shirt, Oat tee' });
    const html = renderToStaticMarkup(MetafieldValueView({ value: field.local, other: field.remote, names: valueNames }));
    expect(html).toContain('Linen shirt');
    expect(html).toContain('+ Oat tee');
    expect(html).not.toContain('gid://');
  });
});
