import { describe, expect, it } from 'vitest';
import { changeMagnitude, classifyEntity, planApproval, writePriority } from '../../lib/sync/classify';
import { normalizeDecimal, normalizeDocument, normalizeTags } from '../../lib/sync/fields';

const product = (over: Record<string, unknown> = {}) =>
  normalizeDocument('product', {
    title: 'Shirt',
    handle: 'shirt',
    descriptionHtml: '<p>x</p>',
    vendor: 'Acme',
    productType: 'Tops',
    status: 'ACTIVE',
    tags: ['a', 'b'],
    ...over,
  })!;

describe('three-way classification', () => {
  it('stages nothing when all three agree', () => {
    expect(classifyEntity('product', { local: product(), base: product(), remote: product() })).toEqual({ changes: [] });
  });

  it('proposes an outgoing change when only the master moved', () => {
    const c = classifyEntity('product', { local: product({ title: 'New' }), base: product(), remote: product() });
    expect(c.changes).toEqual([
      { kind: 'outgoing', op: 'update', fields: [{ name: 'title', base: 'Shirt', local: 'New', remote: 'Shirt' }] },
    ]);
    expect(c.base).toBeUndefined();
  });

  it('proposes an incoming change when only Shopify moved', () => {
    const c = classifyEntity('product', { local: product(), base: product(), remote: product({ vendor: 'Other' }) });
    expect(c.changes).toEqual([
      { kind: 'incoming', op: 'update', fields: [{ name: 'vendor', base: 'Acme', local: 'Acme', remote: 'Other' }] },
    ]);
  });

  it('calls it a conflict when both moved to different values', () => {
    const c = classifyEntity('product', { local: product({ title: 'Ours' }), base: product(), remote: product({ title: 'Theirs' }) });
    expect(c.changes[0]).toMatchObject({ kind: 'conflict', fields: [{ name: 'title', base: 'Shirt', local: 'Ours', remote: 'Theirs' }] });
  });

  it('moves the base and stages nothing when both sides converged', () => {
    const c = classifyEntity('product', { local: product({ title: 'Same' }), base: product(), remote: product({ title: 'Same' }) });
    expect(c.changes).toEqual([]);
    expect(c.base?.title).toBe('Same');
  });

  it('splits one entity into one change per direction when different fields moved on different sides', () => {
    const c = classifyEntity('product', {
      local: product({ vendor: 'Ours', title: 'Both' }),
      base: product(),
      remote: product({ status: 'DRAFT', title: 'Both2' }),
    });
    expect(c.changes.map((x) => [x.kind, x.fields.map((f) => f.name)])).toEqual([
      ['incoming', ['status']],
      ['outgoing', ['vendor']],
      ['conflict', ['title']],
    ]);
  });

  it('compares values in canonical form: prices by amount, tags as sets, status by case', () => {
    const v = {
      sku: 'A',
      barcode: null,
      price: '9.9',
      compareAtPrice: null,
      inventoryPolicy: 'DENY',
      taxable: true,
      tracked: true,
      cost: null,
    };
    expect(classifyEntity('variant', { local: { ...v, price: '9.90' }, base: v, remote: v }).changes).toEqual([]);
    expect(
      classifyEntity('product', { local: product({ tags: ['b', 'a', 'a '] }), base: product(), remote: product({ status: 'active' }) })
        .changes,
    ).toEqual([]);
  });

  it('leaves fields of in-flight changes alone', () => {
    const c = classifyEntity(
      'product',
      { local: product({ title: 'Ours' }), base: product(), remote: product({ title: 'Theirs' }) },
      { skipFields: new Set(['title']) },
    );
    expect(c.changes).toEqual([]);
  });

  it("adopts Shopify's value of a field that became synced after the master and base were written", () => {
    // Documents written before `vendor` was synced lack the key on both sides.
    const { vendor: _v, ...older } = product();
    const result = classifyEntity('product', { local: older, base: older, remote: product({ vendor: 'Shopify Vendor' }) });
    expect(result.changes).toEqual([]);
    expect(result.base?.vendor).toBe('Shopify Vendor');
    expect(result.local?.vendor).toBe('Shopify Vendor');
    // Once the master holds the field, a difference is a change again.
    const edited = classifyEntity('product', { local: { ...older, vendor: 'Ours' }, base: older, remote: product({ vendor: 'Theirs' }) });
    expect(edited.changes.map((c) => c.kind)).toEqual(['conflict']);
  });

  it('stages creates and deletes on either side, and conflicts when one side deleted what the other edited', () => {
    expect(classifyEntity('product', { local: null, base: null, remote: product() }).changes[0]).toMatchObject({
      kind: 'incoming',
      op: 'create',
    });
    expect(classifyEntity('product', { local: product(), base: null, remote: null }).changes[0]).toMatchObject({
      kind: 'outgoing',
      op: 'create',
    });
    expect(classifyEntity('product', { local: product(), base: product(), remote: null }).changes[0]).toMatchObject({
      kind: 'incoming',
      op: 'delete',
    });
    expect(classifyEntity('product', { local: null, base: product(), remote: product() }).changes[0]).toMatchObject({
      kind: 'outgoing',
      op: 'delete',
    });
    expect(classifyEntity('product', { local: product({ title: 'Edited' }), base: product(), remote: null }).changes[0]).toMatchObject({
      kind: 'conflict',
      op: 'delete',
    });
    expect(classifyEntity('product', { local: null, base: product(), remote: null })).toEqual({ changes: [], base: null });
  });
});

describe('approval plans', () => {
  const conflict = {
    kind: 'conflict' as const,
    op: 'update' as const,
    fields: [{ name: 'title', base: 'Shirt', local: 'Ours', remote: 'Theirs' }],
  };

  it('adopts Shopify values into the master for incoming changes, without a Shopify write', () => {
    const plan = planApproval('product', {
      kind: 'incoming',
      op: 'update',
      fields: [{ name: 'vendor', base: 'A', local: 'A', remote: 'B' }],
    });
    expect(plan).toMatchObject({ master: { op: 'update', values: { vendor: 'B' } }, shopify: null, target: { vendor: 'B' } });
  });

  it('writes ours to Shopify for outgoing changes', () => {
    const plan = planApproval('product', {
      kind: 'outgoing',
      op: 'update',
      fields: [{ name: 'vendor', base: 'A', local: 'C', remote: 'A' }],
    });
    expect(plan).toMatchObject({ master: null, shopify: { op: 'update', values: { vendor: 'C' } } });
  });

  it('refuses an unresolved conflict and accepts each resolution', () => {
    expect(() => planApproval('product', conflict)).toThrowError(/in conflict/);
    expect(planApproval('product', conflict, { resolution: { title: 'remote' } })).toMatchObject({
      master: { values: { title: 'Theirs' } },
      shopify: null,
    });
    expect(planApproval('product', conflict, { resolution: { title: 'local' } })).toMatchObject({
      master: null,
      shopify: { values: { title: 'Ours' } },
    });
    expect(planApproval('product', conflict, { resolution: { title: { value: 'Custom' } } })).toMatchObject({
      master: { values: { title: 'Custom' } },
      shopify: { values: { title: 'Custom' } },
    });
  });

  it('validates a custom value with the field rules', () => {
    const price = {
      kind: 'conflict' as const,
      op: 'update' as const,
      fields: [{ name: 'price', base: '1.00', local: '2.00', remote: '3.00' }],
    };
    expect(() => planApproval('variant', price, { resolution: { price: { value: '-1' } } })).toThrowError(/non-negative amount/);
    expect(() => planApproval('variant', price, { resolution: { price: { value: '1.234' } } })).toThrowError(/at most 2 decimals/);
    expect(planApproval('variant', price, { resolution: { price: { value: '2.5' } } }).target).toEqual({ price: '2.50' });
  });

  it('approves only the chosen fields', () => {
    const change = {
      kind: 'outgoing' as const,
      op: 'update' as const,
      fields: [
        { name: 'vendor', base: 'A', local: 'C', remote: 'A' },
        { name: 'title', base: 'x', local: 'y', remote: 'x' },
      ],
    };
    expect(planApproval('product', change, { fields: ['title'] }).shopify).toEqual({ op: 'update', values: { title: 'y' } });
    expect(() => planApproval('product', change, { fields: ['nope'] })).toThrowError(/Not fields of this change/);
  });

  it('plans whole-entity creates and deletes', () => {
    const create = classifyEntity('product', { local: null, base: null, remote: product() }).changes[0]!;
    expect(planApproval('product', create).master).toMatchObject({ op: 'create', values: { title: 'Shirt' } });
    const del = classifyEntity('product', { local: null, base: product(), remote: product() }).changes[0]!;
    expect(planApproval('product', del).shopify).toEqual({ op: 'delete', values: {} });
  });
});

describe('priorities and magnitudes', () => {
  it('makes inventory to or from zero critical, prices high, descriptions low', () => {
    expect(writePriority('inventory_level', { available: 0 }, { available: 5 })).toBe('critical');
    expect(writePriority('inventory_level', { available: 3 }, { available: 5 })).toBe('normal');
    expect(writePriority('variant', null, { price: '1.00', sku: 'x' })).toBe('high');
    expect(writePriority('product', null, { descriptionHtml: 'x' })).toBe('low');
  });

  it('measures price moves in percent and quantity deltas', () => {
    expect(changeMagnitude('variant', [{ name: 'price', base: '10.00', local: '10.00', remote: '11.00' }], 'incoming')).toEqual({
      pricePercent: 10,
    });
    expect(changeMagnitude('inventory_level', [{ name: 'available', base: 5, local: 5, remote: 2 }], 'incoming')).toEqual({
      quantityDelta: -3,
    });
  });
});

describe('normalization', () => {
  it('normalizes decimals without floating point', () => {
    expect(['9.9', '009.900', '10', '0.1', '1.005', '-0.00'].map(normalizeDecimal)).toEqual([
      '9.90',
      '9.90',
      '10.00',
      '0.10',
      '1.005',
      '0.00',
    ]);
    expect(normalizeDecimal(null)).toBeNull();
  });
  it('normalizes tags from a list or a comma-separated string', () => {
    expect(normalizeTags('b, a,,a')).toEqual(['a', 'b']);
  });
});
